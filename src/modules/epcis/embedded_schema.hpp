// The EPCIS 2.0 JSON schema (src/modules/epcis/schema/), embedded into the binary at build
// time by cmake/embed_files.cmake, so that validation never reads a file outside the
// install. Read through epcis::validate_document (validation.hpp).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nongsan::epcis {

struct EmbeddedAsset {
  std::string_view path;  // "/EPCIS-JSON-Schema.json"
  const unsigned char* data;
  std::size_t size;
};

const std::vector<EmbeddedAsset>& embedded_schema_files();

}  // namespace nongsan::epcis
