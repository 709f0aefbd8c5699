// Targets and the mid-term review through the API, on SQLite and PostgreSQL:
// scope, the observation workflow (only approved observations count), checks at
// entry, the review JSON against figures worked out by hand, the 2025 reform,
// drill-down, and the report register with its data hash.
//
// Small province (test_support): P=90 ── D1=901 (C1, C2), D2=902 (C3) until 30/6/2025;
// N1 = C1 + C2, N2 = C3 from 1/7/2025.
#include <cmath>
#include <map>
#include <tuple>

#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
const double kF = 910.0 / 1825.0;  // 2021-01-01 → 2023-06-30 over 2021-01-01 → 2025-12-31
}  // namespace

class TargetsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    auto r = call_json("POST", "/api/v1/programmes", "admin",
                       {{"code", "T"}, {"name_vi", "Chương trình thử"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                        {"baseline_year", 2020}, {"milestones", {2025}}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
    indicator("AREA", "stock", "");
    indicator("NEWP", "flow", "");
    indicator("HARV", "stock", "AREA");
  }
  void indicator(const std::string& code, const std::string& kind, const std::string& not_above) {
    json b = {{"code", code}, {"name_vi", "Chỉ tiêu " + code}, {"measure_unit", "ha"}, {"kind", kind},
              {"direction", "up"}};
    if (!not_above.empty()) b["not_above"] = not_above;
    auto r = call_json("POST", "/api/v1/programmes/T/indicators", "admin", b);
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  Reply enter(const std::string& user, const std::string& ind, const char* unit, int year, double value) {
    return call_json("POST", "/api/v1/programmes/T/observations", user,
                     {{"indicator", ind}, {"unit_id", id(unit)}, {"year", year}, {"value", value}});
  }
  // Entered and submitted by one officer, approved by another (four eyes): an
  // observation that counts.
  std::int64_t approved(const std::string& ind, const char* unit, int year, double value) {
    auto r = enter("admin", ind, unit, year, value);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    std::int64_t oid = r.body.value("id", std::int64_t{0});
    EXPECT_EQ(call("POST", "/api/v1/observations/" + s(oid) + "/submit", "admin").status, 200);
    EXPECT_EQ(call("POST", "/api/v1/observations/" + s(oid) + "/approve", "prov").status, 200);
    return oid;
  }
  std::int64_t submitted(const std::string& user, const std::string& ind, const char* unit, int year, double value,
                         const std::string& note = "") {
    json b = {{"indicator", ind}, {"unit_id", id(unit)}, {"year", year}, {"value", value}};
    if (!note.empty()) b["note"] = note;
    auto r = call_json("POST", "/api/v1/programmes/T/observations", user, b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    std::int64_t oid = r.body.value("id", std::int64_t{0});
    EXPECT_EQ(call("POST", "/api/v1/observations/" + s(oid) + "/submit", user).status, 200);
    return oid;
  }
  void set_submitted_at(std::int64_t oid, const std::string& at) {
    app->db().write([&](storage::Connection& c) {
      c.execute("UPDATE observation SET submitted_at = ? WHERE id = ?", {at, oid});
      return 0;
    });
  }
  void target(const std::string& ind, const char* unit, double value) {
    auto r = call_json("POST", "/api/v1/programmes/T/targets", "admin",
                       {{"indicator", ind}, {"unit_id", id(unit)}, {"year", 2025}, {"value", value}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  static const json& item(const json& review, const std::string& ind) {
    for (const auto& i : review["indicators"])
      if (i["indicator"] == ind) return i;
    static const json none;
    return none;
  }
};

TEST_P(TargetsApi, ScopeAndTheApprovalWorkflow) {
  EXPECT_EQ(call("GET", "/api/v1/programmes").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/programmes", "n1o").status, 200);
  // Officers enter within their scope; the new commune's officer reaches the old communes merged into it.
  EXPECT_EQ(enter("n1o", "AREA", "C3", 2023, 5).status, 403);
  EXPECT_EQ(enter("n1o", "AREA", "N2", 2025, 5).status, 403);
  EXPECT_EQ(enter("n2o", "AREA", "C3", 2023, 5).status, 201);
  EXPECT_EQ(enter("coop", "AREA", "N1", 2025, 5).status, 403);
  EXPECT_EQ(enter("n1o", "AREA", "N1", 2025, -1).status, 400);
  EXPECT_EQ(enter("n1o", "AREA", "N1", 2019, 1).status, 400);  // before the baseline year
  {
    // After the programme's follow-up: the answer names the last year, not the baseline.
    auto late = enter("n1o", "AREA", "N1", 2036, 1);
    ASSERT_EQ(late.status, 400) << late.body.dump();
    const std::string says = late.body["errors"][0]["message"].get<std::string>();
    EXPECT_NE(says.find("2035"), std::string::npos) << says;
    EXPECT_EQ(says.find("2020"), std::string::npos) << says;
  }
  auto r = enter("n1o", "AREA", "N1", 2025, 40);
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["status"], "draft");
  std::string o = "/api/v1/observations/" + s(r.body["id"].get<std::int64_t>());
  EXPECT_EQ(call("GET", o, "n2o").status, 404);  // another commune's: as one that does not exist
  EXPECT_EQ(call_json("PATCH", o, "n1o", {{"value", 42}}).body["value"], 42);
  EXPECT_EQ(call("POST", o + "/approve", "prov").status, 409);  // not submitted yet
  EXPECT_EQ(call("POST", o + "/submit", "n1o").body["status"], "submitted");
  EXPECT_EQ(call("POST", o + "/approve", "n1o").status, 403);  // approval is the province's
  EXPECT_EQ(call_json("POST", o + "/return", "prov", json::object()).status, 400);  // a reason is required
  auto ret = call_json("POST", o + "/return", "prov", {{"reason", "thiếu số liệu xã"}});
  EXPECT_EQ(ret.body["status"], "returned");
  EXPECT_EQ(ret.body["returned_reason"], "thiếu số liệu xã");
  EXPECT_EQ(call("POST", o + "/submit", "n1o").body["status"], "submitted");
  auto ok = call("POST", o + "/approve", "prov");
  EXPECT_EQ(ok.body["status"], "approved");  // what the officer did: approve (it was shown as "locked")
  EXPECT_EQ(ok.body["counts"], true);
  EXPECT_EQ(ok.body["editable"], false);
  EXPECT_EQ(call_json("PATCH", o, "n1o", {{"value", 1}}).status, 409);  // approved: no more edits
  EXPECT_EQ(call_json("POST", o + "/unlock", "prov", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(call_json("POST", o + "/unlock", "admin", {{"reason", "sai đơn vị tính"}}).body["status"], "returned");
  // Lists are limited to the caller's scope.
  auto mine = call("GET", "/api/v1/programmes/T/observations", "n1o");
  EXPECT_EQ(mine.body["total"], 1) << mine.body.dump();
  auto all = call("GET", "/api/v1/programmes/T/observations?status=draft", "prov");
  EXPECT_EQ(all.body["total"], 1) << all.body.dump();
  EXPECT_GE(count("audit_log"), 8);
}

// Four eyes (docs/rules.md §3): the officer who entered or submitted a figure does
// not approve it; another does. A setting, on by default.
TEST_P(TargetsApi, FourEyesOnApproval) {
  std::int64_t own = submitted("prov", "AREA", "C3", 2023, 12);
  auto self = call("POST", "/api/v1/observations/" + s(own) + "/approve", "prov");
  EXPECT_EQ(self.status, 403) << self.body.dump();
  EXPECT_NE(self.body["message"].get<std::string>().find("four eyes"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/observations/" + s(own), "prov").body["status"], "submitted");
  auto other = call("POST", "/api/v1/observations/" + s(own) + "/approve", "admin");
  EXPECT_EQ(other.status, 200) << other.body.dump();
  EXPECT_EQ(other.body["approved_by"], "user:admin");
  // Entered by one and submitted by another: the one who entered it does not approve it either.
  auto draft = enter("prov", "AREA", "C3", 2024, 13);
  std::string d = "/api/v1/observations/" + s(draft.body["id"].get<std::int64_t>());
  ASSERT_EQ(call("POST", d + "/submit", "admin").status, 200);
  EXPECT_EQ(call("POST", d + "/approve", "prov").status, 403);
  EXPECT_EQ(call("POST", d + "/approve", "admin").status, 403);
}

// The approval inbox as the province officer meets it: how much waits, the oldest
// submission first, each item with what the approver needs to decide.
TEST_P(TargetsApi, ApprovalInbox) {
  approved("AREA", "C3", 2022, 10);
  std::int64_t area = submitted("n2o", "AREA", "C3", 2023, 14, "số liệu điều tra tháng 12");
  std::int64_t newp = submitted("n2o", "NEWP", "C3", 2023, 3);
  std::int64_t n1 = submitted("n1o", "AREA", "N1", 2025, 40);
  std::int64_t mine = submitted("prov", "AREA", "C1", 2023, 7);
  enter("n1o", "NEWP", "N1", 2025, 2);  // a draft: not waiting
  set_submitted_at(area, "2026-11-20T08:00:00Z");
  set_submitted_at(newp, "2026-11-02T08:00:00Z");
  set_submitted_at(n1, "2026-11-10T08:00:00Z");
  set_submitted_at(mine, "2026-11-30T08:00:00Z");
  auto r = call("GET", "/api/v1/programmes/T/approvals", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["waiting"]["total"], 4);
  EXPECT_EQ(r.body["waiting"]["by_unit"][0]["unit"]["code"], "09003");  // C3: 2 waiting, listed first
  EXPECT_EQ(r.body["waiting"]["by_unit"][0]["count"], 2);
  EXPECT_EQ(r.body["waiting"]["by_indicator"][0]["indicator"], "AREA");
  EXPECT_EQ(r.body["waiting"]["by_indicator"][0]["count"], 3);
  EXPECT_EQ(r.body["waiting"]["by_indicator"][1]["indicator"], "NEWP");
  EXPECT_EQ(r.body["total"], 4);
  const json& items = r.body["items"];
  ASSERT_EQ(items.size(), 4u);
  // Oldest submission first, whatever the indicator.
  EXPECT_EQ(items[0]["id"], newp);
  EXPECT_EQ(items[1]["id"], n1);
  EXPECT_EQ(items[2]["id"], area);
  EXPECT_EQ(items[3]["id"], mine);
  // What the approver needs: the previous approved value, the note, who and when.
  EXPECT_EQ(items[2]["previous"]["year"], 2022);
  EXPECT_DOUBLE_EQ(items[2]["previous"]["value"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(items[2]["change"].get<double>(), 4);
  EXPECT_EQ(items[2]["note"], "số liệu điều tra tháng 12");
  EXPECT_EQ(items[2]["submitted_by"], "user:n2o");
  EXPECT_EQ(items[2]["submitted_at"], "2026-11-20T08:00:00Z");
  EXPECT_EQ(items[2]["indicator_name_vi"], "Chỉ tiêu AREA");
  EXPECT_TRUE(items[0]["previous"].is_null());
  EXPECT_EQ(items[2]["can_approve"], true);
  EXPECT_EQ(items[3]["can_approve"], false);  // prov submitted it: four eyes
  EXPECT_EQ(items[3]["cannot_approve_reason"], "four_eyes");
  // Narrowed to a unit or an indicator; the counts stay whole.
  auto c3 = call("GET", "/api/v1/programmes/T/approvals?unit_id=" + s(id("C3")) + "&page_size=1", "prov");
  ASSERT_EQ(c3.status, 200) << c3.body.dump();
  EXPECT_EQ(c3.body["total"], 2);
  EXPECT_EQ(c3.body["items"].size(), 1u);
  EXPECT_EQ(c3.body["items"][0]["id"], newp);
  EXPECT_EQ(c3.body["waiting"]["total"], 4);
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/approvals?indicator=NEWP", "prov").body["total"], 1);
  // Approval is the province's: commune officers have no inbox.
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/approvals", "n1o").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/approvals").status, 401);
  // Once approved, an item leaves the inbox.
  ASSERT_EQ(call("POST", "/api/v1/observations/" + s(newp) + "/approve", "prov").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/approvals", "prov").body["waiting"]["total"], 3);
  // The statuses are the life cycle's: approved, never "locked".
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/observations?status=locked", "prov").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/observations?status=approved", "prov").body["total"], 2);
}

// Entering a figure that exists answers 409 with the existing record, so the UI can
// open it instead of showing an error.
TEST_P(TargetsApi, DuplicateEntryGivesTheExistingRecord) {
  auto first = enter("n1o", "AREA", "N1", 2025, 40);
  ASSERT_EQ(first.status, 201);
  auto again = enter("n1o", "AREA", "N1", 2025, 41);
  EXPECT_EQ(again.status, 409) << again.body.dump();
  EXPECT_EQ(again.body["code"], "conflict");
  EXPECT_EQ(again.body["existing"]["id"], first.body["id"]);
  EXPECT_EQ(again.body["existing"]["status"], "draft");
  EXPECT_DOUBLE_EQ(again.body["existing"]["value"].get<double>(), 40);
  EXPECT_NE(again.body["message"].get<std::string>().find("already exists (#" + s(first.body["id"].get<std::int64_t>())),
            std::string::npos);
  EXPECT_EQ(count("observation"), 1);
}

// Bad values through the API: an indicator's bound must exist; years outside the
// plausible years are refused.
TEST_P(TargetsApi, ImplausibleYearsAndUnknownBoundsAreRefused) {
  auto bound = call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                         {{"code", "X"}, {"name_vi", "X"}, {"kind", "stock"}, {"direction", "up"}, {"not_above", "NOPE"}});
  EXPECT_EQ(bound.status, 400);
  EXPECT_EQ(bound.body["errors"][0]["field"], "not_above");
  auto old = call_json("POST", "/api/v1/programmes", "admin",
                       {{"code", "OLD"}, {"name_vi", "Cũ"}, {"start", "0001-01-01"}, {"end", "2025-12-31"},
                        {"baseline_year", 2020}});
  EXPECT_EQ(old.status, 400) << old.body.dump();
  EXPECT_EQ(old.body["errors"][0]["field"], "start");
  EXPECT_EQ(enter("prov", "AREA", "C3", 2101, 1).status, 400);
}

TEST_P(TargetsApi, ReviewFiguresAcrossTheHierarchyAndTheReform) {
  approved("AREA", "C1", 2020, 30);
  approved("AREA", "C2", 2020, 20);
  approved("AREA", "C3", 2020, 10);
  approved("AREA", "D1", 2022, 50);
  approved("AREA", "D2", 2022, 30);
  approved("NEWP", "C1", 2021, 5);
  approved("NEWP", "C3", 2022, 7);
  ASSERT_EQ(enter("prov", "AREA", "P", 2023, 999).status, 201);  // a draft: does not count
  target("AREA", "P", 100);
  target("NEWP", "D1", 20);
  target("NEWP", "D2", 10);
  auto r = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["unit"]["code"], "90");
  EXPECT_NEAR(r.body["elapsed_fraction"].get<double>(), kF, 1e-12);
  const json& area = item(r.body, "AREA");
  EXPECT_DOUBLE_EQ(area["baseline"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(area["actual"].get<double>(), 80);
  EXPECT_EQ(area["actual_year"], 2022);
  EXPECT_DOUBLE_EQ(area["achievement_pct"].get<double>(), 80);
  EXPECT_NEAR(area["forecast"].get<double>(), 60 + 20 / kF, 1e-9);
  EXPECT_EQ(area["band"], "over_half");
  EXPECT_EQ(area["forecast_reached"], true);  // 60 + 20/f = 100.1
  const json& newp = item(r.body, "NEWP");
  EXPECT_DOUBLE_EQ(newp["target"].get<double>(), 30);  // the districts' targets summed
  EXPECT_DOUBLE_EQ(newp["actual"].get<double>(), 12);
  EXPECT_DOUBLE_EQ(newp["achievement_pct"].get<double>(), 40);
  EXPECT_EQ(newp["band"], "low");
  EXPECT_TRUE(item(r.body, "HARV")["band"].is_null());
  EXPECT_EQ(item(r.body, "HARV")["status"], "no_target");  // no target, no data: "no target" first
  EXPECT_EQ(r.body["counts"]["total"], 3);
  EXPECT_EQ(r.body["counts"]["over_half"], 1);
  EXPECT_EQ(r.body["counts"]["low"], 1);
  EXPECT_EQ(r.body["counts"]["no_target"], 1);
  EXPECT_EQ(r.body["counts"]["no_data"], 0);
  EXPECT_EQ(r.body["counts"]["passed_half"], 1);
  EXPECT_EQ(r.body["counts"]["forecast_missed"], 1);  // NEWP: 12/f = 24.1 < 30
  EXPECT_EQ(r.body["units"].size(), 2u);  // D1 and D2 on 30/6/2023
  std::string first = r.body["narrative"]["paragraphs"][0];
  EXPECT_NE(first.find("Đến ngày 30/06/2023"), std::string::npos) << first;
  EXPECT_NE(first.find("1/3 chỉ tiêu đạt trên 50 %"), std::string::npos) << first;
  EXPECT_EQ(r.body["data_hash"].get<std::string>().size(), 64u);
  // Unchanged data, the same hash.
  auto again = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30", "prov");
  EXPECT_EQ(again.body["data_hash"], r.body["data_hash"]);

  // The new commune N1 (from 1/7/2025) reaches its history through C1 + C2, or D1's own figure.
  auto n1 = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "n1o");
  ASSERT_EQ(n1.status, 200) << n1.body.dump();
  EXPECT_EQ(n1.body["unit"]["code"], "09001");
  EXPECT_DOUBLE_EQ(item(n1.body, "AREA")["baseline"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(item(n1.body, "AREA")["actual"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(item(n1.body, "NEWP")["actual"].get<double>(), 5);
  // The province at the end of 2025: districts' years until 2024, new communes in 2025.
  approved("NEWP", "N1", 2025, 10);
  approved("NEWP", "N2", 2025, 8);
  // Targets are read on the review date: on 31/12/2025 the province's children are the new communes.
  auto no_target = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  EXPECT_TRUE(item(no_target.body, "NEWP")["target"].is_null());
  target("NEWP", "N1", 20);
  target("NEWP", "N2", 10);
  auto end = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  EXPECT_DOUBLE_EQ(item(end.body, "NEWP")["actual"].get<double>(), 30);
  EXPECT_EQ(item(end.body, "NEWP")["band"], "achieved");
  EXPECT_EQ(end.body["units"].size(), 2u);  // N1 and N2 on 31/12/2025
  // Scope: a commune officer cannot review another unit.
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/review?as_of=2023-06-30&unit=902", "n1o").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/review?milestone=2031", "prov").status, 400);
}

// A programme whose figures are illustrative says so wherever it is read (the UI
// shows "minh họa"): its own record may be real (Resolution 05-NQ/TU) while its
// indicators' figures are not.
TEST_P(TargetsApi, IllustrativeFiguresAreMarkedThroughTheApi) {
  EXPECT_EQ(call("GET", "/api/v1/programmes/T", "prov").body["illustrative"], false);
  ASSERT_EQ(call_json("PATCH", "/api/v1/programmes/T/indicators/AREA", "admin", {{"illustrative", true}}).status, 200);
  auto p = call("GET", "/api/v1/programmes/T", "prov");
  EXPECT_EQ(p.body["illustrative"], true);
  EXPECT_EQ(p.body["illustrative_indicators"], 1);
  auto list = call("GET", "/api/v1/programmes", "prov");
  EXPECT_EQ(list.body[0]["illustrative"], true);
  auto r = call("GET", "/api/v1/programmes/T/review?as_of=2023-06-30", "prov");
  EXPECT_EQ(r.body["illustrative"], true);
  EXPECT_EQ(r.body["programme"]["illustrative"], true);
}

// The narrative and the assessments are Vietnamese first, English when asked.
TEST_P(TargetsApi, ReviewInEnglishWhenAsked) {
  approved("AREA", "C1", 2020, 40);
  approved("AREA", "D1", 2022, 60);  // 60 %, forecast 40 + 20/f = 80 %
  target("AREA", "P", 100);
  auto vi = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30", "prov");
  EXPECT_EQ(vi.body["lang"], "vi");
  EXPECT_EQ(item(vi.body, "AREA")["assessment"], "Trên 50%; dự báo khó đạt");
  EXPECT_EQ(item(vi.body, "NEWP")["assessment"], "Chưa giao mục tiêu");
  auto en = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30&lang=en", "prov");
  ASSERT_EQ(en.status, 200) << en.body.dump();
  EXPECT_EQ(en.body["lang"], "en");
  EXPECT_EQ(item(en.body, "AREA")["assessment"], "Above 50 %; unlikely to be met");
  EXPECT_EQ(item(en.body, "NEWP")["assessment"], "No target");
  std::string first = en.body["narrative"]["paragraphs"][0];
  EXPECT_EQ(first.rfind("As of 30/06/2023, Tỉnh Thử Nghiệm has 1 of 3 indicators above 50 %", 0), 0u) << first;
  EXPECT_EQ(en.body["data_hash"], vi.body["data_hash"]);  // the same data
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/review?lang=fr", "prov").status, 400);
}

TEST_P(TargetsApi, RevisionsDrillDownChecksAndTheRegister) {
  approved("AREA", "D1", 2022, 50);
  approved("AREA", "D2", 2022, 30);
  target("AREA", "P", 100);
  auto rev = call_json("POST", "/api/v1/programmes/T/targets", "admin",
                       {{"indicator", "AREA"}, {"unit_id", id("P")}, {"year", 2025}, {"value", 80},
                        {"decision", "Nghị quyết 15/NQ-HĐND"}, {"effective_date", "2023-01-01"}});
  ASSERT_EQ(rev.status, 201) << rev.body.dump();
  EXPECT_EQ(rev.body["revisions"].size(), 2u);
  EXPECT_EQ(call_json("POST", "/api/v1/programmes/T/targets", "n1o",
                      {{"indicator", "AREA"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 1}})
                .status,
            403);
  auto before = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2022-12-31", "prov");
  EXPECT_DOUBLE_EQ(item(before.body, "AREA")["target"].get<double>(), 100);
  EXPECT_TRUE(item(before.body, "AREA")["target_decision"].is_null());
  auto after = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30", "prov");
  const json& a = item(after.body, "AREA");
  EXPECT_DOUBLE_EQ(a["target"].get<double>(), 80);
  EXPECT_DOUBLE_EQ(a["target_original"].get<double>(), 100);
  EXPECT_EQ(a["target_decision"], "Nghị quyết 15/NQ-HĐND");
  EXPECT_EQ(a["target_effective"], "2023-01-01");
  EXPECT_EQ(a["band"], "achieved");

  // Drill-down: the province's 2022 value is D1's and D2's observations.
  auto rec = call("GET", "/api/v1/programmes/T/indicators/AREA/records?unit=90&year=2022&as_of=2023-06-30", "prov");
  ASSERT_EQ(rec.status, 200) << rec.body.dump();
  EXPECT_DOUBLE_EQ(rec.body["value"].get<double>(), 80);
  ASSERT_EQ(rec.body["records"].size(), 2u);
  EXPECT_EQ(rec.body["records"][0]["kind"], "observation");
  // Choropleth and trend.
  auto map = call("GET", "/api/v1/programmes/T/indicators/AREA/map?as_of=2023-06-30&level=district", "prov");
  ASSERT_EQ(map.status, 200) << map.body.dump();
  EXPECT_EQ(map.body["items"].size(), 2u);
  auto trend = call("GET", "/api/v1/programmes/T/indicators/AREA/trend?as_of=2023-06-30", "prov");
  ASSERT_EQ(trend.status, 200) << trend.body.dump();
  EXPECT_EQ(trend.body["values"].size(), 1u);
  EXPECT_EQ(trend.body["target_line"].size(), 6u);  // 2020 .. 2025

  // Checks at entry: above the bound, and a robust outlier over the unit's history.
  auto harv = enter("prov", "HARV", "D1", 2022, 60);
  ASSERT_EQ(harv.status, 201) << harv.body.dump();
  ASSERT_EQ(harv.body["flags"].size(), 1u) << harv.body.dump();
  EXPECT_EQ(harv.body["flags"][0]["code"], "exceeds");
  for (int y = 2020; y <= 2023; ++y) ASSERT_EQ(enter("prov", "AREA", "C3", y, 10 + (y - 2020)).status, 201);
  auto out = enter("prov", "AREA", "C3", 2024, 100);
  ASSERT_EQ(out.body["flags"].size(), 1u) << out.body.dump();
  EXPECT_EQ(out.body["flags"][0]["code"], "outlier");
  auto flags = call("GET", "/api/v1/programmes/T/observations/flags", "prov");
  ASSERT_EQ(flags.status, 200);
  EXPECT_EQ(flags.body["flagged"], 2) << flags.body.dump();

  // The register: issue, then verify on unchanged and on changed data.
  auto issued = call_json("POST", "/api/v1/programmes/T/reports", "prov", {{"milestone", 2025}, {"as_of", "2023-06-30"}});
  ASSERT_EQ(issued.status, 201) << issued.body.dump();
  std::string rid = s(issued.body["issue"]["id"].get<std::int64_t>());
  EXPECT_EQ(issued.body["issue"]["data_hash"], issued.body["review"]["data_hash"]);
  EXPECT_EQ(call("GET", "/api/v1/reports", "prov").body.size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/reports", "n1o").body.size(), 0u);  // a province report: outside a commune's scope
  EXPECT_EQ(call("GET", "/api/v1/reports/" + rid, "n1o").status, 404);  // as one that does not exist
  EXPECT_EQ(call("GET", "/api/v1/reports/" + rid, "insp").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/reports/" + rid + "/verify", "prov").body["data_changed"], false);
  approved("AREA", "D2", 2023, 35);
  EXPECT_EQ(call("GET", "/api/v1/reports/" + rid + "/verify", "prov").body["data_changed"], true);
  EXPECT_EQ(call("GET", "/api/v1/reports/" + rid).status, 401);

  // The review as a document to download: the bytes of the format, an attachment
  // name, and an entry in the register carrying the layout profile.
  const std::string doc = "/api/v1/programmes/T/review/document?milestone=2025&as_of=2023-06-30";
  auto pdf = call("GET", doc + "&format=pdf", "prov");
  ASSERT_EQ(pdf.status, 200) << pdf.raw.body.substr(0, 300);
  EXPECT_EQ(pdf.raw.body.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(pdf.raw.content_type, "application/pdf");
  EXPECT_NE(pdf.header("Content-Disposition").find("attachment; filename=\"bao-cao-T-2025-20230630-"), std::string::npos)
      << pdf.header("Content-Disposition");
  const std::string pdf_id = pdf.header("X-Report-Id");
  ASSERT_FALSE(pdf_id.empty());
  auto entry = call("GET", "/api/v1/reports/" + pdf_id, "prov");
  ASSERT_EQ(entry.status, 200);
  EXPECT_EQ(entry.body["format"], "pdf");
  EXPECT_EQ(entry.body["parameters"]["profile"], "state");
  EXPECT_EQ(entry.body["data_hash"], pdf.header("X-Data-Hash"));
  auto docx = call("GET", doc + "&format=docx&profile=party", "prov");
  ASSERT_EQ(docx.status, 200);
  EXPECT_EQ(docx.raw.body.rfind("PK", 0), 0u);  // a zip (OOXML)
  EXPECT_EQ(call("GET", "/api/v1/reports/" + docx.header("X-Report-Id"), "prov").body["parameters"]["profile"], "party");
  auto xlsx = call("GET", doc + "&format=xlsx", "prov");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.body.rfind("PK", 0), 0u);
  EXPECT_EQ(call("GET", doc + "&format=pdf&profile=royal", "prov").status, 400);
  EXPECT_EQ(call("GET", doc + "&format=odt", "prov").status, 400);
  EXPECT_EQ(call("GET", doc + "&format=pdf").status, 401);
  EXPECT_EQ(call("GET", doc + "&format=pdf&unit=09001", "n2o").status, 403);  // another commune's review
}

TEST_P(TargetsApi, ComputedIndicatorsDrillDownToRegistryRecords) {
  auto ind = [&](const std::string& code, const json& computed, const std::string& source) {
    auto r = call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                       {{"code", code}, {"name_vi", "Chỉ tiêu " + code}, {"measure_unit", "ha"}, {"kind", "stock"},
                        {"direction", "up"}, {"source", source}, {"computed", computed}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  };
  ind("TEA", {{"measure", "planted_area"}, {"crop", "tea"}}, "computed");
  ind("ZONE", {{"measure", "zone_area"}, {"commodity", "tea"}}, "computed");
  ind("CONV", {{"measure", "converted_from_rice"}}, "computed");
  ind("LINKED", {{"measure", "linked_producers"}}, "computed");
  ind("TEA_REP", {{"measure", "planted_area"}, {"crop", "tea"}}, "reported");
  EXPECT_EQ(call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                      {{"code", "BAD"}, {"name_vi", "x"}, {"kind", "stock"}, {"direction", "up"},
                       {"computed", {{"measure", "rainfall"}}}})
                .status,
            400);
  auto square = [](double x, double y, double size) {
    return json{{"type", "Polygon"},
                {"coordinates", {{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}}}};
  };
  ASSERT_EQ(call_json("POST", "/api/v1/zones", "prov",
                      {{"code", "VSX-1"}, {"name", "Vùng chè"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                       {"geometry", square(103.0, 22.0, 0.01)}})
                .status,
            201);
  std::vector<std::int64_t> parcels;
  int n = 0;
  for (auto [x, y] : {std::pair{103.001, 22.001}, {103.003, 22.001}, {103.005, 22.001}, {103.05, 22.05}}) {
    auto p = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", "P" + std::to_string(++n)}, {"commune_id", id("N1")}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-07-01"}, {"geometry", square(x, y, 0.001)}});
    ASSERT_EQ(p.status, 201) << p.body.dump();
    parcels.push_back(p.body["id"].get<std::int64_t>());
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcels.back()) + "/plantings", "prov",
                        {{"crop", "tea"}, {"perennial", true}, {"start_date", "2025-08-01"}, {"planted_area_m2", 10000}})
                  .status,
              201);
  }
  ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcels[0]) + "/conversions", "prov",
                      {{"from_use", "inefficient_rice"}, {"to_crop", "tea"}, {"date", "2025-08-01"}, {"area_m2", 9000}})
                .status,
            201);
  auto producer = [&](const std::string& kind, const std::string& name) {
    json b = {{"kind", kind}, {"name", name}, {"unit_id", id("N1")}};
    if (kind != "household") b["tax_code"] = "6200000001";
    auto r = call_json("POST", "/api/v1/producers", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["id"].get<std::int64_t>();
  };
  auto owner = producer("household", "Lò Văn A"), firm = producer("enterprise", "Công ty chè");
  ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcels[1]) + "/rights", "prov",
                      {{"producer_id", owner}, {"kind", "owner"}, {"valid_from", "2025-07-01"}})
                .status,
            201);
  ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcels[1]) + "/rights", "prov",
                      {{"producer_id", firm}, {"kind", "contributed"}, {"valid_from", "2025-09-01"}})
                .status,
            201);
  target("TEA", "P", 8);
  approved("TEA_REP", "N1", 2025, 10);  // the registry says 4 ha

  auto r = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_NEAR(item(r.body, "TEA")["actual"].get<double>(), 4.0, 1e-9);
  EXPECT_EQ(item(r.body, "TEA")["source"], "computed");
  EXPECT_NEAR(item(r.body, "TEA")["achievement_pct"].get<double>(), 50.0, 1e-9);
  EXPECT_NEAR(item(r.body, "ZONE")["actual"].get<double>(), 3.0, 1e-6);  // the fourth parcel lies outside the zone
  EXPECT_NEAR(item(r.body, "CONV")["actual"].get<double>(), 0.9, 1e-9);
  EXPECT_DOUBLE_EQ(item(r.body, "LINKED")["actual"].get<double>(), 1);  // the owner whose land was contributed
  EXPECT_EQ(item(r.body, "TEA_REP")["flags"], json::array({"reported_differs_from_computed"}));
  EXPECT_EQ(item(r.body, "TEA")["flags"], json::array());
  // Before the plantings, nothing.
  auto early = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-07-15", "prov");
  EXPECT_TRUE(item(early.body, "TEA")["actual"].is_null());
  // Drill-down to the plantings, with links to their parcels.
  auto rec = call("GET", "/api/v1/programmes/T/indicators/TEA/records?unit=90&year=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(rec.status, 200) << rec.body.dump();
  ASSERT_EQ(rec.body["records"].size(), 4u);
  EXPECT_EQ(rec.body["records"][0]["kind"], "planting");
  EXPECT_EQ(rec.body["records"][0]["link"], "/api/v1/parcels/" + s(parcels[0]));
  // History across the reform: a parcel filed under the new commune N1 (= C1 + C2) counts,
  // before 1 Jul 2025, for C1 and C2 by their areas, and so for D1 and the province.
  auto old = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", "OLD"}, {"commune_id", id("N1")}, {"land_use_code", "CLN"},
                        {"valid_from", "2021-01-01"}, {"geometry", square(103.07, 22.07, 0.002)}});
  ASSERT_EQ(old.status, 201) << old.body.dump();
  ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(old.body["id"].get<std::int64_t>()) + "/plantings", "prov",
                      {{"crop", "tea"}, {"perennial", true}, {"start_date", "2022-03-01"}, {"planted_area_m2", 20000}})
                .status,
            201);
  auto mid = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30", "prov");
  EXPECT_NEAR(item(mid.body, "TEA")["actual"].get<double>(), 2.0, 1e-9);
  auto d1 = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30&unit=901", "prov");
  EXPECT_NEAR(item(d1.body, "TEA")["actual"].get<double>(), 2.0, 1e-9);
  auto c1 = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-06-30&unit=09001", "prov");
  EXPECT_EQ(c1.body["unit"]["name"], "Xã Một");
  EXPECT_NEAR(item(c1.body, "TEA")["actual"].get<double>(), 1.0, 0.01);  // C1 and C2 have about the same area
  auto c1rec = call("GET", "/api/v1/programmes/T/indicators/TEA/records?unit=09001&year=2023&as_of=2023-06-30", "prov");
  ASSERT_EQ(c1rec.body["records"].size(), 1u) << c1rec.body.dump();
  EXPECT_NEAR(c1rec.body["records"][0]["share"].get<double>(), 0.5, 0.01);
  auto end2 = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  EXPECT_NEAR(item(end2.body, "TEA")["actual"].get<double>(), 6.0, 1e-9);
  // Entry of a reported value far from the registry is flagged at once.
  auto e = enter("prov", "TEA_REP", "N2", 2025, 3);
  ASSERT_EQ(e.status, 201) << e.body.dump();
  EXPECT_EQ(e.body["flags"].size(), 0u) << e.body.dump();  // N2 has no registry records: nothing to compare
}

