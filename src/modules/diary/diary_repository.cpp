#include "modules/diary/diary_repository.hpp"

#include <sstream>

#include "storage/province_filter.hpp"

namespace nongsan::diary {

using storage::Connection;
using storage::Null;
using storage::Value;

namespace {

std::string join_ingredients(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

std::vector<std::string> split_ingredients(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ';'))
    if (!part.empty()) out.push_back(part);
  return out;
}

Pesticide product_from(const storage::Row& r) {
  return {r.str("code"), r.str("name"), split_ingredients(r.str("active_ingredients")), r.date("registered_from"),
          r.opt_date("registered_to")};
}

Value opt_date_value(const std::optional<CivilDate>& d) { return d ? Value{d->iso()} : Value{Null{}}; }
Value opt_double(const std::optional<double>& d) { return d ? Value{*d} : Value{Null{}}; }

// "?, ?, ?" for n parameters appended to `params`.
std::string in_list(const std::vector<std::int64_t>& ids, std::vector<Value>& params) {
  std::string out;
  for (auto id : ids) {
    out += out.empty() ? "?" : ", ?";
    params.emplace_back(id);
  }
  return out.empty() ? "NULL" : out;
}

// An entry with its parcel's external id; the join on the province too where the
// tables are distributed by it (storage/province_filter.hpp).
std::string entry_select(Connection& c) {
  return "SELECT e.id, e.code, e.parcel_id, p.external_id AS parcel, e.entry_date, e.kind, e.product, e.dose_per_ha, "
         "e.quantity_kg, e.lot, e.amends, e.note, e.source, e.created_by, e.created_at FROM diary_entry e "
         "JOIN parcel p ON p.id = e.parcel_id" +
         storage::same_province(c, "p.province_code", "e.province_code");
}

// The WHERE clause's filters of both tables of entry_select by the connection's province.
std::string entries_in_province(Connection& c, std::vector<Value>& params) {
  std::string s = storage::and_province(c, "e.province_code", params);
  return s + storage::and_province(c, "p.province_code", params);
}

DiaryEntry entry_from(const storage::Row& r) {
  DiaryEntry e;
  e.id = r.i64("id");
  e.code = r.str("code");
  e.parcel_id = r.i64("parcel_id");
  e.parcel = r.str("parcel");
  e.date = r.date("entry_date");
  e.kind = parse_entry_kind(r.str("kind")).value_or(EntryKind::observation);
  e.product = r.str("product");
  e.dose_per_ha = r.opt_f64("dose_per_ha");
  e.quantity_kg = r.opt_f64("quantity_kg");
  e.lot = r.str("lot");
  e.amends = r.str("amends");
  e.note = r.str("note");
  e.source = r.str("source");
  e.created_by = r.str("created_by");
  e.created_at = r.str("created_at");
  return e;
}

}  // namespace

std::vector<Pesticide> DiaryRepository::products(Connection& c) {
  std::vector<Pesticide> out;
  for (const auto& r : c.query("SELECT * FROM pesticide_product ORDER BY code").rows) out.push_back(product_from(r));
  return out;
}

std::vector<StatusRow> DiaryRepository::statuses(Connection& c) {
  std::vector<StatusRow> out;
  for (const auto& r : c.query("SELECT * FROM pesticide_status ORDER BY active_ingredient, from_date").rows)
    out.push_back({r.str("active_ingredient"), parse_ingredient_status(r.str("status")).value_or(IngredientStatus::permitted),
                   r.date("from_date"), r.str("source")});
  return out;
}

std::vector<PesticideLabel> DiaryRepository::labels(Connection& c) {
  std::vector<PesticideLabel> out;
  for (const auto& r : c.query("SELECT * FROM pesticide_label ORDER BY product, crop").rows)
    out.push_back({r.str("product"), r.str("crop"), r.f64("max_dose_per_ha"), static_cast<int>(r.i64("phi_days"))});
  return out;
}

std::optional<Pesticide> DiaryRepository::product(Connection& c, const std::string& code) {
  auto rs = c.query("SELECT * FROM pesticide_product WHERE code = ?", {code});
  if (rs.rows.empty()) return std::nullopt;
  return product_from(rs.rows.front());
}

std::optional<StatusRow> DiaryRepository::status(Connection& c, const std::string& ingredient, const CivilDate& from) {
  auto rs = c.query("SELECT * FROM pesticide_status WHERE active_ingredient = ? AND from_date = ?", {ingredient, from.iso()});
  if (rs.rows.empty()) return std::nullopt;
  const auto& r = rs.rows.front();
  return StatusRow{r.str("active_ingredient"),
                   parse_ingredient_status(r.str("status")).value_or(IngredientStatus::permitted), r.date("from_date"),
                   r.str("source")};
}

