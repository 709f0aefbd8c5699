// Importing units: boundaries replace illustrative ones, new units get their
// parent and reform links, and a file with any problem stores nothing.
#include "modules/admin/unit_import.hpp"

#include <gtest/gtest.h>

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

TEST_F(UnitImport, OnlyAdministratorsImport) {
  identity::Actor officer;
  officer.name = "user:x";
  officer.role = identity::Role::province_officer;
  auto r = import_units(app->db(), app->admin(), officer, set({}), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
}

}  // namespace nongsan::admin
