#include "geo/grid_warp.hpp"

#include "geo/gdal_errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <gdalwarper.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

namespace nongsan::geo {

namespace {

struct SrsDeleter {
  void operator()(OGRSpatialReferenceH s) const { OSRDestroySpatialReference(s); }
};
using Srs = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDeleter>;

Srs make_srs(const TargetGrid& g) {
  Srs s(OSRNewSpatialReference(nullptr));
  OGRErr e = g.epsg ? OSRImportFromEPSG(s.get(), g.epsg) : OSRSetFromUserInput(s.get(), g.crs_wkt.c_str());
  if (e != OGRERR_NONE) return nullptr;
  OSRSetAxisMappingStrategy(s.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}
std::string wkt_of(const TargetGrid& g) {
  if (!g.crs_wkt.empty()) return g.crs_wkt;
  Srs s = make_srs(g);
  if (!s) return "";
  char* w = nullptr;
  OSRExportToWkt(s.get(), &w);
  std::string out = w ? w : "";
  CPLFree(w);
  return out;
}

struct DsCloser {
  void operator()(GDALDatasetH d) const { GDALClose(d); }
};
using Dataset = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DsCloser>;

bool same_crs(const TargetGrid& a, const TargetGrid& b) {
  if (a.epsg && a.epsg == b.epsg) return true;
  Srs sa = make_srs(a), sb = make_srs(b);
  return sa && sb && OSRIsSame(sa.get(), sb.get());
}

}  // namespace

Result<GridFileInfo> raster_info(const std::filesystem::path& path) {
  gdal_register();
  GdalErrors errors;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Error::invalid("raster file not found", {{"path", path.string() + " does not exist"}});
  Dataset ds(GDALOpenEx(path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) return Error::invalid("not a readable raster", {{"path", path.string() + ": " + errors.take()}});
  GridFileInfo info;
  info.bands = GDALGetRasterCount(ds.get());
  if (info.bands < 1) return Error::invalid("the raster has no band", {{"path", path.string()}});
  double gt[6];
  if (GDALGetGeoTransform(ds.get(), gt) != CE_None)
    return Error::invalid("the raster is not georeferenced", {{"path", path.string() + " has no geotransform"}});
  if (gt[2] != 0 || gt[4] != 0)
    return Error::invalid("rotated rasters are not supported", {{"path", path.string()}});
  const char* wkt = GDALGetProjectionRef(ds.get());
  if (!wkt || !*wkt)
    return Error::invalid("the raster has no coordinate reference system", {{"path", path.string()}});
  info.grid.crs_wkt = wkt;
  {
    Srs s(OSRNewSpatialReference(wkt));
    if (s && OSRAutoIdentifyEPSG(s.get()) == OGRERR_NONE)
      if (const char* code = OSRGetAuthorityCode(s.get(), nullptr)) info.grid.epsg = std::atoi(code);
  }
  for (int i = 0; i < 6; ++i) info.grid.gt[static_cast<std::size_t>(i)] = gt[i];
  info.grid.width = GDALGetRasterXSize(ds.get());
  info.grid.height = GDALGetRasterYSize(ds.get());
  GDALRasterBandH b = GDALGetRasterBand(ds.get(), 1);
  int has = 0;
  double nd = GDALGetRasterNoDataValue(b, &has);
  if (has) info.nodata = nd;
  GDALDataType t = GDALGetRasterDataType(b);
  info.integer = !GDALDataTypeIsFloating(t) && !GDALDataTypeIsComplex(t);
  if (char** md = GDALGetMetadata(ds.get(), nullptr))
    for (char** p = md; *p; ++p) {
      std::string kv = *p;
      auto eq = kv.find('=');
      if (eq != std::string::npos) info.metadata[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  return info;
}

std::optional<TargetGrid> window(const TargetGrid& g, double min_x, double min_y, double max_x, double max_y) {
  double c0 = (min_x - g.gt[0]) / g.gt[1], c1 = (max_x - g.gt[0]) / g.gt[1];
  double r0 = (max_y - g.gt[3]) / g.gt[5], r1 = (min_y - g.gt[3]) / g.gt[5];
  int col0 = std::max(0, static_cast<int>(std::floor(std::min(c0, c1))));
  int col1 = std::min(g.width - 1, static_cast<int>(std::floor(std::max(c0, c1))));
  int row0 = std::max(0, static_cast<int>(std::floor(std::min(r0, r1))));
  int row1 = std::min(g.height - 1, static_cast<int>(std::floor(std::max(r0, r1))));
  if (col0 > col1 || row0 > row1) return std::nullopt;
  TargetGrid w = g;
  w.gt[0] = g.gt[0] + col0 * g.gt[1];
  w.gt[3] = g.gt[3] + row0 * g.gt[5];
  w.width = col1 - col0 + 1;
  w.height = row1 - row0 + 1;
  return w;
}

Result<std::vector<float>> read_on_grid(const std::filesystem::path& path, const TargetGrid& grid, bool nearest) {
  auto info = raster_info(path);
  if (!info) return info.error();
  GdalErrors errors;
  const std::size_t n = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
  std::vector<float> out(n, std::numeric_limits<float>::quiet_NaN());
  if (n == 0) return out;
  Dataset src(GDALOpenEx(path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!src) return Error::invalid("not a readable raster", {{"path", path.string() + ": " + errors.take()}});
  const auto& s = info->grid;
  auto nodata_to_nan = [&] {
    if (info->nodata)
      for (float& v : out)
        if (v == static_cast<float>(*info->nodata)) v = std::numeric_limits<float>::quiet_NaN();
  };
  // Fast path: same CRS, same cell size, aligned origin: a window read.
  double fc = (grid.gt[0] - s.gt[0]) / s.gt[1], fr = (grid.gt[3] - s.gt[3]) / s.gt[5];
  bool aligned = std::abs(grid.gt[1] - s.gt[1]) < 1e-9 * std::abs(s.gt[1]) &&
                 std::abs(grid.gt[5] - s.gt[5]) < 1e-9 * std::abs(s.gt[5]) && std::abs(fc - std::round(fc)) < 1e-6 &&
                 std::abs(fr - std::round(fr)) < 1e-6;
  if (aligned && same_crs(grid, s)) {
    int c0 = static_cast<int>(std::lround(fc)), r0 = static_cast<int>(std::lround(fr));
    // The part of the target that lies inside the source.
    int a0 = std::max(0, -c0), b0 = std::max(0, -r0);
    int a1 = std::min(grid.width, s.width - c0), b1 = std::min(grid.height, s.height - r0);
    if (a0 < a1 && b0 < b1) {
      int w = a1 - a0, h = b1 - b0;
      std::vector<float> buf(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
      if (GDALRasterIO(GDALGetRasterBand(src.get(), 1), GF_Read, c0 + a0, r0 + b0, w, h, buf.data(), w, h, GDT_Float32,
                       0, 0) != CE_None)
        return Error::invalid("cannot read the raster", {{"path", path.string() + ": " + errors.take()}});
      for (int y = 0; y < h; ++y)
        std::copy(buf.begin() + static_cast<std::ptrdiff_t>(y) * w, buf.begin() + static_cast<std::ptrdiff_t>(y + 1) * w,
                  out.begin() + static_cast<std::ptrdiff_t>(b0 + y) * grid.width + a0);
    }
    nodata_to_nan();
    return out;
  }
  // Warp into an in-memory dataset on the target grid.
  GDALDriverH mem = GDALGetDriverByName("MEM");
  Dataset dst(GDALCreate(mem, "", grid.width, grid.height, 1, GDT_Float32, nullptr));
  if (!dst) return Error::internal("cannot create a warp buffer: " + errors.take());
  std::string dst_wkt = wkt_of(grid);
  if (dst_wkt.empty()) return Error::invalid("unknown target CRS", {{"crs", std::to_string(grid.epsg)}});
  GDALSetProjection(dst.get(), dst_wkt.c_str());
  double gt[6];
  for (int i = 0; i < 6; ++i) gt[i] = grid.gt[static_cast<std::size_t>(i)];
  GDALSetGeoTransform(dst.get(), gt);
  GDALRasterBandH db = GDALGetRasterBand(dst.get(), 1);
  GDALSetRasterNoDataValue(db, std::numeric_limits<double>::quiet_NaN());
  GDALFillRaster(db, std::numeric_limits<double>::quiet_NaN(), 0);
  char** argv = nullptr;
  argv = CSLAddString(argv, "-r");
  argv = CSLAddString(argv, nearest ? "near" : "bilinear");
  argv = CSLAddString(argv, "-dstnodata");
  argv = CSLAddString(argv, "nan");
  GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(argv, nullptr);
  CSLDestroy(argv);
  GDALDatasetH srcs[1] = {src.get()};
  int usage = 0;
  GDALDatasetH r = GDALWarp(nullptr, dst.get(), 1, srcs, opts, &usage);
  GDALWarpAppOptionsFree(opts);
  if (!r || usage) return Error::invalid("cannot warp the raster", {{"path", path.string() + ": " + errors.take()}});
  if (GDALRasterIO(db, GF_Read, 0, 0, grid.width, grid.height, out.data(), grid.width, grid.height, GDT_Float32, 0, 0) !=
      CE_None)
    return Error::internal("cannot read the warp buffer: " + errors.take());
  nodata_to_nan();
  return out;
}

Result<std::vector<std::array<double, 2>>> transform_points(const std::vector<std::array<double, 2>>& pts,
                                                            const TargetGrid& from, const TargetGrid& to) {
  gdal_register();
  Srs a = make_srs(from), b = make_srs(to);
  if (!a || !b) return Error::invalid("unknown coordinate reference system");
  std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, void (*)(OGRCoordinateTransformationH)> ct(
      OCTNewCoordinateTransformation(a.get(), b.get()), OCTDestroyCoordinateTransformation);
  if (!ct) return Error::invalid("no transformation between the coordinate reference systems");
  std::vector<double> xs, ys;
  for (const auto& p : pts) xs.push_back(p[0]), ys.push_back(p[1]);
  if (!pts.empty() && !OCTTransform(ct.get(), static_cast<int>(pts.size()), xs.data(), ys.data(), nullptr))
    return Error::invalid("coordinates cannot be transformed");
  std::vector<std::array<double, 2>> out(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) out[i] = {xs[i], ys[i]};
  return out;
}

Result<std::vector<std::vector<std::uint8_t>>> transform_wkbs(const std::vector<const std::vector<std::uint8_t>*>& wkbs,
                                                              int srid, const TargetGrid& to) {
  gdal_register();
  TargetGrid from;
  from.epsg = srid;
  Srs a = make_srs(from), b = make_srs(to);
  if (!a || !b) return Error::invalid("unknown coordinate reference system");
  std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, void (*)(OGRCoordinateTransformationH)> ct(
      OCTNewCoordinateTransformation(a.get(), b.get()), OCTDestroyCoordinateTransformation);
  if (!ct) return Error::invalid("no transformation to the raster's CRS");
  std::vector<std::vector<std::uint8_t>> out(wkbs.size());
  for (std::size_t i = 0; i < wkbs.size(); ++i) {
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkbEx(wkbs[i]->data(), nullptr, &g, wkbs[i]->size()) != OGRERR_NONE || !g) continue;
    if (OGR_G_Transform(g, ct.get()) == OGRERR_NONE) {
      out[i].resize(static_cast<std::size_t>(OGR_G_WkbSizeEx(g)));
      OGR_G_ExportToIsoWkb(g, wkbNDR, out[i].data());
    }
    OGR_G_DestroyGeometry(g);
  }
  return out;
}

Result<std::vector<std::uint8_t>> transform_wkb(const std::vector<std::uint8_t>& wkb, int srid, const TargetGrid& to) {
  gdal_register();
  TargetGrid from;
  from.epsg = srid;
  Srs a = make_srs(from), b = make_srs(to);
  if (!a || !b) return Error::invalid("unknown coordinate reference system");
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
    return Error::invalid("unreadable geometry");
  std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, void (*)(OGRCoordinateTransformationH)> ct(
      OCTNewCoordinateTransformation(a.get(), b.get()), OCTDestroyCoordinateTransformation);
  if (!ct || OGR_G_Transform(g, ct.get()) != OGRERR_NONE) {
    OGR_G_DestroyGeometry(g);
    return Error::invalid("the geometry cannot be transformed to the raster's CRS");
  }
  std::vector<std::uint8_t> out(static_cast<std::size_t>(OGR_G_WkbSizeEx(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, out.data());
  OGR_G_DestroyGeometry(g);
  return out;
}

}  // namespace nongsan::geo
