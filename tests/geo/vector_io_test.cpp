#include "geo/vector_io.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {
namespace {

namespace fs = std::filesystem;

class VectorIo : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nongsan-vector-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path file(const std::string& name, const std::string& content = {}) const {
    const auto p = dir_ / name;
    if (!content.empty()) std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  fs::path dir_;
};

Geometry wkt(const std::string& text, int srid = kWgs84) {
  auto g = from_wkt(text, srid);
  EXPECT_TRUE(g.ok()) << text;
  return g.ok() ? *g : Geometry{};
}

std::string text(const std::optional<Geometry>& g) {
  if (!g) return "(none)";
  auto t = to_wkt(*g, 9);
  return t.ok() ? *t : t.error().message;
}

// Geometries written and read back agree to 1e-7° (about 1 cm): GeoJSON keeps 8
// decimals and a Shapefile turns rings clockwise.
void expect_same_geometry(const std::optional<Geometry>& actual, const std::optional<Geometry>& expected) {
  ASSERT_EQ(actual.has_value(), expected.has_value()) << text(actual) << " vs " << text(expected);
  if (!expected) return;
  EXPECT_EQ(actual->srid, kWgs84);
  auto same = same_shape(*actual, *expected, 1e-7);
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_TRUE(*same) << text(actual) << " vs " << text(expected);
}

const std::vector<FieldSpec> kFields = {
    {"ma", FieldType::string},      {"ten", FieldType::string}, {"so_ho", FieldType::integer},
    {"dien_tich", FieldType::real}, {"ngay", FieldType::date},
};

// Three communes: one in lon/lat, one in VN-2000 metres with a hole, one without geometry.
std::vector<Feature> sample_features() {
  return {
      {1,
       {{"ma", "03199"}, {"ten", "Xã Mường Tè"}, {"so_ho", "1250"}, {"dien_tich", "12.5"}, {"ngay", "2024-05-01"}},
       wkt("POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22.01, 103 22))")},
      {2,
       {{"ma", "03202"},
        {"ten", "Thị trấn Sìn Hồ — đồng bào Thái, H'Mông, \"Dao\""},
        {"so_ho", ""},
        {"dien_tich", "0.125"},
        {"ngay", ""},
        {"ghi_chu", "not a declared field, not written"}},
       wkt("POLYGON ((500000 2430000, 500500 2430000, 500500 2430500, 500000 2430500, 500000 2430000),"
           " (500100 2430100, 500100 2430200, 500200 2430200, 500200 2430100, 500100 2430100))",
           kProvinceCrs)},
      {3,
       {{"ma", "03205"}, {"ten", "Phường Đoàn Kết"}, {"so_ho", "7"}, {"dien_tich", "3"}, {"ngay", "31/12/2025"}},
       std::nullopt},
  };
}

struct Expected {
  std::map<std::string, std::string> attributes;
  std::optional<Geometry> geometry;
};

std::vector<Expected> expected_back() {
  auto features = sample_features();
  return {
      {{{"ma", "03199"}, {"ten", "Xã Mường Tè"}, {"so_ho", "1250"}, {"dien_tich", "12.5"}, {"ngay", "2024-05-01"}},
       features[0].geometry},
      {{{"ma", "03202"},
        {"ten", "Thị trấn Sìn Hồ — đồng bào Thái, H'Mông, \"Dao\""},
        {"so_ho", ""},
        {"dien_tich", "0.125"},
        {"ngay", ""}},
       *transform(*features[1].geometry, kWgs84)},
      {{{"ma", "03205"}, {"ten", "Phường Đoàn Kết"}, {"so_ho", "7"}, {"dien_tich", "3"}, {"ngay", "2025-12-31"}},
       std::nullopt},
  };
}

TEST_F(VectorIo, RoundTripEveryWritableFormat) {
  struct Case {
    VectorFormat format;
    const char* file;
    std::optional<int> crs;  // CSV and XLSX carry no CRS
    bool keeps_layer_name;
  };
  const Case cases[] = {
      {VectorFormat::gpkg, "don_vi.gpkg", std::nullopt, true},
      {VectorFormat::geojson, "don_vi.geojson", std::nullopt, false},
      {VectorFormat::shp, "don_vi.shp", std::nullopt, false},
      {VectorFormat::csv, "don_vi.csv", 4326, false},
      {VectorFormat::xlsx, "don_vi.xlsx", 4326, true},
  };
  const auto expected = expected_back();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto path = file(c.file);
    auto written = write_features(path, c.format, "Đơn vị hành chính", kFields, sample_features());
    ASSERT_TRUE(written.ok()) << written.error().message;

    ReadOptions options;
    options.source_epsg = c.crs;
    auto read = read_features(path, options);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_TRUE(read->problems.empty()) << read->problems.front().message;
    EXPECT_EQ(read->field_names, (std::vector<std::string>{"ma", "ten", "so_ho", "dien_tich", "ngay"}));
    EXPECT_NE(read->source_crs.find("4326"), std::string::npos) << read->source_crs;
    if (c.keeps_layer_name) {
      EXPECT_EQ(read->layer_name, "Đơn vị hành chính");
    }
    ASSERT_EQ(read->features.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(i + 1);
      EXPECT_EQ(read->features[i].number, static_cast<std::int64_t>(i + 1));
      EXPECT_EQ(read->features[i].attributes, expected[i].attributes);
      expect_same_geometry(read->features[i].geometry, expected[i].geometry);
    }
  }
}

