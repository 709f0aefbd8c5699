#include "modules/targets/registry_reads.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

#include "storage/province_filter.hpp"

namespace nongsan::targets {

std::string RegistryReads::begin_shared_snapshot(storage::Connection& c) {
  c.begin(false);
  c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  auto rs = c.query("SELECT pg_export_snapshot() AS s");
  std::string id = rs.empty() ? "" : rs.rows[0].str("s");
  // SET TRANSACTION SNAPSHOT takes no parameter: the id (hex digits and dashes, from the
  // server) is checked before it is written into the statement.
  bool plain = !id.empty() && id.size() < 64 && std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isxdigit(static_cast<unsigned char>(ch)) || ch == '-';
  });
  if (!plain) throw std::runtime_error("pg_export_snapshot gave an unexpected id");
  return id;
}

void RegistryReads::join_shared_snapshot(storage::Connection& c, const std::string& id) {
  c.begin(false);
  c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  c.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
}

// The registry as the computed indicators read it (computed.cpp).
void RegistryReads::each_crop_planting(storage::Connection& c, const std::string& crop, const CivilDate& last,
                                           bool parcel_shape, const RegistryRow& fn) {
  std::string sql = "SELECT pl.id, pl.parcel_id, p.unit_id, pl.planted_area_m2, pl.start_date, pl.end_date";
  if (parcel_shape) sql += ", p.area_m2, p.geom";
  sql += " FROM planting pl JOIN parcel p ON p.id = pl.parcel_id WHERE pl.crop = ? AND pl.start_date <= ?";
  c.each_row(sql, {crop, last.iso()}, fn);
}

void RegistryReads::each_crop_planting_on(storage::Connection& c, const std::string& crop, const CivilDate& date,
                                              const RegistryRow& fn) {
  c.each_row("SELECT pl.id, pl.parcel_id, p.unit_id, pl.planted_area_m2 FROM planting pl "
             "JOIN parcel p ON p.id = pl.parcel_id WHERE pl.crop = ? AND pl.start_date <= ? "
             "AND (pl.end_date IS NULL OR pl.end_date >= ?) ORDER BY pl.id",
             {crop, date.iso(), date.iso()}, fn);
}

void RegistryReads::each_zone_shape(storage::Connection& c, const std::string& commodity, const RegistryRow& fn) {
  c.each_row("SELECT geom FROM zone WHERE commodity = ? AND geom IS NOT NULL ORDER BY id", {commodity}, fn);
}

void RegistryReads::each_parcel_near_zones(storage::Connection& c, const std::string& commodity,
                                               const RegistryRow& fn) {
  c.each_row("SELECT p.id, p.area_m2, p.geom FROM zone z JOIN parcel p ON p.geom && z.geom "
             "WHERE z.commodity = ? AND z.geom IS NOT NULL",
             {commodity}, fn);
}

void RegistryReads::parcel_shape(storage::Connection& c, std::int64_t parcel, const RegistryRow& fn) {
  c.each_row("SELECT geom, area_m2 FROM parcel WHERE id = ?", {parcel}, fn);
}

void RegistryReads::each_rice_conversion(storage::Connection& c, const std::string& crop,
                                             const std::optional<CivilDate>& from, const CivilDate& to,
                                             const RegistryRow& fn) {
  // The parcel's unit is looked up conversion by conversion (an index probe each,
  // through parcel_unit_of): joined instead, PostgreSQL merged the conversions (5 % of
  // the parcels) with a scan of every parcel's index entry, on three processes.
  std::string sql =
      "SELECT v.id, v.parcel_id, (SELECT p.unit_id FROM parcel p WHERE p.id = v.parcel_id), v.area_m2, "
      "v.conversion_date FROM crop_conversion v WHERE v.from_use IN ('rice', 'inefficient_rice') "
      "AND v.conversion_date <= ?";
  std::vector<storage::Value> params{to.iso()};
  if (from) {
    sql += " AND v.conversion_date >= ?";
    params.emplace_back(from->iso());
  }
  if (!crop.empty()) {
    sql += " AND v.to_crop = ?";
    params.emplace_back(crop);
  }
  c.each_row(sql + " ORDER BY v.id", params, fn);
}

