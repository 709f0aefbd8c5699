// The rules that pick results and limitations for the committee's conclusions, and the
// references: every paragraph carries one, every reference names a source.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "modules/conclusions/conclusions_rules.hpp"

namespace nongsan::conclusions {
namespace {

using nlohmann::json;

Rules rules() {
  std::ifstream in(std::string(NONGSAN_DATA_DIR) + "/conclusions/rules.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = parse_rules(json::parse(ss.str()));
  EXPECT_TRUE(r.ok());
  return *r;
}

IndicatorFact ind(std::string code, std::string status, std::optional<double> pct, std::optional<bool> reached = {},
                  std::optional<double> forecast = {}) {
  IndicatorFact i;
  i.code = code;
  i.name_vi = "Chỉ tiêu " + code;
  i.measure_unit = "ha";
  i.status = std::move(status);
  i.achievement_pct = pct;
  i.actual = pct ? std::optional(*pct * 10) : std::nullopt;
  i.target = 1000;
  i.forecast_reached = reached;
  i.forecast_pct = forecast;
  return i;
}

Facts base() {
  Facts f;
  f.programme = "NQ05";
  f.programme_name = "Nghị quyết số 05-NQ/TU";
  f.milestone = 2025;
  f.as_of = CivilDate(2023, 6, 30);
  f.review_hash = "abcdef0123456789";
  f.indicators = {ind("A", "achieved", 120.0, true, 150.0), ind("B", "over_half", 60.0, true, 101.0),
                  ind("C", "low", 20.0, false, 35.0), ind("LUA_CD_DT", "over_half", 55.0)};
  f.indicators_total = 5;
  f.indicators.push_back(ind("D", "no_target", std::nullopt));
  return f;
}

std::vector<json> paragraphs(const json& d, const std::string& section) {
  for (const auto& s : d["sections"])
    if (s["key"] == section) return s["paragraphs"].get<std::vector<json>>();
  return {};
}
bool has_kind(const json& d, const std::string& section, const std::string& kind) {
  for (const auto& p : paragraphs(d, section))
    if (p["kind"] == kind) return true;
  return false;
}
std::string text_of(const json& d, const std::string& section, const std::string& kind) {
  for (const auto& p : paragraphs(d, section))
    if (p["kind"] == kind) return p["text"];
  return "";
}

TEST(ConclusionsRules, ResultsCountIndicatorsOverHalfAndNameThoseAchieved) {
  json d = write_draft(base(), rules());
  EXPECT_NE(text_of(d, "results", "over_half").find("có 3/5 chỉ tiêu"), std::string::npos) << d.dump(2);
  const std::string achieved = text_of(d, "results", "achieved");
  EXPECT_NE(achieved.find("Chỉ tiêu A (120,0 %)"), std::string::npos);
  EXPECT_EQ(achieved.find("Chỉ tiêu B"), std::string::npos);
  EXPECT_NE(text_of(d, "results", "converted_land").find("550,0 ha"), std::string::npos);
}

TEST(ConclusionsRules, LowAndForecastToMissAreLimitationsWithTasks) {
  json d = write_draft(base(), rules());
  EXPECT_NE(text_of(d, "limitations", "indicator_low").find("Chỉ tiêu C (20,0 %)"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "indicator_forecast_miss").find("dự báo đạt 35,0 %"), std::string::npos);
  EXPECT_EQ(text_of(d, "limitations", "indicator_low").find("Chỉ tiêu B"), std::string::npos);
  const std::string task = text_of(d, "tasks", "indicator_low");
  EXPECT_EQ(task.rfind("Ban cán sự đảng UBND tỉnh", 0), 0u) << task;
  EXPECT_NE(task.find("Chỉ tiêu C"), std::string::npos);
}

TEST(ConclusionsRules, AModuleWithoutDataIsSaidToHaveNoneNeverAProblemOrASuccess) {
  json d = write_draft(base(), rules());  // no zones, policies, linkage, ocop, diary, facilities
  for (const char* k : {"zone_unsuitable_no_data", "policy_low_uptake_no_data", "linkage_loose_no_data", "ocop_lapsing_no_data",
                        "pesticide_violation_no_data", "processing_short_no_data"})
    EXPECT_TRUE(has_kind(d, "limitations", k)) << k;
  EXPECT_FALSE(has_kind(d, "tasks", "zone_unsuitable"));
  EXPECT_FALSE(has_kind(d, "limitations", "none"));
}

TEST(ConclusionsRules, DataWithoutProblemsGivesNoLimitationOfThatKind) {
  Facts f = base();
  f.zones = std::vector<ZoneFact>{};
  f.pesticides = std::vector<PesticideFact>{};
  json d = write_draft(f, rules());
  EXPECT_FALSE(has_kind(d, "limitations", "zone_unsuitable"));
  EXPECT_FALSE(has_kind(d, "limitations", "zone_unsuitable_no_data"));
  EXPECT_FALSE(has_kind(d, "limitations", "pesticide_violation_no_data"));
}

TEST(ConclusionsRules, EveryModuleLimitationIsPickedByItsThreshold) {
  Facts f = base();
  f.zones = std::vector<ZoneFact>{{"Z1", "Vùng chè Tam Đường", "tea", "Xã Bình Lư", 0.45, 120}};
  f.policies = std::vector<PolicyFact>{{"P-LOW", "Hỗ trợ chuồng trại", 10, 100, 1000.0, 0},   // 10 % of the budget
                                       {"P-OK", "Hỗ trợ ong", 10, 900, 1000.0, 1},          // 90 %, 10 % findings
                                       {"P-FIND", "Hỗ trợ chè", 10, 800, 1000.0, 2}};       // 20 % findings
  f.linkage = std::vector<LinkageFact>{{"side_selling", "HD-1", "HTX A", 7, 100, 40}, {"non_purchase", "HD-2", "DN B", std::nullopt, 50, 0}};
  f.ocop = std::vector<OcopFact>{{"OC1", "Chè Shan tuyết", 4, "expiring", CivilDate(2023, 7, 20)}};
  f.pesticides = std::vector<PesticideFact>{{"banned", "S1", "P1", "X", CivilDate(2023, 3, 1)}, {"over_dose", "S2", "P2", "Y", CivilDate(2023, 4, 1)}};
  f.supply = std::vector<SupplyFact>{{"tea", 100, 250, 300}};
  json d = write_draft(f, rules());
  const std::string uptake = text_of(d, "limitations", "policy_low_uptake");
  EXPECT_NE(uptake.find("Hỗ trợ chuồng trại (đã duyệt 10,0 %"), std::string::npos) << uptake;
  EXPECT_EQ(uptake.find("Hỗ trợ ong"), std::string::npos);
  const std::string findings = text_of(d, "limitations", "policy_findings");
  EXPECT_NE(findings.find("Hỗ trợ chè (2 phát hiện/10 hồ sơ)"), std::string::npos) << findings;
  EXPECT_EQ(findings.find("Hỗ trợ ong"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "zone_unsuitable").find("Vùng chè Tam Đường"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "linkage_loose").find("1 trường hợp bán sản phẩm ra ngoài liên kết"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "ocop_lapsing").find("4 sao, sắp hết hạn ngày 20/07/2023"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "pesticide_violation").find("1 trường hợp thuốc cấm sử dụng"), std::string::npos);
  EXPECT_NE(text_of(d, "limitations", "processing_short").find("chè (sản lượng dự kiến 250 tấn"), std::string::npos);
  for (const char* k : {"zone_unsuitable", "policy_low_uptake", "policy_findings", "linkage_loose", "ocop_lapsing",
                        "pesticide_violation", "processing_short"})
    EXPECT_TRUE(has_kind(d, "tasks", k)) << k;
  EXPECT_EQ(text_of(d, "tasks", "policy_findings").rfind("Ủy ban Kiểm tra Tỉnh ủy", 0), 0u);
  EXPECT_TRUE(check_references(d).ok());
}

TEST(ConclusionsRules, EveryParagraphHasAReferenceAndEveryReferenceResolvesToALinkedSource) {
  for (bool full : {false, true}) {
    Facts f = base();
    if (full) f.indicators.clear(), f.indicators_total = 0;
    json d = write_draft(f, rules());
    ASSERT_TRUE(check_references(d).ok()) << d.dump(2);
    for (const auto& s : d["sections"])
      for (const auto& p : s["paragraphs"]) {
        EXPECT_FALSE(p["refs"].empty()) << p.dump();
        for (const auto& r : p["refs"]) {
          const json& src = d["sources"][r.get<int>() - 1];
          EXPECT_EQ(src["n"], r);
          EXPECT_EQ(src["link"].get<std::string>().rfind("/", 0), 0u) << src.dump();
        }
      }
  }
}

TEST(ConclusionsRules, CheckReferencesNamesTheFirstProblem) {
  json d = write_draft(base(), rules());
  json missing = d;
  missing["sections"][1]["paragraphs"][0]["refs"] = json::array();
  auto st = check_references(missing);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().fields.at(0).field, "sections[1].paragraphs[0].refs");
  json dangling = d;
  dangling["sections"][1]["paragraphs"][0]["refs"] = {999};
  EXPECT_FALSE(check_references(dangling).ok());
}

TEST(ConclusionsRules, EditingAParagraphKeepsItsReferences) {
  json d = write_draft(base(), rules());
  const json before = paragraphs(d, "limitations").at(0);
  auto e = edit_paragraph(d, before["id"], "  Văn bản đã sửa.  ");
  ASSERT_TRUE(e.ok());
  const json after = paragraphs(*e, "limitations").at(0);
  EXPECT_EQ(after["text"], "Văn bản đã sửa.");
  EXPECT_EQ(after["refs"], before["refs"]);
  EXPECT_TRUE(after["edited"].get<bool>());
  EXPECT_EQ(printed_text(after).find("Văn bản đã sửa. ["), 0u);
  auto empty = edit_paragraph(d, before["id"], "   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().fields.at(0).field, "text");
  auto unknown = edit_paragraph(d, "results.99", "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).field, "paragraph");
}

TEST(ConclusionsRules, RulesFileErrorsNameTheField) {
  auto bad = parse_rules(json{{"thresholds", {{"over_half_pct", 150}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "thresholds.over_half_pct");
  auto twice = parse_rules(json{{"tasks", {{{"kind", "a"}, {"body", "b"}, {"task", "c"}}, {{"kind", "a"}, {"body", "b"}, {"task", "c"}}}}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().fields.at(0).field, "tasks[1].kind");
}

}  // namespace
}  // namespace nongsan::conclusions