// Computed values year by year, each on its own reference date, against figures worked
// out by hand: the registry is read once for all the years of a review, so a planting
// that ended, a parcel that meets two zones (the part inside each adds up), one less
// than half inside and a zone far away must come out as the per-date reading says.
TEST_P(TargetsApi, ComputedValuesYearByYearFromOneReadingOfTheRegistry) {
  auto ind = [&](const std::string& code, const std::string& kind, const json& computed) {
    auto r = call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                       {{"code", code}, {"name_vi", "Chỉ tiêu " + code}, {"measure_unit", "ha"}, {"kind", kind},
                        {"direction", "up"}, {"source", "computed"}, {"computed", computed}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  };
  ind("TEA", "stock", {{"measure", "planted_area"}, {"crop", "tea"}});
  ind("ZONE", "stock", {{"measure", "zone_area"}, {"commodity", "tea"}});
  ind("CONVF", "flow", {{"measure", "converted_from_rice"}});
  ind("CONVS", "stock", {{"measure", "converted_from_rice"}});
  auto square = [](double x, double y, double w, double h) {
    return json{{"type", "Polygon"}, {"coordinates", {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}}}};
  };
  int z = 0;
  for (double x : {103.10, 103.11, 103.19}) {  // two zones side by side, one far away
    auto r = call_json("POST", "/api/v1/zones", "prov",
                       {{"code", "VSX-" + std::to_string(++z)}, {"name", "Vùng chè"}, {"commodity", "tea"},
                        {"unit_id", id("C3")}, {"geometry", square(x, x == 103.19 ? 22.09 : 22.0, 0.01, 0.01)}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  // A: half in each of the two zones; B: 40 % inside; C: 60 % inside, planted 2022, ended 2024.
  struct Lot {
    double x, y;
    const char* start;
    const char* end;
  };
  std::vector<std::int64_t> parcels;
  int n = 0;
  for (const Lot& l : {Lot{103.1095, 22.001, "2021-03-01", nullptr}, Lot{103.1196, 22.001, "2021-03-01", nullptr},
                       Lot{103.1194, 22.003, "2022-05-01", "2024-02-01"}}) {
    auto p = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", "Y" + std::to_string(++n)}, {"commune_id", id("C3")}, {"land_use_code", "CLN"},
                        {"valid_from", "2021-01-01"}, {"geometry", square(l.x, l.y, 0.001, 0.001)}});
    ASSERT_EQ(p.status, 201) << p.body.dump();
    parcels.push_back(p.body["id"].get<std::int64_t>());
    json b = {{"crop", "tea"}, {"perennial", true}, {"start_date", l.start}, {"planted_area_m2", 10000}};
    if (l.end) b["end_date"] = l.end;
    auto pl = call_json("POST", "/api/v1/parcels/" + s(parcels.back()) + "/plantings", "prov", b);
    ASSERT_EQ(pl.status, 201) << pl.body.dump();
  }
  for (auto [from, date, m2] : {std::tuple{"rice", "2022-04-01", 4000}, {"inefficient_rice", "2023-08-01", 3000},
                                {"idle", "2023-09-01", 5000}}) {
    auto r = call_json("POST", "/api/v1/parcels/" + s(parcels[0]) + "/conversions", "prov",
                       {{"from_use", from}, {"to_crop", "tea"}, {"date", date}, {"area_m2", m2}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  auto r = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  auto trend = [&](const std::string& code) {
    std::map<int, double> out;
    for (const auto& t : item(r.body, code)["trend"]) out[t["year"].get<int>()] = t["value"].get<double>();
    return out;
  };
  auto expect = [&](const std::string& code, const std::map<int, double>& want, double tolerance) {
    auto got = trend(code);
    ASSERT_EQ(got.size(), want.size()) << code << ": " << item(r.body, code)["trend"].dump();
    for (const auto& [y, v] : want) EXPECT_NEAR(got[y], v, tolerance) << code << " " << y;
  };
  expect("TEA", {{2021, 2}, {2022, 3}, {2023, 3}, {2024, 2}, {2025, 2}}, 1e-9);
  // The part inside counts (projected areas: within a hundredth of a hectare).
  expect("ZONE", {{2021, 1}, {2022, 1.6}, {2023, 1.6}, {2024, 1}, {2025, 1}}, 0.01);
  expect("CONVF", {{2022, 0.4}, {2023, 0.3}}, 1e-9);
  expect("CONVS", {{2022, 0.4}, {2023, 0.7}, {2024, 0.7}, {2025, 0.7}}, 1e-9);
  EXPECT_NEAR(item(r.body, "CONVF")["actual"].get<double>(), 0.7, 1e-9);
  // The same figures for the district the parcels were filed under (through C3) before the reform.
  auto d2 = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2023-12-31&unit=902", "prov");
  ASSERT_EQ(d2.status, 200) << d2.body.dump();
  EXPECT_NEAR(item(d2.body, "ZONE")["actual"].get<double>(), 1.6, 0.01);
  EXPECT_NEAR(item(d2.body, "TEA")["actual"].get<double>(), 3, 1e-9);
}

// The review reads the registry for all its computed indicators at once (on PostgreSQL:
// on two connections in one snapshot, and only the parcels whose box meets a zone's
// box send their geometry); the drill-down reads it date by date, parcel by parcel.
// Both must give the figures worked out by hand: a parcel inside the box of a
// triangular zone but outside the zone counts for nothing, one 80 % inside counts for
// 80 %, one 20 % inside is left out, and two crops, conversions, a lease and
// memberships are read together.
TEST_P(TargetsApi, ComputedFiguresReadAtOnceEqualTheDrillDown) {
  auto ind = [&](const std::string& code, const json& computed) {
    auto r = call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                       {{"code", code}, {"name_vi", "Chỉ tiêu " + code}, {"measure_unit", "ha"}, {"kind", "stock"},
                        {"direction", "up"}, {"source", "computed"}, {"computed", computed}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  };
  ind("TEA", {{"measure", "planted_area"}, {"crop", "tea"}});
  ind("TEAZ", {{"measure", "zone_area"}, {"commodity", "tea"}});
  ind("MAC", {{"measure", "planted_area"}, {"crop", "macadamia"}});
  ind("MACZ", {{"measure", "zone_area"}, {"commodity", "macadamia"}});
  ind("CONV", {{"measure", "converted_from_rice"}});
  ind("LINKED", {{"measure", "linked_producers"}});
  auto polygon = [](std::vector<std::pair<double, double>> ring) {
    json r = json::array();
    for (auto [x, y] : ring) r.push_back({x, y});
    return json{{"type", "Polygon"}, {"coordinates", {r}}};
  };
  auto square = [&](double x, double y, double size) {
    return polygon({{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}});
  };
  // Tea: the lower left half of a square; macadamia: a square beside it.
  ASSERT_EQ(call_json("POST", "/api/v1/zones", "prov",
                      {{"code", "VSX-T"}, {"name", "Vùng chè"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                       {"geometry", polygon({{103.0, 22.0}, {103.01, 22.0}, {103.0, 22.01}, {103.0, 22.0}})}})
                .status,
            201);
  ASSERT_EQ(call_json("POST", "/api/v1/zones", "prov",
                      {{"code", "VSX-M"}, {"name", "Vùng mắc ca"}, {"commodity", "macadamia"}, {"unit_id", id("N1")},
                       {"geometry", square(103.02, 22.0, 0.01)}})
                .status,
            201);
  std::map<std::string, std::int64_t> parcel;
  for (auto [name, x, y, crop] : {std::tuple{"T-IN", 103.001, 22.001, "tea"}, {"T-BOX", 103.008, 22.008, "tea"},
                                  {"T-FAR", 103.05, 22.05, "tea"}, {"M-IN", 103.021, 22.001, "macadamia"},
                                  {"M-80", 103.0292, 22.001, "macadamia"}, {"M-20", 103.0298, 22.003, "macadamia"}}) {
    auto p = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", name}, {"commune_id", id("N1")}, {"land_use_code", "CLN"},
                        {"valid_from", "2025-07-01"}, {"geometry", square(x, y, 0.001)}});
    ASSERT_EQ(p.status, 201) << p.body.dump();
    parcel[name] = p.body["id"].get<std::int64_t>();
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcel[name]) + "/plantings", "prov",
                        {{"crop", crop}, {"perennial", true}, {"start_date", "2025-08-01"}, {"planted_area_m2", 10000}})
                  .status,
              201);
  }
  ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcel["T-IN"]) + "/conversions", "prov",
                      {{"from_use", "rice"}, {"to_crop", "tea"}, {"date", "2025-08-01"}, {"area_m2", 5000}})
                .status,
            201);
  auto household = [&](const std::string& name) {
    auto r = call_json("POST", "/api/v1/producers", "prov", {{"kind", "household"}, {"name", name}, {"unit_id", id("N1")}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["id"].get<std::int64_t>();
  };
  auto owner = household("Lò Văn A"), lessee = household("Tao Thị B");
  for (auto [who, kind] : {std::pair{owner, "owner"}, {lessee, "lessee"}})
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcel["M-IN"]) + "/rights", "prov",
                        {{"producer_id", who}, {"kind", kind}, {"valid_from", "2025-09-01"}})
                  .status,
              201);
  // Land an owner contributes under his own name links nobody (the lessee must be
  // another producer); on PostgreSQL the leases are read from the lease side
  // (RegistryReads::each_owner_lease), on SQLite through the join: the same rule.
  auto self = household("Vàng Văn C");
  for (auto kind : {"owner", "contributed"})
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(parcel["T-IN"]) + "/rights", "prov",
                        {{"producer_id", self}, {"kind", kind}, {"valid_from", "2025-09-01"}})
                  .status,
              201);
  // Memberships, read apart from the leases when the registry is read at once and
  // joined by producer: the owner of the leased parcel, also a member, counts once;
  // a member whose membership ended before the date counts for nothing.
  auto coop =
      call_json("POST", "/api/v1/producers", "prov",
                {{"kind", "cooperative"}, {"name", "HTX chè"}, {"unit_id", id("N1")}, {"tax_code", "6200000002"}});
  ASSERT_EQ(coop.status, 201) << coop.body.dump();
  const auto member = household("Lò Thị D"), former = household("Lò Văn E");
  app->db().write([&](storage::Connection& c) {
    for (auto [who, to] : {std::pair<std::int64_t, storage::Value>{owner, storage::Value{}},
                           {member, storage::Value{}},
                           {former, storage::Value{std::string("2025-11-30")}}})
      c.execute(
          "INSERT INTO producer_membership (member_id, organisation_id, valid_from, valid_to) VALUES (?, ?, ?, ?)",
          {who, coop.body["id"].get<std::int64_t>(), std::string("2025-10-01"), to});
  });

  auto r = call("GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const std::map<std::string, std::pair<double, double>> want = {
      {"TEA", {3.0, 1e-9}},  {"TEAZ", {1.0, 0.01}},  // T-BOX meets the zone's box only
      {"MAC", {3.0, 1e-9}},  {"MACZ", {1.8, 0.01}},  // M-IN whole, M-80 at 80 %, M-20 left out
      {"CONV", {0.5, 1e-9}}, {"LINKED", {2.0, 0}}};  // the owner of the leased parcel, the member
  for (const auto& [code, v] : want) {
    ASSERT_TRUE(item(r.body, code)["actual"].is_number()) << code << ": " << item(r.body, code).dump();
    const double actual = item(r.body, code)["actual"].get<double>();
    EXPECT_NEAR(actual, v.first, v.second) << code;
    auto rec = call("GET", "/api/v1/programmes/T/indicators/" + code + "/records?unit=90&year=2025&as_of=2025-12-31",
                    "prov");
    ASSERT_EQ(rec.status, 200) << rec.body.dump();
    EXPECT_NEAR(rec.body["value"].get<double>(), actual, 1e-9) << code << ": the drill-down differs";
  }
  EXPECT_EQ(call("GET", "/api/v1/programmes/T/indicators/TEAZ/records?unit=90&year=2025&as_of=2025-12-31", "prov")
                .body["records"]
                .size(),
            1u);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, TargetsApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, TargetsApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
