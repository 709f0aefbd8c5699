// A report table of the planning side of land suitability (parcels, zones, units,
// the two planning reports): columns, rows of text, and a geometry per row where
// the report has one; written as CSV (core/csv) or as one GeoPackage layer. The CLI
// and the API share these writers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::suitability {

struct TableOut {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::optional<storage::Geometry>> geometries;  // per row, for GeoPackage
};

// CSV with a byte-order mark (Excel shows Vietnamese).
std::string to_csv(const TableOut& t);
// One GeoPackage layer; columns ending in _ha or _share, and "hectares", as numbers.
Status write_gpkg(const TableOut& t, const std::string& path, const std::string& layer);

}  // namespace nongsan::suitability
