// What a user reads when a file or a geometry is broken: plain sentences about the
// file or the shape, never GEOS's or GDAL's words (found by mutated imports:
// "IllegalArgumentException: Points of LinearRing do not form a closed
// linestring", "Corrupted .shp file", "cpl_unzOpenCurrentFile() failed"), bad
// coordinates named as what they are, and GeoJSON that is not a geometry refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "geo/coordinate_check.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/library_messages.hpp"
#include "geo/vector_io.hpp"

namespace nongsan::geo {
namespace {

// Words that belong to the libraries, not to the user's file.
void expect_plain(const std::string& message, const std::string& context) {
  for (const char* jargon : {"Exception", "LinearRing", "linestring", "cpl_", ".cpp", "z_err", "json.exception",
                             "Corrupted", "GEOS", "GDAL", "WKB type", "[json"})
    EXPECT_EQ(message.find(jargon), std::string::npos) << context << ": '" << message << "' says " << jargon;
}

TEST(PlainMessages, KnownLibraryTextsBecomeSentences) {
  struct Case {
    const char* library_text;
    const char* contains;
  };
  const Case geos[] = {
      {"IllegalArgumentException: Points of LinearRing do not form a closed linestring", "ring of the polygon is not closed"},
      {"IllegalArgumentException: Invalid number of points in LinearRing found 3 - must be 0 or >= 4",
       "fewer than 4 points"},
      {"IllegalArgumentException: point array must contain 0 or >1 elements", "single point"},
      {"ParseException: Unknown geometry type!", "geometry type is not one of"},
      {"ParseException: Input buffer is smaller than requested object size", "cut short"},
      {"ParseException: Unknown WKB type 99", "names a geometry type that does not exist"},
      {"ParseException: Error parsing JSON: '[json.exception.type_error.304] cannot use at() with null'",
       "not valid GeoJSON"},
      {"TopologyException: Input geom 0 is invalid: Self-intersection at 5 5",
       "the first shape is not valid: the boundary crosses itself at (5, 5)"},
      {"TopologyException: Input geom 1 is invalid: Ring Self-intersection at 0 3",
       "the second shape is not valid: a ring of the boundary touches itself at (0, 3)"},
  };
  for (const auto& c : geos) {
    const std::string m = plain_geos_message(c.library_text, "fallback");
    EXPECT_NE(m.find(c.contains), std::string::npos) << c.library_text << " -> " << m;
    expect_plain(m, c.library_text);
  }
  EXPECT_EQ(plain_geos_message("SomethingNewException: deep inside", "the geometry cannot be read"),
            "the geometry cannot be read");
  EXPECT_EQ(plain_geos_message("", "fallback"), "fallback");

  const Case gdal[] = {
      {"Corrupted .shp file : shape 0, nPoints=2147483647, nParts=1.", "the .shp file is damaged"},
      {"cpl_unzOpenCurrentFile() failed", "the ZIP archive is damaged"},
      {"In file ./port/cpl_vsil_gzip.cpp, at line 1121, decompression failed with z_err = -3, return = 33",
       "compressed file is damaged"},
      {"`/tmp/x.gpkg' not recognized as a supported file format.", "not in a format that can be read"},
      {"sqlite3_open(/tmp/x.gpkg) failed: file is not a database", "not a database"},
      {"TIFFReadDirectory:Failed to read directory at offset 16", "GeoTIFF file is damaged"},
      {"Unable to open /tmp/p.shx or /tmp/p.SHX.", ".shx index"},
  };
  for (const auto& c : gdal) {
    const std::string m = plain_gdal_message(c.library_text, "fallback");
    EXPECT_NE(m.find(c.contains), std::string::npos) << c.library_text << " -> " << m;
    expect_plain(m, c.library_text);
  }
  // Several at once: each sentence once; internals give the fallback; plain ones pass.
  EXPECT_EQ(plain_gdal_message("cpl_unzOpenCurrentFile() failed; cpl_unzOpenCurrentFile() failed", "x"),
            "the ZIP archive is damaged: a file inside it cannot be unpacked");
  EXPECT_EQ(plain_gdal_message("In file ./gcore/gdal_misc.cpp, at line 7, oops 0x12", "the file cannot be read"),
            "the file cannot be read");
  EXPECT_EQ(plain_gdal_message("Field 'ten' not found", "x"), "Field 'ten' not found");
}

TEST(PlainMessages, ValidityReasonsSayWhatAndWhere) {
  struct Case {
    const char* wkt;
    const char* reason;
  };
  const Case cases[] = {
      {"POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", "the boundary crosses itself at (5, 5)"},
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 21 20, 21 21, 20 20))",
       "a hole lies outside the outer boundary at (20, 20)"},
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2), (4 4, 6 4, 6 6, 4 6, 4 4))",
       "a hole lies inside another hole at (4, 4)"},
      {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (5 0, 10 5, 5 10, 0 5, 5 0))",
       "holes cut the polygon into separate pieces at (0, 5)"},
      {"POLYGON ((0 0, 0 0, 0 0, 0 0))", "a ring has too few distinct points to enclose an area at (0, 0)"},
      {"POLYGON ((103 22, inf 22, 103.1 22.1, 103 22))", "a coordinate is not a finite number at (inf, 22)"},
  };
  for (const auto& c : cases) {
    auto g = from_wkt(c.wkt, 4326);
    ASSERT_TRUE(g.ok()) << c.wkt << ": " << g.error().message;
    std::string reason;
    EXPECT_FALSE(is_valid(*g, &reason)) << c.wkt;
    EXPECT_EQ(reason, c.reason) << c.wkt;
  }
  // A polygon whose ring does not close, as WKB from a file reader: plain words.
  const std::vector<std::uint8_t> open_ring = {
      1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0,                                          //
      0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0,                                //
      0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0,                           //
      0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,                     //
      0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
  auto mp = as_multipolygon(Geometry{open_ring, 4326});
  ASSERT_FALSE(mp.ok());
  EXPECT_EQ(mp.error().message, "a ring of the polygon is not closed: its last point must repeat its first");
}

