#include "geo/vector_io.hpp"

#include "geo/coordinate_check.hpp"
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
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <mutex>
#include <set>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/civil_date.hpp"
#include "geo/geometry_ops.hpp"

namespace nongsan::geo {
namespace {

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// Owns a GDAL/OGR C handle. The handle typedefs differ between DEBUG and release
// builds of GDAL, hence a template over the destroy function rather than unique_ptr<void>.
template <typename H, auto Destroy>
class Handle {
 public:
  Handle() = default;
  explicit Handle(H h) : h_(h) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) reset(std::exchange(o.h_, nullptr));
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  void reset(H h = nullptr) {
    if (h_) Destroy(h_);
    h_ = h;
  }
  H release() { return std::exchange(h_, nullptr); }
  H get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  H h_ = nullptr;
};

using Dataset = Handle<GDALDatasetH, GDALClose>;
using OgrFeature = Handle<OGRFeatureH, OGR_F_Destroy>;
using OgrGeometry = Handle<OGRGeometryH, OGR_G_DestroyGeometry>;
using Srs = Handle<OGRSpatialReferenceH, OSRRelease>;
using CoordTransform = Handle<OGRCoordinateTransformationH, OCTDestroyCoordinateTransformation>;
using FieldDefn = Handle<OGRFieldDefnH, OGR_Fld_Destroy>;

using text::lower;
using text::parse_decimal;
using text::trim;

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string format_real(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string shorten(std::string_view s, std::size_t n = 60) {
  return s.size() <= n ? std::string(s) : std::string(s.substr(0, n)) + "…";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

Srs wgs84() {
  Srs srs(OSRNewSpatialReference(nullptr));
  OSRImportFromEPSG(srs.get(), 4326);
  OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

// "EPSG:9205 (VN-2000 / TM-3 103-00)", or the CRS's name when it has no code.
std::string describe(OGRSpatialReferenceH srs) {
  const char* name = OSRGetName(srs);
  const char* authority = OSRGetAuthorityName(srs, nullptr);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  Srs identified;
  if (!authority || !code) {
    // A Shapefile's .prj is ESRI WKT without codes; GDAL can often recognise it.
    identified.reset(OSRClone(srs));
    if (OSRAutoIdentifyEPSG(identified.get()) == OGRERR_NONE) {
      authority = OSRGetAuthorityName(identified.get(), nullptr);
      code = OSRGetAuthorityCode(identified.get(), nullptr);
    }
  }
  std::string out;
  if (authority && code) out = std::string(authority) + ":" + code;
  if (name && *name) out += out.empty() ? std::string(name) : " (" + std::string(name) + ")";
  return out.empty() ? "unnamed CRS" : out;
}

std::string field_text(OGRFeatureH f, int i) {
  if (!OGR_F_IsFieldSetAndNotNull(f, i)) return "";
  switch (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i))) {
    case OFTInteger:
    case OFTInteger64:
      return std::to_string(OGR_F_GetFieldAsInteger64(f, i));
    case OFTReal:
      // Shapefiles declare a precision and GDAL would print "12.500000000000000".
      return format_real(OGR_F_GetFieldAsDouble(f, i));
    case OFTDate:
    case OFTTime:
    case OFTDateTime: {
      // GDAL's own text is "2024/05/01"; the project writes dates as ISO.
      int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
      float ss = 0;
      OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &hh, &mm, &ss, &tz);
      char date[48], time[48];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
      const int whole = static_cast<int>(ss);
      if (ss - static_cast<float>(whole) > 0.0005f)
        std::snprintf(time, sizeof time, "%02d:%02d:%06.3f", hh, mm, static_cast<double>(ss));
      else
        std::snprintf(time, sizeof time, "%02d:%02d:%02d", hh, mm, whole);
      const auto type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
      if (type == OFTDate) return date;
      std::string zone;
      if (tz == 100) {
        zone = "Z";
      } else if (tz > 1) {
        const int minutes = (tz - 100) * 15;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', std::abs(minutes) / 60,
                      std::abs(minutes) % 60);
        zone = buf;
      }
      return type == OFTTime ? std::string(time) + zone : std::string(date) + "T" + time + zone;
    }
    default:
      return OGR_F_GetFieldAsString(f, i);
  }
}

