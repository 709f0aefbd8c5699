#include "modules/areacodes/areacode_repository.hpp"

#include "core/text.hpp"
#include "storage/like_pattern.hpp"
#include "storage/province_filter.hpp"

namespace nongsan::areacodes {

using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kCodeColumns =
    "a.id, a.code, a.kind, a.scheme, a.holder_id, p.external_id AS holder, p.name AS holder_name, p.kind AS holder_kind, "
    "a.unit_id, a.crop, a.standard, a.facility, a.address, a.lon, a.lat, a.capacity_t_per_day, a.status, a.applied, "
    "a.issued, a.pending_review, a.source";

AreaCode code_from(const Row& r) {
  AreaCode a;
  a.id = r.i64("id");
  a.code = r.opt_str("code");
  a.kind = parse_code_kind(r.str("kind")).value_or(CodeKind::area);
  a.scheme = parse_code_scheme(r.str("scheme")).value_or(CodeScheme::domestic);
  a.holder_id = r.i64("holder_id");
  a.holder = r.opt_str("holder").value_or("");
  a.holder_name = r.str("holder_name");
  a.holder_kind = r.str("holder_kind");
  a.unit = r.opt_i64("unit_id");
  a.crop = r.str("crop");
  a.standard = r.str("standard");
  a.facility = r.str("facility");
  a.address = r.str("address");
  a.lon = r.opt_f64("lon");
  a.lat = r.opt_f64("lat");
  a.capacity_t_per_day = r.opt_f64("capacity_t_per_day");
  a.status = parse_code_status(r.str("status")).value_or(CodeStatus::applied);
  a.applied = r.date("applied");
  a.issued = r.opt_date("issued");
  a.pending_review = r.i64("pending_review") != 0;
  a.source = r.str("source");
  return a;
}

void load_parcels(Connection& c, AreaCode& a) {
  a.parcel_ids.clear();
  a.parcels.clear();
  // Both tables filtered by the connection's province and joined on it too, where they
  // are distributed by it (storage/province_filter.hpp): a QR-code scan reads this.
  std::vector<Value> params{a.id};
  std::string sql = "SELECT p.id, p.external_id FROM area_code_parcel cp JOIN parcel p ON p.id = cp.parcel_id" +
                    storage::same_province(c, "p.province_code", "cp.province_code") + " WHERE cp.code_id = ?";
  sql += storage::and_province(c, "cp.province_code", params);
  sql += storage::and_province(c, "p.province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY p.external_id", params).rows) {
    a.parcel_ids.push_back(r.i64("id"));
    a.parcels.push_back(r.str("external_id"));
  }
}

std::vector<Value> code_values(const AreaCode& a) {
  return {a.code ? Value{*a.code} : Value{Null{}},
          std::string(to_string(a.kind)),
          std::string(to_string(a.scheme)),
          a.holder_id,
          a.unit ? Value{*a.unit} : Value{Null{}},
          a.crop,
          a.standard,
          a.facility,
          a.address,
          storage::optional_value(a.lon),
          storage::optional_value(a.lat),
          storage::optional_value(a.capacity_t_per_day),
          std::string(to_string(a.status)),
          a.applied.iso(),
          a.issued ? Value{a.issued->iso()} : Value{Null{}},
          std::int64_t{a.pending_review ? 1 : 0},
          a.source};
}

void write_parcels(Connection& c, const AreaCode& a) {
  std::vector<Value> params{a.id};
  c.execute("DELETE FROM area_code_parcel WHERE code_id = ?" + storage::and_province(c, "province_code", params),
            params);
  for (auto pid : a.parcel_ids)
    c.execute("INSERT INTO area_code_parcel (code_id, parcel_id) VALUES (?, ?)", {a.id, pid});
}

HolderRef holder_from(const Row& r) {
  return {r.i64("id"), r.opt_str("external_id").value_or(""), r.str("name"), r.str("kind"), r.opt_i64("unit_id")};
}

}  // namespace

std::optional<HolderRef> AreaCodeRepository::holder(Connection& c, const std::string& external_id) {
  std::vector<Value> params{external_id};
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE external_id = ?" +
                        storage::and_province(c, "province_code", params),
                    params);
  if (rs.empty()) return std::nullopt;
  return holder_from(rs.rows.front());
}

std::optional<HolderRef> AreaCodeRepository::holder(Connection& c, std::int64_t id) {
  std::vector<Value> params{id};
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE id = ?" +
                        storage::and_province(c, "province_code", params),
                    params);
  if (rs.empty()) return std::nullopt;
  return holder_from(rs.rows.front());
}

