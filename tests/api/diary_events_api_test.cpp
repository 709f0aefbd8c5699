// The diary and the supply chain as one record (docs/epcis.md "Diary events"): an
// imported or entered diary yields its EPCIS events (stable hashes: importing again adds
// nothing), an amendment an error declaration, a held lot no shipping event (docs/rules.md
// §14: refused, nothing stored), and a lot's journey through the API with roles and scope.
#include "api/api_fixture.hpp"

#include "modules/diary/diary_service.hpp"
#include "modules/epcis/diary_bridge.hpp"
#include "modules/trace/trace_service.hpp"

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
const char* kTeaLot1 = "https://id.gs1.org/01/08939999000017/10/LOT-1";  // tea's GTIN, set in SetUp
const char* kSscc = "https://id.gs1.org/00/089399990000000017";
}  // namespace

class DiaryEventsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    auto& d = app->diary();
    // The GTIN of tea's lots, in the trace module's table that the diary's events read.
    ASSERT_TRUE(app->trace().import_gtins(
        cli, nlohmann::json::parse(R"({"gtins": [{"crop": "tea", "gtin": "8939999000017", "name_vi": "Chè"}]})")));
    ASSERT_TRUE(d.import_products(cli,
                                  table({"product", "name", "active_ingredients", "registered_from", "registered_to"},
                                        {{"ABA", "Abamectin", "abamectin", "2020-01-01", ""}}),
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
  std::vector<json> events() {
    epcis::EventFilter f;
    f.per_page = 1000;
    auto page = app->epcis().query(cli, f);
    EXPECT_TRUE(page) << (page ? "" : page.error().message);
    std::vector<json> out;
    if (page)
      for (const auto& e : page->events) out.push_back(e.document);
    return out;
  }
  std::vector<json> with_step(const std::string& step) {
    std::vector<json> out;
    for (auto& e : events())
      if (e.value("bizStep", "") == step) out.push_back(e);
    return out;
  }
  Reply enter(const std::string& user, json body) { return call_json("POST", "/api/v1/diary/entries", user, body); }
  void hold_lot_1() {
    ASSERT_EQ(enter("coop", {{"parcel_id", p1}, {"date", "2025-05-01"}, {"kind", "spray"}, {"product", "ABA"},
                             {"dose_per_ha", 0.2}})
                  .status,
              201);
    ASSERT_EQ(enter("coop", {{"parcel_id", p1}, {"date", "2025-05-03"}, {"kind", "harvest"}, {"quantity_kg", 120},
                             {"lot", "LOT-1"}})
                  .status,
              201);
    ASSERT_EQ(call("GET", "/api/v1/diary/lots/LOT-1", "coop").body["held"], true);
  }
  static json shipping(const json& epcs, const json& quantities) {
    json e = {{"type", "ObjectEvent"},      {"eventTime", "2025-06-01T08:00:00+07:00"},
              {"eventTimeZoneOffset", "+07:00"}, {"action", "OBSERVE"},
              {"bizStep", "shipping"},      {"epcList", epcs}};
    if (!quantities.empty()) e["quantityList"] = quantities;
    return e;
  }
  static json packing(const char* lot_class, double kg) {
    return {{"type", "AggregationEvent"},
            {"eventTime", "2025-05-20T08:00:00+07:00"},
            {"eventTimeZoneOffset", "+07:00"},
            {"action", "ADD"},
            {"bizStep", "packing"},
            {"parentID", kSscc},
            {"childEPCs", json::array()},
            {"childQuantityList", json::array({{{"epcClass", lot_class}, {"quantity", kg}, {"uom", "KGM"}}})}};
  }
  const identity::Actor cli = identity::Actor::cli("test");
  std::int64_t p1 = 0, p2 = 0;
};

TEST_P(DiaryEventsApi, AnImportedDiaryYieldsItsEventsAndImportingAgainAddsNothing) {
  const auto diary = table({"entry", "parcel", "date", "kind", "product", "dose_per_ha", "quantity_kg", "lot"},
                           {{"E-1", "P-N1", "2025-04-01", "spray", "ABA", "0.25", "", ""},
                            {"E-2", "P-N1", "2025-04-02", "observation", "", "", "", ""},
                            {"E-3", "P-N1", "2025-04-20", "harvest", "", "", "800", "LOT-A"}});
  ASSERT_TRUE(app->diary().import_diary(cli, diary, "test"));
  auto all = events();
  ASSERT_EQ(all.size(), 2u);  // the spray and the harvest; an observation makes none

  auto harvests = with_step("commissioning");
  ASSERT_EQ(harvests.size(), 1u);
  const auto& h = harvests[0];
  EXPECT_EQ(h["type"], "ObjectEvent");
  EXPECT_EQ(h["action"], "ADD");
  EXPECT_EQ(h["eventID"], "urn:nongsan:diary:E-3");
  EXPECT_EQ(h["quantityList"][0]["epcClass"], "https://id.gs1.org/01/08939999000017/10/LOT-A");
  EXPECT_EQ(h["quantityList"][0]["quantity"], 800.0);
  EXPECT_EQ(h["quantityList"][0]["uom"], "KGM");
  EXPECT_EQ(h["readPoint"]["id"], "urn:nongsan:parcel:P-N1");
  EXPECT_EQ(h["bizLocation"]["id"], "urn:nongsan:parcel:P-N1");
  EXPECT_EQ(h["ilmd"]["cbvmda:harvestStartDate"], "2025-04-20");

  auto sprays = with_step(epcis::kTreatingStep);
  ASSERT_EQ(sprays.size(), 1u);
  EXPECT_EQ(sprays[0]["action"], "OBSERVE");
  EXPECT_EQ(sprays[0]["nongsan:product"], "ABA");
  EXPECT_EQ(sprays[0]["nongsan:dosePerHa"], 0.25);
  EXPECT_EQ(sprays[0]["bizLocation"]["id"], "urn:nongsan:parcel:P-N1");

  // The same file again: the same hashes, nothing new.
  ASSERT_TRUE(app->diary().import_diary(cli, diary, "test"));
  EXPECT_EQ(events().size(), 2u);
}

TEST_P(DiaryEventsApi, AnAmendmentDeclaresTheAmendedEntrysEventInError) {
  auto first = enter("coop", {{"entry", "S-1"}, {"parcel_id", p1}, {"date", "2025-05-10"}, {"kind", "spray"},
                              {"product", "ABA"}, {"dose_per_ha", 2.5}});
  ASSERT_EQ(first.status, 201) << first.body.dump();
  ASSERT_EQ(events().size(), 1u);
  auto fix = enter("coop", {{"entry", "S-2"}, {"parcel_id", p1}, {"date", "2025-05-10"}, {"kind", "spray"},
                            {"product", "ABA"}, {"dose_per_ha", 0.25}, {"amends", "S-1"}});
  ASSERT_EQ(fix.status, 201) << fix.body.dump();
  auto all = events();
  // The corrected event is new; the original is declared in error in place (the event
  // hash leaves errorDeclaration out: the declared event is the stored one).
  ASSERT_EQ(all.size(), 2u);
  int declared = 0;
  for (const auto& e : all)
    if (e.contains("errorDeclaration")) {
      ++declared;
      EXPECT_EQ(e["eventID"], "urn:nongsan:diary:S-1");
      EXPECT_EQ(e["nongsan:dosePerHa"], 2.5);
      EXPECT_EQ(e["errorDeclaration"]["reason"], "incorrect_data");
      EXPECT_EQ(e["errorDeclaration"]["correctiveEventIDs"], json::array({"urn:nongsan:diary:S-2"}));
    }
  EXPECT_EQ(declared, 1);
}

TEST_P(DiaryEventsApi, AHeldLotGetsNoShippingEventAndNothingIsStored) {
  hold_lot_1();
  const auto before = events().size();
  // Named directly, next to a valid event: the whole document is refused.
  json other = shipping(json::array({"https://id.gs1.org/00/089399990000000024"}), json::array());
  auto r = app->epcis().capture_events(
      cli, {other, shipping(json::array(), json::array({{{"epcClass", kTeaLot1}, {"quantity", 120}, {"uom", "KGM"}}}))},
      json::array(), "test");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nothing was stored"), std::string::npos);
  ASSERT_FALSE(r.error().fields.empty());
  EXPECT_NE(r.error().fields[0].message.find("lot LOT-1 is held"), std::string::npos) << r.error().fields[0].message;
  EXPECT_EQ(events().size(), before);

  // Packed into an SSCC (allowed), then the SSCC shipped or departing: refused as well.
  ASSERT_TRUE(app->epcis().capture_events(cli, {packing(kTeaLot1, 120)}, json::array(), "test"));
  json departing = shipping(json::array({kSscc}), json::array());
  departing["bizStep"] = "departing";
  auto d = app->epcis().capture_events(cli, {departing}, json::array(), "test");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().fields[0].message.find("lot LOT-1 is held"), std::string::npos);

  // Once an officer clears it, the lot ships.
  ASSERT_EQ(call_json("POST", "/api/v1/diary/lots/LOT-1/clear", "n1o", {{"reason", "residue test passed"}}).status, 200);
  EXPECT_TRUE(app->epcis().capture_events(cli, {shipping(json::array({kSscc}), json::array())}, json::array(), "test"));
}

