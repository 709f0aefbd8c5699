// Parcels: list and search (natural order), read on a date with holders, crops,
// zones, land-use names and history, register, change (a new boundary keeps the
// old one), split, merge, and the map layer. Scope through RecordScope; every
// boundary and commune written obeys parcel_placement (docs/rules.md §5); every
// date written or asked for lies within the plausible range.
#pragma once

#include "core/result.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

struct ParcelFilter {
  std::optional<UnitId> commune;
  std::optional<ZoneId> zone;
  std::string crop;  // an active planting of this crop on `as_of`
  std::optional<ProducerId> holder;  // the controller on `as_of`
  std::optional<ParcelState> state;
  std::string land_use_code;
  std::string external_id;  // exact
  std::string sheet_no, parcel_no;  // exact
  std::string q;  // free search: part of the external id, "sheet/parcel", or the parcel number
  ParcelSort sort = ParcelSort::external_id;
  std::optional<BBox> bbox;
  std::optional<CivilDate> as_of;
  int page = 1, page_size = 50;  // page_size 0 = all
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

class ParcelService {
 public:
  explicit ParcelService(RegistryContext& ctx) : ctx_(ctx) {}

  // Ids in the filters (commune, zone, holder) outside the scope match nothing.
  Result<Page> list(const identity::Actor& a, const ParcelFilter& f);
  // With rights, plantings, conversions, boundary history, lineage and the zones
  // (in scope) it lies in with the share of the parcel in each.
  Result<nlohmann::json> get(const identity::Actor& a, ParcelId id, std::optional<CivilDate> as_of);
  // The check reading one parcel passes (permission and RecordScope), for other modules
  // that answer about a parcel; not_found, as for a parcel that does not exist, otherwise.
  Status require_read(const identity::Actor& a, ParcelId id);
  Result<nlohmann::json> create(const identity::Actor& a, Parcel p);
  Result<nlohmann::json> update(const identity::Actor& a, ParcelId id, const ParcelPatch& patch);
  Result<nlohmann::json> split(const identity::Actor& a, ParcelId id, const CivilDate& date,
                               const std::vector<SplitPart>& parts);
  Result<nlohmann::json> merge(const identity::Actor& a, const std::vector<ParcelId>& ids, const CivilDate& date,
                               const std::string& external_id);
  // GeoJSON of the parcels of `f` (max `limit` features), with crop, zone and holder.
  Result<nlohmann::json> map(const identity::Actor& a, const ParcelFilter& f, int limit);

 private:
  nlohmann::json overlap_warnings(const identity::Actor& a, const storage::Geometry& geom, const std::string& self);

  RegistryContext& ctx_;
};

// The controller and the crops of a parcel on a date (for list items).
ParcelFacts parcel_facts(storage::Connection& c, const Parcel& p, const CivilDate& as_of);

// A polygonal WGS 84 boundary as a valid MultiPolygon, or the field's problems.
Result<storage::Geometry> polygon_geometry(const storage::Geometry& g, const std::string& field);

}  // namespace nongsan::registry
