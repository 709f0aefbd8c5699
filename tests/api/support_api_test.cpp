// Support through the API: policies with checked conditions, applications within
// scope, the life cycle with its permissions and four eyes, payments, a check run
// with scoped findings and traced amounts, budgets, settings.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
json square(double x, double y, double size) {
  return {{"type", "Polygon"},
          {"coordinates", {{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}}}};
}
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
                        {"geometry", square(x, 22.01, 0.001)}});
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