std::optional<ParcelRef> AreaCodeRepository::parcel(Connection& c, const std::string& external_id) {
  std::vector<Value> params{external_id};
  auto rs = c.query("SELECT id, external_id, unit_id, area_m2, valid_to FROM parcel WHERE external_id = ?" +
                        storage::and_province(c, "province_code", params),
                    params);
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows.front();
  return ParcelRef{r.i64("id"), r.str("external_id"), r.opt_i64("unit_id"), r.opt_f64("area_m2").value_or(0),
                   r.is_null("valid_to")};
}

// One growing-area code with its holder and parcels: `where` is a condition written in
// the code on `a` (the code), its one `?` bound to `key`.
static std::optional<AreaCode> find_where(Connection& c, const char* where, Value key) {
  std::vector<Value> params{std::move(key)};
  std::string sql = std::string("SELECT ") + kCodeColumns + " FROM area_code a JOIN producer p ON p.id = a.holder_id" +
                    storage::same_province(c, "p.province_code", "a.province_code") + " WHERE " + where;
  sql += storage::and_province(c, "a.province_code", params);
  sql += storage::and_province(c, "p.province_code", params);
  auto rs = c.query(sql, params);
  if (rs.empty()) return std::nullopt;
  auto a = code_from(rs.rows.front());
  load_parcels(c, a);
  return a;
}

std::optional<AreaCode> AreaCodeRepository::find(Connection& c, std::int64_t id) { return find_where(c, "a.id = ?", id); }

std::optional<AreaCode> AreaCodeRepository::find_by_code(Connection& c, const std::string& code) {
  return find_where(c, "a.code = ?", code);
}

std::vector<AreaCode> AreaCodeRepository::list(Connection& c, const CodeFilter& f, std::int64_t* total) {
  std::string where = " WHERE 1 = 1";
  std::vector<Value> params;
  if (f.units) {
    std::string in;
    for (auto u : *f.units) {
      in += in.empty() ? "?" : ", ?";
      params.emplace_back(u);
    }
    where += " AND (a.unit_id IN (" + (in.empty() ? std::string("NULL") : in) + ")" +
             (f.include_unassigned ? " OR a.unit_id IS NULL)" : ")");
  }
  if (f.status) {
    where += " AND a.status = ?";
    params.emplace_back(std::string(to_string(*f.status)));
  }
  if (f.kind) {
    where += " AND a.kind = ?";
    params.emplace_back(std::string(to_string(*f.kind)));
  }
  if (!f.crop.empty()) {
    where += " AND a.crop = ?";
    params.emplace_back(f.crop);
  }
  if (f.unit) {
    where += " AND a.unit_id = ?";
    params.emplace_back(*f.unit);
  }
  if (!f.q.empty()) {
    where += " AND (a.code LIKE ?" + std::string(storage::kLikeEscape) + " OR p.name_folded LIKE ?" +
             std::string(storage::kLikeEscape) + ")";
    params.emplace_back(storage::like_contains(f.q));
    params.emplace_back(storage::like_contains(fold_vietnamese(f.q)));
  }
  const std::string from = " FROM area_code a JOIN producer p ON p.id = a.holder_id";
  if (total) *total = c.scalar_i64("SELECT COUNT(*)" + from + where, params);
  auto page_params = params;
  page_params.emplace_back(static_cast<std::int64_t>(f.page_size));
  page_params.emplace_back(static_cast<std::int64_t>((f.page - 1) * f.page_size));
  std::vector<AreaCode> out;
  for (const auto& r : c.query(std::string("SELECT ") + kCodeColumns + from + where +
                                   " ORDER BY a.code IS NULL, a.code, a.id LIMIT ? OFFSET ?",
                               page_params).rows) {
    out.push_back(code_from(r));
    load_parcels(c, out.back());
  }
  return out;
}

std::vector<AreaCode> AreaCodeRepository::live(Connection& c) {
  std::vector<AreaCode> out;
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kCodeColumns + " FROM area_code a JOIN producer p ON p.id = a.holder_id" +
                    storage::same_province(c, "p.province_code", "a.province_code") +
                    " WHERE a.status IN ('issued', 'suspended')";
  sql += storage::and_province(c, "a.province_code", params);
  sql += storage::and_province(c, "p.province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY a.code", params).rows) {
    out.push_back(code_from(r));
    load_parcels(c, out.back());
  }
  return out;
}

