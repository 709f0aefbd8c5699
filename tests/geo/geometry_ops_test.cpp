#include "geo/geometry_ops.hpp"
#include "geo/geo_test_shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace nongsan::geo {
namespace {

using test_shapes::wkt;

std::string text(const Geometry& g, int decimals = 6) {
  auto t = to_wkt(g, decimals);
  return t.ok() ? *t : "error: " + t.error().message;
}

// A 0.01° square at 103°E 22°N, in Lai Châu's TM-3 zone.
const char* kSquare = "POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22.01, 103 22))";

TEST(GeoArea, ProjectsToVn2000BeforeMeasuring) {
  // Expected areas computed independently of this code: the square with GDAL's
  // Python bindings (osr.CoordinateTransformation 4326 -> 9205, then GetArea) and
  // with SpatiaLite (ogrinfo -dialect sqlite "ST_Area(ST_Transform(..., 9205))"),
  // both 1,143,143.17 m².
  struct Case {
    const char* wkt;
    int srid;
    double expected_m2;
  };
  const Case cases[] = {
      {kSquare, kWgs84, 1143143.1695},
      // Already in VN-2000 metres: a 100 m square, and the same with a 10 m hole.
      {"POLYGON ((500000 2430000, 500100 2430000, 500100 2430100, 500000 2430100, 500000 2430000))", 9205, 10000},
      {"POLYGON ((500000 2430000, 500100 2430000, 500100 2430100, 500000 2430100, 500000 2430000),"
       " (500010 2430010, 500010 2430020, 500020 2430020, 500020 2430010, 500010 2430010))",
       9205, 9900},
      {"LINESTRING (103 22, 103.01 22)", kWgs84, 0},
  };
  for (const auto& c : cases) {
    auto area = area_m2(wkt(c.wkt, c.srid));
    ASSERT_TRUE(area.ok()) << c.wkt << ": " << area.error().message;
    EXPECT_NEAR(*area, c.expected_m2, c.expected_m2 * 1e-4) << c.wkt;
  }
}

TEST(GeoArea, RefusesToMeasureInDegrees) {
  auto area = area_m2(wkt(kSquare), kWgs84);
  ASSERT_FALSE(area.ok());
  EXPECT_NE(area.error().message.find("not a projected CRS"), std::string::npos) << area.error().message;
}

TEST(GeoArea, IntersectionAreaInSquareMetres) {
  const auto a =
      wkt("POLYGON ((500000 2430000, 500100 2430000, 500100 2430100, 500000 2430100, 500000 2430000))", 9205);
  const auto b =
      wkt("POLYGON ((500050 2430000, 500150 2430000, 500150 2430100, 500050 2430100, 500050 2430000))", 9205);
  auto overlap = intersection_area_m2(a, b);
  ASSERT_TRUE(overlap.ok()) << overlap.error().message;
  EXPECT_NEAR(*overlap, 5000, 1e-6);
  // b given in lon/lat is brought into VN-2000 first. The VN-2000 datum shift
  // (7-parameter Helmert) does not invert exactly: a round trip moves points by
  // about a millimetre (GDAL's osr gives the same), hence 0.5 m² on 5000 m².
  auto b_lonlat = transform(b, kWgs84);
  ASSERT_TRUE(b_lonlat.ok());
  auto mixed = intersection_area_m2(a, *b_lonlat);
  ASSERT_TRUE(mixed.ok()) << mixed.error().message;
  EXPECT_NEAR(*mixed, 5000, 0.5);
}

TEST(GeoTransform, LonLatToVn2000AndBack) {
  // Expected from GDAL's Python bindings (osr, OAMS_TRADITIONAL_GIS_ORDER).
  auto projected = transform(wkt("POINT (103 22)"), kProvinceCrs);
  ASSERT_TRUE(projected.ok()) << projected.error().message;
  EXPECT_EQ(projected->srid, kProvinceCrs);
  auto b = bounds(*projected);
  ASSERT_TRUE(b);
  EXPECT_NEAR(b->min_x, 499803.825325933, 0.001);  // easting first
  EXPECT_NEAR(b->min_y, 2433662.10847886, 0.001);

  // Back within about a millimetre (1e-8°): the datum shift's inverse is not exact.
  auto back = transform(*projected, kWgs84);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->srid, kWgs84);
  EXPECT_EQ(text(*back, 7), "POINT (103 22)");
}

TEST(GeoTransform, ReportsBadInput) {
  auto unknown = transform(wkt("POINT (103 22)"), 999999);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("EPSG:999999"), std::string::npos) << unknown.error().message;

  Geometry no_srid = wkt("POINT (103 22)");
  no_srid.srid = 0;
  EXPECT_FALSE(transform(no_srid, kProvinceCrs).ok());
}

