// Plane geometry without a library (geo/planar): shapes drawn on small grids of
// metres, with the answers a reader can check by hand.
#include "geo/planar.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace nongsan::geo::planar {
namespace {

Ring square(double x, double y, double side) { return {{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}; }

TEST(Planar, AreasLengthsAndCentres) {
  Ring r = square(0, 0, 4);
  EXPECT_EQ(ring_area(r), 16);
  Ring cw(r.rbegin(), r.rend());
  EXPECT_EQ(ring_area(cw), -16);
  EXPECT_EQ(ring_length(r), 16);
  EXPECT_EQ(polygon_area({r, square(1, 1, 1)}), 15);  // a 1 m² hole
  Point c = ring_centre(r);
  EXPECT_EQ(c.x, 2);
  EXPECT_EQ(c.y, 2);
}

TEST(Planar, InsideFollowsHolesAndIslands) {
  // A 10 m square with a 4 m hole, and an island in the hole.
  MultiPolygon m = {{square(0, 0, 10), square(3, 3, 4)}, {square(4, 4, 2)}};
  EXPECT_TRUE(inside(m, {1, 1}));
  EXPECT_FALSE(inside(m, {3.5, 3.5}));  // in the hole
  EXPECT_TRUE(inside(m, {5, 5}));       // on the island
  EXPECT_FALSE(inside(m, {11, 5}));
}

TEST(Planar, DistancesToSegments) {
  auto edges = segments_of({{square(0, 0, 10)}});
  EXPECT_EQ(edges.size(), 4u);
  EXPECT_EQ(distance(edges, {5, 3}), 3);
  EXPECT_EQ(distance(edges, {13, 14}), 5);  // to the corner (10, 10)
  EXPECT_TRUE(std::isinf(distance({}, {0, 0})));
  auto line = segments_of_line({{0, 0}, {10, 0}, {10, 10}});
  EXPECT_EQ(line.size(), 2u);
  EXPECT_EQ(distance(line, {0, 10}), 10);
  // Only the boundary near the box [lo, hi] grown by the margin.
  EXPECT_EQ(segments_near({{square(0, 0, 10)}}, {-2, 4}, {1, 6}, 0.5).size(), 1u);
}

TEST(Planar, HullAndClipping) {
  Ring hull = convex_hull({{0, 0}, {4, 0}, {2, 1}, {4, 4}, {0, 4}, {1, 3}});
  ASSERT_EQ(hull.size(), 5u);  // the four corners, closed
  EXPECT_EQ(ring_area(hull), 16);
  EXPECT_TRUE(in_convex(hull, {2, 2}));
  EXPECT_FALSE(in_convex(hull, {5, 2}));
  Ring clipped = clip_convex(square(2, 2, 4), hull);
  EXPECT_EQ(std::abs(ring_area(clipped)), 4);  // the quarter inside
  EXPECT_TRUE(clip_convex(square(10, 10, 1), hull).empty());
}

TEST(Planar, CellCentresInside) {
  // A 3 × 3 grid of 1 m cells from (0, 3) down; an L-shaped polygon.
  //   row 0: x . .
  //   row 1: x . .
  //   row 2: x x x
  Ring l = {{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}};
  auto cells = cells_inside({{l}}, 0, 3, 1, -1, 3, 3);
  EXPECT_EQ(cells, (std::vector<std::uint8_t>{1, 0, 0, 1, 0, 0, 1, 1, 1}));
}

TEST(Planar, GeometriesRoundTrip) {
  MultiPolygon m = {{square(0, 0, 2)}, {square(5, 5, 1)}};
  storage::Geometry g = to_geometry(m, 9205);
  EXPECT_EQ(g.srid, 9205);
  auto back = polygons_of(g);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(polygon_area((*back)[1]), 1);
}

}  // namespace
}  // namespace nongsan::geo::planar
