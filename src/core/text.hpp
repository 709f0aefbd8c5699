// Text helpers for Vietnamese: search without diacritics ("muong te" finds
// "Mường Tè"), UTF-8 validation, and the number conventions of Vietnamese
// documents (decimal comma, thousands dot).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nongsan {

// Lower-cases and strips Vietnamese diacritics: "Mường Tè" -> "muong te", "Đ" -> "d".
// Non-Vietnamese code points are kept as they are (ASCII lower-cased).
std::string fold_vietnamese(std::string_view utf8);

bool is_valid_utf8(std::string_view s);

// Appends the code point `cp` (a valid Unicode scalar value) to `out` as UTF-8.
void append_utf8(char32_t cp, std::string& out);

// 1234567.5 -> "1.234.567,5" (Vietnamese) with the given number of decimals.
std::string format_number_vi(double value, int decimals);
// Accepts "1.234,5", "1234,5", "1,234.5", "1234.5", "1234". A single separator followed by
// exactly three digits is ambiguous; it is read as a thousands separator only when
// `vietnamese_first` is true ("1.234" -> 1234).
std::optional<double> parse_number(std::string_view text, bool vietnamese_first = true);

std::string trim(std::string_view s);

}  // namespace nongsan
