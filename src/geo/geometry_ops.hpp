// Geometry operations the modules need, behind a small interface so that GEOS and
// PROJ stay inside src/geo. Geometries cross this boundary as storage::Geometry
// (WKB + SRID). Areas are computed in a projected CRS — VN-2000 / TM-3 103-00
// (EPSG:9205) for Lai Châu — never in degrees.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

using storage::Geometry;

// EPSG:9205, VN-2000 / TM-3 zone with central meridian 103°00′ (Lai Châu).
inline constexpr int kProvinceCrs = 9205;
inline constexpr int kWgs84 = 4326;

// Area in square metres, computed after transforming to `projected_srid`.
Result<double> area_m2(const Geometry& g, int projected_srid = kProvinceCrs);

// Reprojects with PROJ (axis order: x = easting/longitude, y = northing/latitude).
Result<Geometry> transform(const Geometry& g, int to_srid);

Result<Geometry> from_wkt(const std::string& wkt, int srid);
Result<std::string> to_wkt(const Geometry& g, int decimals = 6);
// GeoJSON geometry object text <-> Geometry (GeoJSON is always WGS 84 lon/lat).
Result<Geometry> from_geojson(const std::string& geojson_geometry);
Result<std::string> to_geojson(const Geometry& g, int decimals = 6);

bool is_valid(const Geometry& g, std::string* reason = nullptr);
// Converts Polygon to MultiPolygon; fails on other types.
Result<Geometry> as_multipolygon(const Geometry& g);
Result<Geometry> union_all(const std::vector<Geometry>& parts);
Result<Geometry> intersection(const Geometry& a, const Geometry& b);
Result<bool> contains_point(const Geometry& g, double x, double y);
// Area of the intersection of a and b in m² (in `projected_srid`).
Result<double> intersection_area_m2(const Geometry& a, const Geometry& b, int projected_srid = kProvinceCrs);
// Simplifies for display (topology-preserving), tolerance in the geometry's units.
Result<Geometry> simplify(const Geometry& g, double tolerance);

struct Bounds {
  double min_x, min_y, max_x, max_y;
};
std::optional<Bounds> bounds(const Geometry& g);

// Voronoi cells of `seeds` (x, y pairs) clipped to `clip`, one per seed, in seed
// order. Used to draw illustrative boundaries inside a real one.
Result<std::vector<Geometry>> voronoi_cells(const std::vector<std::pair<double, double>>& seeds,
                                            const Geometry& clip);

}  // namespace nongsan::geo
