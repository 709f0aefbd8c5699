// Rows returned by a query, backend-neutral. Column access by index or name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "storage/value.hpp"

namespace nongsan::storage {

class Row {
 public:
  using Columns = std::shared_ptr<const std::vector<std::string>>;
  Row(Columns columns, std::vector<Value> values) : columns_(std::move(columns)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& at(std::size_t i) const { return values_.at(i); }
  const Value& at(std::string_view column) const;
  bool is_null(std::string_view column) const;

  std::int64_t i64(std::string_view column) const;
  double f64(std::string_view column) const;  // integers widen
  std::string str(std::string_view column) const;
  std::optional<std::int64_t> opt_i64(std::string_view column) const;
  std::optional<double> opt_f64(std::string_view column) const;
  std::optional<std::string> opt_str(std::string_view column) const;
  std::optional<Geometry> opt_geometry(std::string_view column) const;
  // The one way to read a date column (stored as ISO text 'YYYY-MM-DD', or a
  // PostgreSQL DATE). A value that is not a real date is an error naming the
  // column and the value (std::runtime_error), never a made-up date.
  CivilDate date(std::string_view column) const;
  std::optional<CivilDate> opt_date(std::string_view column) const;  // NULL: nullopt
  std::int64_t i64(std::size_t i) const;

 private:
  Columns columns_;
  std::vector<Value> values_;
};

struct ResultSet {
  Row::Columns columns = std::make_shared<std::vector<std::string>>();
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

}  // namespace nongsan::storage
