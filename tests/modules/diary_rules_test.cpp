// The pesticide rules of the farming diary (docs/diary.md), pure: every finding with
// its edge dates.
#include <gtest/gtest.h>

#include "modules/diary/diary_rules.hpp"

namespace nongsan::diary {
namespace {

CivilDate d(const char* s) { return *CivilDate::parse(s); }

Reference reference() {
  return Reference(
      {
          {"P-OK", "Good", {"abamectin"}, d("2020-01-01"), d("2025-06-30")},
          {"P-MIX", "Mixed", {"abamectin", "Carbendazim"}, d("2015-01-01"), std::nullopt},
          {"P-OPEN", "Open", {"emamectin"}, d("2020-01-01"), std::nullopt},
      },
      {
          {"carbendazim", IngredientStatus::banned, d("2019-01-03"), "Decision 03/QĐ-BNN-BVTV"},
          {"emamectin", IngredientStatus::banned, d("2024-01-01"), ""},
          {"emamectin", IngredientStatus::permitted, d("2024-03-01"), ""},
      },
      {
          {"P-OK", "Chè", 2.0, 7},
          {"p-open", "chè", 1.0, 0},
          {"P-MIX", "mắc ca", 1.5, 14},
      });
}

std::vector<PlantingSpan> plantings() {
  return {{1, "chè", d("2020-01-01"), std::nullopt}, {2, "mắc ca", d("2022-01-01"), d("2024-12-31")}};
}

DiaryEntry spray(const char* code, std::int64_t parcel, const char* date, const char* product,
                 std::optional<double> dose = std::nullopt) {
  DiaryEntry e;
  e.code = code;
  e.parcel_id = parcel;
  e.parcel = "PC-" + std::to_string(parcel);
  e.date = d(date);
  e.kind = EntryKind::spray;
  e.product = product;
  e.dose_per_ha = dose;
  return e;
}

DiaryEntry harvest(const char* code, std::int64_t parcel, const char* date, const char* lot) {
  DiaryEntry e;
  e.code = code;
  e.parcel_id = parcel;
  e.parcel = "PC-" + std::to_string(parcel);
  e.date = d(date);
  e.kind = EntryKind::harvest;
  e.lot = lot;
  e.quantity_kg = 100;
  return e;
}

std::vector<std::string> kinds(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(std::string(to_string(f.kind)) + ":" + f.entry + ":" + f.product);
  return out;
}

TEST(DiaryRules, RegistrationEndsAreInclusive) {
  const Pesticide p{"X", "", {}, d("2020-01-01"), d("2025-06-30")};
  EXPECT_FALSE(registered_on(p, d("2019-12-31")));
  EXPECT_TRUE(registered_on(p, d("2020-01-01")));
  EXPECT_TRUE(registered_on(p, d("2025-06-30")));
  EXPECT_FALSE(registered_on(p, d("2025-07-01")));
  const Pesticide open{"Y", "", {}, d("2020-01-01"), std::nullopt};
  EXPECT_TRUE(registered_on(open, d("2099-01-01")));
}

TEST(DiaryRules, StatusIsTheLatestRowOnOrBeforeTheDate) {
  const auto ref = reference();
  EXPECT_EQ(ref.status_on("emamectin", d("2023-12-31")), IngredientStatus::permitted);  // no row yet
  EXPECT_EQ(ref.status_on("emamectin", d("2024-01-01")), IngredientStatus::banned);     // the row's own date
  EXPECT_EQ(ref.status_on("emamectin", d("2024-02-29")), IngredientStatus::banned);
  EXPECT_EQ(ref.status_on("EMAMECTIN", d("2024-03-01")), IngredientStatus::permitted);  // a later row lifts it
  EXPECT_EQ(ref.status_on("unknown", d("2024-03-01")), IngredientStatus::permitted);
}

TEST(DiaryRules, UnregisteredOutsideTheRegistrationOrUnknown) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {spray("S1", 1, "2025-06-30", "P-OK", 1), spray("S2", 1, "2025-07-01", "P-OK", 1),
                           spray("S3", 1, "2025-01-01", "NOPE", 1)},
                          plantings());
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"unregistered:S3:NOPE", "not_for_crop:S3:NOPE",
                                                 "unregistered:S2:P-OK"}));
}

TEST(DiaryRules, SeveralIngredientsOneBanned) {
  const auto ref = reference();
  // The ban starts on 2019-01-03: the day before is fine, the day itself is not.
  auto fs = check_entries(ref, {spray("A", 2, "2019-01-02", "P-MIX", 1), spray("B", 2, "2023-05-01", "P-MIX", 1)},
                          {{2, "mắc ca", d("2018-01-01"), std::nullopt}});
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"banned:B:P-MIX"}));
  EXPECT_NE(fs[0].detail.find("Carbendazim"), std::string::npos);
}