// A parcel drawn in VN-2000 keeps the area of its own coordinates: a 100 m square is
// 10,000 m², not the 9,999.99998… m² of a round trip through EPSG:4326 (the datum shift
// is not exactly invertible). Drawn in another CRS, the area is measured after one
// transformation into VN-2000.
TEST_F(VectorIo, PolygonsCarryTheirAreaInVn2000FromTheFilesOwnCoordinates) {
  const auto csv = file("square.csv",
                        "id,wkt\n"
                        "A,\"POLYGON((500000 2470000,500100 2470000,500100 2470100,500000 2470100,500000 2470000))\"\n"
                        "B,\"POLYGON((500000 2470000,500050 2470000,500050 2470080,500000 2470000))\"\n");
  auto read = read_features(csv, {.layer = std::nullopt, .source_epsg = 9205});
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->features.size(), 2u);
  ASSERT_TRUE(read->features[0].area_m2.has_value());
  EXPECT_EQ(*read->features[0].area_m2, 10000.0);
  EXPECT_EQ(*read->features[1].area_m2, 2000.0);
  // The stored 4326 geometry measured again is close, but not exact.
  auto again = area_m2(*read->features[0].geometry);
  ASSERT_TRUE(again.ok());
  EXPECT_NEAR(*again, 10000.0, 1e-3);
  // From longitude/latitude: one transformation, the same area as geo::area_m2.
  const auto lonlat = file("lonlat.csv", "id,wkt\nC,\"POLYGON((103 22,103.001 22,103.001 22.001,103 22.001,103 22))\"\n");
  auto ll = read_features(lonlat, {.layer = std::nullopt, .source_epsg = 4326});
  ASSERT_TRUE(ll.ok());
  ASSERT_TRUE(ll->features[0].area_m2.has_value());
  EXPECT_NEAR(*ll->features[0].area_m2, *area_m2(*ll->features[0].geometry), 1e-6);
  // Lines have no area.
  const auto line = file("line.csv", "id,wkt\nD,\"LINESTRING(500000 2470000,500100 2470000)\"\n");
  auto ln = read_features(line, {.layer = std::nullopt, .source_epsg = 9205});
  ASSERT_TRUE(ln.ok());
  EXPECT_FALSE(ln->features[0].area_m2.has_value());
}

TEST_F(VectorIo, WritingReplacesTheOldFile) {
  for (auto [format, name] : {std::pair{VectorFormat::gpkg, "a.gpkg"}, std::pair{VectorFormat::shp, "a.shp"},
                              std::pair{VectorFormat::csv, "a.csv"}}) {
    SCOPED_TRACE(name);
    const auto path = file(name);
    ASSERT_TRUE(write_features(path, format, "a", kFields, sample_features()).ok());
    auto one = sample_features();
    one.resize(1);
    ASSERT_TRUE(write_features(path, format, "a", kFields, one).ok());
    auto read = read_features(path, {.layer = std::nullopt, .source_epsg = 4326});
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->features.size(), 1u);
  }
}

