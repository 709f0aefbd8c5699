// The one place permission and scope are decided. The API's dispatcher calls
// `require` with the permission its route table declares before any handler
// runs; services call `require_unit` / `unit_filter` for record scope. A unit
// officer's scope is the subtree of their unit at any time plus the old units
// merged into it (UnitGraph::scope_of). Denied by default.
#pragma once

#include <memory>
#include <unordered_set>

#include "core/result.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::access {

class AccessPolicy {
 public:
  explicit AccessPolicy(std::shared_ptr<const admin::UnitGraph> graph) : graph_(std::move(graph)) {}

  static bool allows(const identity::Actor& actor, identity::Permission p);
  static Status require(const identity::Actor& actor, identity::Permission p);

  // True when the actor may act on records of `unit`.
  bool in_scope(const identity::Actor& actor, UnitId unit) const;
  // Permission and scope together.
  Status require_unit(const identity::Actor& actor, identity::Permission p, UnitId unit) const;
  // nullopt: no restriction (province-wide roles); otherwise the set of units allowed.
  std::optional<std::unordered_set<UnitId>> unit_filter(const identity::Actor& actor) const;

 private:
  std::shared_ptr<const admin::UnitGraph> graph_;
};

}  // namespace nongsan::access
