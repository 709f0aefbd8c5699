#include "modules/registry/land_right_service.hpp"

#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/land_control.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

Result<json> LandRightService::add(const Actor& a, LandRight r) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.parcel(c, r.parcel);
    if (!p) return no_record("parcel", r.parcel.value);
    std::vector<FieldError> errors;
    if (!s.producer(c, r.producer)) errors.push_back(no_such("producer_id", "producer"));
    for (const auto& [field, d] : {std::pair{"valid_from", std::optional<CivilDate>(r.valid_from)},
                                   std::pair{"valid_to", r.valid_to}})
      if (auto e = ctx_.settings.rules.dates.check(field, d)) errors.push_back(*e);
    if (r.valid_to && *r.valid_to < r.valid_from) errors.push_back({"valid_to", "is before valid_from"});
    if (!errors.empty()) return Error::invalid("the right is not valid", errors);
    auto all = RegistryRepository::rights_of_parcel(c, r.parcel);
    all.push_back(r);
    if (auto conflicts = right_conflicts(all); !conflicts.empty())
      return Error::invalid("the right overlaps another one of the same kind; end that one first", conflicts);
    r.id = RegistryRepository::insert_right(c, r);
    json after = js.right(r);
    audit::record(c, a, "create", "land_right", std::to_string(r.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> LandRightService::end(const Actor& a, LandRightId id, const CivilDate& last_day) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto found = s.right(c, id);
    if (!found) return no_record("land right", id.value);
    const auto& [right, parcel] = *found;
    if (auto e = ctx_.settings.rules.dates.check("valid_to", last_day)) return Error::invalid("the date is not valid", {*e});
    if (last_day < right.valid_from)
      return Error::invalid("the date is not valid", {{"valid_to", "is before the right's start"}});
    RegistryRepository::end_right(c, id, last_day);
    json after = {{"id", id.value}, {"valid_to", last_day.iso()}};
    audit::record(c, a, "update", "land_right", std::to_string(id.value), parcel.unit, std::nullopt, after);
    return after;
  });
}

}  // namespace nongsan::registry
