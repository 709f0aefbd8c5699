// Evaluating the registry: for a crop (or every crop), the current parcels and the
// zones of the crop's commodity are put on the grid of the profile's reference
// layer, evaluated with the engine, and their exact hectares by class (zonal
// areas, zonal_summary.hpp) stored as a run with the profile version and a hash of
// the data read. Lists the runs.
//
// Permissions: suitability.write to run, suitability.read to list; server paths in
// a run's layer list for administrators only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/raster_folder.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

struct RunOptions {
  std::string crop;     // one crop, or
  bool all_crops = false;
  std::string commune;  // commune code: only its parcels (zones are always all of the commodity)
};

class RunService {
 public:
  RunService(storage::Database& db, admin::AdminService& admin, RasterFolder folder)
      : db_(db), admin_(admin), folder_(std::move(folder)) {}

  Result<nlohmann::json> run(const identity::Actor& a, const RunOptions& o);
  Result<nlohmann::json> runs(const identity::Actor& a, const std::string& crop);

 private:
  struct ShapeCache;  // parcels in a grid's CRS, shared by the crops of one run
  Result<nlohmann::json> run_one(const identity::Actor& a, const std::string& crop, const std::string& commune,
                                 ShapeCache& cache);

  storage::Database& db_;
  admin::AdminService& admin_;
  RasterFolder folder_;
};

}  // namespace nongsan::suitability
