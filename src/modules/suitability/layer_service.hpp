// Raster layers as registered data: the files a profile's factors read (one layer
// a factor, by name). Every layer lies in the raster folder (raster_folder.hpp):
// a path outside it is refused with one message whatever is there; the path is
// stored relative to the folder. An elevation layer brings its slope, derived with
// GDAL's DEM processing into the same folder. Every change is audited.
//
// Permissions: suitability.read to list, suitability.write to register or remove.
// Paths (of a layer's file and of the folder) are shown to administrators only.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/raster_folder.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

struct LayerInput {
  std::string name, path, kind, unit, description, source, derived_from;
  std::map<std::string, std::string> codes;
  std::optional<bool> illustrative;  // default: the file's ILLUSTRATIVE metadata
};

class LayerService {
 public:
  LayerService(storage::Database& db, RasterFolder folder) : db_(db), folder_(std::move(folder)) {}

  const RasterFolder& folder() const { return folder_; }
  Result<nlohmann::json> list(const identity::Actor& a);
  Result<nlohmann::json> add(const identity::Actor& a, const LayerInput& in);
  Status remove(const identity::Actor& a, const std::string& name);

 private:
  storage::Database& db_;
  RasterFolder folder_;
};

}  // namespace nongsan::suitability
