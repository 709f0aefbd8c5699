// Reading and writing feature files through GDAL/OGR: GeoJSON, GeoPackage,
// Shapefile, KML, CSV and XLSX, for `nongsan import units` / `export units` and
// parcel imports. Geometries come out in EPSG:4326 (x = longitude, y = latitude)
// and go in with any SRID (written in EPSG:4326). GDAL stays inside the .cpp.
// Thread-safe: every call opens its own dataset.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_values.hpp"
#include "core/result.hpp"
#include "core/text_encoding.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

// Limits on what an official's file may hold, so that a broken or hostile file is
// refused with a message instead of taking the machine's memory. The defaults are
// those of the import.* settings (app/config.cpp), which the CLI passes in.
struct TableLimits {
  std::uint64_t max_file_bytes = 256ull << 20;  // a CSV or .dbf as stored; an XLSX/ODS unpacked
  std::size_t max_column_name_bytes = 256;     // one column (field) name
  std::size_t max_cell_bytes = 1u << 20;       // one value (a WKT cell included)
};

struct ReadOptions {
  std::optional<std::string> layer;  // REQUIRED when the file holds more than one layer
  // EPSG code of the coordinates. Overrides the file's own CRS; needed for files
  // that carry none (CSV, XLSX, a Shapefile without .prj).
  std::optional<int> source_epsg;
  // The text encoding of a CSV file or a Shapefile's .dbf; nullopt: detected (see
  // read_features). XLSX, GeoJSON, GeoPackage and KML are UTF-8 by definition.
  std::optional<TextEncoding> encoding;
  TableLimits limits;
};

struct Feature {
  std::int64_t number = 0;                    // 1-based position in the layer (first data row = 1)
  FieldValues attributes;                     // every value as text ("" for NULL); dates as YYYY-MM-DD
  std::optional<storage::Geometry> geometry;  // EPSG:4326, 2D; nullopt if none or unreadable
  // Polygons: the area in the province's projected CRS (VN-2000, kProvinceCrs) computed
  // from the file's own coordinates with one transformation (none for a file already in
  // it), so that a 100 m square drawn in VN-2000 measures 10,000 m² exactly; through
  // EPSG:4326 and back it would lose ~1e-5 m² to the datum shift's round trip.
  std::optional<double> area_m2;
};

// A feature whose geometry could not be used; the feature itself is still listed.
struct FeatureProblem {
  std::int64_t feature_number = 0;
  std::string message;
};

struct FeatureSet {
  std::string layer_name;
  std::string source_crs;                // e.g. "EPSG:9205 (VN-2000 / TM-3 103-00)"; "" without geometry
  std::vector<std::string> field_names;  // file order, without the columns that hold the geometry
  std::vector<Feature> features;
  std::vector<FeatureProblem> problems;
  // The encoding the text was read in: utf8, or the legacy encoding it was converted from.
  TextEncoding text_encoding = TextEncoding::utf8;
};

// Tables without a geometry type (CSV, XLSX, ODS) take their geometry from a column
// named wkt / geometry / geom (WKT text), or from lon|longitude|x and
// lat|latitude|y columns (a decimal comma is accepted); names are matched without
// regard to case, and those columns are not repeated in `attributes`. Unreadable
// WKT or coordinates, failed transformations and coordinates outside lon/lat range
// become FeatureProblems, not errors.
// Text comes out as UTF-8 with Vietnamese letters precomposed (NFC). A CSV file or
// a Shapefile's .dbf whose code page is not known (no .cpg, a language driver id of
// 0 or 87 "ANSI") may be in TCVN3 (ABC), VNI-Windows, Windows-1258 or Latin-1:
// valid UTF-8 is taken as UTF-8, other text is converted from the encoding it reads
// as (core/text_encoding.hpp), or from `encoding` when given; a .dbf whose code
// page is known is recoded by GDAL. Column names lose a byte-order mark and
// surrounding whitespace (CR, NBSP included).
// Errors (invalid_input, each problem named by line and column for tables, by
// feature and field otherwise, every problem at once): the file cannot be opened;
// the layer is missing or ambiguous; the layer has geometry but no CRS and
// `source_epsg` is not set; the file, a column name or a value is over its limit;
// text in no encoding that reads well (the first bad byte's line and column), or
// invalid UTF-8 in a format that must be UTF-8; a column name holding an invisible
// character (named: "U+200B (zero-width space)") or used twice; a Shapefile whose
// .shp and .dbf hold different numbers of shapes and records.
Result<FeatureSet> read_features(const std::filesystem::path& path, const ReadOptions& options = {});

enum class VectorFormat { gpkg, geojson, shp, csv, xlsx };
// "gpkg", "geojson", "shp", "csv", "xlsx" (case-insensitive); nullopt otherwise.
std::optional<VectorFormat> parse_vector_format(std::string_view name);

enum class FieldType { string, integer, real, date };
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::string;
};

// Writes `features` as one layer, replacing any existing file (a Shapefile's
// sidecar files included). Attribute text is converted to each field's type (dates
// as YYYY-MM-DD or dd/mm/yyyy); attributes not named in `fields` are left out. All
// values are checked before anything is written, and every problem is reported at
// once. CSV gets a WKT column first and a UTF-8 byte-order mark so that Excel shows
// Vietnamese; XLSX gets a WKT column last. Shapefile field names longer than 10
// characters are shortened by GDAL.
Status write_features(const std::filesystem::path& path, VectorFormat format, const std::string& layer_name,
                      const std::vector<FieldSpec>& fields, const std::vector<Feature>& features);

}  // namespace nongsan::geo
