// The land registry for the API and the CLI, one service per aggregate:
// producers, parcels, land rights, zones, plantings and conversions, and the
// topology check. They share one RegistryContext (database, unit hierarchy, job
// runner, settings); every call checks the permission, builds the caller's
// RecordScope (registry_scope.hpp: the one place scope is decided), validates,
// and writes inside Database::write with its audit row. JSON is shaped in
// registry_json.hpp, SQL lives in registry_repository.hpp and
// topology_repository.hpp. See README.md.
#pragma once

#include <memory>

#include "modules/registry/land_right_service.hpp"
#include "modules/registry/parcel_service.hpp"
#include "modules/registry/planting_service.hpp"
#include "modules/registry/producer_service.hpp"
#include "modules/registry/topology_service.hpp"
#include "modules/registry/zone_service.hpp"

namespace nongsan::registry {

class RegistryService {
 public:
  RegistryService(storage::Database& db, admin::AdminService& admin, jobs::JobService& jobs, RegistrySettings settings)
      : ctx_{db, admin, jobs, std::move(settings)},
        producers_(ctx_),
        parcels_(ctx_),
        rights_(ctx_),
        zones_(ctx_),
        plantings_(ctx_),
        topology_(ctx_) {}
  RegistryService(const RegistryService&) = delete;
  RegistryService& operator=(const RegistryService&) = delete;

  ProducerService& producers() { return producers_; }
  ParcelService& parcels() { return parcels_; }
  LandRightService& rights() { return rights_; }
  ZoneService& zones() { return zones_; }
  PlantingService& plantings() { return plantings_; }
  TopologyService& topology() { return topology_; }
  const RegistrySettings& settings() const { return ctx_.settings; }
  ParcelOverlaps& overlaps() { return *ctx_.overlaps; }  // the live overlap index (parcel_overlaps.hpp)
  ParcelPageMarksCache& page_marks() { return *ctx_.page_marks; }  // the lists' page marks (parcel_page_marks.hpp)

 private:
  RegistryContext ctx_;
  ProducerService producers_;
  ParcelService parcels_;
  LandRightService rights_;
  ZoneService zones_;
  PlantingService plantings_;
  TopologyService topology_;
};

}  // namespace nongsan::registry