TEST(PlainMessages, MalformedGeoJsonIsAnErrorNeverAnEmptyGeometry) {
  struct Case {
    const char* geojson;
    const char* contains;
  };
  const Case cases[] = {
      {"null", "must be an object, not null"},
      {R"("abc")", "must be an object, not a text"},
      {"[]", "must be an object, not a list"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]])", "not valid JSON at line 1"},
      {R"({"type":"Polygonz","coordinates":[]})", "unknown geometry type 'Polygonz'"},
      {R"({"type":"polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})", "unknown geometry type 'polygon'"},
      {R"({"coordinates":[1,2]})", "\"type\" must name the geometry type"},
      {R"({"type":"FeatureCollection","features":[]})", "a FeatureCollection is not a geometry"},
      {R"({"type":"Feature","geometry":null,"properties":{}})", "a Feature is not a geometry"},
      {R"({"type":"Polygon"})", "needs \"coordinates\""},
      {R"({"type":"Polygon","coordinates":"x"})", "coordinates: must be a list, not a text"},
      {R"({"type":"Polygon","coordinates":[[]]})", "coordinates[0]: a ring needs at least 4 positions"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})", "coordinates[0]: the ring is not closed"},
      {R"({"type":"Polygon","coordinates":[[[0,0],["a",0],[1,1],[0,0]]]})", "coordinates[0][1][0]: must be a number"},
      {R"({"type":"Point","coordinates":[1]})", "a position must be [longitude, latitude]"},
      {R"({"type":"Point","coordinates":[203,22]})", "the longitude of (203, 22) is outside −180…180"},
      {R"({"type":"Point","coordinates":[103,1e400]})", "a number too large"},  // refused when read, never infinity
      {R"({"type":"LineString","coordinates":[[0,0]]})", "a line needs at least 2 positions"},
      {R"({"type":"GeometryCollection"})", "geometries: must be a list of geometries"},
      {R"({"type":"GeometryCollection","geometries":[{"type":"Polygonz"}]})", "geometries[0]: unknown geometry type"},
  };
  for (const auto& c : cases) {
    auto g = from_geojson(c.geojson);
    ASSERT_FALSE(g.ok()) << c.geojson << " read as a geometry";
    EXPECT_EQ(g.error().code, ErrorCode::invalid_input);
    EXPECT_NE(g.error().message.find(c.contains), std::string::npos) << c.geojson << " -> " << g.error().message;
    expect_plain(g.error().message, c.geojson);
  }
  // What GeoJSON allows is read: an altitude (dropped), empty geometries, collections.
  for (const char* ok : {R"({"type":"Point","coordinates":[103.5,22.25,1200]})",
                         R"({"type":"Polygon","coordinates":[[[103,22,5],[103.1,22,5],[103.1,22.1,5],[103,22,5]]]})",
                         R"({"type":"Polygon","coordinates":[]})",
                         R"({"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]})"}) {
    auto g = from_geojson(ok);
    EXPECT_TRUE(g.ok()) << ok << ": " << (g ? "" : g.error().message);
  }
  auto z = from_geojson(R"({"type":"Point","coordinates":[103.5,22.25,1200]})");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*to_wkt(*z), "POINT (103.5 22.25)");
}

