#include "modules/inspection/inspection_records.hpp"

#include <cstdio>

namespace nongsan::inspection {

using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kSelect =
    "SELECT i.id, i.code, i.plan_entry_id, i.subject_kind, i.subject_ref, i.checklist_kind, i.unit_id, "
    "i.inspector_user_id, COALESCE(u.username, '') AS inspector, i.status, i.answers, i.notes, i.parcel_id, "
    "COALESCE(p.external_id, '') AS parcel, i.measured_geojson, i.measured_area_m2, i.measure_method, i.opened_at, "
    "i.closed_at, i.version, i.illustrative, i.created_at, i.updated_at, i.updated_by "
    "FROM inspection i LEFT JOIN app_user u ON u.id = i.inspector_user_id LEFT JOIN parcel p ON p.id = i.parcel_id";

InspectionRecord from_row(const Row& r) {
  InspectionRecord x;
  x.id = r.i64("id");
  x.code = r.str("code");
  x.plan_entry_id = r.opt_i64("plan_entry_id");
  x.subject_kind = r.str("subject_kind");
  x.subject_ref = r.str("subject_ref");
  x.checklist_kind = r.str("checklist_kind");
  if (auto u = r.opt_i64("unit_id")) x.unit = UnitId(*u);
  x.inspector_id = r.opt_i64("inspector_user_id");
  x.inspector = r.str("inspector");
  x.status = r.str("status");
  x.answers = r.str("answers");
  x.notes = r.str("notes");
  x.parcel_id = r.opt_i64("parcel_id");
  x.parcel = r.str("parcel");
  x.measured_geojson = r.str("measured_geojson");
  x.measured_area_m2 = r.opt_f64("measured_area_m2");
  x.measure_method = r.str("measure_method");
  x.opened_at = r.str("opened_at");
  x.closed_at = r.str("closed_at");
  x.version = r.i64("version");
  x.illustrative = r.i64("illustrative") != 0;
  x.created_at = r.str("created_at");
  x.updated_at = r.str("updated_at");
  x.updated_by = r.str("updated_by");
  return x;
}

Value opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value opt(const std::optional<double>& v) { return v ? Value(*v) : Value(Null{}); }

constexpr const char* kFindingSelect =
    "SELECT f.id, f.inspection_id, i.code AS inspection_code, f.client_id, f.kind, f.subject_kind, f.subject_ref, "
    "f.severity, f.detail, f.measured_area_m2, f.status, f.recorded_at, f.created_at "
    "FROM inspection_finding f JOIN inspection i ON i.id = f.inspection_id";

FindingRecord finding_from(const Row& r) {
  FindingRecord f;
  f.id = r.i64("id");
  f.inspection_id = r.i64("inspection_id");
  f.inspection_code = r.str("inspection_code");
  f.client_id = r.str("client_id");
  f.kind = r.str("kind");
  f.subject_kind = r.str("subject_kind");
  f.subject_ref = r.str("subject_ref");
  f.severity = r.str("severity");
  f.detail = r.str("detail");
  f.measured_area_m2 = r.opt_f64("measured_area_m2");
  f.status = r.str("status");
  f.recorded_at = r.str("recorded_at");
  f.created_at = r.str("created_at");
  return f;
}

PhotoRecord photo_from(const Row& r, bool with_data) {
  PhotoRecord p;
  p.id = r.i64("id");
  p.inspection_id = r.i64("inspection_id");
  p.client_id = r.str("client_id");
  p.taken_at = r.str("taken_at");
  p.lon = r.opt_f64("lon");
  p.lat = r.opt_f64("lat");
  p.accuracy_m = r.opt_f64("accuracy_m");
  p.mime = r.str("mime");
  p.sha256 = r.str("sha256");
  p.created_at = r.str("created_at");
  if (with_data)
    if (auto b = std::get_if<storage::Blob>(&r.at("data"))) p.data = b->bytes;
  return p;
}

constexpr const char* kDecisionSelect =
    "SELECT id, finding_id, action, target_ref, amount, stars, decision_no, reason, result_ref, decided_by, "
    "decided_at FROM inspection_decision";

DecisionRecord decision_from(const Row& r) {
  DecisionRecord d;
  d.id = r.i64("id");
  d.finding_id = r.i64("finding_id");
  d.action = r.str("action");
  d.target_ref = r.str("target_ref");
  d.amount = r.opt_f64("amount");
  d.stars = r.opt_i64("stars");
  d.decision_no = r.str("decision_no");
  d.reason = r.str("reason");
  d.result_ref = r.str("result_ref");
  d.decided_by = r.str("decided_by");
  d.decided_at = r.str("decided_at");
  return d;
}

}  // namespace

