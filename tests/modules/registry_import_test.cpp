// Importing the land registry from files: parcels go to the commune they lie in,
// a loosely named VN-2000 .prj is read in the right datum, re-imports change
// nothing, a changed boundary keeps its history, every problem is named with its
// feature and column, and a bad file stores nothing unless told to skip.
//
// The small province (test_support/small_province.hpp) has, today, the communes
// N1 = [103.0, 103.1] × [22.0, 22.1] (code 09001) and N2 = [103.1, 103.2] ×
// [22.0, 22.1] (code 09003).
#include "modules/registry/registry_import.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/layer_crs.hpp"
#include "geo/point_on_surface.hpp"
#include "modules/registry/crs_guess.hpp"
#include "modules/registry/registry_repository.hpp"
#include "test_support/small_province.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::registry {

namespace {

using nlohmann::json;

std::string square(double x, double y, double s) {
  auto f = [](double v) { return std::to_string(v); };
  return "POLYGON((" + f(x) + " " + f(y) + "," + f(x + s) + " " + f(y) + "," + f(x + s) + " " + f(y + s) + "," + f(x) +
         " " + f(y + s) + "," + f(x) + " " + f(y) + "))";
}

struct Feat {
  json properties;
  std::string wkt;  // "" = null geometry; otherwise WKT in lon/lat
};

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

void write_geojson(const std::filesystem::path& p, const std::vector<Feat>& features) {
  json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
  for (const auto& f : features) {
    json g = nullptr;
    if (!f.wkt.empty()) g = json::parse(*geo::to_geojson(*geo::from_wkt(f.wkt, 4326), 8));
    fc["features"].push_back({{"type", "Feature"}, {"properties", f.properties}, {"geometry", g}});
  }
  write_text(p, fc.dump());
}

// ---- a Shapefile written byte by byte (ESRI Shapefile Technical Description, 1998),
// so the test controls the .prj exactly -----------------------------------------

void put_be32(std::string& s, std::int32_t v) {
  for (int i = 3; i >= 0; --i) s += static_cast<char>((static_cast<std::uint32_t>(v) >> (8 * i)) & 0xff);
}
void put_le32(std::string& s, std::int32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((static_cast<std::uint32_t>(v) >> (8 * i)) & 0xff);
}
void put_le16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}
void put_double(std::string& s, double v) {
  char b[8];
  std::memcpy(b, &v, 8);  // x86-64 and ARM are little-endian, as the format wants
  s.append(b, 8);
}

struct ShpPolygon {
  std::string id;
  std::vector<std::pair<double, double>> ring;  // closed, clockwise (a Shapefile's outer ring)
};

void write_shapefile(const std::filesystem::path& base, const std::vector<ShpPolygon>& polys, const std::string& prj) {
  std::string records, index;
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  std::int32_t offset_words = 50;
  for (std::size_t k = 0; k < polys.size(); ++k) {
    const auto& ring = polys[k].ring;
    double a = 1e300, b = 1e300, c = -1e300, d = -1e300;
    for (auto [x, y] : ring) a = std::min(a, x), b = std::min(b, y), c = std::max(c, x), d = std::max(d, y);
    min_x = std::min(min_x, a), min_y = std::min(min_y, b), max_x = std::max(max_x, c), max_y = std::max(max_y, d);
    std::string content;
    put_le32(content, 5);
    for (double v : {a, b, c, d}) put_double(content, v);
    put_le32(content, 1);
    put_le32(content, static_cast<std::int32_t>(ring.size()));
    put_le32(content, 0);
    for (auto [x, y] : ring) put_double(content, x), put_double(content, y);
    const auto words = static_cast<std::int32_t>(content.size() / 2);
    put_be32(records, static_cast<std::int32_t>(k + 1));
    put_be32(records, words);
    records += content;
    put_be32(index, offset_words);
    put_be32(index, words);
    offset_words += 4 + words;
  }
  auto header = [&](std::int32_t length_words) {
    std::string h;
    put_be32(h, 9994);
    for (int i = 0; i < 5; ++i) put_be32(h, 0);
    put_be32(h, length_words);
    put_le32(h, 1000);
    put_le32(h, 5);
    for (double v : {min_x, min_y, max_x, max_y, 0.0, 0.0, 0.0, 0.0}) put_double(h, v);
    return h;
  };
  write_text(base.string() + ".shp", header(static_cast<std::int32_t>(50 + records.size() / 2)) + records);
  write_text(base.string() + ".shx", header(static_cast<std::int32_t>(50 + index.size() / 2)) + index);
  // dBASE III with one text field "id" of 20 characters.
  std::string dbf;
  dbf += '\x03';
  dbf += static_cast<char>(124), dbf += '\x01', dbf += '\x01';
  put_le32(dbf, static_cast<std::int32_t>(polys.size()));
  put_le16(dbf, 32 + 32 + 1);
  put_le16(dbf, 1 + 20);
  dbf.append(20, '\0');
  std::string field = "id";
  field.resize(11, '\0');
  dbf += field;
  dbf += 'C';
  dbf.append(4, '\0');
  dbf += static_cast<char>(20);
  dbf += '\0';
  dbf.append(14, '\0');
  dbf += '\x0d';
  for (const auto& p : polys) {
    std::string v = p.id;
    v.resize(20, ' ');
    dbf += ' ' + v;
  }
  dbf += '\x1a';
  write_text(base.string() + ".dbf", dbf);
  if (!prj.empty()) write_text(base.string() + ".prj", prj);
}

// A .prj as district offices' software writes it: VN-2000 by name only, no EPSG
// code, and a datum GDAL cannot recognise (read as it says, every parcel would
// move by about 200 m).
constexpr const char* kLooseVn2000Prj =
    R"(PROJCS["VN2000 mui 3 KTT 103",GEOGCS["VN2000",DATUM["unknown",SPHEROID["WGS84",6378137,298.257223563]],)"
    R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],)"
    R"(PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",103],PARAMETER["scale_factor",0.9999],)"
    R"(PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]])";

// Lon/lat -> EPSG:9205 easting/northing.
std::pair<double, double> to_vn2000(double lon, double lat) {
  auto p = geo::transform(*geo::from_wkt("POINT(" + std::to_string(lon) + " " + std::to_string(lat) + ")", 4326), 9205);
  auto b = *geo::bounds(*p);
  return {b.min_x, b.min_y};
}

