// Evaluates a crop profile over raster layers and writes GeoTIFFs: the engine of
// `nongsan suitability evaluate` (no database). The output grid is the grid of the
// first layer; other layers are warped onto it (nearest for categorical factors,
// bilinear for continuous ones); slope and aspect are derived from `elevation` when
// the profile needs them and no such layer is given. Work goes window by window
// (256 rows) over a pool of threads, each with its own readers, so memory stays
// bounded whatever the raster size.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/evaluate.hpp"

namespace nongsan::suitability {

struct LayerSource {
  std::string name;  // the profile's layer name
  std::string path;  // any raster GDAL reads (band 1)
};

struct EvaluateRequest {
  CropProfile profile;
  std::optional<Method> method;     // overrides profile.method
  std::vector<LayerSource> layers;  // the first one sets the output grid
  std::string class_path;           // Byte: 1=S1, 2=S2, 3=S3, 4=N, 0=nodata (required)
  std::string limiting_path;        // Byte: 1-based factor position, 0 none/nodata (optional)
  std::string index_path;           // Float32 index, NaN nodata (optional; NaN everywhere with `limiting`)
  int threads = 0;                  // 0: every core
  std::vector<std::string> creation_options;  // GeoTIFF KEY=VALUE, override the defaults
  std::string temp_dir;             // for derived slope/aspect; default: the system's temp dir
  // Called with the fraction done (0..1), from one thread at a time.
  std::function<void(double)> progress;
};

struct EvaluateSummary {
  Method method = Method::limiting;
  int width = 0, height = 0;
  std::string crs;                     // e.g. "EPSG:9205"
  std::optional<double> cell_area_m2;  // when the grid's CRS is projected
  std::array<std::uint64_t, 5> class_cells{};  // by class code: [0] nodata, [1] S1 ... [4] N
  std::vector<std::uint64_t> limiting_cells;   // by position: [0] none or nodata, [i] factor i
  std::vector<std::string> notes;              // warped and derived layers, unused layers
  double seconds = 0;
};

Result<EvaluateSummary> evaluate_rasters(const EvaluateRequest& request);

// What the UI shows on a click: every factor's value, class and rating and the
// overall result at the point (lon, lat) in WGS 84, read from each layer's own cell
// (no resampling). Layers of advisory factors may be missing; slope and aspect are
// not derived here (give them as layers). `values` are NaN where nodata.
struct PointEvaluation {
  CellEvaluation result;
  std::vector<double> values;  // one per profile factor
};
Result<PointEvaluation> evaluate_point(const CropProfile& profile, std::optional<Method> method,
                                       const std::vector<LayerSource>& layers, double lon, double lat);

}  // namespace nongsan::suitability
