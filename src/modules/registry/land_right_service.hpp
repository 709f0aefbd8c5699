// Land rights over time (owner, lessee, contributed): record one on a parcel and
// end one. The parcel and the producer are both checked through RecordScope: an
// officer cannot give a right to a producer outside the scope (it answers as a
// producer that does not exist). Who controls a parcel on a date is
// land_control.hpp's rule (docs/rules.md §5).
#pragma once

#include "core/result.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

class LandRightService {
 public:
  explicit LandRightService(RegistryContext& ctx) : ctx_(ctx) {}

  Result<nlohmann::json> add(const identity::Actor& a, LandRight r);
  Result<nlohmann::json> end(const identity::Actor& a, LandRightId id, const CivilDate& last_day);

 private:
  RegistryContext& ctx_;
};

}  // namespace nongsan::registry
