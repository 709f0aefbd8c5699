// The pure rules of inspection planning: the risk score and its parts, the sample (the
// highest risks always in, the share rounded up, the seed), the assignment to
// inspectors, and the registry-quality summary with its t interval.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "modules/inspection/plan_rules.hpp"
#include "modules/inspection/quality.hpp"
#include "modules/inspection/risk.hpp"

namespace nongsan::inspection {
namespace {

TEST(InspectionRisk, ScoreIsTheWeightedSumWithEveryPartShown) {
  Weights w = {{{"applicant", "claim_risk"}, 2}};
  auto r = score_subject("applicant", "HTX-1", {{"claim_risk", 30}, {"ocop_finding", 2}}, w);
  ASSERT_EQ(r.parts.size(), parts_of("applicant").size());
  EXPECT_EQ(r.parts[0].part, "claim_risk");
  EXPECT_DOUBLE_EQ(r.parts[0].weight, 2);
  EXPECT_DOUBLE_EQ(r.parts[0].points, 60);
  // ocop_finding takes the default weight (8) when the province set none.
  EXPECT_DOUBLE_EQ(r.score, 60 + 2 * 8);
  for (const auto& p : r.parts) {
    if (p.part == "pesticide_finding") {
      EXPECT_DOUBLE_EQ(p.points, 0);
    }
  }
}

TEST(InspectionRisk, ShippedWeightFileEqualsTheDefaults) {
  std::ifstream in(std::string(NONGSAN_DATA_DIR) + "/inspection/weights.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "subject_kind,part,weight");
  std::size_t n = 0;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string kind, part, weight;
    std::getline(s, kind, ',');
    std::getline(s, part, ',');
    std::getline(s, weight, ',');
    auto it = default_weights().find({kind, part});
    ASSERT_NE(it, default_weights().end()) << line;
    EXPECT_DOUBLE_EQ(it->second, std::stod(weight)) << line;
    EXPECT_TRUE(check_weight(kind, part, std::stod(weight)).ok()) << line;
    ++n;
  }
  EXPECT_EQ(n, default_weights().size());
}

TEST(InspectionRisk, CheckWeightNamesTheField) {
  auto s = check_weight("parcel", "ocop_finding", 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().fields.at(0).field, "part");
  s = check_weight("farm", "x", 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().fields.at(0).field, "subject_kind");
  s = check_weight("parcel", "claim_finding", -1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().fields.at(0).field, "weight");
}

std::vector<SubjectRisk> population(int n) {
  std::vector<SubjectRisk> out;
  for (int i = 0; i < n; ++i) {
    SubjectRisk r;
    r.subject_kind = "applicant";
    r.subject_ref = "P" + std::to_string(100 + i);
    r.score = (i * 37) % 11;  // ties on purpose
    out.push_back(r);
  }
  return out;
}

TEST(InspectionPlan, ShareIsRoundedUpAndTheHighestRisksAreAlwaysIn) {
  auto pop = population(41);
  auto picks = pick_subjects(pop, 5, 0.5, 7);
  ASSERT_EQ(picks.size(), 3u);  // 5 % of 41 = 2.05 → 3
  // round(0.5 × 3) = 2 by risk: the two highest scores, ties by id.
  auto sorted = pop;
  std::stable_sort(sorted.begin(), sorted.end(), [](const SubjectRisk& a, const SubjectRisk& b) {
    return a.score != b.score ? a.score > b.score : a.subject_ref < b.subject_ref;
  });
  EXPECT_EQ(picks[0].reason, "risk");
  EXPECT_EQ(picks[0].subject_ref, sorted[0].subject_ref);
  EXPECT_EQ(picks[1].subject_ref, sorted[1].subject_ref);
  EXPECT_EQ(picks[2].reason, "random");
  for (std::uint64_t seed = 1; seed < 20; ++seed) {
    auto p = pick_subjects(pop, 5, 0.5, seed);
    EXPECT_EQ(p[0].subject_ref, sorted[0].subject_ref);
    EXPECT_EQ(p[1].subject_ref, sorted[1].subject_ref);
  }
}

TEST(InspectionPlan, SameSeedSamePlanAnotherSeedAnotherRandomPart) {
  auto pop = population(200);
  auto a = pick_subjects(pop, 10, 0.3, 42), b = pick_subjects(pop, 10, 0.3, 42), c = pick_subjects(pop, 10, 0.3, 43);
  ASSERT_EQ(a.size(), 20u);
  std::set<std::string> ra, rc;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].subject_ref, b[i].subject_ref);
    EXPECT_EQ(a[i].reason, b[i].reason);
    if (a[i].reason == "random") ra.insert(a[i].subject_ref);
    if (c[i].reason == "random") rc.insert(c[i].subject_ref);
  }
  EXPECT_EQ(ra.size(), 14u);  // 20 − round(0.3 × 20)
  EXPECT_NE(ra, rc);
  std::set<std::string> all;
  for (const auto& p : a) all.insert(p.subject_ref);
  EXPECT_EQ(all.size(), a.size());  // nobody twice
}

