#include "core/number_input.hpp"

#include <charconv>
#include <cmath>

namespace nongsan {

namespace {

double kind_lowest(NumberRange::Kind k) {
  switch (k) {
    case NumberRange::Kind::int32: return std::numeric_limits<std::int32_t>::min();
    case NumberRange::Kind::int64: return -kMaxSafeInteger;
    case NumberRange::Kind::real: return std::numeric_limits<double>::lowest();
  }
  return 0;
}
double kind_highest(NumberRange::Kind k) {
  switch (k) {
    case NumberRange::Kind::int32: return std::numeric_limits<std::int32_t>::max();
    case NumberRange::Kind::int64: return kMaxSafeInteger;
    case NumberRange::Kind::real: return std::numeric_limits<double>::max();
  }
  return 0;
}

Error problem(std::string_view field, std::string message) {
  std::string f(field);
  return Error::invalid("the number is not valid", {{f, std::move(message)}});
}

// A value beyond double's range ("1e400"): the bound the field sets on that side, or
// "is out of range" when only the type bounds it.
Error overflow(bool negative, const NumberRange& range, std::string_view field) {
  if ((negative && range.min) || (!negative && range.max))
    return problem(field, range_problem(negative ? -INFINITY : INFINITY, range));
  return problem(field, "is out of range");
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

double NumberRange::lowest() const {
  double k = kind_lowest(kind);
  return min && *min > k ? *min : k;
}
double NumberRange::highest() const {
  double k = kind_highest(kind);
  return max && *max < k ? *max : k;
}

std::string format_number(double value) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

std::string range_problem(double value, const NumberRange& range) {
  if (std::isnan(value)) return "must be a number";
  if (range.contains(value)) return "";
  const double lo = range.lowest(), hi = range.highest();
  if (value < lo && range.min && !range.max) return "must be at least " + format_number(lo);
  if (value > hi && range.max && !range.min) return "must be at most " + format_number(hi);
  return "must be between " + format_number(lo) + " and " + format_number(hi);
}

Result<std::int64_t> parse_integer(std::string_view text, const NumberRange& range, std::string_view field) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (!all_digits(digits)) return problem(field, "must be an integer");
  std::int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    const bool negative = text.starts_with('-');
    return problem(field, range_problem(negative ? -INFINITY : INFINITY, range));
  }
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return problem(field, "must be an integer");
  return integer_in_range(v, range, field);
}

Result<double> parse_real(std::string_view text, const NumberRange& range, std::string_view field) {
  if (range.integer()) {
    auto i = parse_integer(text, range, field);
    if (!i) return i.error();
    return static_cast<double>(*i);
  }
  // Only the characters of decimal notation: from_chars alone would take "inf", "nan"
  // and hexadecimal floats.
  if (text.empty()) return problem(field, "must be a number");
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+'))
      return problem(field, "must be a number");
  if (text.front() == '+' || text.front() == '.' || text.back() == '.') return problem(field, "must be a number");
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  if (r.ptr != text.data() + text.size() && r.ec != std::errc::result_out_of_range)
    return problem(field, "must be a number");
  if (r.ec == std::errc::result_out_of_range) {
    // Too small to represent ("1e-400") is zero for every purpose here; too large is not.
    auto e = text.find_first_of("eE");
    bool tiny = e != std::string_view::npos && text.substr(e + 1).starts_with('-');
    if (tiny) return real_in_range(0.0, range, field);
    return overflow(text.starts_with('-'), range, field);
  }
  if (r.ec != std::errc{}) return problem(field, "must be a number");
  return real_in_range(v, range, field);
}

Result<std::int64_t> integer_in_range(std::int64_t value, const NumberRange& range, std::string_view field) {
  // Compared as doubles: every bound is an integer below 2^53, so the comparison is exact
  // where it matters, and values beyond 2^53 are far outside every bound.
  if (auto p = range_problem(static_cast<double>(value), range); !p.empty()) return problem(field, p);
  return value;
}

Result<std::int64_t> integer_from_real(double value, const NumberRange& range, std::string_view field) {
  if (!std::isfinite(value)) return problem(field, "must be a finite number");
  if (value != std::floor(value)) return problem(field, "must be an integer");
  if (auto p = range_problem(value, range); !p.empty()) return problem(field, p);
  return static_cast<std::int64_t>(value);
}

Result<double> real_in_range(double value, const NumberRange& range, std::string_view field) {
  if (!std::isfinite(value)) return problem(field, "must be a finite number");
  if (range.integer() && value != std::floor(value)) return problem(field, "must be an integer");
  if (auto p = range_problem(value, range); !p.empty()) return problem(field, p);
  return value;
}

}  // namespace nongsan
