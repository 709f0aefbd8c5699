// The web UI's files, embedded into the binary at build time (see
// web-ui/embed_assets.cmake). A development flag serves them from disk instead.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nongsan::api {

struct EmbeddedAsset {
  std::string_view path;  // URL path, e.g. "/index.html"
  const unsigned char* data;
  std::size_t size;
};

const std::vector<EmbeddedAsset>& embedded_assets();

}  // namespace nongsan::api
