// Registry through the API: scope, history, land control on a date, zones,
// conversions.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
}  // namespace

class RegistryApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& user, const std::string& ext, const char* unit, double x, double y,
                      double size = 0.001) {
    auto r = call_json("POST", "/api/v1/parcels", user,
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-07-01"}, {"geometry", square_polygon(x, y, size)}});
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
  // Another commune's records answer as records that do not exist (registry_scope.hpp).
  EXPECT_EQ(call_json("POST", "/api/v1/parcels", "n2o",
                      {{"external_id", "X"}, {"commune_id", id("N1")}, {"geometry", square_polygon(103.02, 22.02, 0.001)}})
                .status,
            400);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(mine), "n2o").status, 404);
  EXPECT_EQ(call_json("PATCH", "/api/v1/parcels/" + s(mine), "n2o", {{"state", "idle"}}).status, 404);
  EXPECT_EQ(call_json("POST", "/api/v1/parcels/" + s(mine) + "/plantings", "n2o",
                      {{"crop", "tea"}, {"start_date", "2025-08-01"}, {"planted_area_m2", 100}})
                .status,
            404);
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
                         {{"geometry", square_polygon(103.01, 22.01, 0.0021)}, {"effective_date", "2026-01-01"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body.dump();
  auto old = call("GET", "/api/v1/parcels/" + s(p) + "?as_of=2025-09-01", "prov");
  ASSERT_EQ(old.body["geometry_history"].size(), 1u);
  EXPECT_LT(old.body["area_m2"].get<double>(), fixed.body["area_m2"].get<double>());
  auto split = call_json(
      "POST", "/api/v1/parcels/" + s(p) + "/split", "prov",
      {{"date", "2026-06-01"},
       {"parts", {{{"external_id", "P-2a"}, {"geometry", square_polygon(103.01, 22.01, 0.001)}},
                  {{"external_id", "P-2b"}, {"geometry", square_polygon(103.011, 22.011, 0.001)}}}}});
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
                      {"planned_area_ha", 10}, {"geometry", square_polygon(103.0, 22.0, 0.01)}});
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

namespace {
// The answer without the id it names: an id outside the scope must answer exactly
// as one that does not exist.
json answer(const Reply& r) {
  json out = {{"status", r.status}, {"code", r.body.value("code", "")}, {"errors", r.body.value("errors", json::array())}};
  std::string m = r.body.value("message", "");
  std::string without_ids;  // each number becomes one '#'
  for (char c : m)
    if (c < '0' || c > '9') without_ids += c;
    else if (without_ids.empty() || without_ids.back() != '#') without_ids += '#';
  out["message"] = without_ids;
  return out;
}
}  // namespace

