// Concentrated production zones: list, read with measures, create, change, and the
// map layer. Scope through RecordScope (a zone belongs to the scope of its unit;
// a zone without one is a province record). The measures are computed from the
// parcels, plantings and rights on a date, never typed in.
#pragma once

#include "core/result.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

class ZoneService {
 public:
  explicit ZoneService(RegistryContext& ctx) : ctx_(ctx) {}

  Result<Page> list(const identity::Actor& a, const std::string& commodity);
  Result<nlohmann::json> get(const identity::Actor& a, ZoneId id, std::optional<CivilDate> as_of);
  Result<nlohmann::json> create(const identity::Actor& a, Zone z);
  Result<nlohmann::json> update(const identity::Actor& a, ZoneId id, const nlohmann::json& patch,
                                const std::optional<storage::Geometry>& geom);
  // Planted area, share of plan, producers, parcel sizes and the largest contiguous block.
  Result<nlohmann::json> measures(const identity::Actor& a, ZoneId id, std::optional<CivilDate> as_of);
  Result<nlohmann::json> map(const identity::Actor& a);

 private:
  RegistryContext& ctx_;
};

}  // namespace nongsan::registry
