// The parcel topology check: overlapping pairs by external id with their area in
// EPSG:9205 (touching is not overlapping), parcels outside their commune or any,
// and the stored findings replaced kind by kind.
#include "modules/registry/parcel_check.hpp"

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

class ParcelCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb = test_support::make_test_database(storage::Backend::sqlite, false);
    app::Config c;
    c.db = tdb->location;
    c.backup_dir = tdb->scratch_dir;
    app = app::App::open(c);
    province = test_support::seed_small_province(*app);
    // N1 = [103.0, 103.1] × [22.0, 22.1], N2 east of it.
    add({{"A-1", square(103.020, 22.020, 0.001, 0.001)},
         {"A-10", square(103.0205, 22.020, 0.001, 0.001)},  // half over A-1
         {"A-2", square(103.019, 22.020, 0.001, 0.001)},    // touches A-1
         {"B", square(103.030, 22.030, 0.001, 0.001)},
         {"B-tiny", square(103.03099995, 22.030, 0.001, 0.001)},  // 5 mm × 111 m ≈ 0.57 m² over B
         {"E", square(104.5, 22.5, 0.001, 0.001)}});              // in no commune
    // 40 % in N1, registered in N2: no write accepts it now (docs/rules.md §5); it
    // stands for a parcel stored before its commune's boundary changed.
    app->db().write([&](storage::Connection& c) {
      Parcel d;
      d.external_id = "D";
      d.unit = province.units.at("N2");
      d.valid_from = CivilDate(2025, 7, 1);
      d.geom = *geo::as_multipolygon(*geo::from_wkt(square(103.0996, 22.05, 0.001, 0.001), 4326));
      d.area_m2 = *geo::area_m2(*d.geom);
      RegistryRepository::insert_parcel(c, d);
    });
  }
  void add(const std::vector<std::pair<std::string, std::string>>& parcels) {
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
    ParcelImportOptions o;
    auto r = import_parcels(app->db(), app->admin(), cli, fs, o);
    ASSERT_TRUE(r) << r.error().message;
  }
  double overlap(const std::string& a, const std::string& b) {
    return *geo::intersection_area_m2(*geo::from_wkt(wkt_of(a), 4326), *geo::from_wkt(wkt_of(b), 4326));
  }
  std::string wkt_of(const std::string& id) {
    return app->db().read([&](storage::Connection& c) {
      return *geo::to_wkt(*RegistryRepository::find_parcel_by_external_id(c, id, true)->geom, 12);
    });
  }
  std::int64_t stored(const char* kind) {
    return app->db().read([&](storage::Connection& c) {
      return c.scalar_i64("SELECT count(*) FROM topology_finding WHERE kind = ?", {std::string(kind)});
    });
  }

  std::unique_ptr<test_support::TestDatabase> tdb;
  std::unique_ptr<app::App> app;
  test_support::SmallProvince province;
  identity::Actor cli = identity::Actor::cli("test");
};

}  // namespace

TEST_F(ParcelCheck, OverlapsByExternalIdWithTheirAreaTouchingIsNotOverlapping) {
  ParcelCheckOptions o;
  o.kinds = {CheckKind::overlap};
  auto r = check_parcels(app->db(), app->admin(), cli, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->parcels, 7u);
  ASSERT_EQ(r->overlaps.size(), 1u);
  EXPECT_EQ(r->overlaps[0].a, "A-1");
  EXPECT_EQ(r->overlaps[0].b, "A-10");
  EXPECT_NEAR(r->overlaps[0].overlap_m2, overlap("A-1", "A-10"), 1e-6);
  o.min_overlap_m2 = 0.1;
  r = check_parcels(app->db(), app->admin(), cli, o);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->overlaps.size(), 2u);
  EXPECT_EQ(r->overlaps[1].a, "B");
  EXPECT_EQ(r->overlaps[1].b, "B-tiny");
  EXPECT_LT(r->overlaps[1].overlap_m2, 1.0);
}

TEST_F(ParcelCheck, ParcelsOutsideTheirCommuneOrAny) {
  ParcelCheckOptions o;
  o.kinds = {CheckKind::outside};
  o.boundary_tolerance_m = 0;  // measure the whole part outside
  auto r = check_parcels(app->db(), app->admin(), cli, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->outside.size(), 2u);
  EXPECT_EQ(r->outside[0].parcel, "D");
  EXPECT_EQ(r->outside[0].commune_code, "09003");
  EXPECT_NEAR(r->outside[0].outside_m2, 0.4 * *geo::area_m2(*geo::from_wkt(wkt_of("D"), 4326)), 5.0);
  EXPECT_EQ(r->outside[1].parcel, "E");
  EXPECT_EQ(r->outside[1].commune_code, "");
  // Stored for the map and the findings list: the share of the parcel outside, as
  // topology_finding.value is documented (it held m², shown as "670,5 %").
  auto stored_share = [&](const char* parcel) {
    return app->db().read([&](storage::Connection& c) {
      return c.query("SELECT value FROM topology_finding WHERE kind = 'outside' AND parcel_a = ?", {std::string(parcel)})
          .rows.at(0)
          .f64("value");
    });
  };
  EXPECT_NEAR(stored_share("D"), 0.4, 0.01);
  EXPECT_DOUBLE_EQ(stored_share("E"), 1.0);
}

