#include "modules/chains/chain_scope.hpp"

#include <algorithm>

#include "modules/chains/chain_repository.hpp"

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

std::optional<ContractRecord> visible_contract(storage::Connection& c, const access::AccessPolicy& policy,
                                               const identity::Actor& a, std::int64_t id) {
  auto k = ChainRepository::find_contract(c, id);
  if (!k || !contract_visible(policy, a, *k)) return std::nullopt;
  return k;
}

}  // namespace nongsan::chains