TEST(GeoWkt, RoundTrips) {
  struct Case {
    const char* input;
    int decimals;
    const char* expected;
  };
  const Case cases[] = {
      {"POINT (103.5 22.25)", 6, "POINT (103.5 22.25)"},
      {"POINT(103.1234567 22.7654321)", 6, "POINT (103.123457 22.765432)"},
      {"POINT Z (1 2 3)", 6, "POINT (1 2)"},  // the boundary is 2D
      {"LINESTRING (0 0, 1 1, 2 0)", 6, "LINESTRING (0 0, 1 1, 2 0)"},
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))", 6,
       "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"},
      {"MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))", 6,
       "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))"},
      {"POLYGON EMPTY", 6, "POLYGON EMPTY"},
  };
  for (const auto& c : cases) EXPECT_EQ(text(wkt(c.input), c.decimals), c.expected) << c.input;
}

TEST(GeoWkb, IsTwoDimensionalLittleEndianIso) {
  const auto g = wkt("POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))", 9205);
  ASSERT_GE(g.wkb.size(), 5u);
  EXPECT_EQ(g.wkb[0], 1);  // little-endian
  EXPECT_EQ(g.wkb[1], 3);  // Polygon, no Z flag
  EXPECT_EQ(g.wkb[2] | g.wkb[3] | g.wkb[4], 0);
  EXPECT_EQ(g.srid, 9205);
  // Bytes in, same bytes out.
  auto again = transform(g, 9205);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, g);
}

TEST(GeoWkb, BadInputIsAnErrorNotACrash) {
  const Geometry cases[] = {
      Geometry{{}, 4326},
      Geometry{{1, 3, 0, 0, 0, 1, 0, 0, 0, 5}, 4326},  // truncated polygon
      Geometry{{0xff, 0xff, 0xff}, 4326},
  };
  for (const auto& g : cases) {
    auto t = to_wkt(g);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, ErrorCode::invalid_input);
    EXPECT_FALSE(t.error().message.empty());
    EXPECT_EQ(t.error().message.find("Exception"), std::string::npos) << t.error().message;
    EXPECT_FALSE(area_m2(g).ok());
    EXPECT_FALSE(bounds(g));
    std::string reason;
    EXPECT_FALSE(is_valid(g, &reason));
    EXPECT_EQ(reason.find("Exception"), std::string::npos) << reason;
    EXPECT_FALSE(reason.empty());
  }
}

TEST(GeoWkt, BadInputNamesTheProblem) {
  for (const char* bad : {"", "POLYGON ((0 0, 1 0", "CIRCLE (0 0, 1)", "POINT (a b)"}) {
    auto g = from_wkt(bad, kWgs84);
    ASSERT_FALSE(g.ok()) << bad;
    EXPECT_EQ(g.error().code, ErrorCode::invalid_input);
    EXPECT_NE(g.error().message.find("invalid WKT"), std::string::npos) << g.error().message;
  }
}

TEST(GeoJson, RoundTrips) {
  struct Case {
    const char* geojson;
    const char* wkt;
  };
  const Case cases[] = {
      {R"({"type":"Point","coordinates":[103.5,22.25]})", "POINT (103.5 22.25)"},
      {R"({"type":"LineString","coordinates":[[103.0,22.0],[103.1,22.1]]})", "LINESTRING (103 22, 103.1 22.1)"},
      {R"({"type":"Polygon","coordinates":[[[103.0,22.0],[103.01,22.0],[103.01,22.01],[103.0,22.0]]]})",
       "POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22))"},
      {R"({"type":"MultiPolygon","coordinates":[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]]]})",
       "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"},
  };
  for (const auto& c : cases) {
    auto g = from_geojson(c.geojson);
    ASSERT_TRUE(g.ok()) << c.geojson << ": " << g.error().message;
    EXPECT_EQ(g->srid, kWgs84);
    EXPECT_EQ(text(*g), c.wkt);
    auto out = to_geojson(*g);
    ASSERT_TRUE(out.ok()) << out.error().message;
    auto again = from_geojson(*out);
    ASSERT_TRUE(again.ok()) << *out;
    EXPECT_EQ(*again, *g) << *out;
  }
}

TEST(GeoJson, RoundsAndReprojectsToLonLat) {
  auto out = to_geojson(wkt("POINT (103.123456789 22.987654321)"), 4);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, R"({"type":"Point","coordinates":[103.1235,22.9877]})");

  // A VN-2000 point comes out as longitude, latitude.
  auto from_vn2000 = to_geojson(wkt("POINT (499803.825325933 2433662.10847886)", 9205), 6);
  ASSERT_TRUE(from_vn2000.ok()) << from_vn2000.error().message;
  EXPECT_EQ(*from_vn2000, R"({"type":"Point","coordinates":[103.0,22.0]})");
}