TEST(PlainMessages, BadCoordinatesInAFileAreNamedAsWhatTheyAre) {
  // A GeoJSON file whose second point has an infinite longitude used to be reported
  // as "coordinates (103, 22) lie outside longitude/latitude range": the corner of
  // the bounding box, which is a perfectly good point.
  auto dir = std::filesystem::temp_directory_path() / ("nongsan-plain-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "parcels.geojson";
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"A1"},"geometry":{"type":"Polygon","coordinates":[[[103.0,22.0],[Infinity,22.0],[103.001,22.001],[103.0,22.0]]]}},
{"type":"Feature","properties":{"id":"A2"},"geometry":{"type":"Polygon","coordinates":[[[103.0,22.0],[203.0,22.0],[103.001,22.001],[103.0,22.0]]]}},
{"type":"Feature","properties":{"id":"A3"},"geometry":{"type":"Polygon","coordinates":[[[103.0,22.0],[NaN,22.0],[103.001,22.001],[103.0,22.0]]]}},
{"type":"Feature","properties":{"id":"A4"},"geometry":{"type":"Polygon","coordinates":[[[103.0,22.0],[103.001,22.0],[103.001,22.001],[103.0,22.0]]]}}
]})";
  auto read = read_features(path);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->problems.size(), 3u);
  EXPECT_EQ(read->problems[0].feature_number, 1);
  EXPECT_EQ(read->problems[0].message, "point 2 has a longitude that is not a finite number (Infinity)");
  EXPECT_EQ(read->problems[1].feature_number, 2);
  EXPECT_NE(read->problems[1].message.find("point 2, (203, 22), has a longitude outside −180…180"), std::string::npos)
      << read->problems[1].message;
  EXPECT_EQ(read->problems[2].message, "point 2 has a longitude that is not a finite number (NaN)");
  EXPECT_TRUE(read->features[3].geometry.has_value());

  // The same check on its own: projected coordinates are only checked for finiteness.
  auto pt = from_wkt("POINT (499803.8 2433662.1)", 9205);
  ASSERT_TRUE(pt.ok());
  EXPECT_FALSE(coordinate_problem(*pt, false).has_value());
  EXPECT_TRUE(coordinate_problem(*pt, true).has_value());
  EXPECT_EQ(format_point(103.25, -1e-7), "(103.25, -1e-07)");
}

TEST(PlainMessages, ABrokenShapefileAndADamagedZipSayWhatIsWrong) {
  auto dir = std::filesystem::temp_directory_path() / ("nongsan-broken-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Feature f;
  f.number = 1;
  f.attributes["id"] = "B1";
  f.geometry = *from_wkt("POLYGON ((103 22, 103.001 22, 103.001 22.001, 103 22))", 4326);
  ASSERT_TRUE(write_features(dir / "p.shp", VectorFormat::shp, "p", {{"id"}}, {f, f}).ok());
  {
    // The first record's point count becomes impossibly large.
    std::fstream shp(dir / "p.shp", std::ios::in | std::ios::out | std::ios::binary);
    shp.seekp(100 + 8 + 4 + 32 + 4);
    const char huge[4] = {'\xff', '\xff', '\xff', '\x7f'};
    shp.write(huge, 4);
  }
  auto read = read_features(dir / "p.shp");
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_FALSE(read->problems.empty());
  EXPECT_NE(read->problems[0].message.find("the .shp file is damaged"), std::string::npos) << read->problems[0].message;
  for (const auto& p : read->problems) expect_plain(p.message, "broken shapefile");
}

}  // namespace
}  // namespace nongsan::geo
