// Who may read a chains record (docs/chains.md "Scope and permissions"): a unit-scoped
// record is the province's to province roles and its unit's subtree's to unit officers
// (a record without a unit is the province's, not theirs); a contract is also read by
// the producer account that leads it or takes part in it. Shared by the chains service
// and its signed documents; visible_contract reads the contract (ChainRepository).
#pragma once

#include <optional>

#include "modules/access/access_policy.hpp"
#include "modules/chains/chain_records.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

bool unit_visible(const access::AccessPolicy& policy, const identity::Actor& a, const std::optional<UnitId>& unit);
bool contract_visible(const access::AccessPolicy& policy, const identity::Actor& a, const ContractRecord& k);
// The contract named by `id`, if the actor may read it (else nullopt: a missing id and one
// out of scope answer alike).
std::optional<ContractRecord> visible_contract(storage::Connection& c, const access::AccessPolicy& policy,
                                               const identity::Actor& a, std::int64_t id);

}  // namespace nongsan::chains
