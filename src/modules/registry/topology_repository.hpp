// Storage of the parcel topology check: its findings (topology_finding, migration
// 0003) and when each kind of check last ran (topology_check_run, migration 0008).
// Static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "modules/registry/registry_json.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

class TopologyRepository {
 public:
  // Findings of one kind ("" = all), ordered by kind and parcels.
  static std::vector<Finding> findings(storage::Connection& c, const std::string& kind, bool with_geometry);
  // Replaces the findings of `kinds` with `rows` (Finding::id ignored).
  static void replace_findings(storage::Connection& c, const std::vector<std::string>& kinds,
                               const std::vector<Finding>& rows);
  static void record_run(storage::Connection& c, const CheckRun& run);
  static std::vector<CheckRun> runs(storage::Connection& c);
  // The commune of every current parcel by external id (findings name parcels so).
  static std::unordered_map<std::string, std::optional<UnitId>> current_parcel_units(storage::Connection& c);
};

}  // namespace nongsan::registry
