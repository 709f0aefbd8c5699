// Which of many geometries share some of the interior of one area — an intersection of
// positive area, not only a common edge or corner. The answer for each is what
// `intersection_area_m2(area, g) > 0` gives, without the overlay: the area is read
// into GEOS and prepared once, and each geometry costs a prepared `intersects` (and,
// when that holds, a prepared `touches`, since polygons whose interiors meet are
// exactly those that intersect without only touching). Used where a screen lists the
// parcels near a few places (the field app's map: parcels within 500 m of the
// inspected ones), where an overlay per parcel and place cost seconds.
//
// The area is kept in the SRID given (a projected CRS, like the buffers of
// buffer_m); each geometry tested is transformed to it first, as intersection_area_m2
// does. GEOS state is per thread (geos_context.hpp): an InteriorTest is used on the
// thread that made it. No GEOS or PROJ type crosses this header.
#pragma once

#include <memory>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {

class InteriorTest {
 public:
  // The union of `parts` (each in any SRID, polygonal), in `srid`. An empty list gives
  // an area that nothing meets.
  static Result<InteriorTest> of(const std::vector<Geometry>& parts, int srid = kProvinceCrs);
  ~InteriorTest();
  InteriorTest(InteriorTest&&) noexcept;
  InteriorTest& operator=(InteriorTest&&) noexcept;

  // Whether `g` and the area share interior (their intersection has positive area).
  // An unreadable geometry, or one outside the CRS, is an error.
  Result<bool> shares_interior(const Geometry& g) const;

 private:
  struct Impl;
  explicit InteriorTest(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::geo
