// The pure rules of the area codes: the code formats, the life cycle and code
// health (docs/area-codes.md; docs/rules.md, Growing-area and packing-house codes).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "modules/areacodes/code_evidence.hpp"
#include "modules/areacodes/code_evidence_source.hpp"
#include "modules/areacodes/code_format.hpp"
#include "modules/areacodes/code_health.hpp"
#include "modules/areacodes/code_lifecycle.hpp"

using namespace nongsan;
using namespace nongsan::areacodes;

TEST(AreaCodeFormat, DomesticCodeWithAndWithoutDistrict) {
  EXPECT_EQ(domestic_code({"12", "106", "03424", 1, 2024}), "VN-12-106-03424-001-24");
  // A commune of the units in force from 1 July 2025 has no district (the ADR).
  EXPECT_EQ(domestic_code({"12", "000", "03390", 17, 2025}), "VN-12-000-03390-017-25");
  EXPECT_FALSE(domestic_code({"12", "1066", "03424", 1, 2024}));
  EXPECT_FALSE(domestic_code({"12", "106", "3424", 1, 2024}));
  EXPECT_FALSE(domestic_code({"12", "106", "03424", 0, 2024}));
  auto p = parse_domestic_code("VN-12-106-03424-012-24");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->commune, "03424");
  EXPECT_EQ(p->number, 12);
  EXPECT_EQ(p->year, 2024);
  EXPECT_FALSE(parse_domestic_code("VN-12-106-03424-000-24"));
  EXPECT_FALSE(parse_domestic_code("VN-12-106-03424-01-24"));
  EXPECT_FALSE(parse_domestic_code("VN-DTOR-0017"));
}

TEST(AreaCodeFormat, ExportCodesByKind) {
  EXPECT_TRUE(is_export_code("VN-DTOR-0017", CodeKind::area));
  EXPECT_FALSE(is_export_code("VN-DTOR-0017", CodeKind::packing_house));
  EXPECT_TRUE(is_export_code("VN-DTPH-0001", CodeKind::packing_house));
  EXPECT_FALSE(is_export_code("VN-DTOR-017", CodeKind::area));
  EXPECT_FALSE(is_export_code("VN-DTOR-00A7", CodeKind::area));
  EXPECT_FALSE(is_export_code("vn-DTOR-0017", CodeKind::area));
  EXPECT_EQ(scheme_of("VN-DTOR-0017", CodeKind::area), CodeScheme::export_);
  EXPECT_EQ(scheme_of("VN-12-106-03424-001-24", CodeKind::packing_house), CodeScheme::domestic);
  EXPECT_FALSE(scheme_of("VN-DTPH-0001", CodeKind::area));
}

TEST(AreaCodeLifecycle, StepsFollowTheStatus) {
  EXPECT_EQ(after(CodeStatus::applied, CodeAction::issue, false), CodeStatus::issued);
  EXPECT_EQ(after(CodeStatus::applied, CodeAction::refuse, false), CodeStatus::refused);
  EXPECT_EQ(after(CodeStatus::issued, CodeAction::suspend, false), CodeStatus::suspended);
  EXPECT_EQ(after(CodeStatus::suspended, CodeAction::reinstate, false), CodeStatus::issued);
  EXPECT_EQ(after(CodeStatus::suspended, CodeAction::cancel, false), CodeStatus::cancelled);
  EXPECT_EQ(after(CodeStatus::issued, CodeAction::cancel, false), CodeStatus::cancelled);
  EXPECT_FALSE(after(CodeStatus::cancelled, CodeAction::reinstate, false));
  EXPECT_FALSE(after(CodeStatus::issued, CodeAction::issue, false));
  EXPECT_FALSE(after(CodeStatus::suspended, CodeAction::confirm, false)) << "only a system suspension is confirmed";
  EXPECT_EQ(after(CodeStatus::suspended, CodeAction::confirm, true), CodeStatus::suspended);
  auto acts = actions_from(CodeStatus::suspended, true);
  EXPECT_EQ(acts, (std::vector<CodeAction>{CodeAction::confirm, CodeAction::reinstate, CodeAction::cancel}));
}

