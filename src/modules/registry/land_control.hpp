// Who controls a parcel on a date — pure rules. The EU's IACS rule (docs/rules.md §5,
// Regulation (EU) No 1307/2013 Art. 33(1)):
// check that the claimant actually controls the land. A lease or a contribution of
// use rights to an enterprise (liên kết đất đai, góp quyền sử dụng đất) takes
// control from the owner for its period; otherwise the owner controls it.
#pragma once

#include <optional>
#include <vector>

#include "core/error.hpp"
#include "modules/registry/registry_types.hpp"

namespace nongsan::registry {

// The right that controls the parcel on `date`, if any. REQUIRES: `rights` are of one
// parcel and consistent (see right_conflicts).
std::optional<LandRight> controller_on(const std::vector<LandRight>& rights, const CivilDate& date);

// Problems that would make "who controlled this parcel on D" ambiguous: two owners
// at once, or two leases/contributions at once. Empty when consistent.
std::vector<FieldError> right_conflicts(const std::vector<LandRight>& rights);

}  // namespace nongsan::registry
