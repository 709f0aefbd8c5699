// `--crs auto` (registry::guess_crs): a .prj's WKT text and a layer's extent, both
// from the file, decide the CRS. The first 33 bytes give the facts (flags, extent as
// four doubles), the rest is the WKT.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "modules/registry/crs_guess.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 33) return 0;
  geo::LayerCrs facts;
  facts.layer_name = "fuzz";
  facts.driver = "ESRI Shapefile";
  facts.spatial = data[0] & 1;
  facts.tabular = data[0] & 2;
  if (data[0] & 4) facts.epsg = 9205;
  if (data[0] & 8) {
    double v[4];
    std::memcpy(v, data + 1, sizeof v);
    facts.extent = geo::Bounds{v[0], v[1], v[2], v[3]};
  }
  facts.wkt.assign(reinterpret_cast<const char*>(data + 33), size - 33);
  (void)registry::guess_crs(facts, "fuzz.shp");
  double cm = 0, k = 0;
  std::memcpy(&cm, data + 1, sizeof cm);
  std::memcpy(&k, data + 9, sizeof k);
  (void)registry::vn2000_epsg(cm, k);
  return 0;
}