namespace {
CropTable table() {
  auto t = parse_crop_table(nlohmann::json::parse(R"({
    "settings": {"area_tolerance_pct": 10, "minimum_ha_perennial": 1, "minimum_ha_annual": 0.1,
                 "serious": ["below_minimum"]},
    "crops": [{"code": "tea", "perennial": true, "max_yield_kg_per_ha": 25000},
              {"code": "maize", "perennial": false}]})"));
  EXPECT_TRUE(t) << (t ? "" : t.error().message);
  return *t;
}
Season season(const std::string& name, double area) {
  Season s;
  s.season = name;
  s.area_ha = area;
  return s;
}
}  // namespace

TEST(AreaCodeHealth, BelowMinimumByPerennialOrAnnual) {
  auto crops = table();
  HealthContext ctx{crops, crops.defaults};
  CodeFacts tea{1, "T", CodeKind::area, CodeStatus::issued, "tea", {}, {}, 0.999, {}};
  CodeFacts tea_ok{2, "T2", CodeKind::area, CodeStatus::issued, "tea", {}, {}, 1.0, {}};
  CodeFacts maize{3, "M", CodeKind::area, CodeStatus::issued, "maize", {}, {}, 0.1, {}};
  CodeFacts small_maize{4, "M2", CodeKind::area, CodeStatus::suspended, "maize", {}, {}, 0.0999, {}};
  CodeFacts cancelled{5, "C", CodeKind::area, CodeStatus::cancelled, "tea", {}, {}, 0.2, {}};
  CodeFacts house{6, "H", CodeKind::packing_house, CodeStatus::issued, "tea", {}, {}, 0, {}};
  auto f = check_codes({tea, tea_ok, maize, small_maize, cancelled, house}, ctx, standard_rules());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].code, "T");
  EXPECT_EQ(f[0].finding, "below_minimum");
  EXPECT_TRUE(f[0].serious);
  EXPECT_EQ(f[1].code, "M2");
}

TEST(AreaCodeHealth, AreaMismatchAgainstTheRegistryArea) {
  auto crops = table();
  HealthContext ctx{crops, crops.defaults};
  CodeFacts f{1, "T", CodeKind::area, CodeStatus::issued, "tea", {}, {}, 2.0, {}};
  f.seasons = {season("exact", 2.0), season("plus10", 2.2), season("minus10", 1.8), season("over", 2.2001),
               season("under", 1.7999)};
  auto out = check_codes({f}, ctx, standard_rules());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].season, "over");
  EXPECT_EQ(out[1].season, "under");
  EXPECT_FALSE(out[0].serious);
  // The registry area is the base: 2.0 vs 2.21 differs by 10.5 % of 2.0 (but by 9.5 % of 2.21).
  f.seasons = {season("s", 2.21)};
  EXPECT_EQ(check_codes({f}, ctx, standard_rules()).size(), 1u);
  // A threshold from the settings.
  HealthSettings loose = crops.defaults;
  loose.area_tolerance_pct = 20;
  HealthContext ctx2{crops, loose};
  EXPECT_TRUE(check_codes({f}, ctx2, standard_rules()).empty());
}

TEST(AreaCodeHealth, FurtherRulesPlugInOverTheSameFacts) {
  auto crops = table();
  HealthSettings s = crops.defaults;
  s.serious.insert("over_shipped");
  HealthContext ctx{crops, s};
  CodeFacts f{1, "T", CodeKind::area, CodeStatus::issued, "tea", {7}, {"P7"}, 1.5, {season("2025", 1.5)}};
  CodeRule over_shipped = [](const CodeFacts& c, const HealthContext& x, std::vector<Finding>& out) {
    const auto* crop = x.crops.find(c.crop);
    for (const auto& se : c.seasons)
      if (crop && crop->max_yield_kg_per_ha && 40000 > se.area_ha * *crop->max_yield_kg_per_ha)
        out.push_back({"over_shipped", c.code, se.season, "", false, c.id, {}});
  };
  auto rules = standard_rules();
  rules.push_back(over_shipped);
  auto out = check_codes({f}, ctx, rules);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].finding, "over_shipped");
  EXPECT_TRUE(out[0].serious);
}

