// One row of a streamed result (Connection::each_row), read in place: nothing is
// copied but what the caller takes, so that reading a few hundred thousand rows
// does not allocate a Value per cell. Columns by position (the order of the SELECT
// list). Valid only during the callback.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_date.hpp"
#include "storage/value.hpp"

namespace nongsan::storage {

class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool is_null(std::size_t i) const = 0;
  virtual std::int64_t i64(std::size_t i) const = 0;  // integers and booleans
  virtual double f64(std::size_t i) const = 0;        // integers widen
  virtual std::string_view text(std::size_t i) const = 0;
  virtual CivilDate date(std::size_t i) const = 0;  // a DATE, or ISO text 'YYYY-MM-DD'
  virtual Geometry geometry(std::size_t i) const = 0;

  std::string str(std::size_t i) const { return is_null(i) ? std::string() : std::string(text(i)); }
  std::optional<std::int64_t> opt_i64(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
  }
  std::optional<double> opt_f64(std::size_t i) const { return is_null(i) ? std::nullopt : std::optional<double>(f64(i)); }
  std::optional<std::string> opt_str(std::string_view) const = delete;  // by position only
  std::optional<std::string> opt_str(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<std::string>(std::string(text(i)));
  }
  std::optional<CivilDate> opt_date(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<CivilDate>(date(i));
  }
  std::optional<Geometry> opt_geometry(std::size_t i) const {
    return is_null(i) ? std::nullopt : std::optional<Geometry>(geometry(i));
  }
};

// An ISO date 'YYYY-MM-DD' as stored; anything else is an error naming the column.
CivilDate date_from_text(std::string_view text, std::string_view column);

}  // namespace nongsan::storage
