// Risk scores with their parts, and the sample for on-the-spot checks: the share asked,
// the highest risks always in, reproducible from the seed.
#include "modules/support/risk.hpp"

#include <gtest/gtest.h>

#include <set>

namespace nongsan::support {
namespace {

ClaimResult checked(int applications) {
  ClaimResult r;
  for (int i = 0; i < applications; ++i) {
    AmountTrace t;
    t.application = "A-" + std::to_string(1000 + i);
    t.amount = 1'000'000 * (1 + i % 7);
    t.before_cap = t.amount;
    t.status = "submitted";
    r.amounts.push_back(t);
  }
  return r;
}

std::map<std::string, std::string> one_each(const ClaimResult& r) {
  std::map<std::string, std::string> m;
  for (const auto& t : r.amounts) m[t.application] = "H" + t.application.substr(2);
  return m;
}

TEST(SupportRisk, ScoreIsTheSumOfItsExplainedParts) {
  ClaimResult r = checked(3);
  r.findings = {{"overlap", "A-1000", "A-1001", "P1", ""}, {"overlap", "A-1000", "A-1002", "P2", ""},
                {"not_controlled", "A-1000", "", "P1", ""}};
  r.amounts[2].status = "rejected";
  std::map<std::string, ApplicantHistory, std::less<>> history = {{"H1001", {6, true}}};
  auto scores = score_applications(r, one_each(r), history, RiskWeights{});
  ASSERT_EQ(scores.size(), 2u);  // the rejected one is not scored
  // A-1000: overlap once (30) + not_controlled (30) + amount 1/2 of the largest (5).
  EXPECT_DOUBLE_EQ(scores[0].score, 30 + 30 + 5);
  ASSERT_EQ(scores[0].parts.size(), 3u);
  EXPECT_EQ(scores[0].parts[0].part, "not_controlled");
  EXPECT_EQ(scores[0].parts[1].part, "overlap");
  // A-1001: amount 2/2 (10) + history capped at 20 + recovered 10.
  EXPECT_DOUBLE_EQ(scores[1].score, 10 + 20 + 10);
}

TEST(SupportRisk, SampleCoversTheShareWithTheHighestRisksAndIsReproducible) {
  ClaimResult r = checked(203);
  for (int i : {5, 77, 150}) r.findings.push_back({"duplicate_person", "A-" + std::to_string(1000 + i), "", "", ""});
  auto scores = score_applications(r, one_each(r), {}, RiskWeights{});
  auto a = sample_applicants(scores, 5, 0.5, 42);
  // 5 % of 203 applicants, rounded up: 11; 6 by risk (round(5.5)), 5 at random.
  ASSERT_EQ(a.size(), 11u);
  std::set<std::string> risky;
  int random = 0;
  for (const auto& e : a) {
    if (e.reason == "risk") risky.insert(e.applicant);
    else ++random;
  }
  EXPECT_EQ(random, 5);
  for (const char* id : {"H1005", "H1077", "H1150"}) EXPECT_TRUE(risky.count(id)) << id;
  auto again = sample_applicants(scores, 5, 0.5, 42);
  ASSERT_EQ(again.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(again[i].applicant, a[i].applicant);
  auto other = sample_applicants(scores, 5, 0.5, 43);
  std::set<std::string> first, second;
  for (const auto& e : a)
    if (e.reason == "random") first.insert(e.applicant);
  for (const auto& e : other)
    if (e.reason == "random") second.insert(e.applicant);
  EXPECT_NE(first, second);
  // Nobody twice; the random part never repeats a risk pick.
  std::set<std::string> all;
  for (const auto& e : a) EXPECT_TRUE(all.insert(e.applicant).second);
}

TEST(SupportRisk, SampleEdges) {
  auto scores = score_applications(checked(20), one_each(checked(20)), {}, RiskWeights{});
  EXPECT_EQ(sample_applicants(scores, 0, 0.5, 1).size(), 0u);
  EXPECT_EQ(sample_applicants(scores, 100, 0, 1).size(), 20u);
  EXPECT_EQ(sample_applicants(scores, 5, 1, 1).size(), 1u);  // 5 % of 20 = 1, by risk
  EXPECT_EQ(sample_applicants(scores, 5, 1, 1)[0].reason, "risk");
  EXPECT_EQ(sample_applicants({}, 5, 0.5, 1).size(), 0u);
}

}  // namespace
}  // namespace nongsan::support
