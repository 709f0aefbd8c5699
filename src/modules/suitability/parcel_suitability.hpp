// One parcel's suitability, for the parcel page: for every crop evaluated, the
// dominant class, the limiting factor and the hectares by class, with the run
// (profile version, time) that gave them. Reading it needs exactly what reading the
// parcel needs (registry::ParcelService::require_read: permission, unit
// scope, a producer's own parcels), so no id reaches a parcel its caller may not
// see.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/identity/actor.hpp"
#include "modules/registry/registry_service.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

class ParcelSuitabilityService {
 public:
  ParcelSuitabilityService(storage::Database& db, registry::RegistryService& registry)
      : db_(db), registry_(registry) {}

  // {"parcel_id", "items": [{"crop", "name_vi", "name_en", "dominant_class",
  //  "limiting_factor", "hectares": {S1, S2, S3, N, nodata}, "total_ha", "run_id",
  //  "profile_version", "run_at"}]}; items is empty when no run has covered the parcel.
  Result<nlohmann::json> of_parcel(const identity::Actor& a, registry::ParcelId id);

 private:
  storage::Database& db_;
  registry::RegistryService& registry_;
};

}  // namespace nongsan::suitability