bool is_tabular_driver(std::string_view driver) { return driver == "CSV" || driver == "XLSX" || driver == "ODS"; }

int find_column(const std::vector<std::string>& names, std::initializer_list<std::string_view> wanted) {
  for (auto w : wanted) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (lower(names[i]) == w) return static_cast<int>(i);
  }
  return -1;
}

// Turns an OGR geometry into 2D ISO WKB in EPSG:4326, or says why it cannot.
Result<storage::Geometry> finish_geometry(OgrGeometry g, OGRCoordinateTransformationH ct, const std::string& crs_text,
                                          GdalErrors& errors) {
  if (OGR_G_HasCurveGeometry(g.get(), TRUE)) {
    OgrGeometry linear(OGR_G_GetLinearGeometry(g.get(), 0, nullptr));
    if (!linear) return Error::invalid("curved geometry cannot be converted to lines: " + errors.take());
    g = std::move(linear);
  }
  OGR_G_FlattenTo2D(g.get());
  if (ct && OGR_G_Transform(g.get(), ct) != OGRERR_NONE)
    return Error::invalid("geometry cannot be transformed from " + crs_text + " to EPSG:4326: " + errors.take());
  storage::Geometry out;
  out.srid = kWgs84;
  out.wkb.resize(OGR_G_WkbSizeEx(g.get()));
  if (OGR_G_ExportToIsoWkb(g.get(), wkbNDR, out.wkb.data()) != OGRERR_NONE)
    return Error::internal("cannot encode geometry as WKB: " + errors.take());
  // The coordinate that is wrong, as what it is (not a corner of the bounding box).
  if (auto bad = coordinate_problem(out, true))
    return Error::invalid(bad->out_of_range ? bad->message + " after transformation from " + crs_text + "; is that the right CRS?"
                                            : bad->message);
  return out;
}

// Where a table without a geometry type keeps its geometry.
struct GeometryColumns {
  int wkt = -1;
  int x = -1, y = -1;
  bool any() const { return wkt >= 0 || (x >= 0 && y >= 0); }
  bool holds(int i) const { return i == wkt || (wkt < 0 && (i == x || i == y)); }
};

Result<OgrGeometry> geometry_from_columns(OGRFeatureH f, const GeometryColumns& cols,
                                          const std::vector<std::string>& names) {
  if (cols.wkt >= 0) {
    std::string text(trim(OGR_F_GetFieldAsString(f, cols.wkt)));
    if (text.empty()) return OgrGeometry();
    char* cursor = text.data();
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkt(&cursor, nullptr, &g) != OGRERR_NONE || !g) {
      if (g) OGR_G_DestroyGeometry(g);
      return Error::invalid("column " + names[cols.wkt] + " is not valid WKT: '" + shorten(text) + "'");
    }
    return OgrGeometry(g);
  }
  const std::string xs = OGR_F_GetFieldAsString(f, cols.x), ys = OGR_F_GetFieldAsString(f, cols.y);
  if (trim(xs).empty() && trim(ys).empty()) return OgrGeometry();
  const auto x = parse_decimal(xs), y = parse_decimal(ys);
  if (!x || !y) {
    return Error::invalid("columns " + names[cols.x] + ", " + names[cols.y] + " ('" + shorten(xs, 30) + "', '" +
                          shorten(ys, 30) + "') are not a pair of numbers");
  }
  OgrGeometry point(OGR_G_CreateGeometry(wkbPoint));
  OGR_G_SetPoint_2D(point.get(), 0, *x, *y);
  return point;
}

}  // namespace

