// OCOP rules: stars at the band edges, the province's ceiling with its proposal to the
// centre, 36-month expiry at month ends, and the status on a date (docs/rules.md, OCOP).
#include "modules/ocop/ocop_rules.hpp"
#include "modules/ocop/lab_results.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nongsan::ocop {
namespace {

CivilDate d(const char* s) { return *CivilDate::parse(s); }

Scoring shipped() {
  std::ifstream in(std::string(NONGSAN_SOURCE_DIR) + "/../data/ocop/scoring-sheets.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto s = parse_scoring(nlohmann::json::parse(ss.str()));
  EXPECT_TRUE(s.ok());
  return *s;
}

Evaluation ev(std::int64_t id, Level level, const char* date, double a, double b, double c) {
  Evaluation e;
  e.id = id;
  e.level = level;
  e.date = d(date);
  e.part_a = a;
  e.part_b = b;
  e.part_c = c;
  return e;
}

TEST(OcopRules, ShippedSheetsHaveTheDecisionsMaxima) {
  Scoring s = shipped();
  EXPECT_EQ(s.max_a, 40);
  EXPECT_EQ(s.max_b, 25);
  EXPECT_EQ(s.max_c, 35);
  EXPECT_EQ(s.province_max_stars, 4);
  EXPECT_EQ(s.validity_months, 36);
  EXPECT_EQ(s.notice_days, 30);
  EXPECT_EQ(group_name_vi(s, 1), "Thực phẩm");
  EXPECT_EQ(group_name_vi(s, 6).rfind("Dịch vụ du lịch", 0), 0u);
}

TEST(OcopRules, StarsAtTheBandEdges) {
  Scoring s = shipped();
  EXPECT_EQ(grade(s, Level::central, 49.99).stars, 0);
  EXPECT_EQ(grade(s, Level::central, 50).stars, 3);
  EXPECT_EQ(grade(s, Level::central, 69.5).stars, 3);
  EXPECT_EQ(grade(s, Level::central, 70).stars, 4);
  EXPECT_EQ(grade(s, Level::central, 89.9).stars, 4);
  EXPECT_EQ(grade(s, Level::central, 90).stars, 5);
  EXPECT_EQ(grade(s, Level::central, 100).stars, 5);
  // Decimal parts that add up to a band edge.
  EXPECT_EQ(grade(s, Level::province, 33.3 + 20.2 + 16.5).stars, 4);
}

TEST(OcopRules, ProvinceCertifiesAtMostFourStarsAndProposes) {
  Scoring s = shipped();
  Grade g = grade(s, Level::province, 90);
  EXPECT_EQ(g.stars, 4);
  EXPECT_TRUE(g.proposed_to_centre);
  g = grade(s, Level::province, 89);
  EXPECT_EQ(g.stars, 4);
  EXPECT_FALSE(g.proposed_to_centre);
  g = grade(s, Level::central, 95);
  EXPECT_EQ(g.stars, 5);
  EXPECT_FALSE(g.proposed_to_centre);
}

TEST(OcopRules, ThirtySixMonthsKeepTheDayOrTakeTheMonthsLastDay) {
  EXPECT_EQ(add_months(d("2023-08-31"), 36).iso(), "2026-08-31");
  EXPECT_EQ(add_months(d("2024-02-29"), 36).iso(), "2027-02-28");
  EXPECT_EQ(add_months(d("2025-02-28"), 36).iso(), "2028-02-28");  // a leap year after: still the 28th
  EXPECT_EQ(add_months(d("2025-03-31"), 36).iso(), "2028-03-31");
  EXPECT_EQ(add_months(d("2024-04-30"), 36).iso(), "2027-04-30");
  EXPECT_EQ(add_months(d("2021-02-28"), 36).iso(), "2024-02-28");  // not moved to the 29th
  EXPECT_EQ(add_months(d("2023-05-31"), 37).iso(), "2026-06-30");
  EXPECT_EQ(add_months(d("2023-12-31"), 2).iso(), "2024-02-29");
  EXPECT_EQ(add_months(d("2022-01-15"), 36).iso(), "2025-01-15");
  EXPECT_EQ(add_months(d("2023-11-30"), 3).iso(), "2024-02-29");
}

TEST(OcopRules, StatusFromTheLatestEvaluation) {
  Scoring s = shipped();
  std::vector<Evaluation> e{ev(1, Level::province, "2022-03-15", 30, 20, 25)};  // 75: 4★
  EXPECT_EQ(standing_on(s, e, {}, d("2022-03-14")).status, "none");
  auto st = standing_on(s, e, {}, d("2022-03-15"));
  EXPECT_EQ(st.status, "valid");
  EXPECT_EQ(st.stars, 4);
  EXPECT_EQ(st.expires->iso(), "2025-03-15");
  EXPECT_EQ(standing_on(s, e, {}, d("2025-02-12")).status, "valid");     // 31 days
  EXPECT_EQ(standing_on(s, e, {}, d("2025-02-13")).status, "expiring");  // 30 days
  EXPECT_EQ(standing_on(s, e, {}, d("2025-03-15")).status, "expiring");  // the last day
  st = standing_on(s, e, {}, d("2025-03-16"));
  EXPECT_EQ(st.status, "expired");
  EXPECT_EQ(st.stars, 4);
  // A later evaluation below 50 ends the certificate.
  e.push_back(ev(2, Level::central, "2023-01-10", 20, 15, 14));  // 49
  st = standing_on(s, e, {}, d("2023-01-10"));
  EXPECT_EQ(st.status, "none");
  EXPECT_EQ(st.stars, 0);
  EXPECT_FALSE(st.decision_date);
  EXPECT_EQ(standing_on(s, e, {}, d("2023-01-09")).stars, 4);
  // Self-assessments never count.
  e.push_back(ev(3, Level::self, "2023-06-01", 40, 25, 35));
  EXPECT_EQ(standing_on(s, e, {}, d("2023-06-02")).status, "none");
}

TEST(OcopRules, EventsActOnTheCertificateInForceOnTheirDate) {
  Scoring s = shipped();
  std::vector<Evaluation> e{ev(1, Level::province, "2021-06-30", 38, 24, 30),   // 92: 4★, proposed
                            ev(2, Level::central, "2023-07-01", 38, 24, 30)};   // 92: 5★
  Event down{10, d("2022-01-05"), EventKind::downgraded, 3, ""};
  Event revoke{11, d("2024-01-05"), EventKind::revoked, 0, ""};
  EXPECT_EQ(certificate_on(s, e, down.date), 1);
  EXPECT_EQ(certificate_on(s, e, revoke.date), 2);
  EXPECT_FALSE(certificate_on(s, e, d("2021-06-29")));
  // The first certificate, downgraded, stays 3★ until the second replaces it.
  auto st = standing_on(s, e, {down}, d("2022-06-01"));
  EXPECT_EQ(st.stars, 3);
  EXPECT_TRUE(st.proposed_to_centre);
  EXPECT_EQ(standing_on(s, e, {down}, d("2022-01-04")).stars, 4);
  st = standing_on(s, e, {revoke}, d("2024-01-05"));
  EXPECT_EQ(st.status, "revoked");
  EXPECT_EQ(standing_on(s, e, {revoke}, d("2024-01-04")).status, "valid");
  // An expired certificate is not in force: nothing for an event to act on.
  std::vector<Evaluation> old{ev(1, Level::province, "2020-01-31", 30, 20, 20)};
  EXPECT_TRUE(certificate_on(s, old, d("2023-01-31")));
  EXPECT_FALSE(certificate_on(s, old, d("2023-02-01")));
}

// docs/rules.md §8.8: a limit is a maximum; a value equal to it passes, above it fails.
TEST(OcopLabRules, ValueAtTheLimitPassesAboveItFails) {
  EXPECT_TRUE(lab_passes(0.3, 0.3));
  EXPECT_TRUE(lab_passes(0, 0));  // "not detected" against a zero tolerance
  EXPECT_FALSE(lab_passes(0.3000001, 0.3));
  EXPECT_FALSE(lab_passes(1, 0));
  EXPECT_TRUE(is_lab_category("heavy_metal"));
  EXPECT_FALSE(is_lab_category("metal"));
  LabResult a;
  a.value = 0.1;
  a.limit = 0.3;
  LabResult b = a;
  EXPECT_TRUE(same_lab_result(a, b));
  b.limit = 0.2;  // a changed limit is a changed result (re-import updates it)
  EXPECT_FALSE(same_lab_result(a, b));
}

}  // namespace
}  // namespace nongsan::ocop
