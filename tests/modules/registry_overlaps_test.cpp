// The live overlap check of a saved parcel (registry/parcel_overlaps.hpp): a create or
// a new boundary answers with the current parcels it overlaps, from an index loaded
// once and kept in step with every committed write; a rolled-back write leaves it as
// it was; a write it did not see (an import) makes it reload.
#include "modules/registry/parcel_overlaps.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "geo/geometry_ops.hpp"
#include "modules/registry/registry_import.hpp"
#include "test_support/small_province.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::registry {

namespace {

std::string square(double x, double y, double w, double h) {
  auto f = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10f", v);
    return std::string(buf);
  };
  return "POLYGON((" + f(x) + " " + f(y) + "," + f(x + w) + " " + f(y) + "," + f(x + w) + " " + f(y + h) + "," + f(x) +
         " " + f(y + h) + "," + f(x) + " " + f(y) + "))";
}

storage::Geometry geom(const std::string& wkt) { return *geo::as_multipolygon(*geo::from_wkt(wkt, 4326)); }

class RegistryOverlaps : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(storage::Backend::sqlite, false);
    app::Config c;
    c.db = tdb->location;
    c.backup_dir = tdb->scratch_dir;
    app = app::App::open(c);
    province = test_support::seed_small_province(*app);
    // In N1 = [103.0, 103.1] × [22.0, 22.1].
    import({{"A", square(103.020, 22.020, 0.001, 0.001)}, {"B", square(103.030, 22.030, 0.001, 0.001)}});
  }
  void import(const std::vector<std::pair<std::string, std::string>>& parcels) {
    geo::FeatureSet fs;
    fs.layer_name = "test";
    fs.field_names = {"id"};
    std::int64_t n = 0;
    for (const auto& [id, wkt] : parcels) {
      geo::Feature f;
      f.number = ++n;
      f.attributes = {{"id", id}};
      f.geometry = *geo::from_wkt(wkt, 4326);
      fs.features.push_back(std::move(f));
    }
    auto r = import_parcels(app->db(), app->admin(), cli, fs, ParcelImportOptions{});
    ASSERT_TRUE(r) << r.error().message;
  }
  Result<nlohmann::json> create(const std::string& id, const std::string& wkt) {
    Parcel p;
    p.external_id = id;
    p.unit = province.units.at("N1");
    p.valid_from = CivilDate(2025, 7, 1);
    p.geom = geom(wkt);
    return app->registry().parcels().create(cli, p);
  }
  ParcelId id_of(const std::string& external_id) {
    return app->db().read([&](storage::Connection& c) {
      return RegistryRepository::find_parcel_by_external_id(c, external_id, false)->id;
    });
  }
  double geos_overlap(const std::string& a, const std::string& b) {
    return *geo::intersection_area_m2(geom(a), geom(b));
  }
  // What the answer names: external id → m².
  static std::map<std::string, double> named(const nlohmann::json& answer) {
    std::map<std::string, double> out;
    for (const auto& o : answer.at("overlaps"))
      out[o.at("external_id").is_null() ? "?" : o.at("external_id").get<std::string>()] = o.at("overlap_m2");
    return out;
  }
  ParcelOverlaps& index() { return app->registry().overlaps(); }
  // Imported parcels start today; a split or merge must come after.
  static CivilDate tomorrow() { return CivilDate::from_days(CivilDate::today().days_since_epoch() + 1); }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<app::App> app;
  test_support::SmallProvince province;
  identity::Actor cli = identity::Actor::cli("test");
};

}  // namespace

