// The administrative hierarchy as an in-memory graph over time: pure rules, no
// storage. Answers "which units were valid on D", "children of U on D",
// "ancestors of U on D", the scope of an officer, and the predecessors of a unit
// created by a reform. A province has ~150 units and the whole country ~12,000,
// so the graph is small enough to hold in memory and rebuild after writes.
#pragma once

#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "modules/admin/admin_unit.hpp"

namespace nongsan::admin {

class UnitGraph {
 public:
  UnitGraph() = default;
  UnitGraph(std::vector<AdminUnit> units, std::vector<UnitLink> links, std::vector<Succession> successions);

  const AdminUnit* find(UnitId id) const;
  // The unit with `code` valid on `date` (codes are reused across reforms).
  const AdminUnit* find_by_code(std::string_view code, const CivilDate& date) const;
  // The unit with `code` at any time: the one valid on `date` if any, else the latest.
  const AdminUnit* find_by_code_any_time(std::string_view code, const CivilDate& date) const;
  const std::vector<AdminUnit>& units() const { return units_; }
  const std::vector<UnitLink>& links() const { return links_; }
  const std::vector<Succession>& successions() const { return successions_; }

  std::vector<const AdminUnit*> valid_on(const CivilDate& date) const;
  std::optional<UnitId> parent_on(UnitId child, const CivilDate& date) const;
  std::vector<UnitId> children_on(UnitId parent, const CivilDate& date) const;
  // Root first, excluding `unit`.
  std::vector<UnitId> ancestors_on(UnitId unit, const CivilDate& date) const;
  // Roots: units valid on `date` without a parent on `date`.
  std::vector<UnitId> roots_on(const CivilDate& date) const;
  // True if `unit` is `ancestor` or below it on `date`.
  bool is_within_on(UnitId unit, UnitId ancestor, const CivilDate& date) const;

  std::vector<Succession> predecessors(UnitId unit) const;
  std::vector<Succession> successors(UnitId unit) const;

  // Every unit an officer of `root` may see and change (docs/rules.md §2):
  //  - the subtree of `root` at any time, plus (transitively) the whole units it
  //    was formed from and their subtrees, so that a new commune's officer reaches
  //    the history of the old communes merged into it (a district's share by area
  //    is not the district: it does not bring the district in);
  //  - the units that replaced a unit of that subtree a reform abolished (its
  //    successor links, any share), their subtrees, and so on through later
  //    reforms, so that the officer of a district abolished on 1 July 2025 reaches
  //    the new communes its old communes went to. Units reached forward do not
  //    bring in their own predecessors: a new commune formed partly from another
  //    district does not open that district's history.
  std::unordered_set<UnitId> scope_of(UnitId root) const;

 private:
  std::vector<AdminUnit> units_;
  std::vector<UnitLink> links_;
  std::vector<Succession> successions_;
  std::unordered_map<UnitId, std::size_t> index_;
  std::unordered_map<UnitId, std::vector<std::size_t>> links_by_child_;
  std::unordered_map<UnitId, std::vector<std::size_t>> links_by_parent_;
};

}  // namespace nongsan::admin
