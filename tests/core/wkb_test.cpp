// The one WKB reader (core/wkb): byte orders, ISO and EWKB dimensions, SRIDs,
// collections, and the hostile inputs a reader must survive (truncation, huge
// counts, deep nesting), table-driven; and the readers built on it.
#include "core/wkb.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "reports/charts.hpp"
#include "storage/wkb_envelope.hpp"

namespace nongsan::wkb {
namespace {

// A small WKB writer for the cases: byte order, type code (with any dimension
// flags), then whatever the case appends.
struct Bytes {
  bool little = true;
  std::vector<std::uint8_t> b;
  Bytes& order() {
    b.push_back(little ? 1 : 0);
    return *this;
  }
  Bytes& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * (little ? i : 3 - i))));
    return *this;
  }
  Bytes& f64(double d) {
    std::uint64_t v;
    std::memcpy(&v, &d, 8);
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * (little ? i : 7 - i))));
    return *this;
  }
  Bytes& head(std::uint32_t type) { return order().u32(type); }
  // A closed square ring of side 1 at (x, y) with `dims` ordinates per point.
  Bytes& square(double x, double y, int dims) {
    u32(5);
    const double pts[5][2] = {{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}};
    for (const auto& p : pts) {
      f64(p[0]).f64(p[1]);
      for (int k = 2; k < dims; ++k) f64(99);
    }
    return *this;
  }
};

std::vector<std::uint8_t> polygon(std::uint32_t type, int dims, bool little = true, bool srid = false) {
  Bytes w{little, {}};
  w.head(type);
  if (srid) w.u32(4326);
  w.u32(1).square(2, 3, dims);
  return w.b;
}

struct ReadCase {
  const char* name;
  std::vector<std::uint8_t> bytes;
  bool ok;
  std::size_t polygons;
  const char* problem;  // a part of the message when !ok
};

TEST(Wkb, ReadsPolygonsInEveryEncodingAndRefusesTheRest) {
  Bytes multi;
  multi.head(6).u32(2).head(3).u32(1).square(0, 0, 2).head(3).u32(1).square(5, 5, 2);
  Bytes nested;  // GeometryCollection(GeometryCollection(Polygon))
  nested.head(7).u32(1).head(7).u32(1).head(3).u32(1).square(2, 3, 2);
  Bytes line;
  line.head(2).u32(2).f64(0).f64(0).f64(1).f64(1);
  Bytes multi_line_inside;  // a MultiPolygon that holds a LineString
  multi_line_inside.head(6).u32(1).head(2).u32(2).f64(0).f64(0).f64(1).f64(1);
  Bytes huge;  // claims four billion rings in a dozen bytes
  huge.head(3).u32(0xffffffffu);
  Bytes empty_polygon;
  empty_polygon.head(3).u32(0);
  std::vector<std::uint8_t> truncated = polygon(3, 2);
  truncated.resize(truncated.size() - 3);
  std::vector<std::uint8_t> bad_order = polygon(3, 2);
  bad_order[0] = 7;

  const std::vector<ReadCase> cases = {
      {"ISO 2D little-endian", polygon(3, 2), true, 1, ""},
      {"ISO 2D big-endian", polygon(3, 2, false), true, 1, ""},
      {"ISO Z (1003)", polygon(1003, 3), true, 1, ""},
      {"ISO M (2003)", polygon(2003, 3), true, 1, ""},
      {"ISO ZM (3003)", polygon(3003, 4), true, 1, ""},
      {"EWKB with SRID", polygon(0x20000003u, 2, true, true), true, 1, ""},
      {"EWKB Z with SRID, big-endian", polygon(0xA0000003u, 3, false, true), true, 1, ""},
      {"MultiPolygon", multi.b, true, 2, ""},
      {"nested collections", nested.b, true, 1, ""},
      {"polygon without rings", empty_polygon.b, true, 0, ""},
      {"a line", line.b, false, 0, "LineString is not a polygon"},
      {"a MultiPolygon holding a line", multi_line_inside.b, false, 0, "MultiPolygon holds a LineString"},
      {"truncated", truncated, false, 0, "ends early"},
      {"huge ring count", huge.b, false, 0, "ends early"},
      {"bad byte order mark", bad_order, false, 0, "byte order"},
      {"unknown dimension code", polygon(4003, 2), false, 0, "unknown geometry type"},
      {"nothing", {}, false, 0, "ends early"},
  };
  for (const auto& c : cases) {
    auto r = read_polygons(c.bytes);
    ASSERT_EQ(r.ok(), c.ok) << c.name << (r ? "" : ": " + r.error().message);
    if (c.ok) {
      ASSERT_EQ(r->size(), c.polygons) << c.name;
      if (c.polygons == 1) {
        const Ring& ring = (*r)[0][0];
        ASSERT_EQ(ring.size(), 5u) << c.name;
        EXPECT_EQ(ring[2].x, 3) << c.name;  // (x + 1, y + 1) of the square at (2, 3): Z and M dropped
        EXPECT_EQ(ring[2].y, 4) << c.name;
      }
    } else {
      EXPECT_NE(r.error().message.find(c.problem), std::string::npos) << c.name << ": " << r.error().message;
    }
  }
  // Points and lines are passed over on request (the demo reads whatever GEOS returns).
  Bytes mixed;
  mixed.head(7).u32(3).head(1).f64(1).f64(1).head(2).u32(2).f64(0).f64(0).f64(1).f64(1).head(3).u32(1).square(0, 0, 2);
  EXPECT_FALSE(read_polygons(mixed.b).ok());
  auto skipped = read_polygons(mixed.b, OtherTypes::skip);
  ASSERT_TRUE(skipped.ok()) << skipped.error().message;
  EXPECT_EQ(skipped->size(), 1u);
}