std::optional<PesticideLabel> DiaryRepository::label(Connection& c, const std::string& product, const std::string& crop) {
  auto rs = c.query("SELECT * FROM pesticide_label WHERE product = ? AND crop = ?", {product, crop});
  if (rs.rows.empty()) return std::nullopt;
  const auto& r = rs.rows.front();
  return PesticideLabel{r.str("product"), r.str("crop"), r.f64("max_dose_per_ha"), static_cast<int>(r.i64("phi_days"))};
}

void DiaryRepository::insert_product(Connection& c, const Pesticide& p, const std::string& source) {
  c.execute(
      "INSERT INTO pesticide_product (code, name, active_ingredients, registered_from, registered_to, source, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {p.code, p.name, join_ingredients(p.active_ingredients), p.registered_from.iso(), opt_date_value(p.registered_to),
       source, utc_now_iso()});
}

void DiaryRepository::update_product(Connection& c, const Pesticide& p, const std::string& source) {
  c.execute(
      "UPDATE pesticide_product SET name = ?, active_ingredients = ?, registered_from = ?, registered_to = ?, source = ?, "
      "updated_at = ? WHERE code = ?",
      {p.name, join_ingredients(p.active_ingredients), p.registered_from.iso(), opt_date_value(p.registered_to), source,
       utc_now_iso(), p.code});
}

void DiaryRepository::insert_status(Connection& c, const StatusRow& s) {
  c.execute(
      "INSERT INTO pesticide_status (active_ingredient, status, from_date, source, updated_at) VALUES (?, ?, ?, ?, ?)",
      {s.active_ingredient, std::string(to_string(s.status)), s.from.iso(), s.source, utc_now_iso()});
}

void DiaryRepository::update_status(Connection& c, const StatusRow& s) {
  c.execute("UPDATE pesticide_status SET status = ?, source = ?, updated_at = ? WHERE active_ingredient = ? AND from_date = ?",
            {std::string(to_string(s.status)), s.source, utc_now_iso(), s.active_ingredient, s.from.iso()});
}

void DiaryRepository::insert_label(Connection& c, const PesticideLabel& l, const std::string& source) {
  c.execute(
      "INSERT INTO pesticide_label (product, crop, max_dose_per_ha, phi_days, source, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      {l.product, l.crop, l.max_dose_per_ha, static_cast<std::int64_t>(l.phi_days), source, utc_now_iso()});
}

void DiaryRepository::update_label(Connection& c, const PesticideLabel& l, const std::string& source) {
  c.execute("UPDATE pesticide_label SET max_dose_per_ha = ?, phi_days = ?, source = ?, updated_at = ? WHERE product = ? AND crop = ?",
            {l.max_dose_per_ha, static_cast<std::int64_t>(l.phi_days), source, utc_now_iso(), l.product, l.crop});
}

std::optional<ParcelRef> DiaryRepository::parcel(Connection& c, const std::string& external_id) {
  std::vector<Value> params{external_id};
  auto rs = c.query("SELECT id, external_id, unit_id FROM parcel WHERE external_id = ?" +
                        storage::and_province(c, "province_code", params),
                    params);
  if (rs.rows.empty()) return std::nullopt;
  return ParcelRef{rs.rows.front().i64("id"), rs.rows.front().str("external_id"), rs.rows.front().opt_i64("unit_id")};
}

std::optional<ParcelRef> DiaryRepository::parcel(Connection& c, std::int64_t id) {
  std::vector<Value> params{id};
  auto rs = c.query(
      "SELECT id, external_id, unit_id FROM parcel WHERE id = ?" + storage::and_province(c, "province_code", params),
      params);
  if (rs.rows.empty()) return std::nullopt;
  return ParcelRef{rs.rows.front().i64("id"), rs.rows.front().str("external_id"), rs.rows.front().opt_i64("unit_id")};
}

std::optional<DiaryEntry> DiaryRepository::entry(Connection& c, const std::string& code) {
  std::vector<Value> params{code};
  std::string sql = entry_select(c) + " WHERE e.code = ?";
  sql += entries_in_province(c, params);
  auto rs = c.query(sql, params);
  if (rs.rows.empty()) return std::nullopt;
  return entry_from(rs.rows.front());
}

std::int64_t DiaryRepository::insert_entry(Connection& c, const DiaryEntry& e) {
  auto rs = c.query(
      "INSERT INTO diary_entry (code, parcel_id, entry_date, kind, product, dose_per_ha, quantity_kg, lot, amends, note, "
      "source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {e.code, e.parcel_id, e.date.iso(), std::string(to_string(e.kind)), e.product, opt_double(e.dose_per_ha),
       opt_double(e.quantity_kg), e.lot, e.amends, e.note, e.source, e.created_by, utc_now_iso()});
  return rs.rows.front().i64("id");
}

