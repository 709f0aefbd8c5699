#include "modules/epcis/epcis_repository.hpp"

#include "storage/province_filter.hpp"

namespace nongsan::epcis {
namespace {

using storage::Value;

// " AND col IN (?, ?, …)" with the values appended to `params`.
void in_list(std::string& where, std::vector<Value>& params, const char* col, const std::vector<std::string>& values) {
  if (values.empty()) return;
  where += std::string(" AND ") + col + " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    where += i ? ", ?" : "?";
    params.emplace_back(values[i]);
  }
  where += ")";
}

CaptureJob job_of(const storage::Row& r) {
  CaptureJob j;
  j.id = r.i64("id");
  j.capture_id = r.str("capture_id");
  j.state = r.str("state");
  j.source = r.str("source");
  j.events = r.i64("events");
  j.captured = r.i64("captured");
  j.already_present = r.i64("already_present");
  j.errors = nlohmann::json::parse(r.str("errors"));
  j.created_by = r.str("created_by");
  j.created_at = r.str("created_at");
  j.finished_at = r.opt_str("finished_at");
  return j;
}

}  // namespace

bool EpcisRepository::event_exists(storage::Connection& c, const std::string& hash) {
  std::vector<Value> params{hash};
  return c.scalar_i64("SELECT COUNT(*) FROM epcis_event WHERE event_hash = ?" +
                          storage::and_province(c, "province_code", params),
                      params) > 0;
}

bool EpcisRepository::declare_error(storage::Connection& c, const std::string& hash, const nlohmann::json& declaration) {
  std::vector<Value> params{hash};
  const std::string in_province = storage::and_province(c, "province_code", params);
  auto rs = c.query("SELECT document FROM epcis_event WHERE event_hash = ?" + in_province, params);
  if (rs.rows.empty()) return false;
  auto doc = nlohmann::json::parse(rs.rows.at(0).str("document"));
  if (doc.contains("errorDeclaration")) return false;
  doc["errorDeclaration"] = declaration;
  std::vector<Value> update_params{doc.dump(), hash};
  c.execute("UPDATE epcis_event SET document = ? WHERE event_hash = ?" +
                storage::and_province(c, "province_code", update_params),
            update_params);
  return true;
}

void EpcisRepository::insert_event(storage::Connection& c, const EventIndex& ix, std::int64_t capture,
                                   const std::string& record_time, const std::string& document) {
  auto rs = c.query(
      "INSERT INTO epcis_event (event_hash, event_id, event_type, event_time, event_time_zone_offset, record_time, "
      "action, biz_step, disposition, read_point, biz_location, transformation_id, capture_id, document) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {ix.hash, ix.event_id, ix.type, ix.event_time, ix.time_zone_offset, record_time, ix.action, ix.biz_step,
       ix.disposition, ix.read_point, ix.biz_location, ix.transformation_id, capture, document});
  std::int64_t id = rs.rows.at(0).i64(std::size_t{0});
  for (const auto& e : ix.epcs)
    c.execute("INSERT INTO epcis_event_epc (event, role, epc, base) VALUES (?, ?, ?, ?)", {id, e.role, e.epc, e.base});
  for (const auto& [kind, type, value] : ix.refs)
    c.execute("INSERT INTO epcis_event_ref (event, kind, type, value) VALUES (?, ?, ?, ?)", {id, kind, type, value});
  for (const auto& [scope, name, value] : ix.fields)
    c.execute("INSERT INTO epcis_event_field (event, scope, name, value) VALUES (?, ?, ?, ?)", {id, scope, name, value});
}

