// Zonal areas of the planning side of land suitability, against areas computed by
// hand on a small grid.
#include <gtest/gtest.h>

#include <cstring>

#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {
namespace {

// 4 columns × 3 rows of 10 m cells, top-left corner (1000, 2030):
//   row 0: S1 S1 S2 S3
//   row 1: S1 S2 S3 N
//   row 2: 0  S2 N  N      (0 = nodata)
GridGeometry grid() { return {1000, 2030, 10, -10, 4, 3}; }
const std::vector<std::uint8_t> kClasses = {1, 1, 2, 3, 1, 2, 3, 4, 0, 2, 4, 4};
// Limiting factor positions (1-based), 0 where S1 or nodata.
const std::vector<std::uint8_t> kLimiting = {0, 0, 2, 1, 0, 2, 1, 2, 0, 1, 1, 2};

MultiPolygonRings rect(double x0, double y0, double x1, double y1) {
  return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}

TEST(ZonalSummary, RectangleSharesAreExact) {
  // 5 m inside each of the middle cells of rows 0 and 1: x 1005..1035, y 2015..2025.
  auto m = rect(1005, 2015, 1035, 2025);
  auto shares = cell_shares(grid(), m);
  double sum = 0;
  for (const auto& s : shares) sum += s.area;
  EXPECT_NEAR(sum, 300, 1e-9);
  // Cell (0,0): x 1005..1010, y 2020..2025 → 5 × 5.
  bool found = false;
  for (const auto& s : shares)
    if (s.col == 0 && s.row == 0) {
      EXPECT_NEAR(s.area, 25, 1e-9);
      found = true;
    }
  EXPECT_TRUE(found);
  // Areas by class, hand-computed: row 0 part (y 2020..2025, 5 m): cols 0 (5 m wide) S1, 1 (10) S1,
  // 2 (10) S2, 3 (5) S3; row 1 part (y 2015..2020): col 0 S1, 1 S2, 2 S3, 3 N.
  // S1: 25 + 50 + 25 = 100; S2: 50 + 50 = 100; S3: 25 + 50 = 75; N: 25.
  auto a = summarise(grid(), kClasses, kLimiting, m, 300);
  EXPECT_NEAR(a.m2[1], 100, 1e-9);
  EXPECT_NEAR(a.m2[2], 100, 1e-9);
  EXPECT_NEAR(a.m2[3], 75, 1e-9);
  EXPECT_NEAR(a.m2[4], 25, 1e-9);
  EXPECT_NEAR(a.m2[0], 0, 1e-9);
  // S1 and S2 tie at 100: the better class (first found) is the dominant one.
  EXPECT_EQ(a.dominant_class(), 1);
  // Limiting factors of S3+N: factor 1 on S3 (25 + 50), factor 2 on N (25).
  auto ranked = a.ranked_factors(3);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].first, 1);
  EXPECT_NEAR(ranked[0].second, 75, 1e-9);
  EXPECT_EQ(ranked[1].first, 2);
  EXPECT_NEAR(ranked[1].second, 25, 1e-9);
}

TEST(ZonalSummary, ScalesToTheMetricAreaAndCountsOutsideAsNodata) {
  // Half of this square lies left of the grid (x 990..1000).
  auto m = rect(990, 2010, 1010, 2020);
  double outside = 0;
  auto shares = cell_shares(grid(), m, &outside);
  EXPECT_NEAR(outside, 100, 1e-9);
  // Inside: cell (0,1) = S1 (100 m²). A metric area of 400 m² (the polygon in
  // another CRS) doubles every share.
  auto a = summarise(grid(), kClasses, kLimiting, m, 400);
  EXPECT_NEAR(a.m2[1], 200, 1e-9);
  EXPECT_NEAR(a.m2[0], 200, 1e-9);
  EXPECT_EQ(a.dominant_class(), 1);
}

