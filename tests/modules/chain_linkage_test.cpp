// The linkage report's rules (docs/chains.md): committed kilograms prorated by calendar
// days with both end dates counted, deliveries inside the year and the contract, the
// empty percentage, the number format, and the warnings per party.
#include "modules/chains/linkage.hpp"

#include <gtest/gtest.h>

namespace nongsan::chains {
namespace {

CivilDate d(int y, unsigned m, unsigned day) { return CivilDate(y, m, day); }

ContractTerms contract(std::string code, CivilDate s, CivilDate e, double kg, std::vector<std::string> parts = {"H1"}) {
  return {std::move(code), "L1", "tea", s, e, kg, std::move(parts)};
}

TEST(ChainLinkage, OverlapCountsBothEndDates) {
  EXPECT_EQ(overlap_days(d(2025, 1, 1), d(2025, 1, 1), d(2025, 1, 1), d(2025, 12, 31)), 1);
  EXPECT_EQ(overlap_days(d(2024, 12, 31), d(2025, 1, 1), d(2025, 1, 1), d(2025, 12, 31)), 1);
  EXPECT_EQ(overlap_days(d(2024, 1, 1), d(2024, 12, 31), d(2024, 1, 1), d(2024, 12, 31)), 366);  // leap year
  EXPECT_EQ(overlap_days(d(2023, 1, 1), d(2023, 12, 31), d(2024, 1, 1), d(2024, 12, 31)), 0);
}

TEST(ChainLinkage, CommittedIsProratedByCalendarDays) {
  // 2024-10-01 … 2025-03-31: 92 days in 2024, 90 in 2025, 182 in all.
  auto k = contract("K", d(2024, 10, 1), d(2025, 3, 31), 18200);
  EXPECT_DOUBLE_EQ(committed_in_year(k, 2024), 9200);
  EXPECT_DOUBLE_EQ(committed_in_year(k, 2025), 9000);
  EXPECT_DOUBLE_EQ(committed_in_year(k, 2026), 0);
  // Across 29 February 2024: 60 days, all in 2024.
  EXPECT_DOUBLE_EQ(committed_in_year(contract("L", d(2024, 2, 1), d(2024, 3, 31), 6000), 2024), 6000);
  // A one-day contract on 31 December.
  EXPECT_DOUBLE_EQ(committed_in_year(contract("O", d(2025, 12, 31), d(2025, 12, 31), 750.5), 2025), 750.5);
}

TEST(ChainLinkage, DeliveriesCountInsideTheYearAndTheContractOnly) {
  auto k = contract("K", d(2024, 10, 1), d(2025, 3, 31), 18200, {"H1", "H2"});
  std::vector<DeliveryFact> ds = {
      {"K", "H1", d(2024, 10, 1), 100},   // first day: counts in 2024
      {"K", "H1", d(2024, 9, 30), 1000},  // before the start: never counts
      {"K", "H1", d(2024, 12, 31), 10},   // last day of 2024
      {"K", "H1", d(2025, 1, 1), 20},     // first day of 2025
      {"K", "H1", d(2025, 3, 31), 30},    // the contract's last day
      {"K", "H1", d(2025, 4, 1), 5000},   // after the end: never counts
      {"K", "H1", d(2025, 1, 1), 20},     // a repeated row is a delivery of its own
      {"X", "H1", d(2025, 1, 1), 999},    // another contract
  };
  auto r24 = linkage_report({k}, ds, 2024, d(2024, 12, 31));
  ASSERT_EQ(r24.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(r24.rows[0].delivered_kg, 110);
  EXPECT_DOUBLE_EQ(r24.rows[0].committed_kg, 9200);
  EXPECT_DOUBLE_EQ(*r24.rows[0].fulfilment_pct, 100.0 * 110 / 9200);
  EXPECT_EQ(r24.rows[1].participant, "H2");  // no delivery: still a row
  EXPECT_DOUBLE_EQ(r24.rows[1].delivered_kg, 0);
  auto r25 = linkage_report({k}, ds, 2025, d(2025, 12, 31));
  EXPECT_DOUBLE_EQ(r25.rows[0].delivered_kg, 70);
  auto r26 = linkage_report({k}, ds, 2026, d(2026, 12, 31));
  EXPECT_DOUBLE_EQ(r26.rows[0].committed_kg, 0);
  EXPECT_FALSE(r26.rows[0].fulfilment_pct.has_value());
}

TEST(ChainLinkage, ZeroCommitmentHasNoPercentage) {
  auto r = linkage_report({contract("Z", d(2025, 1, 1), d(2025, 12, 31), 0)}, {{"Z", "H1", d(2025, 6, 1), 5}}, 2025,
                          d(2025, 12, 31));
  EXPECT_FALSE(r.rows[0].fulfilment_pct.has_value());
  EXPECT_EQ(linkage_csv(r), "contract,participant,committed_kg,delivered_kg,fulfilment_pct\nZ,H1,0.00,5.00,\n");
}

TEST(ChainLinkage, NumbersArePlainWithAtLeastTwoDecimals) {
  EXPECT_EQ(report_number(1000), "1000.00");
  EXPECT_EQ(report_number(0), "0.00");
  EXPECT_EQ(report_number(-0.0), "0.00");
  EXPECT_EQ(report_number(12.5), "12.50");
  EXPECT_EQ(report_number(0.1 + 0.2), "0.30");
  EXPECT_EQ(report_number(629.1279999999999), "629.128");
  EXPECT_EQ(report_number(100000.0 / 365.0), "273.9726027397");
  EXPECT_EQ(report_number(1e12), "1000000000000.00");  // never an exponent
}

TEST(ChainLinkage, CsvQuotesCodesWithCommas) {
  auto r = linkage_report({contract("K,1", d(2025, 1, 1), d(2025, 1, 1), 1)}, {}, 2025, d(2025, 12, 31));
  EXPECT_EQ(linkage_csv(r), "contract,participant,committed_kg,delivered_kg,fulfilment_pct\n\"K,1\",H1,1.00,0.00,0.00\n");
}

TEST(ChainLinkage, WarningsPerParty) {
  auto k = contract("S", d(2025, 1, 1), d(2025, 6, 30), 5000, {"H1", "H2"});
  std::vector<DeliveryFact> ds = {{"S", "H1", d(2025, 3, 1), 500},   {"S", "H2", d(2025, 2, 1), 2100},
                                  {"S", "H2", d(2025, 5, 1), 3000},  {"S", "H2", d(2025, 5, 2), 0, 400}};
  // 1 April: 91 of 181 days passed → 2513.8 kg due, 1256.9 each (the share of two
  // participants), 80 % of it 1005.5: H1 (500) is behind, H2 (2100) is not.
  auto early = linkage_report({k}, ds, 2025, d(2025, 4, 1));
  ASSERT_EQ(early.warnings.size(), 1u);
  EXPECT_EQ(early.warnings[0].kind, "behind");
  EXPECT_EQ(early.warnings[0].party, "H1");
  // After the period: H1 side-sold (500 of its 2500); H2 delivered its share; 400 kg refused by the lead.
  auto late = linkage_report({k}, ds, 2025, d(2025, 12, 31));
  ASSERT_EQ(late.warnings.size(), 2u);
  EXPECT_EQ(late.warnings[0].kind, "side_selling");
  EXPECT_EQ(late.warnings[0].party, "H1");
  EXPECT_DOUBLE_EQ(late.warnings[0].expected_kg, 2500);
  EXPECT_EQ(late.warnings[1].kind, "non_purchase");
  EXPECT_EQ(late.warnings[1].party, "L1");
  EXPECT_DOUBLE_EQ(late.warnings[1].refused_kg, 400);
  // A lower threshold (an official's setting) forgives H1.
  auto lenient = linkage_report({k}, ds, 2025, d(2025, 12, 31), {80, 10});
  ASSERT_EQ(lenient.warnings.size(), 1u);
  EXPECT_EQ(lenient.warnings[0].kind, "non_purchase");
}


TEST(ChainLinkage, RateIsDeliveriesOverTheParticipantsHarvestsOfTheCommodity) {
  // Tea contracts K1 (H1, H2) and K2 (H3); a macadamia contract M (H1).
  std::vector<ContractTerms> ks = {contract("K1", d(2025, 1, 1), d(2025, 12, 31), 1000, {"H1", "H2"}),
                                   contract("K2", d(2025, 1, 1), d(2025, 12, 31), 500, {"H3"}),
                                   {"M", "L1", "Macadamia", d(2025, 1, 1), d(2025, 12, 31), 300, {"H1"}}};
  std::vector<DeliveryFact> ds = {{"K1", "H1", d(2025, 3, 1), 400}, {"K2", "H3", d(2025, 4, 1), 200},
                                  {"K1", "H2", d(2026, 1, 5), 999},  // another year
                                  {"M", "H1", d(2025, 9, 1), 50}};
  auto r = linkage_report(ks, ds, 2025, d(2025, 12, 31));
  std::vector<HarvestFact> hs = {
      {"H1", "tea", d(2025, 2, 20), 500},      // counts
      {"H2", "TEA", d(2025, 5, 1), 300},       // counts: the crop compares without case
      {"H3", "tea", d(2025, 3, 20), 200},      // counts (K2)
      {"H9", "tea", d(2025, 3, 20), 10000},    // not a participant of a tea contract
      {"H1", "tea", d(2024, 12, 31), 7000},    // another year
      {"H1", "macadamia", d(2025, 9, 1), 0},   // a zero harvest
      {"", "tea", d(2025, 6, 1), 100},         // a parcel nobody controlled
  };
  auto rates = linkage_rates(ks, r, hs);
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].commodity, "Macadamia");  // commodities in order, without case
  EXPECT_DOUBLE_EQ(rates[0].delivered_kg, 50);
  EXPECT_DOUBLE_EQ(rates[0].harvested_kg, 0);
  EXPECT_FALSE(rates[0].rate_pct.has_value());  // nothing harvested: no rate
  EXPECT_EQ(rates[1].commodity, "tea");
  EXPECT_EQ(rates[1].participants, 3u);
  EXPECT_DOUBLE_EQ(rates[1].delivered_kg, 600);
  EXPECT_DOUBLE_EQ(rates[1].harvested_kg, 1000);
  EXPECT_DOUBLE_EQ(*rates[1].rate_pct, 60);
  r.rates = rates;
  EXPECT_EQ(linkage_rate_csv(r),
            "commodity,delivered_kg,harvested_kg,linkage_rate_pct\n"
            "Macadamia,50.00,0.00,\n"
            "tea,600.00,1000.00,60.00\n");
}

}  // namespace
}  // namespace nongsan::chains
