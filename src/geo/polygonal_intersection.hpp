// The area two polygonal geometries share, as a MultiPolygon: what the map draws
// for an overlap between parcels. GEOS stays in the .cpp. Thread-safe.
#pragma once

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

// The polygonal part of a ∩ b as a MultiPolygon in a's SRID (b is transformed to it
// first); edges and corners the two only touch along are left out, so two parcels
// that merely touch give an empty MultiPolygon. Errors: unreadable input, a failed
// transformation or a GEOS topology failure.
Result<storage::Geometry> polygonal_intersection(const storage::Geometry& a, const storage::Geometry& b);

}  // namespace nongsan::geo