TEST_F(VectorIo, WritingChecksEveryValueFirst) {
  auto features = sample_features();
  features[0].attributes["so_ho"] = "nhiều";
  features[1].attributes["ngay"] = "31/02/2024";
  features[2].attributes["dien_tich"] = "ba";
  const auto path = file("bad.gpkg");
  auto written = write_features(path, VectorFormat::gpkg, "x", kFields, features);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::invalid_input);
  ASSERT_EQ(written.error().fields.size(), 3u);
  EXPECT_EQ(written.error().fields[0].field, "feature 1, field so_ho");
  EXPECT_EQ(written.error().fields[1].field, "feature 2, field ngay");
  EXPECT_EQ(written.error().fields[2].field, "feature 3, field dien_tich");
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(VectorIo, ShapefileNeedsOneGeometryKind) {
  std::vector<Feature> mixed = {{1, {}, wkt("POINT (103 22)")}, {2, {}, wkt("LINESTRING (103 22, 103.1 22.1)")}};
  auto shp = write_features(file("mixed.shp"), VectorFormat::shp, "x", {}, mixed);
  ASSERT_FALSE(shp.ok());
  EXPECT_NE(shp.error().fields.at(0).message.find("one kind of geometry"), std::string::npos);
  // GeoPackage takes them, and Polygon with MultiPolygon becomes MultiPolygon.
  EXPECT_TRUE(write_features(file("mixed.gpkg"), VectorFormat::gpkg, "x", {}, mixed).ok());
  std::vector<Feature> polygons = {{1, {}, wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")},
                                   {2, {}, wkt("MULTIPOLYGON (((2 2, 3 2, 3 3, 2 2)), ((5 5, 6 5, 6 6, 5 5)))")}};
  ASSERT_TRUE(write_features(file("p.shp"), VectorFormat::shp, "p", {}, polygons).ok());
  auto read = read_features(file("p.shp"));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->features.size(), 2u);
  expect_same_geometry(read->features[0].geometry, polygons[0].geometry);
  expect_same_geometry(read->features[1].geometry, polygons[1].geometry);
}

TEST_F(VectorIo, GeoJsonInVn2000IsReadInLonLat) {
  // The 0.01° square at 103°E 22°N in EPSG:9205, from GDAL's Python bindings.
  const auto path = file("vn2000.geojson", R"({
  "type": "FeatureCollection",
  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9205"}},
  "features": [
    {"type": "Feature", "properties": {"ten": "Mường Tè", "ma": "03199"},
     "geometry": {"type": "Polygon", "coordinates": [[[499803.825325933, 2433662.10847886],
       [500836.337536191, 2433662.1423247], [500836.265031407, 2434769.32851357],
       [499803.825228898, 2434769.29465553], [499803.825325933, 2433662.10847886]]]}}
  ]
})");
  auto read = read_features(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_NE(read->source_crs.find("EPSG:9205"), std::string::npos) << read->source_crs;
  EXPECT_NE(read->source_crs.find("VN-2000"), std::string::npos) << read->source_crs;
  ASSERT_EQ(read->features.size(), 1u);
  EXPECT_EQ(read->features[0].attributes.at("ten"), "Mường Tè");
  expect_same_geometry(read->features[0].geometry,
                       wkt("POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22.01, 103 22))"));
  // The area survives the trip: same figure as measured from lon/lat.
  EXPECT_NEAR(*area_m2(*read->features[0].geometry), 1143143.1695, 1143143.1695 * 1e-4);
}