std::vector<StoredEvent> EpcisRepository::events(storage::Connection& c, const EventFilter& f, std::int64_t limit) {
  // The identifier filters (EPCs, business transactions, sources and destinations,
  // extension fields) select few events out of many: each is "the events of these
  // values", read from its value index. The first of them drives the query — the events
  // it names are joined to epcis_event (CROSS JOIN keeps SQLite from reordering) — and
  // the others test membership. Left to itself, SQLite without statistics started from
  // the event-type index and tested every AggregationEvent for the one SSCC a shipping
  // event names: a capture rule asks that for every shipping event, so capture slowed
  // as the table grew (221 events/s after 200,000 events; bench/README.md).
  std::vector<std::pair<std::string, std::vector<Value>>> sets;
  for (const auto& m : f.matches) {
    // (value matches epc exactly) or (a pattern value matches the base of the epc).
    // Each index filtered by the connection's province where the tables are distributed
    // by it (storage/province_filter.hpp), as epcis_event is below.
    std::vector<Value> ps;
    std::string q =
        "SELECT x.event FROM epcis_event_epc x WHERE 1 = 1" + storage::and_province(c, "x.province_code", ps);
    in_list(q, ps, "x.epc", m.values);
    in_list(q, ps, "x.role", m.roles);
    q += " UNION SELECT x.event FROM epcis_event_epc x WHERE 1 = 1" + storage::and_province(c, "x.province_code", ps);
    in_list(q, ps, "x.base", m.values);
    in_list(q, ps, "x.role", m.roles);
    sets.emplace_back(std::move(q), std::move(ps));
  }
  for (const auto& r : f.refs) {
    std::vector<Value> ps{Value(r.kind)};
    std::string q = "SELECT DISTINCT x.event FROM epcis_event_ref x WHERE x.kind = ?" +
                    storage::and_province(c, "x.province_code", ps);
    in_list(q, ps, "x.value", r.values);
    if (!r.type.empty()) q += " AND x.type = ?", ps.emplace_back(r.type);
    sets.emplace_back(std::move(q), std::move(ps));
  }
  for (const auto& fl : f.fields) {
    std::vector<Value> ps{Value(fl.scope), Value(fl.name)};
    std::string q = "SELECT DISTINCT x.event FROM epcis_event_field x WHERE x.scope = ? AND x.name = ?" +
                    storage::and_province(c, "x.province_code", ps);
    in_list(q, ps, "x.value", fl.values);
    sets.emplace_back(std::move(q), std::move(ps));
  }

  std::string from = "epcis_event e";
  std::string where = "1 = 1";
  std::vector<Value> params;
  if (!sets.empty()) {
    from = "(" + sets.front().first + ") ids CROSS JOIN epcis_event e";
    params = std::move(sets.front().second);
    where += " AND e.id = ids.event";
  }
  for (std::size_t i = 1; i < sets.size(); ++i) {
    where += " AND e.id IN (" + sets[i].first + ")";
    for (auto& v : sets[i].second) params.push_back(std::move(v));
  }
  where += storage::and_province(c, "e.province_code", params);
  in_list(where, params, "e.event_type", f.event_types);
  if (f.ge_event_time) where += " AND e.event_time >= ?", params.emplace_back(*f.ge_event_time);
  if (f.lt_event_time) where += " AND e.event_time < ?", params.emplace_back(*f.lt_event_time);
  if (f.ge_record_time) where += " AND e.record_time >= ?", params.emplace_back(*f.ge_record_time);
  if (f.lt_record_time) where += " AND e.record_time < ?", params.emplace_back(*f.lt_record_time);
  in_list(where, params, "e.action", f.actions);
  in_list(where, params, "e.biz_step", f.biz_steps);
  in_list(where, params, "e.disposition", f.dispositions);
  in_list(where, params, "e.read_point", f.read_points);
  in_list(where, params, "e.biz_location", f.biz_locations);
  in_list(where, params, "e.transformation_id", f.transformation_ids);
  in_list(where, params, "e.event_id", f.event_ids);
  if (!f.after.empty()) {
    auto tilde = f.after.rfind('~');
    std::string t = f.after.substr(0, tilde);
    std::int64_t id = std::stoll(f.after.substr(tilde + 1));
    where += f.descending ? " AND (e.event_time < ? OR (e.event_time = ? AND e.id < ?))"
                          : " AND (e.event_time > ? OR (e.event_time = ? AND e.id > ?))";
    params.emplace_back(t);
    params.emplace_back(t);
    params.emplace_back(id);
  }
  std::string order = f.descending ? " ORDER BY e.event_time DESC, e.id DESC" : " ORDER BY e.event_time, e.id";
  params.emplace_back(limit);
  auto rs = c.query("SELECT e.id, e.event_hash, e.event_time, e.record_time, e.document FROM " + from + " WHERE " +
                        where + order + " LIMIT ?",
                    params);
  std::vector<StoredEvent> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows)
    out.push_back({r.i64("id"), r.str("event_hash"), r.str("event_time"), r.str("record_time"),
                   nlohmann::json::parse(r.str("document"))});
  return out;
}

std::int64_t EpcisRepository::insert_capture(storage::Connection& c, const CaptureJob& j) {
  auto rs = c.query(
      "INSERT INTO epcis_capture (capture_id, state, source, events, captured, already_present, errors, created_by, "
      "created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {j.capture_id, j.state, j.source, j.events, j.captured, j.already_present, j.errors.dump(), j.created_by,
       j.created_at, storage::optional_value(j.finished_at)});
  return rs.rows.at(0).i64(std::size_t{0});
}

void EpcisRepository::finish_capture(storage::Connection& c, const CaptureJob& j) {
  std::vector<Value> params{
      j.state, j.events, j.captured, j.already_present, j.errors.dump(), storage::optional_value(j.finished_at), j.id};
  c.execute(
      "UPDATE epcis_capture SET state = ?, events = ?, captured = ?, already_present = ?, errors = ?, "
      "finished_at = ? WHERE id = ?" +
          storage::and_province(c, "province_code", params),
      params);
}

std::optional<CaptureJob> EpcisRepository::capture(storage::Connection& c, const std::string& capture_id) {
  auto rs = c.query(
      "SELECT id, capture_id, state, source, events, captured, already_present, errors, created_by, created_at, "
      "finished_at FROM epcis_capture WHERE capture_id = ?",
      {capture_id});
  if (rs.rows.empty()) return std::nullopt;
  return job_of(rs.rows.front());
}

std::vector<CaptureJob> EpcisRepository::captures(storage::Connection& c, std::int64_t limit) {
  auto rs = c.query(
      "SELECT id, capture_id, state, source, events, captured, already_present, errors, created_by, created_at, "
      "finished_at FROM epcis_capture ORDER BY id DESC LIMIT ?",
      {limit});
  std::vector<CaptureJob> out;
  for (const auto& r : rs.rows) out.push_back(job_of(r));
  return out;
}

}  // namespace nongsan::epcis
