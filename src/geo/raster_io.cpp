#include "geo/raster_io.hpp"

#include "geo/gdal_errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <unistd.h>

namespace nongsan::geo {
namespace {

struct DatasetCloser {
  void operator()(void* ds) const {
    if (ds) GDALClose(static_cast<GDALDatasetH>(ds));
  }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

GDALDatasetH h(const Dataset& d) { return static_cast<GDALDatasetH>(d.get()); }

// A CSL string list built from std::strings; freed on destruction.
class Args {
 public:
  explicit Args(const std::vector<std::string>& a) {
    for (const auto& s : a) list_ = CSLAddString(list_, s.c_str());
  }
  ~Args() { CSLDestroy(list_); }
  Args(const Args&) = delete;
  Args& operator=(const Args&) = delete;
  char** get() const { return list_; }

 private:
  char** list_ = nullptr;
};

bool reads_as_double(GDALDataType t) {
  switch (t) {
    case GDT_Byte:
    case GDT_Int16:
    case GDT_UInt16:
    case GDT_Float32:
      return false;  // every value is exact in float32
    default:
      return true;
  }
}

std::string crs_label(OGRSpatialReferenceH srs) {
  const char* auth = OSRGetAuthorityName(srs, nullptr);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  const char* name = OSRGetName(srs);
  return name ? name : "an unnamed CRS";
}

RasterGrid grid_of(GDALDatasetH ds) {
  RasterGrid g;
  g.width = GDALGetRasterXSize(ds);
  g.height = GDALGetRasterYSize(ds);
  double gt[6];
  if (GDALGetGeoTransform(ds, gt) == CE_None)
    for (int i = 0; i < 6; ++i) g.geotransform[i] = gt[i];
  if (OGRSpatialReferenceH srs = GDALGetSpatialRef(ds)) {
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
    if (OSRExportToWktEx(srs, &wkt, opts) == OGRERR_NONE && wkt) g.crs_wkt = wkt;
    CPLFree(wkt);
    g.crs_name = crs_label(srs);
    g.geographic = OSRIsGeographic(srs);
    if (OSRIsProjected(srs)) {
      double to_m = OSRGetLinearUnits(srs, nullptr);
      const auto& t = g.geotransform;
      g.cell_area_m2 = std::fabs(t[1] * t[5] - t[2] * t[4]) * to_m * to_m;
    }
  }
  return g;
}

Result<Dataset> open_raster(const std::string& path) {
  gdal_register();
  GdalErrors errs;
  Dataset ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && path.rfind("/vsi", 0) != 0)
      return Error::invalid("cannot read raster '" + path + "': no such file");
    return Error::invalid("cannot read raster '" + path + "': " + errs.take());
  }
  if (GDALGetRasterCount(h(ds)) < 1) return Error::invalid("'" + path + "' has no raster band");
  GDALDataType t = GDALGetRasterDataType(GDALGetRasterBand(h(ds), 1));
  if (GDALDataTypeIsComplex(t))
    return Error::invalid("'" + path + "' holds complex numbers (" + GDALGetDataTypeName(t) + "); a layer must be real");
  return ds;
}

bool same_crs(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  if (a == b) return true;
  OGRSpatialReferenceH sa = OSRNewSpatialReference(a.c_str());
  OGRSpatialReferenceH sb = OSRNewSpatialReference(b.c_str());
  bool same = sa && sb && OSRIsSame(sa, sb);
  if (sa) OSRRelease(sa);
  if (sb) OSRRelease(sb);
  return same;
}

bool same_grid(const RasterGrid& a, const RasterGrid& b) {
  if (a.width != b.width || a.height != b.height) return false;
  double tol = 1e-6 * std::max(std::fabs(a.geotransform[1]), std::fabs(a.geotransform[5]));
  for (int i = 0; i < 6; ++i)
    if (std::fabs(a.geotransform[i] - b.geotransform[i]) > tol) return false;
  return same_crs(a.crs_wkt, b.crs_wkt);
}

std::string absolute(const std::string& path) {
  if (path.rfind("/vsi", 0) == 0 || path.find(':') != std::string::npos) return path;
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.string();
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

Result<RasterInfo> inspect_raster(const std::string& path) {
  auto ds = open_raster(path);
  if (!ds) return ds.error();
  RasterInfo info;
  info.path = path;
  info.grid = grid_of(h(*ds));
  info.bands = GDALGetRasterCount(h(*ds));
  GDALRasterBandH b = GDALGetRasterBand(h(*ds), 1);
  info.data_type = GDALGetDataTypeName(GDALGetRasterDataType(b));
  int has = 0;
  double nd = GDALGetRasterNoDataValue(b, &has);
  if (has) info.nodata = nd;
  return info;
}

Result<std::optional<double>> sample_raster(const std::string& path, double lon, double lat) {
  auto ds = open_raster(path);
  if (!ds) return ds.error();
  OGRSpatialReferenceH srs = GDALGetSpatialRef(h(*ds));
  if (!srs) return Error::invalid("'" + path + "' has no CRS: a point in WGS 84 cannot be placed on it");
  OGRSpatialReferenceH wgs = OSRNewSpatialReference(nullptr);
  OSRSetWellKnownGeogCS(wgs, "WGS84");
  OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReferenceH dst = OSRClone(srs);
  OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(wgs, dst);
  double x = lon, y = lat;
  bool ok = ct && OCTTransform(ct, 1, &x, &y, nullptr);
  if (ct) OCTDestroyCoordinateTransformation(ct);
  OSRRelease(wgs);
  OSRRelease(dst);
  if (!ok) return Error::invalid("the point cannot be transformed to the CRS of '" + path + "'");
  double gt[6], inv[6];
  if (GDALGetGeoTransform(h(*ds), gt) != CE_None || !GDALInvGeoTransform(gt, inv))
    return Error::invalid("'" + path + "' has no usable geotransform");
  double px = inv[0] + inv[1] * x + inv[2] * y, py = inv[3] + inv[4] * x + inv[5] * y;
  if (!(px >= 0 && py >= 0 && px < GDALGetRasterXSize(h(*ds)) && py < GDALGetRasterYSize(h(*ds))))
    return std::optional<double>{};
  int col = static_cast<int>(std::floor(px)), row = static_cast<int>(std::floor(py));
  GDALRasterBandH b = GDALGetRasterBand(h(*ds), 1);
  double v = 0;
  GdalErrors errs;
  if (GDALRasterIO(b, GF_Read, col, row, 1, 1, &v, 1, 1, GDT_Float64, 0, 0) != CE_None)
    return Error::invalid("reading '" + path + "' failed: " + errs.take());
  int has_nd = 0;
  double nd = GDALGetRasterNoDataValue(b, &has_nd);
  if (std::isnan(v) || (has_nd && v == nd)) return std::optional<double>{};
  int flags = GDALGetMaskFlags(b);
  if (!(flags & GMF_ALL_VALID) && !(flags & GMF_NODATA)) {
    uint8_t m = 0;
    if (GDALRasterIO(GDALGetMaskBand(b), GF_Read, col, row, 1, 1, &m, 1, 1, GDT_Byte, 0, 0) == CE_None && m == 0)
      return std::optional<double>{};
  }
  // The value as the raster stores it (float32 rasters are read through float32).
  if (!reads_as_double(GDALGetRasterDataType(b))) v = static_cast<double>(static_cast<float>(v));
  return std::optional<double>(v);
}

RasterSession::RasterSession() { gdal_register(); }

RasterSession::~RasterSession() {
  for (const auto& p : vsimem_) VSIUnlink(p.c_str());
  for (const auto& p : temp_files_) std::remove(p.c_str());
}

Result<GridLayer> RasterSession::prepare(const std::string& name, const std::string& path, const RasterGrid& grid,
                                         Resampling resampling) {
  auto what = [&] { return "layer '" + name + "' (" + path + ")"; };
  auto src = open_raster(path);
  if (!src) return Error::invalid(what() + ": " + src.error().message);
  RasterGrid g = grid_of(h(*src));
  GridLayer layer;
  layer.name = name;
  layer.source_path = path;
  layer.grid_path = path;
  if (g.crs_wkt.empty() != grid.crs_wkt.empty()) {
    if (g.crs_wkt.empty())
      return Error::invalid(what() + " has no CRS while the first layer is in " + grid.crs_name +
                            "; assign one (gdal_edit.py -a_srs EPSG:...) so that it can be put on the same grid");
    return Error::invalid(what() + " is in " + g.crs_name +
                          " while the first layer has no CRS; assign one to the first layer (gdal_edit.py -a_srs)");
  }
  if (!same_grid(g, grid)) {
    if (grid.crs_wkt.empty())
      return Error::invalid(what() + " is not on the grid of the first layer, and neither has a CRS to warp with");
    const auto& t = grid.geotransform;
    if (t[2] != 0 || t[4] != 0)
      return Error::invalid("the first layer's grid is rotated; warp it north-up first (gdalwarp)");
    double xmin = t[0], xmax = t[0] + t[1] * grid.width;
    double ymax = t[3], ymin = t[3] + t[5] * grid.height;
    if (xmin > xmax) std::swap(xmin, xmax);
    if (ymin > ymax) std::swap(ymin, ymax);
    GDALRasterBandH b = GDALGetRasterBand(h(*src), 1);
    int has_nd = 0;
    GDALGetRasterNoDataValue(b, &has_nd);
    int flags = GDALGetMaskFlags(b);
    std::vector<std::string> a = {"-of", "VRT", "-t_srs", grid.crs_wkt, "-te", num(xmin), num(ymin), num(xmax),
                                  num(ymax), "-ts", std::to_string(grid.width), std::to_string(grid.height), "-r",
                                  resampling == Resampling::nearest ? "near" : "bilinear"};
    if (!has_nd && (flags & GMF_ALL_VALID)) {
      // No nodata in the source: mark the cells it does not cover (NaN for floats,
      // an alpha band for integers, which keeps gdalwarp's output type).
      GDALDataType t = GDALGetRasterDataType(b);
      if (t == GDT_Float32 || t == GDT_Float64) {
        a.insert(a.end(), {"-dstnodata", "nan"});
      } else {
        a.push_back("-dstalpha");
        layer.alpha_band = 2;  // a warped VRT does not offer it as band 1's mask
      }
    }
    Args args(a);
    GdalErrors errs;
    GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(args.get(), nullptr);
    if (!opts) return Error::invalid(what() + ": cannot set up the warp: " + errs.take());
    // Re-open by absolute path so that the VRT refers to the file wherever it is read.
    auto abs_src = open_raster(absolute(path));
    if (!abs_src) {
      GDALWarpAppOptionsFree(opts);
      return Error::invalid(what() + ": " + abs_src.error().message);
    }
    std::string vrt = "/vsimem/nongsan-raster-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
                      std::to_string(++serial_) + ".vrt";
    GDALDatasetH srcs[] = {h(*abs_src)};
    int usage_error = 0;
    GDALDatasetH out = GDALWarp(vrt.c_str(), nullptr, 1, srcs, opts, &usage_error);
    GDALWarpAppOptionsFree(opts);
    if (!out) return Error::invalid(what() + ": cannot warp it onto the grid of the first layer: " + errs.take());
    GDALClose(out);
    vsimem_.push_back(vrt);
    layer.grid_path = vrt;
    layer.warped = true;
  }
  // Describe what the readers will open.
  auto on_grid = open_raster(layer.grid_path);
  if (!on_grid) return Error::invalid(what() + ": " + on_grid.error().message);
  GDALRasterBandH b = GDALGetRasterBand(h(*on_grid), 1);
  layer.is_double = reads_as_double(GDALGetRasterDataType(b));
  int has_nd = 0;
  double nd = GDALGetRasterNoDataValue(b, &has_nd);
  int flags = GDALGetMaskFlags(b);
  if (has_nd) layer.nodata = nd;
  layer.read_mask = layer.alpha_band > 0 || (!(flags & GMF_ALL_VALID) && !(flags & GMF_NODATA));
  return layer;
}

Result<GridLayer> RasterSession::derive(DemProduct product, const std::string& name,
                                        const std::string& elevation_path, const RasterGrid& grid,
                                        const std::string& temp_dir) {
  const char* what = product == DemProduct::slope ? "slope" : "aspect";
  auto src = open_raster(elevation_path);
  if (!src) return Error::invalid("cannot derive " + std::string(what) + ": " + src.error().message);
  RasterGrid g = grid_of(h(*src));
  std::string out = (std::filesystem::path(temp_dir.empty() ? "." : temp_dir) /
                     ("nongsan-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++serial_) + ".tif"))
                        .string();
  std::vector<std::string> a = {"-of", "GTiff", "-co", "TILED=YES", "-co", "BIGTIFF=IF_SAFER", "-q"};
  // gdaldem's advice for a DEM in degrees with heights in metres.
  if (g.geographic) a.insert(a.end(), {"-s", "111120"});
  Args args(a);
  GdalErrors errs;
  GDALDEMProcessingOptions* opts = GDALDEMProcessingOptionsNew(args.get(), nullptr);
  if (!opts) return Error::internal("cannot set up GDAL DEM processing: " + errs.take());
  int usage_error = 0;
  GDALDatasetH ds = GDALDEMProcessing(out.c_str(), h(*src), what, nullptr, opts, &usage_error);
  GDALDEMProcessingOptionsFree(opts);
  if (!ds)
    return Error::invalid("cannot derive " + std::string(what) + " from '" + elevation_path + "': " + errs.take());
  GDALClose(ds);
  temp_files_.push_back(out);
  auto layer = prepare(name, out, grid, Resampling::bilinear);
  if (!layer) return layer.error();
  layer->source_path = elevation_path;
  layer->derived = true;
  return layer;
}

struct LayerReader::Impl {
  Dataset ds;
  GDALRasterBandH band = nullptr;
  GDALRasterBandH mask = nullptr;
  bool is_double = false;
  std::string name;
  std::vector<uint8_t> mask_buf;
};

LayerReader::~LayerReader() = default;

Result<std::unique_ptr<LayerReader>> LayerReader::open(const GridLayer& layer) {
  auto ds = open_raster(layer.grid_path);
  if (!ds) return Error::invalid("layer '" + layer.name + "': " + ds.error().message);
  std::unique_ptr<LayerReader> r(new LayerReader());
  r->impl_ = std::make_unique<Impl>();
  r->impl_->band = GDALGetRasterBand(h(*ds), 1);
  if (layer.alpha_band > 0)
    r->impl_->mask = GDALGetRasterBand(h(*ds), layer.alpha_band);
  else if (layer.read_mask)
    r->impl_->mask = GDALGetMaskBand(r->impl_->band);
  r->impl_->ds = std::move(*ds);
  r->impl_->is_double = layer.is_double;
  r->impl_->name = layer.name;
  return r;
}

Status LayerReader::read(int x0, int y0, int w, int h, void* buffer) {
  GdalErrors errs;
  auto& m = *impl_;
  if (GDALRasterIO(m.band, GF_Read, x0, y0, w, h, buffer, w, h, m.is_double ? GDT_Float64 : GDT_Float32, 0, 0) !=
      CE_None)
    return Error::invalid("reading layer '" + m.name + "' failed: " + errs.take());
  if (m.mask) {
    std::size_t n = static_cast<std::size_t>(w) * h;
    m.mask_buf.resize(n);
    if (GDALRasterIO(m.mask, GF_Read, x0, y0, w, h, m.mask_buf.data(), w, h, GDT_Byte, 0, 0) != CE_None)
      return Error::invalid("reading the mask of layer '" + m.name + "' failed: " + errs.take());
    if (m.is_double) {
      auto* v = static_cast<double*>(buffer);
      for (std::size_t i = 0; i < n; ++i)
        if (!m.mask_buf[i]) v[i] = std::numeric_limits<double>::quiet_NaN();
    } else {
      auto* v = static_cast<float*>(buffer);
      for (std::size_t i = 0; i < n; ++i)
        if (!m.mask_buf[i]) v[i] = std::numeric_limits<float>::quiet_NaN();
    }
  }
  return {};
}

struct RasterWriter::Impl {
  Dataset ds;
  GDALRasterBandH band = nullptr;
  GDALDataType type = GDT_Byte;
  std::string path;
  std::mutex mu;
  bool failed = false;
};

RasterWriter::~RasterWriter() = default;

Result<std::unique_ptr<RasterWriter>> RasterWriter::create(const std::string& path, const RasterGrid& grid,
                                                           const WriterOptions& o) {
  gdal_register();
  GdalErrors errs;
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  if (!drv) return Error::internal("GDAL has no GTiff driver");
  std::map<std::string, std::string> co = {
      {"TILED", "YES"},          {"BLOCKXSIZE", "256"}, {"BLOCKYSIZE", "256"},
      {"COMPRESS", "DEFLATE"},   {"BIGTIFF", "IF_SAFER"},
      {"PREDICTOR", o.type == RasterType::byte ? "2" : "3"},
      {"NUM_THREADS", std::to_string(std::max(1, o.threads))}};
  for (const auto& kv : o.creation_options) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Error::invalid("creation option '" + kv + "' is not KEY=VALUE");
    std::string key = kv.substr(0, eq);
    for (auto& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    co[key] = kv.substr(eq + 1);
  }
  if (co["COMPRESS"] != "DEFLATE" && co["COMPRESS"] != "LZW" && co["COMPRESS"] != "ZSTD") co.erase("PREDICTOR");
  // DEFLATE level 1: on a 10k x 10k evaluation it took 40 % of level 6's CPU time for
  // files 2-17 % larger (bench/README.md); ZLEVEL=6 or 9 can be asked for.
  if (co["COMPRESS"] == "DEFLATE" && !co.count("ZLEVEL")) co["ZLEVEL"] = "1";
  std::vector<std::string> list;
  for (const auto& [k, v] : co) list.push_back(k + "=" + v);
  Args args(list);
  GDALDataType type = o.type == RasterType::byte ? GDT_Byte : GDT_Float32;
  Dataset ds(GDALCreate(drv, path.c_str(), grid.width, grid.height, 1, type, args.get()));
  if (!ds) return Error::invalid("cannot create '" + path + "': " + errs.take());
  double gt[6];
  for (int i = 0; i < 6; ++i) gt[i] = grid.geotransform[i];
  GDALSetGeoTransform(h(ds), gt);
  if (!grid.crs_wkt.empty()) GDALSetProjection(h(ds), grid.crs_wkt.c_str());
  GDALRasterBandH band = GDALGetRasterBand(h(ds), 1);
  if (o.nodata) GDALSetRasterNoDataValue(band, *o.nodata);
  if (!o.description.empty()) GDALSetDescription(band, o.description.c_str());
  if (!o.categories.empty() && type == GDT_Byte) {
    GDALColorTableH ct = GDALCreateColorTable(GPI_RGB);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < o.categories.size(); ++i) {
      const auto& [name, rgb] = o.categories[i];
      GDALColorEntry e{rgb[0], rgb[1], rgb[2], static_cast<short>(o.nodata && *o.nodata == double(i) ? 0 : 255)};
      GDALSetColorEntry(ct, static_cast<int>(i), &e);
      names.push_back(name);
    }
    GDALSetRasterColorTable(band, ct);
    GDALDestroyColorTable(ct);
    Args cats(names);
    GDALSetRasterCategoryNames(band, cats.get());
  }
  std::unique_ptr<RasterWriter> w(new RasterWriter());
  w->impl_ = std::make_unique<Impl>();
  w->impl_->band = band;
  w->impl_->type = type;
  w->impl_->path = path;
  w->impl_->ds = std::move(ds);
  return w;
}

Status RasterWriter::write(int x0, int y0, int w, int h, const void* buffer) {
  auto& m = *impl_;
  std::lock_guard lock(m.mu);
  GdalErrors errs;
  if (GDALRasterIO(m.band, GF_Write, x0, y0, w, h, const_cast<void*>(buffer), w, h, m.type, 0, 0) != CE_None) {
    m.failed = true;
    return Error::invalid("writing '" + m.path + "' failed: " + errs.take());
  }
  return {};
}

Status RasterWriter::close() {
  auto& m = *impl_;
  std::lock_guard lock(m.mu);
  if (!m.ds) return {};
  GdalErrors errs;
  CPLErrorReset();
  GDALFlushCache(h(m.ds));
  bool flush_failed = CPLGetLastErrorType() >= CE_Failure;
  m.ds.reset();
  if (flush_failed || CPLGetLastErrorType() >= CE_Failure || m.failed)
    return Error::invalid("writing '" + m.path + "' failed: " + errs.take());
  return {};
}

}  // namespace nongsan::geo