// Collections inside collections `depth` deep around one polygon.
std::vector<std::uint8_t> nested_collections(int depth, std::uint32_t type) {
  Bytes w;
  for (int i = 0; i < depth; ++i) w.head(type).u32(1);
  w.head(3).u32(1).square(0, 0, 2);
  return w.b;
}

TEST(Wkb, DeepNestingIsRefusedNotFollowedIntoAStackOverflow) {
  EXPECT_TRUE(read_polygons(nested_collections(kMaxDepth, 7)).ok());
  auto deep = read_polygons(nested_collections(200000, 7));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message.find("nest"), std::string::npos) << deep.error().message;
  EXPECT_FALSE(read_envelope(nested_collections(200000, 7)).ok());
  // The report map read MultiPolygons inside MultiPolygons without a limit and
  // crashed on a hostile unit shape; now the shape is refused with the unit's name.
  reports::UnitShape shape;
  shape.code = "03390";
  shape.wkb = nested_collections(200000, 6);
  auto rings = reports::shape_rings(shape);
  ASSERT_FALSE(rings.ok());
  EXPECT_NE(rings.error().message.find("03390"), std::string::npos) << rings.error().message;
}

TEST(Wkb, EnvelopesPointsAndWriting) {
  Bytes pts;  // MultiPoint with an empty point (NaN NaN), which has no extent
  pts.head(4).u32(3).head(1).f64(5).f64(-2).head(1).f64(std::nan("")).f64(std::nan("")).head(1).f64(-1).f64(7);
  auto env = read_envelope(pts.b);
  ASSERT_TRUE(env.ok() && env->has_value());
  EXPECT_EQ((*env)->min_x, -1);
  EXPECT_EQ((*env)->max_x, 5);
  EXPECT_EQ((*env)->min_y, -2);
  EXPECT_EQ((*env)->max_y, 7);
  auto points = read_points(pts.b);
  ASSERT_TRUE(points.ok());
  ASSERT_EQ(points->size(), 3u);
  EXPECT_EQ((*points)[2].y, 7);
  Bytes empty;
  empty.head(7).u32(0);
  auto none = read_envelope(empty.b);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Storage keeps its contract: malformed WKB throws there.
  EXPECT_THROW(storage::wkb_envelope(std::vector<std::uint8_t>{1, 3, 0}), std::runtime_error);

  // What is written reads back the same.
  MultiPolygon m = {{{{0, 0}, {2, 0}, {2, 2}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}, {}}};
  auto back = read_polygons(write_multipolygon(m));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1][0][1].x, 6);
  EXPECT_EQ((*back)[1].size(), 2u);  // the empty hole is kept as written
  auto one = read_polygons(write_polygon(m[0]));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)[0][0][2].y, 2);
}

}  // namespace
}  // namespace nongsan::wkb