TEST(ZonalSummary, HolesAndTrianglesAndOrientation) {
  // The whole grid minus a hole over cell (1,1): 1200 − 100 m².
  MultiPolygonRings m = {{{{1000, 2000}, {1040, 2000}, {1040, 2030}, {1000, 2030}, {1000, 2000}},
                          {{1010, 2010}, {1010, 2020}, {1020, 2020}, {1020, 2010}, {1010, 2010}}}};
  EXPECT_NEAR(polygon_area(m), 1100, 1e-9);
  auto a = summarise(grid(), kClasses, kLimiting, m, 1100);
  // By hand: S1 3 cells, S2 3 − 1 (the hole) = 2, S3 2, N 3, nodata 1 → × 100 m².
  EXPECT_NEAR(a.m2[1], 300, 1e-9);
  EXPECT_NEAR(a.m2[2], 200, 1e-9);
  EXPECT_NEAR(a.m2[3], 200, 1e-9);
  EXPECT_NEAR(a.m2[4], 300, 1e-9);
  EXPECT_NEAR(a.m2[0], 100, 1e-9);
  // A clockwise right triangle over cell (3,2) (N): half of it.
  MultiPolygonRings tri = {{{{1030, 2000}, {1030, 2010}, {1040, 2000}, {1030, 2000}}}};
  auto t = summarise(grid(), kClasses, kLimiting, tri, 50);
  EXPECT_NEAR(t.m2[4], 50, 1e-9);
  EXPECT_EQ(t.dominant_class(), 4);
  EXPECT_EQ(t.dominant_factor(4).value_or(-1), 2);
}

TEST(ZonalSummary, ReadsWkbAndRejectsOtherTypes) {
  // MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))), little-endian ISO WKB.
  std::vector<std::uint8_t> wkb = {1, 6, 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};
  auto put = [&](double d) {
    std::uint8_t b[8];
    std::memcpy(b, &d, 8);
    wkb.insert(wkb.end(), b, b + 8);
  };
  for (double v : {0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0}) put(v);
  auto m = polygons_from_wkb(wkb);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(polygon_area(*m), 0.5, 1e-12);
  std::vector<std::uint8_t> point = {1, 1, 0, 0, 0};
  for (int i = 0; i < 16; ++i) point.push_back(0);
  EXPECT_FALSE(polygons_from_wkb(point).ok());
}

TEST(ZonalSummary, ReadsPolygonZAndPostgisEwkb) {
  // A parcel drawn with heights (POLYGON Z, ISO 1003) and the same square as PostGIS
  // EWKB with its SRID: both are read (the heights dropped) instead of refused as
  // "not 2D", so such parcels get their hectares by class.
  auto square = [](std::uint32_t type, bool srid, int dims) {
    std::vector<std::uint8_t> w = {1};
    auto u32 = [&](std::uint32_t v) {
      for (int i = 0; i < 4; ++i) w.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    auto f64 = [&](double d) {
      std::uint8_t b[8];
      std::memcpy(b, &d, 8);
      w.insert(w.end(), b, b + 8);
    };
    u32(type);
    if (srid) u32(9205);
    u32(1);
    u32(5);
    for (auto [x, y] : std::vector<std::pair<double, double>>{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}) {
      f64(x);
      f64(y);
      for (int k = 2; k < dims; ++k) f64(1500);
    }
    return w;
  };
  for (const auto& [name, wkb] : std::vector<std::pair<std::string, std::vector<std::uint8_t>>>{
           {"POLYGON Z", square(1003, false, 3)}, {"EWKB SRID", square(0x20000003u, true, 2)},
           {"EWKB Z SRID", square(0xA0000003u, true, 3)}}) {
    auto m = polygons_from_wkb(wkb);
    ASSERT_TRUE(m.ok()) << name << ": " << m.error().fields[0].message;
    EXPECT_NEAR(polygon_area(*m), 4.0, 1e-12) << name;
  }
}

}  // namespace
}  // namespace nongsan::suitability
