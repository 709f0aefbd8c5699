// Geometry operations the modules need, behind a small interface so that GEOS and
// PROJ stay inside src/geo. Geometries cross this boundary as storage::Geometry
// (WKB + SRID). Areas are computed in a projected CRS — VN-2000 / TM-3 103-00
// (EPSG:9205) for Lai Châu — never in degrees.
//
// Every function is thread-safe (GEOS and PROJ state is per thread) and reports bad
// input (unreadable WKB/WKT/GeoJSON, unknown EPSG code, GEOS topology failures) as an
// Error in plain words about the geometry (library_messages.hpp: "a ring of the
// polygon is not closed", "the boundary crosses itself at (x, y)"), never in the
// library's; none throws. Where two geometries meet, the second is first transformed to
// the SRID of the first, and the result carries the first one's SRID. Output WKB is
// 2D, little-endian ISO WKB.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

using storage::Geometry;

// EPSG:9205, VN-2000 / TM-3 zone with central meridian 103°00′ (Lai Châu).
inline constexpr int kProvinceCrs = 9205;
inline constexpr int kWgs84 = 4326;

// Area in square metres, computed after transforming to `projected_srid`.
// REQUIRES: projected_srid names a projected CRS (error otherwise).
Result<double> area_m2(const Geometry& g, int projected_srid = kProvinceCrs);

// Reprojects with PROJ (axis order: x = easting/longitude, y = northing/latitude).
Result<Geometry> transform(const Geometry& g, int to_srid);

Result<Geometry> from_wkt(const std::string& wkt, int srid);
Result<std::string> to_wkt(const Geometry& g, int decimals = 6);
// GeoJSON geometry object text <-> Geometry (GeoJSON is always WGS 84 lon/lat:
// from_geojson gives SRID 4326, to_geojson transforms to it first).
// from_geojson accepts only a geometry object as RFC 7946 §3.1 draws it: one of
// the seven types (case matters), its "coordinates" (or "geometries") nested as the
// type says, positions of two or three finite numbers in longitude/latitude range
// (an altitude is dropped), rings of at least 4 positions that close. Anything else
// (null, "abc", a Feature, {"type":"Polygonz"}, a ring with no positions) is an
// error naming the JSON path, never an empty geometry.
Result<Geometry> from_geojson(const std::string& geojson_geometry);
Result<std::string> to_geojson(const Geometry& g, int decimals = 6);

// `reason` says in plain words what is wrong and where ("the boundary crosses
// itself at (103.0005, 22.0005)"), in the geometry's own coordinates.
bool is_valid(const Geometry& g, std::string* reason = nullptr);
// Converts Polygon to MultiPolygon; fails on other types.
Result<Geometry> as_multipolygon(const Geometry& g);
Result<Geometry> union_all(const std::vector<Geometry>& parts);
Result<Geometry> intersection(const Geometry& a, const Geometry& b);
Result<bool> contains_point(const Geometry& g, double x, double y);
// Area of the intersection of a and b in m² (in `projected_srid`).
Result<double> intersection_area_m2(const Geometry& a, const Geometry& b, int projected_srid = kProvinceCrs);
// True when a and b have the same dimension and their boundaries (points, lines:
// the geometries themselves) are within `tolerance` of each other (Hausdorff
// distance, in a's units): ring orientation, start vertex and Polygon versus
// one-part MultiPolygon do not matter. For "is this the geometry we already hold".
Result<bool> same_shape(const Geometry& a, const Geometry& b, double tolerance);
// Snap-rounds every vertex to a grid of `grid` units (1e-7 degrees ≈ 1 cm) with a
// valid result: boundaries written with that many decimals stay valid.
Result<Geometry> snap_to_grid(const Geometry& g, double grid);
// g grown by `metres` (shrunk when negative), computed in `projected_srid`; the
// result is in `projected_srid`. For "within so many metres of a boundary".
Result<Geometry> buffer_m(const Geometry& g, double metres, int projected_srid = kProvinceCrs);
// Simplifies for display (topology-preserving), tolerance in the geometry's units.
Result<Geometry> simplify(const Geometry& g, double tolerance);

struct Bounds {
  double min_x, min_y, max_x, max_y;
};
// nullopt for an empty or unreadable geometry.
std::optional<Bounds> bounds(const Geometry& g);

// Voronoi cells of `seeds` (x, y pairs) clipped to `clip`, one per seed, in seed
// order, each a MultiPolygon (empty when the seed's cell misses `clip`), in clip's
// SRID. Used to draw illustrative boundaries inside a real one.
// REQUIRES: seeds are distinct and in clip's SRID; clip is polygonal.
Result<std::vector<Geometry>> voronoi_cells(const std::vector<std::pair<double, double>>& seeds, const Geometry& clip);

}  // namespace nongsan::geo