// The check forgives the same strip along a commune's boundary as writes do
// (parcel_boundary_tolerance_m), and no more.
TEST_F(ParcelCheck, AStripAlongTheCommuneBoundaryIsNotOutside) {
  app->db().write([&](storage::Connection& c) {
    for (auto [id, x] : {std::pair{"EDGE-1m", 103.09901}, std::pair{"EDGE-5m", 103.09905}}) {
      Parcel p;
      p.external_id = id;
      p.unit = province.units.at("N1");
      p.valid_from = CivilDate(2025, 7, 1);
      p.geom = *geo::as_multipolygon(*geo::from_wkt(square(x, 22.08, 0.001, 0.001), 4326));
      p.area_m2 = *geo::area_m2(*p.geom);
      RegistryRepository::insert_parcel(c, p);
    }
  });
  ParcelCheckOptions o;
  o.kinds = {CheckKind::outside};
  o.boundary_tolerance_m = 2;
  auto r = check_parcels(app->db(), app->admin(), cli, o);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> ids;
  for (const auto& f : r->outside) ids.push_back(f.parcel);
  EXPECT_EQ(ids, (std::vector<std::string>{"D", "E", "EDGE-5m"}));
}

// "No findings" must be told apart from "never checked": each kind's last run is kept.
TEST_F(ParcelCheck, EachKindRecordsWhenItLastRanAndHowManyItFound) {
  auto runs = [&] {
    return app->db().read([&](storage::Connection& c) {
      return c.query("SELECT kind, findings, checked_by FROM topology_check_run ORDER BY kind");
    });
  };
  EXPECT_TRUE(runs().empty());
  ParcelCheckOptions o;
  o.kinds = {CheckKind::overlap, CheckKind::sliver};
  ASSERT_TRUE(check_parcels(app->db(), app->admin(), cli, o));
  auto rs = runs();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs.rows[0].str("kind"), "overlap");
  EXPECT_EQ(rs.rows[0].i64("findings"), 1);
  EXPECT_EQ(rs.rows[1].str("kind"), "sliver");
  EXPECT_EQ(rs.rows[0].str("checked_by"), "cli:test");
  o.store = false;
  o.kinds = {CheckKind::outside};
  ASSERT_TRUE(check_parcels(app->db(), app->admin(), cli, o));
  EXPECT_EQ(runs().size(), 2u);  // a check that stores nothing records no run
}

TEST_F(ParcelCheck, ACheckReplacesTheStoredFindingsOfItsKindsOnly) {
  ParcelCheckOptions all;
  all.kinds = {CheckKind::overlap, CheckKind::outside, CheckKind::invalid, CheckKind::sliver};
  auto r = check_parcels(app->db(), app->admin(), cli, all);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->stored, 3u);
  EXPECT_EQ(stored("overlap"), 1);
  EXPECT_EQ(stored("outside"), 2);
  // The overlap is drawn as the shared area: half of A-1 (cut in lon/lat, so its
  // area differs from the one measured in EPSG:9205 by a few cm²).
  double drawn = app->db().read([&](storage::Connection& c) {
    auto rs = c.query("SELECT geom FROM topology_finding WHERE kind = 'overlap'");
    return *geo::area_m2(*rs.rows.at(0).opt_geometry("geom"));
  });
  EXPECT_NEAR(drawn, r->overlaps[0].overlap_m2, 0.01);

  ParcelCheckOptions overlaps;
  overlaps.kinds = {CheckKind::overlap};
  overlaps.min_overlap_m2 = 0.1;
  ASSERT_TRUE(check_parcels(app->db(), app->admin(), cli, overlaps));
  EXPECT_EQ(stored("overlap"), 2);
  EXPECT_EQ(stored("outside"), 2);  // untouched

  overlaps.min_overlap_m2 = 100000;
  overlaps.store = false;
  ASSERT_TRUE(check_parcels(app->db(), app->admin(), cli, overlaps));
  EXPECT_EQ(stored("overlap"), 2);  // --no-store
}

TEST_F(ParcelCheck, StoringFindingsNeedsTheRightToWriteTheRegistry) {
  identity::Actor inspector;
  inspector.name = "user:insp";
  inspector.role = identity::Role::inspector;
  ParcelCheckOptions o;
  o.kinds = {CheckKind::overlap};
  auto r = check_parcels(app->db(), app->admin(), inspector, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
  o.store = false;
  EXPECT_TRUE(check_parcels(app->db(), app->admin(), inspector, o));
}

}  // namespace nongsan::registry
