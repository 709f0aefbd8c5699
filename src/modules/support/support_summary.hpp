// The support section of the mid-term review (Notice 752-TB/TU: support followed like
// every other target): per policy, the year's applications, their payable hectares or
// items, the amounts approved and paid, the remaining budget, and the findings of the
// year's latest check run by kind. Definitions in docs/support.md ("The review's
// support section"); the JSON shape in docs/review-json.md.
//
// The caller (the targets module, which knows the review's unit) decides which
// applications belong to the review through `in_unit`; no permission checks here.
// Must not depend on targets, reports, api, app or cli.
#pragma once

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/strong_id.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

// The section for `year`, or null when no policy is stored (a province that does not
// run support through nongsan). `in_unit` says whether an application filed under a
// unit (none: the province's) belongs to the review; `with_budget` adds the planned
// budget and what remains of it (budgets are the province's: only its review has them).
nlohmann::json support_section(storage::Connection& c, int year,
                               const std::function<bool(const std::optional<UnitId>&)>& in_unit, bool with_budget);

}  // namespace nongsan::support
