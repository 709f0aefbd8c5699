#include "geo/overlap_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "geo/geometry_ops.hpp"
#include "geo/geo_test_shapes.hpp"

namespace nongsan::geo {
namespace {

using test_shapes::wkt;

// Shapes are drawn in WKT in VN-2000 / TM-3 metres (EPSG:9205), so areas read off
// the coordinates. Small coordinates are fine: nothing is reprojected.
ParcelShape parcel(const std::string& id, const std::string& text, const std::string& commune = "") {
  return ParcelShape{id, wkt(text, kProvinceCrs), commune};
}

std::vector<OverlapPair> overlaps(const std::vector<ParcelShape>& parcels, double min_m2 = 1.0) {
  OverlapOptions o;
  o.min_overlap_m2 = min_m2;
  auto r = find_overlaps(parcels, o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::vector<OverlapPair>{};
}

std::string describe(const std::vector<OverlapPair>& pairs) {
  std::string s;
  for (const auto& p : pairs) s += p.a + "-" + p.b + " " + std::to_string(p.overlap_m2) + "; ";
  return s;
}

const char* kSquare10 = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))";

TEST(OverlapCheck, TouchingParcelsDoNotOverlap) {
  const std::vector<ParcelShape> parcels = {
      parcel("a", kSquare10),
      parcel("edge", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"),       // shares an edge
      parcel("part", "POLYGON ((0 10, 4 10, 4 14, 0 14, 0 10))"),         // shares part of an edge
      parcel("corner", "POLYGON ((10 10, 15 10, 15 15, 10 15, 10 10))"),  // shares a corner
      parcel("vertex", "POLYGON ((-5 5, 0 2, 0 8, -5 5))"),               // a vertex on a's edge... and an edge
      parcel("reversed", "POLYGON ((0 -5, 0 0, 10 0, 10 -5, 0 -5))"),     // clockwise ring
  };
  // Not even at a threshold of zero: the area of a touching intersection is exactly 0.
  EXPECT_TRUE(overlaps(parcels, 0.0).empty()) << describe(overlaps(parcels, 0.0));
}

TEST(OverlapCheck, TwoByOneMetreOverlapAgainstThresholds) {
  const std::vector<ParcelShape> parcels = {
      parcel("a", kSquare10), parcel("b", "POLYGON ((8 0, 20 0, 20 1, 8 1, 8 0))"),  // overlaps a in [8, 10] × [0, 1]
  };
  struct Case {
    double min_m2;
    bool reported;
  };
  for (const Case c : {Case{0, true}, Case{1, true}, Case{1.999, true}, Case{2.001, false}, Case{5, false}}) {
    const auto pairs = overlaps(parcels, c.min_m2);
    ASSERT_EQ(pairs.size(), c.reported ? 1u : 0u) << "threshold " << c.min_m2 << ": " << describe(pairs);
    if (c.reported) {
      EXPECT_EQ(pairs[0].a, "a");
      EXPECT_EQ(pairs[0].b, "b");
      EXPECT_NEAR(pairs[0].overlap_m2, 2.0, 1e-9);
    }
  }
}

TEST(OverlapCheck, ContainedIdenticalAndMultipartParcels) {
  const std::vector<ParcelShape> parcels = {
      parcel("big", "POLYGON ((100 0, 200 0, 200 100, 100 100, 100 0))"),
      parcel("inside", "POLYGON ((120 20, 130 20, 130 30, 120 30, 120 20))"),       // 100 m² inside big
      parcel("inside-edge", "POLYGON ((100 50, 105 50, 105 60, 100 60, 100 50))"),  // inside, on big's edge: 50 m²
      // The same lot registered twice under two ids, the second drawn the other way round.
      parcel("lot-2", "POLYGON ((300 0, 340 0, 340 30, 300 30, 300 0))"),
      parcel("lot-1", "POLYGON ((300 0, 300 30, 340 30, 340 0, 300 0))"),
      // Two parts, each 5 m × 10 m over big (100..105 × 0..10 and 195..200 × 90..100).
      parcel("multi",
             "MULTIPOLYGON (((95 0, 105 0, 105 10, 95 10, 95 0)), ((195 90, 205 90, 205 100, 195 100, 195 90)))"),
  };
  const auto pairs = overlaps(parcels);
  ASSERT_EQ(pairs.size(), 4u) << describe(pairs);
  EXPECT_EQ(pairs[0], (OverlapPair{"big", "inside", 100}));
  EXPECT_EQ(pairs[1], (OverlapPair{"big", "inside-edge", 50}));
  EXPECT_EQ(pairs[2], (OverlapPair{"big", "multi", 100}));
  EXPECT_EQ(pairs[3], (OverlapPair{"lot-1", "lot-2", 1200}));
}

TEST(OverlapCheck, HolesAreNotPartOfTheParcel) {
  const std::vector<ParcelShape> parcels = {
      parcel("ring", "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (20 20, 80 20, 80 80, 20 80, 20 20))"),
      parcel("in-hole", "POLYGON ((30 30, 70 30, 70 70, 30 70, 30 30))"),    // inside the hole: no overlap
      parcel("across", "POLYGON ((10 40, 30 40, 30 50, 10 50, 10 40))"),     // half over the ring: 100 m²
      parcel("hole-fill", "POLYGON ((20 20, 80 20, 80 80, 20 80, 20 20))"),  // exactly the hole: touches only
  };
  const auto pairs = overlaps(parcels);
  ASSERT_EQ(pairs.size(), 3u) << describe(pairs);
  EXPECT_EQ(pairs[0].a, "across");
  EXPECT_EQ(pairs[0].b, "hole-fill");
  EXPECT_NEAR(pairs[0].overlap_m2, 100, 1e-9);
  EXPECT_EQ(pairs[1].a, "across");
  EXPECT_EQ(pairs[1].b, "ring");
  EXPECT_NEAR(pairs[1].overlap_m2, 100, 1e-9);
  EXPECT_EQ(pairs[2], (OverlapPair{"hole-fill", "in-hole", 1600}));  // but never "in-hole" with "ring"
}

TEST(OverlapCheck, PairsAreOrderedByIdAsStrings) {
  const std::vector<ParcelShape> parcels = {
      parcel("9", kSquare10),
      parcel("10", "POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))"),
      parcel("b", "POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))"),
  };
  const auto pairs = overlaps(parcels);
  ASSERT_EQ(pairs.size(), 3u) << describe(pairs);
  EXPECT_EQ(pairs[0], (OverlapPair{"10", "9", 50}));
  EXPECT_EQ(pairs[1], (OverlapPair{"10", "b", 50}));
  EXPECT_EQ(pairs[2], (OverlapPair{"9", "b", 25}));
}

TEST(OverlapCheck, InvalidAndEmptyParcelsAreListedAndSkipped) {
  Geometry garbage{{1, 3, 0, 0, 0, 1, 0}, kProvinceCrs};
  const std::vector<ParcelShape> parcels = {
      parcel("ok", kSquare10),
      parcel("bowtie", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"),
      parcel("empty", "POLYGON EMPTY"),
      parcel("line", "LINESTRING (0 0, 10 10)"),
      parcel("spike", "POLYGON ((0 0, 10 0, 10 10, 10 20, 10 10, 0 10, 0 0))"),
      ParcelShape{"garbage", garbage},
      // A hole touching its shell at one point is valid (GEOS decides, not the fast path).
      parcel("touching-hole", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 5, 5 3, 5 7, 0 5))"),
  };
  auto invalid = find_invalid(parcels);
  ASSERT_TRUE(invalid.ok()) << invalid.error().message;
  ASSERT_EQ(invalid->size(), 5u);
  EXPECT_EQ((*invalid)[0].id, "bowtie");
  EXPECT_EQ((*invalid)[0].reason, "the boundary crosses itself at (5, 5)");
  EXPECT_EQ((*invalid)[1], (InvalidParcel{"empty", "empty geometry"}));
  EXPECT_EQ((*invalid)[2].id, "garbage");
  EXPECT_NE((*invalid)[2].reason.find("unreadable WKB"), std::string::npos) << (*invalid)[2].reason;
  EXPECT_EQ((*invalid)[3], (InvalidParcel{"line", "not a polygon: LineString"}));
  EXPECT_EQ((*invalid)[4].id, "spike");
  EXPECT_NE((*invalid)[4].reason.find("itself at (10, "), std::string::npos) << (*invalid)[4].reason;

  // The bowtie overlaps "ok" on any reading, but is not checked; the valid touching hole is.
  const auto pairs = overlaps(parcels);
  ASSERT_EQ(pairs.size(), 1u) << describe(pairs);
  EXPECT_EQ(pairs[0].a, "ok");
  EXPECT_EQ(pairs[0].b, "touching-hole");
  EXPECT_NEAR(pairs[0].overlap_m2, 90, 1e-9);
}

TEST(OverlapCheck, Slivers) {
  const std::vector<ParcelShape> parcels = {
      parcel("lot", "POLYGON ((0 0, 30 0, 30 40, 0 40, 0 0))"),
      parcel("crumb", "POLYGON ((0 0, 3 0, 3 3, 0 3, 0 0))"),             // 9 m²: too small
      parcel("strip", "POLYGON ((0 0, 60 0, 60 1.5, 0 1.5, 0 0))"),       // 90 m², 1:40
      parcel("narrow-lot", "POLYGON ((0 0, 10 0, 10 100, 0 100, 0 0))"),  // 1:10, thinness 0.26
      parcel("bowtie", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"),        // invalid: find_invalid's
  };
  auto slivers = find_slivers(parcels);
  ASSERT_TRUE(slivers.ok()) << slivers.error().message;
  ASSERT_EQ(slivers->size(), 2u);
  EXPECT_EQ((*slivers)[0].id, "crumb");
  EXPECT_NEAR((*slivers)[0].area_m2, 9, 1e-9);
  EXPECT_NEAR((*slivers)[0].thinness, std::acos(-1.0) / 4, 1e-12);
  EXPECT_EQ((*slivers)[1].id, "strip");
  EXPECT_NEAR((*slivers)[1].thinness, 4 * std::acos(-1.0) * 90 / (123 * 123), 1e-12);

  SliverOptions strict;
  strict.min_thinness = 0.3;
  slivers = find_slivers(parcels, strict);
  ASSERT_TRUE(slivers.ok());
  ASSERT_EQ(slivers->size(), 3u);
  EXPECT_EQ((*slivers)[1].id, "narrow-lot");
}

TEST(OverlapCheck, ParcelsOutsideTheirCommune) {
  const std::vector<CommuneShape> communes = {
      {"west", wkt("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))", kProvinceCrs)},
      {"east", wkt("MULTIPOLYGON (((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0)), ((3000 0, 3100 0, 3100 100, 3000 "
                   "100, 3000 0)))",
                   kProvinceCrs)},
  };
  const std::vector<ParcelShape> parcels = {
      parcel("inside", "POLYGON ((10 10, 50 10, 50 50, 10 50, 10 10))", "west"),
      parcel("on-border", "POLYGON ((960 10, 1000 10, 1000 50, 960 50, 960 10))", "west"),       // touches east only
      parcel("noise", "POLYGON ((960 10, 1000.01 10, 1000.01 50, 960 50, 960 10))", "west"),     // 0.4 m² over
      parcel("straddles", "POLYGON ((990 100, 1010 100, 1010 120, 990 120, 990 100))", "west"),  // 200 m² east
      parcel("wrong", "POLYGON ((1500 500, 1520 500, 1520 520, 1500 520, 1500 500))", "west"),
      parcel("island", "POLYGON ((3010 10, 3020 10, 3020 20, 3010 20, 3010 10))", "east"),
  };
  auto outside = find_outside(parcels, communes);
  ASSERT_TRUE(outside.ok()) << outside.error().message;
  ASSERT_EQ(outside->size(), 2u);
  EXPECT_EQ((*outside)[0].id, "straddles");
  EXPECT_EQ((*outside)[0].commune_id, "west");
  EXPECT_NEAR((*outside)[0].outside_m2, 200, 1e-9);
  EXPECT_EQ((*outside)[1].id, "wrong");
  EXPECT_NEAR((*outside)[1].outside_m2, 400, 1e-9);

  OutsideOptions strict;
  strict.tolerance_m2 = 0.1;
  outside = find_outside(parcels, communes, strict);
  ASSERT_TRUE(outside.ok());
  ASSERT_EQ(outside->size(), 3u);
  EXPECT_EQ((*outside)[0].id, "noise");
  EXPECT_NEAR((*outside)[0].outside_m2, 0.4, 1e-9);

  auto unknown = find_outside({parcel("lost", kSquare10, "north")}, communes);
  ASSERT_FALSE(unknown.ok());
  ASSERT_EQ(unknown.error().fields.size(), 1u);
  EXPECT_NE(unknown.error().fields[0].message.find("\"north\""), std::string::npos);
}

TEST(OverlapCheck, LargeParcelsAndCommunesWithManyVertices) {
  // A 720-gon (a circle of radius 500 m) uses the per-shape block index; every lot of a
  // 10 m grid across its rim must get the same answer as GEOS.
  std::string circle = "POLYGON ((";
  for (int i = 0; i <= 720; ++i) {
    const double a = 2 * std::acos(-1.0) * (i % 720) / 720;
    circle += std::to_string(500000 + 500 * std::cos(a)) + " " + std::to_string(2430000 + 500 * std::sin(a));
    circle += i == 720 ? "))" : ", ";
  }
  std::vector<ParcelShape> parcels = {parcel("circle", circle)};
  for (int gx = 0; gx < 12; ++gx) {
    for (int gy = 0; gy < 12; ++gy) {
      const double x = 500440 + gx * 10, y = 2429940 + gy * 10;
      parcels.push_back(parcel("g" + std::to_string(gx * 100 + gy),
                               "POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + ", " +
                                   std::to_string(x + 10) + " " + std::to_string(y) + ", " + std::to_string(x + 10) +
                                   " " + std::to_string(y + 10) + ", " + std::to_string(x) + " " +
                                   std::to_string(y + 10) + ", " + std::to_string(x) + " " + std::to_string(y) + "))"));
    }
  }
  const auto pairs = overlaps(parcels, 0.0);
  std::size_t expected = 0;
  for (std::size_t i = 1; i < parcels.size(); ++i) {
    auto area = intersection_area_m2(parcels[0].geom, parcels[i].geom);
    ASSERT_TRUE(area.ok());
    if (*area > 0) ++expected;
  }
  ASSERT_EQ(pairs.size(), expected);
  for (const auto& p : pairs) {
    ASSERT_EQ(p.a, "circle");
    const auto& other = parcels[1 + std::stoi(p.b.substr(1)) / 100 * 12 + std::stoi(p.b.substr(1)) % 100];
    EXPECT_NEAR(p.overlap_m2, *intersection_area_m2(parcels[0].geom, other.geom), 1e-7) << p.b;
  }
}

// Lots of a noisy tessellation (the shape of the benchmark's data, ±1.5 m noise on
// each side of a shared edge, 1 % duplicates and shifted copies): every pair the
// check reports, and every pair it does not, agree with GEOS's intersection area.
TEST(OverlapCheck, AgreesWithGeosOnANoisyCadastre) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> noise(-1.5, 1.5);
  auto ring = [&](double x0, double y0, double x1, double y1) {
    const double cx[4] = {x0, x1, x1, x0}, cy[4] = {y0, y0, y1, y1};
    std::string s = "POLYGON ((", first;
    for (int side = 0; side < 4; ++side) {
      const double ax = cx[side], ay = cy[side], bx = cx[(side + 1) % 4], by = cy[(side + 1) % 4];
      const int k = static_cast<int>(std::ceil(std::hypot(bx - ax, by - ay) / 10));
      for (int i = 0; i < k; ++i) {
        const double t = static_cast<double>(i) / k;
        const std::string p = std::to_string(std::round((ax + t * (bx - ax) + noise(rng)) * 1000) / 1000) + " " +
                              std::to_string(std::round((ay + t * (by - ay) + noise(rng)) * 1000) / 1000);
        if (first.empty()) first = p;
        s += p + ", ";
      }
    }
    return s + first + "))";
  };
  std::vector<ParcelShape> parcels;
  std::vector<std::array<double, 4>> lots;
  for (int row = 0; row < 12; ++row) {
    double x = 520000;
    const double y = 2440000 + row * 50;
    for (int col = 0; col < 12; ++col) {
      const double w = 30 + (col * 7 + row * 3) % 25;
      lots.push_back({x, y, x + w, y + 50});
      parcels.push_back(parcel("p" + std::to_string(parcels.size()), ring(x, y, x + w, y + 50)));
      x += w;
    }
  }
  // A copy moved by a few ulps (2.4e6 m has an ulp of 4.7e-10 m): edges that are nearly
  // but not exactly collinear with the original's.
  auto nudged = [](Geometry g, double dx, double dy) {
    for (std::size_t at = 13; at + 16 <= g.wkb.size(); at += 16) {  // one-ring little-endian Polygon
      double x, y;
      std::memcpy(&x, &g.wkb[at], 8);
      std::memcpy(&y, &g.wkb[at + 8], 8);
      x += dx;
      y += dy;
      std::memcpy(&g.wkb[at], &x, 8);
      std::memcpy(&g.wkb[at + 8], &y, 8);
    }
    return g;
  };
  for (int k = 0; k < 6; ++k) {
    const auto& l = lots[k * 23 % lots.size()];
    parcels.push_back(ParcelShape{"copy" + std::to_string(k), parcels[k * 23 % lots.size()].geom});
    parcels.push_back(parcel("shift" + std::to_string(k), ring(l[0] + 7, l[1] - 9, l[2] + 7, l[3] - 9)));
    parcels.push_back(
        ParcelShape{"nudge" + std::to_string(k), nudged(parcels[k * 29 % lots.size()].geom, 1e-9 * k, 2e-9)});
  }
  for (double min_m2 : {0.0, 1.0, 20.0, 500.0}) {
    const auto pairs = overlaps(parcels, min_m2);
    std::vector<OverlapPair> expected;
    for (std::size_t i = 0; i < parcels.size(); ++i) {
      for (std::size_t j = i + 1; j < parcels.size(); ++j) {
        auto area = intersection_area_m2(parcels[i].geom, parcels[j].geom);
        ASSERT_TRUE(area.ok());
        if (*area > min_m2) {
          const bool swap = parcels[j].id < parcels[i].id;
          expected.push_back({swap ? parcels[j].id : parcels[i].id, swap ? parcels[i].id : parcels[j].id, *area});
        }
      }
    }
    std::sort(expected.begin(), expected.end(),
              [](const OverlapPair& a, const OverlapPair& b) { return std::tie(a.a, a.b) < std::tie(b.a, b.b); });
    ASSERT_EQ(pairs.size(), expected.size()) << "threshold " << min_m2;
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      EXPECT_EQ(pairs[k].a, expected[k].a);
      EXPECT_EQ(pairs[k].b, expected[k].b);
      EXPECT_NEAR(pairs[k].overlap_m2, expected[k].overlap_m2, 1e-8 * std::max(1.0, expected[k].overlap_m2));
    }
    if (min_m2 == 1.0) {
      EXPECT_GT(pairs.size(), 300u);  // most neighbours overlap by a noisy sliver
    }
  }
}

// Shapes with every vertex on a small integer grid, so that shared edges, collinear
// overlaps, vertices on edges, identical shapes and holes touching shells are the
// rule rather than the exception: the degenerate cases simulation of simplicity must
// resolve. Every pair agrees with GEOS.
TEST(OverlapCheck, AgreesWithGeosOnDegenerateShapes) {
  std::mt19937_64 rng(11);
  auto coord = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto xy = [](int x, int y) { return std::to_string(500000 + x) + " " + std::to_string(2430000 + y); };
  std::vector<ParcelShape> parcels;
  for (int k = 0; parcels.size() < 160; ++k) {
    const int x0 = coord(0, 5), y0 = coord(0, 5), x1 = x0 + coord(1, 4), y1 = y0 + coord(1, 4);
    std::string wkt;
    switch (k % 5) {
      case 0:  // rectangle
        wkt = "POLYGON ((" + xy(x0, y0) + ", " + xy(x1, y0) + ", " + xy(x1, y1) + ", " + xy(x0, y1) + ", " +
              xy(x0, y0) + "))";
        break;
      case 1: {  // triangle, either orientation, not flat
        const int ax = coord(0, 8), ay = coord(0, 8), bx = coord(0, 8), by = coord(0, 8), cx = coord(0, 8),
                  cy = coord(0, 8);
        if ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax) == 0) continue;
        wkt = "POLYGON ((" + xy(ax, ay) + ", " + xy(bx, by) + ", " + xy(cx, cy) + ", " + xy(ax, ay) + "))";
        break;
      }
      case 2:  // L shape with a vertex in the middle of an edge
        if (x1 - x0 < 2 || y1 - y0 < 2) continue;
        wkt = "POLYGON ((" + xy(x0, y0) + ", " + xy(x0 + 1, y0) + ", " + xy(x1, y0) + ", " + xy(x1, y0 + 1) + ", " +
              xy(x0 + 1, y0 + 1) + ", " + xy(x0 + 1, y1) + ", " + xy(x0, y1) + ", " + xy(x0, y0) + "))";
        break;
      case 3:  // square with a hole touching the shell at one vertex (valid)
        wkt = "POLYGON ((" + xy(x0, y0) + ", " + xy(x0 + 4, y0) + ", " + xy(x0 + 4, y0 + 4) + ", " + xy(x0, y0 + 4) +
              ", " + xy(x0, y0) + "), (" + xy(x0, y0 + 2) + ", " + xy(x0 + 2, y0 + 1) + ", " + xy(x0 + 2, y0 + 3) +
              ", " + xy(x0, y0 + 2) + "))";
        break;
      default:  // two rectangles meeting at a corner
        wkt = "MULTIPOLYGON (((" + xy(x0, y0) + ", " + xy(x1, y0) + ", " + xy(x1, y1) + ", " + xy(x0, y1) + ", " +
              xy(x0, y0) + ")), ((" + xy(x1, y1) + ", " + xy(x1 + 2, y1) + ", " + xy(x1 + 2, y1 + 1) + ", " +
              xy(x1, y1 + 1) + ", " + xy(x1, y1) + ")))";
    }
    parcels.push_back(parcel("s" + std::to_string(1000 + parcels.size()), wkt));
    if (k % 7 == 0) parcels.push_back(ParcelShape{"s" + std::to_string(1000 + parcels.size()), parcels.back().geom});
  }
  auto invalid = find_invalid(parcels);
  ASSERT_TRUE(invalid.ok());
  EXPECT_TRUE(invalid->empty()) << invalid->front().id << ": " << invalid->front().reason;

  // 1e-9 m² rather than 0: GEOS's overlay may leave rounding-sized crumbs.
  const auto pairs = overlaps(parcels, 1e-9);
  std::size_t k = 0, touching = 0;
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    for (std::size_t j = i + 1; j < parcels.size(); ++j) {
      auto area = intersection_area_m2(parcels[i].geom, parcels[j].geom);
      ASSERT_TRUE(area.ok());
      if (!(*area > 1e-9)) {
        auto meet = intersection(parcels[i].geom, parcels[j].geom);
        touching += meet.ok() && meet->wkb.size() > 9;
        continue;
      }
      ASSERT_LT(k, pairs.size()) << parcels[i].id << " " << parcels[j].id;
      EXPECT_EQ(pairs[k].a, parcels[i].id);
      EXPECT_EQ(pairs[k].b, parcels[j].id);
      // Both round: GEOS rounds crossing points to the ulp of 2.43e6 m (4.7e-10 m).
      EXPECT_NEAR(pairs[k].overlap_m2, *area, 1e-8) << parcels[i].id << " " << parcels[j].id;
      ++k;
    }
  }
  EXPECT_EQ(k, pairs.size());
  EXPECT_GT(pairs.size(), 1000u);
  EXPECT_GT(touching, 100u);  // the degenerate cases are there
}