std::optional<InspectionRecord> InspectionRecords::find(Connection& c, const std::string& code) {
  auto rs = c.query(std::string(kSelect) + " WHERE i.code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows.front());
}

std::optional<InspectionRecord> InspectionRecords::find(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string(kSelect) + " WHERE i.id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows.front());
}

std::vector<InspectionRecord> InspectionRecords::list(Connection& c, const InspectionFilter& f) {
  std::string sql = std::string(kSelect) + " WHERE 1 = 1";
  std::vector<Value> params;
  if (f.status) {
    sql += " AND i.status = ?";
    params.emplace_back(*f.status);
  }
  if (f.inspector_id) {
    sql += " AND i.inspector_user_id = ?";
    params.emplace_back(*f.inspector_id);
  }
  if (!f.subject_kind.empty()) {
    sql += " AND i.subject_kind = ? AND i.subject_ref = ?";
    params.emplace_back(f.subject_kind);
    params.emplace_back(f.subject_ref);
  }
  sql += " ORDER BY i.code";
  std::vector<InspectionRecord> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(from_row(r));
  return out;
}

std::int64_t InspectionRecords::insert(Connection& c, const InspectionRecord& r) {
  auto rs = c.query(
      "INSERT INTO inspection (code, plan_entry_id, subject_kind, subject_ref, checklist_kind, unit_id, "
      "inspector_user_id, status, answers, notes, parcel_id, measured_geojson, measured_area_m2, measure_method, "
      "opened_at, closed_at, version, illustrative, created_at, updated_at, updated_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {r.code, opt(r.plan_entry_id), r.subject_kind, r.subject_ref, r.checklist_kind,
       r.unit ? Value(r.unit->value) : Value(Null{}), opt(r.inspector_id), r.status, r.answers, r.notes,
       opt(r.parcel_id), r.measured_geojson, opt(r.measured_area_m2), r.measure_method, r.opened_at, r.closed_at,
       r.version, std::int64_t{r.illustrative ? 1 : 0}, r.created_at, r.updated_at, r.updated_by});
  return rs.rows.front().i64(std::size_t{0});
}

void InspectionRecords::update(Connection& c, const InspectionRecord& r) {
  c.execute(
      "UPDATE inspection SET inspector_user_id = ?, status = ?, answers = ?, notes = ?, parcel_id = ?, "
      "measured_geojson = ?, measured_area_m2 = ?, measure_method = ?, opened_at = ?, closed_at = ?, version = ?, "
      "updated_at = ?, updated_by = ? WHERE id = ?",
      {opt(r.inspector_id), r.status, r.answers, r.notes, opt(r.parcel_id), r.measured_geojson,
       opt(r.measured_area_m2), r.measure_method, r.opened_at, r.closed_at, r.version, r.updated_at, r.updated_by,
       r.id});
}

std::string InspectionRecords::next_code(Connection& c, int year) {
  const std::string prefix = "INS-" + std::to_string(year) + "-";
  auto n = c.scalar_i64("SELECT count(*) FROM inspection WHERE code LIKE ?", {prefix + "%"});
  for (std::int64_t k = n + 1;; ++k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(k));
    std::string code = prefix + buf;
    if (c.scalar_i64("SELECT count(*) FROM inspection WHERE code = ?", {code}) == 0) return code;
  }
}

std::vector<FindingRecord> InspectionRecords::findings(Connection& c, std::int64_t inspection_id) {
  std::vector<FindingRecord> out;
  for (const auto& r : c.query(std::string(kFindingSelect) + " WHERE f.inspection_id = ? ORDER BY f.id", {inspection_id}).rows)
    out.push_back(finding_from(r));
  return out;
}

std::optional<FindingRecord> InspectionRecords::finding(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string(kFindingSelect) + " WHERE f.id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return finding_from(rs.rows.front());
}

std::optional<FindingRecord> InspectionRecords::finding_by_client_id(Connection& c, const std::string& client_id) {
  auto rs = c.query(std::string(kFindingSelect) + " WHERE f.client_id = ?", {client_id});
  if (rs.empty()) return std::nullopt;
  return finding_from(rs.rows.front());
}

