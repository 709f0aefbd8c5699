#include "storage/result_set.hpp"

#include "storage/row_view.hpp"

#include <charconv>

namespace nongsan::storage {

namespace {
const Value kNull = Null{};
}

const Value& Row::at(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i)
    if ((*columns_)[i] == column) return values_[i];
  throw std::out_of_range("no column " + std::string(column));
}

bool Row::is_null(std::string_view column) const { return std::holds_alternative<Null>(at(column)); }

static std::int64_t as_i64(const Value& v, std::string_view column) {
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto r = std::from_chars(p->data(), p->data() + p->size(), out);
    if (r.ec == std::errc{}) return out;
  }
  throw std::runtime_error("column " + std::string(column) + " is not an integer");
}

static double as_f64(const Value& v, std::string_view column) {
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
  throw std::runtime_error("column " + std::string(column) + " is not a number");
}

static std::string as_str(const Value& v, std::string_view column) {
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<Blob>(&v)) return std::string(p->bytes.begin(), p->bytes.end());
  throw std::runtime_error("column " + std::string(column) + " is not text");
}

std::int64_t Row::i64(std::string_view c) const { return as_i64(at(c), c); }
std::int64_t Row::i64(std::size_t i) const { return as_i64(at(i), "#" + std::to_string(i)); }
double Row::f64(std::string_view c) const { return as_f64(at(c), c); }
std::string Row::str(std::string_view c) const { return as_str(at(c), c); }
std::optional<std::int64_t> Row::opt_i64(std::string_view c) const {
  if (is_null(c)) return std::nullopt;
  return i64(c);
}
std::optional<double> Row::opt_f64(std::string_view c) const {
  if (is_null(c)) return std::nullopt;
  return f64(c);
}
std::optional<std::string> Row::opt_str(std::string_view c) const {
  if (is_null(c)) return std::nullopt;
  return str(c);
}
std::optional<Geometry> Row::opt_geometry(std::string_view c) const {
  const Value& v = at(c);
  if (auto p = std::get_if<Geometry>(&v)) return *p;
  if (std::holds_alternative<Null>(v)) return std::nullopt;
  throw std::runtime_error("column " + std::string(c) + " is not a geometry");
}

CivilDate date_from_text(std::string_view text, std::string_view column) {
  // Stored dates are ISO; dd/mm/yyyy is an input format only.
  std::optional<CivilDate> d;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') d = CivilDate::parse(text);
  if (!d)
    throw std::runtime_error("column " + std::string(column) + " holds '" + std::string(text) +
                             "', which is not a date (YYYY-MM-DD)");
  return *d;
}

CivilDate Row::date(std::string_view c) const { return date_from_text(str(c), c); }

std::optional<CivilDate> Row::opt_date(std::string_view c) const {
  if (is_null(c)) return std::nullopt;
  return date(c);
}

}  // namespace nongsan::storage