Result<FeatureSet> read_features(const std::filesystem::path& path, const ReadOptions& options) {
  ensure_gdal();
  GdalErrors errors;
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::not_found("file not found: " + name);

  std::vector<const char*> open_options;
  const std::string ext = lower(path.extension().string());
  // Without this GDAL guesses whether a sheet's first row is a header, and guesses
  // wrong when every cell is text.
  if (ext == ".xlsx" || ext == ".ods") open_options.push_back("HEADERS=FORCE");
  open_options.push_back(nullptr);
  // GDAL 3.6 ignores the HEADERS open option of the XLSX and ODS drivers and reads
  // their OGR_*_HEADERS configuration instead (the sheet is parsed lazily, so the
  // setting stays for the whole read, on this thread only).
  struct SheetHeaders {
    SheetHeaders() {
      CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
      CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
    }
    ~SheetHeaders() {
      CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", nullptr);
      CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", nullptr);
    }
  } sheet_headers;
  Dataset ds(GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.data(), nullptr));
  if (!ds) {
    return Error::invalid(name +
                          " is not a feature file that can be read (GeoJSON, GeoPackage, Shapefile, KML, CSV, XLSX): " +
                          errors.take("no driver recognises it"));
  }

  std::vector<std::string> layer_names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds.get()); ++i)
    layer_names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds.get(), i)));
  OGRLayerH layer = nullptr;
  if (options.layer) {
    layer = GDALDatasetGetLayerByName(ds.get(), options.layer->c_str());
    if (!layer)
      return Error::invalid(name + " has no layer '" + *options.layer + "'; its layers: " + join(layer_names));
  } else if (layer_names.empty()) {
    return Error::invalid(name + " has no layers");
  } else if (layer_names.size() > 1) {
    return Error::invalid(name + " has " + std::to_string(layer_names.size()) + " layers (" + join(layer_names) +
                          "); choose one with --layer");
  } else {
    layer = GDALDatasetGetLayer(ds.get(), 0);
  }

  FeatureSet out;
  out.layer_name = OGR_L_GetName(layer);
  const bool tabular = is_tabular_driver(GDALGetDriverShortName(GDALGetDatasetDriver(ds.get())));
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  std::vector<std::string> names;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));

  // Tables get their geometry from named columns here rather than from GDAL's CSV
  // options: GDAL silently drops WKT it cannot parse and turns a bad number into
  // NULL, which would hide exactly the rows an official needs to fix.
  GeometryColumns cols;
  if (tabular) {
    cols.wkt = find_column(names, {"wkt", "geometry", "geom"});
    cols.x = find_column(names, {"lon", "longitude", "x"});
    cols.y = find_column(names, {"lat", "latitude", "y"});
  }
  const bool spatial = tabular ? cols.any() : OGR_FD_GetGeomFieldCount(defn) > 0;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (!(tabular && cols.any() && cols.holds(static_cast<int>(i)))) out.field_names.push_back(names[i]);

  CoordTransform ct;
  if (spatial) {
    Srs source;
    if (options.source_epsg) {
      source.reset(OSRNewSpatialReference(nullptr));
      if (OSRImportFromEPSG(source.get(), *options.source_epsg) != OGRERR_NONE)
        return Error::invalid("unknown CRS EPSG:" + std::to_string(*options.source_epsg));
    } else if (!tabular) {
      if (OGRSpatialReferenceH own = OGR_L_GetSpatialRef(layer)) source.reset(OSRClone(own));
    }
    if (!source) {
      return Error::invalid(name +
                            " does not say which coordinate reference system its coordinates are in; "
                            "give its EPSG code with --crs (e.g. --crs 4326 for longitude/latitude, "
                            "--crs 9205 for VN-2000 / TM-3 103-00)");
    }
    OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
    out.source_crs = describe(source.get());
    Srs target = wgs84();
    if (!OSRIsSame(source.get(), target.get())) {
      ct.reset(OCTNewCoordinateTransformation(source.get(), target.get()));
      if (!ct) return Error::invalid("cannot transform from " + out.source_crs + " to EPSG:4326: " + errors.take());
    }
  }

  errors.take("");  // complaints so far did not stop the file from opening
  OGR_L_ResetReading(layer);
  for (std::int64_t number = 1;; ++number) {
    OgrFeature f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    Feature feature;
    feature.number = number;
    // GDAL may complain about one record (a broken geometry) and carry on.
    if (errors.any()) out.problems.push_back({number, errors.take()});
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (tabular && cols.any() && cols.holds(static_cast<int>(i))) continue;
      feature.attributes[names[i]] = field_text(f.get(), static_cast<int>(i));
    }
    if (spatial) {
      Result<OgrGeometry> g = OgrGeometry();
      if (tabular) {
        g = geometry_from_columns(f.get(), cols, names);
      } else if (OGRGeometryH own = OGR_F_GetGeometryRef(f.get())) {
        g = OgrGeometry(OGR_G_Clone(own));
      }
      if (!g) {
        out.problems.push_back({number, g.error().message});
      } else if (*g) {
        auto wkb = finish_geometry(std::move(*g), ct.get(), out.source_crs, errors);
        if (wkb)
          feature.geometry = std::move(*wkb);
        else
          out.problems.push_back({number, wkb.error().message});
      }
    }
    out.features.push_back(std::move(feature));
  }
  if (errors.any()) {
    return Error::invalid("reading " + name + " failed after feature " + std::to_string(out.features.size()) + ": " +
                          errors.take());
  }
  return out;
}

