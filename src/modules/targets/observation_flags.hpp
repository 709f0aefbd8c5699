// The checks of checks.hpp applied to one observation against what is stored: its
// unit's other annual values (outlier), the indicator it must not exceed (exceeds),
// and the registry when the indicator has a computed definition
// (reported_differs_from_computed). Used at entry, after imports and in batch.
#pragma once

#include <nlohmann/json.hpp>

#include "modules/admin/unit_graph.hpp"
#include "modules/targets/targets_types.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

// [{code, message}], empty when nothing is flagged.
nlohmann::json observation_flags(storage::Connection& c, const admin::UnitGraph& g, const Programme& p,
                                 const Indicator& ind, const Observation& o);

}  // namespace nongsan::targets
