#include "geo/vector_io.hpp"

#include "geo/coordinate_check.hpp"
#include "geo/coordinate_text.hpp"
#include "geo/gdal_errors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
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

// The area of a polygonal geometry in the province's CRS, from the file's coordinates
// (`to_province` null: they are in it already).
std::optional<double> province_area(OGRGeometryH g, OGRCoordinateTransformationH to_province) {
  const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
  if (type != wkbPolygon && type != wkbMultiPolygon) return std::nullopt;
  if (!to_province) return OGR_G_Area(g);
  OgrGeometry copy(OGR_G_Clone(g));
  if (!copy || OGR_G_Transform(copy.get(), to_province) != OGRERR_NONE) return std::nullopt;
  double a = OGR_G_Area(copy.get());
  return std::isfinite(a) ? std::optional<double>(a) : std::nullopt;
}

// Turns an OGR geometry into 2D ISO WKB in EPSG:4326, or says why it cannot; `area`
// gets the polygon's area in the province's CRS when `measure` (see Feature::area_m2).
Result<storage::Geometry> finish_geometry(OgrGeometry g, OGRCoordinateTransformationH ct, const std::string& crs_text,
                                          GdalErrors& errors, bool measure = false,
                                          OGRCoordinateTransformationH to_province = nullptr,
                                          std::optional<double>* area = nullptr) {
  if (OGR_G_HasCurveGeometry(g.get(), TRUE)) {
    OgrGeometry linear(OGR_G_GetLinearGeometry(g.get(), 0, nullptr));
    if (!linear) return Error::invalid("curved geometry cannot be converted to lines: " + errors.take());
    g = std::move(linear);
  }
  OGR_G_FlattenTo2D(g.get());
  if (measure && area) {
    *area = province_area(g.get(), to_province);
    // A polygon that cannot be measured in the province's CRS has no area (nullopt);
    // PROJ's complaint about it is not the file's problem: the transformation to
    // EPSG:4326 and the coordinate check below say what is wrong with the geometry.
    errors.take("");
  }
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

std::string hex(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

// Characters (UTF-8 sequences, a stray byte counting as one) before byte `offset`.
std::size_t character_count(std::string_view s, std::size_t offset) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

// The file beside `p` with extension `ext` (".dbf"), in whichever case exists.
std::filesystem::path sidecar(const std::filesystem::path& p, const std::string& ext) {
  std::error_code ec;
  auto lower_case = p;
  lower_case.replace_extension(ext);
  if (std::filesystem::exists(lower_case, ec)) return lower_case;
  std::string upper = ext;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto upper_case = p;
  upper_case.replace_extension(upper);
  return std::filesystem::exists(upper_case, ec) ? upper_case : lower_case;
}

// The file's size against the limit: a CSV or .dbf as stored, an XLSX/ODS (a ZIP
// of XML) as unpacked, since that is what GDAL holds in memory.
Status check_file_size(const std::filesystem::path& path, const std::filesystem::path& data_file,
                       const std::string& ext, const TableLimits& limits) {
  std::error_code ec;
  std::uint64_t size = 0;
  std::string what = "is";
  if (ext == ".xlsx" || ext == ".ods") {
    const std::string zip = "/vsizip/" + path.string();
    char** entries = VSIReadDirRecursive(zip.c_str());
    for (char** e = entries; e && *e; ++e) {
      VSIStatBufL st;
      if (VSIStatL((zip + "/" + *e).c_str(), &st) == 0 && !VSI_ISDIR(st.st_mode))
        size += static_cast<std::uint64_t>(st.st_size);
    }
    CSLDestroy(entries);
    what = "unpacks to";
  } else if (ext == ".csv" || ext == ".tsv" || ext == ".shp" || ext == ".dbf") {
    if (!std::filesystem::exists(data_file, ec)) return {};
    size = std::filesystem::file_size(data_file, ec);
    if (ec) return {};
  } else {
    return {};
  }
  if (size <= limits.max_file_bytes) return {};
  return Error::invalid(data_file.string() + " " + what + " " + megabytes(size) + "; a file to import may hold at most " +
                            megabytes(limits.max_file_bytes) + " (setting import.max_file_mb)",
                        {{"file", "too large"}});
}

std::optional<std::uint64_t> read_le(const std::filesystem::path& p, std::size_t offset, std::size_t bytes) {
  std::FILE* f = std::fopen(p.string().c_str(), "rb");
  if (!f) return std::nullopt;
  unsigned char buf[8] = {};
  const bool ok = std::fseek(f, static_cast<long>(offset), SEEK_SET) == 0 && std::fread(buf, 1, bytes, f) == bytes;
  std::fclose(f);
  if (!ok) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | buf[i];
  return v;
}

// A Shapefile is three files that must agree: GDAL reads as many features as the
// .dbf has records, so a .dbf short of records drops shapes without a word.
Status check_shapefile_counts(const std::filesystem::path& shp) {
  std::error_code ec;
  const auto shx = sidecar(shp, ".shx"), dbf = sidecar(shp, ".dbf");
  if (!std::filesystem::exists(shx, ec) || !std::filesystem::exists(dbf, ec)) return {};
  const auto shx_size = std::filesystem::file_size(shx, ec);
  if (ec || shx_size < 100) return {};
  const std::uint64_t shapes = (shx_size - 100) / 8;  // ESRI Shapefile Technical Description (1998): 8-byte index records
  // dBASE header: record count (bytes 4–7), header length (8–9), record length (10–11).
  const auto count = read_le(dbf, 4, 4), header = read_le(dbf, 8, 2), record = read_le(dbf, 10, 2);
  if (!count || !header || !record || *record == 0) return {};
  const auto dbf_size = std::filesystem::file_size(dbf, ec);
  if (ec) return {};
  const std::uint64_t stored = dbf_size > *header ? (dbf_size - *header) / *record : 0;
  const std::uint64_t records = std::min(*count, stored);
  if (records == shapes) return {};
  return Error::invalid(shp.filename().string() + " holds " + std::to_string(shapes) + " shapes but " +
                            dbf.filename().string() + " holds " + std::to_string(records) + " records" +
                            (stored < *count ? " (its header says " + std::to_string(*count) + "; the file is cut short)"
                                             : "") +
                            "; the files do not belong together: export the Shapefile again",
                        {{"file", "the .shp and .dbf hold different numbers of features"}});
}

// GDAL knows a .dbf's code page from a .cpg file or from the language driver id
// (byte 29); 0 says nothing and 0x57 (87) says "the writer's Windows code page",
// which GDAL takes as Latin-1 — wrong for Vietnamese text in TCVN3 or VNI.
bool dbf_code_page_known(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(sidecar(path, ".cpg"), ec)) return true;
  const auto ldid = read_le(sidecar(path, ".dbf"), 29, 1);
  return ldid && *ldid != 0 && *ldid != 0x57;
}

// Files put in GDAL's in-memory file system for one read, removed after it.
class MemoryFiles {
 public:
  MemoryFiles() {
    static std::atomic<unsigned long> counter{0};
    dir_ = "/vsimem/nongsan-read-" + std::to_string(++counter) + "/";
  }
  ~MemoryFiles() {
    for (const auto& p : paths_) VSIUnlink(p.c_str());
  }
  MemoryFiles(const MemoryFiles&) = delete;
  MemoryFiles& operator=(const MemoryFiles&) = delete;

  // Moves `bytes` into a file named `name` in this read's folder; returns its path.
  std::string add(const std::string& name, const std::string& bytes) {
    const std::string p = dir_ + name;
    auto* buf = static_cast<GByte*>(CPLMalloc(bytes.size() + 1));
    std::memcpy(buf, bytes.data(), bytes.size());
    VSIFCloseL(VSIFileFromMemBuffer(p.c_str(), buf, static_cast<vsi_l_offset>(bytes.size()), TRUE));
    paths_.push_back(p);
    return p;
  }

 private:
  std::string dir_;
  std::vector<std::string> paths_;
};

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

// A CSV file as UTF-8 in memory, for GDAL: converted from its legacy encoding (given
// or detected), without a byte-order mark. Its .csvt (column types) and .prj go along.
Result<std::pair<std::string, TextEncoding>> csv_in_memory(const std::filesystem::path& path,
                                                          const std::optional<TextEncoding>& encoding,
                                                          MemoryFiles& memory) {
  auto bytes = read_file(path);
  if (!bytes) return Error::invalid("cannot read " + path.string());
  const std::string what = path.string();
  auto decoded = encoding ? decode_text(*bytes, *encoding, what) : detect_and_decode(*bytes, what);
  if (!decoded) return decoded.error();
  bytes.reset();
  std::string& text = decoded->text;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  const std::string main = memory.add(path.filename().string(), text);
  text.clear();
  text.shrink_to_fit();
  for (const char* ext : {".csvt", ".prj"}) {
    const auto side = sidecar(path, ext);
    if (auto content = read_file(side)) memory.add(path.stem().string() + ext, *content);
  }
  return std::pair{main, decoded->encoding};
}

using ColumnAt = std::function<std::string(std::size_t)>;

// Column names as an official meant them: without a byte-order mark and surrounding
// whitespace (a trailing CR, an NBSP); an invisible character anywhere else, a name
// over the limit, bad UTF-8 or a name used twice is an error naming the column.
// Names that differ only in case are the same column to the importers, which match
// names without regard to case; a GeoJSON may hold "name" and "Name", a table not.
Status clean_column_names(std::vector<std::string>& names, const TableLimits& limits, const ColumnAt& column_at,
                          bool raw, bool tabular) {
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string& n = names[i];
    if (n.size() > limits.max_column_name_bytes) {
      problems.push_back({column_at(i), "the column name ('" + shorten(n, 40) + "') is " + std::to_string(n.size()) +
                                            " bytes long; a column name may hold at most " +
                                            std::to_string(limits.max_column_name_bytes) +
                                            " (setting import.max_column_name_bytes)"});
      continue;
    }
    if (raw) continue;  // decoded later
    if (auto bad = first_invalid_utf8(n)) {
      problems.push_back({column_at(i), "the column name has byte " + hex(static_cast<unsigned char>(n[*bad])) +
                                            ", which is not valid UTF-8"});
      continue;
    }
    n = trim_header_name(n);
    if (auto at = find_invisible(n)) {
      std::string visible;
      for (std::size_t k = 0; k < n.size();) {
        const std::size_t from = k;
        auto next = find_invisible(std::string_view(n).substr(k));
        const std::size_t stop = next ? from + *next : n.size();
        visible += n.substr(from, stop - from);
        if (!next) break;
        // Skip the invisible character itself (one UTF-8 sequence).
        k = stop + 1;
        while (k < n.size() && (static_cast<unsigned char>(n[k]) & 0xC0) == 0x80) ++k;
      }
      problems.push_back({column_at(i), "column '" + visible + "' contains an invisible character " +
                                            describe_character(n, *at) + " at character " +
                                            std::to_string(character_count(n, *at) + 1) + "; remove it"});
    }
  }
  for (std::size_t i = 0; problems.empty() && i < names.size(); ++i)
    for (std::size_t j = i + 1; j < names.size(); ++j)
      if (tabular ? lower(names[i]) == lower(names[j]) : names[i] == names[j])
        problems.push_back({column_at(j), "column '" + names[j] + "' appears twice (also column " +
                                              std::to_string(i + 1) + ")"});
  if (problems.empty()) return {};
  std::string message = "the header has " + std::to_string(problems.size()) + " problem(s)";
  return Error::invalid(std::move(message), std::move(problems));
}

