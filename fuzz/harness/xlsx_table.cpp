// XLSX workbooks as the import commands read them (geo::read_features: the unpacked
// size limit, header cleaning, GDAL's XLSX driver over a ZIP of XML).
#include <cstddef>
#include <cstdint>

#include "geo/vector_io.hpp"
#include "table_file.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  geo::ReadOptions options;
  options.limits = {.max_file_bytes = 8 << 20, .max_column_name_bytes = 64, .max_cell_bytes = 4096};
  options.source_epsg = 4326;
  const auto path = fuzz_file("table.xlsx", data, size);
  auto read = geo::read_features(path, options);
  if (read.ok()) {
    for (const auto& f : read->features)
      for (const auto& [name, value] : f.attributes)
        if (first_invalid_utf8(name) || first_invalid_utf8(value)) __builtin_trap();
  }
  return 0;
}
