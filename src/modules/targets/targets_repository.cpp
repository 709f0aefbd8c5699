#include "modules/targets/targets_repository.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/text.hpp"

namespace nongsan::targets {

using storage::Value;

std::vector<int> parse_milestones(const std::string& text) {
  std::vector<int> out;
  std::string cur;
  for (char ch : text + ";") {
    if (ch == ';') {
      auto t = trim(cur);
      if (!t.empty()) out.push_back(std::stoi(t));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string format_milestones(const std::vector<int>& years) {
  std::string s;
  for (int y : years) s += (s.empty() ? "" : ";") + std::to_string(y);
  return s;
}

namespace {
Programme programme_row(const storage::Row& r) {
  Programme p;
  p.id = ProgrammeId(r.i64("id"));
  p.code = r.str("code");
  p.name_vi = r.str("name_vi");
  p.name_en = r.str("name_en");
  p.start = r.date("start_date");
  p.end = r.date("end_date");
  p.baseline_year = static_cast<int>(r.i64("baseline_year"));
  p.milestones = parse_milestones(r.str("milestones"));
  p.illustrative = r.i64("illustrative") != 0;
  p.source = r.str("source");
  p.created_at = r.str("created_at");
  p.updated_at = r.str("updated_at");
  return p;
}
constexpr const char* kProgrammeCols =
    "id, code, name_vi, name_en, start_date, end_date, baseline_year, milestones, illustrative, source, created_at, "
    "updated_at";

Indicator indicator_row(const storage::Row& r) {
  Indicator i;
  i.id = IndicatorId(r.i64("id"));
  i.programme = ProgrammeId(r.i64("programme_id"));
  i.code = r.str("code");
  i.name_vi = r.str("name_vi");
  i.name_en = r.str("name_en");
  i.measure_unit = r.str("measure_unit");
  i.kind = parse_kind(r.str("kind")).value_or(Kind::stock);
  i.direction = parse_direction(r.str("direction")).value_or(Direction::up);
  i.source = parse_source(r.str("source")).value_or(Source::reported);
  i.computed = r.str("computed");
  i.not_above = r.str("not_above");
  i.position = static_cast<int>(r.i64("position"));
  i.illustrative = r.i64("illustrative") != 0;
  i.note = r.str("note");
  return i;
}
constexpr const char* kIndicatorCols =
    "id, programme_id, code, name_vi, name_en, measure_unit, kind, direction, source, computed, not_above, position, "
    "illustrative, note";

Observation observation_row(const storage::Row& r) {
  Observation o;
  o.id = ObservationId(r.i64("id"));
  o.indicator = IndicatorId(r.i64("indicator_id"));
  o.unit = UnitId(r.i64("unit_id"));
  o.year = static_cast<int>(r.i64("year"));
  o.period = static_cast<int>(r.i64("period"));
  o.value = r.f64("value");
  // 'locked' is how approval in the workflow was stored before migration 0009.
  const std::string status = r.str("status");
  o.status = status == "locked" ? ObservationStatus::approved : parse_status(status).value_or(ObservationStatus::draft);
  o.entered_by = r.str("entered_by");
  o.submitted_by = r.str("submitted_by");
  o.submitted_at = r.str("submitted_at");
  o.approved_by = r.str("approved_by");
  o.approved_at = r.str("approved_at");
  o.returned_reason = r.str("returned_reason");
  o.note = r.str("note");
  o.flags = r.str("flags");
  o.created_at = r.str("created_at");
  o.updated_at = r.str("updated_at");
  return o;
}
constexpr const char* kObservationCols =
    "id, indicator_id, unit_id, year, period, value, status, entered_by, submitted_by, submitted_at, approved_by, "
    "approved_at, returned_reason, note, flags, created_at, updated_at";

ReportIssue issue_row(const storage::Row& r) {
  ReportIssue i;
  i.id = ReportIssueId(r.i64("id"));
  i.kind = r.str("kind");
  i.programme = r.str("programme");
  i.parameters = r.str("parameters");
  i.format = r.str("format");
  i.data_hash = r.str("data_hash");
  i.file_name = r.str("file_name");
  i.size_bytes = r.i64("size_bytes");
  i.file_sha256 = r.str("file_sha256");
  i.issued_by = r.str("issued_by");
  i.issued_at = r.str("issued_at");
  return i;
}

TargetRevision revision_row(const storage::Row& r) {
  TargetRevision v;
  v.id = r.i64("id");
  v.seq = static_cast<int>(r.i64("seq"));
  v.value = r.f64("value");
  v.decision = r.str("decision");
  if (!r.str("effective_date").empty()) v.effective = r.date("effective_date");  // '' = an original without a date
  v.created_by = r.str("created_by");
  v.created_at = r.str("created_at");
  return v;
}

std::vector<TargetRevision> revisions(storage::Connection& c, TargetId t) {
  std::vector<TargetRevision> out;
  for (const auto& r : c.query("SELECT id, seq, value, decision, effective_date, created_by, created_at "
                               "FROM target_revision WHERE target_id = ? ORDER BY seq",
                               {t.value})
                           .rows)
    out.push_back(revision_row(r));
  return out;
}

// " AND unit_id IN (?, …)" for a caller limited to some units ("" when not limited).
std::string scope_clause(const std::optional<std::unordered_set<UnitId>>& units, std::vector<Value>& params) {
  if (!units) return "";
  if (units->empty()) return " AND 1=0";
  std::string sql = " AND unit_id IN (";
  bool first = true;
  for (UnitId u : *units) {
    sql += first ? "?" : ", ?";
    first = false;
    params.emplace_back(u.value);
  }
  return sql + ")";
}

std::vector<Target> target_rows(storage::Connection& c, const storage::ResultSet& rs) {
  std::vector<Target> out;
  for (const auto& r : rs.rows) {
    Target t;
    t.id = TargetId(r.i64("id"));
    t.indicator = IndicatorId(r.i64("indicator_id"));
    t.unit = UnitId(r.i64("unit_id"));
    t.year = static_cast<int>(r.i64("year"));
    t.revisions = revisions(c, t.id);
    out.push_back(std::move(t));
  }
  return out;
}
}  // namespace

std::vector<Programme> TargetsRepository::programmes(storage::Connection& c) {
  std::vector<Programme> out;
  for (const auto& r : c.query(std::string("SELECT ") + kProgrammeCols + " FROM programme ORDER BY start_date, code").rows)
    out.push_back(programme_row(r));
  return out;
}

std::optional<Programme> TargetsRepository::find_programme(storage::Connection& c, const std::string& code) {
  auto rs = c.query(std::string("SELECT ") + kProgrammeCols + " FROM programme WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return programme_row(rs.rows[0]);
}

ProgrammeId TargetsRepository::insert_programme(storage::Connection& c, const Programme& p) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO programme (code, name_vi, name_en, start_date, end_date, baseline_year, milestones, illustrative, "
      "source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.code, p.name_vi, p.name_en, p.start.iso(), p.end.iso(), std::int64_t{p.baseline_year},
       format_milestones(p.milestones), std::int64_t{p.illustrative ? 1 : 0}, p.source, now, now});
  return ProgrammeId(rs.rows.at(0).i64("id"));
}

void TargetsRepository::update_programme(storage::Connection& c, const Programme& p) {
  c.execute("UPDATE programme SET name_vi = ?, name_en = ?, start_date = ?, end_date = ?, baseline_year = ?, "
            "milestones = ?, illustrative = ?, source = ?, updated_at = ? WHERE id = ?",
            {p.name_vi, p.name_en, p.start.iso(), p.end.iso(), std::int64_t{p.baseline_year},
             format_milestones(p.milestones), std::int64_t{p.illustrative ? 1 : 0}, p.source, utc_now_iso(),
             p.id.value});
}

std::vector<Indicator> TargetsRepository::indicators(storage::Connection& c, ProgrammeId p) {
  std::vector<Indicator> out;
  for (const auto& r : c.query(std::string("SELECT ") + kIndicatorCols +
                                   " FROM indicator WHERE programme_id = ? ORDER BY position, code",
                               {p.value})
                           .rows)
    out.push_back(indicator_row(r));
  return out;
}

std::optional<Indicator> TargetsRepository::find_indicator(storage::Connection& c, ProgrammeId p,
                                                           const std::string& code) {
  auto rs = c.query(std::string("SELECT ") + kIndicatorCols + " FROM indicator WHERE programme_id = ? AND code = ?",
                    {p.value, code});
  if (rs.empty()) return std::nullopt;
  return indicator_row(rs.rows[0]);
}

std::optional<Indicator> TargetsRepository::find_indicator(storage::Connection& c, IndicatorId id) {
  auto rs = c.query(std::string("SELECT ") + kIndicatorCols + " FROM indicator WHERE id = ?", {id.value});
  if (rs.empty()) return std::nullopt;
  return indicator_row(rs.rows[0]);
}

IndicatorId TargetsRepository::insert_indicator(storage::Connection& c, const Indicator& i) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO indicator (programme_id, code, name_vi, name_en, measure_unit, kind, direction, source, computed, "
      "not_above, position, illustrative, note, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {i.programme.value, i.code, i.name_vi, i.name_en, i.measure_unit, std::string(to_string(i.kind)),
       std::string(to_string(i.direction)), std::string(to_string(i.source)), i.computed, i.not_above,
       std::int64_t{i.position}, std::int64_t{i.illustrative ? 1 : 0}, i.note, now, now});
  return IndicatorId(rs.rows.at(0).i64("id"));
}

void TargetsRepository::update_indicator(storage::Connection& c, const Indicator& i) {
  c.execute("UPDATE indicator SET name_vi = ?, name_en = ?, measure_unit = ?, kind = ?, direction = ?, source = ?, "
            "computed = ?, not_above = ?, position = ?, illustrative = ?, note = ?, updated_at = ? WHERE id = ?",
            {i.name_vi, i.name_en, i.measure_unit, std::string(to_string(i.kind)), std::string(to_string(i.direction)),
             std::string(to_string(i.source)), i.computed, i.not_above, std::int64_t{i.position},
             std::int64_t{i.illustrative ? 1 : 0}, i.note, utc_now_iso(), i.id.value});
}

std::vector<Target> TargetsRepository::targets(storage::Connection& c, IndicatorId i, std::optional<int> year) {
  // Two queries whatever the number of targets (a province's review reads thousands):
  // the targets, then the revisions of all of them.
  std::string where = " WHERE t.indicator_id = ?";
  std::vector<storage::Value> params{i.value};
  if (year) {
    where += " AND t.year = ?";
    params.emplace_back(std::int64_t{*year});
  }
  std::vector<Target> out;
  std::unordered_map<std::int64_t, std::size_t> at;
  for (const auto& r :
       c.query("SELECT t.id, t.indicator_id, t.unit_id, t.year FROM target t" + where + " ORDER BY t.year, t.unit_id",
               params)
           .rows) {
    Target t;
    t.id = TargetId(r.i64("id"));
    t.indicator = IndicatorId(r.i64("indicator_id"));
    t.unit = UnitId(r.i64("unit_id"));
    t.year = static_cast<int>(r.i64("year"));
    at[t.id.value] = out.size();
    out.push_back(std::move(t));
  }
  if (out.empty()) return out;
  for (const auto& r : c.query("SELECT r.target_id, r.id, r.seq, r.value, r.decision, r.effective_date, r.created_by, "
                               "r.created_at FROM target_revision r JOIN target t ON t.id = r.target_id" +
                                   where + " ORDER BY r.target_id, r.seq",
                               params)
                           .rows)
    if (auto it = at.find(r.i64("target_id")); it != at.end()) out[it->second].revisions.push_back(revision_row(r));
  return out;
}

std::optional<Target> TargetsRepository::find_target(storage::Connection& c, IndicatorId i, UnitId u, int year) {
  auto t = target_rows(c, c.query("SELECT id, indicator_id, unit_id, year FROM target WHERE indicator_id = ? AND "
                                  "unit_id = ? AND year = ?",
                                  {i.value, u.value, std::int64_t{year}}));
  if (t.empty()) return std::nullopt;
  return t[0];
}

std::optional<Target> TargetsRepository::find_target(storage::Connection& c, TargetId id) {
  auto t = target_rows(c, c.query("SELECT id, indicator_id, unit_id, year FROM target WHERE id = ?", {id.value}));
  if (t.empty()) return std::nullopt;
  return t[0];
}

TargetId TargetsRepository::insert_target(storage::Connection& c, IndicatorId i, UnitId u, int year) {
  auto rs = c.query("INSERT INTO target (indicator_id, unit_id, year, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                    {i.value, u.value, std::int64_t{year}, utc_now_iso()});
  return TargetId(rs.rows.at(0).i64("id"));
}

void TargetsRepository::insert_revision(storage::Connection& c, TargetId t, const TargetRevision& r) {
  c.execute("INSERT INTO target_revision (target_id, seq, value, decision, effective_date, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {t.value, std::int64_t{r.seq}, r.value, r.decision, r.effective ? r.effective->iso() : std::string(),
             r.created_by, utc_now_iso()});
}

void TargetsRepository::update_revision(storage::Connection& c, const TargetRevision& r) {
  c.execute("UPDATE target_revision SET value = ?, decision = ? WHERE id = ?", {r.value, r.decision, r.id});
}

std::vector<Observation> TargetsRepository::observations(storage::Connection& c, const ObservationFilter& f,
                                                         const std::optional<std::unordered_set<UnitId>>& units,
                                                         std::int64_t* total) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (f.programme) {
    where += " AND indicator_id IN (SELECT id FROM indicator WHERE programme_id = ?)";
    params.emplace_back(f.programme->value);
  }
  if (f.indicator) {
    where += " AND indicator_id = ?";
    params.emplace_back(f.indicator->value);
  }
  if (f.unit) {
    where += " AND unit_id = ?";
    params.emplace_back(f.unit->value);
  }
  if (f.year) {
    where += " AND year = ?";
    params.emplace_back(std::int64_t{*f.year});
  }
  if (f.status) {
    where += " AND status = ?";
    params.emplace_back(std::string(to_string(*f.status)));
  }
  where += scope_clause(units, params);
  if (total) *total = c.scalar_i64("SELECT COUNT(*) FROM observation" + where, params);
  std::string sql = std::string("SELECT ") + kObservationCols + " FROM observation" + where +
                    (f.by_submission ? " ORDER BY submitted_at, id" : " ORDER BY indicator_id, unit_id, year, period");
  if (f.page_size > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(std::int64_t{f.page_size});
    params.emplace_back(std::int64_t{(std::max(f.page, 1) - 1) * f.page_size});
  }
  std::vector<Observation> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(observation_row(r));
  return out;
}

