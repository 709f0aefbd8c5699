// The land registry for the API and the CLI: producers, parcels with their
// history, land rights, zones with their measures, plantings and conversions.
// Reads and writes are limited to the caller's scope (AccessPolicy for unit
// officers; a producer account sees its own records and its members'), and every
// write is audited in the same transaction.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/registry/registry_repository.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

struct Page {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
};

struct ParcelFilter {
  std::optional<UnitId> commune;
  std::optional<ZoneId> zone;
  std::string crop;  // an active planting of this crop on `as_of`
  std::optional<ProducerId> holder;  // the controller on `as_of`
  std::optional<ParcelState> state;
  std::string land_use_code;
  std::string external_id;  // exact
  std::optional<BBox> bbox;
  std::optional<CivilDate> as_of;
  int page = 1, page_size = 50;
};

struct ParcelPatch {
  std::optional<std::string> sheet_no, parcel_no, land_use_code;
  std::optional<ParcelState> state;
  std::optional<std::optional<double>> official_area_m2;
  std::optional<std::optional<UnitId>> unit;
  std::optional<storage::Geometry> geom;  // a boundary correction; the old one goes to history
  std::optional<CivilDate> effective;     // for a geometry change (default today)
};

struct SplitPart {
  std::string external_id;
  storage::Geometry geom;
};

class RegistryService {
 public:
  RegistryService(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}

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

 private:
  Status require_parcel_access(storage::Connection& c, const identity::Actor& a, const Parcel& p, bool write);
  nlohmann::json parcel_json(storage::Connection& c, const Parcel& p, const CivilDate& as_of, bool detail);
  nlohmann::json producer_json(const Producer& p) const;
  nlohmann::json zone_json(const Zone& z) const;
  nlohmann::json unit_ref(std::optional<UnitId> u) const;

  storage::Database& db_;
  admin::AdminService& admin_;
};

}  // namespace nongsan::registry
