// The loader of the support cross-checks (claim_facts): what it reads of the registry
// for a claimed parcel, on a small database written out here.
#include "modules/support/claim_facts.hpp"

#include <gtest/gtest.h>

#include "geo/geometry_ops.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/support/support_repository.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::support {
namespace {

CivilDate d(const char* iso) { return *CivilDate::parse(iso); }

// A rectangle drawn in VN-2000 / TM-3 103-00 metres, stored in EPSG:4326 as the registry keeps it.
storage::Geometry box(double x0, double y0, double x1, double y1) {
  char wkt[256];
  std::snprintf(wkt, sizeof wkt, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x0, y0, x1, y0, x1, y1,
                x0, y1, x0, y0);
  return *geo::transform(*geo::from_wkt(wkt, geo::kProvinceCrs), geo::kWgs84);
}

class ClaimFacts : public ::testing::Test {
 protected:
  void SetUp() override { tdb = test_support::make_test_database(storage::Backend::sqlite); }

  // A tea-planting policy that requires the parcel to lie at least half in tea zones,
  // one producer and one parcel P1 of 160 m × 150 m claimed on `filed`.
  void world(const std::vector<storage::Geometry>& tea_zones, const char* filed) {
    tdb->db->write([&](storage::Connection& c) {
      registry::Producer h;
      h.external_id = "H1";
      h.name = "Hộ thử";
      auto producer = registry::RegistryRepository::insert_producer(c, h, "");
      registry::Parcel p;
      p.external_id = "P1";
      p.valid_from = d("2020-01-01");
      p.geom = box(500000, 2440000, 500160, 2440150);
      p.area_m2 = *geo::area_m2(*p.geom);
      auto parcel = registry::RegistryRepository::insert_parcel(c, p);
      int n = 0;
      for (const auto& g : tea_zones) {
        registry::Zone z;
        z.code = "Z" + std::to_string(++n);
        z.name = "Vùng chè " + std::to_string(n);
        z.commodity = "tea";
        z.period_from = d("2021-01-01");
        z.geom = g;
        registry::RegistryRepository::insert_zone(c, z);
      }
      PolicyVersion tea;
      tea.code = "TEA";
      tea.version = d("2021-03-22");
      tea.name_vi = "Trồng chè";
      tea.content = "tea_planting";
      tea.rate = 15'000'000;
      tea.requires_.crop = "tea";
      tea.requires_.zone = true;
      SupportRepository::insert_policy(c, tea, "test");
      ApplicationRecord a;
      a.code = "A-1";
      a.policy = "TEA";
      a.applicant_id = producer;
      a.filed = d(filed);
      a.items.push_back({1, parcel.value, "P1", 1.0});
      SupportRepository::insert_application(c, a);
    });
  }

  ClaimInput load(int year, int threads = 1) {
    return tdb->db->read([&](storage::Connection& c) {
      ClaimLoadOptions o;
      o.year = year;
      o.threads = threads;
      return *load_claim_input(c, o);
    });
  }

  std::unique_ptr<test_support::TestDatabase> tdb;
};

// docs/support.md, outside_zone: "less than half of the parcel's area lies in zones of
// the required crop" — the area in the zones, which two zones drawn over the same land
// do not count twice.
TEST_F(ClaimFacts, TheZoneShareCountsLandInTwoZonesOfTheCropOnce) {
  // Two tea zones over the same strip: x 500000–500056, 35 % of P1 (160 m wide).
  world({box(499900, 2439900, 500056, 2440300), box(499900, 2439900, 500056, 2440300)}, "2025-06-10");
  auto in = load(2025);
  ASSERT_EQ(in.cases.size(), 1u);
  ASSERT_EQ(in.cases[0].items.size(), 1u);
  EXPECT_NEAR(in.cases[0].items[0].zone_share, 0.35, 1e-6);
  auto result = run_claim_checks(in);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].finding, "outside_zone");
}