std::optional<Observation> TargetsRepository::find_observation(storage::Connection& c, ObservationId id) {
  auto rs = c.query(std::string("SELECT ") + kObservationCols + " FROM observation WHERE id = ?", {id.value});
  if (rs.empty()) return std::nullopt;
  return observation_row(rs.rows[0]);
}

std::optional<Observation> TargetsRepository::find_observation(storage::Connection& c, IndicatorId i, UnitId u,
                                                               int year, int period) {
  auto rs = c.query(std::string("SELECT ") + kObservationCols +
                        " FROM observation WHERE indicator_id = ? AND unit_id = ? AND year = ? AND period = ?",
                    {i.value, u.value, std::int64_t{year}, std::int64_t{period}});
  if (rs.empty()) return std::nullopt;
  return observation_row(rs.rows[0]);
}

ObservationId TargetsRepository::insert_observation(storage::Connection& c, const Observation& o) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO observation (indicator_id, unit_id, year, period, value, status, entered_by, submitted_by, "
      "submitted_at, approved_by, approved_at, returned_reason, note, flags, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {o.indicator.value, o.unit.value, std::int64_t{o.year}, std::int64_t{o.period}, o.value,
       std::string(to_string(o.status)), o.entered_by, o.submitted_by, o.submitted_at, o.approved_by, o.approved_at,
       o.returned_reason, o.note, o.flags, now, now});
  return ObservationId(rs.rows.at(0).i64("id"));
}

