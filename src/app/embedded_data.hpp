// Reference data under data/ compiled into the binary (cmake/embed_files.cmake).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/web_assets.hpp"

namespace nongsan::app {

using EmbeddedAsset = api::EmbeddedAsset;
const std::vector<EmbeddedAsset>& embedded_data();

// The text of data/<path> (path like "laichau/laichau-admin-units.json").
inline std::optional<std::string> embedded_file(std::string_view path) {
  for (const auto& a : embedded_data())
    if (a.path.substr(1) == path) return std::string(reinterpret_cast<const char*>(a.data), a.size);
  return std::nullopt;
}

}  // namespace nongsan::app
