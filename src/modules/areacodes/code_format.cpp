#include "modules/areacodes/code_format.hpp"

#include <cstdio>
#include <vector>

namespace nongsan::areacodes {

namespace {
bool digits(std::string_view s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}
}  // namespace

std::optional<std::string> domestic_code(const DomesticParts& p) {
  if (!digits(p.province, 2, 2) || !digits(p.district, 3, 3) || !digits(p.commune, 5, 5)) return std::nullopt;
  if (p.number < 1 || p.number > 99999 || p.year < 1900) return std::nullopt;
  char buf[96];
  std::snprintf(buf, sizeof buf, "VN-%s-%s-%s-%03d-%02d", p.province.c_str(), p.district.c_str(), p.commune.c_str(),
                p.number, p.year % 100);
  return std::string(buf);
}

std::optional<DomesticParts> parse_domestic_code(std::string_view text) {
  auto parts = split(text, '-');
  if (parts.size() != 6 || parts[0] != "VN") return std::nullopt;
  if (!digits(parts[1], 2, 2) || !digits(parts[2], 3, 3) || !digits(parts[3], 5, 5) || !digits(parts[4], 3, 5) ||
      !digits(parts[5], 2, 2))
    return std::nullopt;
  DomesticParts p;
  p.province = std::string(parts[1]);
  p.district = std::string(parts[2]);
  p.commune = std::string(parts[3]);
  p.number = std::stoi(std::string(parts[4]));
  p.year = 2000 + std::stoi(std::string(parts[5]));
  if (p.number < 1) return std::nullopt;
  return p;
}

bool is_export_code(std::string_view text, CodeKind kind) {
  auto parts = split(text, '-');
  if (parts.size() != 3 || parts[0] != "VN") return false;
  if (parts[1] != (kind == CodeKind::area ? "DTOR" : "DTPH")) return false;
  return digits(parts[2], 4, 8);
}

std::optional<CodeScheme> scheme_of(std::string_view text, CodeKind kind) {
  if (is_export_code(text, kind)) return CodeScheme::export_;
  if (parse_domestic_code(text)) return CodeScheme::domestic;
  return std::nullopt;
}

}  // namespace nongsan::areacodes