std::int64_t AreaCodeRepository::insert(Connection& c, const AreaCode& a) {
  auto now = utc_now_iso();
  auto values = code_values(a);
  values.emplace_back(now);
  values.emplace_back(now);
  auto rs = c.query(
      "INSERT INTO area_code (code, kind, scheme, holder_id, unit_id, crop, standard, facility, address, lon, lat, "
      "capacity_t_per_day, status, applied, issued, pending_review, source, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      values);
  AreaCode stored = a;
  stored.id = rs.rows.front().i64("id");
  write_parcels(c, stored);
  return stored.id;
}

void AreaCodeRepository::update(Connection& c, const AreaCode& a) {
  auto values = code_values(a);
  values.emplace_back(utc_now_iso());
  values.emplace_back(a.id);
  c.execute(
      "UPDATE area_code SET code = ?, kind = ?, scheme = ?, holder_id = ?, unit_id = ?, crop = ?, standard = ?, "
      "facility = ?, address = ?, lon = ?, lat = ?, capacity_t_per_day = ?, status = ?, applied = ?, issued = ?, "
      "pending_review = ?, source = ?, updated_at = ? WHERE id = ?",
      values);
  write_parcels(c, a);
}

std::vector<CodeStep> AreaCodeRepository::steps(Connection& c, std::int64_t code_id) {
  std::vector<CodeStep> out;
  for (const auto& r : c.query("SELECT id, action, from_status, to_status, reason, decision_no, decision_date, by_system, "
                               "actor, at FROM area_code_step WHERE code_id = ? ORDER BY id",
                               {code_id}).rows)
    out.push_back({r.i64("id"), r.str("action"), r.str("from_status"), r.str("to_status"), r.str("reason"),
                   r.str("decision_no"), r.opt_date("decision_date"), r.i64("by_system") != 0, r.str("actor"),
                   r.str("at")});
  return out;
}

std::int64_t AreaCodeRepository::insert_step(Connection& c, std::int64_t code_id, const CodeStep& s) {
  auto rs = c.query(
      "INSERT INTO area_code_step (code_id, action, from_status, to_status, reason, decision_no, decision_date, "
      "by_system, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {code_id, s.action, s.from_status, s.to_status, s.reason, s.decision_no,
       s.decision_date ? Value{s.decision_date->iso()} : Value{Null{}}, std::int64_t{s.by_system ? 1 : 0}, s.actor,
       utc_now_iso()});
  return rs.rows.front().i64("id");
}

std::vector<Season> AreaCodeRepository::seasons(Connection& c, std::int64_t code_id) {
  std::vector<Season> out;
  for (const auto& r : c.query("SELECT id, season, crop, variety, standard, area_ha, expected_kg, harvest_from, harvest_to, "
                               "actual_kg FROM area_code_season WHERE code_id = ? ORDER BY harvest_from, season",
                               {code_id}).rows)
    out.push_back({r.i64("id"), r.str("season"), r.str("crop"), r.str("variety"), r.str("standard"), r.f64("area_ha"),
                   r.f64("expected_kg"), r.date("harvest_from"), r.date("harvest_to"), r.opt_f64("actual_kg")});
  return out;
}

std::optional<Season> AreaCodeRepository::season(Connection& c, std::int64_t code_id, const std::string& season) {
  for (auto& s : seasons(c, code_id))
    if (s.season == season) return s;
  return std::nullopt;
}

void AreaCodeRepository::save_season(Connection& c, std::int64_t code_id, const Season& s) {
  c.execute(
      "INSERT INTO area_code_season (code_id, season, crop, variety, standard, area_ha, expected_kg, harvest_from, "
      "harvest_to, actual_kg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (province_code, code_id, season) DO UPDATE SET "
      "crop = excluded.crop, variety = excluded.variety, standard = excluded.standard, area_ha = excluded.area_ha, "
      "expected_kg = excluded.expected_kg, harvest_from = excluded.harvest_from, harvest_to = excluded.harvest_to, "
      "actual_kg = excluded.actual_kg",
      {code_id, s.season, s.crop, s.variety, s.standard, s.area_ha, s.expected_kg, s.harvest_from.iso(),
       s.harvest_to.iso(), storage::optional_value(s.actual_kg)});
}

double AreaCodeRepository::registry_area_ha(Connection& c, std::int64_t code_id, const CivilDate& date) {
  auto rs = c.query(
      "SELECT COALESCE(SUM(p.area_m2), 0) AS m2 FROM area_code_parcel cp JOIN parcel p ON p.id = cp.parcel_id "
      "WHERE cp.code_id = ? AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to >= ?)",
      {code_id, date.iso(), date.iso()});
  return rs.empty() ? 0 : rs.rows.front().f64("m2") / 10000.0;
}

