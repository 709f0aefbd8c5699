// Writing grids out: a single-band GeoTIFF (the demo's illustrative rasters) and
// an RGBA PNG (map tiles and the small class images of the suitability pages).
// GDAL stays inside the .cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::geo {

struct GeoTiffSpec {
  double x0 = 0, y0 = 0, dx = 1, dy = -1;  // top-left corner and cell size (dy < 0)
  int width = 0, height = 0;
  int epsg = 0;
  double nodata = -9999;
  std::string description;                    // band description
  std::map<std::string, std::string> metadata;  // dataset metadata items (e.g. ILLUSTRATIVE=yes)
};

// Float32 band (continuous layers) or, with `as_byte`, a Byte band (categorical codes
// 0–255). Deflate-compressed and tiled. Replaces an existing file.
// REQUIRES: values.size() == width * height.
Status write_geotiff(const std::filesystem::path& path, const GeoTiffSpec& spec, const std::vector<float>& values,
                     bool as_byte = false);

// PNG bytes of an RGBA image, rows top-down. REQUIRES: rgba.size() == 4 * width * height.
Result<std::string> encode_png(int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace nongsan::geo
