#include "modules/registry/registry_scope.hpp"
#include "modules/registry/registry_scope_key.hpp"

#include <algorithm>

#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_service.hpp"

namespace nongsan::registry {

RecordScope RecordScope::of(const identity::Actor& actor, std::shared_ptr<const admin::UnitGraph> graph,
                            storage::Connection& c) {
  RecordScope s;
  s.units_ = access::AccessPolicy(graph).unit_filter(actor);
  if (actor.role == identity::Role::producer) {
    std::unordered_set<std::int64_t> mine;
    if (actor.producer) {
      mine.insert(actor.producer->value);
      for (auto m : RegistryRepository::members_of(c, *actor.producer, CivilDate::today())) mine.insert(m.value);
    }
    s.producers_ = std::move(mine);
  }
  s.graph_ = std::move(graph);
  return s;
}

// Keep in step with RecordScope::of above: the unit filter reads the role (unit-scoped
// or not) and the unit; a producer account's scope reads its producer.
std::string record_scope_key(const identity::Actor& actor) {
  std::string key = identity::role_is_unit_scoped(actor.role)
                        ? "unit:" + (actor.unit ? std::to_string(actor.unit->value) : std::string("none"))
                        : std::string("all");
  if (actor.role == identity::Role::producer)
    key += "|producer:" + (actor.producer ? std::to_string(actor.producer->value) : std::string("none"));
  return key;
}

const admin::AdminUnit* RecordScope::unit(UnitId id) const {
  const admin::AdminUnit* u = graph_->find(id);
  if (!u || (units_ && !units_->contains(id))) return nullptr;
  return u;
}

bool RecordScope::includes_unit(const std::optional<UnitId>& unit) const {
  if (!units_) return true;
  return unit && units_->contains(*unit);
}

bool RecordScope::sees(const Producer& p) const {
  if (!includes_unit(p.unit)) return false;
  return !producers_ || producers_->contains(p.id.value);
}

bool RecordScope::sees(const Zone& z) const { return includes_unit(z.unit); }

bool RecordScope::sees(storage::Connection& c, const Parcel& p) const {
  if (!includes_unit(p.unit)) return false;
  if (!producers_) return true;
  for (const auto& r : RegistryRepository::rights_of_parcel(c, p.id))
    if (producers_->contains(r.producer.value)) return true;
  return false;
}

std::optional<Producer> RecordScope::producer(storage::Connection& c, ProducerId id) const {
  auto p = RegistryRepository::find_producer(c, id);
  if (!p || !sees(*p)) return std::nullopt;
  return p;
}

std::optional<Parcel> RecordScope::parcel(storage::Connection& c, ParcelId id, bool with_geometry) const {
  auto p = RegistryRepository::find_parcel(c, id, with_geometry);
  if (!p || !sees(c, *p)) return std::nullopt;
  return p;
}

std::optional<Zone> RecordScope::zone(storage::Connection& c, ZoneId id, bool with_geometry) const {
  auto z = RegistryRepository::find_zone(c, id, with_geometry);
  if (!z || !sees(*z)) return std::nullopt;
  return z;
}

std::optional<std::pair<LandRight, Parcel>> RecordScope::right(storage::Connection& c, LandRightId id) const {
  auto r = RegistryRepository::find_right(c, id);
  if (!r) return std::nullopt;
  auto p = parcel(c, r->parcel);
  if (!p) return std::nullopt;
  return std::pair{*r, *p};
}

std::optional<std::pair<Planting, Parcel>> RecordScope::planting(storage::Connection& c, PlantingId id) const {
  auto pl = RegistryRepository::find_planting(c, id);
  if (!pl) return std::nullopt;
  auto p = parcel(c, pl->parcel);
  if (!p) return std::nullopt;
  return std::pair{*pl, *p};
}

nlohmann::json RecordScope::describe() const {
  nlohmann::json units = nlohmann::json::array();
  if (units_) {
    std::vector<const admin::AdminUnit*> list;
    for (UnitId u : *units_)
      if (const auto* au = graph_->find(u)) list.push_back(au);
    std::sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
      return admin::rank(a->level) != admin::rank(b->level) ? admin::rank(a->level) < admin::rank(b->level)
                                                            : a->code != b->code ? a->code < b->code
                                                                                 : a->valid_from < b->valid_from;
    });
    for (const auto* au : list) {
      nlohmann::json ref = admin::AdminService::ref_json(*au);
      ref["valid_from"] = au->valid_from.iso();
      ref["valid_to"] = au->valid_to ? nlohmann::json(au->valid_to->iso()) : nlohmann::json(nullptr);
      units.push_back(std::move(ref));
    }
  }
  return {{"kind", producers_ ? "producer" : units_ ? "units" : "province"}, {"units", units}};
}

Error no_record(std::string_view what, std::int64_t id) {
  return Error::not_found("no " + std::string(what) + " with id " + std::to_string(id));
}

FieldError no_such(const std::string& field, std::string_view what) {
  return {field, "no such " + std::string(what) + " in your scope"};
}

}  // namespace nongsan::registry
