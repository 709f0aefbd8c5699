// The roll-up rules of admin/rollup.hpp, table-driven over a hierarchy drawn
// here: a province with two districts until 30/6/2025 and two new communes after.
//
//   P ── D1 ── a, b        a + b → X (whole)      D1 → X (area, 1.0)
//     └─ D2 ── c, d        c → Y (whole), d → Y (whole); D2 → Y (area 0.6), D2 → X (area 0.4)
//     └─ X, Y from 1/7/2025
#include "modules/admin/rollup.hpp"

#include <gtest/gtest.h>

#include "test_support/reform_world.hpp"

#include <map>
#include <string>

namespace nongsan::admin {

namespace {
const CivilDate kStart(2020, 1, 1);

using World = test_support::ReformWorld;
World make_world() { return test_support::reform_world(kStart, /*district_shares=*/true); }

struct Case {
  const char* name;
  std::map<std::string, double> stored;  // unit -> value (one year)
  const char* unit;
  const char* as_of;
  std::optional<double> expected;
  RollupMethod method;
};

}  // namespace

TEST(Rollup, RulesTable) {
  const std::vector<Case> cases = {
      {"own value wins", {{"P", 10}, {"D1", 3}}, "P", "2025-12-31", 10, RollupMethod::own},
      {"province sums districts", {{"D1", 3}, {"D2", 4}}, "P", "2025-12-31", 7, RollupMethod::children},
      {"district sums communes", {{"a", 1}, {"b", 2}}, "D1", "2025-12-31", 3, RollupMethod::children},
      {"mixed levels: district value or its communes", {{"D1", 5}, {"c", 1}, {"d", 2}}, "P", "2025-12-31", 8,
       RollupMethod::children},
      {"nothing below means no value", {}, "P", "2025-12-31", std::nullopt, RollupMethod::none},
      {"new commune from whole old communes", {{"a", 1}, {"b", 2}, {"c", 4}}, "X", "2025-12-31", 3,
       RollupMethod::predecessors},
      {"new commune from a district share when communes have nothing", {{"D2", 10}}, "X", "2025-12-31", 4,
       RollupMethod::predecessors},
      {"finer units win over the district share", {{"D2", 10}, {"c", 1}, {"d", 2}}, "Y", "2025-12-31", 3,
       RollupMethod::predecessors},
      {"district-only history splits by area", {{"D1", 5}, {"D2", 10}}, "Y", "2025-12-31", 6,
       RollupMethod::predecessors},
  };
  World w = make_world();
  for (const auto& c : cases) {
    OwnValueFn own = [&](UnitId id, int) -> std::optional<double> {
      for (const auto& [name, v] : c.stored)
        if (w.id[name] == id) return v;
      return std::nullopt;
    };
    auto r = roll_up(w.graph, own, w.id[c.unit], 2023, *CivilDate::parse(c.as_of));
    EXPECT_EQ(r.value.has_value(), c.expected.has_value()) << c.name;
    if (r.value && c.expected) {
      EXPECT_DOUBLE_EQ(*r.value, *c.expected) << c.name;
    }
    EXPECT_EQ(r.method, c.method) << c.name;
  }
}

TEST(Rollup, ContributionsAddUpToTheValue) {
  World w = make_world();
  std::map<UnitId, double> stored = {{w.id["a"], 1.5}, {w.id["b"], 2.25}, {w.id["D2"], 10}};
  OwnValueFn own = [&](UnitId id, int) -> std::optional<double> {
    auto it = stored.find(id);
    return it == stored.end() ? std::nullopt : std::optional<double>(it->second);
  };
  auto r = roll_up(w.graph, own, w.id["X"], 2023, CivilDate(2025, 12, 31));
  double sum = 0;
  for (const auto& c : r.contributions) sum += c.value;
  ASSERT_TRUE(r.value);
  EXPECT_DOUBLE_EQ(sum, *r.value);
  EXPECT_DOUBLE_EQ(*r.value, 1.5 + 2.25 + 4.0);
}

TEST(Rollup, ReferenceDateIsAsOfInItsOwnYear) {
  EXPECT_EQ(reference_date(2025, CivilDate(2025, 3, 1)), CivilDate(2025, 3, 1));
  EXPECT_EQ(reference_date(2023, CivilDate(2025, 3, 1)), CivilDate(2023, 12, 31));
  // In 2025 read before the reform, the province still has its districts.
  World w = make_world();
  OwnValueFn own = [&](UnitId id, int) -> std::optional<double> {
    if (id == w.id["a"]) return 1.0;
    if (id == w.id["X"]) return 5.0;
    return std::nullopt;
  };
  EXPECT_EQ(*roll_up(w.graph, own, w.id["P"], 2025, CivilDate(2025, 6, 1)).value, 1.0);
  EXPECT_EQ(*roll_up(w.graph, own, w.id["P"], 2025, CivilDate(2025, 12, 31)).value, 5.0);
}

TEST(UnitGraph, ScopeOfANewCommuneReachesItsOldCommunesOnly) {
  World w = make_world();
  auto scope = w.graph.scope_of(w.id["X"]);
  EXPECT_TRUE(scope.contains(w.id["X"]));
  EXPECT_TRUE(scope.contains(w.id["a"]));
  EXPECT_TRUE(scope.contains(w.id["b"]));
  EXPECT_FALSE(scope.contains(w.id["c"]));
  EXPECT_FALSE(scope.contains(w.id["D1"]));  // a district share is not the district
  EXPECT_FALSE(scope.contains(w.id["D2"]));
}

// docs/rules.md §2: the scope of a unit the reform abolished reaches the units that
// replaced it, through the successor links, and no further back than its own history.
TEST(UnitGraph, ScopeOfAnAbolishedDistrictReachesTheCommunesThatReplacedIt) {
  World w = make_world();
  auto d1 = w.graph.scope_of(w.id["D1"]);
  EXPECT_TRUE(d1.contains(w.id["a"]));
  EXPECT_TRUE(d1.contains(w.id["b"]));
  EXPECT_TRUE(d1.contains(w.id["X"]));   // a + b (and D1 by area) went to X
  EXPECT_FALSE(d1.contains(w.id["Y"]));
  EXPECT_FALSE(d1.contains(w.id["c"]));
  auto d2 = w.graph.scope_of(w.id["D2"]);
  EXPECT_TRUE(d2.contains(w.id["Y"]));
  EXPECT_TRUE(d2.contains(w.id["X"]));   // 40 % of D2 by area went to X
  EXPECT_FALSE(d2.contains(w.id["a"]));  // ... which does not open D1's history
  EXPECT_FALSE(d2.contains(w.id["D1"]));
  // An old commune's officer reaches the new commune it went to.
  EXPECT_TRUE(w.graph.scope_of(w.id["c"]).contains(w.id["Y"]));
  // The province (never abolished) is unchanged: its subtree at any time.
  EXPECT_EQ(w.graph.scope_of(w.id["P"]).size(), w.graph.units().size());
}

TEST(UnitGraph, ChildrenAndAncestorsDependOnTheDate) {
  World w = make_world();
  EXPECT_EQ(w.graph.children_on(w.id["P"], CivilDate(2024, 1, 1)).size(), 2u);
  EXPECT_EQ(w.graph.children_on(w.id["P"], CivilDate(2025, 7, 1)),
            (std::vector<UnitId>{w.id["X"], w.id["Y"]}));
  EXPECT_EQ(w.graph.ancestors_on(w.id["a"], CivilDate(2024, 1, 1)), (std::vector<UnitId>{w.id["P"], w.id["D1"]}));
  EXPECT_TRUE(w.graph.ancestors_on(w.id["a"], CivilDate(2025, 7, 1)).empty());
  EXPECT_EQ(w.graph.find_by_code("a", CivilDate(2025, 7, 1)), nullptr);
}

}  // namespace nongsan::admin
