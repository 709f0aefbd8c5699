// The cross-checks and amounts of support claims, on a small world written out in
// full: every finding, the later side of an overlap, the penalty, the cap, rejected
// applications, conditions, and counted items.
#include "modules/support/claim_checks.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace nongsan::support {
namespace {

CivilDate d(const char* iso) { return *CivilDate::parse(iso); }

PolicyVersion tea() {
  PolicyVersion p;
  p.code = "TEA";
  p.version = d("2021-03-22");
  p.content = "tea_planting";
  p.item = ItemUnit::area;
  p.rate = 15'000'000;
  p.one_time = true;
  p.cap_per_beneficiary_year = 20'000'000;
  p.requires_.crop = "tea";
  p.requires_.zone = true;
  p.requires_.controller = true;
  p.requires_.suitability = {"S1", "S2"};
  p.conditions = "claimed_ha >= 0.3";
  return p;
}
PolicyVersion fert() {
  PolicyVersion p;
  p.code = "FERT";
  p.version = d("2021-03-22");
  p.content = "fertiliser";
  p.item = ItemUnit::area;
  p.rate = 2'000'000;
  p.exclusive_with = {"TEA"};
  return p;
}
PolicyVersion bee() {
  PolicyVersion p;
  p.code = "BEE";
  p.version = d("2021-03-22");
  p.content = "bees";
  p.item = ItemUnit::hive;
  p.rate = 700'000;
  p.conditions = "applicant_kind in [\"household\", \"cooperative\"]";
  return p;
}

// A parcel that passes every check of TEA for applicant `who`.
ParcelFacts good(std::int64_t key, double ha, const std::string& who) {
  ParcelFacts f;
  f.geometry_key = key;
  f.area_ha = ha;
  f.controller = who;
  f.zone_share = 1;
  f.crop_in_force = true;
  f.dominant_class = "S1";
  return f;
}

ClaimCase make(const std::string& code, const PolicyVersion& p, const std::string& who, const char* filed,
               std::vector<std::pair<std::string, double>> items, std::vector<ParcelFacts> facts) {
  ClaimCase k;
  k.application.code = code;
  k.application.policy = p.code;
  k.application.applicant = who;
  k.application.filed = d(filed);
  k.application.accepted = d("2024-10-01");
  k.application.status = ApplicationStatus::accepted;
  for (auto& [parcel, q] : items) k.application.items.push_back({parcel, q});
  k.policy = std::make_shared<const PolicyVersion>(p);
  k.items = std::move(facts);
  return k;
}

ClaimInput world() {
  ClaimInput in;
  in.year = 2024;
  in.applicants = {{"H1", {"household", "03391", "CID1", "", ""}},
                   {"H2", {"household", "03391", "CID2", "", "0912"}},
                   {"H3", {"household", "03394", "CID1", "", ""}},  // same citizen id as H1
                   {"E1", {"enterprise", "03394", "", "", ""}}};
  // clean, 1 ha.
  in.cases.push_back(make("A-01", tea(), "H1", "2024-03-01", {{"P1", 1.0}}, {good(1, 1.0, "H1")}));
  // claims P2 (1.0 ha) as 1.1 ha: over by 0.1 > min(3 %, 2 ha) = 0.03.
  in.cases.push_back(make("A-02", tea(), "H2", "2024-03-02", {{"P2", 1.1}}, {good(2, 1.0, "H2")}));
  // P3 is controlled by someone else, outside the zone, no tea on acceptance, class S3.
  {
    ParcelFacts f = good(3, 0.5, "X");
    f.zone_share = 0.4;
    f.crop_in_force = false;
    f.dominant_class = "S3";
    in.cases.push_back(make("A-03", tea(), "H2", "2024-03-03", {{"P3", 0.5}}, {f}));
  }
  // A-04 (filed later) claims P1 again, the same land as A-01: the later side counts 0.
  in.cases.push_back(make("A-04", tea(), "H3", "2024-04-01", {{"P1", 1.0}, {"P4", 0.5}},
                          {good(1, 1.0, "H3"), good(4, 0.5, "H3")}));
  // A-05 (FERT) over P5, which overlaps P4's geometry by 120 m2: exclusive with TEA.
  in.cases.push_back(make("A-05", fert(), "E1", "2024-02-01", {{"P5", 0.8}}, {good(5, 0.8, "E1")}));
  in.overlaps.push_back({4, 5, 120.0});
  // too small for the condition claimed_ha >= 0.3.
  in.cases.push_back(make("A-06", tea(), "E1", "2024-05-01", {{"P6", 0.2}}, {good(6, 0.2, "E1")}));
  // H1 again under TEA — the cap of 20 million cuts A-08 (A-01 got 15).
  in.cases.push_back(make("A-07", tea(), "H1", "2024-06-01", {{"P7", 0.3}}, {good(7, 0.3, "H1")}));
  in.cases.push_back(make("A-08", tea(), "H1", "2024-06-02", {{"P8", 0.6}}, {good(8, 0.6, "H1")}));
  // bees, 10 hives, a household.
  in.cases.push_back(make("A-09", bee(), "H2", "2024-02-10", {{"", 10}}, {ParcelFacts{}}));
  // rejected, claims P2 as well: takes part in nothing.
  {
    auto k = make("A-10", tea(), "E1", "2024-01-05", {{"P2", 1.0}}, {good(2, 1.0, "E1")});
    k.application.status = ApplicationStatus::rejected;
    in.cases.push_back(k);
  }
  // Z-2022: a one-time TEA application of 2022 on P9; A-11 claims P9 in 2024.
  in.cases.push_back(make("Z-2022", tea(), "H2", "2022-03-01", {{"P9", 0.5}}, {good(9, 0.5, "H2")}));
  in.cases.push_back(make("A-11", tea(), "H2", "2024-07-01", {{"P9", 0.5}}, {good(9, 0.5, "H2")}));
  // Payments: A-01 paid before acceptance; A-02 over its approved amount (after a recovery).
  in.cases[1].application.approved_amount = 10'000'000;
  in.payments = {{"A-01", d("2024-09-01"), 15'000'000, PaymentKind::payment},
                 {"A-02", d("2024-10-05"), 12'000'000, PaymentKind::payment},
                 {"A-02", d("2024-11-05"), 1'000'000, PaymentKind::recovery}};
  return in;
}

TEST(SupportClaimChecks, Findings) {
  auto r = run_claim_checks(world());
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::string> got;
  for (const auto& f : r->findings)
    got.push_back(f.finding + "," + f.application + "," + f.other_application + "," + f.parcel);
  const std::vector<std::string> want = {
      "duplicate_person,A-01,A-04,",       // H1 and H3 share a citizen id
      "overlap,A-01,A-04,P1",              // the same parcel claimed twice
      "paid_without_acceptance,A-01,,",    // paid 2024-09-01, accepted 2024-10-01
      "over_declared,A-02,,P2",
      "paid_over_approved,A-02,,",         // 12 − 1 = 11 million > 10 million
      "not_controlled,A-03,,P3",
      "outside_zone,A-03,,P3",
      "unsuitable,A-03,,P3",
      "wrong_crop,A-03,,P3",
      "duplicate_person,A-04,A-01,",       // the smallest of H1's codes
      "exclusive_policies,A-04,A-05,P4",   // P4 and P5 overlap by 120 m2; FERT excludes TEA
      "overlap,A-11,Z-2022,P9",            // one-time support of 2022 on the same land
      "duplicate_person,A-07,A-04,",
      "cap_exceeded,A-08,,",
      "duplicate_person,A-08,A-04,",
  };
  std::vector<std::string> sorted_want = want;
  std::sort(sorted_want.begin(), sorted_want.end(), [](const std::string& a, const std::string& b) {
    auto key = [](const std::string& s) {
      auto c1 = s.find(','), c2 = s.find(',', c1 + 1);
      return std::make_pair(s.substr(c1 + 1, c2 - c1 - 1), s.substr(0, c1));
    };
    return key(a) < key(b);
  });
  EXPECT_EQ(got, sorted_want);
}

TEST(SupportClaimChecks, Amounts) {
  auto r = run_claim_checks(world());
  ASSERT_TRUE(r.ok());
  std::map<std::string, Dong> amount;
  for (const auto& a : r->amounts) amount[a.application] = a.amount;
  // One row per application filed in 2024 (Z-2022 is not one), whatever its status.
  EXPECT_EQ(r->amounts.size(), 11u);
  EXPECT_EQ(amount.count("Z-2022"), 0u);
  EXPECT_EQ(amount["A-01"], 15'000'000);  // 1 ha × 15 million
  // counts min(1.1, 1.0) = 1.0, minus 1.5 × 0.1 = 0.85 ha → 12,750,000 (in
  // binary floating point 12,749,999.999999998: never a đồng lost to that).
  EXPECT_EQ(amount["A-02"], 12'750'000);
  EXPECT_EQ(amount["A-03"], 0);  // its only item fails four checks
  // P1 is the later side of the overlap with A-01, P4 the later side of the
  // exclusive pair with A-05 (filed 2024-02-01): nothing counts.
  EXPECT_EQ(amount["A-04"], 0);
  // A-05 is the earlier side: 0.8 ha × 2 million.
  EXPECT_EQ(amount["A-05"], 1'600'000);
  EXPECT_EQ(amount["A-06"], 0);          // conditions not met
  EXPECT_EQ(amount["A-07"], 4'500'000);  // 0.3 ha; H1 has now 19.5 million of the 20 million cap
  EXPECT_EQ(amount["A-08"], 500'000);    // 0.6 ha would be 9 million: cut to what remains
  EXPECT_EQ(amount["A-09"], 7'000'000);  // 10 hives × 700,000
  EXPECT_EQ(amount["A-10"], 0);          // rejected
  EXPECT_EQ(amount["A-11"], 0);          // later side of the one-time overlap with Z-2022
}

TEST(SupportClaimChecks, TraceExplainsTheAmount) {
  auto r = run_claim_checks(world());
  ASSERT_TRUE(r.ok());
  auto find = [&](const std::string& code) {
    for (const auto& a : r->amounts)
      if (a.application == code) return a;
    return AmountTrace{};
  };
  auto a02 = find("A-02");
  EXPECT_DOUBLE_EQ(a02.penalty_ha, 1.5 * (1.1 - 1.0));
  ASSERT_EQ(a02.items.size(), 1u);
  EXPECT_NEAR(a02.items[0].excess_ha, 0.1, 1e-12);
  EXPECT_EQ(a02.policy_version, "2021-03-22");
  auto a04 = find("A-04");
  ASSERT_EQ(a04.items.size(), 2u);
  EXPECT_EQ(a04.items[0].reasons, std::vector<std::string>{"overlap with A-01"});
  EXPECT_EQ(a04.items[1].reasons, std::vector<std::string>{"exclusive_policies with A-05"});
  auto a06 = find("A-06");
  EXPECT_FALSE(a06.conditions_hold);
  ASSERT_EQ(a06.condition_steps.size(), 1u);
  EXPECT_EQ(a06.condition_steps[0].left, "0.2");
  EXPECT_EQ(find("A-10").note, "rejected");
}

TEST(SupportClaimChecks, ToleranceBoundaries) {
  struct Case {
    double area, claimed;
    bool over;
  };
  // min(3 % of the area, 2 ha): 3 % for small parcels, 2 ha from 66.7 ha up.
  const Case cases[] = {{1.0, 1.03, false}, {1.0, 1.031, true}, {100.0, 102.0, false}, {100.0, 102.01, true},
                        {0.0, 0.01, true}};
  for (const auto& c : cases) {
    ClaimInput in;
    in.year = 2024;
    PolicyVersion p = fert();
    in.cases.push_back(make("A", p, "E1", "2024-01-01", {{"P", c.claimed}}, {good(1, c.area, "E1")}));
    auto r = run_claim_checks(in);
    ASSERT_TRUE(r.ok());
    bool over = !r->findings.empty() && r->findings[0].finding == "over_declared";
    EXPECT_EQ(over, c.over) << c.area << " " << c.claimed;
  }
}

// The facts of the conditions are sums of hectares entered as decimals: 0.7 ha and 0.1 ha
// are 0.8 ha (docs/support.md: claimed_ha is the sum of the claimed hectares), although
// their binary sum is 0.7999999999999999.
TEST(SupportClaimChecks, ConditionsSeeTheDecimalSumOfTheItems) {
  PolicyVersion p = fert();
  p.conditions = "claimed_ha >= 0.8 and quantity == 0.8";
  for (const auto& items : std::vector<std::vector<std::pair<std::string, double>>>{
           {{"P1", 0.7}, {"P2", 0.1}}, {{"P1", 0.1}, {"P2", 0.7}}, {{"P1", 0.3}, {"P2", 0.4}, {"P3", 0.1}}}) {
    ClaimInput in;
    in.year = 2024;
    std::vector<ParcelFacts> facts;
    for (std::size_t i = 0; i < items.size(); ++i) facts.push_back(good(static_cast<std::int64_t>(i) + 1, 1.0, "E1"));
    in.cases.push_back(make("A", p, "E1", "2024-01-01", items, facts));
    auto r = run_claim_checks(in);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->amounts.size(), 1u);
    EXPECT_TRUE(r->amounts[0].conditions_hold) << items.size() << " items";
    EXPECT_EQ(r->amounts[0].amount, 1'600'000);  // 0.8 ha × 2 million
  }
}

TEST(SupportClaimChecks, OverlapBelowTheThresholdIsNotAFinding) {
  ClaimInput in;
  in.year = 2024;
  in.settings.min_overlap_m2 = 150;
  in.cases.push_back(make("A", fert(), "E1", "2024-01-01", {{"P5", 0.8}}, {good(5, 0.8, "E1")}));
  in.cases.push_back(make("B", fert(), "E2", "2024-01-02", {{"P6", 0.8}}, {good(6, 0.8, "E2")}));
  in.overlaps.push_back({5, 6, 120.0});
  auto r = run_claim_checks(in);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->findings.empty());
  in.settings.min_overlap_m2 = 100;
  r = run_claim_checks(in);
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].finding, "overlap");
}

