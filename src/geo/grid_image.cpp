#include "geo/grid_image.hpp"

#include "geo/gdal_errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <atomic>
#include <mutex>

namespace nongsan::geo {


Status write_geotiff(const std::filesystem::path& path, const GeoTiffSpec& s, const std::vector<float>& values,
                     bool as_byte) {
  gdal_register();
  GdalErrors errors;
  if (s.width <= 0 || s.height <= 0 || values.size() != static_cast<std::size_t>(s.width) * s.height)
    return Error::invalid("bad grid", {{"grid", "the values do not fill width × height"}});
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  if (!drv) return Error::internal("GDAL has no GeoTIFF driver");
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  char** opts = nullptr;
  opts = CSLSetNameValue(opts, "COMPRESS", "DEFLATE");
  opts = CSLSetNameValue(opts, "TILED", "YES");
  opts = CSLSetNameValue(opts, "PREDICTOR", as_byte ? "1" : "3");
  GDALDatasetH ds = GDALCreate(drv, path.string().c_str(), s.width, s.height, 1, as_byte ? GDT_Byte : GDT_Float32, opts);
  CSLDestroy(opts);
  if (!ds) return Error::invalid("cannot write the raster", {{"path", path.string() + ": " + errors.take()}});
  double gt[6] = {s.x0, s.dx, 0, s.y0, 0, s.dy};
  GDALSetGeoTransform(ds, gt);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  if (OSRImportFromEPSG(srs, s.epsg) == OGRERR_NONE) {
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    GDALSetProjection(ds, wkt);
    CPLFree(wkt);
  }
  OSRDestroySpatialReference(srs);
  for (const auto& [k, v] : s.metadata) GDALSetMetadataItem(ds, k.c_str(), v.c_str(), nullptr);
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(band, s.nodata);
  if (!s.description.empty()) GDALSetDescription(band, s.description.c_str());
  CPLErr err;
  if (as_byte) {
    std::vector<std::uint8_t> b(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) b[i] = static_cast<std::uint8_t>(values[i]);
    err = GDALRasterIO(band, GF_Write, 0, 0, s.width, s.height, b.data(), s.width, s.height, GDT_Byte, 0, 0);
  } else {
    err = GDALRasterIO(band, GF_Write, 0, 0, s.width, s.height, const_cast<float*>(values.data()), s.width, s.height,
                       GDT_Float32, 0, 0);
  }
  GDALClose(ds);
  if (err != CE_None) return Error::invalid("cannot write the raster", {{"path", path.string() + ": " + errors.take()}});
  return {};
}

Result<std::string> encode_png(int width, int height, const std::vector<std::uint8_t>& rgba) {
  gdal_register();
  GdalErrors errors;
  if (width <= 0 || height <= 0 || rgba.size() != 4u * static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    return Error::invalid("bad image", {{"image", "the pixels do not fill width × height"}});
  GDALDriverH mem = GDALGetDriverByName("MEM");
  GDALDriverH png = GDALGetDriverByName("PNG");
  if (!mem || !png) return Error::internal("GDAL has no MEM or PNG driver");
  GDALDatasetH src = GDALCreate(mem, "", width, height, 4, GDT_Byte, nullptr);
  if (!src) return Error::internal("cannot create an image: " + errors.take());
  int bands[4] = {1, 2, 3, 4};
  CPLErr err = GDALDatasetRasterIO(src, GF_Write, 0, 0, width, height, const_cast<std::uint8_t*>(rgba.data()), width,
                                   height, GDT_Byte, 4, bands, 4, 4 * width, 1);
  if (err != CE_None) {
    GDALClose(src);
    return Error::internal("cannot fill the image: " + errors.take());
  }
  static std::atomic<unsigned long> counter{0};
  std::string name = "/vsimem/nongsan_png_" + std::to_string(++counter) + ".png";
  GDALDatasetH out = GDALCreateCopy(png, name.c_str(), src, FALSE, nullptr, nullptr, nullptr);
  GDALClose(src);
  if (!out) return Error::internal("cannot encode the PNG: " + errors.take());
  GDALClose(out);
  vsi_l_offset len = 0;
  GByte* data = VSIGetMemFileBuffer(name.c_str(), &len, TRUE);
  std::string bytes(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len));
  CPLFree(data);
  VSIUnlink((name + ".aux.xml").c_str());
  return bytes;
}

}  // namespace nongsan::geo