std::optional<VectorFormat> parse_vector_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "gpkg") return VectorFormat::gpkg;
  if (n == "geojson") return VectorFormat::geojson;
  if (n == "shp") return VectorFormat::shp;
  if (n == "csv") return VectorFormat::csv;
  if (n == "xlsx") return VectorFormat::xlsx;
  return std::nullopt;
}

namespace {

using Cell = std::variant<std::monostate, std::string, std::int64_t, double, CivilDate>;

const char* driver_name(VectorFormat f) {
  switch (f) {
    case VectorFormat::gpkg:
      return "GPKG";
    case VectorFormat::geojson:
      return "GeoJSON";
    case VectorFormat::shp:
      return "ESRI Shapefile";
    case VectorFormat::csv:
      return "CSV";
    case VectorFormat::xlsx:
      return "XLSX";
  }
  return "";
}

// Files a previous export may have left, so that nothing stale survives next to the
// new file (a Shapefile is several files).
std::vector<std::filesystem::path> output_files(const std::filesystem::path& path, VectorFormat format) {
  if (format != VectorFormat::shp) return {path};
  std::vector<std::filesystem::path> files;
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"}) {
    auto p = path;
    files.push_back(p.replace_extension(ext));
  }
  return files;
}

void remove_files(const std::vector<std::filesystem::path>& files) {
  std::error_code ec;
  for (const auto& f : files) std::filesystem::remove(f, ec);
}

// The one geometry type of a layer holding these types: the common type, the
// multi-type when single and multi parts mix, otherwise "any" (wkbUnknown).
OGRwkbGeometryType layer_type_for(const std::set<OGRwkbGeometryType>& types) {
  if (types.empty()) return wkbNone;
  if (types.size() == 1) return *types.begin();
  std::set<OGRwkbGeometryType> families;
  for (auto t : types) families.insert(OGR_GT_IsSubClassOf(t, wkbGeometryCollection) ? t : OGR_GT_GetCollection(t));
  return families.size() == 1 ? *families.begin() : wkbUnknown;
}

}  // namespace