TEST(OverlapCheck, ProjectsLonLatParcelsFirst) {
  // Two 0.001° squares at 103°E 22°N overlapping by half: about 5,700 m² in VN-2000.
  const std::vector<ParcelShape> parcels = {
      {"a", wkt("POLYGON ((103 22, 103.001 22, 103.001 22.001, 103 22.001, 103 22))", kWgs84)},
      {"b", wkt("POLYGON ((103.0005 22, 103.0015 22, 103.0015 22.001, 103.0005 22.001, 103.0005 22))", kWgs84)},
  };
  const auto pairs = overlaps(parcels);
  ASSERT_EQ(pairs.size(), 1u);
  auto expected = intersection_area_m2(parcels[0].geom, parcels[1].geom);
  ASSERT_TRUE(expected.ok());
  EXPECT_NEAR(pairs[0].overlap_m2, *expected, 1e-6 * *expected);
  EXPECT_GT(pairs[0].overlap_m2, 5000);
}

// A province's parcels share the vertices of their common edges; a large check projects
// each shared vertex once (see ProjectedPoints in overlap_check.cpp). The figures must
// be those of projecting every parcel on its own, to the bit: 2,500 lon/lat parcels of a
// grid (over 1,024, the size from which vertices are kept), each with a point on every
// edge, a few of them drawn twice, measured in one check and one by one.
TEST(OverlapCheck, SharedVerticesProjectedOnceGiveTheSameFiguresToTheBit) {
  std::vector<ParcelShape> parcels;
  const double step = 0.0005;  // about 50 m
  auto at = [&](int i) { return 22.0 + i * step; };
  auto lon = [&](int j) { return 103.0 + j * step; };
  for (int i = 0; i < 50; ++i)
    for (int j = 0; j < 50; ++j) {
      char text[512];
      std::snprintf(text, sizeof text,
                    "POLYGON ((%.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, "
                    "%.17g %.17g, %.17g %.17g, %.17g %.17g))",
                    lon(j), at(i), (lon(j) + lon(j + 1)) / 2, at(i), lon(j + 1), at(i), lon(j + 1),
                    (at(i) + at(i + 1)) / 2, lon(j + 1), at(i + 1), (lon(j) + lon(j + 1)) / 2, at(i + 1), lon(j),
                    at(i + 1), lon(j), (at(i) + at(i + 1)) / 2, lon(j), at(i));
      parcels.push_back({"p" + std::to_string(i * 50 + j), wkt(text, kWgs84)});
      if ((i * 50 + j) % 97 == 0) parcels.push_back({"q" + std::to_string(i * 50 + j), wkt(text, kWgs84)});
    }
  // Every parcel is a "sliver" under these settings, so the check gives every area.
  SliverOptions all;
  all.min_area_m2 = 1e12;
  auto together = find_slivers(parcels, all);
  ASSERT_TRUE(together.ok()) << together.error().message;
  ASSERT_EQ(together->size(), parcels.size());
  std::size_t k = 0;
  for (const auto& s : *together) {
    const auto p = std::find_if(parcels.begin(), parcels.end(), [&](const ParcelShape& x) { return x.id == s.id; });
    ASSERT_NE(p, parcels.end());
    auto alone = find_slivers({*p}, all);
    ASSERT_TRUE(alone.ok());
    ASSERT_EQ(alone->size(), 1u);
    EXPECT_EQ(std::memcmp(&(*alone)[0].area_m2, &s.area_m2, sizeof(double)), 0) << s.id;
    EXPECT_EQ(std::memcmp(&(*alone)[0].thinness, &s.thinness, sizeof(double)), 0) << s.id;
    EXPECT_GT(s.area_m2, 2000);
    ++k;
  }
  EXPECT_EQ(k, parcels.size());
  // Each parcel drawn twice overlaps its copy by its whole area, and its neighbours not
  // at all (they only share edges).
  const auto pairs = overlaps(parcels);
  std::size_t twice = 0;
  for (const auto& p : pairs) {
    EXPECT_EQ(p.b.substr(1), p.a.substr(1)) << p.a << " " << p.b;
    ++twice;
  }
  EXPECT_EQ(twice, 26u);
}

TEST(OverlapCheck, OptionsAndProgress) {
  const std::vector<ParcelShape> parcels = {parcel("a", kSquare10),
                                            parcel("b", "POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))")};
  OverlapOptions o;
  o.min_overlap_m2 = -1;
  EXPECT_FALSE(find_overlaps(parcels, o).ok());
  o.min_overlap_m2 = 1;
  o.projected_srid = kWgs84;
  auto degrees = find_overlaps(parcels, o);
  ASSERT_FALSE(degrees.ok());
  EXPECT_NE(degrees.error().message.find("not a projected CRS"), std::string::npos);

  o.projected_srid = kProvinceCrs;
  o.threads = 3;
  std::size_t last_done = 0, last_total = 0;
  o.progress = [&](std::size_t done, std::size_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
  };
  auto pairs = find_overlaps(parcels, o);
  ASSERT_TRUE(pairs.ok());
  EXPECT_EQ(pairs->size(), 1u);
  EXPECT_EQ(last_total, 2u);
  EXPECT_EQ(last_done, 2u);
  o.progress = nullptr;
  EXPECT_TRUE(find_overlaps({}, o).ok());
}

}  // namespace
}  // namespace nongsan::geo
