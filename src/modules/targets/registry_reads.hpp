// The registry reads of the targets module's computed indicators (computed.hpp): the
// plantings, zones, parcels, conversions and linkage a review counts, each row
// streamed in place (storage::RowView) with the columns in the order each function
// gives, in the SQL both backends accept (one PostgreSQL-only read says so); and the
// shared snapshot of a review's reading at once on several PostgreSQL connections.
// Part of the targets repository (SQL only, no rule); kept in its own header so that
// what includes targets_repository.hpp does not depend on it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/civil_date.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

class RegistryReads {
 public:
  // PostgreSQL: one snapshot read on several connections. begin_shared_snapshot opens a
  // REPEATABLE READ, READ ONLY transaction and exports its snapshot (pg_export_snapshot),
  // returning its id; join_shared_snapshot opens the same kind of transaction on another
  // connection in that snapshot. Both throw when the server refuses; the caller rolls
  // the transactions back when it is done.
  static std::string begin_shared_snapshot(storage::Connection& c);
  static void join_shared_snapshot(storage::Connection& c, const std::string& id);

  // The registry as the computed indicators read it (computed.hpp): each row streamed
  // in place (storage::RowView), with the columns in the order given.
  using RegistryRow = std::function<void(const storage::RowView&)>;
  // Plantings of `crop` that began by `last`, unordered: id, parcel_id, unit_id,
  // planted_area_m2, start_date, end_date; with `parcel_shape`, then the parcel's
  // area_m2 and geom.
  static void each_crop_planting(storage::Connection& c, const std::string& crop, const CivilDate& last,
                                 bool parcel_shape, const RegistryRow& fn);
  // Plantings of `crop` in force on `date`, by id: id, parcel_id, unit_id, planted_area_m2.
  static void each_crop_planting_on(storage::Connection& c, const std::string& crop, const CivilDate& date,
                                    const RegistryRow& fn);
  // Zones of `commodity` that have a geometry, by id: geom.
  static void each_zone_shape(storage::Connection& c, const std::string& commodity, const RegistryRow& fn);
  // PostgreSQL only: the parcels whose box meets the box of a zone of `commodity` (`&&`
  // through the parcels' GiST index): id, area_m2, geom; a parcel meeting two zones
  // comes twice.
  static void each_parcel_near_zones(storage::Connection& c, const std::string& commodity, const RegistryRow& fn);
  // One parcel's geom and area_m2 (no row for an unknown id).
  static void parcel_shape(storage::Connection& c, std::int64_t parcel, const RegistryRow& fn);
  // Conversions from rice or inefficient rice dated from `from` (any date when not given)
  // to `to`, to `crop` when it is not empty, by id: id, parcel_id, unit_id, area_m2,
  // conversion_date.
  static void each_rice_conversion(storage::Connection& c, const std::string& crop, const std::optional<CivilDate>& from,
                                   const CivilDate& to, const RegistryRow& fn);
  // Producers under linkage on `date`, each once per query: members of a cooperative
  // (each_member_on), owners whose land is leased or contributed to another producer
  // (each_owner_leasing_on): id, unit_id.
  static void each_member_on(storage::Connection& c, const CivilDate& date, const RegistryRow& fn);
  static void each_owner_leasing_on(storage::Connection& c, const CivilDate& date, const RegistryRow& fn);
  // Memberships begun by `last`: producer id, unit_id, valid_from, valid_to.
  static void each_membership(storage::Connection& c, const CivilDate& last, const RegistryRow& fn);
  // Owners' rights on parcels leased or contributed to another producer, both rights
  // begun by `last`, unordered: owner id, unit_id, the owner's valid_from, valid_to, the
  // lease's valid_from, valid_to. PostgreSQL and SQLite each get their own SQL for the
  // same rows (PostgreSQL's, a LATERAL lookup per lease, SQLite does not take).
  static void each_owner_lease(storage::Connection& c, const CivilDate& last, const RegistryRow& fn);
};

}  // namespace nongsan::targets