TEST(InspectionPlan, AssignsLocalInspectorsByWorkloadThenLogin) {
  const UnitId commune_a{10}, commune_b{11};
  std::vector<InspectorLoad> ins = {
      {1, "zeta", std::unordered_set<UnitId>{commune_a}, 0},
      {2, "alpha", std::unordered_set<UnitId>{commune_a}, 1},
      {3, "province", std::nullopt, 0},
  };
  auto got = assign_inspectors({commune_a, commune_a, commune_a, commune_b, std::nullopt}, ins);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], 1);  // zeta has 0 open, alpha 1
  EXPECT_EQ(got[1], 2);  // both 1 now: alpha before zeta
  EXPECT_EQ(got[2], 1);  // alpha 2, zeta 1
  EXPECT_EQ(got[3], 3);  // nobody of commune B: the province's inspector
  EXPECT_EQ(got[4], 3);  // no commune: the province's
  EXPECT_TRUE(assign_inspectors({commune_a}, {}).front() == std::nullopt);
}

TEST(RegistryQuality, ToleranceAndSummaryWithTInterval) {
  QualitySettings s;
  EXPECT_DOUBLE_EQ(tolerance_m2(400, s), 400);
  EXPECT_DOUBLE_EQ(tolerance_m2(50000, s), 10000);
  std::vector<QualityMeasure> m = {
      {"A", 10000, 400, 10100},  // +100, within 400
      {"B", 10000, 400, 9500},   // −500, outside
      {"C", 5000, 300, 5200},    // +200, within
      {"D", 8000, 360, std::nullopt},
  };
  auto q = summarise_quality(m, s);
  EXPECT_EQ(q.sampled, 4u);
  EXPECT_EQ(q.measured, 3u);
  EXPECT_EQ(q.within, 2u);
  EXPECT_NEAR(*q.share_within, 2.0 / 3, 1e-12);
  EXPECT_NEAR(*q.mean_bias_m2, -200.0 / 3, 1e-9);
  EXPECT_NEAR(*q.bias_pct, -200.0 / 25000 * 100, 1e-9);
  // sd of (100, −500, 200): mean −66.67; t(0.975, 2) = 4.302653
  EXPECT_NEAR(*q.sd_m2, 378.5939, 1e-3);
  double half = 4.302653 * 378.5939 / std::sqrt(3.0);
  EXPECT_NEAR(*q.ci_low_m2, -200.0 / 3 - half, 1e-2);
  EXPECT_NEAR(*q.ci_high_m2, -200.0 / 3 + half, 1e-2);
}

TEST(RegistryQuality, TQuantilesMatchTheTable) {
  EXPECT_NEAR(t_quantile_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(t_quantile_975(2), 4.3027, 1e-4);
  EXPECT_NEAR(t_quantile_975(10), 2.2281, 1e-4);
  EXPECT_NEAR(t_quantile_975(30), 2.0423, 1e-4);
  EXPECT_NEAR(t_quantile_975(1000), 1.9623, 1e-4);
}

TEST(RegistryQuality, NothingMeasuredGivesNoFigures) {
  auto q = summarise_quality({{"A", 100, 40, std::nullopt}}, {});
  EXPECT_EQ(q.measured, 0u);
  EXPECT_FALSE(q.share_within);
  EXPECT_FALSE(q.ci_low_m2);
}

}  // namespace
}  // namespace nongsan::inspection
