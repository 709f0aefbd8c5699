// Importing units: boundaries replace illustrative ones, new units get their
// parent and reform links, and a file with any problem stores nothing.
#include "modules/admin/unit_import.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "geo/geometry_ops.hpp"
#include "modules/admin/admin_repository.hpp"
#include "test_support/small_province.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::admin {

namespace {
geo::Feature feature(std::int64_t n, std::map<std::string, std::string> attrs, const char* wkt = nullptr) {
  geo::Feature f;
  f.number = n;
  f.attributes = std::move(attrs);
  if (wkt) f.geometry = *geo::from_wkt(wkt, 4326);
  return f;
}

class UnitImport : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(storage::Backend::sqlite, false);
    app::Config c;
    c.db = tdb->location;
    c.backup_dir = tdb->scratch_dir;
    app = app::App::open(c);
    province = test_support::seed_small_province(*app);
  }
  geo::FeatureSet set(std::vector<geo::Feature> features) {
    geo::FeatureSet fs;
    fs.layer_name = "test";
    fs.field_names = {"code", "name", "level", "parent_code", "valid_from", "predecessors"};
    fs.features = std::move(features);
    return fs;
  }
  std::int64_t units() { return app->db().read([](storage::Connection& c) { return AdminRepository::count_units(c); }); }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<app::App> app;
  test_support::SmallProvince province;
  identity::Actor cli = identity::Actor::cli("test");
};
}  // namespace

TEST_F(UnitImport, ABoundaryReplacesTheIllustrativeOne) {
  auto fs = set({feature(1, {{"code", "09001"}, {"valid_from", "2025-07-01"}},
                         "POLYGON((103 22,103.12 22,103.12 22.1,103 22.1,103 22))")});
  auto r = import_units(app->db(), app->admin(), cli, fs, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->created, 0);
  auto g = app->admin().graph();
  const AdminUnit* n1 = g->find(province.units["N1"]);
  EXPECT_EQ(n1->geom_source, GeomSource::imported);
  EXPECT_NEAR(*n1->area_m2, *geo::area_m2(*geo::from_wkt("POLYGON((103 22,103.12 22,103.12 22.1,103 22.1,103 22))", 4326)), 1e-6);
}

TEST_F(UnitImport, NewUnitsGetParentAndPredecessors) {
  auto fs = set({feature(1, {{"code", "09101"}, {"name", "Xã Tương Lai"}, {"level", "commune"}, {"parent_code", "90"},
                             {"valid_from", "2027-01-01"}, {"predecessors", "09001;09003:0,5"}})});
  auto r = import_units(app->db(), app->admin(), cli, fs, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(r->successions, 2);
  auto g = app->admin().graph();
  const AdminUnit* u = g->find_by_code("09101", CivilDate(2027, 1, 1));
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(g->parent_on(u->id, CivilDate(2027, 1, 1)), province.units["P"]);
  auto preds = g->predecessors(u->id);
  ASSERT_EQ(preds.size(), 2u);
  EXPECT_DOUBLE_EQ(preds[1].share, 0.5);
  EXPECT_EQ(preds[1].basis, ShareBasis::area);
}

TEST_F(UnitImport, AnyProblemStoresNothingAndNamesTheFeature) {
  auto before = units();
  auto fs = set({feature(1, {{"code", "09102"}, {"name", "Xã Đúng"}, {"level", "commune"}, {"valid_from", "2027-01-01"}}),
                 feature(2, {{"code", "09103"}, {"level", "hamlet"}, {"valid_from", "31/13/2027"}}),
                 feature(3, {{"code", ""}}),
                 feature(4, {{"code", "09104"}, {"name", "Xã Sai"}, {"level", "commune"}, {"valid_from", "2027-01-01"},
                             {"parent_code", "77"}}),
                 feature(5, {{"code", "09105"}, {"name", "Xã Hỏng"}, {"level", "commune"}, {"valid_from", "2027-01-01"}},
                         "POLYGON((0 0,1 1,1 0,0 1,0 0))")});
  auto r = import_units(app->db(), app->admin(), cli, fs, {});
  ASSERT_FALSE(r);
  std::string all;
  for (const auto& f : r.error().fields) all += f.field + ": " + f.message + "\n";
  EXPECT_NE(all.find("feature 2, level"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, valid_from"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, name"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 3, code"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 4, parent_code"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 5, geometry"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 1"), std::string::npos) << all;
  EXPECT_EQ(units(), before);
}

TEST_F(UnitImport, DryRunReportsButStoresNothing) {
  auto before = units();
  auto fs = set({feature(1, {{"code", "09102"}, {"name", "Xã Đúng"}, {"level", "commune"}, {"valid_from", "2027-01-01"}})});
  auto r = import_units(app->db(), app->admin(), cli, fs, {std::nullopt, /*dry_run=*/true});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(units(), before);
}

namespace {
std::string problems_of(const Error& e) {
  std::string all = e.message + "\n";
  for (const auto& f : e.fields) all += f.field + ": " + f.message + "\n";
  return all;
}
}  // namespace

TEST_F(UnitImport, ACodeTwiceInTheFileNamesBothFeaturesInsteadOfADatabaseError) {
  auto before = units();
  auto fs = set({feature(1, {{"code", "09102"}, {"name", "Xã A"}, {"level", "commune"}, {"valid_from", "2027-01-01"}}),
                 feature(2, {{"code", "09103"}, {"name", "Xã B"}, {"level", "commune"}, {"valid_from", "2027-01-01"}}),
                 feature(3, {{"code", "09102"}, {"name", "Xã A'"}, {"level", "commune"}, {"valid_from", "2027-01-01"}})});
  auto r = import_units(app->db(), app->admin(), cli, fs, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  const std::string all = problems_of(r.error());
  EXPECT_NE(all.find("feature 1, code: '09102' is also on feature 3"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 3, code: '09102' is also on feature 1"), std::string::npos) << all;
  EXPECT_EQ(all.find("UNIQUE"), std::string::npos) << all;
  EXPECT_EQ(all.find("feature 2"), std::string::npos) << all;
  EXPECT_EQ(units(), before);
  // The same code in two periods that do not overlap is the reuse of codes a reform makes.
  auto periods = set({feature(1, {{"code", "09104"}, {"name", "Xã C"}, {"level", "commune"}, {"valid_from", "2027-01-01"}}),
                      feature(2, {{"code", "09104"}, {"name", "Xã C mới"}, {"level", "commune"}, {"valid_from", "2030-01-01"}})});
  periods.field_names.push_back("valid_to");
  periods.features[0].attributes["valid_to"] = "2029-12-31";
  auto ok = import_units(app->db(), app->admin(), cli, periods, {});
  EXPECT_TRUE(ok) << problems_of(ok.error());
}

TEST_F(UnitImport, AMalformedGeometryIsRefusedWithItsFeatureNotStoredAsNoGeometry) {
  auto path = std::filesystem::path(tdb->scratch_dir) / "units.geojson";
  std::ofstream(path) << R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"code": "09001", "valid_from": "2025-07-01"},
   "geometry": {"type": "Polygon", "coordinates": [[[103, 22], [103.1, 22], [103.1, 22.1], [103, 22.1], [103, 22]]]}},
  {"type": "Feature", "properties": {"code": "09003", "valid_from": "2025-07-01"}, "geometry": null},
  {"type": "Feature", "properties": {"code": "90", "valid_from": "2020-01-01"}, "geometry": "abc"},
  {"type": "Feature", "properties": {"code": "901", "valid_from": "2020-01-01"},
   "geometry": {"type": "Polygonz", "coordinates": [[[103, 22], [103.1, 22], [103.1, 22.1], [103, 22]]]}}
]})";
  auto fs = geo::read_features(path);
  ASSERT_TRUE(fs) << problems_of(fs.error());
  auto r = import_units(app->db(), app->admin(), cli, *fs, {});
  ASSERT_FALSE(r);
  const std::string all = problems_of(r.error());
  for (const char* f : {"feature 2, geometry", "feature 3, geometry", "feature 4, geometry"})
    EXPECT_NE(all.find(f), std::string::npos) << f << "\n" << all;
  EXPECT_EQ(all.find("feature 1,"), std::string::npos) << all;
  EXPECT_EQ(app->admin().graph()->find(province.units["N1"])->geom_source, GeomSource::illustrative);
}