std::vector<DiaryEntry> DiaryRepository::entries(Connection& c, const std::optional<std::vector<std::int64_t>>& parcels,
                                                 std::optional<CivilDate> to) {
  std::vector<Value> params;
  std::string sql = entry_select(c) + " WHERE 1 = 1";
  if (parcels) sql += " AND e.parcel_id IN (" + in_list(*parcels, params) + ")";
  if (to) {
    sql += " AND e.entry_date <= ?";
    params.emplace_back(to->iso());
  }
  sql += entries_in_province(c, params);
  sql += " ORDER BY e.entry_date, e.code";
  std::vector<DiaryEntry> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(entry_from(r));
  return out;
}

std::vector<DiaryEntry> DiaryRepository::lot_entries(Connection& c, const std::string& lot) {
  std::vector<DiaryEntry> out;
  std::vector<Value> params{lot};
  std::string sql = entry_select(c) + " WHERE e.lot = ?";
  sql += entries_in_province(c, params);
  for (const auto& r : c.query(sql + " ORDER BY e.entry_date, e.code", params).rows) out.push_back(entry_from(r));
  return out;
}

std::vector<PlantingSpan> DiaryRepository::plantings(Connection& c,
                                                     const std::optional<std::vector<std::int64_t>>& parcels) {
  std::vector<Value> params;
  std::string sql = "SELECT parcel_id, crop, start_date, end_date FROM planting WHERE 1 = 1";
  if (parcels) sql += " AND parcel_id IN (" + in_list(*parcels, params) + ")";
  sql += storage::and_province(c, "province_code", params);
  sql += " ORDER BY id";
  std::vector<PlantingSpan> out;
  for (const auto& r : c.query(sql, params).rows)
    out.push_back({r.i64("parcel_id"), r.str("crop"), r.date("start_date"), r.opt_date("end_date")});
  return out;
}

std::vector<ParcelRef> DiaryRepository::parcels_growing(Connection& c, const std::string& crop, const CivilDate& from,
                                                       const CivilDate& to, int limit) {
  std::vector<ParcelRef> out;
  std::vector<Value> params{crop, from.iso(), to.iso()};
  std::string sql =
      "SELECT DISTINCT p.id, p.external_id, p.unit_id FROM parcel p JOIN planting t ON t.parcel_id = p.id" +
      storage::same_province(c, "t.province_code", "p.province_code") +
      " WHERE t.crop = ? AND t.start_date <= ? AND (t.end_date IS NULL OR t.end_date >= ?) "
      "AND p.valid_to IS NULL";
  sql += storage::and_province(c, "p.province_code", params);
  sql += storage::and_province(c, "t.province_code", params);
  params.emplace_back(static_cast<std::int64_t>(limit));
  for (const auto& r : c.query(sql + " ORDER BY p.id LIMIT ?", params).rows)
    out.push_back({r.i64("id"), r.str("external_id"), r.opt_i64("unit_id")});
  return out;
}

std::int64_t DiaryRepository::count_entries(Connection& c) { return c.scalar_i64("SELECT COUNT(*) FROM diary_entry"); }

std::vector<Clearance> DiaryRepository::clearances(Connection& c, const std::optional<std::string>& lot) {
  std::vector<Value> params;
  std::string sql = "SELECT * FROM lot_hold_clearance WHERE 1 = 1";
  if (lot) {
    sql += " AND lot = ?";
    params.emplace_back(*lot);
  }
  sql += storage::and_province(c, "province_code", params);
  sql += " ORDER BY id";
  std::vector<Clearance> out;
  for (const auto& r : c.query(sql, params).rows)
    out.push_back({r.str("lot"), r.str("harvest_entry"), r.str("product"), r.str("reason"), r.str("cleared_by"),
                   r.str("cleared_at")});
  return out;
}

void DiaryRepository::insert_clearance(Connection& c, const Clearance& k) {
  c.execute(
      "INSERT INTO lot_hold_clearance (lot, harvest_entry, product, reason, cleared_by, cleared_at) VALUES (?, ?, ?, ?, ?, ?)",
      {k.lot, k.harvest_entry, k.product, k.reason, k.cleared_by, utc_now_iso()});
}

}  // namespace nongsan::diary