// The cases of a year are taken in two halves side by side (claim_checks.cpp): the
// amounts still come one per application in code order, the findings of both halves
// in the one sorted list, and a broken invariant met in both halves is reported as a
// single pass meets it first.
// The identifiers two applicants share are named in alphabetical order; among several
// others the smallest of their codes is given; empty values and rejected applications
// never make a pair.
TEST(SupportClaimChecks, DuplicatePersonNamesEverySharedIdentifierAndTheSmallestOtherCode) {
  ClaimInput in;
  in.year = 2024;
  in.applicants = {{"H1", {"household", "", "CID1", "BANK1", "0912"}},
                   {"H2", {"household", "", "", "BANK1", "0912"}},  // bank account and phone of H1
                   {"H3", {"household", "", "CID1", "", ""}},       // citizen id of H1
                   {"H4", {"household", "", "", "", ""}},           // nothing recorded
                   {"H5", {"household", "", "", "", ""}},
                   {"H6", {"household", "", "CID6", "", ""}},
                   {"H7", {"household", "", "CID6", "", ""}}};  // H7's only application is rejected
  in.cases.push_back(make("B-20", bee(), "H1", "2024-02-01", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-10", bee(), "H2", "2024-02-02", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-30", bee(), "H3", "2024-02-03", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-05", bee(), "H3", "2024-02-04", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-40", bee(), "H4", "2024-02-05", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-41", bee(), "H5", "2024-02-06", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-60", bee(), "H6", "2024-02-07", {{"", 1}}, {ParcelFacts{}}));
  in.cases.push_back(make("B-70", bee(), "H7", "2024-02-08", {{"", 1}}, {ParcelFacts{}}));
  in.cases.back().application.status = ApplicationStatus::rejected;
  auto r = run_claim_checks(in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::string> got;
  for (const auto& f : r->findings)
    got.push_back(f.finding + "," + f.application + "," + f.other_application + "," + f.detail);
  const std::vector<std::string> want = {
      "duplicate_person,B-05,B-20,same citizen_id as another applicant",  // H3: H1's only code
      "duplicate_person,B-10,B-20,same bank_account, phone as another applicant",
      "duplicate_person,B-20,B-05,same bank_account, citizen_id, phone as another applicant",  // H2's B-10, H3's B-05
      "duplicate_person,B-30,B-20,same citizen_id as another applicant",
  };
  EXPECT_EQ(got, want);
}

// The cap runs per applicant and policy code, in filing order (date, then code), and
// starts again for the next applicant or code.
TEST(SupportClaimChecks, TheCapStartsAgainForEachApplicantAndCode) {
  ClaimInput in;
  in.year = 2024;
  PolicyVersion other = tea();
  other.code = "TEA2";
  // H1 under TEA: 1 ha each (15 million), cap 20 million; filed on the same day, the
  // code decides the order.
  in.cases.push_back(make("C-2", tea(), "H1", "2024-03-01", {{"P1", 1.0}}, {good(1, 1.0, "H1")}));
  in.cases.push_back(make("C-1", tea(), "H1", "2024-03-01", {{"P2", 1.0}}, {good(2, 1.0, "H1")}));
  in.cases.push_back(make("C-0", tea(), "H1", "2024-04-01", {{"P3", 1.0}}, {good(3, 1.0, "H1")}));
  // H1 under TEA2 and H2 under TEA: each the first of its group.
  in.cases.push_back(make("C-3", other, "H1", "2024-05-01", {{"P4", 1.0}}, {good(4, 1.0, "H1")}));
  in.cases.push_back(make("C-4", tea(), "H2", "2024-05-01", {{"P5", 1.0}}, {good(5, 1.0, "H2")}));
  auto r = run_claim_checks(in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::map<std::string, Dong> amount;
  for (const auto& a : r->amounts) amount[a.application] = a.amount;
  EXPECT_EQ(amount["C-1"], 15'000'000);
  EXPECT_EQ(amount["C-2"], 5'000'000);
  EXPECT_EQ(amount["C-0"], 0);
  EXPECT_EQ(amount["C-3"], 15'000'000);
  EXPECT_EQ(amount["C-4"], 15'000'000);
  std::vector<std::string> cut;
  for (const auto& f : r->findings)
    if (f.finding == "cap_exceeded") cut.push_back(f.application + ": " + f.detail);
  EXPECT_EQ(cut, (std::vector<std::string>{
                     "C-0: cap 20000000, earlier applications got 20000000, cut from 15000000 to 0",
                     "C-2: cap 20000000, earlier applications got 15000000, cut from 15000000 to 5000000"}));
}

TEST(SupportClaimChecks, TheTwoHalvesGiveWhatOnePassGives) {
  ClaimInput in;
  in.year = 2024;
  for (int k = 0; k < 9; ++k) {
    char code[8];
    std::snprintf(code, sizeof code, "A-%02d", k);
    // Every application over-declares its parcel: a finding in each half.
    in.cases.push_back(make(code, fert(), "E1", "2024-01-01", {{"P" + std::to_string(k), 1.5}},
                            {good(k + 1, 1.0, "E1")}));
  }
  auto r = run_claim_checks(in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->amounts.size(), 9u);
  ASSERT_EQ(r->findings.size(), 9u);
  for (std::size_t k = 0; k < 9; ++k) {
    char code[8];
    std::snprintf(code, sizeof code, "A-%02zu", k);
    EXPECT_EQ(r->amounts[k].application, code);
    EXPECT_EQ(r->amounts[k].amount, 500'000);  // min(1.5, 1.0) − 1.5 × 0.5 = 0.25 ha × 2 million
    EXPECT_EQ(r->findings[k].application, code);
    EXPECT_EQ(r->findings[k].finding, "over_declared");
  }
  // Conditions that no longer parse, in the first half and in the second: the first's.
  PolicyVersion early = fert(), late = fert();
  early.code = "EARLY";
  early.conditions = "claimed_ha >=";
  late.code = "LATE";
  late.conditions = "quantity ==";
  in.cases[1].policy = std::make_shared<const PolicyVersion>(early);
  in.cases[7].policy = std::make_shared<const PolicyVersion>(late);
  r = run_claim_checks(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("EARLY"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace nongsan::support
