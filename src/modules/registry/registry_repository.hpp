// Storage of the registry's records. Takes the caller's connection so writes
// share its transaction. Spatial pre-filters use the backend's index (the
// GeoPackage R-tree or a PostGIS GiST index) by bounding box only; exact spatial
// decisions are made in C++ with GEOS (geo/), so both backends agree.
#pragma once

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "modules/registry/registry_types.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

struct BBox {
  double min_x, min_y, max_x, max_y;
};

struct ProducerQuery {
  std::string q;  // folded name, code, tax code
  std::optional<ProducerKind> kind;
  std::optional<std::unordered_set<UnitId>> units;  // scope or filter
  int page = 1, page_size = 50;
};

// Natural order (natural_sort.hpp): by external id, or by map sheet then parcel number.
enum class ParcelSort { external_id, sheet };

struct ParcelQuery {
  std::optional<std::unordered_set<UnitId>> units;  // scope or commune filter; empty set = nothing
  bool include_unassigned = true;                    // parcels without a unit (only for province-wide roles)
  std::optional<ParcelState> state;
  std::string land_use_code;
  std::string external_id;  // exact match when set
  std::string sheet_no, parcel_no;  // exact match when set
  // Free search: part of the external id (any case), or "sheet/parcel" ("12/345"),
  // or the parcel number.
  std::string q;
  ParcelSort sort = ParcelSort::external_id;
  std::optional<std::unordered_set<std::int64_t>> ids;  // restrict to these parcel ids
  std::optional<BBox> bbox;
  std::optional<CivilDate> valid_on;  // default: current parcels (valid_to IS NULL)
  bool with_geometry = false;
  int page = 1, page_size = 50;  // page_size 0 = all
};

// Conversions with their parcel, for the list and the summary of conversions.
struct ConversionQuery {
  std::optional<CivilDate> from, to;                 // conversion_date, inclusive
  std::optional<FromUse> from_use;
  std::string to_crop;
  std::optional<std::unordered_set<UnitId>> units;  // the parcel's unit: scope and filter; empty set = nothing
  bool include_unassigned = true;                    // parcels without a unit
  int page = 1, page_size = 50;                      // page_size 0 = all
};

// See RegistryRepository::parcel_fingerprint.
struct RegistryFingerprint {
  std::int64_t last_parcel = 0, last_boundary = 0;
  bool operator==(const RegistryFingerprint&) const = default;
};

class RegistryRepository {
 public:
  // Producers
  static ProducerId insert_producer(storage::Connection& c, const Producer& p, const std::string& citizen_hash);
  static void update_producer(storage::Connection& c, const Producer& p, const std::string& citizen_hash);
  static std::optional<Producer> find_producer(storage::Connection& c, ProducerId id);
  // These producers, in one query, by id (ids without a producer are left out).
  static std::unordered_map<std::int64_t, Producer> find_producers(storage::Connection& c,
                                                                  const std::vector<std::int64_t>& ids);
  static std::optional<Producer> find_producer_by_external_id(storage::Connection& c, const std::string& external_id);
  static std::vector<Producer> list_producers(storage::Connection& c, const ProducerQuery& q, std::int64_t* total);
  static std::vector<ProducerId> producers_with_citizen_hash(storage::Connection& c, const std::string& hash);
  static std::string citizen_hash_of(storage::Connection& c, ProducerId id);  // "" when none
  static void add_membership(storage::Connection& c, ProducerId member, ProducerId organisation, const CivilDate& from);
  static std::vector<ProducerId> members_of(storage::Connection& c, ProducerId organisation, const CivilDate& on);
  static std::vector<ProducerId> organisations_of(storage::Connection& c, ProducerId member, const CivilDate& on);

