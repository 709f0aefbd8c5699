// SQL of the area-code module (tables of migration 0015_area_codes): codes and
// applications, their parcels, life-cycle steps, seasons, the findings an officer
// decided on, and the registry facts the checks read. Static functions over
// storage::Connection&; no rules, no permissions. Depends on storage and the
// module's types.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "modules/areacodes/area_code_types.hpp"
#include "modules/areacodes/code_health.hpp"
#include "storage/database.hpp"

namespace nongsan::areacodes {

struct HolderRef {
  std::int64_t id = 0;
  std::string external_id, name, kind;
  std::optional<std::int64_t> unit;
};
struct ParcelRef {
  std::int64_t id = 0;
  std::string external_id;
  std::optional<std::int64_t> unit;
  double area_m2 = 0;
  bool in_force = true;
};

struct CodeFilter {
  std::optional<std::unordered_set<std::int64_t>> units;  // nullopt: every unit
  bool include_unassigned = true;
  std::optional<CodeStatus> status;
  std::optional<CodeKind> kind;
  std::string crop, q;
  std::optional<std::int64_t> unit;  // only this commune
  int page = 1, page_size = 50;
};

class AreaCodeRepository {
 public:
  static std::optional<HolderRef> holder(storage::Connection& c, const std::string& external_id);
  static std::optional<HolderRef> holder(storage::Connection& c, std::int64_t id);
  static std::optional<ParcelRef> parcel(storage::Connection& c, const std::string& external_id);

  static std::optional<AreaCode> find(storage::Connection& c, std::int64_t id);
  static std::optional<AreaCode> find_by_code(storage::Connection& c, const std::string& code);
  static std::vector<AreaCode> list(storage::Connection& c, const CodeFilter& f, std::int64_t* total);
  // Every code that is issued or suspended, ordered by code (the checks).
  static std::vector<AreaCode> live(storage::Connection& c);
  static std::int64_t insert(storage::Connection& c, const AreaCode& a);
  // Everything but the id and the creation time; the parcels are replaced.
  static void update(storage::Connection& c, const AreaCode& a);

  static std::vector<CodeStep> steps(storage::Connection& c, std::int64_t code_id);
  static std::int64_t insert_step(storage::Connection& c, std::int64_t code_id, const CodeStep& s);

  static std::vector<Season> seasons(storage::Connection& c, std::int64_t code_id);
  static std::optional<Season> season(storage::Connection& c, std::int64_t code_id, const std::string& season);
  static void save_season(storage::Connection& c, std::int64_t code_id, const Season& s);

  // The computed VN-2000 area (ha) of the code's parcels in force on `date`.
  static double registry_area_ha(storage::Connection& c, std::int64_t code_id, const CivilDate& date);
  // The parcels' boundaries (GeoJSON in WGS 84 is made by the caller) with their ids.
  struct ParcelShape {
    std::int64_t id = 0;
    std::string external_id;
    double area_m2 = 0;
    std::optional<storage::Geometry> geometry;
  };
  static std::vector<ParcelShape> parcel_shapes(storage::Connection& c, std::int64_t code_id);

  static bool decided(storage::Connection& c, std::int64_t code_id, const std::string& finding, const std::string& season);
  static void mark_decided(storage::Connection& c, std::int64_t code_id, const std::string& finding,
                           const std::string& season, std::int64_t step_id);

  // The highest production unit number already used by domestic codes beginning with `prefix`.
  static int last_number(storage::Connection& c, const std::string& prefix);

  // Parcels in force planted with `crop` now, in the commune of zone `zone_code`, with
  // the producer holding a current right on each (what a holder could put under a
  // code; the demo builds its codes from it). Ordered by holder, then external id.
  struct Candidate {
    std::string parcel, holder;
    double area_m2 = 0;
  };
  static std::vector<Candidate> planted_parcels(storage::Connection& c, const std::string& crop,
                                                const std::string& zone_code);

  // Settings that override the crop table's defaults (app_setting, keys codes.*).
  static HealthSettings settings(storage::Connection& c, const HealthSettings& defaults);
};

}  // namespace nongsan::areacodes