TEST_F(UnitImport, ABoundaryImplausibleForTheProvinceIsRefused) {
  // The province P is [103.0, 103.2] × [22.0, 22.2].
  auto fs = set({feature(1, {{"code", "09001"}, {"valid_from", "2025-07-01"}},
                         "POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))"),
                 feature(2, {{"code", "09003"}, {"valid_from", "2025-07-01"}},
                         "POLYGON((105 21,105.1 21,105.1 21.1,105 21.1,105 21))"),
                 feature(3, {{"code", "09101"}, {"name", "Xã Lớn"}, {"level", "commune"}, {"parent_code", "90"},
                             {"valid_from", "2027-01-01"}},
                         "POLYGON((103 22,103.2 22,103.2 22.2,103 22.2,103 22))")});
  UnitImportOptions o;
  o.max_area_km2 = 100;  // smaller than the 20 km × 22 km of feature 3
  auto r = import_units(app->db(), app->admin(), cli, fs, o);
  ASSERT_FALSE(r);
  const std::string all = problems_of(r.error());
  EXPECT_NE(all.find("feature 1, geometry: reaches outside the extent of Tỉnh Thử Nghiệm"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 2, geometry: reaches outside"), std::string::npos) << all;
  EXPECT_NE(all.find("feature 3, geometry: covers"), std::string::npos) << all;
  EXPECT_EQ(app->admin().graph()->find(province.units["N1"])->geom_source, GeomSource::illustrative);
  // Within the province and of a plausible size: accepted.
  o.max_area_km2 = 25000;
  auto ok = import_units(app->db(), app->admin(), cli,
                         set({feature(1, {{"code", "09001"}, {"valid_from", "2025-07-01"}},
                                      "POLYGON((103 22,103.12 22,103.12 22.1,103 22.1,103 22))")}),
                         o);
  EXPECT_TRUE(ok) << problems_of(ok.error());
}

TEST_F(UnitImport, DatesOutsideThePlausibleRangeAreRefused) {
  auto fs = set({feature(1, {{"code", "09105"}, {"name", "Xã Xưa"}, {"level", "commune"}, {"valid_from", "0001-01-01"}})});
  auto r = import_units(app->db(), app->admin(), cli, fs, {});
  ASSERT_FALSE(r);
  EXPECT_NE(problems_of(r.error()).find("feature 1, valid_from: must be between 01/01/1900 and 31/12/2100"),
            std::string::npos)
      << problems_of(r.error());
}

TEST_F(UnitImport, OnlyAdministratorsImport) {
  identity::Actor officer;
  officer.name = "user:x";
  officer.role = identity::Role::province_officer;
  auto r = import_units(app->db(), app->admin(), officer, set({}), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
}

}  // namespace nongsan::admin
