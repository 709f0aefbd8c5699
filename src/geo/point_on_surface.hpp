// Which area a shape lies in: assigning parcels to communes, and text labels to
// the shapes they sit in (MicroStation DGN cadastral sheets), by location.
// Behind the same boundary as geometry_ops: geometries cross it as
// storage::Geometry, failures as Result errors; GEOS stays in the .cpp.
//
// Thread-safe: each call uses its own GEOS context for its thread.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

struct SurfacePoint {
  double x = 0, y = 0;
};

// A point guaranteed to lie in the interior of a polygonal geometry (GEOS
// PointOnSurface), in the geometry's SRID. Unlike the centroid it never falls in a
// hole or outside an L-shaped parcel. Error for an empty or unreadable geometry.
Result<SurfacePoint> point_on_surface(const storage::Geometry& g);

// For each shape, the index into `areas` of the area it lies in, or nullopt when it
// touches none:
//   - the area containing the shape's interior point, when that area covers the
//     whole shape or is the only area the shape's bounding box meets;
//   - otherwise (a shape across a boundary) the area sharing the largest part of it
//     (compared in the areas' own units: fine for neighbours, which share a scale).
// A point goes to the smallest area containing it (a text label belongs to the
// innermost shape, not to a sheet frame drawn around all of them). Areas are found through an
// R-tree, so 100,000 shapes against a country's 12,000 communes stay fast.
// REQUIRES: shapes and areas share one SRID (EPSG:4326 for parcels and units).
// Errors: an unreadable shape or area, naming its position (1-based).
Result<std::vector<std::optional<std::size_t>>> locate_in_areas(const std::vector<storage::Geometry>& shapes,
                                                                const std::vector<storage::Geometry>& areas);

}  // namespace nongsan::geo
