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

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

struct ReadOptions {
  std::optional<std::string> layer;  // REQUIRED when the file holds more than one layer
  // EPSG code of the coordinates. Overrides the file's own CRS; needed for files
  // that carry none (CSV, XLSX, a Shapefile without .prj).
  std::optional<int> source_epsg;
};

struct Feature {
  std::int64_t number = 0;                        // 1-based position in the layer (first data row = 1)
  std::map<std::string, std::string> attributes;  // every value as text ("" for NULL); dates as YYYY-MM-DD
  std::optional<storage::Geometry> geometry;      // EPSG:4326, 2D; nullopt if none or unreadable
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
};

// Tables without a geometry type (CSV, XLSX, ODS) take their geometry from a column
// named wkt / geometry / geom (WKT text), or from lon|longitude|x and
// lat|latitude|y columns (a decimal comma is accepted); names are matched without
// regard to case, and those columns are not repeated in `attributes`. Unreadable
// WKT or coordinates, failed transformations and coordinates outside lon/lat range
// become FeatureProblems, not errors.
// Errors: the file cannot be opened; the layer is missing or ambiguous; the layer
// has geometry but no CRS and `source_epsg` is not set.
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
