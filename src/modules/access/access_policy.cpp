#include "modules/access/access_policy.hpp"

namespace nongsan::access {

using identity::Actor;
using identity::Permission;

bool AccessPolicy::allows(const Actor& actor, Permission p) { return identity::role_has(actor.role, p); }

Status AccessPolicy::require(const Actor& actor, Permission p) {
  if (allows(actor, p)) return {};
  return Error::forbidden("your role (" + std::string(identity::to_string(actor.role)) +
                          ") does not have the permission " + std::string(identity::to_string(p)));
}

std::optional<std::unordered_set<UnitId>> AccessPolicy::unit_filter(const Actor& actor) const {
  if (!identity::role_is_unit_scoped(actor.role)) return std::nullopt;
  if (!actor.unit) return std::unordered_set<UnitId>{};  // a unit officer without a unit sees nothing
  return graph_->scope_of(*actor.unit);
}

bool AccessPolicy::in_scope(const Actor& actor, UnitId unit) const {
  auto filter = unit_filter(actor);
  return !filter || filter->contains(unit);
}

Status AccessPolicy::require_unit(const Actor& actor, Permission p, UnitId unit) const {
  if (auto s = require(actor, p); !s) return s;
  if (!in_scope(actor, unit)) return Error::forbidden("the unit is outside your scope");
  return {};
}

}  // namespace nongsan::access