void RegistryReads::each_member_on(storage::Connection& c, const CivilDate& date, const RegistryRow& fn) {
  c.each_row("SELECT DISTINCT pr.id, pr.unit_id FROM producer_membership m "
             "JOIN producer pr ON pr.id = m.member_id "
             "WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)",
             {date.iso(), date.iso()}, fn);
}

void RegistryReads::each_owner_leasing_on(storage::Connection& c, const CivilDate& date, const RegistryRow& fn) {
  c.each_row("SELECT DISTINCT pr.id, pr.unit_id FROM land_right o "
             "JOIN producer pr ON pr.id = o.producer_id "
             "JOIN land_right l ON l.parcel_id = o.parcel_id AND l.kind IN ('lessee', 'contributed') "
             "AND l.producer_id <> o.producer_id "
             "WHERE o.kind = 'owner' AND o.valid_from <= ? AND (o.valid_to IS NULL OR o.valid_to >= ?) "
             "AND l.valid_from <= ? AND (l.valid_to IS NULL OR l.valid_to >= ?)",
             {date.iso(), date.iso(), date.iso(), date.iso()}, fn);
}

void RegistryReads::each_membership(storage::Connection& c, const CivilDate& last, const RegistryRow& fn) {
  c.each_row("SELECT pr.id, pr.unit_id, m.valid_from, m.valid_to FROM producer_membership m "
             "JOIN producer pr ON pr.id = m.member_id WHERE m.valid_from <= ?",
             {last.iso()}, fn);
}

void RegistryReads::each_owner_lease(storage::Connection& c, const CivilDate& last, const RegistryRow& fn) {
  if (c.backend() == storage::Backend::postgres) {
    // The same rows, found from the leases (3 % of the rights, land_right_leased) and
    // the owners of their parcels by parcel (land_right_parcel), one lookup each: the
    // join below was planned as a parallel scan of every right, a million owners, on
    // three processes (bench/README.md "The province review"). OFFSET 0 keeps the owners'
    // subquery a lookup per lease rather than a join the planner may turn back into
    // that scan.
    //
    // Each of the three distributed tables is filtered by the connection's province and
    // each lookup pairs province_code with the row it follows (docs/scale-out.md, "The
    // hot paths' statements, by province"): a statement Citus sends to that province's
    // shard, the lookups co-located, instead of to every shard. The values are in the
    // order of their `?` in the text.
    std::vector<storage::Value> params;
    std::string sql = "SELECT o.producer_id, (SELECT pr.unit_id FROM producer pr WHERE pr.id = o.producer_id" +
                      storage::same_province(c, "pr.province_code", "o.province_code") +
                      storage::and_province(c, "pr.province_code", params) +
                      "), o.valid_from, o.valid_to, l.valid_from, l.valid_to FROM land_right l "
                      "CROSS JOIN LATERAL (SELECT o.producer_id, o.province_code, o.valid_from, o.valid_to "
                      "FROM land_right o WHERE o.parcel_id = l.parcel_id" +
                      storage::same_province(c, "o.province_code", "l.province_code") +
                      storage::and_province(c, "o.province_code", params) +
                      " AND o.kind = 'owner' AND o.valid_from <= ? AND o.producer_id <> l.producer_id OFFSET 0) o "
                      "WHERE l.kind IN ('lessee', 'contributed') AND l.valid_from <= ?";
    params.emplace_back(last.iso());
    params.emplace_back(last.iso());
    sql += storage::and_province(c, "l.province_code", params);
    c.each_row(sql, params, fn);
    return;
  }
  c.each_row("SELECT pr.id, pr.unit_id, o.valid_from, o.valid_to, l.valid_from, l.valid_to FROM land_right o "
             "JOIN producer pr ON pr.id = o.producer_id "
             "JOIN land_right l ON l.parcel_id = o.parcel_id AND l.kind IN ('lessee', 'contributed') "
             "AND l.producer_id <> o.producer_id "
             "WHERE o.kind = 'owner' AND o.valid_from <= ? AND l.valid_from <= ?",
             {last.iso(), last.iso()}, fn);
}

}  // namespace nongsan::targets
