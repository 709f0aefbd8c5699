// The 1 July 2025 reform in miniature, as an in-memory UnitGraph for table-driven
// tests of the rules that walk units over time (admin roll-up, targets evaluation):
//
//   P ── D1 ── a, b        until 30/6/2025; a + b → X (whole)
//     └─ D2 ── c, d        until 30/6/2025; c + d → Y (whole)
//     └─ X, Y              new communes from 1/7/2025, linked to P
//
// With `district_shares`, the districts also pass to the new communes by area:
// D1 → X 1.0, D2 → Y 0.6, D2 → X 0.4.
#pragma once

#include <map>
#include <string>

#include "modules/admin/unit_graph.hpp"

namespace nongsan::test_support {

struct ReformWorld {
  admin::UnitGraph graph;
  std::map<std::string, UnitId> id;  // by the names above
};

ReformWorld reform_world(CivilDate start, bool district_shares);

}  // namespace nongsan::test_support