// A .dbf read as stored: its names and values decoded in the encoding given, or the
// one all of its text reads as.
Status decode_dbf_text(const std::string& name, FeatureSet& out, const std::vector<std::vector<std::string>>& rows,
                       std::optional<TextEncoding> encoding, const TableLimits& limits, const ColumnAt& column_at) {
  if (!encoding) {
    std::string all;
    for (const auto& n : out.field_names) all += n + "\n";
    for (const auto& row : rows)
      for (const auto& v : row) all += v + "\n";
    auto detected = detect_and_decode(all, name);
    if (!detected) {
      // The position in the concatenated text means nothing to the user: name the record.
      std::size_t offset = first_invalid_utf8(all).value_or(0), seen = 0;
      std::string where = "the field names";
      for (const auto& n : out.field_names) seen += n.size() + 1;
      for (std::size_t r = 0; seen <= offset && r < rows.size(); ++r)
        for (std::size_t k = 0; k < rows[r].size() && seen <= offset; ++k) {
          seen += rows[r][k].size() + 1;
          if (seen > offset) where = "record " + std::to_string(r + 1) + ", field " + out.field_names[k];
        }
      return Error::invalid(name + ": " + where + ": the text is not UTF-8 and does not read as TCVN3, VNI, "
                                   "Windows-1258 or Latin-1; give the .dbf's encoding with --encoding",
                            {{where, "unknown text encoding"}});
    }
    encoding = detected->encoding;
  }
  auto decode = [&](const std::string& bytes, const std::string& where) -> Result<std::string> {
    auto d = decode_text(bytes, *encoding, where);
    if (!d) return d.error();
    return std::move(d->text);
  };
  std::vector<std::string> names;
  for (std::size_t i = 0; i < out.field_names.size(); ++i) {
    auto n = decode(out.field_names[i], column_at(i));
    if (!n) return n.error();
    names.push_back(std::move(*n));
  }
  if (auto s = clean_column_names(names, limits, column_at, false, true); !s) return s.error();
  out.field_names = names;
  auto shared = std::make_shared<const FieldValues::Names>(names);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> values;
    for (std::size_t k = 0; k < rows[r].size(); ++k) {
      auto v = decode(rows[r][k], "feature " + std::to_string(r + 1) + ", field " + names[k]);
      if (!v) return v.error();
      values.push_back(std::move(*v));
    }
    out.features[r].attributes = FieldValues(shared, std::move(values));
  }
  out.text_encoding = *encoding;
  return {};
}

}  // namespace