TEST_F(VectorIo, ShapefileInVn2000WithEsriPrj) {
  // A Shapefile as ArcGIS writes one in VN-2000: coordinates in metres, a .prj in
  // ESRI WKT with no EPSG code and no datum-shift parameters. write_features only
  // writes EPSG:4326, so the file is made with metre coordinates labelled 4326 and
  // its .prj replaced.
  const auto path = file("thua_dat.shp");
  std::vector<Feature> parcel = {{1,
                                  {{"ten", "Thửa đất số 12"}},
                                  wkt("POLYGON ((499803.825325933 2433662.10847886, 500836.337536191 2433662.1423247, "
                                      "500836.265031407 2434769.32851357, 499803.825228898 2434769.29465553, "
                                      "499803.825325933 2433662.10847886))")}};
  ASSERT_TRUE(write_features(path, VectorFormat::shp, "thua_dat", {{"ten", FieldType::string}}, parcel).ok());
  file("thua_dat.prj",
       R"(PROJCS["VN-2000_TM-3_103-00",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",)"
       R"(SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],)"
       R"(PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],)"
       R"(PARAMETER["Central_Meridian",103.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],)"
       R"(UNIT["Meter",1.0]])");
  auto read = read_features(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_NE(read->source_crs.find("9205"), std::string::npos) << read->source_crs;
  ASSERT_EQ(read->features.size(), 1u);
  EXPECT_EQ(read->features[0].attributes.at("ten"), "Thửa đất số 12");
  expect_same_geometry(read->features[0].geometry,
                       wkt("POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22.01, 103 22))"));
}

TEST_F(VectorIo, KmlIsLonLat) {
  const auto path = file("vung_che.kml", R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Vùng chè</name>
<Placemark><name>Vùng chè Tam Đường</name><description>Chè shan tuyết</description>
<Polygon><outerBoundaryIs><LinearRing><coordinates>
103.5,22.3,0 103.51,22.3,0 103.51,22.31,0 103.5,22.3,0
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>
)");
  auto read = read_features(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->features.size(), 1u);
  std::string name;
  for (const auto& [key, value] : read->features[0].attributes)
    if (key == "name" || key == "Name") name = value;
  EXPECT_EQ(name, "Vùng chè Tam Đường");
  expect_same_geometry(read->features[0].geometry,
                       wkt("POLYGON ((103.5 22.3, 103.51 22.3, 103.51 22.31, 103.5 22.3))"));
}

TEST_F(VectorIo, TablesTakeGeometryFromColumns) {
  struct Row {
    const char* wkt;  // nullptr: no geometry
    const char* problem = nullptr;
  };
  struct Case {
    const char* name;
    const char* csv;
    int crs;
    std::vector<Row> rows;
  };
  const Case cases[] = {
      {"wkt",
       "id,ten,WKT\n"
       "1,Bản Lả,POINT (103.1 22.2)\n"
       "2,Bản Hon,\"POLYGON ((103 22, 103.1 22\"\n"
       "3,Bản Giang,\n"
       "4,Bản Bo,\"POLYGON ((103 22, 103.1 22, 103.1 22.1, 103 22))\"\n",
       4326,
       {{"POINT (103.1 22.2)"},
        {nullptr, "not valid WKT: 'POLYGON ((103 22, 103.1 22'"},
        {nullptr},
        {"POLYGON ((103 22, 103.1 22, 103.1 22.1, 103 22))"}}},
      {"lonlat",
       "id;ten;Longitude;Latitude\n"
       "1;Bản Lả;103.1;22.2\n"
       "2;Bản Hon;103,25;22,5\n"  // decimal comma
       "3;Bản Giang;abc;22\n"
       "4;Bản Bo;;\n",
       4326,
       {{"POINT (103.1 22.2)"},
        {"POINT (103.25 22.5)"},
        {nullptr, "('abc', '22') are not a pair of numbers"},
        {nullptr}}},
      {"vn2000_xy",
       "id,ten,x,y\n"
       "1,Bản Lả,499803.825325933,2433662.10847886\n",
       9205,
       {{"POINT (103 22)"}}},
      {"wrong_crs",  // VN-2000 metres declared as lon/lat
       "id,ten,x,y\n"
       "1,Bản Lả,499803.825325933,2433662.10847886\n",
       4326,
       {{nullptr, "has a longitude outside −180…180"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto read = read_features(file(std::string(c.name) + ".csv", c.csv), {.layer = std::nullopt, .source_epsg = c.crs});
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_EQ(read->features.size(), c.rows.size());
    EXPECT_EQ(read->field_names, (std::vector<std::string>{"id", "ten"}));
    std::size_t problems = 0;
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      SCOPED_TRACE(i + 1);
      const auto& row = c.rows[i];
      const auto& feature = read->features[i];
      EXPECT_EQ(feature.attributes.at("id"), std::to_string(i + 1));
      expect_same_geometry(feature.geometry, row.wkt ? std::optional(wkt(row.wkt)) : std::nullopt);
      if (row.problem) {
        ASSERT_LT(problems, read->problems.size());
        EXPECT_EQ(read->problems[problems].feature_number, static_cast<std::int64_t>(i + 1));
        EXPECT_NE(read->problems[problems].message.find(row.problem), std::string::npos)
            << read->problems[problems].message;
        ++problems;
      }
    }
    EXPECT_EQ(read->problems.size(), problems);
  }
}

TEST_F(VectorIo, FileWithoutCrsNeedsOne) {
  const auto path = file("khong_crs.csv", "id,wkt\n1,POINT (103 22)\n");
  auto read = read_features(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::invalid_input);
  EXPECT_NE(read.error().message.find(path.string()), std::string::npos) << read.error().message;
  EXPECT_NE(read.error().message.find("--crs"), std::string::npos) << read.error().message;
  // A table without geometry columns needs no CRS.
  auto plain = read_features(file("plain.csv", "id,ten\n1,Lai Châu\n"));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->source_crs, "");
  EXPECT_EQ(plain->features.at(0).attributes.at("ten"), "Lai Châu");
  EXPECT_FALSE(plain->features.at(0).geometry);
}

TEST_F(VectorIo, OpeningErrorsAreClear) {
  auto missing = read_features(file("khong_co.gpkg"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);

  auto junk = read_features(file("junk.gpkg", "this is not a GeoPackage"));
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().message.find("junk.gpkg"), std::string::npos) << junk.error().message;

  const auto path = file("units.gpkg");
  ASSERT_TRUE(write_features(path, VectorFormat::gpkg, "xa", kFields, sample_features()).ok());
  auto no_layer = read_features(path, {.layer = "huyen", .source_epsg = std::nullopt});
  ASSERT_FALSE(no_layer.ok());
  EXPECT_NE(no_layer.error().message.find("xa"), std::string::npos) << no_layer.error().message;
  auto named = read_features(path, {.layer = "xa", .source_epsg = std::nullopt});
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->features.size(), 3u);
}

