// Farming diaries through the API: entry by a producer on its own parcels and by an
// officer in scope, the findings answered at once, amendments, the findings list within
// scope, and lot holds with their clearance (docs/diary.md).
#include "api/api_fixture.hpp"

#include "modules/diary/diary_service.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
diary::ImportTable table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  diary::ImportTable t;
  t.headers = headers;
  int line = 1;
  for (const auto& r : rows) {
    diary::ImportRow row;
    row.line = ++line;
    for (std::size_t i = 0; i < headers.size(); ++i) row.cells[headers[i]] = i < r.size() ? r[i] : "";
    t.rows.push_back(row);
  }
  return t;
}
}  // namespace

class DiaryApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    auto cli = identity::Actor::cli("test");
    auto& d = app->diary();
    ASSERT_TRUE(d.import_products(cli,
                                  table({"product", "name", "active_ingredients", "registered_from", "registered_to"},
                                        {{"ABA", "Abamectin", "abamectin", "2020-01-01", ""},
                                         {"MIX", "Mixture", "hexaconazole;carbendazim", "2015-01-01", ""}}),
                                  "test"));
    ASSERT_TRUE(d.import_statuses(cli, table({"active_ingredient", "status", "from"}, {{"carbendazim", "banned", "2019-01-03"}}),
                                  "test"));
    ASSERT_TRUE(d.import_labels(cli, table({"product", "crop", "max_dose_per_ha", "phi_days"}, {{"ABA", "tea", "0.3", "7"}}),
                                "test"));
    p1 = parcel("P-N1", "N1", 103.01);
    p2 = parcel("P-N2", "N2", 103.11);
    for (auto p : {p1, p2}) {
      auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov",
                         {{"crop", "tea"}, {"start_date", "2020-01-01"}, {"planted_area_m2", 1000}});
      ASSERT_EQ(r.status, 201) << r.body.dump();
    }
    // The cooperative account `coop` (N1) sees the parcels its members hold a right on: P-N1.
    auto coop = call_json("POST", "/api/v1/producers", "prov",
                          {{"kind", "cooperative"}, {"name", "HTX Thử"}, {"unit_id", id("N1")}, {"tax_code", "6200000001"}});
    ASSERT_EQ(coop.status, 201) << coop.body.dump();
    const auto coop_id = coop.body["id"].get<std::int64_t>();
    auto right = call_json("POST", "/api/v1/parcels/" + s(p1) + "/rights", "prov",
                           {{"producer_id", coop_id}, {"kind", "owner"}, {"valid_from", "2020-01-01"}});
    ASSERT_EQ(right.status, 201) << right.body.dump();
    app->db().write([&](storage::Connection& c) {
      c.execute("UPDATE app_user SET producer_id = ? WHERE username = 'coop'", {coop_id});
      return 0;
    });
  }
  std::int64_t parcel(const std::string& ext, const char* unit, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"valid_from", "2020-01-01"},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  Reply enter(const std::string& user, json body) { return call_json("POST", "/api/v1/diary/entries", user, body); }
  json spray(std::int64_t parcel_id, const char* date, const char* product, double dose) {
    return {{"parcel_id", parcel_id}, {"date", date}, {"kind", "spray"}, {"product", product}, {"dose_per_ha", dose}};
  }
  json harvest(std::int64_t parcel_id, const char* date, const char* lot) {
    return {{"parcel_id", parcel_id}, {"date", date}, {"kind", "harvest"}, {"quantity_kg", 100}, {"lot", lot}};
  }
  static std::vector<std::string> kinds(const json& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f["finding"].get<std::string>());
    return out;
  }
  std::int64_t p1 = 0, p2 = 0;
};

TEST_P(DiaryApi, AProducerEntersOnItsOwnParcelsAndSeesTheFindingsAtOnce) {
  auto r = enter("coop", spray(p1, "2025-05-01", "MIX", 1));
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(kinds(r.body["findings"]), (std::vector<std::string>{"banned", "not_for_crop"}));
  EXPECT_EQ(r.body["entry"]["parcel"], "P-N1");
  EXPECT_EQ(r.body["entry"]["created_by"], "user:coop");
  // Another commune's parcel answers as a parcel that does not exist.
  auto other = enter("coop", spray(p2, "2025-05-01", "ABA", 0.1));
  auto missing = enter("coop", spray(999999, "2025-05-01", "ABA", 0.1));
  ASSERT_EQ(other.status, 400);
  EXPECT_EQ(other.body["errors"], missing.body["errors"]);
  EXPECT_TRUE(other.names_field("parcel_id"));
  // The producer reads only its own entries and findings.
  ASSERT_EQ(enter("n2o", spray(p2, "2025-05-01", "ABA", 0.9)).status, 201);
  EXPECT_EQ(call("GET", "/api/v1/diary/entries", "coop").body["items"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "coop").body["items"].size(), 2u);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "prov").body["items"].size(), 3u);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings?parcel_id=" + s(p2), "coop").status, 400);
}