TEST_P(RegistryApi, IdsOfAnotherCommuneAnswerAsIdsThatDoNotExist) {
  auto mine = parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  auto household = producer("n1o", "Lò Văn Mình", "N1");
  auto coop_elsewhere = producer("n2o", "HTX Xã Hai", "N2", "cooperative");
  auto farmer_elsewhere = producer("n2o", "Vàng A Khác", "N2");
  auto parcel_elsewhere = parcel("n2o", "P-N2", "N2", 103.11, 22.01);
  const std::int64_t missing = 999999;
  // A household of N1 joined to N2's cooperative: as if the cooperative did not exist.
  auto join = [&](std::int64_t org) {
    return call_json("POST", "/api/v1/producers", "n1o",
                     {{"kind", "household"}, {"name", "Hộ mới"}, {"unit_id", id("N1")}, {"organisation_id", org}});
  };
  auto outside = join(coop_elsewhere), nowhere = join(missing);
  EXPECT_EQ(outside.status, 400) << outside.body.dump();
  EXPECT_EQ(answer(outside), answer(nowhere));
  EXPECT_EQ(outside.body["errors"][0]["field"], "organisation_id");
  // A land right given to N2's producer.
  auto give = [&](std::int64_t producer_id) {
    return call_json("POST", "/api/v1/parcels/" + s(mine) + "/rights", "n1o",
                     {{"producer_id", producer_id}, {"kind", "owner"}, {"valid_from", "2025-07-01"}});
  };
  auto right_outside = give(farmer_elsewhere), right_nowhere = give(missing);
  EXPECT_EQ(right_outside.status, 400);
  EXPECT_EQ(answer(right_outside), answer(right_nowhere));
  // Paths: a producer, a parcel, a zone, a right, a planting of another commune.
  EXPECT_EQ(answer(call("GET", "/api/v1/producers/" + s(farmer_elsewhere), "n1o")),
            answer(call("GET", "/api/v1/producers/" + s(missing), "n1o")));
  EXPECT_EQ(call("GET", "/api/v1/producers/" + s(farmer_elsewhere), "n1o").status, 404);
  EXPECT_EQ(answer(call("GET", "/api/v1/parcels/" + s(parcel_elsewhere), "n1o")),
            answer(call("GET", "/api/v1/parcels/" + s(missing), "n1o")));
  auto r2 = call_json("POST", "/api/v1/parcels/" + s(parcel_elsewhere) + "/rights", "n2o",
                      {{"producer_id", farmer_elsewhere}, {"kind", "owner"}, {"valid_from", "2025-07-01"}});
  ASSERT_EQ(r2.status, 201) << r2.body.dump();
  EXPECT_EQ(answer(call_json("POST", "/api/v1/rights/" + s(r2.body["id"].get<std::int64_t>()) + "/end", "n1o", {{"valid_to", "2026-01-01"}})),
            answer(call_json("POST", "/api/v1/rights/" + s(missing) + "/end", "n1o", {{"valid_to", "2026-01-01"}})));
  // Filters: another commune's holder or commune matches nothing, as a missing one.
  auto by_holder = call("GET", "/api/v1/parcels?holder_id=" + s(farmer_elsewhere), "n1o");
  EXPECT_EQ(by_holder.body["total"], 0);
  EXPECT_EQ(by_holder.body, call("GET", "/api/v1/parcels?holder_id=" + s(missing), "n1o").body);
  EXPECT_EQ(call("GET", "/api/v1/parcels?commune_id=" + s(id("N2")), "n1o").body,
            call("GET", "/api/v1/parcels?commune_id=" + s(missing), "n1o").body);
  // A unit outside the scope in a body is no unit.
  auto elsewhere_unit = call_json("PATCH", "/api/v1/producers/" + s(household), "n1o", {{"unit_id", id("N2")}});
  auto no_unit = call_json("PATCH", "/api/v1/producers/" + s(household), "n1o", {{"unit_id", missing}});
  EXPECT_EQ(elsewhere_unit.status, 400);
  EXPECT_EQ(answer(elsewhere_unit), answer(no_unit));
  // Nothing was written by the refused requests.
  EXPECT_EQ(count("producer_membership"), 0);
  EXPECT_EQ(count("land_right"), 1);
}

TEST_P(RegistryApi, DuplicatesOutsideTheScopeAreCountedNotNamedAndEveryDisclosureIsAudited) {
  // N2 holds a producer with the citizen ID 012345678999 (producer() gives every one the same).
  producer("n2o", "Giàng A Xa", "N2");
  auto mine = producer("n1o", "Giàng A Gần", "N1");
  auto got = call("GET", "/api/v1/producers/" + s(mine), "n1o");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body["possible_duplicates"], json::array());      // no id of another commune
  EXPECT_EQ(got.body["possible_duplicates_elsewhere"], 1);        // only how many, for the province
  EXPECT_EQ(got.body.dump().find("Giàng A Xa"), std::string::npos);
  // The province sees which record it is.
  auto prov = call("GET", "/api/v1/producers/" + s(mine), "prov");
  EXPECT_EQ(prov.body["possible_duplicates"].size(), 1u);
  EXPECT_EQ(prov.body["possible_duplicates_elsewhere"], 0);
  // Each answer that said "this citizen ID is held elsewhere" is a reveal, audited.
  auto trail = call("GET", "/api/v1/audit?action=reveal&entity=producer&entity_id=" + s(mine), "admin");
  ASSERT_EQ(trail.body["total"], 2) << trail.body.dump();
  EXPECT_EQ(trail.body["items"][1]["actor"], "user:n1o");
  EXPECT_EQ(trail.body["items"][1]["after"]["elsewhere"], 1);
}

