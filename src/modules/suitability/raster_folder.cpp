#include "modules/suitability/raster_folder.hpp"

namespace nongsan::suitability {

namespace fs = std::filesystem;

fs::path RasterFolder::canonical_folder() const {
  std::error_code ec;
  fs::path abs = fs::absolute(folder_, ec);
  if (ec) abs = folder_;
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

Result<fs::path> RasterFolder::resolve(const std::string& layer_path) const {
  const Error outside = Error::invalid(
      "the raster layer is not valid",
      {{"path", "must name a file inside the raster folder (setting raster_dir); copy the file there first"}});
  if (layer_path.empty() || layer_path.find('\0') != std::string::npos) return outside;
  const fs::path folder = canonical_folder();
  fs::path given(layer_path);
  fs::path candidate = given.is_absolute() ? given : folder / given;
  std::error_code ec;
  // Symbolic links and ".." are resolved as far as the path exists, so that a link
  // inside the folder to a file outside it is outside.
  fs::path resolved = fs::weakly_canonical(candidate, ec);
  if (ec) return outside;
  const fs::path rel = resolved.lexically_relative(folder);
  if (rel.empty() || rel == "." || *rel.begin() == "..") return outside;
  return resolved;
}

std::string RasterFolder::relative(const fs::path& resolved) const {
  return resolved.lexically_relative(canonical_folder()).generic_string();
}

std::string RasterFolder::without_server_paths(std::string message, const fs::path& resolved) const {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size()))
      message.replace(at, from.size(), to);
  };
  replace_all(resolved.string(), relative(resolved));
  replace_all(canonical_folder().string(), "the raster folder");
  replace_all(folder_.string(), "the raster folder");
  return message;
}

bool shows_paths(const identity::Actor& a) { return identity::role_has(a.role, identity::Permission::system_admin); }

}  // namespace nongsan::suitability
