// The planning side of land suitability (issue 5): crop profiles stored and
// edited with history, raster layers registered, the registry's parcels and zones
// evaluated (hectares by class), unit summaries, the two planning reports, and the
// map: class tiles, the click on a point, and re-evaluating an area with an unsaved
// profile. The rules themselves are the engine's (evaluate.hpp); this service only
// reads, stores and sums.
//
// Permissions: suitability.read for every signed-in role; suitability.write
// (profiles, layers, runs) for the province officer and the admin — the planners.
// Reads are not limited by unit: suitability is land information, not records of
// people; reports list parcels by external id only.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/suitability_records.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

struct CropProfile;

struct LayerInput {
  std::string name, path, kind, unit, description, source, derived_from;
  std::map<std::string, std::string> codes;
  std::optional<bool> illustrative;  // default: the file's ILLUSTRATIVE metadata
};

struct RunOptions {
  std::string crop;     // one crop, or
  bool all_crops = false;
  std::string commune;  // commune code: only its parcels (zones are always all of the commodity)
};

// An area for evaluate_area: one of these.
struct AreaSpec {
  std::optional<std::array<double, 4>> bbox;  // lon/lat: min_lon, min_lat, max_lon, max_lat
  std::string zone;                           // zone code
  std::string commune;                        // commune code
};

struct TableOut {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::optional<storage::Geometry>> geometries;  // per row, for GeoPackage
};
std::string to_csv(const TableOut& t);
// Writes the table as one GeoPackage layer (table_gpkg.cpp).
Status write_gpkg(const TableOut& t, const std::string& path, const std::string& layer);

class SuitabilityService {
 public:
  SuitabilityService(storage::Database& db, admin::AdminService& admin, std::filesystem::path raster_dir)
      : db_(db), admin_(admin), raster_dir_(std::move(raster_dir)) {}

  const std::filesystem::path& raster_dir() const { return raster_dir_; }

  // Profiles
  Result<nlohmann::json> list_profiles(const identity::Actor& a);
  Result<nlohmann::json> get_profile(const identity::Actor& a, const std::string& crop);
  Result<nlohmann::json> profile_history(const identity::Actor& a, const std::string& crop);
  // One profile object or an array; all or nothing; each saved profile gets a new version.
  Result<nlohmann::json> import_profiles(const identity::Actor& a, const nlohmann::json& doc, const std::string& note);
  // Saves `doc` as the profile of `crop` (creating it when `create`).
  Result<nlohmann::json> save_profile(const identity::Actor& a, const std::string& crop, const nlohmann::json& doc,
                                      const std::string& note, bool create);
  Status delete_profile(const identity::Actor& a, const std::string& crop);
  Result<nlohmann::json> export_profiles(const identity::Actor& a);

  // Raster layers
  Result<nlohmann::json> list_layers(const identity::Actor& a);
  Result<nlohmann::json> register_layer(const identity::Actor& a, const LayerInput& in);
  Status delete_layer(const identity::Actor& a, const std::string& name);

  // Evaluating the registry
  Result<nlohmann::json> run(const identity::Actor& a, const RunOptions& o);
  Result<nlohmann::json> runs(const identity::Actor& a, const std::string& crop);
  Result<TableOut> parcel_table(const identity::Actor& a, const std::string& crop, const std::string& commune);
  Result<TableOut> zone_table(const identity::Actor& a, const std::string& crop);
  Result<TableOut> unit_table(const identity::Actor& a, const std::string& crop);

  // Planning reports
  Result<TableOut> zone_report(const identity::Actor& a, const std::string& crop, double min_share);
  struct CandidateReport {
    TableOut parcels;  // parcel, commune, crop, class, hectares
    TableOut totals;   // commune, crop, hectares, parcels
  };
  Result<CandidateReport> candidate_land(const identity::Actor& a, const std::vector<int>& classes);

  // Map
  Result<std::string> tile_png(const identity::Actor& a, const std::string& crop, int z, int x, int y);
  Result<nlohmann::json> point(const identity::Actor& a, const std::string& crop, double lon, double lat);
  Result<nlohmann::json> evaluate_area(const identity::Actor& a, const nlohmann::json& profile, const AreaSpec& area);
  // Extent of the crop's reference grid in lon/lat, and the layers used (for the legend).
  Result<nlohmann::json> map_info(const identity::Actor& a, const std::string& crop);

  // Commodity code a profile plans for (zone.commodity): the profile's own
  // "commodity" key, else "rice" for rice_paddy, else the crop code.
  static std::string commodity_of(const CropProfile& p);

 private:
  struct Loaded;
  struct ShapeCache;  // parcels in a grid's CRS, shared by the crops of one run
  Result<Loaded> load(const std::string& crop);
  Result<nlohmann::json> run_one(const identity::Actor& a, const std::string& crop, const std::string& commune,
                                 ShapeCache& cache);

  storage::Database& db_;
  admin::AdminService& admin_;
  std::filesystem::path raster_dir_;
  std::mutex cache_mutex_;
  std::map<std::string, std::string> tile_cache_;  // key -> PNG
  std::vector<std::string> tile_order_;
};

}  // namespace nongsan::suitability
