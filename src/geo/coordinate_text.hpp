// Small text helpers shared by the GDAL readers of this folder (vector_io.cpp,
// layer_crs.cpp): case folding of field names and the reading of a coordinate
// written with a decimal point or a lone Vietnamese decimal comma.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan::geo::text {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "103.25", also "103,25" (the Vietnamese decimal comma) when there is no dot.
inline std::optional<double> parse_decimal(std::string_view text) {
  std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  if (s.find('.') == std::string::npos && std::count(s.begin(), s.end(), ',') == 1)
    std::replace(s.begin(), s.end(), ',', '.');
  double v = 0;
  const char* first = s.data();
  if (*first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace nongsan::geo::text
