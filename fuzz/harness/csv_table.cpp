// CSV tables as the import commands read them (geo::read_features: limits, encoding
// detection or a given encoding, header cleaning, geometry from WKT or lon/lat
// columns, GDAL's CSV driver). The first byte chooses the options, the rest is the file.
#include <cstddef>
#include <cstdint>

#include "geo/vector_io.hpp"
#include "table_file.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  geo::ReadOptions options;
  options.limits = {.max_file_bytes = 1 << 20, .max_column_name_bytes = 64, .max_cell_bytes = 4096};
  if (mode & 1) options.source_epsg = (mode & 2) ? 9205 : 4326;
  switch ((mode >> 2) & 7) {
    case 1: options.encoding = TextEncoding::tcvn3; break;
    case 2: options.encoding = TextEncoding::vni; break;
    case 3: options.encoding = TextEncoding::windows1258; break;
    case 4: options.encoding = TextEncoding::latin1; break;
    case 5: options.encoding = TextEncoding::utf8; break;
    default: break;
  }
  const auto path = fuzz_file("table.csv", data + 1, size - 1);
  auto read = geo::read_features(path, options);
  if (read.ok()) {
    for (const auto& f : read->features)
      for (const auto& [name, value] : f.attributes)
        if (first_invalid_utf8(name) || first_invalid_utf8(value)) __builtin_trap();  // imports store UTF-8 only
  }
  return 0;
}