TEST_F(ClaimFacts, TheZoneShareAddsZonesThatMeetSideBySide) {
  // 35 % in one zone and 20 % in its neighbour: 55 % in tea zones, not outside.
  world({box(499900, 2439900, 500056, 2440300), box(500056, 2439900, 500088, 2440300)}, "2025-06-10");
  auto in = load(2025);
  ASSERT_EQ(in.cases.size(), 1u);
  EXPECT_NEAR(in.cases[0].items[0].zone_share, 0.55, 1e-6);
  auto result = run_claim_checks(in);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->findings.empty());
}

// The loader groups the registry's rows by claimed parcel (the version of the boundary
// in force on the filing date, the controller on it): each item gets its own parcel's
// facts, whatever the order of the items and the ids.
TEST_F(ClaimFacts, EachItemGetsTheBoundaryAndControllerOfItsOwnParcelOnTheFilingDate) {
  world({}, "2025-06-10");  // A-1: P1, filed after P1 is redrawn
  tdb->db->write([&](storage::Connection& c) {
    auto p1 = *registry::RegistryRepository::find_parcel_by_external_id(c, "P1", false);
    // P1 redrawn on 2025-03-01 to 80 m × 150 m; the old 160 m × 150 m stays in the history.
    auto narrow = box(500000, 2440000, 500080, 2440150);
    registry::RegistryRepository::replace_geometry(c, p1.id, narrow, *geo::area_m2(narrow), d("2025-03-01"));
    registry::Producer h2;
    h2.external_id = "H2";
    h2.name = "Hộ thứ hai";
    auto second = registry::RegistryRepository::insert_producer(c, h2, "");
    registry::Parcel p2;
    p2.external_id = "P2";
    p2.valid_from = d("2020-01-01");
    p2.geom = box(501000, 2440000, 501100, 2440100);
    p2.area_m2 = *geo::area_m2(*p2.geom);
    auto p2_id = registry::RegistryRepository::insert_parcel(c, p2);
    auto first = *registry::RegistryRepository::find_producer_by_external_id(c, "H1");
    registry::LandRight r1;
    r1.parcel = p1.id;
    r1.producer = second;
    r1.valid_from = d("2020-01-01");
    registry::RegistryRepository::insert_right(c, r1);
    registry::LandRight r2;
    r2.parcel = p2_id;
    r2.producer = first.id;
    r2.valid_from = d("2020-01-01");
    registry::RegistryRepository::insert_right(c, r2);
    ApplicationRecord a;
    a.code = "A-2";
    a.policy = "TEA";
    a.applicant_id = first.id;
    a.filed = d("2025-02-01");  // before P1 was redrawn
    a.items.push_back({1, p2_id.value, "P2", 1.0});
    a.items.push_back({2, p1.id.value, "P1", 1.0});
    SupportRepository::insert_application(c, a);
  });
  // The cases are built in parts side by side (one per thread): the same facts however
  // many, also with more parts than cases.
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    auto in = load(2025, threads);
    ASSERT_EQ(in.cases.size(), 2u);
    const auto& later = in.cases[0];  // A-1, filed 2025-06-10
    const auto& earlier = in.cases[1];  // A-2, filed 2025-02-01
    ASSERT_EQ(later.application.code, "A-1");
    ASSERT_EQ(later.items.size(), 1u);
    EXPECT_GT(later.items[0].geometry_key, 0);  // the current boundary
    EXPECT_NEAR(later.items[0].area_ha, 1.2, 1e-3);
    EXPECT_EQ(later.items[0].controller.value_or(""), "H2");
    ASSERT_EQ(earlier.application.code, "A-2");
    ASSERT_EQ(earlier.items.size(), 2u);
    EXPECT_NEAR(earlier.items[0].area_ha, 1.0, 1e-3);  // P2
    EXPECT_EQ(earlier.items[0].controller.value_or(""), "H1");
    EXPECT_LT(earlier.items[1].geometry_key, 0);  // P1's boundary before 2025-03-01, from the history
    EXPECT_NEAR(earlier.items[1].area_ha, 2.4, 1e-3);
    EXPECT_EQ(earlier.items[1].controller.value_or(""), "H2");
    ASSERT_TRUE(later.policy && earlier.policy);
    EXPECT_EQ(later.policy.get(), earlier.policy.get());  // one shared copy of the version
  }
}