// Reads a file as `nongsan import` does with --crs auto.
Result<geo::FeatureSet> read_auto(const std::filesystem::path& path, std::string* note = nullptr,
                                  std::optional<TextEncoding> encoding = std::nullopt) {
  auto facts = geo::inspect_layer_crs(path, std::nullopt);
  if (!facts) return facts.error();
  auto choice = guess_crs(*facts, path.filename().string());
  if (!choice) return choice.error();
  if (note) *note = choice->note;
  geo::ReadOptions ro;
  ro.source_epsg = choice->epsg;
  ro.encoding = encoding;
  return geo::read_features(path, ro);
}

std::string all_problems(const Error& e) {
  std::string out = e.message + "\n";
  for (const auto& f : e.fields) out += f.field + ": " + f.message + "\n";
  return out;
}

class RegistryImport : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(storage::Backend::sqlite, false);
    app::Config c;
    c.db = tdb->location;
    c.backup_dir = tdb->scratch_dir;
    app = app::App::open(c);
    province = test_support::seed_small_province(*app);
    dir = tdb->scratch_dir;
  }

  Result<ParcelImportReport> parcels(const std::filesystem::path& file, ParcelImportOptions o = {}) {
    auto fs = read_auto(file);
    if (!fs) return fs.error();
    if (o.source.empty()) o.source = file.filename().string();
    return import_parcels(app->db(), app->admin(), cli, *fs, o);
  }
  Result<ParcelImportReport> parcels(const geo::FeatureSet& fs, ParcelImportOptions o = {}) {
    return import_parcels(app->db(), app->admin(), cli, fs, o);
  }
  std::optional<Parcel> parcel(const std::string& id) {
    return app->db().read(
        [&](storage::Connection& c) { return RegistryRepository::find_parcel_by_external_id(c, id, true); });
  }
  std::int64_t count(const char* table) {
    return app->db().read(
        [&](storage::Connection& c) { return c.scalar_i64(std::string("SELECT count(*) FROM ") + table); });
  }
  std::int64_t import_audits() {
    return app->db().read([&](storage::Connection& c) {
      return c.scalar_i64("SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'parcel'");
    });
  }
  UnitId unit(const char* key) { return province.units.at(key); }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<app::App> app;
  test_support::SmallProvince province;
  std::filesystem::path dir;
  identity::Actor cli = identity::Actor::cli("test");
};

}  // namespace

// ---- parcels ----------------------------------------------------------------------

TEST_F(RegistryImport, GeoJsonParcelsGoToTheCommuneTheyLieIn) {
  write_geojson(dir / "p.geojson",
                {{{{"id", "P1"}, {"so_to", "12"}, {"SO_THUA", "34"}, {"loai_dat", "LUC"}, {"dien_tich", "1250,5"}},
                  square(103.02, 22.02, 0.001)},
                 {{{"id", "P2"}, {"state", "hoang hóa"}}, square(103.15, 22.05, 0.001)},
                 {{{"id", "P3"}}, square(104.50, 22.50, 0.001)}});
  auto r = parcels(dir / "p.geojson");
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 3);
  auto p1 = parcel("P1");
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->unit, unit("N1"));
  EXPECT_EQ(p1->sheet_no, "12");
  EXPECT_EQ(p1->parcel_no, "34");
  EXPECT_EQ(p1->land_use_code, "LUC");
  EXPECT_DOUBLE_EQ(*p1->official_area_m2, 1250.5);
  EXPECT_NEAR(*p1->area_m2, *geo::area_m2(*geo::from_wkt(square(103.02, 22.02, 0.001), 4326)), 1e-6);
  EXPECT_EQ(p1->source, "p.geojson");
  EXPECT_EQ(parcel("P2")->unit, unit("N2"));
  EXPECT_EQ(parcel("P2")->state, ParcelState::idle);
  // Outside every commune: stored without one, and named.
  EXPECT_FALSE(parcel("P3")->unit);
  ASSERT_EQ(r->unassigned.size(), 1u);
  EXPECT_EQ(r->unassigned[0].external_id, "P3");
  EXPECT_EQ(r->unassigned[0].feature_number, 3);
  // Stored as a MultiPolygon in EPSG:4326.
  EXPECT_EQ(p1->geom->srid, 4326);
  EXPECT_EQ(*geo::to_wkt(*p1->geom, 3),
            "MULTIPOLYGON (((103.02 22.02, 103.021 22.02, 103.021 22.021, 103.02 22.021, 103.02 22.02)))");
  EXPECT_EQ(import_audits(), 1);
}