TEST(AreaCodeHealth, TheShippedCropTableReads) {
  std::ifstream in(std::string(NONGSAN_SOURCE_DIR) + "/../data/areacodes/crops.json");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  auto t = parse_crop_table(nlohmann::json::parse(ss.str()));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_TRUE(t->find("tea")->perennial);
  EXPECT_TRUE(t->find("macadamia")->perennial);
  EXPECT_FALSE(t->find("rice")->perennial);
  for (const auto& [code, c] : t->crops) {
    EXPECT_TRUE(c.max_yield_kg_per_ha) << code;
    EXPECT_TRUE(c.illustrative || !c.source.empty()) << code << ": a yield is sourced or labelled illustrative";
  }
  EXPECT_EQ(t->defaults.area_tolerance_pct, 10);
  EXPECT_EQ(t->defaults.minimum_ha_perennial, 1);
  EXPECT_EQ(t->defaults.minimum_ha_annual, 0.1);
}

TEST(AreaCodeHealth, ABadCropTableNamesItsPath) {
  auto t = parse_crop_table(nlohmann::json::parse(R"({"crops": [{"code": "tea"}, {"perennial": true}]})"));
  ASSERT_FALSE(t);
  ASSERT_EQ(t.error().fields.size(), 2u);
  EXPECT_EQ(t.error().fields[0].field, "crops[0].perennial");
  EXPECT_EQ(t.error().fields[1].field, "crops[1].code");
}

namespace {
Season window(const std::string& name, double area, const char* from, const char* to) {
  Season s = season(name, area);
  s.harvest_from = *CivilDate::parse(from);
  s.harvest_to = *CivilDate::parse(to);
  return s;
}
CivilDate d(const char* iso) { return *CivilDate::parse(iso); }
}  // namespace

TEST(AreaCodeEvidence, DiaryGapCountsDaysWithoutAnEntryInsideTheSeason) {
  auto crops = table();
  HealthContext ctx{crops, crops.defaults};  // diary_gap_days 60
  CodeFacts f{1, "T", CodeKind::area, CodeStatus::issued, "tea", {7, 8}, {"P7", "P8"}, 1.5, {}};
  f.seasons = {window("2025", 1.5, "2025-01-01", "2025-12-31")};
  CodeEvidence ev;
  ev.today = d("2026-06-01");
  // Entries every 61 days (60 days without one between them) on either parcel: no gap.
  for (const char* day : {"2025-01-01", "2025-03-03", "2025-05-03", "2025-07-03", "2025-09-02", "2025-11-02"})
    ev.entries.push_back({7, d(day), std::string("E") + day, false, 0});
  ev.entries.push_back({8, d("2025-12-31"), "last", false, 0});
  std::vector<Finding> out;
  rule_diary_gap(ev, f, ctx, out);
  EXPECT_TRUE(out.empty()) << (out.empty() ? "" : out[0].detail);
  // One day more between two entries is 61 days without an entry.
  ev.entries[1].date = d("2025-03-04");
  ev.entries[2].date = d("2025-05-04");  // keeps the next run at 59 days
  rule_diary_gap(ev, f, ctx, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].season, "2025");
  EXPECT_NE(out[0].detail.find("61 days"), std::string::npos) << out[0].detail;
  // An entry on a parcel that is not the code's does not count.
  out.clear();
  ev.entries = {{9, d("2025-06-01"), "other", false, 0}};
  rule_diary_gap(ev, f, ctx, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].detail.find("365 days"), std::string::npos) << out[0].detail;
  // The days still to come are not a gap: a season begun 30 days before today.
  out.clear();
  ev.today = d("2025-01-31");
  rule_diary_gap(ev, f, ctx, out);
  EXPECT_TRUE(out.empty());
  // The threshold is a setting.
  HealthSettings s = crops.defaults;
  s.diary_gap_days = 20;
  HealthContext ctx2{crops, s};
  rule_diary_gap(ev, f, ctx2, out);
  EXPECT_EQ(out.size(), 1u);
}