TEST_P(RegistryApi, AParcelMustLieInTheCommuneItIsRegisteredIn) {
  // N1 = [103.0, 103.1] × [22.0, 22.1]; N2 east of it. docs/rules.md §5.
  auto refused = call_json("POST", "/api/v1/parcels", "n1o",
                           {{"external_id", "IN-N2"}, {"commune_id", id("N1")}, {"geometry", square_polygon(103.15, 22.05, 0.001)}});
  ASSERT_EQ(refused.status, 400) << refused.body.dump();
  EXPECT_EQ(refused.body["errors"][0]["field"], "geometry");
  EXPECT_NE(refused.body["errors"][0]["message"].get<std::string>().find("outside"), std::string::npos);
  // Half across the boundary: refused too.
  EXPECT_EQ(call_json("POST", "/api/v1/parcels", "prov",
                      {{"external_id", "ACROSS"}, {"commune_id", id("N1")}, {"geometry", square_polygon(103.0995, 22.05, 0.001)}})
                .status,
            400);
  // A sliver of about a metre across the boundary is digitising noise (setting: 2 m).
  auto sliver = call_json("POST", "/api/v1/parcels", "n1o",
                          {{"external_id", "EDGE"}, {"commune_id", id("N1")}, {"geometry", square_polygon(103.09901, 22.05, 0.001)}});
  EXPECT_EQ(sliver.status, 201) << sliver.body.dump();
  // A boundary moved into N2, a commune changed to one the parcel is not in, a split part outside.
  auto p = parcel("n1o", "P-MOVE", "N1", 103.05, 22.05);
  EXPECT_EQ(call_json("PATCH", "/api/v1/parcels/" + s(p), "prov", {{"geometry", square_polygon(103.15, 22.05, 0.001)}}).status, 400);
  auto moved = call_json("PATCH", "/api/v1/parcels/" + s(p), "prov", {{"commune_id", id("N2")}});
  EXPECT_EQ(moved.status, 400);
  EXPECT_EQ(moved.body["errors"][0]["field"], "commune_id");
  auto split = call_json("POST", "/api/v1/parcels/" + s(p) + "/split", "prov",
                         {{"date", "2026-06-01"},
                          {"parts", {{{"external_id", "P-a"}, {"geometry", square_polygon(103.05, 22.05, 0.0005)}},
                                     {{"external_id", "P-b"}, {"geometry", square_polygon(103.15, 22.05, 0.0005)}}}}});
  ASSERT_EQ(split.status, 400) << split.body.dump();
  EXPECT_EQ(split.body["errors"][0]["field"], "parts[1].geometry");
  EXPECT_EQ(count("parcel"), 2);  // EDGE and P-MOVE
}

TEST_P(RegistryApi, TheOfficerOfAnAbolishedDistrictSeesTheCommunesThatReplacedIt) {
  auto p1 = parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  parcel("n2o", "P-N2", "N2", 103.11, 22.01);
  producer("n1o", "Hộ Một", "N1");
  // D1's communes C1 and C2 went to N1 on 1/7/2025 (docs/rules.md §2).
  auto list = call("GET", "/api/v1/parcels", "d1o");
  ASSERT_EQ(list.body["total"], 1) << list.body.dump();
  EXPECT_EQ(list.body["items"][0]["id"], p1);
  EXPECT_EQ(call("GET", "/api/v1/parcels?as_of=2025-12-31", "d1o").body["total"], 1);
  EXPECT_EQ(call("GET", "/api/v1/producers", "d1o").body["total"], 1);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(p1), "d1o").status, 200);
}

TEST_P(RegistryApi, AnEmptyListSaysWhetherTheScopeOrTheFilterEmptiedIt) {
  parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  // N2 holds no parcel: the scope empties the list, and the scope is named.
  auto empty = call("GET", "/api/v1/parcels", "n2o");
  ASSERT_EQ(empty.body["total"], 0);
  EXPECT_EQ(empty.body["empty"]["reason"], "scope");
  EXPECT_EQ(empty.body["empty"]["scope"]["kind"], "units");
  bool names_n2 = false;
  for (const auto& u : empty.body["empty"]["scope"]["units"]) names_n2 |= u["id"] == id("N2");
  EXPECT_TRUE(names_n2) << empty.body.dump();
  // N1 holds one; a filter that matches nothing says so.
  auto filtered = call("GET", "/api/v1/parcels?crop=coffee", "n1o");
  ASSERT_EQ(filtered.body["total"], 0);
  EXPECT_EQ(filtered.body["empty"]["reason"], "filter");
  EXPECT_EQ(call("GET", "/api/v1/producers", "n2o").body["empty"]["reason"], "scope");
  EXPECT_EQ(call("GET", "/api/v1/zones", "n2o").body["empty"]["reason"], "scope");
  // A list with items carries no "empty".
  EXPECT_FALSE(call("GET", "/api/v1/parcels", "n1o").body.contains("empty"));
}