TEST(GeoJson, BadInputNamesTheProblem) {
  for (const char* bad : {"", "not json", R"({"type":"Polygon")", R"({"type":"Circle","coordinates":[0,0]})"}) {
    auto g = from_geojson(bad);
    ASSERT_FALSE(g.ok()) << bad;
    EXPECT_EQ(g.error().code, ErrorCode::invalid_input);
    EXPECT_FALSE(g.error().message.empty()) << bad;
  }
}

TEST(GeoValidity, GivesTheReason) {
  struct Case {
    const char* wkt;
    bool valid;
    const char* reason_contains;
  };
  const Case cases[] = {
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", true, ""},
      {"POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", false, "the boundary crosses itself"},  // bow-tie
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 20 21, 21 21, 20 20))", false,
       "a hole lies outside the outer boundary"},
  };
  for (const auto& c : cases) {
    std::string reason = "stale";
    EXPECT_EQ(is_valid(wkt(c.wkt), &reason), c.valid) << c.wkt;
    if (c.valid) {
      EXPECT_EQ(reason, "");
    } else {
      EXPECT_NE(reason.find(c.reason_contains), std::string::npos) << reason;
    }
  }
  // The bow-tie's reason says where it crosses itself.
  std::string reason;
  is_valid(wkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"), &reason);
  EXPECT_NE(reason.find("(5, 5)"), std::string::npos) << reason;
}

TEST(GeoMultiPolygon, WrapsPolygonsOnly) {
  auto m = as_multipolygon(wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))", 9205));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(text(*m), "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))");
  EXPECT_EQ(m->srid, 9205);
  auto already = as_multipolygon(*m);
  ASSERT_TRUE(already.ok());
  EXPECT_EQ(*already, *m);
  auto line = as_multipolygon(wkt("LINESTRING (0 0, 1 1)"));
  ASSERT_FALSE(line.ok());
  EXPECT_NE(line.error().message.find("LineString"), std::string::npos) << line.error().message;
}

TEST(GeoUnion, MergesNeighbours) {
  auto merged =
      union_all({wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", 9205), wkt("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", 9205),
                 wkt("POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))", 9205)});
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->srid, 9205);
  auto expected = wkt("MULTIPOLYGON (((0 0, 2 0, 2 1, 0 1, 0 0)), ((5 5, 6 5, 6 6, 5 6, 5 5)))", 9205);
  auto same = same_shape(*merged, expected, 1e-9);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(*same) << text(*merged);
  EXPECT_NEAR(*area_m2(*merged), 3, 1e-9);

  EXPECT_FALSE(union_all({}).ok());
  auto bad = union_all({wkt("POINT (0 0)"), Geometry{{1, 2}, 4326}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("part 2"), std::string::npos) << bad.error().message;
}

TEST(GeoIntersection, KeepsFirstSrid) {
  auto common =
      intersection(wkt("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))", 9205), wkt("POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))", 9205));
  ASSERT_TRUE(common.ok());
  EXPECT_EQ(common->srid, 9205);
  EXPECT_TRUE(*same_shape(*common, wkt("POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))", 9205), 1e-12));
}

TEST(GeoContainsPoint, Table) {
  const auto g = wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))", 9205);
  struct Case {
    double x, y;
    bool inside;
  };
  const Case cases[] = {{1, 1, true}, {5, 5, false} /* in the hole */, {11, 5, false}, {0, 5, false} /* boundary */};
  for (const auto& c : cases) {
    auto r = contains_point(g, c.x, c.y);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, c.inside) << c.x << " " << c.y;
  }
}

TEST(GeoSameShape, IgnoresOrientationAndStartButNotHoles) {
  const auto square = wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  struct Case {
    const char* other;
    bool same;
  };
  const Case cases[] = {
      {"POLYGON ((10 10, 10 0, 0 0, 0 10, 10 10))", true},        // clockwise, other start
      {"MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)))", true},   // one-part multi
      {"POLYGON ((0 0, 10 0, 10 10, 0 10.0000001, 0 0))", true},  // within tolerance
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))", false},
      {"POLYGON ((0 0, 10 0, 10 11, 0 10, 0 0))", false},
      {"LINESTRING (0 0, 10 0, 10 10, 0 10, 0 0)", false},
      {"POLYGON EMPTY", false},
  };
  for (const auto& c : cases) {
    auto r = same_shape(square, wkt(c.other), 1e-6);
    ASSERT_TRUE(r.ok()) << c.other;
    EXPECT_EQ(*r, c.same) << c.other;
  }
}

