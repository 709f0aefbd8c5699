#include "geo/layer_crs.hpp"

#include "geo/coordinate_text.hpp"
#include "geo/gdal_errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <mutex>
#include <string_view>
#include <vector>

namespace nongsan::geo {
namespace {

using text::lower;
using text::parse_decimal;
using text::trim;

// The same column names read_features looks for (vector_io.hpp).
int find_column(OGRFeatureDefnH defn, std::initializer_list<std::string_view> wanted) {
  for (auto w : wanted)
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      if (lower(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))) == w) return i;
  return -1;
}

void grow(std::optional<Bounds>& b, double min_x, double min_y, double max_x, double max_y) {
  if (!b) {
    b = Bounds{min_x, min_y, max_x, max_y};
    return;
  }
  b->min_x = std::min(b->min_x, min_x);
  b->min_y = std::min(b->min_y, min_y);
  b->max_x = std::max(b->max_x, max_x);
  b->max_y = std::max(b->max_y, max_y);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

Result<LayerCrs> inspect_layer_crs(const std::filesystem::path& path, const std::optional<std::string>& layer_name) {
  gdal_register();
  GdalErrors quiet;  // read_features reports the same file's problems
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::not_found("file not found: " + name);
  std::vector<const char*> open_options;
  const std::string ext = lower(path.extension().string());
  if (ext == ".xlsx" || ext == ".ods") open_options.push_back("HEADERS=FORCE");
  open_options.push_back(nullptr);
  GDALDatasetH ds = GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.data(), nullptr);
  if (!ds) return Error::invalid(name + " is not a feature file that can be read");
  struct Closer {
    GDALDatasetH ds;
    ~Closer() { GDALClose(ds); }
  } closer{ds};

  std::vector<std::string> names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  OGRLayerH layer = nullptr;
  if (layer_name) {
    layer = GDALDatasetGetLayerByName(ds, layer_name->c_str());
    if (!layer) return Error::invalid(name + " has no layer '" + *layer_name + "'; its layers: " + join(names));
  } else if (names.size() == 1) {
    layer = GDALDatasetGetLayer(ds, 0);
  } else if (names.empty()) {
    return Error::invalid(name + " has no layers");
  } else {
    return Error::invalid(name + " has " + std::to_string(names.size()) + " layers (" + join(names) +
                          "); choose one with --layer");
  }

  LayerCrs out;
  out.layer_name = OGR_L_GetName(layer);
  out.driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
  out.tabular = out.driver == "CSV" || out.driver == "XLSX" || out.driver == "ODS";
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);

  if (out.tabular) {
    const int wkt = find_column(defn, {"wkt", "geometry", "geom"});
    const int x = find_column(defn, {"lon", "longitude", "x"}), y = find_column(defn, {"lat", "latitude", "y"});
    out.spatial = wkt >= 0 || (x >= 0 && y >= 0);
    if (!out.spatial) return out;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      if (wkt >= 0) {
        std::string text(trim(OGR_F_GetFieldAsString(f, wkt)));
        char* cursor = text.data();
        OGRGeometryH g = nullptr;
        if (!text.empty() && OGR_G_CreateFromWkt(&cursor, nullptr, &g) == OGRERR_NONE && g && !OGR_G_IsEmpty(g)) {
          OGREnvelope e;
          OGR_G_GetEnvelope(g, &e);
          grow(out.extent, e.MinX, e.MinY, e.MaxX, e.MaxY);
        }
        if (g) OGR_G_DestroyGeometry(g);
      } else {
        auto vx = parse_decimal(OGR_F_GetFieldAsString(f, x)), vy = parse_decimal(OGR_F_GetFieldAsString(f, y));
        if (vx && vy) grow(out.extent, *vx, *vy, *vx, *vy);
      }
      OGR_F_Destroy(f);
    }
    return out;
  }

  out.spatial = OGR_FD_GetGeomFieldCount(defn) > 0;
  if (!out.spatial) return out;
  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    char* text = nullptr;
    if (OSRExportToWkt(srs, &text) == OGRERR_NONE && text) out.wkt = text;
    CPLFree(text);
    const char* authority = OSRGetAuthorityName(srs, nullptr);
    const char* code = OSRGetAuthorityCode(srs, nullptr);
    if (authority && code && std::string_view(authority) == "EPSG") {
      int v = 0;
      const std::string_view c(code);
      if (std::from_chars(c.data(), c.data() + c.size(), v).ec == std::errc()) out.epsg = v;
    }
  }
  OGREnvelope e;
  if (OGR_L_GetExtent(layer, &e, TRUE) == OGRERR_NONE && std::isfinite(e.MinX) && e.MinX <= e.MaxX)
    out.extent = Bounds{e.MinX, e.MinY, e.MaxX, e.MaxY};
  return out;
}

}  // namespace nongsan::geo
