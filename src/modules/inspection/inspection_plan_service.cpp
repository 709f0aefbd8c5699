#include "modules/inspection/inspection_plan_service.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/civil_date.hpp"
#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/planar.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/inspection/plan_rules.hpp"

namespace nongsan::inspection {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;
using Repo = InspectionPlanRepository;

struct InspectionPlanService::Facts {
  std::vector<YearApplicant> applicants;
  std::map<std::string, double> claim_score;  // applicant → highest support risk of the year
  std::map<std::string, int> od_applicant, od_parcel, claim_parcel, ocop_product, ocop_producer;
  std::map<std::string, int> code_findings, code_findings_by_holder, pesticide_parcel;
  std::map<std::pair<std::string, std::string>, int> insp_findings, insp_decisions;
  Weights weights;

  std::map<std::string, double> values(const std::string& kind, const std::string& ref,
                                       const std::vector<std::string>& parcels = {}) const {
    auto get = [](const auto& m, const auto& k) -> double {
      auto it = m.find(k);
      return it == m.end() ? 0.0 : static_cast<double>(it->second);
    };
    std::map<std::string, double> v;
    v["inspection_finding"] = get(insp_findings, std::make_pair(kind, ref));
    v["inspection_decision"] = get(insp_decisions, std::make_pair(kind, ref));
    if (kind == "applicant") {
      v["claim_risk"] = get(claim_score, ref);
      v["over_declared_history"] = get(od_applicant, ref);
      v["code_finding"] = get(code_findings_by_holder, ref);
      v["ocop_finding"] = get(ocop_producer, ref);
      double pest = 0;
      for (const auto& p : parcels) pest += get(pesticide_parcel, p);
      v["pesticide_finding"] = pest;
    } else if (kind == "parcel") {
      v["claim_finding"] = get(claim_parcel, ref);
      v["over_declared_history"] = get(od_parcel, ref);
      v["pesticide_finding"] = get(pesticide_parcel, ref);
    } else if (kind == "area_code") {
      v["code_finding"] = get(code_findings, ref);
    } else if (kind == "ocop_product") {
      v["ocop_finding"] = get(ocop_product, ref);
    }
    return v;
  }
};

namespace {

Status plausible_year(int year) {
  if (year < 1945 || year > 2100) return Error::invalid("the year is not valid", {{"year", "must be between 1945 and 2100"}});
  return {};
}

Weights merged_weights(Connection& c) {
  Weights w = default_weights();
  for (const auto& r : Repo::weights(c)) w[{r.subject_kind, r.part}] = r.weight;
  return w;
}

// The perimeter of a boundary in metres, in the province's projected CRS.
double perimeter_m(const std::optional<storage::Geometry>& g) {
  if (!g) return 0;
  auto projected = geo::transform(*g, geo::kProvinceCrs);
  if (!projected) return 0;
  auto polys = geo::planar::polygons_of(*projected);
  if (!polys) return 0;
  double sum = 0;
  for (const auto& poly : *polys)
    for (const auto& ring : poly) sum += geo::planar::ring_length(ring);
  return sum;
}

}  // namespace

json to_json(const std::vector<ScorePart>& parts) {
  json out = json::array();
  for (const auto& p : parts)
    out.push_back({{"part", p.part}, {"weight", p.weight}, {"value", p.value}, {"points", p.points}});
  return out;
}

json to_json(const PlanPreview& p) {
  json entries = json::array();
  for (const auto& e : p.entries)
    entries.push_back({{"seq", e.seq},
                       {"applicant", e.applicant},
                       {"reason", e.reason},
                       {"score", e.score},
                       {"parts", to_json(e.parts)},
                       {"commune", e.commune},
                       {"inspector", e.inspector},
                       {"parcels", e.parcels}});
  return json{{"year", p.request.year},
              {"share_pct", p.request.share_pct},
              {"risk_share", p.request.risk_share},
              {"seed", std::to_string(p.request.seed)},
              {"population", p.population},
              {"items", entries}};
}

InspectionPlanService::InspectionPlanService(storage::Database& db, admin::AdminService& admin,
                                             support::SupportService& support, areacodes::AreaCodeService& areacodes,
                                             diary::DiaryService& diary)
    : db_(db), admin_(admin), support_(support), areacodes_(areacodes), diary_(diary) {}

Result<InspectionPlanService::Facts> InspectionPlanService::gather(const Actor& a, int year) {
  Facts f;
  // The support module's risk of every application of the year (its own parts and
  // weights; docs/support.md "Risk"), the highest per applicant.
  auto risk = support_.risk(a, year);
  if (!risk) return risk.error();
  for (const auto& item : (*risk)["items"]) {
    auto who = item.value("applicant", "");
    f.claim_score[who] = std::max(f.claim_score[who], item.value("score", 0.0));
  }
  auto codes = areacodes_.check(a, false);
  if (!codes) return codes.error();
  auto pest = diary_.findings(a, CivilDate(year, 1, 1), CivilDate(year, 12, 31));
  if (!pest) return pest.error();
  for (const auto& p : *pest) ++f.pesticide_parcel[p.parcel];
  auto s = db_.read([&](Connection& c) -> Status {
    f.applicants = Repo::year_applicants(c, year);
    f.od_applicant = Repo::over_declared_by_applicant(c, year);
    f.od_parcel = Repo::over_declared_by_parcel(c, year);
    f.claim_parcel = Repo::claim_findings_by_parcel(c, year);
    f.ocop_product = Repo::ocop_findings_by_product(c);
    f.ocop_producer = Repo::ocop_findings_by_producer(c);
    f.insp_findings = Repo::inspection_findings(c);
    f.insp_decisions = Repo::inspection_decisions(c);
    f.weights = merged_weights(c);
    auto holders = Repo::code_holders(c);
    for (const auto& finding : codes->findings) {
      ++f.code_findings[finding.code];
      if (auto h = holders.find(finding.code); h != holders.end()) ++f.code_findings_by_holder[h->second];
    }
    return {};
  });
  if (!s) return s.error();
  return f;
}

Result<json> InspectionPlanService::subject_risk(const Actor& a, const std::string& kind, const std::string& ref,
                                                 int year) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  if (!is_subject_kind(kind))
    return Error::invalid("the subject is not valid",
                          {{"kind", "must be one of applicant, parcel, area_code, ocop_product, facility"}});
  AccessPolicy policy(admin_.graph());
  std::optional<UnitId> unit;
  bool found = db_.read([&](Connection& c) { return Repo::subject_unit(c, kind, ref, &unit); });
  // Outside the caller's scope answers like a missing subject.
  if (!found || (unit && !policy.in_scope(a, *unit)) || (!unit && policy.unit_filter(a)))
    return Error::not_found("no such subject");
  auto f = gather(a, year);
  if (!f) return f.error();
  std::vector<std::string> parcels;
  for (const auto& ap : f->applicants)
    if (ap.ref == ref) parcels = ap.parcels;
  auto r = score_subject(kind, ref, f->values(kind, ref, parcels), f->weights);
  return json{{"subject_kind", kind}, {"subject_ref", ref}, {"year", year}, {"score", r.score}, {"parts", to_json(r.parts)}};
}

