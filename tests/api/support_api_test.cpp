// Support through the API: policies with checked conditions, applications within
// scope, the life cycle with its permissions and four eyes, payments, a check run
// with scoped findings and traced amounts, budgets, settings.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
json tea_policy() {
  return {{"code", "TEA"},        {"version", "2021-03-22"}, {"name_vi", "Hỗ trợ trồng mới chè"},
          {"content", "tea"},     {"item", "area"},          {"rate", 15000000},
          {"one_time", true},     {"requires", {{"controller", true}}},
          {"conditions", "claimed_ha >= 0.3"}, {"illustrative", true}};
}
}  // namespace

class SupportApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& ext, const char* unit, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"valid_from", "2020-01-01"},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t producer(const std::string& name, const char* unit) {
    auto r = call_json("POST", "/api/v1/producers", "prov",
                       {{"kind", "household"}, {"name", name}, {"unit_id", id(unit)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  void owner(std::int64_t parcel_id, std::int64_t producer_id) {
    auto r = call_json("POST", "/api/v1/parcels/" + s(parcel_id) + "/rights", "prov",
                       {{"producer_id", producer_id}, {"kind", "owner"}, {"valid_from", "2020-01-01"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
  Reply apply(const std::string& user, const std::string& code, std::int64_t applicant, std::int64_t parcel_id,
              double ha) {
    return call_json("POST", "/api/v1/support/applications", user,
                     {{"code", code},
                      {"policy", "TEA"},
                      {"applicant_id", applicant},
                      {"filed", "2024-03-01"},
                      {"items", json::array({{{"parcel_id", parcel_id}, {"quantity", ha}}})}});
  }
  // The tea policy, and two applications filed on 2024-03-01: A-1 by h1 in N1 for the
  // parcel h1 owns (1 ha), A-2 by h2 in N2 for a parcel h1 owns (0.5 ha: not controlled).
  struct TwoApplicants {
    std::int64_t p1 = 0, p2 = 0, h1 = 0, h2 = 0, a1 = 0, a2 = 0;
  };
  TwoApplicants two_applicants() {
    TwoApplicants w;
    EXPECT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
    w.p1 = parcel("P-N1", "N1", 103.01);
    w.p2 = parcel("P-N2", "N2", 103.11);
    w.h1 = producer("Lò Văn Minh", "N1");
    w.h2 = producer("Lò Thị Hoa", "N2");
    owner(w.p1, w.h1);
    owner(w.p2, w.h1);
    w.a1 = apply("n1o", "A-1", w.h1, w.p1, 1.0).body.value("id", std::int64_t{0});
    w.a2 = apply("n2o", "A-2", w.h2, w.p2, 0.5).body.value("id", std::int64_t{0});
    return w;
  }
  Reply step(const std::string& user, std::int64_t app, const std::string& name, json extra = json::object()) {
    extra["step"] = name;
    return call_json("POST", "/api/v1/support/applications/" + s(app) + "/steps", user, extra);
  }
};

TEST_P(SupportApi, PolicyConditionsAreCheckedWithTheirPosition) {
  json bad = tea_policy();
  bad["conditions"] = "claimed_area >= 0.3";
  auto r = call_json("POST", "/api/v1/support/policies", "prov", bad);
  ASSERT_EQ(r.status, 400) << r.body.dump();
  EXPECT_EQ(r.body["errors"][0]["field"], "conditions");
  EXPECT_NE(r.body["errors"][0]["message"].get<std::string>().find("position 1: unknown fact 'claimed_area'"),
            std::string::npos);
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies", "n1o", tea_policy()).status, 403);
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  // The same version again changes nothing; other content under the same date is refused.
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).body["result"], "unchanged");
  json changed = tea_policy();
  changed["rate"] = 1;
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies", "prov", changed).status, 409);
  auto list = call("GET", "/api/v1/support/policies", "n1o");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body[0]["current"]["rate"], 15000000);
}

TEST_P(SupportApi, PolicyCheckAnswersWithoutSaving) {
  // The policy editor checks as the official types: the same errors as saving, nothing stored.
  json bad = tea_policy();
  bad["conditions"] = "claimed_ha >= 0.3 and applicant_kind = \"household\"";
  auto r = call_json("POST", "/api/v1/support/policies/check", "prov", bad);
  ASSERT_EQ(r.status, 400) << r.body.dump();
  EXPECT_EQ(r.body["errors"][0]["field"], "conditions");
  EXPECT_NE(r.body["errors"][0]["message"].get<std::string>().find("position 38: write == to compare"), std::string::npos)
      << r.body["errors"][0]["message"];
  auto fresh = call_json("POST", "/api/v1/support/policies/check", "prov", tea_policy());
  ASSERT_EQ(fresh.status, 200) << fresh.body.dump();
  EXPECT_EQ(fresh.body["result"], "new_policy");
  EXPECT_EQ(call("GET", "/api/v1/support/policies", "prov").body.size(), 0u);
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies/check", "n1o", tea_policy()).status, 403);
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies/check", "prov", tea_policy()).body["result"], "unchanged");
  json amended = tea_policy();
  amended["version"] = "2024-01-01";
  amended["rate"] = 18000000;
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies/check", "prov", amended).body["result"], "amendment");
  json earlier = amended;
  earlier["version"] = "2020-01-01";
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies/check", "prov", earlier).body["result"], "earlier_version");
  json clash = tea_policy();
  clash["rate"] = 1;
  EXPECT_EQ(call_json("POST", "/api/v1/support/policies/check", "prov", clash).status, 409);
  EXPECT_EQ(call("GET", "/api/v1/support/policies", "prov").body[0]["versions"].size(), 1u);
}

TEST_P(SupportApi, ApplicationsAndTheRecordsTheyNameStayInScope) {
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  auto p1 = parcel("P-N1", "N1", 103.01);
  auto p2 = parcel("P-N2", "N2", 103.11);
  auto h1 = producer("Lò Văn Minh", "N1");
  auto h2 = producer("Lò Thị Hoa", "N2");
  auto mine = apply("n1o", "A-1", h1, p1, 1.0);
  ASSERT_EQ(mine.status, 201) << mine.body.dump();
  auto id1 = mine.body["id"].get<std::int64_t>();
  EXPECT_EQ(mine.body["unit"]["code"], call("GET", "/api/v1/units/" + s(id("N1")), "admin").body["code"]);
  // Another commune's officer: the application, its applicant and its parcel are out of
  // scope, and answer as if they did not exist.
  auto other = call("GET", "/api/v1/support/applications/" + s(id1), "n2o");
  auto missing = call("GET", "/api/v1/support/applications/999999", "n2o");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.status, missing.status);
  EXPECT_EQ(other.body["message"], missing.body["message"]);
  auto foreign_applicant = apply("n2o", "A-2", h1, p2, 1.0);
  ASSERT_EQ(foreign_applicant.status, 400);
  EXPECT_EQ(foreign_applicant.body["errors"][0]["field"], "applicant_id");
  auto foreign_parcel = apply("n2o", "A-3", h2, p1, 1.0);
  ASSERT_EQ(foreign_parcel.status, 400);
  EXPECT_EQ(foreign_parcel.body["errors"][0]["field"], "items[0].parcel_id");
  EXPECT_EQ(call("GET", "/api/v1/support/applications?year=2024", "n2o").body["total"], 0);
  EXPECT_EQ(call("GET", "/api/v1/support/applications?year=2024", "n1o").body["total"], 1);
  EXPECT_EQ(call("GET", "/api/v1/support/applications?year=2024", "insp").body["total"], 1);
  // Steps by another commune's officer: as for a record that does not exist.
  EXPECT_EQ(step("n2o", id1, "verify").status, 404);
  EXPECT_EQ(count("support_application"), 1);
}

TEST_P(SupportApi, LifeCycleWithPermissionsAndFourEyes) {
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  auto p1 = parcel("P-N1", "N1", 103.01);
  auto h1 = producer("Lò Văn Minh", "N1");
  owner(p1, h1);
  auto created = apply("n1o", "A-1", h1, p1, 1.0);
  ASSERT_EQ(created.status, 201) << created.body.dump();
  auto app = created.body["id"].get<std::int64_t>();
  EXPECT_EQ(step("prov", app, "approve", {{"amount", 1}}).status, 409);  // not yet accepted
  EXPECT_EQ(step("n1o", app, "verify").status, 200);
  EXPECT_EQ(step("n1o", app, "appraise").status, 200);
  EXPECT_EQ(step("n1o", app, "accept", {{"date", "2024-10-01"}}).status, 200);
  EXPECT_EQ(step("n1o", app, "approve", {{"amount", 15000000}}).status, 403);  // a commune officer never approves
  EXPECT_EQ(step("prov", app, "approve").status, 400);                         // the amount is required
  auto approved = step("prov", app, "approve", {{"amount", 15000000}});
  ASSERT_EQ(approved.status, 200) << approved.body.dump();
  EXPECT_EQ(approved.body["approved_amount"], 15000000);
  // Four eyes: whoever approved may not pay.
  auto same = step("prov", app, "pay", {{"date", "2024-11-01"}});
  EXPECT_EQ(same.status, 403);
  EXPECT_NE(same.body["message"].get<std::string>().find("four eyes"), std::string::npos);
  auto paid = step("admin", app, "pay", {{"date", "2024-11-01"}});
  ASSERT_EQ(paid.status, 200) << paid.body.dump();
  EXPECT_EQ(paid.body["status"], "paid");
  auto detail = call("GET", "/api/v1/support/applications/" + s(app), "n1o");
  EXPECT_EQ(detail.body["paid_net"], 15000000);
  EXPECT_EQ(detail.body["accepted"], "2024-10-01");
  EXPECT_EQ(detail.body["steps"].size(), 6u);  // submitted, verified, appraised, accepted, approved, paid
  EXPECT_EQ(detail.body["next_steps"], json::array({"recover"}));
  EXPECT_EQ(step("admin", app, "recover", {{"amount", 1000000}}).status, 400);  // a reason is required
  EXPECT_EQ(step("admin", app, "recover", {{"amount", 1000000}, {"reason", "over-declared"}}).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/support/applications/" + s(app), "n1o").body["paid_net"], 14000000);
}

TEST_P(SupportApi, ACheckRunKeepsFindingsAndTracedAmountsForTheQueue) {
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  auto p1 = parcel("P-N1", "N1", 103.01);
  auto p2 = parcel("P-N2", "N2", 103.11);
  auto h1 = producer("Lò Văn Minh", "N1");
  auto h2 = producer("Lò Thị Hoa", "N2");
  owner(p1, h1);
  owner(p2, h1);  // h2 claims land h1 holds
  ASSERT_EQ(apply("n1o", "A-1", h1, p1, 1.0).status, 201);
  ASSERT_EQ(apply("n2o", "A-2", h2, p2, 0.5).status, 201);
  EXPECT_EQ(call_json("POST", "/api/v1/support/checks", "n1o", {{"year", 2024}}).status, 403);
  auto run = call_json("POST", "/api/v1/support/checks", "prov", {{"year", 2024}});
  ASSERT_EQ(run.status, 201) << run.body.dump();
  EXPECT_EQ(run.body["applications"], 2);
  EXPECT_EQ(run.body["counts"]["not_controlled"], 1);
  // Findings within scope: n1o sees none of N2's.
  auto n2 = call("GET", "/api/v1/support/findings?year=2024", "n2o");
  ASSERT_EQ(n2.status, 200);
  ASSERT_EQ(n2.body["items"].size(), 1u);
  EXPECT_EQ(n2.body["items"][0]["finding"], "not_controlled");
  EXPECT_EQ(n2.body["items"][0]["parcel"], "P-N2");
  // The controller is named as the CSV names producers: h1 has no external id, so "#id".
  EXPECT_EQ(n2.body["items"][0]["detail"].get<std::string>().rfind("controlled by #" + s(h1) + " on ", 0), 0u)
      << n2.body.dump();
  EXPECT_EQ(call("GET", "/api/v1/support/findings?year=2024", "n1o").body["items"].size(), 0u);
  // For the map: the named parcel's boundary, only when asked for.
  EXPECT_FALSE(n2.body["items"][0].contains("geometry"));
  auto shaped = call("GET", "/api/v1/support/findings?year=2024&geometry=true", "n2o");
  ASSERT_EQ(shaped.status, 200) << shaped.body.dump();
  ASSERT_TRUE(shaped.body["items"][0].contains("geometry")) << shaped.body.dump();
  EXPECT_EQ(shaped.body["items"][0]["parcel_id"], p2);
  EXPECT_NE(shaped.body["items"][0]["geometry"]["type"].get<std::string>().find("Polygon"), std::string::npos);
  // The queue filtered by finding, and the trace of an amount.
  auto queue = call("GET", "/api/v1/support/applications?year=2024&finding=not_controlled", "prov");
  ASSERT_EQ(queue.body["total"], 1);
  EXPECT_EQ(queue.body["items"][0]["code"], "A-2");
  EXPECT_EQ(queue.body["items"][0]["evaluated_amount"], 0);
  auto a1 = call("GET", "/api/v1/support/applications?year=2024&q=A-1", "prov").body["items"][0];
  auto detail = call("GET", "/api/v1/support/applications/" + s(a1["id"].get<std::int64_t>()), "n1o");
  ASSERT_EQ(detail.status, 200);
  EXPECT_GT(detail.body["evaluated_amount"].get<std::int64_t>(), 0);
  EXPECT_EQ(detail.body["trace"]["conditions"][0]["text"], "claimed_ha >= 0.3");
  EXPECT_EQ(detail.body["trace"]["conditions"][0]["result"], true);
}

TEST_P(SupportApi, SupportFiguresAreComputedIndicatorsThatDrillDownToApplications) {
  // Notice 752-TB/TU: support followed like every other target. Hectares supported (the
  // payable hectares of the latest check run) and money paid (payments minus recoveries)
  // per policy, filed under the applicant's commune, each figure traced to its application.
  const auto [p1, p2, h1, h2, a1, a2] = two_applicants();  // A-2's land is h1's: payable 0
  ASSERT_EQ(call_json("POST", "/api/v1/support/checks", "prov", {{"year", 2024}}).status, 201);
  for (auto [app, user] : {std::pair{a1, "n1o"}, {a2, "n2o"}}) {
    ASSERT_EQ(step(user, app, "verify").status, 200);
    ASSERT_EQ(step(user, app, "appraise").status, 200);
    ASSERT_EQ(step(user, app, "accept", {{"date", "2024-10-01"}}).status, 200);
  }
  ASSERT_EQ(step("prov", a1, "approve", {{"amount", 15000000}}).status, 200);
  ASSERT_EQ(step("prov", a2, "approve", {{"amount", 7500000}}).status, 200);
  ASSERT_EQ(step("admin", a1, "pay", {{"date", "2024-11-01"}}).status, 200);

  ASSERT_EQ(call_json("POST", "/api/v1/programmes", "admin",
                      {{"code", "S"}, {"name_vi", "Hỗ trợ"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                       {"baseline_year", 2020}, {"milestones", {2025}}})
                .status,
            201);
  auto ind = [&](const std::string& code, const std::string& kind, const json& computed) {
    return call_json("POST", "/api/v1/programmes/S/indicators", "admin",
                     {{"code", code}, {"name_vi", "Chỉ tiêu " + code}, {"measure_unit", "ha"}, {"kind", kind},
                      {"direction", "up"}, {"source", "computed"}, {"computed", computed}});
  };
  ASSERT_EQ(ind("HA", "flow", {{"measure", "supported_area"}, {"policy", "TEA"}}).status, 201);
  ASSERT_EQ(ind("PAID", "flow", {{"measure", "support_paid"}, {"policy", "TEA"}}).status, 201);
  ASSERT_EQ(ind("PAID_ALL", "stock", {{"measure", "support_paid"}}).status, 201);
  ASSERT_EQ(ind("OTHER", "flow", {{"measure", "support_paid"}, {"policy", "BEES"}}).status, 201);
  auto bad = ind("BAD", "flow", {{"measure", "planted_area"}, {"crop", "tea"}, {"policy", "TEA"}});
  ASSERT_EQ(bad.status, 400) << bad.body.dump();
  EXPECT_EQ(bad.body["errors"][0]["field"], "computed");

  auto item = [](const json& review, const std::string& code) {
    for (const auto& i : review["indicators"])
      if (i["indicator"] == code) return i;
    return json();
  };
  auto y2024 = call("GET", "/api/v1/programmes/S/review?milestone=2025&as_of=2024-12-31", "prov");
  ASSERT_EQ(y2024.status, 200) << y2024.body.dump();
  EXPECT_NEAR(item(y2024.body, "HA")["actual"].get<double>(), 1.0, 1e-9);  // A-2 is payable 0 (not controlled)
  EXPECT_NEAR(item(y2024.body, "PAID")["actual"].get<double>(), 15000000, 1e-6);
  EXPECT_TRUE(item(y2024.body, "OTHER")["actual"].is_null());
  auto before_recovery = call("GET", "/api/v1/programmes/S/review?milestone=2025&as_of=2025-12-31", "prov");
  EXPECT_NEAR(item(before_recovery.body, "HA")["actual"].get<double>(), 1.0, 1e-9);  // nothing accepted in 2025
  // A recovery: the money counts net in the year it is dated, and a recovered
  // application no longer counts its hectares (it is neither approved nor paid).
  ASSERT_EQ(step("admin", a1, "recover", {{"amount", 1000000}, {"reason", "over-declared"}, {"date", "2025-02-01"}}).status,
            200);
  auto y2025 = call("GET", "/api/v1/programmes/S/review?milestone=2025&as_of=2025-12-31", "prov");
  EXPECT_NEAR(item(y2025.body, "PAID")["actual"].get<double>(), 14000000, 1e-6);  // flow: 2024 + 2025's recovery
  EXPECT_NEAR(item(y2025.body, "PAID_ALL")["actual"].get<double>(), 14000000, 1e-6);
  EXPECT_NEAR(item(y2025.body, "HA")["actual"].get<double>(), 0.0, 1e-9);
  // The applicant's commune: N2's review sees A-2's 0 ha and no money.
  auto n2 = call("GET", "/api/v1/programmes/S/review?milestone=2025&as_of=2025-12-31&unit=" +
                            call("GET", "/api/v1/units/" + s(id("N2")), "admin").body["code"].get<std::string>(),
                 "prov");
  ASSERT_EQ(n2.status, 200) << n2.body.dump();
  EXPECT_NEAR(item(n2.body, "HA")["actual"].get<double>(), 0.0, 1e-9);

  // The drill-down: each application behind the figure, with the basis of its hectares.
  auto rec = call("GET", "/api/v1/programmes/S/indicators/HA/records?unit=90&year=2024&as_of=2024-12-31", "prov");
  ASSERT_EQ(rec.status, 200) << rec.body.dump();
  ASSERT_EQ(rec.body["records"].size(), 1u) << rec.body.dump();
  EXPECT_EQ(rec.body["records"][0]["kind"], "application");
  EXPECT_EQ(rec.body["records"][0]["code"], "A-2");
  EXPECT_EQ(rec.body["records"][0]["basis"], "check_run");
  EXPECT_EQ(rec.body["records"][0]["link"], "/api/v1/support/applications/" + s(a2));
  EXPECT_NEAR(rec.body["records"][0]["value"].get<double>(), 0.0, 1e-9);
  auto money = call("GET", "/api/v1/programmes/S/indicators/PAID/records?unit=90&year=2024&as_of=2024-12-31", "prov");
  ASSERT_EQ(money.body["records"].size(), 1u) << money.body.dump();
  EXPECT_EQ(money.body["records"][0]["code"], "A-1");
  EXPECT_EQ(money.body["records"][0]["link"], "/api/v1/support/applications/" + s(a1));
  EXPECT_NEAR(money.body["records"][0]["value"].get<double>(), 15000000, 1e-6);
  auto paid = call("GET", "/api/v1/programmes/S/indicators/PAID/records?unit=90&year=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(paid.body["records"].size(), 1u) << paid.body.dump();
  EXPECT_NEAR(paid.body["records"][0]["value"].get<double>(), -1000000, 1e-6);

  // An application no check run has evaluated counts its claimed hectares, and says so.
  app->db().write([&](storage::Connection& c) {
    c.execute("DELETE FROM support_check_run", {});
    return 0;
  });
  auto claimed = call("GET", "/api/v1/programmes/S/indicators/HA/records?unit=90&year=2024&as_of=2024-12-31", "prov");
  ASSERT_EQ(claimed.body["records"].size(), 1u);
  EXPECT_EQ(claimed.body["records"][0]["basis"], "claimed");
  EXPECT_NEAR(claimed.body["value"].get<double>(), 0.5, 1e-9);
}

TEST_P(SupportApi, EveryNumberIsCheckedAgainstItsRangeNamingTheField) {
  // One case per kind of bad number: each answers 400 naming the field, and nothing is stored.
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  auto p1 = parcel("P-N1", "N1", 103.01);
  auto h1 = producer("Lò Văn Minh", "N1");
  auto app = apply("n1o", "A-1", h1, p1, 1.0).body["id"].get<std::int64_t>();
  auto field_of = [](const Reply& r) { return r.body["errors"][0]["field"].get<std::string>(); };
  struct Case {
    std::string method, path;
    json body;
    std::string field;
  };
  json negative_rate = tea_policy();
  negative_rate["code"] = "NEG";
  negative_rate["rate"] = -1;
  json negative_cap = tea_policy();
  negative_cap["code"] = "CAP";
  negative_cap["cap_per_beneficiary_year"] = -5;
  const std::vector<Case> cases = {
      {"POST", "/api/v1/support/policies", negative_rate, "rate"},                       // amount below 0
      {"POST", "/api/v1/support/policies/check", negative_cap, "cap_per_beneficiary_year"},
      {"POST", "/api/v1/support/applications/" + s(app) + "/payments", {{"date", "2024-05-01"}, {"amount", -100}},
       "amount"},
      {"POST", "/api/v1/support/applications/" + s(app) + "/steps", {{"step", "recover"}, {"amount", -1}, {"reason", "x"}},
       "amount"},
      {"POST", "/api/v1/support/applications",
       {{"code", "A-9"}, {"policy", "TEA"}, {"applicant_id", 0}, {"filed", "2024-03-01"}, {"items", json::array()}},
       "applicant_id"},                                                                 // an id is positive
      {"PUT", "/api/v1/support/budget",
       {{"policy", "TEA"}, {"year", 2024}, {"funding_source", "other"}, {"planned", -1}}, "planned"},
      {"PUT", "/api/v1/support/budget",
       {{"policy", "TEA"}, {"year", 20240}, {"funding_source", "other"}, {"planned", 1}}, "year"},  // a year of 5 digits
      {"PATCH", "/api/v1/support/settings", {{"tolerance_ha", -0.5}}, "tolerance_ha"},            // tolerance below 0
      {"PATCH", "/api/v1/support/settings", {{"tolerance_pct", 101}}, "tolerance_pct"},           // share above 100
      {"PATCH", "/api/v1/support/settings", {{"penalty_factor", 11}}, "penalty_factor"},
      {"POST", "/api/v1/support/checks", {{"year", 2024}, {"min_overlap_m2", -1}}, "min_overlap_m2"},
      {"POST", "/api/v1/support/checks/jobs", {{"year", 99999}}, "year"},
      {"POST", "/api/v1/support/checks", {{"year", 2024.5}}, "year"},                             // a year is whole
  };
  for (const auto& c : cases) {
    auto r = call_json(c.method, c.path, "admin", c.body);
    ASSERT_EQ(r.status, 400) << c.method << " " << c.path << " " << r.body.dump();
    EXPECT_EQ(field_of(r), c.field) << c.path << " " << r.body.dump();
  }
  // Query parameters: shares, the seed and the year.
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"/api/v1/support/sample?year=2024&share=150", "share"},
      {"/api/v1/support/sample?year=2024&share=-1", "share"},
      {"/api/v1/support/sample?year=2024&risk_share=1.5", "risk_share"},
      {"/api/v1/support/sample?year=2024&seed=-1", "seed"},
      {"/api/v1/support/sample?year=2024&share=abc", "share"},
      {"/api/v1/support/findings?year=0", "year"},
      {"/api/v1/support/applications?year=12345", "year"},
      {"/api/v1/support/budget?year=-2024", "year"},
  };
  for (const auto& [path, field] : queries) {
    auto r = call("GET", path, "admin");
    ASSERT_EQ(r.status, 400) << path << " " << r.body.dump();
    EXPECT_EQ(field_of(r), field) << path;
  }
  EXPECT_EQ(count("support_payment"), 0);
  EXPECT_EQ(count("support_budget"), 0);
  EXPECT_EQ(count("support_policy"), 1);
  EXPECT_EQ(call("GET", "/api/v1/support/settings", "admin").body["tolerance_ha"], 2);
}

TEST_P(SupportApi, SearchesMatchTheTextTypedLiterally) {
  // %, _ and the escape character are letters in a search, not LIKE wildcards.
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", tea_policy()).status, 201);
  auto h1 = producer("Lò Văn Minh", "N1");
  int x = 0;
  for (const char* code : {"A_1", "AB1", "A%2", "A!3", "A\\4"}) {
    ++x;
    auto p = parcel("P-" + std::to_string(x), "N1", 103.0 + 0.01 * x);
    ASSERT_EQ(apply("n1o", code, h1, p, 1.0).status, 201) << code;
  }
  auto codes = [&](const std::string& q) {
    std::vector<std::string> out;
    auto r = call("GET", "/api/v1/support/applications?year=2024&q=" + q, "prov");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    for (const auto& i : r.body["items"]) out.push_back(i["code"].get<std::string>());
    return out;
  };
  EXPECT_EQ(codes("A_1"), std::vector<std::string>({"A_1"}));
  EXPECT_EQ(codes("A%25"), std::vector<std::string>({"A%2"}));  // %25: a '%' in the URL
  EXPECT_EQ(codes("A!"), std::vector<std::string>({"A!3"}));
  EXPECT_EQ(codes("A%5C"), std::vector<std::string>({"A\\4"}));
  EXPECT_EQ(codes("_").size(), 1u);
}

TEST_P(SupportApi, TheChecksRunAsABackgroundJobNamingTheirRun) {
  two_applicants();
  EXPECT_EQ(call_json("POST", "/api/v1/support/checks/jobs", "n1o", {{"year", 2024}}).status, 403);
  auto started = call_json("POST", "/api/v1/support/checks/jobs", "prov", {{"year", 2024}});
  ASSERT_EQ(started.status, 202) << started.body.dump();
  const auto job = started.body["id"].get<std::int64_t>();
  EXPECT_EQ(started.header("Location"), "/api/v1/jobs/" + s(job));
  EXPECT_EQ(started.body["kind"], "support_check");
  EXPECT_EQ(started.body["params"]["year"], 2024);
  app->jobs().wait_idle();
  // The job counts the whole province's applications: its starter and province-wide
  // roles follow it; a commune officer is answered as for a job that does not exist.
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + s(job), "n1o").status, 404);
  auto done = call("GET", "/api/v1/jobs/" + s(job), "prov");
  ASSERT_EQ(done.status, 200) << done.body.dump();
  EXPECT_EQ(done.body["state"], "succeeded") << done.body.dump();
  EXPECT_EQ(done.body["started_by"], "user:prov");
  EXPECT_EQ(done.body["result"]["year"], 2024);
  EXPECT_EQ(done.body["result"]["applications"], 2);
  EXPECT_EQ(done.body["result"]["counts"]["not_controlled"], 1);
  // The job's result names the run the findings page shows, with when and by whom.
  auto f = call("GET", "/api/v1/support/findings?year=2024", "prov");
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(f.body["run"]["id"], done.body["result"]["run_id"]);
  EXPECT_FALSE(f.body["run"]["run_at"].get<std::string>().empty());
  EXPECT_FALSE(f.body["run"]["run_by"].get<std::string>().empty());
  EXPECT_TRUE(f.body["running"].is_null());
  EXPECT_EQ(count("support_check_run"), 1);
  // The synchronous route answers as before, with a run of its own.
  auto sync = call_json("POST", "/api/v1/support/checks", "prov", {{"year", 2024}});
  ASSERT_EQ(sync.status, 201) << sync.body.dump();
  EXPECT_EQ(sync.body["applications"], 2);
  EXPECT_GT(sync.body["run_id"].get<std::int64_t>(), done.body["result"]["run_id"].get<std::int64_t>());
  // A job of an implausible year fails at once, before anything is queued.
  auto bad = call_json("POST", "/api/v1/support/checks/jobs", "prov", {{"year", 1900}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?kind=support_check", "prov").body["total"], 1);
}

TEST_P(SupportApi, TheReviewHasASupportSectionPerPolicy) {
  ASSERT_EQ(call_json("POST", "/api/v1/programmes", "admin",
                      {{"code", "S"}, {"name_vi", "Hỗ trợ"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                       {"baseline_year", 2020}, {"milestones", {2025}}})
                .status,
            201);
  ASSERT_EQ(call_json("POST", "/api/v1/programmes/S/indicators", "admin",
                      {{"code", "AREA"}, {"name_vi", "Diện tích"}, {"measure_unit", "ha"}, {"kind", "stock"},
                       {"direction", "up"}})
                .status,
            201);
  const std::string review = "/api/v1/programmes/S/review?milestone=2025&as_of=2024-12-31";
  // No policy stored: no section, and the hash of the review as before.
  auto before = call("GET", review, "prov");
  ASSERT_EQ(before.status, 200) << before.body.dump();
  EXPECT_TRUE(before.body["support"].is_null());

  const auto a1 = two_applicants().a1;
  ASSERT_EQ(call_json("POST", "/api/v1/support/checks", "prov", {{"year", 2024}}).status, 201);
  ASSERT_EQ(step("n1o", a1, "verify").status, 200);
  ASSERT_EQ(step("n1o", a1, "appraise").status, 200);
  ASSERT_EQ(step("n1o", a1, "accept", {{"date", "2024-10-01"}}).status, 200);
  ASSERT_EQ(step("prov", a1, "approve", {{"amount", 15000000}}).status, 200);
  ASSERT_EQ(step("admin", a1, "pay", {{"date", "2024-11-01"}, {"amount", 10000000}}).status, 200);
  ASSERT_EQ(call_json("PUT", "/api/v1/support/budget", "prov",
                      {{"policy", "TEA"}, {"year", 2024}, {"funding_source", "provincial_budget"}, {"planned", 50000000}})
                .status,
            200);

  auto r = call("GET", review, "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const json& sp = r.body["support"];
  ASSERT_TRUE(sp.is_object()) << r.body.dump();
  EXPECT_EQ(sp["year"], 2024);
  EXPECT_EQ(sp["illustrative"], true);
  EXPECT_TRUE(sp["check_run"].is_object());
  ASSERT_EQ(sp["policies"].size(), 1u);
  const json& tea = sp["policies"][0];
  EXPECT_EQ(tea["policy"], "TEA");
  EXPECT_EQ(tea["item"], "area");
  EXPECT_EQ(tea["applications"], 2);
  EXPECT_EQ(tea["unchecked"], 0);
  EXPECT_NEAR(tea["payable"].get<double>(), 1.0, 1e-9);  // A-2 pays nothing: not controlled
  EXPECT_EQ(tea["approved"], 15000000);
  EXPECT_EQ(tea["paid"], 10000000);
  EXPECT_EQ(tea["planned"], 50000000);
  EXPECT_EQ(tea["remaining"], 35000000);
  EXPECT_EQ(tea["findings"]["not_controlled"], 1);
  EXPECT_EQ(sp["total"]["applications"], 2);
  EXPECT_NE(r.body["data_hash"], before.body["data_hash"]);  // the section is part of the data
  // A commune's review: its own applications, no budget (the province's).
  const std::string n2_code = call("GET", "/api/v1/units/" + s(id("N2")), "admin").body["code"].get<std::string>();
  auto n2 = call("GET", review + "&unit=" + n2_code, "prov");
  ASSERT_EQ(n2.status, 200) << n2.body.dump();
  EXPECT_EQ(n2.body["support"]["policies"][0]["applications"], 1);
  EXPECT_EQ(n2.body["support"]["policies"][0]["approved"], 0);
  EXPECT_TRUE(n2.body["support"]["policies"][0]["planned"].is_null());
  EXPECT_EQ(n2.body["support"]["policies"][0]["findings"]["not_controlled"], 1);
  // Every document prints it.
  const std::string doc = "/api/v1/programmes/S/review/document?milestone=2025&as_of=2024-12-31";
  auto html = call("GET", doc + "&format=html", "prov");
  ASSERT_EQ(html.status, 200) << html.raw.body.substr(0, 300);
  EXPECT_NE(html.raw.body.find("TÌNH HÌNH THỰC HIỆN CHÍNH SÁCH HỖ TRỢ"), std::string::npos);
  EXPECT_NE(html.raw.body.find("Hỗ trợ trồng mới chè (TEA) — minh họa"), std::string::npos);
  EXPECT_NE(html.raw.body.find("không có quyền sử dụng đất 1"), std::string::npos);
  EXPECT_NE(html.raw.body.find("Đơn vị tiền: triệu đồng"), std::string::npos);
  for (const char* format : {"pdf", "docx", "xlsx"}) {
    auto d = call("GET", doc + "&format=" + format, "prov");
    EXPECT_EQ(d.status, 200) << format << " " << d.raw.body.substr(0, 300);
  }
}

TEST_P(SupportApi, BudgetAndSettings) {
  EXPECT_EQ(call_json("PUT", "/api/v1/support/budget", "prov",
                      {{"policy", "TEA"}, {"year", 2024}, {"funding_source", "provincial_budget"}, {"planned", 500000000}})
                .status,
            200);
  EXPECT_EQ(call_json("PUT", "/api/v1/support/budget", "prov",
                      {{"policy", "TEA"}, {"year", 2024}, {"funding_source", "lottery"}, {"planned", 1}})
                .status,
            400);
  auto b = call("GET", "/api/v1/support/budget?year=2024", "n1o");
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(b.body["total"]["planned"], 500000000);
  EXPECT_EQ(b.body["total"]["remaining"], 500000000);
  EXPECT_EQ(call_json("PATCH", "/api/v1/support/settings", "n1o", {{"tolerance_pct", 5}}).status, 403);
  EXPECT_EQ(call_json("PATCH", "/api/v1/support/settings", "prov", {{"tolerance_pct", 500}}).status, 400);
  auto saved = call_json("PATCH", "/api/v1/support/settings", "prov", {{"tolerance_pct", 5}, {"four_eyes", true}});
  ASSERT_EQ(saved.status, 200);
  EXPECT_EQ(call("GET", "/api/v1/support/settings", "insp").body["tolerance_pct"], 5);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SupportApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, SupportApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
