// Raster input and output for grid computations (land suitability): GDAL stays in
// raster_io.cpp. A RasterSession puts every input layer on one target grid (the grid
// of the first layer) — as is, or through a GDAL warped VRT (nearest or bilinear,
// like gdalwarp with -te/-ts of the target) — derives slope and aspect with GDAL's
// DEM processing, and removes its temporary files when it ends. Each worker thread
// opens its own LayerReader (GDAL datasets are not thread-safe) and reads windows.
// RasterWriter makes a tiled, compressed GeoTIFF on the target grid; its write() may
// be called from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace nongsan::geo {

struct RasterGrid {
  int width = 0, height = 0;
  std::array<double, 6> geotransform{0, 1, 0, 0, 0, -1};  // GDAL order
  std::string crs_wkt;                                       // empty: no CRS
  std::string crs_name;                                      // e.g. "EPSG:9205" or the CRS name, for messages
  bool geographic = false;
  // Area of one cell in m² when the CRS is projected with a linear unit.
  std::optional<double> cell_area_m2;
};

// What a raster file holds (band 1).
struct RasterInfo {
  std::string path;
  RasterGrid grid;
  std::string data_type;  // GDAL's name, e.g. "Float32"
  int bands = 0;
  std::optional<double> nodata;
};
Result<RasterInfo> inspect_raster(const std::string& path);

// The value of band 1 of `path` in the cell that holds the point (lon, lat) in WGS 84
// (x = longitude); nullopt when the point is outside the raster or the cell is
// nodata (nodata value, NaN or masked). Errors: unreadable raster, no CRS.
Result<std::optional<double>> sample_raster(const std::string& path, double lon, double lat);

enum class Resampling { nearest, bilinear };
enum class DemProduct { slope, aspect };

// One layer on the target grid, ready to be opened by each thread.
struct GridLayer {
  std::string name;
  std::string source_path;  // the file given
  std::string grid_path;    // what the readers open: the file, a warped VRT or a derived raster
  bool warped = false;
  bool derived = false;
  bool is_double = false;   // read as float64 (Int32, UInt32, Float64, 64-bit types), else float32 (exact)
  std::optional<double> nodata;
  bool read_mask = false;   // validity comes from a mask or alpha band, not a nodata value
  int alpha_band = 0;       // > 0: this band of grid_path is the alpha (0 = not covered)
};

class RasterSession {
 public:
  RasterSession();
  ~RasterSession();
  RasterSession(const RasterSession&) = delete;
  RasterSession& operator=(const RasterSession&) = delete;

  // The layer `name` from `path` on `grid` (the grid of the first layer). Errors name
  // the layer and the file: unreadable, no CRS while the grid has one, rotated grid.
  Result<GridLayer> prepare(const std::string& name, const std::string& path, const RasterGrid& grid,
                            Resampling resampling);
  // Slope in degrees or aspect (0–360°, flat cells nodata) of the elevation layer, by
  // GDAL's DEM processing (Horn, defaults of gdaldem; a geographic DEM gets the scale
  // 111120 m per degree) on the elevation raster's own grid, then put on `grid`
  // (bilinear). Written to a temporary GeoTIFF in `temp_dir`.
  Result<GridLayer> derive(DemProduct product, const std::string& name, const std::string& elevation_path,
                           const RasterGrid& grid, const std::string& temp_dir);

 private:
  std::vector<std::string> vsimem_;  // warped VRTs
  std::vector<std::string> temp_files_;
  int serial_ = 0;
};

class LayerReader {
 public:
  static Result<std::unique_ptr<LayerReader>> open(const GridLayer& layer);
  ~LayerReader();
  LayerReader(const LayerReader&) = delete;
  LayerReader& operator=(const LayerReader&) = delete;
  // Reads the window into `buffer` (float or double as layer.is_double), w*h values,
  // rows top to bottom. Cells the mask marks invalid become NaN.
  Status read(int x0, int y0, int w, int h, void* buffer);

 private:
  LayerReader() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

enum class RasterType { byte, float32 };

struct WriterOptions {
  RasterType type = RasterType::byte;
  std::optional<double> nodata;
  // Default: TILED=YES, 256×256 blocks, COMPRESS=DEFLATE with ZLEVEL=1, PREDICTOR (2
  // for Byte, 3 for Float32), BIGTIFF=IF_SAFER, NUM_THREADS=<threads>. Given options
  // override.
  std::vector<std::string> creation_options;
  int threads = 1;
  // Byte rasters: a colour table and category names (index -> (name, rgb)).
  std::vector<std::pair<std::string, std::array<uint8_t, 3>>> categories;
  std::string description;
};

class RasterWriter {
 public:
  static Result<std::unique_ptr<RasterWriter>> create(const std::string& path, const RasterGrid& grid,
                                                      const WriterOptions& options);
  ~RasterWriter();
  RasterWriter(const RasterWriter&) = delete;
  RasterWriter& operator=(const RasterWriter&) = delete;
  // Thread-safe. `buffer` holds w*h values of the writer's type.
  Status write(int x0, int y0, int w, int h, const void* buffer);
  // Flushes and closes; reports a write failure (disk full...).
  Status close();

 private:
  RasterWriter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::geo