Result<FeatureSet> read_features(const std::filesystem::path& path, const ReadOptions& options) {
  ensure_gdal();
  GdalErrors errors;
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::not_found("file not found: " + name);

  const std::string ext = lower(path.extension().string());
  const bool csv = ext == ".csv" || ext == ".tsv";
  const bool shapefile = ext == ".shp" || ext == ".dbf";
  const TableLimits& limits = options.limits;
  if (auto s = check_file_size(path, csv ? path : shapefile ? sidecar(path, ".dbf") : path, ext, limits); !s)
    return s.error();
  if (ext == ".shp") {
    if (auto s = check_shapefile_counts(path); !s) return s.error();
  }

  // A CSV file is read here, converted to UTF-8 and handed to GDAL from memory.
  MemoryFiles memory;
  std::string open_name = name;
  TextEncoding text_encoding = TextEncoding::utf8;
  if (csv) {
    auto converted = csv_in_memory(path, options.encoding, memory);
    if (!converted) return converted.error();
    open_name = converted->first;
    text_encoding = converted->second;
  }
  // A .dbf whose code page GDAL would guess is read as it is stored, and decoded here.
  const bool raw_dbf = shapefile && (options.encoding || !dbf_code_page_known(path));

  std::vector<const char*> open_options;
  // Without this GDAL guesses whether a sheet's first row is a header, and guesses
  // wrong when every cell is text.
  if (ext == ".xlsx" || ext == ".ods") open_options.push_back("HEADERS=FORCE");
  if (raw_dbf) open_options.push_back("ENCODING=");
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
  Dataset ds(GDALOpenEx(open_name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.data(), nullptr));
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
  out.text_encoding = text_encoding;
  const std::string_view driver_short = GDALGetDriverShortName(GDALGetDatasetDriver(ds.get()));
  const bool tabular = is_tabular_driver(driver_short);
  const bool spreadsheet = driver_short == "XLSX" || driver_short == "ODS";
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  std::vector<std::string> names;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  // Where a problem is: tables count lines (the header is line 1), other files features.
  auto column_at = [&](std::size_t i) {
    return tabular ? "line 1, column " + std::to_string(i + 1) : "field " + std::to_string(i + 1);
  };
  auto cell_at = [&](std::int64_t number, const std::string& column) {
    return (tabular ? "line " + std::to_string(number + 1) : "feature " + std::to_string(number)) + ", column " +
           column;
  };

  // A raw .dbf's names and values are decoded once every record is read; the
  // encoding is decided on all of its text.
  std::optional<TextEncoding> dbf_encoding;
  if (raw_dbf && options.encoding) dbf_encoding = options.encoding;
  std::vector<std::vector<std::string>> raw_rows;  // raw .dbf only: values as stored

  if (auto s = clean_column_names(names, limits, column_at, raw_dbf, tabular); !s) return s.error();

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
  std::vector<int> attribute_index;  // GDAL field index of each attribute
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (tabular && cols.any() && cols.holds(static_cast<int>(i))) continue;
    out.field_names.push_back(names[i]);
    attribute_index.push_back(static_cast<int>(i));
  }
  // One copy of the names for every feature: per-row copies made memory grow with
  // rows × header size (a 1 MiB header and 1,000 rows took 2 GB).
  auto shared_names = std::make_shared<const FieldValues::Names>(out.field_names);

  CoordTransform ct;
  CoordTransform to_province;  // source → the province's CRS, for Feature::area_m2
  bool measure = false;
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
    Srs province(OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(province.get(), kProvinceCrs) == OGRERR_NONE) {
      OSRSetAxisMappingStrategy(province.get(), OAMS_TRADITIONAL_GIS_ORDER);
      if (OSRIsSame(source.get(), province.get())) {
        measure = true;
      } else {
        to_province.reset(OCTNewCoordinateTransformation(source.get(), province.get()));
        measure = static_cast<bool>(to_province);
      }
    }
  }

  errors.take("");  // complaints so far did not stop the file from opening
  std::vector<FieldError> value_problems;
  constexpr std::size_t kMaxValueProblems = 100;
  OGR_L_ResetReading(layer);
  for (std::int64_t number = 1;; ++number) {
    OgrFeature f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    Feature feature;
    feature.number = number;
    // GDAL may complain about one record (a broken geometry) and carry on.
    if (errors.any()) out.problems.push_back({number, errors.take()});
    std::vector<std::string> values;
    values.reserve(attribute_index.size());
    for (std::size_t k = 0; k < attribute_index.size(); ++k) {
      std::string v = field_text(f.get(), attribute_index[k]);
      // A date cell in a column GDAL reads as text (one cell of the column was typed as
      // text) comes as GDAL's "2025/03/01": read it as the date it is, in ISO like a
      // date column's cells, so that a sheet's dates do not depend on their neighbours.
      if (spreadsheet && v.size() == 10 && v[4] == '/' && v[7] == '/' &&
          OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f.get(), attribute_index[k])) == OFTString &&
          std::all_of(v.begin(), v.end(), [](char ch) { return ch == '/' || (ch >= '0' && ch <= '9'); })) {
        v[4] = '-';
        v[7] = '-';
      }
      if (v.size() > limits.max_cell_bytes && value_problems.size() < kMaxValueProblems) {
        value_problems.push_back({cell_at(number, out.field_names[k]),
                                  "the value is " + std::to_string(v.size()) + " bytes long; a value may hold at most " +
                                      std::to_string(limits.max_cell_bytes) + " (setting import.max_cell_kb)"});
      } else if (!raw_dbf) {
        if (auto bad = first_invalid_utf8(v); bad && value_problems.size() < kMaxValueProblems)
          value_problems.push_back({cell_at(number, out.field_names[k]),
                                    "byte " + hex(static_cast<unsigned char>(v[*bad])) + " at character " +
                                        std::to_string(character_count(v, *bad) + 1) +
                                        " is not valid UTF-8 (the file must be UTF-8)"});
      }
      values.push_back(std::move(v));
    }
    if (raw_dbf) raw_rows.push_back(values);
    feature.attributes = FieldValues(shared_names, std::move(values));
    if (spatial) {
      Result<OgrGeometry> g = OgrGeometry();
      if (tabular) {
        if (cols.wkt >= 0 && std::strlen(OGR_F_GetFieldAsString(f.get(), cols.wkt)) > limits.max_cell_bytes) {
          if (value_problems.size() < kMaxValueProblems)
            value_problems.push_back({cell_at(number, names[cols.wkt]),
                                      "the value is longer than the " + std::to_string(limits.max_cell_bytes) +
                                          " bytes a value may hold (setting import.max_cell_kb)"});
        } else {
          g = geometry_from_columns(f.get(), cols, names);
        }
      } else if (OGRGeometryH own = OGR_F_GetGeometryRef(f.get())) {
        g = OgrGeometry(OGR_G_Clone(own));
      }
      if (!g) {
        out.problems.push_back({number, g.error().message});
      } else if (*g) {
        auto wkb = finish_geometry(std::move(*g), ct.get(), out.source_crs, errors, measure, to_province.get(),
                                   &feature.area_m2);
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
  if (!value_problems.empty()) {
    std::string message = name + ": " + std::to_string(value_problems.size()) +
                          (value_problems.size() >= kMaxValueProblems ? " or more" : "") + " values cannot be read";
    return Error::invalid(std::move(message), std::move(value_problems));
  }
  if (raw_dbf) {
    auto decoded = decode_dbf_text(name, out, raw_rows, dbf_encoding, limits, column_at);
    if (!decoded) return decoded.error();
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