std::vector<AreaCodeRepository::ParcelShape> AreaCodeRepository::parcel_shapes(Connection& c, std::int64_t code_id) {
  std::vector<ParcelShape> out;
  for (const auto& r : c.query("SELECT p.id, p.external_id, p.area_m2, p.geom FROM area_code_parcel cp "
                               "JOIN parcel p ON p.id = cp.parcel_id WHERE cp.code_id = ? ORDER BY p.external_id",
                               {code_id}).rows)
    out.push_back({r.i64("id"), r.str("external_id"), r.opt_f64("area_m2").value_or(0), r.opt_geometry("geom")});
  return out;
}

bool AreaCodeRepository::decided(Connection& c, std::int64_t code_id, const std::string& finding,
                                 const std::string& season) {
  return c.scalar_i64("SELECT COUNT(*) FROM area_code_decided_finding WHERE code_id = ? AND finding = ? AND season = ?",
                      {code_id, finding, season}) > 0;
}

void AreaCodeRepository::mark_decided(Connection& c, std::int64_t code_id, const std::string& finding,
                                      const std::string& season, std::int64_t step_id) {
  c.execute("INSERT INTO area_code_decided_finding (code_id, finding, season, step_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (province_code, code_id, finding, season) DO UPDATE SET step_id = excluded.step_id",
            {code_id, finding, season, step_id});
}

int AreaCodeRepository::last_number(Connection& c, const std::string& prefix) {
  int best = 0;
  for (const auto& r : c.query("SELECT code FROM area_code WHERE code LIKE ?" + std::string(storage::kLikeEscape),
                               {storage::like_contains(prefix)}).rows) {
    std::string code = r.str("code");
    if (code.rfind(prefix, 0) != 0) continue;
    auto rest = code.substr(prefix.size());  // NNN-YY
    auto dash = rest.find('-');
    if (dash == std::string::npos) continue;
    try {
      best = std::max(best, std::stoi(rest.substr(0, dash)));
    } catch (...) {
    }
  }
  return best;
}

std::vector<AreaCodeRepository::Candidate> AreaCodeRepository::planted_parcels(Connection& c, const std::string& crop,
                                                                              const std::string& zone_code) {
  std::vector<Candidate> out;
  const std::string today = CivilDate::today().iso();
  for (const auto& r : c.query(
           "SELECT DISTINCT p.external_id AS parcel, pr.external_id AS holder, p.area_m2 FROM parcel p "
           "JOIN zone z ON z.unit_id = p.unit_id AND z.code = ? "
           "JOIN planting pl ON pl.parcel_id = p.id AND pl.crop = ? AND pl.start_date <= ? "
           "AND (pl.end_date IS NULL OR pl.end_date >= ?) "
           "JOIN land_right lr ON lr.parcel_id = p.id AND lr.valid_from <= ? AND (lr.valid_to IS NULL OR lr.valid_to >= ?) "
           "JOIN producer pr ON pr.id = lr.producer_id "
           "WHERE p.valid_to IS NULL AND p.area_m2 IS NOT NULL AND pr.external_id IS NOT NULL "
           "ORDER BY pr.external_id, p.external_id",
           {zone_code, crop, today, today, today, today}).rows)
    out.push_back({r.str("parcel"), r.str("holder"), r.f64("area_m2")});
  return out;
}

HealthSettings AreaCodeRepository::settings(Connection& c, const HealthSettings& defaults) {
  HealthSettings s = defaults;
  auto number = [&](const char* key, double& into) {
    auto rs = c.query("SELECT value FROM app_setting WHERE key = ?", {std::string(key)});
    if (rs.empty()) return;
    if (auto v = parse_number(rs.rows.front().str("value"), false)) into = *v;
  };
  number("codes.area_tolerance_pct", s.area_tolerance_pct);
  number("codes.minimum_ha_perennial", s.minimum_ha_perennial);
  number("codes.minimum_ha_annual", s.minimum_ha_annual);
  number("codes.diary_gap_days", s.diary_gap_days);
  auto rs = c.query("SELECT value FROM app_setting WHERE key = ?", {std::string("codes.serious")});
  if (!rs.empty()) {
    s.serious.clear();
    const std::string v = rs.rows.front().str("value");
    std::size_t start = 0;
    while (start <= v.size()) {
      auto end = v.find(',', start);
      std::string part = trim(v.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (!part.empty()) s.serious.insert(part);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return s;
}

}  // namespace nongsan::areacodes