TEST_F(RegistryImport, AParcelAcrossACommuneBoundaryIsRefusedWithTheCommuneItWouldLeave) {
  // docs/rules.md §5: a parcel lies in the commune it is registered in. 103.098 –
  // 103.108: a fifth in N1, four fifths in N2 (so registered in N2); and the mirror
  // image; and one that crosses by about a metre (digitising noise, within 2 m).
  write_geojson(dir / "p.geojson", {{{{"id", "across-2"}}, square(103.098, 22.05, 0.01)},
                                    {{{"id", "across-1"}}, square(103.092, 22.05, 0.01)},
                                    {{{"id", "edge"}}, square(103.09901, 22.07, 0.001)}});
  auto r = parcels(dir / "p.geojson");
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 1, geometry: lies"), std::string::npos) << all;
  EXPECT_NE(all.find("outside Xã Mới Hai (09003)"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, geometry: lies"), std::string::npos) << all;
  EXPECT_NE(all.find("outside Xã Mới Một (09001)"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 3"), std::string::npos) << all;
  EXPECT_EQ(count("parcel"), 0);
  ParcelImportOptions o;
  o.skip_invalid = true;
  r = parcels(dir / "p.geojson", o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(parcel("edge")->unit, unit("N1"));
  // A commune named in a column is the judge too.
  write_geojson(dir / "named.geojson", {{{{"id", "named"}, {"ma_xa", "09001"}}, square(103.15, 22.05, 0.001)}});
  ParcelImportOptions named;
  named.commune_field = "ma_xa";
  auto n = parcels(dir / "named.geojson", named);
  ASSERT_FALSE(n);
  EXPECT_NE(all_problems(n.error()).find("feature 1, geometry: lies"), std::string::npos) << all_problems(n.error());
}

// A file in a legacy encoding (TCVN3, VNI or Windows-1258) is converted when read;
// one that must be UTF-8 (`--encoding utf-8`) is refused with its line and column;
// and invalid UTF-8 that reaches an importer by another way is never stored: every
// bad cell is named with its feature and column.
TEST_F(RegistryImport, TextThatIsNotUtf8IsConvertedOrRefusedInEveryImport) {
  const std::string bad = "L\xf2 V\xe3n";  // Windows-1258 bytes, not UTF-8
  const std::string owner = "Lò Văn Thắng bản Nà Khum xã Bản Hon";
  const std::string legacy = *encode_text(owner, TextEncoding::windows1258);
  write_text(dir / "p.csv", "id,so_thua,wkt\nU-1," + legacy + ",\"" + square(103.02, 22.02, 0.001) + "\"\n");
  auto converted = read_auto(dir / "p.csv");
  ASSERT_TRUE(converted) << converted.error().message;
  EXPECT_EQ(converted->text_encoding, TextEncoding::windows1258);
  EXPECT_EQ(converted->features.at(0).attributes.at("so_thua"), owner);

  auto strict = read_auto(dir / "p.csv", nullptr, TextEncoding::utf8);
  ASSERT_FALSE(strict);
  EXPECT_NE(all_problems(strict.error()).find("line 2"), std::string::npos) << all_problems(strict.error());

  // The importers' own check, for features that come with bytes no reader decoded.
  auto with_bad = [&](geo::FeatureSet fs, const std::string& column) {
    fs.features.at(0).attributes[column] = bad;
    return fs;
  };
  auto r = parcels(with_bad(*converted, "so_thua"));
  ASSERT_FALSE(r);
  EXPECT_NE(all_problems(r.error()).find("feature 1, so_thua: is not valid UTF-8"), std::string::npos)
      << all_problems(r.error());
  EXPECT_EQ(count("parcel"), 0);

  write_text(dir / "producers.csv", "external_id,name,kind\nH1,Lò Văn A,household\nH2,Lò Văn B,household\n");
  auto pr = import_producers(app->db(), app->admin(), cli, with_bad(*read_auto(dir / "producers.csv"), "name"), {});
  ASSERT_FALSE(pr);
  EXPECT_NE(all_problems(pr.error()).find("feature 1, name: is not valid UTF-8"), std::string::npos);
  EXPECT_EQ(all_problems(pr.error()).find("feature 2"), std::string::npos);
  EXPECT_TRUE(is_valid_utf8(all_problems(pr.error())));  // the message itself stays printable
  EXPECT_EQ(count("producer"), 0);

  write_geojson(dir / "ok.geojson", {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}});
  ASSERT_TRUE(parcels(dir / "ok.geojson"));
  write_text(dir / "producers-ok.csv", "external_id,name,kind\nH2,Lò Văn B,household\n");
  ASSERT_TRUE(import_producers(app->db(), app->admin(), cli, *read_auto(dir / "producers-ok.csv"), {}));
  write_text(dir / "plantings.csv", "parcel,crop,variety,start_date\nA,tea,Shan,2020-01-01\n");
  auto pl = import_plantings(app->db(), app->admin(), cli, with_bad(*read_auto(dir / "plantings.csv"), "variety"), {});
  ASSERT_FALSE(pl);
  EXPECT_NE(all_problems(pl.error()).find("feature 1, variety: is not valid UTF-8"), std::string::npos);
  write_text(dir / "rights.csv", "parcel,producer,kind,valid_from,document\nA,H2,owner,2020-01-01,GCN\n");
  auto ri = import_rights(app->db(), app->admin(), cli, with_bad(*read_auto(dir / "rights.csv"), "document"), {});
  ASSERT_FALSE(ri);
  EXPECT_NE(all_problems(ri.error()).find("feature 1, document: is not valid UTF-8"), std::string::npos);
  EXPECT_EQ(count("planting"), 0);
  EXPECT_EQ(count("land_right"), 0);
  // Nothing stored is invalid, so the check's JSON can always be written.
  for (const char* table : {"parcel", "producer"})
    app->db().read([&](storage::Connection& c) {
      for (const auto& row : c.query(std::string("SELECT * FROM ") + table).rows)
        for (std::size_t i = 0; i < row.size(); ++i)
          if (auto t = std::get_if<std::string>(&row.at(i))) {
            EXPECT_TRUE(is_valid_utf8(*t)) << table;
          }
    });
}

TEST_F(RegistryImport, DatesOutsideThePlausibleRangeAreRefused) {
  write_geojson(dir / "ok.geojson", {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}});
  ASSERT_TRUE(parcels(dir / "ok.geojson"));
  write_text(dir / "plantings.csv",
             "parcel,crop,start_date,end_date\nA,tea,0001-01-01,\nA,rice,2020-01-01,2205-06-30\nA,maize,2021-01-01,\n");
  auto r = import_plantings(app->db(), app->admin(), cli, *read_auto(dir / "plantings.csv"), {});
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 1, start_date: must be between 01/01/1900 and 31/12/2100"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, end_date: must be between"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 3"), std::string::npos) << all;
  EXPECT_EQ(count("planting"), 0);
  // The import date itself.
  ParcelImportOptions o;
  o.as_of = CivilDate(1, 1, 1);
  auto p = parcels(dir / "ok.geojson", o);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().fields.at(0).field, "as_of");
}

TEST_F(RegistryImport, AZoneWhoseGeometryIsMalformedIsRefusedNotStoredWithoutOne) {
  // null, a string, an unknown type: GDAL reads each as "no geometry".
  write_text(dir / "zones.geojson",
             R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"code": "Z-OK", "name": "Vùng", "commodity": "tea"},
   "geometry": {"type": "Polygon", "coordinates": [[[103.01, 22.01], [103.02, 22.01], [103.02, 22.02], [103.01, 22.01]]]}},
  {"type": "Feature", "properties": {"code": "Z-NULL", "name": "Vùng", "commodity": "tea"}, "geometry": null},
  {"type": "Feature", "properties": {"code": "Z-ABC", "name": "Vùng", "commodity": "tea"}, "geometry": "abc"},
  {"type": "Feature", "properties": {"code": "Z-Z", "name": "Vùng", "commodity": "tea"},
   "geometry": {"type": "Polygonz", "coordinates": [[[103.01, 22.01], [103.02, 22.01], [103.02, 22.02], [103.01, 22.01]]]}}
]})");
  auto fs = read_auto(dir / "zones.geojson");
  ASSERT_TRUE(fs) << all_problems(fs.error());
  auto r = import_zones(app->db(), app->admin(), cli, *fs, {});
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  for (const char* f : {"feature 2, geometry", "feature 3, geometry", "feature 4, geometry"})
    EXPECT_NE(all.find(f), std::string::npos) << f << "\n" << all;
  EXPECT_EQ(all.find("feature 1,"), std::string::npos) << all;
  EXPECT_EQ(count("zone"), 0);
}

