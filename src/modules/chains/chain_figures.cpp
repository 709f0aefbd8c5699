#include "modules/chains/chain_figures.hpp"

#include <set>

#include "modules/chains/chain_repository.hpp"

namespace nongsan::chains {

std::optional<LinkageMeasure> parse_linkage_measure(std::string_view s) {
  if (s == "linkage_chains") return LinkageMeasure::chains;
  if (s == "linkage_households") return LinkageMeasure::households;
  if (s == "linkage_hectares") return LinkageMeasure::hectares;
  return std::nullopt;
}

std::vector<LinkageFigure> linkage_figures(storage::Connection& c, LinkageMeasure m, const std::string& commodity,
                                           const CivilDate& date) {
  std::vector<LinkageFigure> out;
  std::set<std::int64_t> seen_households, seen_parcels, seen_zones;
  for (const auto& k : ChainRepository::contracts(c)) {  // by code
    if (date < k.start || date > k.end) continue;
    if (!commodity.empty() && k.commodity != commodity) continue;
    switch (m) {
      case LinkageMeasure::chains:
        out.push_back({k.id, k.code, k.unit, 1});
        break;
      case LinkageMeasure::households:
        for (const auto& p : k.participants)
          if (p.kind == "household" && seen_households.insert(p.id).second) out.push_back({k.id, k.code, p.unit, 1});
        break;
      case LinkageMeasure::hectares:
        for (auto pid : k.parcels) {
          if (!seen_parcels.insert(pid).second) continue;
          auto rs = c.query("SELECT unit_id, area_m2 FROM parcel WHERE id = ?", {pid});
          if (rs.empty()) continue;
          const auto& r = rs.rows.front();
          std::optional<UnitId> unit;
          if (auto u = r.opt_i64("unit_id")) unit = UnitId(*u);
          out.push_back({k.id, k.code, unit, r.opt_f64("area_m2").value_or(0) / 10000.0});
        }
        for (auto zid : k.zones) {
          if (!seen_zones.insert(zid).second) continue;
          auto rs = c.query("SELECT unit_id, planned_area_ha FROM zone WHERE id = ?", {zid});
          if (rs.empty()) continue;
          const auto& r = rs.rows.front();
          std::optional<UnitId> unit;
          if (auto u = r.opt_i64("unit_id")) unit = UnitId(*u);
          out.push_back({k.id, k.code, unit, r.opt_f64("planned_area_ha").value_or(0)});
        }
        break;
    }
  }
  return out;
}

}  // namespace nongsan::chains
