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

<<<<<<< HEAD
  ProducerService& producers() { return producers_; }
  ParcelService& parcels() { return parcels_; }
  LandRightService& rights() { return rights_; }
  ZoneService& zones() { return zones_; }
  PlantingService& plantings() { return plantings_; }
  TopologyService& topology() { return topology_; }
  const RegistrySettings& settings() const { return ctx_.settings; }
=======
  // Producers
  Result<Page> list_producers(const identity::Actor& a, const ProducerQuery& q);
  Result<nlohmann::json> get_producer(const identity::Actor& a, ProducerId id);
  Result<nlohmann::json> create_producer(const identity::Actor& a, Producer p, std::optional<ProducerId> organisation);
  Result<nlohmann::json> update_producer(const identity::Actor& a, ProducerId id, const nlohmann::json& patch);
  Result<std::string> reveal_producer(const identity::Actor& a, ProducerId id, const std::string& field);

  // Parcels
  Result<Page> list_parcels(const identity::Actor& a, const ParcelFilter& f);
  Result<nlohmann::json> get_parcel(const identity::Actor& a, ParcelId id, std::optional<CivilDate> as_of);
  // The check reading one parcel passes (permission, unit scope, a producer's own
  // parcels), for other modules that answer about a parcel; not_found for none.
  Status require_parcel_read(const identity::Actor& a, ParcelId id);
  Result<nlohmann::json> create_parcel(const identity::Actor& a, Parcel p);
  Result<nlohmann::json> update_parcel(const identity::Actor& a, ParcelId id, const ParcelPatch& patch);
  Result<nlohmann::json> split_parcel(const identity::Actor& a, ParcelId id, const CivilDate& date,
                                      const std::vector<SplitPart>& parts);
  Result<nlohmann::json> merge_parcels(const identity::Actor& a, const std::vector<ParcelId>& ids, const CivilDate& date,
                                       const std::string& external_id);
  // GeoJSON of current parcels in a bounding box (max `limit` features), coloured by crop or zone in the UI.
  Result<nlohmann::json> parcel_map(const identity::Actor& a, const ParcelFilter& f, int limit);

  // Land rights
  Result<nlohmann::json> add_right(const identity::Actor& a, LandRight r);
  Result<nlohmann::json> end_right(const identity::Actor& a, LandRightId id, const CivilDate& last_day);

  // Zones
  Result<Page> list_zones(const identity::Actor& a, const std::string& commodity);
  Result<nlohmann::json> get_zone(const identity::Actor& a, ZoneId id, std::optional<CivilDate> as_of);
  Result<nlohmann::json> create_zone(const identity::Actor& a, Zone z);
  Result<nlohmann::json> update_zone(const identity::Actor& a, ZoneId id, const nlohmann::json& patch,
                                     const std::optional<storage::Geometry>& geom);
  Result<nlohmann::json> zone_measures(const identity::Actor& a, ZoneId id, std::optional<CivilDate> as_of);
  Result<nlohmann::json> zone_map(const identity::Actor& a);

  // Plantings and conversions
  Result<nlohmann::json> add_planting(const identity::Actor& a, Planting p);
  Result<nlohmann::json> end_planting(const identity::Actor& a, PlantingId id, const CivilDate& last_day);
  Result<nlohmann::json> add_conversion(const identity::Actor& a, CropConversion v);
  // Hectares converted by kind of former use, crop and commune, within scope.
  Result<nlohmann::json> conversion_summary(const identity::Actor& a, std::optional<CivilDate> from,
                                            std::optional<CivilDate> to);

  // Topology findings of the last `nongsan check parcels`, for parcels in scope.
  Result<Page> topology_findings(const identity::Actor& a, const std::string& kind, int page, int page_size);
  Result<nlohmann::json> topology_map(const identity::Actor& a, const std::string& kind, int limit);

  // Scope: nullopt = the whole province.
  struct Scope {
    std::optional<std::unordered_set<UnitId>> units;
    std::optional<std::unordered_set<std::int64_t>> producers;  // producer accounts only
  };
  Scope scope_of(const identity::Actor& a);
>>>>>>> geo

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