TEST_F(RegistryOverlaps, ASaveAnswersWithTheParcelsItOverlapsFromAnIndexLoadedOnce) {
  const std::string half_over_a = square(103.0205, 22.020, 0.001, 0.001);
  auto r = create("C", half_over_a);
  ASSERT_TRUE(r) << r.error().message;
  auto found = named(*r);
  ASSERT_EQ(found.size(), 1u) << r->dump();
  EXPECT_NEAR(found["A"], geos_overlap(half_over_a, square(103.020, 22.020, 0.001, 0.001)), 1e-3);
  EXPECT_GT(found["A"], 5000);  // half of a ~110 m × 103 m square
  EXPECT_EQ(r->at("overlaps")[0].at("id"), id_of("A").value);
  EXPECT_EQ(index().loads(), 1u);
  EXPECT_EQ(index().size(), 3u);  // A, B and C: the index learnt C

  // Another parcel over both A and C: both named, the larger first; no reload.
  const std::string over_a_and_c = square(103.0202, 22.0202, 0.0004, 0.0004);
  r = create("D", over_a_and_c);
  ASSERT_TRUE(r);
  EXPECT_EQ(named(*r).size(), 2u);
  EXPECT_EQ(index().loads(), 1u);

  // C moves away: its answer is empty, and it no longer overlaps D.
  ParcelPatch moved;
  moved.geom = geom(square(103.050, 22.050, 0.001, 0.001));
  r = app->registry().parcels().update(cli, id_of("C"), moved);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->at("overlaps").empty()) << r->dump();
  auto now = index().check(geom(over_a_and_c), 1.0, "D");
  ASSERT_TRUE(now);
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ(now->at(0).id, "A");
  EXPECT_EQ(index().loads(), 1u);

  // A change that does not touch the boundary has no overlap answer.
  ParcelPatch renamed;
  renamed.sheet_no = "12";
  r = app->registry().parcels().update(cli, id_of("C"), renamed);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->contains("overlaps"));
}

TEST_F(RegistryOverlaps, ARolledBackWriteLeavesTheIndexAsItWas) {
  const std::string over_b = square(103.0305, 22.030, 0.001, 0.001);
  ASSERT_TRUE(index().check(geom(over_b), 1.0));  // loads the index
  ASSERT_EQ(index().loads(), 1u);
  // Refused inside the transaction (the external id is taken): nothing committed.
  auto r = create("A", over_b);
  ASSERT_FALSE(r);
  // Refused: outside its commune.
  r = create("far", square(104.5, 22.5, 0.001, 0.001));
  ASSERT_FALSE(r);
  auto found = index().check(geom(over_b), 1.0);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).id, "B");
  EXPECT_EQ(index().size(), 2u);
  EXPECT_EQ(index().loads(), 1u);  // still in step: no reload needed
}

TEST_F(RegistryOverlaps, SplitsAndMergesKeepTheIndexInStep) {
  const std::string a = square(103.020, 22.020, 0.001, 0.001);
  ASSERT_TRUE(index().check(geom(a), 1.0));
  auto split = app->registry().parcels().split(
      cli, id_of("A"), tomorrow(),
      {{"A-west", geom(square(103.020, 22.020, 0.0005, 0.001))}, {"A-east", geom(square(103.0205, 22.020, 0.0005, 0.001))}});
  ASSERT_TRUE(split) << split.error().message;
  auto found = index().check(geom(a), 1.0);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2u);  // the parts; the retired parent is gone
  EXPECT_EQ(found->at(0).id, "A-east");
  EXPECT_EQ(found->at(1).id, "A-west");
  auto merged = app->registry().parcels().merge(cli, {id_of("A-west"), id_of("A-east")}, CivilDate::from_days(tomorrow().days_since_epoch() + 1), "A2");
  ASSERT_TRUE(merged) << merged.error().message;
  found = index().check(geom(a), 1.0);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).id, "A2");
  EXPECT_EQ(index().loads(), 1u);
}

TEST_F(RegistryOverlaps, AWriteTheIndexDidNotSeeMakesItReload) {
  const std::string place = square(103.040, 22.040, 0.001, 0.001);
  auto found = index().check(geom(place), 1.0);
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->empty());
  import({{"E", place}});  // as the CLI imports, beside the server's index
  found = index().check(geom(place), 1.0);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).id, "E");
  EXPECT_EQ(index().loads(), 2u);
}

}  // namespace nongsan::registry