// --- officials' files: limits, encodings, invisible bytes, Shapefile parts -------

std::string big_header_csv(std::size_t name_bytes, int rows) {
  std::string csv = "ma_xa," + std::string(name_bytes, 'x') + "\n";
  for (int i = 0; i < rows; ++i) csv += std::to_string(i) + ",\n";
  return csv;
}

TEST_F(VectorIo, AHugeColumnNameIsRefusedBeforeTheRowsAreRead) {
  // A 1 MiB column name over 1,000 rows took 2.1 GB (a copy of the name per row).
  auto read = read_features(file("big.csv", big_header_csv(1 << 20, 1000)));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::invalid_input);
  ASSERT_EQ(read.error().fields.size(), 1u);
  EXPECT_EQ(read.error().fields[0].field, "line 1, column 2");
  EXPECT_NE(read.error().fields[0].message.find("1048576 bytes long"), std::string::npos)
      << read.error().fields[0].message;
  EXPECT_NE(read.error().fields[0].message.find("import.max_column_name_bytes"), std::string::npos);
}

TEST_F(VectorIo, RowsShareOneCopyOfTheColumnNames) {
  ReadOptions options;
  options.limits.max_column_name_bytes = 2 << 20;
  auto read = read_features(file("big.csv", big_header_csv(1 << 20, 50)), options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->features.size(), 50u);
  // The name strings of the first and the last row are one object, not 50 copies.
  const auto first = read->features.front().attributes.find(std::string(1 << 20, 'x'));
  const auto last = read->features.back().attributes.find(std::string(1 << 20, 'x'));
  ASSERT_NE(first, read->features.front().attributes.end());
  EXPECT_EQ(&(*first).first, &(*last).first);
}

