// Illustrative rasters for the land suitability demo (see demo_rasters.cpp for
// how they are made). Labelled illustrative in the files and in raster_layer.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "core/result.hpp"

namespace nongsan::app {

struct DemoRaster {
  std::string name;  // factor layer name (elevation, tmean, texture, ...)
  std::string file;  // file name inside the folder
  bool categorical = false;
  std::string unit, description, derived_from;
  std::map<std::string, std::string> codes;  // categorical: code -> label
};

// Writes the GeoTIFFs into `dir` (created if absent), replacing files of the same
// name. Needs the province boundary and reads the registry's paddy parcels.
Result<std::vector<DemoRaster>> write_demo_rasters(App& app, const std::filesystem::path& dir);

}  // namespace nongsan::app
