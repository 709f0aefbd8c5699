// The message catalogues (src/core/messages/*.json), embedded into the binary at
// build time by cmake/embed_files.cmake. Read through MessageCatalogue::embedded().
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nongsan::messages {

struct EmbeddedAsset {
  std::string_view path;  // "/vi.json"
  const unsigned char* data;
  std::size_t size;
};

const std::vector<EmbeddedAsset>& embedded_message_files();

}  // namespace nongsan::messages
