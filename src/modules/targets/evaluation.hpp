// The evaluation of one indicator at one unit for a review — pure rules over
// in-memory data, exactly as docs/review-json.md states them, so that any two implementations
// agree. For programme P (start S), milestone year Y (E = 31 Dec Y), as-of date D,
// unit U:
//  - value(U, y): U's own approved observation for y, else the sum of the values of
//    its children valid on 31 Dec y (on D when y = year(D)), else — for a unit that
//    did not exist then (a commune formed on 1 Jul 2025) — its predecessors' values
//    times their successor shares. This is admin::roll_up; "no value anywhere below
//    means no value": a child without a value adds nothing, and only when no unit
//    below has a value is there no value.
//  - target(U): U's own target for Y in force on D (the latest revision with
//    effective date <= D, else the original), else the sum of its children's
//    targets, children valid on D, found the same way.
//  - actual: stock → value for the latest year <= year(D) that has one (searched down
//    to the baseline year); flow → the sum of the values of year(S)..year(D) (no value
//    in any of those years → no actual).
//  - baseline: stock → value(U, baseline year), 0 if none; flow → 0.
//  - achievement_pct: up → 100·actual/target; down → 100·(baseline−actual)/(baseline−target)
//    (none when the divisor is 0).
//  - f = (D − S)/(E − S) in calendar days, capped at 1 (none when D <= S);
//    forecast: flow → actual/f; stock → baseline + (actual − baseline)/f.
//    A quantity is never forecast below zero: a negative forecast is 0, and
//    forecast_pct is computed from that 0 (docs/rules.md §3).
//  - band from the unrounded achievement_pct: achieved >= 100, over_half >= 50, else low.
//  - status: the band when there is one; otherwise no_target (no target anywhere
//    below), no_data (a target but no actual) or not_evaluable (both, but the divisor
//    is 0: a down indicator whose target equals its baseline, or a target of 0).
//  - change since the baseline (stock only): actual − baseline, and 100·that/baseline
//    (none when the baseline is 0) — beside achievement_pct, which for a stock counts
//    the level reached, not the progress made.
// Nothing is rounded here.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/admin/rollup.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/targets/targets_types.hpp"

namespace nongsan::targets {

enum class Band { achieved, over_half, low };
std::string_view to_string(Band b);
Band band_of(double achievement_pct);

// What the review says of an indicator: its band, or why it has none.
enum class Assessment { achieved, over_half, low, no_target, no_data, not_evaluable };
std::string_view to_string(Assessment a);

struct ReviewWindow {
  CivilDate start;     // S
  CivilDate end;       // E = 31 Dec of the milestone year
  CivilDate as_of;     // D
  int baseline_year = 0;
};

// (D − S)/(E − S) capped at 1; nullopt when E <= S.
std::optional<double> elapsed_fraction(const ReviewWindow& w);

// The revision of `t` in force on `date`: the one with the latest effective date
// <= date (later seq on a tie); the original when none is.
const TargetRevision* revision_in_force(const Target& t, const CivilDate& date);

// Own annual values of one indicator: (unit, year) → value.
using ValueTable = std::map<std::pair<UnitId, int>, double>;
// Own targets of one indicator for the milestone year, by unit.
using TargetTable = std::map<UnitId, Target>;

struct Evaluation {
  double baseline = 0;
  std::optional<double> target, target_original;
  std::string target_decision;               // of the unit's own revision in force, "" otherwise
  std::optional<CivilDate> target_effective;  // idem
  std::optional<double> actual;
  std::optional<int> actual_year;  // stock: the year the actual comes from; flow: year(D)
  std::optional<double> achievement_pct, forecast, forecast_pct;
  std::optional<Band> band;
  Assessment status = Assessment::no_target;
  std::optional<bool> forecast_reached;
  std::optional<double> change_since_baseline, change_since_baseline_pct;  // stock only
  std::vector<std::pair<int, double>> trend;  // value per year, baseline year .. year(D), years with a value
};

// The unit's value for `year` under the roll-up rule (see above).
std::optional<double> unit_value(const admin::UnitGraph& g, const ValueTable& values, UnitId unit, int year,
                                 const CivilDate& as_of);
// 100·actual/target (up) or 100·(baseline−actual)/(baseline−target) (down).
std::optional<double> percent_of_target(Direction d, double baseline, double value, double target);

Evaluation evaluate(const admin::UnitGraph& g, Kind kind, Direction direction, const ReviewWindow& w, UnitId unit,
                    const ValueTable& values, const TargetTable& targets);

}  // namespace nongsan::targets
