// The boundaries a review document maps: the units of the review's per-unit table
// (the children of the reviewed unit on its as-of date), as a GeoJSON
// FeatureCollection with properties code and name. Without per-unit rows, the
// reviewed unit itself, so a commune's review still shows where it is.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::targets {

Result<nlohmann::json> review_unit_shapes(admin::AdminService& admin, const identity::Actor& actor,
                                          const nlohmann::json& review);

}  // namespace nongsan::targets
