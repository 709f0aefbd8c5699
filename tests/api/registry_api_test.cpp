// Registry through the API: scope, history, land control on a date, zones,
// conversions.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
json square(double x, double y, double size) {
  return {{"type", "Polygon"},
          {"coordinates", {{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}}}};
}
}  // namespace

class RegistryApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& user, const std::string& ext, const char* unit, double x, double y,
                      double size = 0.001) {
    auto r = call_json("POST", "/api/v1/parcels", user,
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-07-01"}, {"geometry", square(x, y, size)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t producer(const std::string& user, const std::string& name, const char* unit,
                        const std::string& kind = "household") {
    json body = {{"kind", kind}, {"name", name}, {"unit_id", id(unit)}, {"citizen_id", "012345678999"}};
    if (kind != "household") body["tax_code"] = "6200000001";
    auto r = call_json("POST", "/api/v1/producers", user, body);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
};

TEST_P(RegistryApi, CommuneOfficersSeeAndChangeOnlyTheirOwnParcels) {
  auto mine = parcel("n1o", "P-N1-1", "N1", 103.01, 22.01);
  auto theirs = parcel("n2o", "P-N2-1", "N2", 103.11, 22.01);
  EXPECT_EQ(call_json("POST", "/api/v1/parcels", "n2o",
                      {{"external_id", "X"}, {"commune_id", id("N1")}, {"geometry", square(103.02, 22.02, 0.001)}})
                .status,
            403);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(mine), "n2o").status, 403);
  EXPECT_EQ(call_json("PATCH", "/api/v1/parcels/" + s(mine), "n2o", {{"state", "idle"}}).status, 403);
  EXPECT_EQ(call_json("POST", "/api/v1/parcels/" + s(mine) + "/plantings", "n2o",
                      {{"crop", "tea"}, {"start_date", "2025-08-01"}, {"planted_area_m2", 100}})
                .status,
            403);
  auto list = call("GET", "/api/v1/parcels", "n2o");
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["id"], theirs);
  EXPECT_EQ(call("GET", "/api/v1/parcels", "prov").body["total"], 2);
  auto map = call("GET", "/api/v1/map/parcels?bbox=103,22,103.2,22.2", "n2o");
  ASSERT_EQ(map.body["features"].size(), 1u);
  EXPECT_EQ(map.body["features"][0]["properties"]["external_id"], "P-N2-1");
}

TEST_P(RegistryApi, WhoControlledTheParcelOnADateHasOneAnswer) {
  auto p = parcel("prov", "P-1", "N1", 103.01, 22.01);
  auto household = producer("prov", "Lò Văn Piêng", "N1");
  auto enterprise = producer("prov", "Công ty Chè Thử", "N1", "enterprise");
  EXPECT_EQ(call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov",
                      {{"producer_id", household}, {"kind", "owner"}, {"valid_from", "2025-07-01"}})
                .status,
            201);
  EXPECT_EQ(call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov",
                      {{"producer_id", enterprise}, {"kind", "contributed"}, {"valid_from", "2026-01-01"},
                       {"valid_to", "2030-12-31"}, {"document", "HĐ góp QSDĐ 01/2026"}})
                .status,
            201);
  auto before = call("GET", "/api/v1/parcels/" + s(p) + "?as_of=2025-10-01", "prov");
  EXPECT_EQ(before.body["holder"]["producer_id"], household);
  auto during = call("GET", "/api/v1/parcels/" + s(p) + "?as_of=2027-06-01", "prov");
  EXPECT_EQ(during.body["holder"]["producer_id"], enterprise);
  EXPECT_EQ(during.body["holder"]["right"], "contributed");
  // A second owner at the same time would make the answer ambiguous: refused.
  auto second = call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov",
                          {{"producer_id", enterprise}, {"kind", "owner"}, {"valid_from", "2026-06-01"}});
  EXPECT_EQ(second.status, 400);
  // The holder filter follows the date too.
  EXPECT_EQ(call("GET", "/api/v1/parcels?holder_id=" + s(enterprise) + "&as_of=2027-06-01", "prov").body["total"], 1);
  EXPECT_EQ(call("GET", "/api/v1/parcels?holder_id=" + s(enterprise) + "&as_of=2025-10-01", "prov").body["total"], 0);
}