TEST(DiaryRules, NotForCropWithoutLabelOrPlanting) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {spray("A", 2, "2023-05-01", "P-OK", 1),     // no label of P-OK for mắc ca
                           spray("B", 2, "2025-01-01", "P-MIX", 1),    // the planting ended 2024-12-31
                           spray("C", 3, "2023-05-01", "P-OK", 1),     // no planting at all
                           spray("D", 2, "2024-12-31", "P-MIX", 1)},   // last day of the planting: labelled
                          plantings());
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"not_for_crop:A:P-OK", "not_for_crop:C:P-OK", "banned:D:P-MIX",
                                                 "banned:B:P-MIX", "not_for_crop:B:P-MIX"}));
}

TEST(DiaryRules, OverDoseOnlyAboveTheMaximum) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {spray("A", 1, "2023-05-01", "p-ok", 2.0), spray("B", 1, "2023-05-02", "P-OK ", 2.01),
                           spray("C", 1, "2023-05-03", "P-OK", std::nullopt)},
                          plantings());
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"over_dose:B:P-OK "}));
}

TEST(DiaryRules, PhiBoundaryIsStrict) {
  const auto ref = reference();
  // P-OK on chè: 7 days. Harvest 6 days after: too soon; 7 days after: allowed.
  auto fs = check_entries(ref,
                          {spray("S", 1, "2023-05-01", "P-OK", 1), harvest("H6", 1, "2023-05-07", "L6"),
                           harvest("H7", 1, "2023-05-08", "L7"), harvest("H0", 1, "2023-05-01", "L0")},
                          plantings());
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"phi_not_passed:H0:P-OK", "phi_not_passed:H6:P-OK"}));
  EXPECT_EQ(fs[1].lot, "L6");
  EXPECT_EQ(fs[1].spray_entry, "S");
  EXPECT_EQ(fs[1].phi_days, 7);
}

TEST(DiaryRules, SpraysAfterTheHarvestAndOtherParcelsAreIgnored) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {harvest("H", 1, "2023-05-07", "L"), spray("LATE", 1, "2023-05-08", "P-OK", 1),
                           spray("OTHER", 2, "2023-05-06", "P-MIX", 1)},
                          plantings());
  for (const auto& f : fs) EXPECT_NE(f.kind, FindingKind::phi_not_passed);
}

TEST(DiaryRules, OnePhiRowPerHarvestAndProduct) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {spray("S1", 2, "2023-05-01", "P-MIX", 1), spray("S2", 2, "2023-05-05", "P-MIX", 1),
                           harvest("H", 2, "2023-05-10", "L")},
                          plantings());
  std::vector<Finding> phi;
  for (const auto& f : fs)
    if (f.kind == FindingKind::phi_not_passed) phi.push_back(f);
  ASSERT_EQ(phi.size(), 1u);
  EXPECT_EQ(phi[0].spray_entry, "S2");  // the nearest spray
  EXPECT_EQ(phi[0].entry, "H");
}

TEST(DiaryRules, PhiNeedsALabelForTheCropInForceOnTheHarvest) {
  const auto ref = reference();
  // P-OK has no label for mắc ca: no phi row (the spray itself is not_for_crop).
  auto fs = check_entries(ref, {spray("S", 2, "2023-05-01", "P-OK", 1), harvest("H", 2, "2023-05-02", "L")},
                          plantings());
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"not_for_crop:S:P-OK"}));
}

TEST(DiaryRules, DateRangeFiltersByTheEntryButEarlierSpraysStillCount) {
  const auto ref = reference();
  auto fs = check_entries(ref,
                          {spray("S", 1, "2023-04-30", "P-OK", 9), harvest("H", 1, "2023-05-02", "L")},
                          plantings(), d("2023-05-01"), d("2023-05-31"));
  EXPECT_EQ(kinds(fs), (std::vector<std::string>{"phi_not_passed:H:P-OK"}));
}

TEST(DiaryRules, AnAmendedEntryIsReplacedByItsAmendment) {
  auto first = spray("S", 1, "2023-05-01", "P-OK", 9);
  auto fix = spray("S-fix", 1, "2023-05-01", "P-OK", 1);
  fix.amends = "S";
  auto fix2 = spray("S-fix2", 1, "2023-05-01", "P-OK", 1.5);
  fix2.amends = "S-fix";
  auto eff = effective_entries({first, fix, fix2});
  ASSERT_EQ(eff.size(), 1u);
  EXPECT_EQ(eff[0].code, "S-fix2");
  EXPECT_TRUE(check_entries(reference(), eff, plantings()).empty());
}

}  // namespace
}  // namespace nongsan::diary