TEST(GeoSimplify, DropsDetailKeepsValidity) {
  const auto wiggly = wkt("POLYGON ((0 0, 5 0.01, 10 0, 10.01 5, 10 10, 5 9.99, 0 10, 0.01 5, 0 0))", 9205);
  auto simple = simplify(wiggly, 0.1);
  ASSERT_TRUE(simple.ok());
  EXPECT_TRUE(*same_shape(*simple, wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", 9205), 1e-9)) << text(*simple);
  EXPECT_TRUE(is_valid(*simple));
  EXPECT_FALSE(simplify(wiggly, -1).ok());
}

TEST(GeoBounds, Table) {
  auto b = bounds(wkt("LINESTRING (103 22, 103.5 21.5, 104 23)"));
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->min_x, 103);
  EXPECT_DOUBLE_EQ(b->min_y, 21.5);
  EXPECT_DOUBLE_EQ(b->max_x, 104);
  EXPECT_DOUBLE_EQ(b->max_y, 23);
  EXPECT_FALSE(bounds(wkt("POLYGON EMPTY")));
}

// --- Voronoi -----------------------------------------------------------------

// An L-shaped commune 1 km across, in VN-2000 metres.
const char* kClip =
    "POLYGON ((500000 2430000, 501000 2430000, 501000 2430400, 500400 2430400, 500400 2431000, 500000 2431000, "
    "500000 2430000))";

void expect_coverage(const std::vector<std::pair<double, double>>& seeds, const Geometry& clip) {
  auto cells = voronoi_cells(seeds, clip);
  ASSERT_TRUE(cells.ok()) << cells.error().message;
  ASSERT_EQ(cells->size(), seeds.size());
  const double clip_area = *area_m2(clip);
  double total = 0;
  for (std::size_t i = 0; i < cells->size(); ++i) {
    const auto& cell = (*cells)[i];
    EXPECT_EQ(cell.srid, clip.srid);
    EXPECT_EQ(text(cell).rfind("MULTIPOLYGON", 0), 0u) << text(cell);
    EXPECT_TRUE(is_valid(cell));
    // Seed order: the i-th cell holds the i-th seed (when the seed is inside the clip).
    if (*contains_point(clip, seeds[i].first, seeds[i].second)) {
      EXPECT_TRUE(*contains_point(cell, seeds[i].first, seeds[i].second)) << "seed " << i;
    }
    total += *area_m2(cell);
    for (std::size_t j = i + 1; j < cells->size(); ++j) {
      auto overlap = intersection_area_m2(cell, (*cells)[j]);
      ASSERT_TRUE(overlap.ok());
      EXPECT_LT(*overlap, clip_area * 1e-9) << "cells " << i << " and " << j << " overlap";
    }
  }
  EXPECT_NEAR(total, clip_area, clip_area * 1e-6);
}

TEST(GeoVoronoi, CellsCoverTheClipWithoutOverlapInSeedOrder) {
  const auto clip = wkt(kClip, 9205);
  const std::vector<std::vector<std::pair<double, double>>> cases = {
      {{500100, 2430100},
       {500800, 2430200},
       {500200, 2430800},
       {500300, 2430300},
       {500600, 2430100},
       {500100, 2430500},
       {500950, 2430350}},
      // Order reversed: cells follow the seeds.
      {{500950, 2430350},
       {500100, 2430500},
       {500600, 2430100},
       {500300, 2430300},
       {500200, 2430800},
       {500800, 2430200},
       {500100, 2430100}},
      {{500100, 2430100}, {500900, 2430100}},                     // two seeds
      {{500100, 2430100}, {500500, 2430100}, {500900, 2430100}},  // collinear
      {{500100, 2430100}, {500200, 2430800}, {502000, 2432000}},  // one seed outside the clip
      {{500500, 2430200}},                                        // one seed: the whole clip
  };
  for (const auto& seeds : cases) {
    SCOPED_TRACE(seeds.size());
    expect_coverage(seeds, clip);
  }
}

TEST(GeoVoronoi, RejectsDuplicateSeedsAndNonPolygonClips) {
  const auto clip = wkt(kClip, 9205);
  auto dup = voronoi_cells({{500100, 2430100}, {500200, 2430200}, {500100, 2430100}}, clip);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("seeds 1 and 3"), std::string::npos) << dup.error().message;
  EXPECT_FALSE(voronoi_cells({{0, 0}, {1, 1}}, wkt("LINESTRING (0 0, 2 2)")).ok());
  auto none = voronoi_cells({}, clip);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// --- threads -------------------------------------------------------------------

TEST(GeoThreads, ConcurrentCallsAgree) {
  const auto square = wkt(kSquare);
  const double expected = *area_m2(square);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto a = area_m2(square);
        auto j = to_geojson(*transform(square, kProvinceCrs));
        auto bad = from_wkt("POLYGON ((", kWgs84);
        if (!a.ok() || std::abs(*a - expected) > 1e-6 || !j.ok() || bad.ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace nongsan::geo
