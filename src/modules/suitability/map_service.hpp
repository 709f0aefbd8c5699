// The class map of a crop: 256-pixel PNG tiles in EPSG:3857 (cached), the click on
// a point (each factor's value, class and rating, the class, the limiting factor
// and the index), re-evaluating a bbox, zone or commune with an unsaved profile
// (hectares by class and a class image), and the map's extent and layers. The rules
// are the engine's (evaluate.hpp).
//
// Permissions: suitability.read. Errors name layers, never server paths.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/raster_folder.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

// An area for evaluate_area: one of these.
struct AreaSpec {
  std::optional<std::array<double, 4>> bbox;  // lon/lat: min_lon, min_lat, max_lon, max_lat
  std::string zone;                           // zone code
  std::string commune;                        // commune code
};

class MapService {
 public:
  MapService(storage::Database& db, admin::AdminService& admin, RasterFolder folder)
      : db_(db), admin_(admin), folder_(std::move(folder)) {}

  Result<std::string> tile_png(const identity::Actor& a, const std::string& crop, int z, int x, int y);
  Result<nlohmann::json> point(const identity::Actor& a, const std::string& crop, double lon, double lat);
  Result<nlohmann::json> evaluate_area(const identity::Actor& a, const nlohmann::json& profile, const AreaSpec& area);
  // Extent of the crop's reference grid in lon/lat, and the layers used (for the legend).
  Result<nlohmann::json> map_info(const identity::Actor& a, const std::string& crop);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
  RasterFolder folder_;
  std::mutex cache_mutex_;
  std::map<std::string, std::string> tile_cache_;  // key -> PNG
  std::vector<std::string> tile_order_;
};

}  // namespace nongsan::suitability