Status write_features(const std::filesystem::path& path, VectorFormat format, const std::string& layer_name,
                      const std::vector<FieldSpec>& fields, const std::vector<Feature>& features) {
  ensure_gdal();
  GdalErrors errors;
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error::invalid(name + " is a folder, not a file name");

  // Check everything before the old file is touched.
  std::vector<FieldError> problems;
  std::set<std::string> seen;
  for (const auto& f : fields) {
    if (f.name.empty()) problems.push_back({"fields", "a field has no name"});
    if (!seen.insert(lower(f.name)).second) problems.push_back({"fields", "field " + f.name + " is declared twice"});
  }
  const bool csv = format == VectorFormat::csv, shp = format == VectorFormat::shp, xlsx = format == VectorFormat::xlsx;
  std::vector<std::vector<Cell>> cells(features.size(), std::vector<Cell>(fields.size()));
  std::vector<OgrGeometry> geometries(features.size());
  std::vector<std::size_t> text_width(fields.size(), 1);
  for (std::size_t k = 0; k < features.size(); ++k) {
    const auto& feature = features[k];
    const std::string where = "feature " + std::to_string(feature.number > 0 ? feature.number : std::int64_t(k + 1));
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto it = feature.attributes.find(fields[i].name);
      if (it == feature.attributes.end() || trim(it->second).empty()) continue;  // NULL
      const std::string& text = it->second;
      const std::string field = where + ", field " + fields[i].name;
      switch (fields[i].type) {
        case FieldType::string:
          if (shp && text.size() > 254)
            problems.push_back({field, "longer than the 254 bytes a Shapefile field holds"});
          text_width[i] = std::max(text_width[i], std::min<std::size_t>(text.size(), 254));
          cells[k][i] = text;
          break;
        case FieldType::integer:
          if (auto v = parse_integer(text))
            cells[k][i] = *v;
          else
            problems.push_back({field, "'" + shorten(text) + "' is not a whole number"});
          break;
        case FieldType::real:
          if (auto v = parse_decimal(text))
            cells[k][i] = *v;
          else
            problems.push_back({field, "'" + shorten(text) + "' is not a number"});
          break;
        case FieldType::date:
          if (auto v = CivilDate::parse(trim(text)))
            cells[k][i] = *v;
          else
            problems.push_back({field, "'" + shorten(text) + "' is not a date (YYYY-MM-DD or dd/mm/yyyy)"});
          break;
      }
    }
    if (!feature.geometry) continue;
    auto lonlat = transform(*feature.geometry, kWgs84);
    if (!lonlat) {
      problems.push_back({where + ", geometry", lonlat.error().message});
      continue;
    }
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkbEx(lonlat->wkb.data(), nullptr, &g, lonlat->wkb.size()) != OGRERR_NONE || !g) {
      problems.push_back({where + ", geometry", "unreadable WKB: " + errors.take()});
      continue;
    }
    geometries[k].reset(g);
  }

  std::set<OGRwkbGeometryType> types;
  for (const auto& g : geometries)
    if (g) types.insert(wkbFlatten(OGR_G_GetGeometryType(g.get())));
  const OGRwkbGeometryType geometry_type = layer_type_for(types);
  if (shp && geometry_type == wkbUnknown)
    problems.push_back({"geometry",
                        "a Shapefile holds one kind of geometry, but these features mix points, lines "
                        "and polygons; use gpkg or geojson"});

  // Excel refuses cells longer than 32,767 characters.
  std::vector<std::string> wkt(xlsx ? features.size() : 0);
  for (std::size_t k = 0; k < wkt.size(); ++k) {
    if (!geometries[k]) continue;
    char* text = nullptr;
    if (OGR_G_ExportToIsoWkt(geometries[k].get(), &text) == OGRERR_NONE && text) wkt[k] = text;
    CPLFree(text);
    if (wkt[k].size() > 32767) {
      problems.push_back({"feature " +
                              std::to_string(features[k].number > 0 ? features[k].number : std::int64_t(k + 1)) +
                              ", geometry",
                          "too detailed for an Excel cell (" + std::to_string(wkt[k].size()) +
                              " characters of WKT); simplify it or export as gpkg"});
    }
  }
  if (!problems.empty()) {
    // Count before moving: argument evaluation order is unspecified.
    std::string message = "cannot write " + name + ": " + std::to_string(problems.size()) + " problem(s)";
    return Error::invalid(std::move(message), std::move(problems));
  }

  GDALDriverH driver = GDALGetDriverByName(driver_name(format));
  if (!driver) return Error::internal(std::string("GDAL has no ") + driver_name(format) + " driver");
  const auto files = output_files(path, format);
  remove_files(files);
  if (std::filesystem::exists(path, ec)) return Error::invalid("cannot replace " + name);

  Dataset ds(GDALCreate(driver, name.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) return Error::invalid("cannot create " + name + ": " + errors.take());
  auto fail = [&](const std::string& what) -> Status {
    const std::string message = "cannot write " + name + ": " + what + ": " + errors.take();
    ds.reset();
    remove_files(files);
    return Error::invalid(message);
  };

  std::vector<const char*> layer_options;
  OGRwkbGeometryType layer_type = geometry_type;
  Srs srs;
  switch (format) {
    case VectorFormat::gpkg:
      srs = wgs84();
      break;
    case VectorFormat::geojson:
      srs = wgs84();
      // RFC 7946 is what web maps expect; 8 decimals of a degree are about 1 mm.
      // 15 decimals: exact round trips (rounding can make a valid boundary self-intersect).
      layer_options = {"RFC7946=YES", "COORDINATE_PRECISION=15"};
      break;
    case VectorFormat::shp:
      srs = wgs84();
      // GDAL's default encoding for new Shapefiles is Latin-1, which has no room for Vietnamese.
      layer_options = {"ENCODING=UTF-8"};
      break;
    case VectorFormat::csv:
      layer_options = {"WRITE_BOM=YES"};
      if (geometry_type != wkbNone) layer_options.push_back("GEOMETRY=AS_WKT");
      break;
    case VectorFormat::xlsx:
      layer_type = wkbNone;
      break;
  }
  layer_options.push_back(nullptr);
  const std::string layer_title = layer_name.empty() ? path.stem().string() : layer_name;
  OGRLayerH layer = GDALDatasetCreateLayer(ds.get(), layer_title.c_str(), srs.get(), layer_type, layer_options.data());
  if (!layer) return fail("cannot create layer " + layer_title);

  for (std::size_t i = 0; i < fields.size(); ++i) {
    OGRFieldType type = OFTString;
    switch (fields[i].type) {
      case FieldType::string:
        type = OFTString;
        break;
      case FieldType::integer:
        type = OFTInteger64;
        break;
      case FieldType::real:
        type = OFTReal;
        break;
      // GDAL writes CSV dates as 2024/05/01; as text they stay ISO.
      case FieldType::date:
        type = csv ? OFTString : OFTDate;
        break;
    }
    FieldDefn defn(OGR_Fld_Create(fields[i].name.c_str(), type));
    if (shp && type == OFTString) OGR_Fld_SetWidth(defn.get(), static_cast<int>(text_width[i]));
    if (OGR_L_CreateField(layer, defn.get(), TRUE) != OGRERR_NONE) return fail("cannot create field " + fields[i].name);
  }
  const bool wkt_column = xlsx && geometry_type != wkbNone;
  if (wkt_column) {
    FieldDefn defn(OGR_Fld_Create("WKT", OFTString));
    if (OGR_L_CreateField(layer, defn.get(), TRUE) != OGRERR_NONE) return fail("cannot create field WKT");
  }

  // One transaction makes a GeoPackage write fast; other drivers decline, harmlessly.
  const bool in_transaction = GDALDatasetStartTransaction(ds.get(), FALSE) == OGRERR_NONE;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (std::size_t k = 0; k < features.size(); ++k) {
    OgrFeature f(OGR_F_Create(defn));
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const int index = static_cast<int>(i);
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              OGR_F_SetFieldNull(f.get(), index);
            } else if constexpr (std::is_same_v<T, std::string>) {
              OGR_F_SetFieldString(f.get(), index, v.c_str());
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              OGR_F_SetFieldInteger64(f.get(), index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              OGR_F_SetFieldDouble(f.get(), index, v);
            } else if (csv) {
              OGR_F_SetFieldString(f.get(), index, v.iso().c_str());
            } else {
              OGR_F_SetFieldDateTime(f.get(), index, v.year(), static_cast<int>(v.month()), static_cast<int>(v.day()),
                                     0, 0, 0, 0);
            }
          },
          cells[k][i]);
    }
    if (wkt_column) {
      if (geometries[k]) OGR_F_SetFieldString(f.get(), static_cast<int>(fields.size()), wkt[k].c_str());
    } else if (geometries[k] && layer_type != wkbNone) {
      OGRGeometryH g = geometries[k].release();
      // A layer declared MultiPolygon takes one-part polygons as MultiPolygons.
      if (wkbFlatten(OGR_G_GetGeometryType(g)) != layer_type && layer_type != wkbUnknown)
        g = OGR_G_ForceTo(g, layer_type, nullptr);
      OGR_F_SetGeometryDirectly(f.get(), g);
    }
    if (OGR_L_CreateFeature(layer, f.get()) != OGRERR_NONE)
      return fail("feature " + std::to_string(features[k].number > 0 ? features[k].number : std::int64_t(k + 1)));
  }
  if (in_transaction && GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE) return fail("commit");
  ds.reset();  // GDAL writes most formats out on close
  if (errors.any()) {
    const std::string message = "cannot write " + name + ": " + errors.take();
    remove_files(files);
    return Error::invalid(message);
  }
  return {};
}

}  // namespace nongsan::geo