std::int64_t InspectionRecords::insert_finding(Connection& c, const FindingRecord& f) {
  auto rs = c.query(
      "INSERT INTO inspection_finding (inspection_id, client_id, kind, subject_kind, subject_ref, severity, detail, "
      "measured_area_m2, status, recorded_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {f.inspection_id, f.client_id, f.kind, f.subject_kind, f.subject_ref, f.severity, f.detail,
       opt(f.measured_area_m2), f.status, f.recorded_at, f.created_at});
  return rs.rows.front().i64(std::size_t{0});
}

void InspectionRecords::set_finding_status(Connection& c, std::int64_t id, const std::string& status) {
  c.execute("UPDATE inspection_finding SET status = ? WHERE id = ?", {status, id});
}

std::vector<PhotoRecord> InspectionRecords::photos(Connection& c, std::int64_t inspection_id) {
  std::vector<PhotoRecord> out;
  for (const auto& r : c.query("SELECT id, inspection_id, client_id, taken_at, lon, lat, accuracy_m, mime, sha256, "
                               "created_at FROM inspection_photo WHERE inspection_id = ? ORDER BY taken_at, id",
                               {inspection_id})
                           .rows)
    out.push_back(photo_from(r, false));
  return out;
}

std::optional<PhotoRecord> InspectionRecords::photo_by_client_id(Connection& c, const std::string& client_id,
                                                                 bool with_data) {
  auto rs = c.query(std::string("SELECT id, inspection_id, client_id, taken_at, lon, lat, accuracy_m, mime, sha256, "
                                "created_at") +
                        (with_data ? ", data" : "") + " FROM inspection_photo WHERE client_id = ?",
                    {client_id});
  if (rs.empty()) return std::nullopt;
  return photo_from(rs.rows.front(), with_data);
}

std::int64_t InspectionRecords::insert_photo(Connection& c, const PhotoRecord& p) {
  auto rs = c.query(
      "INSERT INTO inspection_photo (inspection_id, client_id, taken_at, lon, lat, accuracy_m, mime, sha256, data, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.inspection_id, p.client_id, p.taken_at, opt(p.lon), opt(p.lat), opt(p.accuracy_m), p.mime, p.sha256,
       storage::Blob{p.data}, p.created_at});
  return rs.rows.front().i64(std::size_t{0});
}

std::vector<DecisionRecord> InspectionRecords::decisions(Connection& c, std::int64_t finding_id) {
  std::vector<DecisionRecord> out;
  for (const auto& r : c.query(std::string(kDecisionSelect) + " WHERE finding_id = ? ORDER BY id", {finding_id}).rows)
    out.push_back(decision_from(r));
  return out;
}

std::vector<DecisionRecord> InspectionRecords::decisions_on(Connection& c, const std::string& target_ref) {
  std::vector<DecisionRecord> out;
  for (const auto& r : c.query(std::string(kDecisionSelect) + " WHERE target_ref = ? ORDER BY id", {target_ref}).rows)
    out.push_back(decision_from(r));
  return out;
}

std::int64_t InspectionRecords::insert_decision(Connection& c, const DecisionRecord& d) {
  auto rs = c.query(
      "INSERT INTO inspection_decision (finding_id, action, target_ref, amount, stars, decision_no, reason, "
      "result_ref, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.finding_id, d.action, d.target_ref, opt(d.amount), opt(d.stars), d.decision_no, d.reason, d.result_ref,
       d.decided_by, d.decided_at});
  return rs.rows.front().i64(std::size_t{0});
}

void InspectionRecords::insert_sync(Connection& c, const SyncRecord& s) {
  c.execute(
      "INSERT INTO inspection_sync (device_id, user_login, inspection_id, item_kind, client_id, device_time, "
      "server_time, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.device_id, s.user_login, opt(s.inspection_id), s.item_kind, s.client_id, s.device_time, s.server_time,
       s.outcome, s.detail});
}

std::vector<SyncRecord> InspectionRecords::sync_log(Connection& c, std::int64_t inspection_id) {
  std::vector<SyncRecord> out;
  for (const auto& r : c.query("SELECT id, device_id, user_login, inspection_id, item_kind, client_id, device_time, "
                               "server_time, outcome, detail FROM inspection_sync WHERE inspection_id = ? ORDER BY id",
                               {inspection_id})
                           .rows) {
    SyncRecord s;
    s.id = r.i64("id");
    s.device_id = r.str("device_id");
    s.user_login = r.str("user_login");
    s.inspection_id = r.opt_i64("inspection_id");
    s.item_kind = r.str("item_kind");
    s.client_id = r.str("client_id");
    s.device_time = r.str("device_time");
    s.server_time = r.str("server_time");
    s.outcome = r.str("outcome");
    s.detail = r.str("detail");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace nongsan::inspection