TEST_P(RegistryApi, ConversionsAreListedPagedFilteredAndInScope) {
  std::vector<std::int64_t> n1;
  for (int i = 0; i < 3; ++i) n1.push_back(parcel("n1o", "C-N1-" + std::to_string(i), "N1", 103.01 + 0.002 * i, 22.01));
  auto n2 = parcel("n2o", "C-N2", "N2", 103.11, 22.01);
  auto convert = [&](const std::string& user, std::int64_t p, const char* from, const char* crop, const char* date) {
    auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/conversions", user,
                       {{"from_use", from}, {"to_crop", crop}, {"date", date}, {"area_m2", 5000}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  };
  convert("n1o", n1[0], "inefficient_rice", "tea", "2025-08-01");
  convert("n1o", n1[1], "inefficient_rice", "macadamia", "2025-09-01");
  convert("n1o", n1[2], "idle", "tea", "2025-10-01");
  convert("n2o", n2, "inefficient_rice", "tea", "2025-08-15");
  auto all = call("GET", "/api/v1/conversions", "prov");
  ASSERT_EQ(all.status, 200) << all.body.dump();
  EXPECT_EQ(all.body["total"], 4);
  EXPECT_EQ(all.body["items"][0]["date"], "2025-10-01");  // newest first
  EXPECT_EQ(all.body["items"][0]["parcel"]["external_id"], "C-N1-2");
  EXPECT_EQ(all.body["items"][0]["commune"]["id"], id("N1"));
  EXPECT_EQ(call("GET", "/api/v1/conversions?page_size=1&page=2", "prov").body["items"][0]["date"], "2025-09-01");
  EXPECT_EQ(call("GET", "/api/v1/conversions?to_crop=tea&from_use=inefficient_rice", "prov").body["total"], 2);
  EXPECT_EQ(call("GET", "/api/v1/conversions?from=2025-08-10&to=2025-09-30", "prov").body["total"], 2);
  EXPECT_EQ(call("GET", "/api/v1/conversions?commune_id=" + s(id("N2")), "prov").body["total"], 1);
  // The officer of N1 sees N1's; N2's commune as a filter matches nothing.
  EXPECT_EQ(call("GET", "/api/v1/conversions", "n1o").body["total"], 3);
  EXPECT_EQ(call("GET", "/api/v1/conversions?commune_id=" + s(id("N2")), "n1o").body["total"], 0);
  // The list adds up to the summary, for the same period.
  auto sum = call("GET", "/api/v1/conversions/summary?from=2025-01-01", "n1o");
  double listed = 0;
  auto page = call("GET", "/api/v1/conversions?from=2025-01-01", "n1o");
  for (const auto& v : page.body["items"]) listed += v["area_m2"].get<double>();
  EXPECT_NEAR(listed / 10000.0, sum.body["total_ha"].get<double>(), 1e-9);
  // The abolished district's officer: by unit, the parcels of the units it covers.
  EXPECT_EQ(call("GET", "/api/v1/conversions?unit_id=" + s(id("D1")), "d1o").body["total"], 3);
}

TEST_P(RegistryApi, TheTopologyCheckRunsAsAJobAndTheFindingsSayWhenItLastRan) {
  parcel("prov", "T-1", "N1", 103.01, 22.01);
  parcel("prov", "T-2", "N1", 103.0105, 22.01);  // half over T-1
  auto before = call("GET", "/api/v1/topology/findings", "n1o");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body["total"], 0);
  EXPECT_EQ(before.body["last_checks"], json::array());  // never checked: not "no errors"
  EXPECT_EQ(call_json("POST", "/api/v1/topology/checks", "insp", json::object()).status, 403);
  auto started = call_json("POST", "/api/v1/topology/checks", "n1o", {{"min_overlap_m2", 1}});
  ASSERT_EQ(started.status, 202) << started.body.dump();
  const auto job = started.body["id"].get<std::int64_t>();
  EXPECT_EQ(started.header("Location"), "/api/v1/jobs/" + s(job));
  app->jobs().wait_idle();
  auto done = call("GET", "/api/v1/jobs/" + s(job), "n1o");
  ASSERT_EQ(done.status, 200) << done.body.dump();
  EXPECT_EQ(done.body["state"], "succeeded") << done.body.dump();
  EXPECT_EQ(done.body["result"]["overlaps"], 1);
  EXPECT_EQ(done.body["started_by"], "user:n1o");
  auto after = call("GET", "/api/v1/topology/findings", "n1o");
  EXPECT_EQ(after.body["total"], 1);
  ASSERT_EQ(after.body["last_checks"].size(), 4u);
  for (const auto& c : after.body["last_checks"]) {
    EXPECT_FALSE(c["checked_at"].get<std::string>().empty());
    EXPECT_EQ(c["job_id"], job);
  }
  EXPECT_TRUE(after.body["running"].is_null());
  // Another commune's officer sees the run, and no finding of N1.
  auto other = call("GET", "/api/v1/topology/findings", "n2o");
  EXPECT_EQ(other.body["total"], 0);
  EXPECT_EQ(other.body["last_checks"][0]["findings_in_scope"], 0);
  // Every role that reads the registry may follow the job.
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + s(job), "insp").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/jobs?kind=topology_check", "n1o").body["total"], 1);
}

