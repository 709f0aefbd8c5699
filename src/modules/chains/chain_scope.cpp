#include "modules/chains/chain_scope.hpp"

#include <algorithm>

namespace nongsan::chains {

bool unit_visible(const access::AccessPolicy& policy, const identity::Actor& a, const std::optional<UnitId>& unit) {
  auto filter = policy.unit_filter(a);
  if (!filter) return true;
  return unit && filter->count(*unit) > 0;
}

bool contract_visible(const access::AccessPolicy& policy, const identity::Actor& a, const ContractRecord& k) {
  if (a.role == identity::Role::producer) {
    if (!a.producer) return false;
    if (k.lead.id == a.producer->value) return true;
    return std::any_of(k.participants.begin(), k.participants.end(),
                       [&](const Party& p) { return p.id == a.producer->value; });
  }
  return unit_visible(policy, a, k.unit);
}

}  // namespace nongsan::chains
