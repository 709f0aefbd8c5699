// The web UI's files, embedded into the binary at build time by
// cmake/embed_files.cmake, each with its brotli and gzip forms when they are
// smaller (made by Debian's brotli and gzip when CMake configures). A development
// flag (--web-root) serves the files from disk instead.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nongsan::api {

struct EmbeddedAsset {
  std::string_view path;  // URL path, e.g. "/index.html"
  const unsigned char* data;
  std::size_t size;
  std::string_view md5;  // of the uncompressed bytes: the ETag's root
  const unsigned char* brotli = nullptr;  // nullptr when not worth it
  std::size_t brotli_size = 0;
  const unsigned char* gzip = nullptr;
  std::size_t gzip_size = 0;
};

const std::vector<EmbeddedAsset>& embedded_assets();

}  // namespace nongsan::api