TEST(AreaCodeEvidence, BannedUseOnTheCodesParcelsInTheSeason) {
  auto crops = table();
  HealthContext ctx{crops, crops.defaults};
  CodeFacts f{1, "T", CodeKind::area, CodeStatus::issued, "tea", {7}, {"P7"}, 1.5, {}};
  f.seasons = {window("2025", 1.5, "2025-01-01", "2025-12-31"), window("2026", 1.5, "2026-01-01", "2026-12-31")};
  CodeEvidence ev;
  ev.today = d("2026-06-01");
  ev.banned = {{7, d("2025-04-02"), "S1", "Carbofuran 3GR"},
               {8, d("2025-04-02"), "S2", "Carbofuran 3GR"},   // another parcel
               {7, d("2024-12-31"), "S3", "Carbofuran 3GR"}};  // before the seasons
  std::vector<Finding> out;
  rule_banned_use(ev, f, ctx, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].finding, "banned_use");
  EXPECT_EQ(out[0].season, "2025");
  EXPECT_EQ(out[0].entries, std::vector<std::string>{"S1"});
  EXPECT_NE(out[0].detail.find("Carbofuran 3GR"), std::string::npos);
}

TEST(AreaCodeEvidence, OverShippedByDiaryHarvestsOrEpcisEvents) {
  auto crops = table();  // tea: 25000 kg/ha
  HealthSettings s = crops.defaults;
  s.serious.insert("over_shipped");
  HealthContext ctx{crops, s};
  CodeFacts f{1, "T", CodeKind::area, CodeStatus::issued, "tea", {7}, {"P7"}, 1.0, {}};
  f.seasons = {window("2025", 1.0, "2025-01-01", "2025-12-31")};  // ceiling 25000 kg
  auto ev = std::make_shared<CodeEvidence>();
  ev->today = d("2026-06-01");
  ev->entries = {{7, d("2025-05-01"), "H1", true, 15000}, {7, d("2025-09-01"), "H2", true, 10000},
                 {7, d("2026-01-02"), "H3", true, 9000}};  // the next season
  std::vector<Finding> out;
  rule_over_shipped(*ev, f, ctx, out);
  EXPECT_TRUE(out.empty()) << "25000 kg is the ceiling, not above it";
  ev->entries[1].quantity_kg = 10001;
  rule_over_shipped(*ev, f, ctx, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entries, (std::vector<std::string>{"H1", "H2"}));
  // EPCIS events naming the code, without diary harvests above the ceiling.
  out.clear();
  ev->entries[1].quantity_kg = 1000;
  ev->events = {{"T", d("2025-10-01"), "ni:///sha-256;a", 20000}, {"T", d("2025-11-01"), "ni:///sha-256;b", 6000},
                {"OTHER", d("2025-11-01"), "ni:///sha-256;c", 90000}};
  rule_over_shipped(*ev, f, ctx, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entries, (std::vector<std::string>{"ni:///sha-256;a", "ni:///sha-256;b"}));
  // Through check_codes, serious from the settings.
  auto all = check_codes({f}, ctx, evidence_rules(ev));
  ASSERT_EQ(all.size(), 2u);  // a diary_gap too: entries on 05-01 and 09-01 only
  EXPECT_EQ(all[0].finding, "diary_gap");
  EXPECT_EQ(all[1].finding, "over_shipped");
  EXPECT_TRUE(all[1].serious);
  EXPECT_FALSE(all[0].serious);
}

TEST(AreaCodeEvidence, EventQuantityInKilograms) {
  auto e = nlohmann::json::parse(R"({"quantityList": [{"epcClass": "x", "quantity": 120.5, "uom": "KGM"},
    {"epcClass": "y", "quantity": 2, "uom": "TNE"}, {"epcClass": "z", "quantity": 7}],
    "outputQuantityList": [{"epcClass": "x", "quantity": 10, "uom": "KGM"}],
    "inputQuantityList": [{"epcClass": "x", "quantity": 999, "uom": "KGM"}]})");
  EXPECT_DOUBLE_EQ(event_quantity_kg(e), 2130.5);
}