Result<PlanPreview> InspectionPlanService::preview(const Actor& a, const PlanRequest& r) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_plan); !s) return s.error();
  std::vector<FieldError> errors;
  if (r.year < 1945 || r.year > 2100) errors.push_back({"year", "must be between 1945 and 2100"});
  if (!(r.share_pct > 0 && r.share_pct <= 100)) errors.push_back({"share", "must be more than 0 and at most 100"});
  if (!(r.risk_share >= 0 && r.risk_share <= 1)) errors.push_back({"risk_share", "must be between 0 and 1"});
  if (!errors.empty()) return Error::invalid("the inspection plan is not valid", errors);
  auto f = gather(a, r.year);
  if (!f) return f.error();
  PlanPreview out;
  out.request = r;
  out.population = f->applicants.size();
  std::vector<SubjectRisk> risks;
  std::map<std::string, const YearApplicant*> by_ref;
  for (const auto& ap : f->applicants) {
    risks.push_back(score_subject("applicant", ap.ref, f->values("applicant", ap.ref, ap.parcels), f->weights));
    by_ref[ap.ref] = &ap;
  }
  std::map<std::string, const SubjectRisk*> risk_of;
  for (const auto& x : risks) risk_of[x.subject_ref] = &x;
  int seq = 0;
  std::vector<std::optional<UnitId>> units;
  for (const auto& pick : pick_subjects(risks, r.share_pct, r.risk_share, r.seed)) {
    const auto& ap = *by_ref.at(pick.subject_ref);
    PlanEntry e;
    e.seq = ++seq;
    e.applicant = ap.ref;
    e.reason = pick.reason;
    e.score = pick.score;
    e.parts = risk_of.at(ap.ref)->parts;
    e.producer_id = ap.producer_id;
    e.unit = ap.unit;
    e.commune = ap.commune;
    e.parcels = ap.parcels;
    units.push_back(ap.unit);
    out.entries.push_back(std::move(e));
  }
  auto g = admin_.graph();
  auto loaded = db_.read([&](Connection& c) {
    std::vector<InspectorLoad> loads;
    for (const auto& i : Repo::inspectors(c)) {
      InspectorLoad l{i.user_id, i.login, std::nullopt, i.open};
      if (i.unit) l.scope = g->scope_of(*i.unit);
      loads.push_back(std::move(l));
    }
    std::vector<std::string> ids;
    for (const auto& e : out.entries)
      for (const auto& p : e.parcels) ids.push_back(p);
    return std::make_pair(loads, support::SupportRepository::parcel_geometries(c, ids));
  });
  std::map<std::int64_t, std::string> login;
  for (const auto& l : loaded.first) login[l.user_id] = l.login;
  auto assigned = assign_inspectors(units, loaded.first);
  for (std::size_t i = 0; i < out.entries.size(); ++i) {
    auto& e = out.entries[i];
    e.inspector_user_id = assigned[i];
    if (assigned[i]) e.inspector = login[*assigned[i]];
    for (const auto& p : e.parcels) {
      PlanPreview::Parcel pp{e.applicant, e.reason, p, e.score, std::nullopt};
      if (auto it = loaded.second.find(p); it != loaded.second.end()) pp.geometry = it->second;
      out.parcels.push_back(std::move(pp));
    }
  }
  return out;
}