TEST_P(RegistryApi, AParcelShowsItsZonesLandUseNamesAndIsFoundByCodeOrSheetInNaturalOrder) {
  // The zone: x from 103.0 to 103.0105, the whole height of N1.
  json zone_shape = {{"type", "Polygon"},
                     {"coordinates", {{{103.0, 22.0}, {103.0105, 22.0}, {103.0105, 22.1}, {103.0, 22.1}, {103.0, 22.0}}}}};
  auto z = call_json("POST", "/api/v1/zones", "prov",
                     {{"code", "VSX-T"}, {"name", "Vùng chè"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                      {"geometry", zone_shape}});
  ASSERT_EQ(z.status, 201) << z.body.dump();
  // 2-1 lies half inside the zone, the others wholly.
  for (auto [ext, x] : {std::pair{"1-10", 103.001}, std::pair{"1-2", 103.003}, std::pair{"1-1", 103.005},
                        std::pair{"2-1", 103.010}}) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id("N1")}, {"land_use_code", "CLN"},
                        {"sheet_no", std::string(ext).substr(0, 1)}, {"parcel_no", std::string(ext).substr(2)},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  auto list = call("GET", "/api/v1/parcels", "prov");
  std::vector<std::string> order;
  for (const auto& p : list.body["items"]) order.push_back(p["external_id"]);
  EXPECT_EQ(order, (std::vector<std::string>{"1-1", "1-2", "1-10", "2-1"}));
  EXPECT_EQ(list.body["items"][0]["land_use"]["name_vi"], "Đất trồng cây lâu năm");
  EXPECT_EQ(list.body["items"][0]["land_use"]["name_en"], "Perennial crop land");
  // Found by sheet and parcel number, by "sheet/parcel", by part of the code.
  EXPECT_EQ(call("GET", "/api/v1/parcels?sheet_no=1&parcel_no=10", "prov").body["items"][0]["external_id"], "1-10");
  EXPECT_EQ(call("GET", "/api/v1/parcels?q=2%2F1", "prov").body["items"][0]["external_id"], "2-1");
  EXPECT_EQ(call("GET", "/api/v1/parcels?q=-1", "prov").body["total"], 3);  // 1-1, 1-10, 2-1
  auto by_sheet = call("GET", "/api/v1/parcels?sort=sheet&sheet_no=1", "prov");
  EXPECT_EQ(by_sheet.body["items"][2]["parcel_no"], "10");
  // The detail names the zone with the share of the parcel inside it.
  auto one = call("GET", "/api/v1/parcels/" + s(list.body["items"][3]["id"]), "prov");  // 2-1: half inside
  ASSERT_EQ(one.body["zones"].size(), 1u) << one.body.dump();
  EXPECT_EQ(one.body["zones"][0]["code"], "VSX-T");
  EXPECT_NEAR(one.body["zones"][0]["share_pct"].get<double>(), 50.0, 1.0);
  auto codes = call("GET", "/api/v1/land-use-codes", "n1o");
  ASSERT_EQ(codes.status, 200);
  EXPECT_GT(codes.body["items"].size(), 10u);
  EXPECT_TRUE(codes.body["sources"].contains("tt25-2014"));
}

TEST_P(RegistryApi, DatesOutsideThePlausibleRangeAreRefused) {
  auto p = parcel("prov", "D-1", "N1", 103.01, 22.01);
  auto early = call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov",
                         {{"crop", "tea"}, {"start_date", "0001-01-01"}, {"planted_area_m2", 100}});
  ASSERT_EQ(early.status, 400);
  EXPECT_EQ(early.body["errors"][0]["field"], "start_date");
  EXPECT_EQ(call_json("POST", "/api/v1/parcels", "prov",
                      {{"external_id", "D-2"}, {"commune_id", id("N1")}, {"valid_from", "2205-01-01"},
                       {"geometry", square_polygon(103.03, 22.01, 0.001)}})
                .status,
            400);
  EXPECT_EQ(call("GET", "/api/v1/parcels?as_of=1066-10-14", "prov").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/units?as_of=0001-01-01", "prov").status, 400);
  EXPECT_EQ(count("planting"), 0);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RegistryApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, RegistryApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
