// GEOS geometries brought into another CRS with PROJ, for the .cpp files of src/geo
// that keep a geometry in GEOS between operations (geometry_ops, zone_shares) instead
// of writing it to WKB and reading it back. PRIVATE to src/geo: it includes geos_c.h.
#pragma once

#include "geo/geos_context.hpp"

namespace nongsan::geo {

// g (in EPSG:`from`) transformed to EPSG:`to` with PROJ; a clone when from == to. The
// error names the point that cannot be transformed.
Result<GeomPtr> transform_geom(const GEOSGeometry* g, int from, int to);
// Reads g and brings it into `srid`.
Result<GeomPtr> parse_in(const storage::Geometry& g, int srid);

}  // namespace nongsan::geo