namespace {

json entry_json(const PlanEntryRow& e) {
  json parts = json::array();
  try {
    parts = json::parse(e.parts);
  } catch (const std::exception&) {
    parts = json::array();  // written by this service; never from outside
  }
  return json{{"seq", e.seq},
              {"applicant", e.subject_ref},
              {"subject_kind", e.subject_kind},
              {"reason", e.reason},
              {"score", e.score},
              {"parts", parts},
              {"commune", e.commune},
              {"inspector", e.inspector},
              {"inspection", e.inspection}};
}

json plan_json(const PlanRow& p) {
  return json{{"code", p.code},
              {"year", p.year},
              {"subject_kind", p.subject_kind},
              {"share_pct", p.share_pct},
              {"risk_share", p.risk_share},
              {"seed", p.seed},
              {"population", p.population},
              {"entries", p.entries},
              {"assigned", p.assigned},
              {"illustrative", p.illustrative},
              {"created_by", p.created_by},
              {"created_at", p.created_at}};
}

}  // namespace

Result<json> InspectionPlanService::create(const Actor& a, const PlanRequest& r, bool illustrative) {
  auto p = preview(a, r);
  if (!p) return p.error();
  std::string code = db_.write([&](Connection& c) {
    PlanRow row;
    row.code = Repo::next_plan_code(c, r.year);
    row.year = r.year;
    row.subject_kind = "applicant";
    row.share_pct = r.share_pct;
    row.risk_share = r.risk_share;
    row.seed = std::to_string(r.seed);
    row.population = static_cast<std::int64_t>(p->population);
    row.illustrative = illustrative;
    row.created_by = a.name;
    row.created_at = utc_now_iso();
    auto id = Repo::insert_plan(c, row);
    for (const auto& e : p->entries) {
      PlanEntryRow er;
      er.seq = e.seq;
      er.subject_kind = "applicant";
      er.subject_ref = e.applicant;
      er.reason = e.reason;
      er.score = e.score;
      er.parts = to_json(e.parts).dump();
      er.producer_id = e.producer_id;
      er.unit = e.unit;
      er.inspector_user_id = e.inspector_user_id;
      Repo::insert_entry(c, id, row.code, er, illustrative, a.name, row.created_at);
    }
    audit::record(c, a, "create", "inspection_plan", row.code, std::nullopt, std::nullopt,
                  plan_json(row));
    return row.code;
  });
  return plan_detail(a, code);
}

