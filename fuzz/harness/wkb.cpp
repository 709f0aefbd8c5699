// Geometry blobs: the WKB envelope reader storage uses for R-tree entries
// (storage/wkb_envelope), the GeoPackage blob decoder (storage/sqlite/gpkg_blob) and
// GEOS's WKB reader behind what the API and the checks do with a stored geometry
// (geo::to_geojson for map layers, bounds, is_valid, area_m2). A blob in the database
// may come from another program (QGIS edits the GeoPackage directly). Malformed
// input may throw std::runtime_error (the storage readers' contract) or return an
// error, never crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "geo/geometry_ops.hpp"
#include "storage/sqlite/gpkg_blob.hpp"
#include "storage/wkb_envelope.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    (void)storage::wkb_envelope(bytes);
  } catch (const std::runtime_error&) {
  }
  try {
    if (storage::sqlite::looks_like_gpkg(bytes)) {
      (void)storage::sqlite::gpkg_envelope(bytes);
      (void)storage::sqlite::gpkg_is_empty(bytes);
      auto g = storage::sqlite::decode_gpkg(bytes);
      (void)storage::sqlite::encode_gpkg(g);
    }
  } catch (const std::runtime_error&) {
  }
  storage::Geometry g;
  g.wkb.assign(data, data + size);
  g.srid = 4326;
  (void)geo::to_geojson(g, 7);
  (void)geo::bounds(g);
  (void)geo::is_valid(g);
  (void)geo::area_m2(g);
  return 0;
}
