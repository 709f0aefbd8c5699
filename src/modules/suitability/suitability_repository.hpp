// SQL of the planning side of land suitability, in the subset both backends
// accept. Takes the caller's connection so writes share its transaction.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/suitability/suitability_records.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

class SuitabilityRepository {
 public:
  // Profiles
  static std::vector<ProfileRecord> list_profiles(storage::Connection& c);
  static std::optional<ProfileRecord> find_profile(storage::Connection& c, const std::string& crop);
  // Inserts version 1, or stores the next version; both keep a crop_profile_version row.
  static ProfileRecord save_profile(storage::Connection& c, const ProfileRecord& p, const std::string& note);
  static std::vector<ProfileVersionRecord> profile_versions(storage::Connection& c, const std::string& crop);
  static bool delete_profile(storage::Connection& c, const std::string& crop);

  // Raster layers
  static std::vector<RasterLayerRecord> list_layers(storage::Connection& c);
  static std::optional<RasterLayerRecord> find_layer(storage::Connection& c, const std::string& name);
  static void upsert_layer(storage::Connection& c, const RasterLayerRecord& l);
  static bool delete_layer(storage::Connection& c, const std::string& name);

  // Runs and results. Replaces the crop's rows for the parcels / zones given.
  static std::int64_t insert_run(storage::Connection& c, const RunRecord& r);
  // `replace_all`: the run covered every parcel, so the crop's old rows all go first.
  static void store_parcels(storage::Connection& c, std::int64_t run, const std::string& crop,
                            const std::vector<ParcelResult>& rows, bool replace_all);
  static void store_zones(storage::Connection& c, std::int64_t run, const std::string& crop,
                          const std::vector<ZoneResult>& rows);
  static std::optional<RunRecord> latest_run(storage::Connection& c, const std::string& crop);
  // The stored results of one parcel, one per crop, ordered by crop.
  static std::vector<ParcelCropResult> parcel_results(storage::Connection& c, std::int64_t parcel_id);
  static std::vector<RunRecord> runs(storage::Connection& c, const std::string& crop, int limit);
};

}  // namespace nongsan::suitability

namespace nongsan::suitability {

// Joined rows for summaries and reports.
struct ParcelRow {
  std::int64_t parcel_id = 0;
  std::string external_id;
  std::optional<std::int64_t> unit_id;
  std::string state, land_use_code, crop;
  ClassM2 m2{};
  std::string dominant_class, limiting_factor;
  std::optional<storage::Geometry> geom;
};
struct ZoneRow {
  std::int64_t zone_id = 0;
  std::string code, name, commodity, status;
  std::optional<std::int64_t> unit_id;
  bool illustrative = false;
  std::string crop;
  ClassM2 m2{};
  std::string limiting;
  std::optional<storage::Geometry> geom;
};

class SuitabilityQueries {
 public:
  // Current parcels with a result for `crop` ('' = every crop), optionally limited to
  // parcel states and units.
  static std::vector<ParcelRow> parcels(storage::Connection& c, const std::string& crop,
                                        const std::vector<std::string>& states,
                                        const std::optional<std::unordered_set<UnitId>>& units, bool with_geometry);
  static std::vector<ZoneRow> zones(storage::Connection& c, const std::string& crop,
                                    const std::optional<std::unordered_set<UnitId>>& units, bool with_geometry);
};

}  // namespace nongsan::suitability