TEST_F(RegistryImport, WithoutBoundariesInTheDatabaseEveryParcelIsUnassignedAndTheImportSucceeds) {
  auto empty = test_support::make_test_database(storage::Backend::sqlite, false);
  app::Config c;
  c.db = empty->location;
  c.backup_dir = empty->scratch_dir;
  auto bare = app::App::open(c);
  write_geojson(dir / "p.geojson",
                {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}, {{{"id", "B"}}, square(103.15, 22.02, 0.001)}});
  auto fs = read_auto(dir / "p.geojson");
  ASSERT_TRUE(fs);
  auto r = import_parcels(bare->db(), bare->admin(), cli, *fs, {});
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->unassigned.size(), 2u);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("no commune boundaries"), std::string::npos) << r->warnings[0];
}

TEST_F(RegistryImport, TheCommuneCanComeFromAColumn) {
  write_geojson(dir / "p.geojson", {{{{"id", "A"}, {"ma_xa", "09001"}}, square(103.02, 22.02, 0.001)},
                                    {{{"id", "B"}, {"ma_xa", "99999"}}, square(103.03, 22.02, 0.001)},
                                    {{{"id", "C"}, {"ma_xa", ""}}, square(103.04, 22.02, 0.001)},
                                    {{{"id", "W"}, {"ma_xa", "09003"}}, square(103.05, 22.02, 0.001)}});
  ParcelImportOptions o;
  o.commune_field = "MA_XA";
  auto r = parcels(dir / "p.geojson", o);
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 2, ma_xa: no commune with code '99999'"), std::string::npos) << all;
  // The code names the commune, and the parcel must lie in it (docs/rules.md §5).
  EXPECT_NE(all.find("feature 4, geometry: lies"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 1"), std::string::npos) << all;
  o.skip_invalid = true;
  r = parcels(dir / "p.geojson", o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->skipped, 2);
  EXPECT_EQ(parcel("A")->unit, unit("N1"));  // from the code
  EXPECT_EQ(parcel("C")->unit, unit("N1"));  // an empty cell falls back to the location
}

TEST_F(RegistryImport, OverlappingParcelsUnderDifferentIdsAreStoredAsTheyAre) {
  write_geojson(dir / "p.geojson", {{{{"id", "A"}}, square(103.02, 22.02, 0.001)},
                                    {{{"id", "B"}}, square(103.02, 22.02, 0.001)},
                                    {{{"id", "C"}}, square(103.0205, 22.0205, 0.001)}});
  auto r = parcels(dir / "p.geojson");
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 3);
}

TEST_F(RegistryImport, ImportingTheSameFileAgainChangesNothing) {
  write_geojson(dir / "p.geojson", {{{{"id", "A"}, {"so_thua", "1"}}, square(103.02, 22.02, 0.001)},
                                    {{{"id", "B"}, {"so_thua", "2"}}, square(104.5, 22.5, 0.001)}});
  ASSERT_TRUE(parcels(dir / "p.geojson"));
  const auto before = parcel("A");
  auto r = parcels(dir / "p.geojson");
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(count("parcel"), 2);
  EXPECT_EQ(count("parcel_geometry_history"), 0);
  EXPECT_EQ(parcel("A")->updated_at, before->updated_at);
  EXPECT_EQ(import_audits(), 2);
}

TEST_F(RegistryImport, AChangedBoundaryReplacesTheGeometryAndKeepsTheOldOneInHistory) {
  write_geojson(dir / "v1.geojson", {{{{"id", "A"}, {"loai_dat", "LUC"}}, square(103.02, 22.02, 0.001)}});
  ParcelImportOptions o;
  o.as_of = CivilDate(2026, 1, 1);
  ASSERT_TRUE(parcels(dir / "v1.geojson", o));
  write_geojson(dir / "v2.geojson", {{{{"id", "A"}, {"loai_dat", "LUC"}}, square(103.02, 22.02, 0.002)}});
  o.as_of = CivilDate(2026, 6, 1);
  auto r = parcels(dir / "v2.geojson", o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->geometry_changed, 1);
  auto a = parcel("A");
  EXPECT_NEAR(*a->area_m2, *geo::area_m2(*geo::from_wkt(square(103.02, 22.02, 0.002), 4326)), 1e-6);
  auto history = app->db().read([&](storage::Connection& c) { return RegistryRepository::geometry_history(c, a->id); });
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].valid_from, CivilDate(2026, 1, 1));
  EXPECT_EQ(history[0].valid_to, CivilDate(2026, 5, 31));
  EXPECT_TRUE(*geo::same_shape(history[0].geom, *geo::from_wkt(square(103.02, 22.02, 0.001), 4326), 1e-9));
  // Attributes only: an update without a new boundary.
  write_geojson(dir / "v3.geojson", {{{{"id", "A"}, {"loai_dat", "CLN"}}, square(103.02, 22.02, 0.002)}});
  r = parcels(dir / "v3.geojson", o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->geometry_changed, 0);
  EXPECT_EQ(parcel("A")->land_use_code, "CLN");
  EXPECT_EQ(count("parcel_geometry_history"), 1);
}

