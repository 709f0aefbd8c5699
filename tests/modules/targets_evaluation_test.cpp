// The evaluation rules of the review (docs/review-json.md, modules/targets/evaluation.hpp), table-driven
// over a hierarchy drawn here with the 1 July 2025 reform in miniature:
//
//   P ── D1 ── a, b     (districts and communes until 30/6/2025)
//     └─ D2 ── c, d
//     └─ X = a + b, Y = c + d   (new communes from 1/7/2025, linked to P)
//
// Programme: start 2021-01-01, baseline 2020, milestone 2025 (E = 2025-12-31,
// 1,825 days after the start).
#include "modules/targets/evaluation.hpp"

#include <gtest/gtest.h>

#include "test_support/reform_world.hpp"

#include <map>
#include <string>

namespace nongsan::targets {

namespace {

const CivilDate kFrom(2019, 1, 1);

using World = test_support::ReformWorld;
World make_world() { return test_support::reform_world(kFrom, /*district_shares=*/false); }

struct Rev {
  double value;
  const char* effective;  // nullptr for an original without a date
};

struct Case {
  const char* name;
  Kind kind;
  Direction direction;
  std::map<std::pair<std::string, int>, double> values;  // (unit, year) → own approved value
  std::map<std::string, std::vector<Rev>> targets;        // unit → original then revisions
  const char* unit;
  const char* as_of;
  std::optional<double> target, target_original, actual, baseline;
  std::optional<double> achievement_pct, forecast;
  std::optional<Band> band;
};

CivilDate D(const char* s) { return *CivilDate::parse(s); }
double F(const char* as_of) { return static_cast<double>(days_between(D("2021-01-01"), D(as_of))) / 1825.0; }

}  // namespace

TEST(TargetsEvaluation, ElapsedFractionInCalendarDays) {
  EXPECT_EQ(days_between(D("2021-01-01"), D("2025-12-31")), 1825);
  ReviewWindow w{D("2021-01-01"), D("2025-12-31"), D("2023-06-30"), 2020};
  EXPECT_DOUBLE_EQ(*elapsed_fraction(w), 910.0 / 1825.0);
  w.as_of = D("2025-12-31");
  EXPECT_DOUBLE_EQ(*elapsed_fraction(w), 1.0);
  w.as_of = D("2027-03-01");  // past the milestone: capped at 1
  EXPECT_DOUBLE_EQ(*elapsed_fraction(w), 1.0);
}

TEST(TargetsEvaluation, BandsFromUnroundedValues) {
  EXPECT_EQ(band_of(100.0), Band::achieved);
  EXPECT_EQ(band_of(99.9999999), Band::over_half);
  EXPECT_EQ(band_of(50.0), Band::over_half);
  EXPECT_EQ(band_of(49.99999), Band::low);
}

TEST(TargetsEvaluation, RulesTable) {
  const double f23 = F("2023-06-30");
  const std::vector<Case> cases = {
      {"stock up: latest year with a value, baseline from the baseline year",
       Kind::stock, Direction::up, {{{"P", 2020}, 100}, {{"P", 2022}, 150}, {{"P", 2024}, 190}},
       {{"P", {{200, nullptr}}}}, "P", "2023-06-30",
       200, 200, 150, 100, 75, 100 + 50 / f23, Band::over_half},
      {"stock without a baseline value: baseline 0",
       Kind::stock, Direction::up, {{{"P", 2021}, 60}}, {{"P", {{100, nullptr}}}}, "P", "2023-06-30",
       100, 100, 60, 0, 60, 60 / f23, Band::over_half},
      {"flow up: sum of the years from the start, children summed where no own value",
       Kind::flow, Direction::up, {{{"D1", 2021}, 10}, {{"D2", 2021}, 20}, {{"a", 2022}, 5}, {{"P", 2020}, 999}},
       {{"P", {{100, nullptr}}}}, "P", "2023-06-30",
       100, 100, 35, 0, 35, 35 / f23, Band::low},
      {"flow: the baseline year is not part of the actual",
       Kind::flow, Direction::up, {{{"P", 2020}, 50}}, {{"P", {{100, nullptr}}}}, "P", "2023-06-30",
       100, 100, std::nullopt, 0, std::nullopt, std::nullopt, std::nullopt},
      {"stock down: 100·(baseline − actual)/(baseline − target)",
       Kind::stock, Direction::down, {{{"P", 2020}, 20}, {{"P", 2022}, 15}}, {{"P", {{10, nullptr}}}}, "P",
       "2023-06-30", 10, 10, 15, 20, 50, 20 - 5 / f23, Band::over_half},
      {"down with baseline equal to target: no percentage",
       Kind::stock, Direction::down, {{{"P", 2020}, 10}, {{"P", 2022}, 8}}, {{"P", {{10, nullptr}}}}, "P",
       "2023-06-30", 10, 10, 8, 10, std::nullopt, 10 - 2 / f23, std::nullopt},
      {"f capped at 1 after the milestone: forecast equals the actual",
       Kind::flow, Direction::up, {{{"P", 2021}, 40}, {{"P", 2025}, 70}}, {{"P", {{100, nullptr}}}}, "P",
       "2026-06-30", 100, 100, 110, 0, 110, 110, Band::achieved},
      {"a missing child adds nothing: the sum of the others",
       Kind::stock, Direction::up, {{{"a", 2022}, 1}, {{"c", 2022}, 4}}, {{"P", {{10, nullptr}}}}, "P",
       "2023-06-30", 10, 10, 5, 0, 50, 5 / f23, Band::over_half},
      {"no value anywhere below: no value",
       Kind::stock, Direction::up, {}, {{"P", {{10, nullptr}}}}, "P", "2023-06-30",
       10, 10, std::nullopt, 0, std::nullopt, std::nullopt, std::nullopt},
      {"own value overrides the children",
       Kind::stock, Direction::up, {{{"D1", 2022}, 10}, {{"a", 2022}, 1}, {{"b", 2022}, 2}},
       {{"D1", {{20, nullptr}}}}, "D1", "2023-06-30", 20, 20, 10, 0, 50, 10 / f23, Band::over_half},
      {"target: the sum of the children's targets (children on D)",
       Kind::stock, Direction::up, {{{"D1", 2022}, 30}, {{"D2", 2022}, 30}},
       {{"D1", {{50, nullptr}}}, {"D2", {{70, nullptr}}}, {"X", {{1000, nullptr}}}}, "P", "2023-06-30",
       120, 120, 60, 0, 50, 60 / f23, Band::over_half},
      {"target revision not yet in force on D: the original",
       Kind::stock, Direction::up, {{{"P", 2022}, 90}}, {{"P", {{100, nullptr}, {120, "2023-01-01"}}}}, "P",
       "2022-12-31", 100, 100, 90, 0, 90, 90 / F("2022-12-31"), Band::over_half},
      {"target revision in force on D (effective <= D), original kept beside it",
       Kind::stock, Direction::up, {{{"P", 2022}, 90}}, {{"P", {{100, nullptr}, {120, "2023-01-01"}}}}, "P",
       "2023-01-01", 120, 100, 90, 0, 75, 90 / F("2023-01-01"), Band::over_half},
      {"the latest revision in force wins",
       Kind::stock, Direction::up, {{{"P", 2022}, 90}},
       {{"P", {{100, nullptr}, {120, "2023-01-01"}, {90, "2023-06-01"}, {80, "2024-01-01"}}}}, "P", "2023-06-30",
       90, 100, 90, 0, 100, 90 / f23, Band::achieved},
      {"reform: a new commune's history from its predecessors",
       Kind::stock, Direction::up, {{{"a", 2020}, 3}, {{"b", 2020}, 4}, {{"a", 2023}, 5}, {{"b", 2023}, 6}},
       {{"X", {{22, nullptr}}}}, "X", "2025-12-31", 22, 22, 11, 7, 50, 11, Band::over_half},
      {"reform: the province over 2021–2025 adds up (districts to 2024, new communes in 2025)",
       Kind::flow, Direction::up,
       {{{"D1", 2021}, 10}, {{"D2", 2021}, 10}, {{"a", 2022}, 5}, {{"d", 2023}, 5}, {{"D1", 2024}, 10},
        {{"X", 2025}, 40}, {{"Y", 2025}, 20}, {{"D2", 2025}, 1000}},
       {{"X", {{60, nullptr}}}, {"Y", {{40, nullptr}}}}, "P", "2025-12-31", 100, 100, 100, 0, 100, 100,
       Band::achieved},
  };
  World w = make_world();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ValueTable values;
    for (const auto& [k, v] : c.values) values[{w.id.at(k.first), k.second}] = v;
    TargetTable targets;
    for (const auto& [unit, revs] : c.targets) {
      Target t;
      t.unit = w.id.at(unit);
      t.year = 2025;
      int seq = 0;
      for (const auto& r : revs) {
        TargetRevision tr;
        tr.seq = seq++;
        tr.value = r.value;
        if (r.effective) tr.effective = D(r.effective);
        t.revisions.push_back(tr);
      }
      targets[t.unit] = t;
    }
    ReviewWindow win{D("2021-01-01"), D("2025-12-31"), D(c.as_of), 2020};
    Evaluation e = evaluate(w.graph, c.kind, c.direction, win, w.id.at(c.unit), values, targets);
    auto near = [](std::optional<double> got, std::optional<double> want, const char* what) {
      ASSERT_EQ(got.has_value(), want.has_value()) << what;
      if (want) {
        EXPECT_NEAR(*got, *want, 1e-9) << what;
      }
    };
    near(e.target, c.target, "target");
    near(e.target_original, c.target_original, "target_original");
    near(e.actual, c.actual, "actual");
    near(e.baseline, c.baseline, "baseline");
    near(e.achievement_pct, c.achievement_pct, "achievement_pct");
    near(e.forecast, c.forecast, "forecast");
    EXPECT_EQ(e.band, c.band);
    if (e.forecast_pct) {
      EXPECT_EQ(*e.forecast_reached, *e.forecast_pct >= 100);
    } else {
      EXPECT_FALSE(e.forecast_reached.has_value());
    }
  }
}

