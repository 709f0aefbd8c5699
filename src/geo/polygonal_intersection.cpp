#include "geo/polygonal_intersection.hpp"

#include "geo/geos_context.hpp"
#include "geo/library_messages.hpp"

#include <memory>
#include <string>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {

Result<storage::Geometry> polygonal_intersection(const storage::Geometry& a, const storage::Geometry& b) {
  auto same_srid = b.srid == a.srid ? Result<storage::Geometry>(b) : transform(b, a.srid);
  if (!same_srid) return same_srid.error();
  auto pa = parse(a);
  if (!pa) return pa.error();
  auto pb = parse(*same_srid);
  if (!pb) return pb.error();
  const auto h = geos().h();
  GeomPtr common(GEOSIntersection_r(h, pa->get(), pb->get()));
  if (!common) return Error::invalid(plain_geos_message(geos().take_error(), "the shapes cannot be intersected"));
  return serialize(multipolygon_of(common.get()).get(), a.srid);
}

}  // namespace nongsan::geo