TEST_F(RegistryImport, AColumnTheFileLacksKeepsTheStoredValue) {
  write_geojson(dir / "v1.geojson", {{{{"id", "A"}, {"state", "idle"}, {"so_to", "7"}}, square(103.02, 22.02, 0.001)}});
  ASSERT_TRUE(parcels(dir / "v1.geojson"));
  write_geojson(dir / "v2.geojson", {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}});
  auto r = parcels(dir / "v2.geojson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(parcel("A")->state, ParcelState::idle);
  EXPECT_EQ(parcel("A")->sheet_no, "7");
}

TEST_F(RegistryImport, EveryBadFeatureIsNamedAndNothingIsStored) {
  write_geojson(
      dir / "bad.geojson",
      {{{{"id", "OK"}}, square(103.02, 22.02, 0.001)},
       {{{"id", ""}}, square(103.03, 22.02, 0.001)},
       {{{"id", "DUP"}}, square(103.04, 22.02, 0.001)},
       {{{"id", "DUP"}}, square(103.05, 22.02, 0.001)},
       {{{"id", "LINE"}}, "LINESTRING(103.06 22.02, 103.07 22.03)"},
       {{{"id", "BOWTIE"}}, "POLYGON((103.08 22.02, 103.09 22.03, 103.09 22.02, 103.08 22.03, 103.08 22.02))"},
       {{{"id", "NOGEOM"}}, ""},
       {{{"id", "STATE"}, {"state", "flooded"}}, square(103.03, 22.03, 0.001)},
       {{{"id", "AREA"}, {"dien_tich", "abc"}}, square(103.04, 22.03, 0.001)},
       {{{"id", "EMPTY"}}, "POLYGON EMPTY"}});
  auto r = parcels(dir / "bad.geojson");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("9 of 10 features have problems; nothing was stored"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, id: is empty"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 3, id: id 'DUP' is used again by feature(s) 4"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, id: id 'DUP' is used again by feature(s) 3"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 5, geometry: must be a polygon or multipolygon"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 6, geometry: is not valid: the boundary crosses itself"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 7, geometry: is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 8, state: must be in_use, idle or inefficient_rice"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 9, dien_tich: is not a number: 'abc'"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 10, geometry: is empty"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 1,"), std::string::npos) << all;
  EXPECT_EQ(count("parcel"), 0);
  EXPECT_EQ(import_audits(), 0);

  ParcelImportOptions o;
  o.skip_invalid = true;
  auto kept = parcels(dir / "bad.geojson", o);
  ASSERT_TRUE(kept) << all_problems(kept.error());
  EXPECT_EQ(kept->created, 1);
  EXPECT_EQ(kept->skipped, 9);
  EXPECT_EQ(kept->skipped_problems.size(), 9u);
  EXPECT_EQ(kept->skipped_problems.front().field, "feature 2, id");
  EXPECT_EQ(count("parcel"), 1);
  EXPECT_TRUE(parcel("OK"));
}

TEST_F(RegistryImport, AFileWithoutTheIdColumnIsRefusedWithItsColumnsNamed) {
  write_geojson(dir / "p.geojson", {{{{"ma_thua", "A"}}, square(103.02, 22.02, 0.001)}});
  auto r = parcels(dir / "p.geojson");
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("lacks the column(s) id (its columns: ma_thua)"), std::string::npos) << all;
  ParcelImportOptions o;
  o.id_field = "MA_THUA";
  ASSERT_TRUE(parcels(dir / "p.geojson", o));
  EXPECT_TRUE(parcel("A"));
}

TEST_F(RegistryImport, ADryRunReportsExactCountsAndStoresNothing) {
  write_geojson(dir / "p.geojson",
                {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}, {{{"id", "B"}}, square(103.03, 22.02, 0.001)}});
  ParcelImportOptions o;
  o.dry_run = true;
  auto r = parcels(dir / "p.geojson", o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(count("parcel"), 0);
  EXPECT_EQ(import_audits(), 0);
}

TEST_F(RegistryImport, AShapefileWithALooselyNamedVn2000PrjLandsWhereItBelongs) {
  // A parcel at 103.02–103.021 E, 22.02–22.021 N, in VN-2000 / TM-3 103-00 metres.
  auto ring = [](double lon, double lat, double s) {
    return std::vector<std::pair<double, double>>{to_vn2000(lon, lat), to_vn2000(lon, lat + s),
                                                  to_vn2000(lon + s, lat + s), to_vn2000(lon + s, lat),
                                                  to_vn2000(lon, lat)};
  };
  write_shapefile(dir / "to12", {{"T12-1", ring(103.02, 22.02, 0.001)}, {"T12-2", ring(103.15, 22.05, 0.001)}},
                  kLooseVn2000Prj);
  std::string note;
  auto fs = read_auto(dir / "to12.shp", &note);
  ASSERT_TRUE(fs) << all_problems(fs.error());
  EXPECT_NE(note.find("EPSG:9205"), std::string::npos) << note;
  auto r = parcels(*fs);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  auto p = parcel("T12-1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->unit, unit("N1"));
  EXPECT_EQ(parcel("T12-2")->unit, unit("N2"));
  // Within a centimetre of where it was drawn (read as the .prj says, without the
  // datum shift, it would be some 200 m away).
  auto b = *geo::bounds(*p->geom);
  EXPECT_NEAR(b.min_x, 103.02, 1e-7);
  EXPECT_NEAR(b.min_y, 22.02, 1e-7);
  EXPECT_NEAR(b.max_x, 103.021, 1e-7);
}

TEST_F(RegistryImport, AShapefileWithoutPrjInMetresAsksForTheCrs) {
  write_shapefile(dir / "noprj",
                  {{"X",
                    {to_vn2000(103.02, 22.02), to_vn2000(103.02, 22.021), to_vn2000(103.021, 22.021),
                     to_vn2000(103.021, 22.02), to_vn2000(103.02, 22.02)}}},
                  "");
  auto fs = read_auto(dir / "noprj.shp");
  ASSERT_FALSE(fs);
  const std::string all = all_problems(fs.error());
  EXPECT_NE(all.find("noprj.shp has no coordinate reference system"), std::string::npos) << all;
  EXPECT_NE(all.find("pass --crs 9205"), std::string::npos) << all;
}

TEST_F(RegistryImport, CsvWithWktAndDecimalCommas) {
  write_text(dir / "p.csv",
             "so_thua;id;dien_tich;wkt\n"  // GDAL's CSV driver also takes semicolons
             "5;CSV-1;\"1234,75\";\"" +
                 square(103.02, 22.02, 0.001) + "\"\n" + "6;CSV-2;980.5;\"" + square(103.15, 22.02, 0.001) + "\"\n");
  auto r = parcels(dir / "p.csv");
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  EXPECT_DOUBLE_EQ(*parcel("CSV-1")->official_area_m2, 1234.75);
  EXPECT_DOUBLE_EQ(*parcel("CSV-2")->official_area_m2, 980.5);
  EXPECT_EQ(parcel("CSV-2")->unit, unit("N2"));
}

TEST_F(RegistryImport, CsvWithLatLonGivesPointsWhichAreNotParcels) {
  write_text(dir / "pts.csv", "id,lat,lon\nA,\"22,03\",\"103,02\"\nB,\"22,04\",\"103,15\"\n");
  std::string note;
  auto fs = read_auto(dir / "pts.csv", &note);
  ASSERT_TRUE(fs) << all_problems(fs.error());
  EXPECT_NE(note.find("longitude/latitude"), std::string::npos) << note;
  ASSERT_EQ(fs->features.size(), 2u);
  EXPECT_NEAR(geo::bounds(*fs->features[0].geometry)->min_x, 103.02, 1e-12);  // the decimal comma was read
  auto r = parcels(*fs);
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 1, geometry: must be a polygon or multipolygon"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, geometry: must be a polygon or multipolygon"), std::string::npos) << all;
}

