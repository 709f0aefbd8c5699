#include "geo/zone_shares.hpp"
#include "geo/geo_test_shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace nongsan::geo {
namespace {

using test_shapes::wkt;

std::string point(double x, double y) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%.17g %.17g", x, y);
  return buf;
}

// A ring of `n` points around (cx, cy), radius about r (degrees), jittered so that
// some are concave, with `midpoint` one more point halfway along its first edge;
// closed, starting at vertex `start`, clockwise or not.
std::string ring(std::mt19937_64& rnd, double cx, double cy, double r, int n, int start, bool clockwise,
                 bool midpoint = false) {
  std::uniform_real_distribution<double> jitter(0.55, 1.0), turn(0, 6.283185307179586);
  const double phase = turn(rnd);
  std::vector<std::pair<double, double>> pts;
  for (int k = 0; k < n; ++k) {
    const double a = phase + 6.283185307179586 * k / n * (clockwise ? -1 : 1);
    const double d = r * jitter(rnd);
    pts.push_back({cx + d * std::cos(a), cy + d * std::sin(a)});
  }
  if (midpoint) {
    pts.insert(pts.begin() + 1, {(pts[0].first + pts[1].first) / 2, (pts[0].second + pts[1].second) / 2});
    ++n;
  }
  std::string out = "(";
  for (int k = 0; k <= n; ++k) {
    const auto& p = pts[(start + k) % n];
    out += (k ? ", " : "") + point(p.first, p.second);
  }
  return out + ")";
}

double reference(const Geometry& parcel, const std::vector<Geometry>& zones, const std::vector<std::size_t>& which) {
  // The sum ZoneShapes must give: intersection_area_m2 of each pair, in that order.
  double inside = 0;
  for (std::size_t i : which)
    if (auto a = intersection_area_m2(parcel, zones[i])) inside += *a;
  return inside;
}

