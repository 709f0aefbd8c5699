#include "modules/admin/unit_graph.hpp"

#include <algorithm>

namespace nongsan::admin {

UnitGraph::UnitGraph(std::vector<AdminUnit> units, std::vector<UnitLink> links, std::vector<Succession> successions)
    : units_(std::move(units)), links_(std::move(links)), successions_(std::move(successions)) {
  for (std::size_t i = 0; i < units_.size(); ++i) index_[units_[i].id] = i;
  for (std::size_t i = 0; i < links_.size(); ++i) {
    links_by_child_[links_[i].child].push_back(i);
    links_by_parent_[links_[i].parent].push_back(i);
  }
}

const AdminUnit* UnitGraph::find(UnitId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &units_[it->second];
}

const AdminUnit* UnitGraph::find_by_code(std::string_view code, const CivilDate& date) const {
  for (const auto& u : units_)
    if (u.code == code && u.valid_on(date)) return &u;
  return nullptr;
}

const AdminUnit* UnitGraph::find_by_code_any_time(std::string_view code, const CivilDate& date) const {
  if (auto* u = find_by_code(code, date)) return u;
  const AdminUnit* best = nullptr;
  for (const auto& u : units_)
    if (u.code == code && (!best || best->valid_from < u.valid_from)) best = &u;
  return best;
}

std::vector<const AdminUnit*> UnitGraph::valid_on(const CivilDate& date) const {
  std::vector<const AdminUnit*> out;
  for (const auto& u : units_)
    if (u.valid_on(date)) out.push_back(&u);
  return out;
}

std::optional<UnitId> UnitGraph::parent_on(UnitId child, const CivilDate& date) const {
  auto it = links_by_child_.find(child);
  if (it == links_by_child_.end()) return std::nullopt;
  for (auto i : it->second)
    if (links_[i].valid_on(date)) return links_[i].parent;
  return std::nullopt;
}

std::vector<UnitId> UnitGraph::children_on(UnitId parent, const CivilDate& date) const {
  std::vector<UnitId> out;
  auto it = links_by_parent_.find(parent);
  if (it == links_by_parent_.end()) return out;
  for (auto i : it->second) {
    const auto& l = links_[i];
    const AdminUnit* child = find(l.child);
    if (l.valid_on(date) && child && child->valid_on(date)) out.push_back(l.child);
  }
  std::sort(out.begin(), out.end(), [&](UnitId a, UnitId b) { return find(a)->code < find(b)->code; });
  return out;
}

std::vector<UnitId> UnitGraph::ancestors_on(UnitId unit, const CivilDate& date) const {
  std::vector<UnitId> out;
  std::unordered_set<UnitId> seen{unit};
  auto p = parent_on(unit, date);
  while (p && seen.insert(*p).second) {
    out.push_back(*p);
    p = parent_on(*p, date);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<UnitId> UnitGraph::roots_on(const CivilDate& date) const {
  std::vector<UnitId> out;
  for (const auto& u : units_)
    if (u.valid_on(date) && !parent_on(u.id, date)) out.push_back(u.id);
  return out;
}

bool UnitGraph::is_within_on(UnitId unit, UnitId ancestor, const CivilDate& date) const {
  if (unit == ancestor) return true;
  auto anc = ancestors_on(unit, date);
  return std::find(anc.begin(), anc.end(), ancestor) != anc.end();
}

std::vector<Succession> UnitGraph::predecessors(UnitId unit) const {
  std::vector<Succession> out;
  for (const auto& s : successions_)
    if (s.successor == unit) out.push_back(s);
  return out;
}

std::vector<Succession> UnitGraph::successors(UnitId unit) const {
  std::vector<Succession> out;
  for (const auto& s : successions_)
    if (s.predecessor == unit) out.push_back(s);
  return out;
}

std::unordered_set<UnitId> UnitGraph::scope_of(UnitId root) const {
  std::unordered_set<UnitId> scope;
  auto add_children = [&](UnitId u, std::vector<UnitId>& stack) {
    if (auto it = links_by_parent_.find(u); it != links_by_parent_.end())
      for (auto i : it->second) stack.push_back(links_[i].child);  // children at any time
  };
  // Down and back: the subtree and the whole units merged into it.
  std::vector<UnitId> stack{root};
  while (!stack.empty()) {
    UnitId u = stack.back();
    stack.pop_back();
    if (!scope.insert(u).second) continue;
    add_children(u, stack);
    for (const auto& s : successions_)
      if (s.successor == u && s.share >= 1.0 - 1e-9 && find(s.predecessor) &&
          rank(find(s.predecessor)->level) >= rank(find(u)->level))
        stack.push_back(s.predecessor);  // whole units merged into u, not a partial district share
  }
  // Forward: the units that replaced what a reform abolished, with their subtrees.
  for (UnitId u : std::vector<UnitId>(scope.begin(), scope.end()))
    for (const auto& s : successions_)
      if (s.predecessor == u && s.share > 0) stack.push_back(s.successor);
  while (!stack.empty()) {
    UnitId u = stack.back();
    stack.pop_back();
    if (!scope.insert(u).second) continue;
    add_children(u, stack);
    for (const auto& s : successions_)
      if (s.predecessor == u && s.share > 0) stack.push_back(s.successor);
  }
  return scope;
}

}  // namespace nongsan::admin
