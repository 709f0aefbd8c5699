#include "geo/interior_test.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "geo/geo_test_shapes.hpp"

namespace nongsan::geo {
namespace {

using test_shapes::wkt;

// Squares in VN-2000 / TM-3 metres (EPSG:9205), the CRS the area is kept in.
Geometry square(double x, double y, double side) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON ((%.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g))", x, y,
                x + side, y, x + side, y + side, x, y + side, x, y);
  return wkt(buf, kProvinceCrs);
}

bool shares(const InteriorTest& t, const Geometry& g) {
  auto r = t.shares_interior(g);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() && *r;
}

TEST(InteriorTest, OverlapIsNearAndAnEdgeOrCornerOnlyIsNot) {
  auto t = InteriorTest::of({square(0, 0, 100), square(500, 0, 100)});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_TRUE(shares(*t, square(90, 90, 20)));     // overlaps the first
  EXPECT_TRUE(shares(*t, square(520, 20, 10)));    // wholly inside the second
  EXPECT_TRUE(shares(*t, square(-50, -50, 1000)));  // holds both
  EXPECT_FALSE(shares(*t, square(100, 0, 50)));    // shares an edge with the first only
  EXPECT_FALSE(shares(*t, square(100, 100, 50)));  // shares a corner only
  EXPECT_FALSE(shares(*t, square(200, 0, 50)));    // between the two, apart from both
}

TEST(InteriorTest, NoPartsMeetsNothing) {
  auto t = InteriorTest::of({});
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(shares(*t, square(0, 0, 100)));
}

TEST(InteriorTest, GeometriesInAnotherCrsAreBroughtIntoTheArea) {
  // A 500 m buffer around a parcel in lon/lat, as the field app's map draws it.
  const Geometry parcel = wkt("POLYGON ((103.3 22.4, 103.301 22.4, 103.301 22.401, 103.3 22.401, 103.3 22.4))");
  auto buffer = buffer_m(parcel, 500);
  ASSERT_TRUE(buffer.ok());
  auto t = InteriorTest::of({*buffer});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(shares(*t, parcel));
  // 0.004° north of the parcel's top (about 440 m): inside the buffer; 0.006° (660 m): outside.
  EXPECT_TRUE(shares(*t, wkt("POLYGON ((103.3 22.405, 103.301 22.405, 103.301 22.406, 103.3 22.406, 103.3 22.405))")));
  EXPECT_FALSE(shares(*t, wkt("POLYGON ((103.3 22.407, 103.301 22.407, 103.301 22.408, 103.3 22.408, 103.3 22.407))")));
  // The first part may be in any CRS too.
  auto from_lonlat = InteriorTest::of({parcel});
  ASSERT_TRUE(from_lonlat.ok());
  EXPECT_TRUE(shares(*from_lonlat, *buffer));
}

TEST(InteriorTest, UnreadableGeometryIsAnError) {
  auto t = InteriorTest::of({square(0, 0, 100)});
  ASSERT_TRUE(t.ok());
  Geometry bad;
  bad.srid = kProvinceCrs;
  bad.wkb = {0x01, 0x03};
  EXPECT_FALSE(t->shares_interior(bad).ok());
}

// The rule it replaces: a positive area of intersection with any of the parts.
TEST(InteriorTest, AgreesWithTheAreaOfIntersection) {
  std::mt19937_64 rnd(752);
  std::uniform_real_distribution<double> at(0, 2000), side(10, 300);
  std::vector<Geometry> parts;
  for (int i = 0; i < 5; ++i) parts.push_back(square(at(rnd), at(rnd), side(rnd)));
  auto t = InteriorTest::of(parts);
  ASSERT_TRUE(t.ok());
  int near = 0, touching = 0;
  for (int k = 0; k < 400; ++k) {
    // Whole metres, so that many shapes share an edge or a corner with a part exactly.
    Geometry g = square(std::round(at(rnd)), std::round(at(rnd)), std::round(side(rnd)));
    bool expected = false;
    for (const auto& p : parts) {
      auto a = intersection_area_m2(p, g);
      ASSERT_TRUE(a.ok());
      expected = expected || *a > 0;
    }
    near += expected;
    EXPECT_EQ(shares(*t, g), expected) << k;
  }
  EXPECT_GT(near, 20);
  // Touching cases, built on purpose from each part's corners.
  for (const auto& p : parts) {
    auto b = bounds(p);
    ASSERT_TRUE(b.has_value());
    const Geometry beside = square(b->max_x, b->min_y, 1);
    bool overlaps_other = false;
    for (const auto& q : parts) {
      auto a = intersection_area_m2(q, beside);
      overlaps_other = overlaps_other || (a.ok() && *a > 0);
    }
    if (overlaps_other) continue;
    ++touching;
    EXPECT_FALSE(shares(*t, beside));
  }
  EXPECT_GT(touching, 0);
}

}  // namespace
}  // namespace nongsan::geo