TEST_F(VectorIo, ValuesAndFilesOverTheirLimitsNameWhere) {
  ReadOptions options;
  options.limits.max_cell_bytes = 10;
  auto cell = read_features(file("o.csv", "ma,ten\n1,ngắn\n2," + std::string(11, 'y') + "\n"), options);
  ASSERT_FALSE(cell.ok());
  ASSERT_EQ(cell.error().fields.size(), 1u);
  EXPECT_EQ(cell.error().fields[0].field, "line 3, column ten");
  EXPECT_NE(cell.error().fields[0].message.find("import.max_cell_kb"), std::string::npos);

  options = {};
  options.limits.max_file_bytes = 100;
  auto big = read_features(file("f.csv", "ma,ten\n" + std::string(200, '1') + ",x\n"), options);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("import.max_file_mb"), std::string::npos) << big.error().message;
  // An XLSX is measured unpacked.
  const auto xlsx = file("t.xlsx");
  ASSERT_TRUE(write_features(xlsx, VectorFormat::xlsx, "t", kFields, sample_features()).ok());
  options.limits.max_file_bytes = 2000;
  auto sheet = read_features(xlsx, options);
  ASSERT_FALSE(sheet.ok());
  EXPECT_NE(sheet.error().message.find("unpacks to"), std::string::npos) << sheet.error().message;
}

