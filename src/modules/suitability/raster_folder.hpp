// Where raster layers may live: one folder the administrator configures (setting
// raster_dir; the demo writes its rasters there). A layer names a file inside it,
// relative to it or absolute; ".." and symbolic links are followed before the
// check, so no path reaches outside. Any path outside gets one and the same
// answer, whether or not a file is there: the server's files are not probed
// through layer registration. Server paths are shown to administrators only
// (shows_paths); others see a layer's name and metadata. A pure rule over the
// file system's view of paths; no GDAL.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::suitability {

class RasterFolder {
 public:
  explicit RasterFolder(std::filesystem::path folder) : folder_(std::move(folder)) {}

  const std::filesystem::path& path() const { return folder_; }
  // The file `layer_path` names, resolved, when it lies inside the folder. The
  // error (invalid_input, field "path") is the same for every path outside.
  Result<std::filesystem::path> resolve(const std::string& layer_path) const;
  // `resolved` relative to the folder (what is stored and shown), e.g. "dem/elevation.tif".
  std::string relative(const std::filesystem::path& resolved) const;
  // `message` with the folder's absolute path and `resolved` replaced by the
  // layer's relative path: for errors that name a file to someone who may not see
  // server paths.
  std::string without_server_paths(std::string message, const std::filesystem::path& resolved) const;

 private:
  std::filesystem::path canonical_folder() const;
  std::filesystem::path folder_;
};

// Administrators see server paths (the raster folder, a layer's file); other roles
// see the layer's name and metadata.
bool shows_paths(const identity::Actor& a);

}  // namespace nongsan::suitability