  // Parcels
  static ParcelId insert_parcel(storage::Connection& c, const Parcel& p);
  static void update_parcel(storage::Connection& c, const Parcel& p);  // attributes, not geometry
  // Replaces the geometry, keeping the old one in parcel_geometry_history up to the day before `from`.
  static void replace_geometry(storage::Connection& c, ParcelId id, const storage::Geometry& g, double area_m2,
                               const CivilDate& from);
  static void retire_parcel(storage::Connection& c, ParcelId id, const CivilDate& last_day);
  static std::optional<Parcel> find_parcel(storage::Connection& c, ParcelId id, bool with_geometry);
  static std::optional<Parcel> find_parcel_by_external_id(storage::Connection& c, const std::string& external_id,
                                                          bool with_geometry);
  static std::vector<Parcel> list_parcels(storage::Connection& c, const ParcelQuery& q, std::int64_t* total);
  static std::int64_t count_parcels(storage::Connection& c);
  // The largest parcel id and boundary-history id: moves with every parcel inserted and
  // every boundary replaced (parcel_overlaps.hpp).
  static RegistryFingerprint parcel_fingerprint(storage::Connection& c);
  // Writes the natural sort keys of parcels that lack them (rows older than the
  // keys); returns how many. Cheap when there are none.
  static std::int64_t fill_sort_keys(storage::Connection& c);
  struct GeometryVersion {
    CivilDate valid_from;
    std::optional<CivilDate> valid_to;
    std::optional<double> area_m2;
    storage::Geometry geom;
  };
  static std::vector<GeometryVersion> geometry_history(storage::Connection& c, ParcelId id);
  struct LineageLink {
    ParcelId parent, child;
    std::string event;
    CivilDate date;
  };
  static void add_lineage(storage::Connection& c, const LineageLink& l);
  static std::vector<LineageLink> lineage_of(storage::Connection& c, ParcelId id);  // as parent or child

  // Land rights
  static LandRightId insert_right(storage::Connection& c, const LandRight& r);
  static void end_right(storage::Connection& c, LandRightId id, const CivilDate& last_day);
  static std::optional<LandRight> find_right(storage::Connection& c, LandRightId id);
  static std::vector<LandRight> rights_of_parcel(storage::Connection& c, ParcelId id);
  static std::vector<LandRight> rights_of_producer(storage::Connection& c, ProducerId id);
  // The rights of each of these parcels (a page of the list), in one query: by parcel
  // id, each in the order of rights_of_parcel.
  static std::unordered_map<std::int64_t, std::vector<LandRight>> rights_of_parcels(storage::Connection& c,
                                                                                   const std::vector<std::int64_t>& ids);
  // Every right valid on `date` for the given parcels (for controller lookups in bulk).
  static std::vector<LandRight> rights_on(storage::Connection& c, const CivilDate& date);

  // Zones
  static ZoneId insert_zone(storage::Connection& c, const Zone& z);
  static void update_zone(storage::Connection& c, const Zone& z);  // including geometry
  static std::optional<Zone> find_zone(storage::Connection& c, ZoneId id, bool with_geometry);
  static std::optional<Zone> find_zone_by_code(storage::Connection& c, const std::string& code);
  static std::vector<Zone> list_zones(storage::Connection& c, const std::optional<std::unordered_set<UnitId>>& units,
                                      const std::string& commodity, bool with_geometry);

  // Plantings and conversions
  static PlantingId insert_planting(storage::Connection& c, const Planting& p);
  static void end_planting(storage::Connection& c, PlantingId id, const CivilDate& last_day);
  static std::optional<Planting> find_planting(storage::Connection& c, PlantingId id);
  static std::vector<Planting> plantings_of_parcel(storage::Connection& c, ParcelId id);
  // The plantings of each of these parcels, in one query: by parcel id, each in the
  // order of plantings_of_parcel.
  static std::unordered_map<std::int64_t, std::vector<Planting>> plantings_of_parcels(storage::Connection& c,
                                                                                     const std::vector<std::int64_t>& ids);
  // Plantings active on `date`, optionally of one crop.
  static std::vector<Planting> plantings_on(storage::Connection& c, const CivilDate& date, const std::string& crop);
  static ConversionId insert_conversion(storage::Connection& c, const CropConversion& v);
  static std::vector<CropConversion> conversions(storage::Connection& c, const std::optional<CivilDate>& from,
                                                 const std::optional<CivilDate>& to);
  static std::vector<CropConversion> conversions_of_parcel(storage::Connection& c, ParcelId id);
  // Newest first, then by the parcel's natural order.
  static std::vector<std::pair<CropConversion, Parcel>> list_conversions(storage::Connection& c,
                                                                        const ConversionQuery& q, std::int64_t* total);
};

}  // namespace nongsan::registry