void TargetsRepository::update_observation(storage::Connection& c, const Observation& o) {
  c.execute("UPDATE observation SET value = ?, status = ?, entered_by = ?, submitted_by = ?, submitted_at = ?, "
            "approved_by = ?, approved_at = ?, returned_reason = ?, note = ?, flags = ?, updated_at = ? WHERE id = ?",
            {o.value, std::string(to_string(o.status)), o.entered_by, o.submitted_by, o.submitted_at, o.approved_by,
             o.approved_at, o.returned_reason, o.note, o.flags, utc_now_iso(), o.id.value});
}

std::map<std::pair<UnitId, int>, double> TargetsRepository::approved_values(storage::Connection& c, IndicatorId i,
                                                                          int max_year) {
  std::map<std::pair<UnitId, int>, double> out;
  for (const auto& r : c.query("SELECT unit_id, year, value FROM observation WHERE indicator_id = ? AND period = 0 "
                               "AND status = 'approved' AND year <= ?",
                               {i.value, std::int64_t{max_year}})
                           .rows)
    out[{UnitId(r.i64("unit_id")), static_cast<int>(r.i64("year"))}] = r.f64("value");
  return out;
}

std::vector<WaitingCount> TargetsRepository::waiting_counts(storage::Connection& c, ProgrammeId p,
                                                           const std::optional<std::unordered_set<UnitId>>& units) {
  std::vector<Value> params{p.value};
  std::string sql =
      "SELECT unit_id, indicator_id, COUNT(*) AS n FROM observation WHERE status = 'submitted' AND indicator_id IN "
      "(SELECT id FROM indicator WHERE programme_id = ?)";
  sql += scope_clause(units, params);
  std::vector<WaitingCount> out;
  for (const auto& r : c.query(sql + " GROUP BY unit_id, indicator_id", params).rows)
    out.push_back({UnitId(r.i64("unit_id")), IndicatorId(r.i64("indicator_id")), r.i64("n")});
  return out;
}

