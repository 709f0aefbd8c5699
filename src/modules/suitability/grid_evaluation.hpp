// Evaluates a crop profile over raster layers on one grid, with the engine's block
// kernel (evaluate.hpp): the layers a profile reads are looked up by name among
// the registered raster layers, read onto the grid (warped when they lie on
// another grid or CRS), and evaluated. This file holds no suitability rule.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "geo/grid_warp.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/raster_folder.hpp"
#include "modules/suitability/suitability_records.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

// The registered layers and the folder they must lie in.
struct LayerSet {
  std::vector<RasterLayerRecord> layers;
  RasterFolder folder;
  // The layer's file inside the raster folder; an error naming the layer (not a
  // server path) when its stored path leads outside.
  Result<std::filesystem::path> path_of(const RasterLayerRecord& l) const;
  const RasterLayerRecord* find(const std::string& name) const;
  // A failure to read a layer's file, said with the layer's name and no server path.
  Error layer_error(const RasterLayerRecord& l, const std::filesystem::path& file, Error e) const;
};

struct EvaluatedGrid {
  geo::TargetGrid grid;
  std::vector<std::uint8_t> classes;   // SuitClass codes
  std::vector<std::uint8_t> limiting;  // 1-based factor positions, 0 none
  std::vector<float> index;            // parametric index, NaN with `limiting`
  GridGeometry geometry() const;
};

// The grid the profile is evaluated on: that of the raster of the profile's first
// (non-advisory) factor. Errors name the missing layer.
Result<geo::TargetGrid> reference_grid(const CropProfile& p, const LayerSet& layers);

// Evaluates on `grid`. `nearest_all` reads continuous layers with nearest neighbour
// too (map tiles: each pixel shows the class of the cells under it).
Result<EvaluatedGrid> evaluate_on_grid(const CropProfile& p, const LayerSet& layers, const geo::TargetGrid& grid,
                                       bool nearest_all = false);

// The values of every factor (advisory ones included) at a point given in the
// reference grid's CRS, read from the reference grid's cell that holds it; NaN for
// nodata. nullopt when the point is outside the grid.
struct PointValues {
  std::vector<double> values;  // one per profile factor
  int col = 0, row = 0;
};
Result<std::optional<PointValues>> values_at(const CropProfile& p, const LayerSet& layers, const geo::TargetGrid& ref,
                                             double x, double y);

}  // namespace nongsan::suitability
