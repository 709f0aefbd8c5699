#include "modules/chains/supply.hpp"

#include <set>

namespace nongsan::chains {

std::vector<SupplyRow> capacity_against_supply(const std::vector<FacilityRecord>& facilities,
                                               const std::vector<ZoneSupply>& zones,
                                               const std::map<std::string, YieldEntry>& yields) {
  std::map<std::string, SupplyRow> rows;
  std::map<std::int64_t, const ZoneSupply*> zone_by_id;
  for (const auto& z : zones) zone_by_id[z.id] = &z;
  std::map<std::string, std::set<std::int64_t>> drawn;  // commodity → zones drawn on
  for (const auto& f : facilities) {
    std::set<std::string> commodities;
    for (const auto& k : f.capacities) {
      SupplyRow& r = rows[k.commodity];
      r.commodity = k.commodity;
      r.capacity_t += k.capacity_t_per_season;
      if (commodities.insert(k.commodity).second) r.facilities.push_back(f.code);
    }
    // A facility draws on its zones for the commodities it processes that the zone grows.
    for (auto zid : f.zones)
      if (auto it = zone_by_id.find(zid); it != zone_by_id.end() && commodities.count(it->second->commodity))
        drawn[it->second->commodity].insert(zid);
  }
  for (const auto& z : zones) {
    if (!rows.count(z.commodity)) continue;  // only commodities some facility processes
    SupplyRow& r = rows[z.commodity];
    auto y = yields.find(z.commodity);
    if (y == yields.end()) continue;
    const double out = z.area_ha * y->second.t_per_ha;
    r.zones_supply_t += out;
    if (drawn[z.commodity].count(z.id)) {
      r.drawn_supply_t += out;
      r.zones.push_back(z.code);
    }
  }
  std::vector<SupplyRow> out;
  for (auto& [commodity, r] : rows) {
    auto y = yields.find(commodity);
    if (y == yields.end()) {
      r.status = "no_yield";
    } else {
      r.t_per_ha = y->second.t_per_ha;
      r.yield_illustrative = y->second.illustrative;
      r.balance_t = r.drawn_supply_t - r.capacity_t;
      r.status = r.balance_t < 0 ? "shortfall" : r.balance_t > 0 ? "surplus" : "balanced";
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace nongsan::chains
