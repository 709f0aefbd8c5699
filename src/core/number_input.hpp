// Numbers that come from outside — query parameters, path ids, JSON body fields,
// settings — read by one parser that knows the range each destination can hold.
// "abc", "1e400", "0x10", " 5", "+5", "inf" and "nan" are refused; an integer is
// bounded by the type it is stored in (2147483648 never becomes −2147483648), and a
// field may narrow that (members_count ≥ 0). Problems come back as field messages
// ("must be an integer", "must be between 1 and 500") for a FieldError.
// Never throws. Depends on the standard library only.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan {

// The largest integer a JSON client (JavaScript) holds exactly: ids stay below it.
inline constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 − 1

struct NumberRange {
  // The type the value ends up in: its bounds always apply.
  enum class Kind { int32, int64, real };
  Kind kind = Kind::real;
  // Narrower bounds a field sets (inclusive).
  std::optional<double> min;
  std::optional<double> max;

  static NumberRange int32(std::optional<double> min = {}, std::optional<double> max = {}) {
    return {Kind::int32, min, max};
  }
  // int64 is bounded by ±(2^53 − 1), what a JSON client can read back exactly.
  static NumberRange int64(std::optional<double> min = {}, std::optional<double> max = {}) {
    return {Kind::int64, min, max};
  }
  static NumberRange real(std::optional<double> min = {}, std::optional<double> max = {}) {
    return {Kind::real, min, max};
  }
  // A record id: a positive int64.
  static NumberRange id() { return int64(1); }
  // A calendar year written with four digits; plausibility (which years a programme
  // or an import may name) is the services' rule.
  static NumberRange year() { return int32(1000, 9999); }

  bool integer() const { return kind != Kind::real; }
  double lowest() const;   // the effective lower bound
  double highest() const;  // the effective upper bound
  bool contains(double v) const { return v >= lowest() && v <= highest(); }
};

// The field message for a value outside `range` ("must be at least 0", "must be between
// 1 and 500"); empty when the value is inside. Reals must be finite.
std::string range_problem(double value, const NumberRange& range);

// Text to number. Integers: an optional '-' and decimal digits. Reals: also a fraction
// and an exponent ("0.5", "-1.25e3"). On failure, invalid_input with one FieldError
// for `field`.
Result<std::int64_t> parse_integer(std::string_view text, const NumberRange& range, std::string_view field);
Result<double> parse_real(std::string_view text, const NumberRange& range, std::string_view field);

// Values already read as numbers (a JSON document): checked against the range. A real
// given for an integer must be whole (2.0 is 2; 2.5 is refused).
Result<std::int64_t> integer_in_range(std::int64_t value, const NumberRange& range, std::string_view field);
Result<std::int64_t> integer_from_real(double value, const NumberRange& range, std::string_view field);
Result<double> real_in_range(double value, const NumberRange& range, std::string_view field);

// Shortest text that reads back as the same number: 1 -> "1", 0.1 -> "0.1".
std::string format_number(double value);

}  // namespace nongsan
