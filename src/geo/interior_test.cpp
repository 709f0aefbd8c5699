#include "geo/interior_test.hpp"

#include "geo/geos_context.hpp"
#include "geo/library_messages.hpp"
#include "geo/projected_geos.hpp"

#include <string>
#include <utility>

namespace nongsan::geo {

struct InteriorTest::Impl {
  int srid = kProvinceCrs;
  GeomPtr area;          // none: no parts, nothing meets it
  PreparedPtr prepared;  // refers to `area`; declared after it, destroyed before it
};

InteriorTest::InteriorTest(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InteriorTest::~InteriorTest() = default;
InteriorTest::InteriorTest(InteriorTest&&) noexcept = default;
InteriorTest& InteriorTest::operator=(InteriorTest&&) noexcept = default;

Result<InteriorTest> InteriorTest::of(const std::vector<Geometry>& parts, int srid) {
  auto impl = std::make_unique<Impl>();
  impl->srid = srid;
  if (parts.empty()) return InteriorTest(std::move(impl));
  // union_all works in the SRID of its first part: bring that one into `srid`.
  std::vector<Geometry> in_srid = parts;
  auto first = transform(parts.front(), srid);
  if (!first) return Error::invalid("part " + std::to_string(1) + ": " + first.error().message);
  in_srid.front() = *first;
  auto merged = union_all(in_srid);
  if (!merged) return merged.error();
  auto area = parse(*merged);
  if (!area) return area.error();
  impl->area = std::move(*area);
  impl->prepared = PreparedPtr(GEOSPrepare_r(geos().h(), impl->area.get()));
  if (!impl->prepared) return Error::invalid(plain_geos_message(geos().take_error(), "the area cannot be prepared"));
  return InteriorTest(std::move(impl));
}

Result<bool> InteriorTest::shares_interior(const Geometry& g) const {
  if (!impl_->area) return false;
  auto p = parse_in(g, impl_->srid);
  if (!p) return p.error();
  const auto h = geos().h();
  const char meets = GEOSPreparedIntersects_r(h, impl_->prepared.get(), p->get());
  if (meets == 2) return Error::invalid(plain_geos_message(geos().take_error(), "the intersection test failed"));
  if (meets == 0) return false;
  // Two polygonal shapes that intersect either share interior or only touch (their
  // interiors apart, their boundaries meeting): DE-9IM, OGC 06-103r4 §6.1.15.
  const char touches = GEOSPreparedTouches_r(h, impl_->prepared.get(), p->get());
  if (touches == 2) return Error::invalid(plain_geos_message(geos().take_error(), "the touch test failed"));
  return touches == 0;
}

}  // namespace nongsan::geo
