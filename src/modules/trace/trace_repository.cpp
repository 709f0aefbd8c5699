#include "modules/trace/trace_repository.hpp"

namespace nongsan::trace {

using storage::Connection;

namespace {
GtinEntry row_gtin(const storage::Row& r) {
  GtinEntry g;
  g.gtin = r.str("gtin");
  g.crop = r.str("crop");
  g.name_vi = r.str("name_vi");
  g.name_en = r.str("name_en");
  g.illustrative = r.i64("illustrative") != 0;
  g.updated_at = r.str("updated_at");
  return g;
}
constexpr const char* kColumns = "SELECT gtin, crop, name_vi, name_en, illustrative, updated_at FROM trace_gtin ";
}  // namespace

std::vector<GtinEntry> TraceRepository::gtins(Connection& c) {
  std::vector<GtinEntry> out;
  for (const auto& r : c.query(std::string(kColumns) + "ORDER BY crop, gtin").rows) out.push_back(row_gtin(r));
  return out;
}

std::optional<GtinEntry> TraceRepository::gtin(Connection& c, const std::string& gtin14) {
  auto rs = c.query(std::string(kColumns) + "WHERE gtin = ?", {gtin14});
  if (rs.empty()) return std::nullopt;
  return row_gtin(rs.rows.front());
}

void TraceRepository::save_gtin(Connection& c, const GtinEntry& g) {
  c.execute(
      "INSERT INTO trace_gtin (gtin, crop, name_vi, name_en, illustrative, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (gtin) DO UPDATE SET crop = excluded.crop, name_vi = excluded.name_vi, name_en = excluded.name_en, "
      "illustrative = excluded.illustrative, updated_at = excluded.updated_at",
      {g.gtin, g.crop, g.name_vi, g.name_en, std::int64_t{g.illustrative ? 1 : 0}, g.updated_at});
}

bool TraceRepository::delete_gtin(Connection& c, const std::string& gtin14) {
  return c.execute("DELETE FROM trace_gtin WHERE gtin = ?", {gtin14}) > 0;
}

std::string TraceRepository::resolver(Connection& c) {
  auto rs = c.query("SELECT value FROM app_setting WHERE key = ?", {std::string("trace.resolver")});
  return rs.empty() ? std::string() : rs.rows.front().str("value");
}

void TraceRepository::save_resolver(Connection& c, const std::string& base) {
  c.execute("INSERT INTO app_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {std::string("trace.resolver"), base});
}

}  // namespace nongsan::trace