std::optional<Observation> TargetsRepository::previous_approved(storage::Connection& c, IndicatorId i, UnitId u,
                                                                int year, int period) {
  auto rs = c.query(std::string("SELECT ") + kObservationCols +
                        " FROM observation WHERE indicator_id = ? AND unit_id = ? AND period = ? AND year < ? AND "
                        "status = 'approved' ORDER BY year DESC LIMIT 1",
                    {i.value, u.value, std::int64_t{period}, std::int64_t{year}});
  if (rs.empty()) return std::nullopt;
  return observation_row(rs.rows[0]);
}

std::map<int, double> TargetsRepository::unit_history(storage::Connection& c, IndicatorId i, UnitId u) {
  std::map<int, double> out;
  for (const auto& r : c.query("SELECT year, value FROM observation WHERE indicator_id = ? AND unit_id = ? AND "
                               "period = 0",
                               {i.value, u.value})
                           .rows)
    out[static_cast<int>(r.i64("year"))] = r.f64("value");
  return out;
}

ReportIssueId TargetsRepository::insert_issue(storage::Connection& c, const ReportIssue& r) {
  auto rs = c.query(
      "INSERT INTO report_issue (kind, programme, parameters, format, data_hash, file_name, size_bytes, file_sha256, "
      "issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {r.kind, r.programme, r.parameters, r.format, r.data_hash, r.file_name, r.size_bytes, r.file_sha256,
       r.issued_by, r.issued_at});
  return ReportIssueId(rs.rows.at(0).i64("id"));
}

std::vector<ReportIssue> TargetsRepository::issues(storage::Connection& c, const std::string& programme) {
  std::vector<ReportIssue> out;
  std::string sql =
      "SELECT id, kind, programme, parameters, format, data_hash, file_name, size_bytes, file_sha256, issued_by, "
      "issued_at FROM report_issue";
  std::vector<Value> params;
  if (!programme.empty()) {
    sql += " WHERE programme = ?";
    params.emplace_back(programme);
  }
  for (const auto& r : c.query(sql + " ORDER BY id DESC", params).rows) out.push_back(issue_row(r));
  return out;
}

std::optional<ReportIssue> TargetsRepository::find_issue(storage::Connection& c, ReportIssueId id) {
  auto rs = c.query(
      "SELECT id, kind, programme, parameters, format, data_hash, file_name, size_bytes, file_sha256, issued_by, "
      "issued_at FROM report_issue WHERE id = ?",
      {id.value});
  if (rs.empty()) return std::nullopt;
  return issue_row(rs.rows[0]);
}

}  // namespace nongsan::targets