TEST_P(DiaryEventsApi, TheLotsJourneyInTimeOrderWithinScope) {
  ASSERT_EQ(enter("coop", {{"parcel_id", p1}, {"date", "2025-05-03"}, {"kind", "harvest"}, {"quantity_kg", 120},
                           {"lot", "LOT-1"}})
                .status,
            201);
  ASSERT_TRUE(app->epcis().capture_events(cli, {packing(kTeaLot1, 120), shipping(json::array({kSscc}), json::array())},
                                          json::array(), "test"));
  auto j = call("GET", "/api/v1/diary/lots/LOT-1/journey", "coop");
  ASSERT_EQ(j.status, 200) << j.body.dump();
  ASSERT_EQ(j.body["items"].size(), 3u) << j.body.dump();
  EXPECT_EQ(j.body["items"][0]["bizStep"], "commissioning");
  EXPECT_EQ(j.body["items"][0]["place"], "urn:nongsan:parcel:P-N1");
  EXPECT_EQ(j.body["items"][0]["quantity"], 120.0);
  EXPECT_EQ(j.body["items"][0]["uom"], "KGM");
  EXPECT_EQ(j.body["items"][1]["bizStep"], "packing");
  EXPECT_EQ(j.body["items"][1]["quantity"], 120.0);
  EXPECT_EQ(j.body["items"][2]["bizStep"], "shipping");
  // The commune's officer and the province see it; another commune's officer and an
  // unknown lot answer 404; without login 401.
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1/journey", "n1o").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1/journey", "prov").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1/journey", "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/NO-LOT/journey", "prov").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/diary/lots/LOT-1/journey").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DiaryEventsApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, DiaryEventsApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