TEST_F(RegistryImport, ABrokenFileIsAnErrorNamingIt) {
  write_text(dir / "broken.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ");
  auto fs = read_auto(dir / "broken.geojson");
  ASSERT_FALSE(fs);
  EXPECT_NE(fs.error().message.find("broken.geojson"), std::string::npos) << fs.error().message;
  EXPECT_EQ(count("parcel"), 0);
}

TEST_F(RegistryImport, DgnShapesTakeTheirIdFromTheTextInside) {
  // As GDAL reads a DGN sheet: shapes, text elements, and linework, no id column.
  geo::FeatureSet fs;
  fs.layer_name = "elements";
  fs.field_names = {"Type", "Level", "Text"};
  auto feature = [](std::int64_t n, const std::string& text, const std::string& wkt) {
    geo::Feature f;
    f.number = n;
    f.attributes = {{"Type", "6"}, {"Level", "1"}, {"Text", text}};
    f.geometry = *geo::from_wkt(wkt, 4326);
    return f;
  };
  fs.features = {feature(1, "", square(103.02, 22.02, 0.001)), feature(2, "12-34", "POINT(103.0205 22.0205)"),
                 feature(3, "", square(103.03, 22.02, 0.001)), feature(4, "12-35", "POINT(103.0305 22.0205)"),
                 feature(5, "", "LINESTRING(103.0 22.0, 103.1 22.1)"), feature(6, "TỜ 12", "POINT(103.5 22.5)"),
                 // The sheet frame around everything: it would swallow every label.
                 feature(7, "", square(103.01, 22.01, 0.03))};
  auto r = parcels(fs);
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 7, Text: no text element lies inside this shape"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 1,"), std::string::npos) << all;
  ParcelImportOptions o;
  o.skip_invalid = true;
  r = parcels(fs, o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_TRUE(r->ids_from_labels);
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->skipped, 1);
  EXPECT_TRUE(parcel("12-34"));
  EXPECT_TRUE(parcel("12-35"));
  std::string warnings;
  for (const auto& w : r->warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("1 element(s) that are neither shapes nor text"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("1 text element(s) lie outside every shape"), std::string::npos) << warnings;
}

TEST_F(RegistryImport, ARetiredParcelsIdCannotBeImportedAgain) {
  write_geojson(dir / "p.geojson", {{{{"id", "OLD"}}, square(103.02, 22.02, 0.001)}});
  ASSERT_TRUE(parcels(dir / "p.geojson"));
  app->db().write(
      [&](storage::Connection& c) { RegistryRepository::retire_parcel(c, parcel("OLD")->id, CivilDate(2026, 3, 31)); });
  auto r = parcels(dir / "p.geojson");
  ASSERT_FALSE(r);
  EXPECT_NE(all_problems(r.error()).find("feature 1, id: parcel 'OLD' was retired on 31/03/2026"), std::string::npos)
      << all_problems(r.error());
}

TEST_F(RegistryImport, OnlyThoseAllowedToWriteTheRegistryImport) {
  identity::Actor inspector;
  inspector.name = "user:insp";
  inspector.role = identity::Role::inspector;
  geo::FeatureSet fs;
  fs.field_names = {"id"};
  auto r = import_parcels(app->db(), app->admin(), inspector, fs, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
}

// ---- producers, zones, plantings, rights ------------------------------------------------

TEST_F(RegistryImport, ProducersWithTheirCooperative) {
  write_text(
      dir / "producers.csv",
      "external_id,kind,name,commune_code,members_count,ethnicity,citizen_id,tax_code,phone,address,organisation\n"
      "H1,hộ,Lò Văn A,09001,5,Thái,001234567890,,0912000001,Bản Một,HTX1\n"
      "HTX1,HTX,HTX Chè Tam Đường,09001,30,,,5400123456,,,\n"
      "H2,household,Tao Thị B,09003,4,Dao,12345,,,,\n"
      "H3,farmer,Giàng A C,99999,x,,,,,,NOPE\n");
  ImportOptions o;
  auto fs = read_auto(dir / "producers.csv");
  ASSERT_TRUE(fs) << all_problems(fs.error());
  auto r = import_producers(app->db(), app->admin(), cli, *fs, o);
  ASSERT_FALSE(r);
  const std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 3, citizen_id: must be 12 digits"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, kind: must be household"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, commune_code: no commune with code '99999'"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, members_count: must be a whole number"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, organisation: no producer 'NOPE'"), std::string::npos) << all;
  EXPECT_EQ(count("producer"), 0);

  o.skip_invalid = true;
  r = import_producers(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->skipped, 2);
  EXPECT_EQ(r->links_added, 1);
  auto [h1, coop] = app->db().read([&](storage::Connection& c) {
    return std::pair{*RegistryRepository::find_producer_by_external_id(c, "H1"),
                     *RegistryRepository::find_producer_by_external_id(c, "HTX1")};
  });
  EXPECT_EQ(h1.kind, ProducerKind::household);
  EXPECT_EQ(coop.kind, ProducerKind::cooperative);
  EXPECT_EQ(h1.unit, unit("N1"));
  EXPECT_EQ(h1.members_count, 5);
  auto members = app->db().read(
      [&](storage::Connection& c) { return RegistryRepository::members_of(c, coop.id, CivilDate::today()); });
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0], h1.id);

  r = import_producers(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->links_added, 0);
}