// The loader finds a claimed parcel's rows by its place among the claimed ids: from a
// table indexed by id when the ids run close together (the test above), by binary search
// when they are far apart. Both give each item its own parcel's facts.
TEST_F(ClaimFacts, ParcelsWhoseIdsAreFarApartGetTheirOwnFacts) {
  world({}, "2025-06-10");  // A-1: P1 (a small id)
  tdb->db->write([&](storage::Connection& c) {
    registry::Parcel p2;
    p2.external_id = "P2";
    p2.valid_from = d("2020-01-01");
    p2.geom = box(501000, 2440000, 501100, 2440100);
    p2.area_m2 = *geo::area_m2(*p2.geom);
    registry::RegistryRepository::insert_parcel(c, p2);
    // Nothing refers to P2 yet: its id is moved far past P1's.
    c.execute("UPDATE parcel SET id = 9000000 WHERE external_id = 'P2'");
    auto first = *registry::RegistryRepository::find_producer_by_external_id(c, "H1");
    registry::LandRight r;
    r.parcel = registry::ParcelId(9000000);
    r.producer = first.id;
    r.valid_from = d("2020-01-01");
    registry::RegistryRepository::insert_right(c, r);
    auto p1 = *registry::RegistryRepository::find_parcel_by_external_id(c, "P1", false);
    ApplicationRecord a;
    a.code = "A-2";
    a.policy = "TEA";
    a.applicant_id = first.id;
    a.filed = d("2025-02-01");
    a.items.push_back({1, 9000000, "P2", 1.0});
    a.items.push_back({2, p1.id.value, "P1", 1.0});
    SupportRepository::insert_application(c, a);
  });
  auto in = load(2025);
  ASSERT_EQ(in.cases.size(), 2u);
  const auto& a2 = in.cases[1];
  ASSERT_EQ(a2.application.code, "A-2");
  ASSERT_EQ(a2.items.size(), 2u);
  EXPECT_EQ(a2.application.items[0].parcel, "P2");
  EXPECT_NEAR(a2.items[0].area_ha, 1.0, 1e-3);
  EXPECT_EQ(a2.items[0].controller.value_or(""), "H1");
  EXPECT_EQ(a2.application.items[1].parcel, "P1");
  EXPECT_NEAR(a2.items[1].area_ha, 2.4, 1e-3);
  EXPECT_FALSE(a2.items[1].controller.has_value());  // nobody holds a right to P1
}

// The cases come in the byte order of their codes (the order every comparison of codes
// in the checks uses), whatever order the applications were entered in, each named by
// its applicant's external id, or '#' and the producer's id when it has none.
TEST_F(ClaimFacts, CasesComeInByteOrderOfTheirCodesWithTheirApplicants) {
  world({}, "2025-06-10");  // A-1, by H1
  std::int64_t unnamed = 0;
  tdb->db->write([&](storage::Connection& c) {
    registry::Producer h;
    h.name = "Hộ chưa có mã";
    unnamed = registry::RegistryRepository::insert_producer(c, h, "").value;
    const auto first = registry::RegistryRepository::find_producer_by_external_id(c, "H1")->id;
    for (const char* code : {"a-1", "B-1", "A-2", "A-10"}) {
      ApplicationRecord a;
      a.code = code;
      a.policy = "TEA";
      a.applicant_id = std::string_view(code) == "B-1" ? ProducerId(unnamed) : first;
      a.filed = d("2025-03-01");
      SupportRepository::insert_application(c, a);
    }
  });
  auto in = load(2025);
  std::vector<std::string> codes, applicants;
  for (const auto& k : in.cases) {
    codes.push_back(k.application.code);
    applicants.push_back(k.application.applicant);
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"A-1", "A-10", "A-2", "B-1", "a-1"}));
  const std::string hash_key = "#" + std::to_string(unnamed);
  EXPECT_EQ(applicants, (std::vector<std::string>{"H1", "H1", "H1", hash_key, "H1"}));
  EXPECT_TRUE(in.applicants.contains(hash_key));
}

}  // namespace
}  // namespace nongsan::support