// A parcel wholly inside a zone is measured without the overlay; the figure must be
// the overlay's to the bit (reports issued before verify by their data hash). Shapes
// of 4 to 13 vertices, convex and not, some with three points in a line, every start
// vertex, both orientations, as a Polygon and as a MultiPolygon of one, in zones that
// are rectangles and zones that are not.
TEST(ZoneShares, ContainedParcelsMeasureAsTheOverlayDoes) {
  std::mt19937_64 rnd(20261207);
  std::vector<Geometry> zones = {
      wkt("MULTIPOLYGON (((103.0 22.0, 103.2 22.0, 103.2 22.2, 103.0 22.2, 103.0 22.0)))"),
      wkt("POLYGON ((103.3 22.0, 103.52 22.05, 103.5 22.21, 103.31 22.19, 103.35 22.1, 103.3 22.0))")};
  ZoneShapes shapes(zones);
  ZoneShapes::Reader reader(shapes);
  std::uniform_real_distribution<double> u(0, 1);
  int checked = 0;
  for (int k = 0; k < 4000; ++k) {
    const int z = k % 2;
    const double cx = z == 0 ? 103.02 + 0.16 * u(rnd) : 103.36 + 0.1 * u(rnd);
    const double cy = 22.04 + 0.12 * u(rnd);
    const int n = 4 + static_cast<int>(u(rnd) * 9);
    const std::string shell = ring(rnd, cx, cy, 0.0003 + 0.0004 * u(rnd), n, k % n, k % 3 == 0, k % 5 == 0);
    const Geometry parcel = wkt(k % 4 < 2 ? "POLYGON (" + shell + ")" : "MULTIPOLYGON ((" + shell + "))");
    const std::vector<std::size_t> which = {static_cast<std::size_t>(z)};
    const double want = reference(parcel, zones, which);
    ASSERT_GT(want, 0) << shell;
    const std::size_t before = reader.overlays();
    const double got = reader.area_inside(parcel, which);
    ASSERT_EQ(got, want) << shell << " differs by " << got - want;  // exact, not near
    // Measured without the overlay; a point exactly in line with its neighbours (which
    // the midpoint may be, after rounding) is left to the overlay.
    if (k % 5 != 0) {
      ASSERT_EQ(reader.overlays(), before) << shell;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4000);
  EXPECT_LT(reader.overlays(), 800u);
}

// Parcels across a zone's edge, with holes, in two zones at once, with a repeated
// point, with a shell that crosses or touches itself, or inside an invalid zone take
// the overlay; their figures are those of intersection_area_m2 too.
TEST(ZoneShares, OtherParcelsTakeTheOverlay) {
  std::vector<Geometry> zones = {
      wkt("POLYGON ((103.0 22.0, 103.01 22.0, 103.01 22.01, 103.0 22.01, 103.0 22.0))"),
      wkt("POLYGON ((103.005 22.0, 103.02 22.0, 103.02 22.01, 103.005 22.01, 103.005 22.0))"),
      wkt("POLYGON ((500000 2430000, 500100 2430000, 500100 2430100, 500000 2430100, 500000 2430000))", kProvinceCrs),
      wkt("POLYGON ((103.03 22.0, 103.04 22.01, 103.04 22.0, 103.03 22.01, 103.03 22.0))")};
  ZoneShapes shapes(zones);
  ZoneShapes::Reader reader(shapes);
  const std::vector<std::pair<std::string, std::vector<std::size_t>>> cases = {
      // across zone 0's east edge, and inside zone 1 meanwhile
      {"POLYGON ((103.0095 22.005, 103.0105 22.005, 103.0105 22.0055, 103.0095 22.0055, 103.0095 22.005))", {0, 1}},
      // inside both overlapping zones: each counts (capped by the caller)
      {"POLYGON ((103.006 22.005, 103.007 22.005, 103.007 22.006, 103.006 22.006, 103.006 22.005))", {0, 1}},
      // with a hole
      {"POLYGON ((103.001 22.001, 103.003 22.001, 103.003 22.003, 103.001 22.003, 103.001 22.001), "
       "(103.0015 22.0015, 103.0015 22.002, 103.002 22.002, 103.0015 22.0015))",
       {0}},
      // a repeated point
      {"POLYGON ((103.001 22.001, 103.003 22.001, 103.003 22.001, 103.003 22.003, 103.001 22.001))", {0}},
      // two parts
      {"MULTIPOLYGON (((103.001 22.001, 103.002 22.001, 103.002 22.002, 103.001 22.001)), "
       "((103.004 22.004, 103.005 22.004, 103.005 22.005, 103.004 22.004)))",
       {0}},
      // outside its candidate zone
      {"POLYGON ((103.5 22.5, 103.6 22.5, 103.6 22.6, 103.5 22.5))", {0}},
      // a shell that crosses itself (a bow tie), inside zone 0
      {"POLYGON ((103.001 22.001, 103.003 22.003, 103.003 22.001, 103.001 22.003, 103.001 22.001))", {0}},
      // a shell that touches itself at a point, inside zone 0
      {"POLYGON ((103.001 22.001, 103.003 22.001, 103.002 22.002, 103.003 22.003, 103.001 22.003, "
       "103.002 22.002, 103.001 22.001))",
       {0}},
      // inside an invalid zone (zone 3, a bow tie)
      {"POLYGON ((103.0301 22.0049, 103.0302 22.0049, 103.0302 22.0051, 103.0301 22.0049))", {3}},
  };
  for (const auto& [text, which] : cases) {
    const Geometry parcel = wkt(text);
    const std::size_t before = reader.overlays();
    EXPECT_EQ(reader.area_inside(parcel, which), reference(parcel, zones, which)) << text;
    // Only the parcel inside both zones is measured without an overlay.
    const bool inside_both = which.size() == 2 && text.find("103.006 22.005") != std::string::npos;
    EXPECT_EQ(reader.overlays() > before, !inside_both) << text;
  }
  // Already in the projected CRS, inside the zone given in it.
  const Geometry metric =
      wkt("POLYGON ((500010 2430010, 500020 2430010, 500020 2430030, 500010 2430010))", kProvinceCrs);
  EXPECT_EQ(reader.area_inside(metric, {2}), reference(metric, zones, {2}));
  EXPECT_DOUBLE_EQ(reader.area_inside(metric, {2}), 100.0);  // a right triangle of 10 × 20 m
  // A parcel without an SRID cannot be projected: it adds nothing, as before.
  Geometry no_srid = wkt("POLYGON ((103.001 22.001, 103.002 22.001, 103.002 22.002, 103.001 22.001))");
  no_srid.srid = 0;
  EXPECT_EQ(reader.area_inside(no_srid, {0}), 0.0);
  EXPECT_EQ(reader.area_inside(no_srid, {0}), reference(no_srid, zones, {0}));
}

// Each thread measures through its own Reader, with the same figures.
TEST(ZoneShares, ReadersOnSeveralThreadsAgree) {
  std::vector<Geometry> zones = {wkt("POLYGON ((103.0 22.0, 103.01 22.0, 103.01 22.01, 103.0 22.01, 103.0 22.0))")};
  ZoneShapes shapes(zones);
  std::vector<Geometry> parcels;
  for (int i = 0; i < 40; ++i) {
    const double x = 103.0 + 0.0005 * (i % 20) + (i >= 20 ? 0.0003 : 0.0), y = 22.0 + 0.0096 + 0.0002 * (i % 3);
    parcels.push_back(wkt("POLYGON ((" + point(x, y) + ", " + point(x + 0.0004, y) + ", " + point(x + 0.0004, y + 0.0004) +
                          ", " + point(x, y + 0.0004) + ", " + point(x, y) + "))"));
  }
  std::vector<double> one(parcels.size()), two(parcels.size());
  auto run = [&](std::vector<double>& out) {
    ZoneShapes::Reader reader(shapes);
    for (std::size_t i = 0; i < parcels.size(); ++i) out[i] = reader.area_inside(parcels[i], {0});
  };
  std::thread a(run, std::ref(one)), b(run, std::ref(two));
  a.join();
  b.join();
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    EXPECT_EQ(one[i], two[i]);
    EXPECT_EQ(one[i], reference(parcels[i], zones, {0}));
  }
}

}  // namespace
}  // namespace nongsan::geo
