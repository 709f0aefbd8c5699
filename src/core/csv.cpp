#include "core/csv.hpp"

namespace nongsan::csv {

std::string field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + field(fields[i]);
  return out + "\r\n";
}

std::string table(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel reads the file as UTF-8
  out += row(columns);
  for (const auto& r : rows) out += row(r);
  return out;
}

}  // namespace nongsan::csv