TEST_P(RegistryApi, BoundaryChangesAndSplitsKeepTheirHistory) {
  auto p = parcel("prov", "P-2", "N1", 103.01, 22.01, 0.002);
  auto owner = producer("prov", "Vàng A Sử", "N1");
  call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov",
            {{"producer_id", owner}, {"kind", "owner"}, {"valid_from", "2025-07-01"}});
  auto fixed = call_json("PATCH", "/api/v1/parcels/" + s(p), "prov",
                         {{"geometry", square(103.01, 22.01, 0.0021)}, {"effective_date", "2026-01-01"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body.dump();
  auto old = call("GET", "/api/v1/parcels/" + s(p) + "?as_of=2025-09-01", "prov");
  ASSERT_EQ(old.body["geometry_history"].size(), 1u);
  EXPECT_LT(old.body["area_m2"].get<double>(), fixed.body["area_m2"].get<double>());
  auto split = call_json(
      "POST", "/api/v1/parcels/" + s(p) + "/split", "prov",
      {{"date", "2026-06-01"},
       {"parts", {{{"external_id", "P-2a"}, {"geometry", square(103.01, 22.01, 0.001)}},
                  {{"external_id", "P-2b"}, {"geometry", square(103.011, 22.011, 0.001)}}}}});
  ASSERT_EQ(split.status, 201) << split.body.dump();
  auto child = split.body["children"][0]["id"].get<std::int64_t>();
  auto c = call("GET", "/api/v1/parcels/" + s(child), "prov");
  EXPECT_EQ(c.body["lineage"][0]["relation"], "from");
  EXPECT_EQ(c.body["holder"]["producer_id"], owner);  // rights carry over
  auto parent = call("GET", "/api/v1/parcels/" + s(p), "prov");
  EXPECT_EQ(parent.body["valid_to"], "2026-05-31");
  EXPECT_EQ(call_json("PATCH", "/api/v1/parcels/" + s(p), "prov", {{"state", "idle"}}).status, 409);
  // Current lists show the parts, not the retired parent; a date before the split shows the parent.
  EXPECT_EQ(call("GET", "/api/v1/parcels", "prov").body["total"], 2);
  EXPECT_EQ(call("GET", "/api/v1/parcels?as_of=2026-01-15", "prov").body["total"], 1);
}

TEST_P(RegistryApi, ZoneMeasuresAndConversionsAreComputedFromRecords) {
  auto z = call_json("POST", "/api/v1/zones", "prov",
                     {{"code", "VSX-1"}, {"name", "Vùng chè thử"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                      {"planned_area_ha", 10}, {"geometry", square(103.0, 22.0, 0.01)}});
  ASSERT_EQ(z.status, 201) << z.body.dump();
  auto zone_id = z.body["id"].get<std::int64_t>();
  // Three adjacent tea parcels and one apart: two blocks.
  std::vector<std::int64_t> ps = {parcel("prov", "T1", "N1", 103.001, 22.001), parcel("prov", "T2", "N1", 103.002, 22.001),
                                  parcel("prov", "T3", "N1", 103.003, 22.001), parcel("prov", "T4", "N1", 103.007, 22.007)};
  for (auto p : ps)
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov",
                        {{"crop", "tea"}, {"perennial", true}, {"planted_year", 2025}, {"start_date", "2025-08-01"},
                         {"planted_area_m2", 10000}})
                  .status,
              201);
  auto m = call("GET", "/api/v1/zones/" + s(zone_id) + "/measures?as_of=2026-01-01", "prov");
  ASSERT_EQ(m.status, 200) << m.body.dump();
  EXPECT_EQ(m.body["commodity_parcels"], 4);
  EXPECT_EQ(m.body["blocks"], 2);
  EXPECT_NEAR(m.body["planted_area_ha"].get<double>(), 4.0, 0.01);
  EXPECT_NEAR(m.body["share_of_planned_pct"].get<double>(), 40.0, 0.1);
  EXPECT_GT(m.body["largest_block_share_pct"].get<double>(), 70.0);
  EXPECT_EQ(call("GET", "/api/v1/parcels?zone_id=" + s(zone_id), "prov").body["total"], 4);
  EXPECT_EQ(call("GET", "/api/v1/parcels?crop=tea&as_of=2025-07-15", "prov").body["total"], 0);
  // Conversions are a query, not a typed number.
  auto conv = call_json("POST", "/api/v1/parcels/" + s(ps[0]) + "/conversions", "prov",
                        {{"from_use", "inefficient_rice"}, {"to_crop", "tea"}, {"date", "2025-08-01"}, {"area_m2", 9000}});
  ASSERT_EQ(conv.status, 201) << conv.body.dump();
  auto sum = call("GET", "/api/v1/conversions/summary?from=2025-01-01", "prov");
  EXPECT_NEAR(sum.body["from_inefficient_rice_ha"].get<double>(), 0.9, 1e-9);
  EXPECT_EQ(call("GET", "/api/v1/conversions/summary", "n2o").body["total_ha"], 0.0);
  auto too_big = call_json("POST", "/api/v1/parcels/" + s(ps[1]) + "/conversions", "prov",
                           {{"from_use", "idle"}, {"to_crop", "tea"}, {"date", "2025-08-01"}, {"area_m2", 1e9}});
  EXPECT_EQ(too_big.status, 400);
}

TEST_P(RegistryApi, BadGeometriesAndPersonalDataOfProducers) {
  auto bowtie = json{{"type", "Polygon"},
                     {"coordinates", {{{103.0, 22.0}, {103.01, 22.01}, {103.01, 22.0}, {103.0, 22.01}, {103.0, 22.0}}}}};
  auto r = call_json("POST", "/api/v1/parcels", "prov", {{"external_id", "B"}, {"commune_id", id("N1")}, {"geometry", bowtie}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["errors"][0]["field"], "geometry");
  auto point = call_json("POST", "/api/v1/parcels", "prov",
                         {{"external_id", "B"}, {"geometry", {{"type", "Point"}, {"coordinates", {103, 22}}}}});
  EXPECT_EQ(point.status, 400);
  EXPECT_EQ(count("parcel"), 0);
  auto h = producer("prov", "Đặng Thị Mai", "N1");
  auto got = call("GET", "/api/v1/producers/" + s(h), "prov");
  EXPECT_EQ(got.body["citizen_id"], "*********999");
  EXPECT_EQ(call("GET", "/api/v1/producers?q=dang%20thi", "prov").body["total"], 1);
  EXPECT_EQ(call_json("POST", "/api/v1/producers/" + s(h) + "/reveal", "prov", {{"field", "citizen_id"}}).status, 403);
  auto shown = call_json("POST", "/api/v1/producers/" + s(h) + "/reveal", "admin", {{"field", "citizen_id"}});
  EXPECT_EQ(shown.body["value"], "012345678999");
  // A second producer with the same citizen ID is flagged as a possible duplicate.
  auto h2 = producer("prov", "Dang Thi Mai", "N1");
  auto dup = call("GET", "/api/v1/producers/" + s(h2), "prov");
  EXPECT_EQ(dup.body["possible_duplicates"][0], h);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RegistryApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, RegistryApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