// CSV files in the legacy encodings, bytes from each chart: read as UTF-8 text.
TEST_F(VectorIo, LegacyEncodedCsvIsReadAsUtf8) {
  struct Case {
    const char* name;
    std::string row1, row2;
  };
  const Case cases[] = {
      {"tcvn3", "M\xAD\xEAng T\xCC", "Nguy\xD4n Th\xDE H\xAD\xACng"},
      {"vni", "M\xF6\xF4\xF8ng Te\xF8", "Nguye\xE3n Th\xF2 H\xF6\xF4ng"},
      {"windows1258", "M\xFD\xF5\xCCng T\xE8", "Nguy\xEA\xDEn Thi\xF2 H\xFD\xF5ng"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto read = read_features(file(std::string(c.name) + ".csv", "ma,ten\n1," + c.row1 + "\n2," + c.row2 + "\n"));
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_EQ(read->features.size(), 2u);
    EXPECT_EQ(read->features[0].attributes.at("ten"), "Mường Tè");
    EXPECT_EQ(read->features[1].attributes.at("ten"), "Nguyễn Thị Hương");
  }
}

TEST_F(VectorIo, TheEncodingCanBeGivenAndIsReported) {
  // "Bình" in Latin-1 reads the same in VNI; the user says which.
  const auto path = file("l1.csv", "ma,ten\n1,B\xECnh Ch\xE2u\n");
  ReadOptions options;
  options.encoding = TextEncoding::latin1;
  auto read = read_features(path, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->text_encoding, TextEncoding::latin1);
  EXPECT_EQ(read->features[0].attributes.at("ten"), "Bình Châu");
  auto plain = read_features(file("u.csv", "ma,ten\n1,Bình Châu\n"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->text_encoding, TextEncoding::utf8);
}

TEST_F(VectorIo, TextInNoEncodingNamesTheLineAndColumnOfTheFirstBadByte) {
  auto read = read_features(file("junk.csv", "ma,ten\n1,ok\n2,a\xFF\x01\x9D\xFE\n"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::invalid_input);
  EXPECT_NE(read.error().message.find("line 3, column 4: byte 0xFF is not valid UTF-8"), std::string::npos)
      << read.error().message;
}

TEST_F(VectorIo, InvalidUtf8InAUtf8FormatIsRefused) {
  const auto path = file("bad.geojson",
                         "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                         "{\"ten\":\"M\xF6\xF4\xF8ng\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[103,22]}}]}");
  auto read = read_features(path);
  ASSERT_FALSE(read.ok());
  ASSERT_FALSE(read.error().fields.empty()) << read.error().message;
  EXPECT_EQ(read.error().fields[0].field, "feature 1, column ten");
  EXPECT_NE(read.error().fields[0].message.find("not valid UTF-8"), std::string::npos);
}

TEST_F(VectorIo, InvisibleBytesInTheHeader) {
  // A byte-order mark, an NBSP after a name and a trailing CR are stripped.
  auto read = read_features(file("h.csv", "\xEF\xBB\xBFma_xa,ten\xC2\xA0,ghi_chu\r\n03388,Đoàn Kết,\r\n"));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->field_names, (std::vector<std::string>{"ma_xa", "ten", "ghi_chu"}));
  EXPECT_EQ(read->features.at(0).attributes.at("ten"), "Đoàn Kết");
  // Any other invisible character is named.
  auto zwsp = read_features(file("z.csv", "ma\xE2\x80\x8B_xa,ten\n03388,Đoàn Kết\n"));
  ASSERT_FALSE(zwsp.ok());
  ASSERT_EQ(zwsp.error().fields.size(), 1u);
  EXPECT_EQ(zwsp.error().fields[0].field, "line 1, column 1");
  EXPECT_NE(zwsp.error().fields[0].message.find(
                "column 'ma_xa' contains an invisible character U+200B (zero-width space)"),
            std::string::npos)
      << zwsp.error().fields[0].message;
  auto nbsp = read_features(file("n.csv", "ma_xa,ten\xC2\xA0xa\n03388,Đoàn Kết\n"));
  ASSERT_FALSE(nbsp.ok());
  EXPECT_NE(nbsp.error().fields.at(0).message.find("U+00A0 (no-break space)"), std::string::npos);
}

TEST_F(VectorIo, AShapefileWhoseDbfHasFewerRecordsIsRefused) {
  std::vector<Feature> parcels;
  for (int i = 0; i < 3; ++i)
    parcels.push_back({i + 1, {{"ten", "Thửa " + std::to_string(i + 1)}},
                       wkt("POLYGON ((103 22, 103.01 22, 103.01 22.01, 103 22))")});
  const auto path = file("thua.shp");
  ASSERT_TRUE(write_features(path, VectorFormat::shp, "thua", {{"ten", FieldType::string}}, parcels).ok());
  // Cut the .dbf to its first record, header count included (as a broken copy leaves it).
  const auto dbf = file("thua.dbf");
  std::string bytes;
  {
    std::ifstream in(dbf, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto header = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  const auto record = static_cast<unsigned char>(bytes[10]) | (static_cast<unsigned char>(bytes[11]) << 8);
  bytes[4] = 1;
  bytes.resize(static_cast<std::size_t>(header + record));
  std::ofstream(dbf, std::ios::binary | std::ios::trunc) << bytes;
  auto read = read_features(path);
  ASSERT_FALSE(read.ok()) << "read " << read->features.size() << " features";
  EXPECT_NE(read.error().message.find("thua.shp holds 3 shapes but thua.dbf holds 1 records"), std::string::npos)
      << read.error().message;
}

TEST_F(VectorIo, ADbfWithoutCodePageInTcvn3IsConverted) {
  const auto path = file("xa.shp");
  ASSERT_TRUE(write_features(path, VectorFormat::shp, "xa", {{"ten", FieldType::string}},
                             {{1, {{"ten", "Mường Tè"}}, wkt("POINT (103 22)")}})
                  .ok());
  // Replace the UTF-8 value with its TCVN3 bytes, padded as dBASE pads text; no .cpg,
  // language driver id 0: what an old ArcView export with .VnTime fonts looks like.
  const auto dbf = file("xa.dbf");
  std::string bytes;
  {
    std::ifstream in(dbf, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string utf8 = "Mường Tè", tcvn3 = "M\xAD\xEAng T\xCC";
  const auto at = bytes.find(utf8);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, utf8.size(), tcvn3 + std::string(utf8.size() - tcvn3.size(), ' '));
  bytes[29] = 0;
  std::ofstream(dbf, std::ios::binary | std::ios::trunc) << bytes;
  fs::remove(file("xa.cpg"));
  auto read = read_features(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->features.at(0).attributes.at("ten"), "Mường Tè");
}

TEST(VectorFormatName, Parses) {
  EXPECT_EQ(parse_vector_format("GPKG"), VectorFormat::gpkg);
  EXPECT_EQ(parse_vector_format("geojson"), VectorFormat::geojson);
  EXPECT_EQ(parse_vector_format("shp"), VectorFormat::shp);
  EXPECT_EQ(parse_vector_format("csv"), VectorFormat::csv);
  EXPECT_EQ(parse_vector_format("xlsx"), VectorFormat::xlsx);
  EXPECT_FALSE(parse_vector_format("dwg"));
}

}  // namespace
}  // namespace nongsan::geo