TEST_P(DiaryApi, AUnitOfficerOnlyInTheirCommune) {
  EXPECT_EQ(enter("n1o", spray(p2, "2025-05-01", "ABA", 0.1)).status, 400);
  auto ok = enter("n2o", spray(p2, "2025-05-01", "ABA", 0.5));
  ASSERT_EQ(ok.status, 201) << ok.body.dump();
  EXPECT_EQ(kinds(ok.body["findings"]), (std::vector<std::string>{"over_dose"}));
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "n1o").body["items"].size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "n2o").body["items"].size(), 1u);
  EXPECT_EQ(enter("insp", spray(p2, "2025-05-01", "ABA", 0.1)).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "insp").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/diary/findings").status, 401);
}

TEST_P(DiaryApi, MalformedEntriesAreRefusedByField) {
  auto r = enter("n1o", {{"parcel_id", p1}, {"date", "2025-02-30"}, {"kind", "spray"}});
  ASSERT_EQ(r.status, 400) << r.body.dump();
  EXPECT_TRUE(r.names_field("date"));
  auto h = enter("n1o", {{"parcel_id", p1}, {"date", "2025-02-01"}, {"kind", "harvest"}});
  ASSERT_EQ(h.status, 400);
  EXPECT_TRUE(h.names_field("lot"));
  EXPECT_EQ(count("diary_entry"), 0);
}

TEST_P(DiaryApi, AnAmendmentReplacesTheEntryInTheChecks) {
  auto first = enter("n1o", spray(p1, "2025-05-01", "ABA", 3));
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(kinds(first.body["findings"]), (std::vector<std::string>{"over_dose"}));
  json fix = spray(p1, "2025-05-01", "ABA", 0.3);
  fix["amends"] = first.body["entry"]["entry"];
  auto amended = enter("n1o", fix);
  ASSERT_EQ(amended.status, 201) << amended.body.dump();
  EXPECT_TRUE(amended.body["findings"].empty());
  EXPECT_EQ(call("GET", "/api/v1/diary/findings", "prov").body["items"].size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/diary/entries", "prov").body["items"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/diary/entries?with_amended=true", "prov").body["items"].size(), 2u);
  // The amended entry cannot be amended a second time: amend the amendment.
  EXPECT_TRUE(enter("n1o", fix).names_field("amends"));
}

TEST_P(DiaryApi, ALotHarvestedTooSoonIsHeldUntilAnOfficerClearsIt) {
  ASSERT_EQ(enter("coop", spray(p1, "2025-05-01", "ABA", 0.2)).status, 201);
  auto h = enter("coop", harvest(p1, "2025-05-07", "LOT-1"));
  ASSERT_EQ(h.status, 201);
  ASSERT_EQ(kinds(h.body["findings"]), (std::vector<std::string>{"phi_not_passed"}));
  EXPECT_EQ(h.body["findings"][0]["lot"], "LOT-1");
  ASSERT_EQ(enter("coop", harvest(p1, "2025-05-08", "LOT-2")).body["findings"].size(), 0u);  // 7 days: allowed

  auto held = call("GET", "/api/v1/diary/lots/LOT-1", "coop");
  ASSERT_EQ(held.status, 200) << held.body.dump();
  EXPECT_EQ(held.body["held"], true);
  EXPECT_EQ(held.body["harvests"][0]["parcel"], "P-N1");
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-2", "coop").body["held"], false);
  // Another commune's officer sees no such lot; an unknown lot answers the same.
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1", "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/NO-LOT", "n1o").status, 404);
  // The producer cannot clear; the officer needs a reason.
  EXPECT_EQ(call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "coop", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "n2o", {{"reason", "x"}}).status, 404);
  EXPECT_EQ(call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "n1o", {{"reason", " "}}).status, 400);
  auto cleared = call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "n1o", {{"reason", "residue test passed"}});
  ASSERT_EQ(cleared.status, 200) << cleared.body.dump();
  EXPECT_EQ(cleared.body["held"], false);
  EXPECT_EQ(cleared.body["holds"][0]["clearance"]["reason"], "residue test passed");
  EXPECT_EQ(cleared.body["holds"][0]["clearance"]["cleared_by"], "user:n1o");
  EXPECT_EQ(call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "n1o", {{"reason", "again"}}).status, 409);
  EXPECT_EQ(app->db().read([](storage::Connection& c) {
              return c.scalar_i64("SELECT count(*) FROM audit_log WHERE action = 'clear_hold'");
            }),
            1);
  // A new harvest into the same lot too soon after a spray holds it again.
  ASSERT_EQ(enter("coop", spray(p1, "2025-06-01", "ABA", 0.2)).status, 201);
  ASSERT_EQ(enter("coop", harvest(p1, "2025-06-02", "LOT-1")).status, 201);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1", "coop").body["held"], true);
}

TEST_P(DiaryApi, ProductsWithTheirStatusOnADate) {
  auto r = call("GET", "/api/v1/diary/products?date=2018-06-01", "coop");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 2u);
  EXPECT_EQ(r.body["items"][1]["product"], "MIX");
  EXPECT_EQ(r.body["items"][1]["banned"], false);
  EXPECT_EQ(call("GET", "/api/v1/diary/products?date=2025-06-01", "coop").body["items"][1]["banned"], true);
  EXPECT_EQ(r.body["items"][0]["labels"][0]["phi_days"], 7);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DiaryApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, DiaryApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
