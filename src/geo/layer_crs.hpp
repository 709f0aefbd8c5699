// What a feature file says about its coordinate reference system, looked at
// before it is read: the facts `--crs auto` decides on (modules/registry/
// crs_guess.hpp). GDAL stays inside the .cpp.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "geo/geometry_ops.hpp"

namespace nongsan::geo {

struct LayerCrs {
  std::string layer_name;
  std::string driver;            // GDAL's short name: "ESRI Shapefile", "GPKG", "DGN", "CSV", ...
  bool spatial = false;          // the layer has geometry (CSV/XLSX: a WKT or lon/lat column pair)
  bool tabular = false;          // CSV/XLSX/ODS: read_features never takes a CRS from these
  std::string wkt;               // the layer's CRS as WKT 1, names as the file gives them; "" without one
  std::optional<int> epsg;       // the EPSG code the file's CRS carries (a .prj has none unless GDAL matched it)
  std::optional<Bounds> extent;  // the coordinates as stored, in the file's units; nullopt without any
};

// Opens the file and chooses the layer by the same rules as read_features (`layer`
// REQUIRED when the file holds several). Reads every feature of a CSV/XLSX to
// measure its coordinates; other formats report their extent.
Result<LayerCrs> inspect_layer_crs(const std::filesystem::path& path, const std::optional<std::string>& layer);

}  // namespace nongsan::geo
