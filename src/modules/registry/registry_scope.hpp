// The one place the scope of a registry record is decided. Every registry service
// call builds a RecordScope for its actor and passes every record it touches — and
// every id a request names, in a path, a body or a query filter (producer,
// organisation, parcel, zone, land right, planting, commune, holder) — through it.
//
// Scope (docs/rules.md §2, §9): province-wide roles see everything; a unit officer
// sees the records of the units of AccessPolicy::unit_filter (UnitGraph::scope_of:
// the officer's unit at any time, the old units merged into it, and for a unit the
// 2025 reform abolished, the units that replaced it); a producer account sees its
// organisation, its members, and the parcels any of them holds a right on.
// Records without a unit are province-wide records.
//
// An id outside the scope answers exactly as an id that does not exist: the
// lookups return nullopt for both, and callers use no_record / no_such for both,
// so that no answer tells a guessed id of another commune from a missing one.
//
// Depends on admin (UnitGraph), access, identity and the registry's repository.
#pragma once

#include <memory>
#include <optional>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/identity/actor.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

class RecordScope {
 public:
  // The scope of `actor` on `today` (a producer account's members are those of today).
  static RecordScope of(const identity::Actor& actor, std::shared_ptr<const admin::UnitGraph> graph,
                        storage::Connection& c);

  bool province_wide() const { return !units_ && !producers_; }
  // nullopt: no unit restriction. For filters in repository queries.
  const std::optional<std::unordered_set<UnitId>>& units() const { return units_; }
  // Producer accounts only: the producers whose records they see.
  const std::optional<std::unordered_set<std::int64_t>>& producers() const { return producers_; }

  // The unit, when it exists and records of it are in scope (a commune or unit id
  // in a body or a filter); nullptr otherwise — answer both alike.
  const admin::AdminUnit* unit(UnitId id) const;
  bool includes_unit(const std::optional<UnitId>& unit) const;

  // Records by id: nullopt when missing or outside scope.
  std::optional<Producer> producer(storage::Connection& c, ProducerId id) const;
  std::optional<Parcel> parcel(storage::Connection& c, ParcelId id, bool with_geometry = false) const;
  std::optional<Zone> zone(storage::Connection& c, ZoneId id, bool with_geometry = false) const;
  // A land right or a planting is in scope when its parcel is; the parcel comes with it.
  std::optional<std::pair<LandRight, Parcel>> right(storage::Connection& c, LandRightId id) const;
  std::optional<std::pair<Planting, Parcel>> planting(storage::Connection& c, PlantingId id) const;

  // For records already loaded (lists).
  bool sees(const Producer& p) const;
  bool sees(const Zone& z) const;
  bool sees(storage::Connection& c, const Parcel& p) const;  // a producer account: reads the parcel's rights

  // {"kind": "province" | "units" | "producer", "units": [{id, code, name, level}]}:
  // what the scope is, for a client to say why a list is empty.
  nlohmann::json describe() const;

 private:
  std::shared_ptr<const admin::UnitGraph> graph_;
  std::optional<std::unordered_set<UnitId>> units_;
  std::optional<std::unordered_set<std::int64_t>> producers_;
};

// The answer for a path id that does not exist or is outside scope: not found.
Error no_record(std::string_view what, std::int64_t id);
// The answer for an id in a body or a filter that does not exist or is outside scope.
FieldError no_such(const std::string& field, std::string_view what);

}  // namespace nongsan::registry