Result<json> InspectionPlanService::plans(const Actor& a, std::optional<int> year) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  if (year)
    if (auto s = plausible_year(*year); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& p : Repo::plans(c, year)) items.push_back(plan_json(p));
    return json{{"items", items}};
  });
}

Result<json> InspectionPlanService::plan_detail(const Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<json> {
    auto id = Repo::plan_id(c, code);
    if (!id) return Error::not_found("no such inspection plan");
    json out;
    for (const auto& p : Repo::plans(c, std::nullopt))
      if (p.id == *id) out = plan_json(p);
    json entries = json::array();
    for (const auto& e : Repo::plan_entries(c, *id)) {
      // A unit officer sees the entries of their communes only.
      if (filter && (!e.unit || !filter->contains(*e.unit))) continue;
      entries.push_back(entry_json(e));
    }
    out["items"] = entries;
    return out;
  });
}

Result<json> InspectionPlanService::weights(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    std::map<std::pair<std::string, std::string>, WeightRow> stored;
    for (auto& r : Repo::weights(c)) stored[{r.subject_kind, r.part}] = r;
    json items = json::array();
    for (const auto& kind : subject_kinds())
      for (const auto& part : parts_of(kind)) {
        auto it = stored.find({kind, part});
        double def = default_weights().at({kind, part});
        items.push_back({{"subject_kind", kind},
                         {"part", part},
                         {"weight", it == stored.end() ? def : it->second.weight},
                         {"default", def},
                         {"updated_by", it == stored.end() ? "" : it->second.updated_by},
                         {"updated_at", it == stored.end() ? "" : it->second.updated_at}});
      }
    return json{{"items", items}};
  });
}

namespace {

Result<json> store_weights(storage::Database& db, const Actor& a, const std::vector<WeightRow>& rows,
                           const std::string& source) {
  db.write([&](Connection& c) {
    std::map<std::pair<std::string, std::string>, double> before;
    for (const auto& r : InspectionPlanRepository::weights(c)) before[{r.subject_kind, r.part}] = r.weight;
    for (const auto& r : rows) {
      auto key = std::make_pair(r.subject_kind, r.part);
      std::optional<json> was;
      if (auto it = before.find(key); it != before.end()) was = json{{"weight", it->second}};
      InspectionPlanRepository::save_weight(c, r);
      audit::record(c, a, "update", "inspection_weight", r.subject_kind + "/" + r.part, std::nullopt,
                    was, json{{"weight", r.weight}, {"source", source}});
    }
  });
  return json{{"saved", rows.size()}};
}

}  // namespace

Result<json> InspectionPlanService::save_weights(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_plan); !s) return s.error();
  const json* items = body.is_object() && body.contains("items") ? &body["items"] : nullptr;
  if (!items || !items->is_array() || items->empty())
    return Error::invalid("the risk weights are not valid", {{"items", "must be a non-empty array"}});
  std::vector<WeightRow> rows;
  std::vector<FieldError> errors;
  const auto now = utc_now_iso();
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& it = (*items)[i];
    std::string at = "items[" + std::to_string(i) + "]";
    if (!it.is_object() || !it.contains("subject_kind") || !it["subject_kind"].is_string() || !it.contains("part") ||
        !it["part"].is_string() || !it.contains("weight") || !it["weight"].is_number()) {
      errors.push_back({at, "needs subject_kind, part (text) and weight (a number)"});
      continue;
    }
    WeightRow r{it["subject_kind"].get<std::string>(), it["part"].get<std::string>(), it["weight"].get<double>(), a.name,
                now};
    if (auto s = check_weight(r.subject_kind, r.part, r.weight); !s) {
      for (const auto& fe : s.error().fields) errors.push_back({at + "." + fe.field, fe.message});
      continue;
    }
    rows.push_back(std::move(r));
  }
  if (!errors.empty()) return Error::invalid("the risk weights are not valid", errors);
  auto out = store_weights(db_, a, rows, "api");
  if (!out) return out;
  return weights(a);
}