TEST(TargetsEvaluation, RevisionDecisionShownOnlyWhenARevisionIsInForce) {
  World w = make_world();
  Target t;
  t.unit = w.id["P"];
  t.year = 2025;
  t.revisions = {{0, 0, 100, "", std::nullopt, "", ""}, {0, 1, 120, "Nghị quyết 15/NQ-HĐND", D("2023-12-01"), "", ""}};
  TargetTable targets{{t.unit, t}};
  ValueTable values;
  ReviewWindow win{D("2021-01-01"), D("2025-12-31"), D("2023-06-30"), 2020};
  auto before = evaluate(w.graph, Kind::stock, Direction::up, win, t.unit, values, targets);
  EXPECT_EQ(before.target_decision, "");
  EXPECT_FALSE(before.target_effective);
  win.as_of = D("2024-01-01");
  auto after = evaluate(w.graph, Kind::stock, Direction::up, win, t.unit, values, targets);
  EXPECT_EQ(after.target_decision, "Nghị quyết 15/NQ-HĐND");
  EXPECT_EQ(after.target_effective->iso(), "2023-12-01");
  EXPECT_DOUBLE_EQ(*after.target, 120);
  EXPECT_DOUBLE_EQ(*after.target_original, 100);
}

TEST(TargetsEvaluation, TrendListsTheYearsWithAValue) {
  World w = make_world();
  ValueTable values{{{w.id["a"], 2020}, 1}, {{w.id["b"], 2020}, 2}, {{w.id["X"], 2025}, 7}};
  ReviewWindow win{D("2021-01-01"), D("2025-12-31"), D("2025-12-31"), 2020};
  auto e = evaluate(w.graph, Kind::stock, Direction::up, win, w.id["P"], values, {});
  ASSERT_EQ(e.trend.size(), 2u);
  EXPECT_EQ(e.trend[0], std::make_pair(2020, 3.0));
  EXPECT_EQ(e.trend[1], std::make_pair(2025, 7.0));
  EXPECT_FALSE(e.target);
  EXPECT_FALSE(e.achievement_pct);
}

}  // namespace nongsan::targets
