// Who may read a chains record (docs/chains.md "Scope and permissions"): a unit-scoped
// record is the province's to province roles and its unit's subtree's to unit officers
// (a record without a unit is the province's, not theirs); a contract is also read by
// the producer account that leads it or takes part in it. Shared by the chains service
// and its signed documents. Pure: no storage.
#pragma once

#include <optional>

#include "modules/access/access_policy.hpp"
#include "modules/chains/chain_records.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::chains {

bool unit_visible(const access::AccessPolicy& policy, const identity::Actor& a, const std::optional<UnitId>& unit);
bool contract_visible(const access::AccessPolicy& policy, const identity::Actor& a, const ContractRecord& k);

}  // namespace nongsan::chains