TEST_F(RegistryImport, ZonesWithTheirBoundary) {
  write_geojson(dir / "zones.geojson", {{{{"code", "VT-CHE-01"},
                                          {"name", "Vùng chè Tam Đường"},
                                          {"commodity", "tea"},
                                          {"unit_code", "09001"},
                                          {"planned_area_ha", "120,5"},
                                          {"decision", "123/QĐ-UBND"},
                                          {"period_from", "01/01/2021"},
                                          {"period_to", "2025-12-31"},
                                          {"status", "active"}},
                                         square(103.01, 22.01, 0.02)},
                                        {{{"code", "VT-X"},
                                          {"name", "Sai"},
                                          {"commodity", "tea"},
                                          {"period_from", "2025-01-01"},
                                          {"period_to", "2024-01-01"}},
                                         ""}});
  auto fs = read_auto(dir / "zones.geojson");
  ASSERT_TRUE(fs);
  auto r = import_zones(app->db(), app->admin(), cli, *fs, {});
  ASSERT_FALSE(r);
  EXPECT_NE(all_problems(r.error()).find("feature 2, period_to: is before period_from"), std::string::npos)
      << all_problems(r.error());
  ImportOptions o;
  o.skip_invalid = true;
  r = import_zones(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 1);
  auto z =
      app->db().read([&](storage::Connection& c) { return RegistryRepository::find_zone_by_code(c, "VT-CHE-01"); });
  ASSERT_TRUE(z);
  EXPECT_DOUBLE_EQ(*z->planned_area_ha, 120.5);
  EXPECT_EQ(z->status, ZoneStatus::active);
  EXPECT_EQ(z->period_from, CivilDate(2021, 1, 1));
  EXPECT_TRUE(z->geom);
  r = import_zones(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(r->created, 0);
}

TEST_F(RegistryImport, PlantingsAndRights) {
  write_geojson(dir / "p.geojson",
                {{{{"id", "A"}}, square(103.02, 22.02, 0.001)}, {{{"id", "B"}}, square(103.03, 22.02, 0.001)}});
  ASSERT_TRUE(parcels(dir / "p.geojson"));
  write_text(dir / "producers.csv",
             "id,name,kind\nH1,Lò Văn A,household\nH2,Lò Văn B,household\nDN1,Công ty Mắc ca,enterprise\n");
  auto pf = read_auto(dir / "producers.csv");
  ASSERT_TRUE(pf);
  ASSERT_TRUE(import_producers(app->db(), app->admin(), cli, *pf, {}));

  write_text(dir / "plantings.csv",
             "parcel,crop,variety,perennial,season,planted_year,start_date,end_date,planted_area_m2\n"
             "A,tea,Shan tuyết,có,,2019,01/03/2019,,\"1000,5\"\n"
             "B,rice,,0,2024-he-thu,,2024-05-01,2024-09-30,900\n"
             "Z,tea,,1,,,2020-01-01,,10\n"
             "A,maize,,maybe,,,2024-13-01,,\n");
  auto fs = read_auto(dir / "plantings.csv");
  ASSERT_TRUE(fs);
  auto r = import_plantings(app->db(), app->admin(), cli, *fs, {});
  ASSERT_FALSE(r);
  std::string all = all_problems(r.error());
  EXPECT_NE(all.find("feature 3, parcel: no parcel 'Z'"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, perennial"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, start_date: is not a date"), std::string::npos) << all;
  ImportOptions o;
  o.skip_invalid = true;
  r = import_plantings(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r) << all_problems(r.error());
  EXPECT_EQ(r->created, 2);
  auto a = *parcel("A");
  auto plantings =
      app->db().read([&](storage::Connection& c) { return RegistryRepository::plantings_of_parcel(c, a.id); });
  ASSERT_EQ(plantings.size(), 1u);
  EXPECT_TRUE(plantings[0].perennial);
  EXPECT_DOUBLE_EQ(plantings[0].planted_area_m2, 1000.5);
  r = import_plantings(app->db(), app->admin(), cli, *fs, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->created, 0);

  write_text(dir / "rights.csv",
             "parcel,producer,kind,valid_from,valid_to,document\n"
             "A,H1,owner,2015-01-01,,GCN 123\n"
             "A,DN1,lessee,2022-01-01,2031-12-31,HĐ 45\n"
             "A,H2,chủ sử dụng,2020-01-01,,GCN 999\n"
             "B,H2,owner,2015-01-01,,\n");
  auto rf = read_auto(dir / "rights.csv");
  ASSERT_TRUE(rf);
  auto rr = import_rights(app->db(), app->admin(), cli, *rf, {});
  ASSERT_FALSE(rr);
  all = all_problems(rr.error());
  EXPECT_NE(all.find("feature 3, valid_from: the parcel 'A' would have an ambiguous controller: two owners overlap"),
            std::string::npos)
      << all;
  rr = import_rights(app->db(), app->admin(), cli, *rf, o);
  ASSERT_TRUE(rr) << all_problems(rr.error());
  EXPECT_EQ(rr->created, 3);
  EXPECT_EQ(rr->skipped, 1);
  rr = import_rights(app->db(), app->admin(), cli, *rf, o);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->unchanged, 3);
}

// ---- the CRS decision, a pure function -------------------------------------------------