Result<json> InspectionPlanService::import_weights(const Actor& a, const support::ImportTable& t,
                                                   const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_plan); !s) return s.error();
  auto cols = support::check_import_columns(t, {"subject_kind", "part", "weight"}, {});
  if (!cols) return cols.error();
  std::vector<WeightRow> rows;
  std::vector<FieldError> errors;
  std::set<std::pair<std::string, std::string>> seen;
  const auto now = utc_now_iso();
  for (const auto& row : t.rows) {
    WeightRow r;
    r.subject_kind = support::import_cell(row, *cols, "subject_kind");
    r.part = support::import_cell(row, *cols, "part");
    auto w = parse_number(support::import_cell(row, *cols, "weight"), false);
    if (!w) {
      errors.push_back({support::import_at(row, "weight"), "must be a number"});
      continue;
    }
    r.weight = *w;
    r.updated_by = a.name;
    r.updated_at = now;
    if (auto s = check_weight(r.subject_kind, r.part, r.weight); !s) {
      for (const auto& fe : s.error().fields) errors.push_back({support::import_at(row, fe.field), fe.message});
      continue;
    }
    if (!seen.insert({r.subject_kind, r.part}).second) {
      errors.push_back({support::import_at(row, "part"), "is given twice for this subject kind"});
      continue;
    }
    rows.push_back(std::move(r));
  }
  if (!errors.empty()) return Error::invalid("the weight file has errors; nothing was imported", errors);
  return store_weights(db_, a, rows, source);
}

Result<json> InspectionPlanService::quality_sample(const Actor& a, int year, int size, std::uint64_t seed,
                                                   bool illustrative) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_plan); !s) return s.error();
  std::vector<FieldError> errors;
  if (year < 1945 || year > 2100) errors.push_back({"year", "must be between 1945 and 2100"});
  if (size < 1 || size > 100000) errors.push_back({"size", "must be between 1 and 100000"});
  if (!errors.empty()) return Error::invalid("the quality sample is not valid", errors);
  return db_.write([&](Connection& c) -> Result<json> {
    if (Repo::has_quality_sample(c, year))
      return Error::conflict("the registry-quality sample of this year is already drawn");
    auto population = Repo::quality_population(c, year);
    if (population.empty()) return Error::invalid("no parcel is registered in this year", {{"year", "has no parcels"}});
    std::vector<SubjectRisk> all;
    for (const auto& p : population) all.push_back({"parcel", p.parcel, 0, {}});
    double share = std::min(100.0, 100.0 * size / static_cast<double>(population.size()));
    std::map<std::string, const QualityRow*> by_ref;
    for (const auto& p : population) by_ref[p.parcel] = &p;
    int seq = 0;
    for (const auto& pick : pick_subjects(all, share, 0, seed)) {
      QualityRow r = *by_ref.at(pick.subject_ref);
      r.seq = ++seq;
      Repo::insert_quality_row(c, year, r, std::to_string(seed));
    }
    audit::record(c, a, "run", "registry_quality_sample", std::to_string(year), std::nullopt,
                  std::nullopt,
                  json{{"year", year}, {"size", seq}, {"seed", std::to_string(seed)}, {"illustrative", illustrative},
                       {"population", population.size()}});
    return json{{"year", year}, {"sampled", seq}, {"population", population.size()}, {"seed", std::to_string(seed)}};
  });
}

