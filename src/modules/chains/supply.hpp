// Processing capacity set against the raw material the zones are expected to give in a
// season (docs/chains.md §"Capacity against supply"): per commodity, the facilities'
// capacity, the expected output of the zones they draw on (area × the yield table) and
// of every zone of the commodity, and the balance — shortfall when the capacity exceeds
// the supply it draws on, surplus when the supply exceeds the capacity. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "modules/chains/chain_records.hpp"

namespace nongsan::chains {

struct YieldEntry {
  double t_per_ha = 0;
  std::string source;
  bool illustrative = true;
};

struct SupplyRow {
  std::string commodity;
  double capacity_t = 0;       // sum of the facilities' capacity for the commodity, per season
  double drawn_supply_t = 0;   // expected output of the zones the facilities draw on
  double zones_supply_t = 0;   // expected output of every zone of the commodity
  double balance_t = 0;        // drawn_supply_t − capacity_t
  std::string status;          // shortfall, surplus, balanced, no_yield (no yield figure)
  double t_per_ha = 0;
  bool yield_illustrative = true;
  std::vector<std::string> facilities, zones;  // codes behind the figures
};

std::vector<SupplyRow> capacity_against_supply(const std::vector<FacilityRecord>& facilities,
                                               const std::vector<ZoneSupply>& zones,
                                               const std::map<std::string, YieldEntry>& yields);

}  // namespace nongsan::chains