namespace {
geo::LayerCrs facts(std::string wkt, std::optional<int> epsg = std::nullopt,
                    std::optional<geo::Bounds> extent = geo::Bounds{500000, 2400000, 501000, 2401000}) {
  geo::LayerCrs f;
  f.spatial = true;
  f.wkt = std::move(wkt);
  f.epsg = epsg;
  f.extent = extent;
  return f;
}
std::string tm(const std::string& name, const std::string& datum, double cm, double k, double fe = 500000) {
  return "PROJCS[\"" + name + "\",GEOGCS[\"" + datum + "\",DATUM[\"" + datum +
         "\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]],"
         "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\"," +
         std::to_string(cm) + "],PARAMETER[\"scale_factor\"," + std::to_string(k) + "],PARAMETER[\"false_easting\"," +
         std::to_string(fe) + "],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";
}
}  // namespace

TEST(RegistryImportCrsGuess, Table) {
  struct Case {
    const char* what;
    geo::LayerCrs facts;
    std::optional<int> epsg;  // expected choice; nullopt = the file's own
    bool error;
  };
  const std::vector<Case> cases = {
      {"a CRS with its EPSG code is used as it is", facts(tm("VN-2000 / TM-3 103-00", "VN-2000", 103, 0.9999), 9205),
       std::nullopt, false},
      {"loose VN-2000, TM-3 103-00", facts(kLooseVn2000Prj), 9205, false},
      {"loose VN_2000, TM-3 105-30", facts(tm("VN_2000_Ha_Noi", "D_Vietnam_2000", 105.5, 0.9999)), 9209, false},
      {"loose VN-2000, TM-3 zone 482 (105°)", facts(tm("VN-2000 mui 3", "VN-2000", 105, 0.9999)), 5897, false},
      {"loose VN-2000, UTM 48N", facts(tm("VN2000 UTM 48", "VN2000", 105, 0.9996)), 3405, false},
      {"loose VN-2000, UTM 49N", facts(tm("VN2000 UTM 49", "VN2000", 111, 0.9996)), 3406, false},
      {"VN-2000 with a meridian no EPSG CRS has", facts(tm("VN-2000 la", "VN-2000", 103.3, 0.9999)), std::nullopt,
       true},
      {"VN-2000 with another false easting", facts(tm("VN-2000 x", "VN-2000", 103, 0.9999, 0)), std::nullopt, true},
      {"Hanoi 1972 is not VN-2000", facts(tm("Hanoi 1972 / Gauss-Kruger", "Hanoi_1972", 105, 1)), std::nullopt, false},
      {"VN-2000 and Hanoi 1972 both named: not mapped", facts(tm("VN-2000 from Hanoi 1972", "Hanoi_1972", 105, 0.9999)),
       std::nullopt, false},
      {"another TM without a code stays as it is", facts(tm("Custom TM", "WGS_1984", 104, 0.9996)), std::nullopt,
       false},
      {"no CRS, lon/lat coordinates: 4326", facts("", std::nullopt, geo::Bounds{103.0, 22.0, 103.2, 22.1}), 4326,
       false},
      {"no CRS, no coordinates: 4326", facts("", std::nullopt, std::nullopt), 4326, false},
      {"no CRS, metres: error", facts(""), std::nullopt, true},
  };
  for (const auto& c : cases) {
    auto r = guess_crs(c.facts, "to12.shp");
    if (c.error) {
      EXPECT_FALSE(r) << c.what;
      continue;
    }
    ASSERT_TRUE(r) << c.what << ": " << r.error().message;
    EXPECT_EQ(r->epsg, c.epsg) << c.what;
    if (c.epsg) {
      EXPECT_FALSE(r->note.empty()) << c.what;
    }
  }
}

TEST(RegistryImportCrsGuess, ProjectedCoordinatesWithoutCrsNameTheFileAndTheOption) {
  auto r = guess_crs(facts(""), "to12.dgn");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("to12.dgn has no coordinate reference system"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("--crs 9205"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("Lai Châu"), std::string::npos) << r.error().message;
}

TEST(RegistryImportCrsGuess, Vn2000CodesByCentralMeridian) {
  EXPECT_EQ(vn2000_epsg(103, 0.9999), 9205);
  EXPECT_EQ(vn2000_epsg(104.75, 0.9999), 9208);
  EXPECT_EQ(vn2000_epsg(107.75, 0.9999), 5899);
  EXPECT_EQ(vn2000_epsg(108.5, 0.9999), 9218);
  EXPECT_EQ(vn2000_epsg(105, 0.9996), 3405);
  EXPECT_EQ(vn2000_epsg(103, 0.9996), std::nullopt);
  EXPECT_EQ(vn2000_epsg(109, 0.9999), std::nullopt);
}

TEST(RegistryImportLocate, ShapesGoToTheAreaHoldingThemPointsToTheInnermost) {
  const std::vector<storage::Geometry> areas = {*geo::from_wkt(square(0, 0, 10), 4326),
                                                *geo::from_wkt(square(10, 0, 10), 4326),
                                                *geo::from_wkt(square(2, 2, 1), 4326)};
  const std::vector<storage::Geometry> shapes = {
      *geo::from_wkt(square(12, 1, 1), 4326),   // inside the second
      *geo::from_wkt(square(9.5, 1, 2), 4326),  // a quarter in the first, three quarters in the second
      *geo::from_wkt(square(30, 30, 1), 4326),  // nowhere
      *geo::from_wkt("POINT(2.5 2.5)", 4326),   // inside the first and the third: the smaller one
      *geo::from_wkt("POINT(5 5)", 4326),
      // L-shaped: its centroid (in the notch) would be outside it
      *geo::from_wkt("POLYGON((10.5 0.5, 14 0.5, 14 1, 11 1, 11 4, 10.5 4, 10.5 0.5))", 4326)};
  auto r = geo::locate_in_areas(shapes, areas);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0], 1u);
  EXPECT_EQ((*r)[1], 1u);
  EXPECT_EQ((*r)[2], std::nullopt);
  EXPECT_EQ((*r)[3], 2u);
  EXPECT_EQ((*r)[4], 0u);
  EXPECT_EQ((*r)[5], 1u);
  auto p = geo::point_on_surface(shapes[5]);
  ASSERT_TRUE(p);
  EXPECT_TRUE(*geo::contains_point(shapes[5], p->x, p->y));
  EXPECT_FALSE(geo::locate_in_areas(shapes, {}).value()[0].has_value());
}

}  // namespace nongsan::registry
