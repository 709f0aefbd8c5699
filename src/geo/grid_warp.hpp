// Reading raster layers onto a common grid for land suitability: the grid of the
// first layer (zonal areas, clicks), a web-map tile in EPSG:3857, or a small grid
// over an area being re-evaluated. Layers on other grids or CRSs are warped with
// GDAL (nearest neighbour for categorical codes, bilinear for continuous values);
// a layer already on the target grid is read as it is. GDAL stays in the .cpp.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::geo {

struct TargetGrid {
  std::string crs_wkt;                 // or empty with `epsg`
  int epsg = 0;
  std::array<double, 6> gt{0, 1, 0, 0, 0, -1};  // GDAL geotransform, north-up
  int width = 0, height = 0;
};

struct GridFileInfo {
  TargetGrid grid;                      // the file's own grid
  std::optional<double> nodata;
  bool integer = false;                 // integer sample type (categorical codes)
  int bands = 0;
  std::map<std::string, std::string> metadata;
};

// Opens the file and describes its first band. Errors name the file: unreadable,
// not a raster, no geotransform, rotated, no CRS.
Result<GridFileInfo> raster_info(const std::filesystem::path& path);

// Band 1 of `path` on `grid`, row-major; cells outside the file or holding its
// nodata value are NaN.
Result<std::vector<float>> read_on_grid(const std::filesystem::path& path, const TargetGrid& grid, bool nearest);

// The grid `grid` cut to the cells that cover [min_x, max_x] × [min_y, max_y] (in
// the grid's CRS), aligned to its cells; nullopt when they do not meet.
std::optional<TargetGrid> window(const TargetGrid& grid, double min_x, double min_y, double max_x, double max_y);

// Transforms points between CRSs given as EPSG codes or WKT (x = easting/longitude).
Result<std::vector<std::array<double, 2>>> transform_points(const std::vector<std::array<double, 2>>& pts,
                                                            const TargetGrid& from, const TargetGrid& to);
// Transforms a WKB geometry (SRID `srid`) into the CRS of `to`; WKB out.
Result<std::vector<std::uint8_t>> transform_wkb(const std::vector<std::uint8_t>& wkb, int srid, const TargetGrid& to);
// The same for many geometries with one transformation; an empty result marks a
// geometry that could not be read or transformed.
Result<std::vector<std::vector<std::uint8_t>>> transform_wkbs(const std::vector<const std::vector<std::uint8_t>*>& wkbs,
                                                              int srid, const TargetGrid& to);

}  // namespace nongsan::geo
