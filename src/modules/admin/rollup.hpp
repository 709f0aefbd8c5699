// Roll-up of figures stored against units: pure rules over a UnitGraph.
//
// value(U, year y, as of D), with c = D when y = year(D), else 31 Dec y:
//  1. U's own figure for y, if stored;
//  2. else, if U was valid on c: the sum of the values of its children on c,
//     each found the same way (no value anywhere below means no value);
//  3. else (U did not exist on c, e.g. a commune formed on 1 Jul 2025 asked about
//     2023): the history of the units it was formed from, re-aggregated through the
//     succession shares. Where a predecessor and some of its own descendants are
//     both predecessors (a district shared out by area, and its whole communes),
//     the finer units are used when they have values, else the coarser unit times
//     its share — so nothing is counted twice. A coarser predecessor contributes
//     only a figure stored against it, never the sum of its communes (they have
//     successors of their own).
// Every result lists its contributions, so a figure can be traced to its records.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modules/admin/unit_graph.hpp"

namespace nongsan::admin {

enum class RollupMethod { own, children, predecessors, none };
std::string_view to_string(RollupMethod m);

struct Contribution {
  UnitId unit;
  double value = 0;  // after the share is applied
  double share = 1;
  RollupMethod method = RollupMethod::own;
};

struct RollupResult {
  std::optional<double> value;
  RollupMethod method = RollupMethod::none;
  std::vector<Contribution> contributions;  // direct contributions, one level down
};

using OwnValueFn = std::function<std::optional<double>(UnitId unit, int year)>;

RollupResult roll_up(const UnitGraph& graph, const OwnValueFn& own, UnitId unit, int year, const CivilDate& as_of);

// The date on which the hierarchy is read for `year`: `as_of` itself in its own
// year, else 31 December of `year`.
CivilDate reference_date(int year, const CivilDate& as_of);

}  // namespace nongsan::admin
