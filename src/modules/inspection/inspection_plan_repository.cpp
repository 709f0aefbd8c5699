#include "modules/inspection/inspection_plan_repository.hpp"

#include <cstdio>
#include <sstream>

#include "core/text.hpp"

namespace nongsan::inspection {

using storage::Connection;
using storage::Value;

// A producer's key as the CSVs name it (support_repository.cpp defines the same key).
#define INSPECTION_PRODUCER_KEY(t) "COALESCE(NULLIF(" t ".external_id, ''), '#' || CAST(" t ".id AS TEXT))"

namespace {

std::string year_from(int year) { return std::to_string(year) + "-01-01"; }
std::string year_to(int year) { return std::to_string(year) + "-12-31"; }

std::optional<UnitId> unit_of(const storage::Row& r, std::string_view column) {
  auto v = r.opt_i64(column);
  if (!v) return std::nullopt;
  return UnitId{*v};
}

std::optional<double> setting(Connection& c, const std::string& key) {
  auto rs = c.query("SELECT value FROM app_setting WHERE key = ?", {key});
  if (rs.empty()) return std::nullopt;
  return parse_number(rs.rows.front().str("value"), false);
}

void put_setting(Connection& c, const std::string& key, double v) {
  std::ostringstream os;
  os.precision(15);
  os << v;
  c.execute("INSERT INTO app_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {key, os.str()});
}

constexpr const char* kLatestRunOfYear =
    "r.id = (SELECT MAX(r2.id) FROM support_check_run r2 WHERE r2.year = r.year)";

}  // namespace

std::vector<WeightRow> InspectionPlanRepository::weights(Connection& c) {
  std::vector<WeightRow> out;
  for (const auto& r : c.query("SELECT subject_kind, part, weight, updated_by, updated_at FROM inspection_weight "
                               "ORDER BY subject_kind, part")
                           .rows)
    out.push_back({r.str("subject_kind"), r.str("part"), r.f64("weight"), r.str("updated_by"), r.str("updated_at")});
  return out;
}

void InspectionPlanRepository::save_weight(Connection& c, const WeightRow& w) {
  c.execute("INSERT INTO inspection_weight (subject_kind, part, weight, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (subject_kind, part) DO UPDATE SET weight = excluded.weight, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            {w.subject_kind, w.part, w.weight, w.updated_by, w.updated_at});
}

std::vector<YearApplicant> InspectionPlanRepository::year_applicants(Connection& c, int year) {
  std::map<std::string, YearApplicant> by_ref;
  for (const auto& r :
       c.query("SELECT " INSPECTION_PRODUCER_KEY("p") " AS ref, p.id AS producer_id, a.unit_id, "
               "COALESCE(u.name, '') AS commune, a.filed, a.id AS application_id "
               "FROM support_application a JOIN producer p ON p.id = a.applicant_id "
               "LEFT JOIN admin_unit u ON u.id = a.unit_id "
               "WHERE a.status <> 'rejected' AND a.filed >= ? AND a.filed <= ? ORDER BY a.filed, a.id",
               {year_from(year), year_to(year)})
           .rows) {
    auto& e = by_ref[r.str("ref")];
    e.ref = r.str("ref");
    e.producer_id = r.i64("producer_id");
    e.unit = unit_of(r, "unit_id");  // the latest application's commune wins
    e.commune = r.str("commune");
  }
  for (const auto& r :
       c.query("SELECT DISTINCT " INSPECTION_PRODUCER_KEY("p") " AS ref, x.external_id AS parcel "
               "FROM support_application a JOIN producer p ON p.id = a.applicant_id "
               "JOIN support_application_item i ON i.application_id = a.id JOIN parcel x ON x.id = i.parcel_id "
               "WHERE a.status <> 'rejected' AND a.filed >= ? AND a.filed <= ? ORDER BY 1, 2",
               {year_from(year), year_to(year)})
           .rows)
    if (auto it = by_ref.find(r.str("ref")); it != by_ref.end()) it->second.parcels.push_back(r.str("parcel"));
  std::vector<YearApplicant> out;
  for (auto& [ref, e] : by_ref) out.push_back(std::move(e));
  return out;
}

std::map<std::string, int> InspectionPlanRepository::over_declared_by_applicant(Connection& c, int year) {
  std::map<std::string, int> out;
  for (const auto& r : c.query(std::string("SELECT " INSPECTION_PRODUCER_KEY("p") " AS ref, COUNT(*) AS n "
                                           "FROM support_check_finding f JOIN support_check_run r ON r.id = f.run_id "
                                           "JOIN support_application a ON a.code = f.application "
                                           "JOIN producer p ON p.id = a.applicant_id "
                                           "WHERE f.finding = 'over_declared' AND r.year < ? AND ") +
                                   kLatestRunOfYear + " GROUP BY " INSPECTION_PRODUCER_KEY("p"),
                               {std::int64_t{year}})
                           .rows)
    out[r.str("ref")] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::string, int> InspectionPlanRepository::over_declared_by_parcel(Connection& c, int year) {
  std::map<std::string, int> out;
  for (const auto& r : c.query(std::string("SELECT f.parcel, COUNT(*) AS n FROM support_check_finding f "
                                           "JOIN support_check_run r ON r.id = f.run_id "
                                           "WHERE f.finding = 'over_declared' AND f.parcel <> '' AND r.year < ? AND ") +
                                   kLatestRunOfYear + " GROUP BY f.parcel",
                               {std::int64_t{year}})
                           .rows)
    out[r.str("parcel")] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::string, int> InspectionPlanRepository::claim_findings_by_parcel(Connection& c, int year) {
  std::map<std::string, int> out;
  for (const auto& r : c.query(std::string("SELECT f.parcel, COUNT(*) AS n FROM support_check_finding f "
                                           "JOIN support_check_run r ON r.id = f.run_id "
                                           "WHERE f.parcel <> '' AND r.year = ? AND ") +
                                   kLatestRunOfYear + " GROUP BY f.parcel",
                               {std::int64_t{year}})
                           .rows)
    out[r.str("parcel")] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::string, int> InspectionPlanRepository::ocop_findings_by_product(Connection& c) {
  std::map<std::string, int> out;
  for (const auto& r : c.query("SELECT o.code, COUNT(*) AS n FROM ocop_finding f JOIN ocop_product o ON o.id = f.product_id "
                               "WHERE f.closed_by_event IS NULL GROUP BY o.code")
                           .rows)
    out[r.str("code")] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::string, int> InspectionPlanRepository::ocop_findings_by_producer(Connection& c) {
  std::map<std::string, int> out;
  for (const auto& r : c.query("SELECT " INSPECTION_PRODUCER_KEY("p") " AS ref, COUNT(*) AS n FROM ocop_finding f "
                               "JOIN ocop_product o ON o.id = f.product_id JOIN producer p ON p.id = o.subject_id "
                               "WHERE f.closed_by_event IS NULL GROUP BY " INSPECTION_PRODUCER_KEY("p"))
                           .rows)
    out[r.str("ref")] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::string, std::string> InspectionPlanRepository::code_holders(Connection& c) {
  std::map<std::string, std::string> out;
  for (const auto& r : c.query("SELECT a.code, " INSPECTION_PRODUCER_KEY("p") " AS ref FROM area_code a "
                               "JOIN producer p ON p.id = a.holder_id WHERE a.code IS NOT NULL")
                           .rows)
    out[r.str("code")] = r.str("ref");
  return out;
}

std::map<std::pair<std::string, std::string>, int> InspectionPlanRepository::inspection_findings(Connection& c) {
  std::map<std::pair<std::string, std::string>, int> out;
  for (const auto& r : c.query("SELECT i.subject_kind, i.subject_ref, COUNT(*) AS n FROM inspection_finding f "
                               "JOIN inspection i ON i.id = f.inspection_id WHERE f.status <> 'dismissed' "
                               "GROUP BY i.subject_kind, i.subject_ref")
                           .rows)
    out[{r.str("subject_kind"), r.str("subject_ref")}] = static_cast<int>(r.i64("n"));
  return out;
}

std::map<std::pair<std::string, std::string>, int> InspectionPlanRepository::inspection_decisions(Connection& c) {
  std::map<std::pair<std::string, std::string>, int> out;
  for (const auto& r : c.query("SELECT i.subject_kind, i.subject_ref, COUNT(*) AS n FROM inspection_decision d "
                               "JOIN inspection_finding f ON f.id = d.finding_id JOIN inspection i ON i.id = f.inspection_id "
                               "WHERE d.action <> 'dismiss' GROUP BY i.subject_kind, i.subject_ref")
                           .rows)
    out[{r.str("subject_kind"), r.str("subject_ref")}] = static_cast<int>(r.i64("n"));
  return out;
}

bool InspectionPlanRepository::subject_unit(Connection& c, const std::string& kind, const std::string& ref,
                                            std::optional<UnitId>* unit) {
  storage::ResultSet rs;
  if (kind == "applicant") {
    // The producer's latest application's commune; a producer without one has none.
    rs = c.query("SELECT (SELECT a.unit_id FROM support_application a WHERE a.applicant_id = p.id "
                 "ORDER BY a.filed DESC, a.id DESC LIMIT 1) AS unit_id FROM producer p "
                 "WHERE " INSPECTION_PRODUCER_KEY("p") " = ?",
                 {ref});
  } else if (kind == "parcel") {
    rs = c.query("SELECT unit_id FROM parcel WHERE external_id = ?", {ref});
  } else if (kind == "area_code") {
    rs = c.query("SELECT unit_id FROM area_code WHERE code = ?", {ref});
  } else if (kind == "ocop_product") {
    rs = c.query("SELECT unit_id FROM ocop_product WHERE code = ?", {ref});
  } else if (kind == "facility") {
    rs = c.query("SELECT unit_id FROM chain_facility WHERE code = ?", {ref});
  } else {
    return false;
  }
  if (rs.empty()) return false;
  *unit = unit_of(rs.rows.front(), "unit_id");
  return true;
}

std::vector<InspectorRow> InspectionPlanRepository::inspectors(Connection& c) {
  std::vector<InspectorRow> out;
  for (const auto& r : c.query("SELECT u.id, u.username, u.unit_id, (SELECT COUNT(*) FROM inspection i "
                               "WHERE i.inspector_user_id = u.id AND i.status <> 'closed') AS open_count "
                               "FROM app_user u WHERE u.role = 'inspector' AND u.active = 1 ORDER BY u.username")
                           .rows)
    out.push_back({r.i64("id"), r.str("username"), unit_of(r, "unit_id"), static_cast<int>(r.i64("open_count"))});
  return out;
}

std::optional<std::int64_t> InspectionPlanRepository::plan_id(Connection& c, const std::string& code) {
  auto rs = c.query("SELECT id FROM inspection_plan WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return rs.rows.front().i64("id");
}

std::string InspectionPlanRepository::next_plan_code(Connection& c, int year) {
  auto n = c.scalar_i64("SELECT COUNT(*) FROM inspection_plan WHERE year = ?", {std::int64_t{year}});
  for (;; ++n) {
    char code[32];
    std::snprintf(code, sizeof code, "KH-%d-%03lld", year, static_cast<long long>(n + 1));
    if (!plan_id(c, code)) return code;
  }
}

std::int64_t InspectionPlanRepository::insert_plan(Connection& c, const PlanRow& p) {
  return c.query("INSERT INTO inspection_plan (code, year, subject_kind, share_pct, risk_share, seed, population, "
                 "illustrative, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {p.code, std::int64_t{p.year}, p.subject_kind, p.share_pct, p.risk_share, p.seed, p.population,
                  std::int64_t{p.illustrative ? 1 : 0}, p.created_by, p.created_at})
      .rows.front()
      .i64("id");
}

std::string InspectionPlanRepository::insert_entry(Connection& c, std::int64_t plan_id, const std::string& plan_code,
                                                   const PlanEntryRow& e, bool illustrative, const std::string& by,
                                                   const std::string& now) {
  auto opt = [](const auto& v) -> Value {
    if (!v) return storage::Null{};
    if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, UnitId>) return v->value;
    else return *v;
  };
  auto entry_id =
      c.query("INSERT INTO inspection_plan_entry (plan_id, seq, subject_kind, subject_ref, producer_id, unit_id, reason, "
              "score, parts, inspector_user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {plan_id, std::int64_t{e.seq}, e.subject_kind, e.subject_ref, opt(e.producer_id), opt(e.unit), e.reason,
               e.score, e.parts, opt(e.inspector_user_id)})
          .rows.front()
          .i64("id");
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04d", e.seq);
  std::string code = plan_code + "-" + seq;
  c.execute("INSERT INTO inspection (code, plan_entry_id, subject_kind, subject_ref, checklist_kind, unit_id, "
            "inspector_user_id, status, illustrative, created_at, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'assigned', ?, ?, ?, ?)",
            {code, entry_id, e.subject_kind, e.subject_ref, std::string("support_claim"), opt(e.unit),
             opt(e.inspector_user_id), std::int64_t{illustrative ? 1 : 0}, now, now, by});
  return code;
}

std::vector<PlanRow> InspectionPlanRepository::plans(Connection& c, std::optional<int> year) {
  std::string sql =
      "SELECT p.id, p.code, p.year, p.subject_kind, p.share_pct, p.risk_share, p.seed, p.population, p.illustrative, "
      "p.created_by, p.created_at, (SELECT COUNT(*) FROM inspection_plan_entry e WHERE e.plan_id = p.id) AS entries, "
      "(SELECT COUNT(*) FROM inspection_plan_entry e WHERE e.plan_id = p.id AND e.inspector_user_id IS NOT NULL) "
      "AS assigned FROM inspection_plan p";
  std::vector<Value> params;
  if (year) {
    sql += " WHERE p.year = ?";
    params.emplace_back(std::int64_t{*year});
  }
  sql += " ORDER BY p.year DESC, p.code DESC";
  std::vector<PlanRow> out;
  for (const auto& r : c.query(sql, params).rows) {
    PlanRow p;
    p.id = r.i64("id");
    p.code = r.str("code");
    p.year = static_cast<int>(r.i64("year"));
    p.subject_kind = r.str("subject_kind");
    p.share_pct = r.f64("share_pct");
    p.risk_share = r.f64("risk_share");
    p.seed = r.str("seed");
    p.population = r.i64("population");
    p.illustrative = r.i64("illustrative") != 0;
    p.created_by = r.str("created_by");
    p.created_at = r.str("created_at");
    p.entries = r.i64("entries");
    p.assigned = r.i64("assigned");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<PlanEntryRow> InspectionPlanRepository::plan_entries(Connection& c, std::int64_t plan_id) {
  std::vector<PlanEntryRow> out;
  for (const auto& r : c.query("SELECT e.seq, e.subject_kind, e.subject_ref, e.producer_id, e.unit_id, e.reason, e.score, "
                               "e.parts, e.inspector_user_id, COALESCE(u.username, '') AS inspector, "
                               "COALESCE(a.name, '') AS commune, COALESCE(i.code, '') AS inspection "
                               "FROM inspection_plan_entry e LEFT JOIN app_user u ON u.id = e.inspector_user_id "
                               "LEFT JOIN admin_unit a ON a.id = e.unit_id "
                               "LEFT JOIN inspection i ON i.plan_entry_id = e.id WHERE e.plan_id = ? ORDER BY e.seq",
                               {plan_id})
                           .rows) {
    PlanEntryRow e;
    e.seq = static_cast<int>(r.i64("seq"));
    e.subject_kind = r.str("subject_kind");
    e.subject_ref = r.str("subject_ref");
    e.producer_id = r.opt_i64("producer_id");
    e.unit = unit_of(r, "unit_id");
    e.reason = r.str("reason");
    e.score = r.f64("score");
    e.parts = r.str("parts");
    e.inspector_user_id = r.opt_i64("inspector_user_id");
    e.inspector = r.str("inspector");
    e.commune = r.str("commune");
    e.inspection = r.str("inspection");
    out.push_back(std::move(e));
  }
  return out;
}

QualitySettings InspectionPlanRepository::quality_settings(Connection& c) {
  QualitySettings s;
  if (auto v = setting(c, "inspection.quality_buffer_m")) s.buffer_m = *v;
  if (auto v = setting(c, "inspection.quality_max_tolerance_m2")) s.max_tolerance_m2 = *v;
  return s;
}

void InspectionPlanRepository::save_quality_settings(Connection& c, const QualitySettings& s) {
  put_setting(c, "inspection.quality_buffer_m", s.buffer_m);
  put_setting(c, "inspection.quality_max_tolerance_m2", s.max_tolerance_m2);
}

std::vector<QualityRow> InspectionPlanRepository::quality_population(Connection& c, int year) {
  std::vector<QualityRow> out;
  for (const auto& r : c.query("SELECT id, external_id, COALESCE(official_area_m2, area_m2) AS area, unit_id, geom "
                               "FROM parcel WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
                               "AND COALESCE(official_area_m2, area_m2) > 0 ORDER BY external_id",
                               {year_to(year), year_to(year)})
                           .rows) {
    QualityRow q;
    q.parcel_id = r.i64("id");
    q.parcel = r.str("external_id");
    q.registered_m2 = r.f64("area");
    q.unit = unit_of(r, "unit_id");
    q.geom = r.opt_geometry("geom");
    out.push_back(std::move(q));
  }
  return out;
}

bool InspectionPlanRepository::has_quality_sample(Connection& c, int year) {
  return c.scalar_i64("SELECT COUNT(*) FROM registry_quality_sample WHERE year = ?", {std::int64_t{year}}) > 0;
}

void InspectionPlanRepository::insert_quality_row(Connection& c, int year, const QualityRow& r, const std::string& seed) {
  c.execute("INSERT INTO registry_quality_sample (year, parcel_id, seq, seed, registered_area_m2) VALUES (?, ?, ?, ?, ?)",
            {std::int64_t{year}, r.parcel_id, std::int64_t{r.seq}, seed, r.registered_m2});
}

std::vector<QualityRow> InspectionPlanRepository::quality_sample(Connection& c, int year) {
  std::vector<QualityRow> out;
  for (const auto& r : c.query("SELECT s.parcel_id, p.external_id, s.seq, s.registered_area_m2, s.measured_area_m2, "
                               "s.measured_on, s.illustrative, p.unit_id, p.geom FROM registry_quality_sample s "
                               "JOIN parcel p ON p.id = s.parcel_id WHERE s.year = ? ORDER BY s.seq",
                               {std::int64_t{year}})
                           .rows) {
    QualityRow q;
    q.parcel_id = r.i64("parcel_id");
    q.parcel = r.str("external_id");
    q.seq = static_cast<int>(r.i64("seq"));
    q.registered_m2 = r.f64("registered_area_m2");
    q.measured_m2 = r.opt_f64("measured_area_m2");
    q.measured_on = r.str("measured_on");
    q.illustrative = r.i64("illustrative") != 0;
    q.unit = unit_of(r, "unit_id");
    q.geom = r.opt_geometry("geom");
    out.push_back(std::move(q));
  }
  return out;
}

bool InspectionPlanRepository::set_measured(Connection& c, int year, const std::string& parcel, double m2,
                                            const std::string& on, bool illustrative) {
  return c.execute("UPDATE registry_quality_sample SET measured_area_m2 = ?, measured_on = ?, illustrative = ? "
                   "WHERE year = ? AND parcel_id = (SELECT id FROM parcel WHERE external_id = ?)",
                   {m2, on, std::int64_t{illustrative ? 1 : 0}, std::int64_t{year}, parcel}) > 0;
}

std::map<std::string, std::pair<double, std::string>> InspectionPlanRepository::inspection_measurements(Connection& c,
                                                                                                     int year) {
  std::map<std::string, std::pair<double, std::string>> out;
  for (const auto& r : c.query("SELECT p.external_id, i.measured_area_m2, i.closed_at FROM registry_quality_sample s "
                               "JOIN parcel p ON p.id = s.parcel_id JOIN inspection i ON i.parcel_id = s.parcel_id "
                               "WHERE s.year = ? AND s.measured_area_m2 IS NULL AND i.status = 'closed' "
                               "AND i.measured_area_m2 IS NOT NULL ORDER BY i.closed_at, i.id",
                               {std::int64_t{year}})
                           .rows)
    out[r.str("external_id")] = {r.f64("measured_area_m2"), r.str("closed_at").substr(0, 10)};  // the latest wins
  return out;
}

}  // namespace nongsan::inspection