Result<json> InspectionPlanService::import_measurements(const Actor& a, const support::ImportTable& t,
                                                        const std::string& source, bool illustrative) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_plan); !s) return s.error();
  auto cols = support::check_import_columns(t, {"parcel", "measured_on", "measured_area_m2"}, {});
  if (!cols) return cols.error();
  struct Row {
    std::string parcel, on;
    double m2;
    int year;
    std::string at;
  };
  std::vector<Row> rows;
  std::vector<FieldError> errors;
  for (const auto& row : t.rows) {
    Row r;
    r.parcel = support::import_cell(row, *cols, "parcel");
    auto on = CivilDate::parse(support::import_cell(row, *cols, "measured_on"));
    auto m2 = parse_number(support::import_cell(row, *cols, "measured_area_m2"), false);
    if (r.parcel.empty()) errors.push_back({support::import_at(row, "parcel"), "is required"});
    if (!on) errors.push_back({support::import_at(row, "measured_on"), "must be a date YYYY-MM-DD"});
    if (!m2 || !(*m2 > 0) || *m2 > 1e9)
      errors.push_back({support::import_at(row, "measured_area_m2"), "must be a positive number of square metres"});
    if (r.parcel.empty() || !on || !m2 || !(*m2 > 0) || *m2 > 1e9) continue;
    r.on = on->iso();
    r.m2 = *m2;
    r.year = on->year();
    r.at = support::import_at(row, "parcel");
    rows.push_back(std::move(r));
  }
  if (!errors.empty()) return Error::invalid("the measurement file has errors; nothing was imported", errors);
  return db_.write([&](Connection& c) -> Result<json> {
    for (const auto& r : rows)
      if (!Repo::set_measured(c, r.year, r.parcel, r.m2, r.on, illustrative))
        errors.push_back({r.at, "is not in the registry-quality sample of " + std::to_string(r.year)});
    if (!errors.empty()) {
      // All or nothing: the transaction is rolled back by the error.
      return Error::invalid("the measurement file has errors; nothing was imported", errors);
    }
    audit::record(c, a, "import", "registry_quality_sample", source, std::nullopt, std::nullopt,
                  json{{"rows", rows.size()}, {"source", source}, {"illustrative", illustrative}});
    return json{{"recorded", rows.size()}};
  });
}

Result<json> InspectionPlanService::quality(const Actor& a, int year) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    auto settings = Repo::quality_settings(c);
    auto from_inspections = Repo::inspection_measurements(c, year);
    std::vector<QualityMeasure> measures;
    json parcels = json::array();
    bool illustrative = false;
    for (const auto& r : Repo::quality_sample(c, year)) {
      QualityMeasure m{r.parcel, r.registered_m2, perimeter_m(r.geom), r.measured_m2};
      std::string on = r.measured_on, how = r.measured_m2 ? "imported" : "";
      if (!m.measured_m2)
        if (auto it = from_inspections.find(r.parcel); it != from_inspections.end()) {
          m.measured_m2 = it->second.first;
          on = it->second.second;
          how = "inspection";
        }
      double tol = tolerance_m2(m.perimeter_m, settings);
      json p = {{"seq", r.seq},
                {"parcel", r.parcel},
                {"registered_area_m2", r.registered_m2},
                {"perimeter_m", std::round(m.perimeter_m * 100) / 100},
                {"tolerance_m2", std::round(tol * 100) / 100},
                {"measured_area_m2", m.measured_m2 ? json(*m.measured_m2) : json(nullptr)},
                {"measured_on", on},
                {"measured_by", how},
                {"illustrative", r.illustrative},
                {"within", m.measured_m2 ? json(std::fabs(*m.measured_m2 - r.registered_m2) <= tol) : json(nullptr)}};
      parcels.push_back(std::move(p));
      illustrative = illustrative || r.illustrative;
      measures.push_back(std::move(m));
    }
    auto q = summarise_quality(measures, settings);
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    return json{{"year", year},
                {"illustrative", illustrative},
                {"settings", {{"buffer_m", settings.buffer_m}, {"max_tolerance_m2", settings.max_tolerance_m2}}},
                {"sampled", q.sampled},
                {"measured", q.measured},
                {"within", q.within},
                {"share_within", opt(q.share_within)},
                {"mean_bias_m2", opt(q.mean_bias_m2)},
                {"bias_pct", opt(q.bias_pct)},
                {"sd_m2", opt(q.sd_m2)},
                {"ci_low_m2", opt(q.ci_low_m2)},
                {"ci_high_m2", opt(q.ci_high_m2)},
                {"ci_low_pct", opt(q.ci_low_pct)},
                {"ci_high_pct", opt(q.ci_high_pct)},
                {"parcels", parcels}};
  });
}

}  // namespace nongsan::inspection
