// The cross-checks of a year (stored as a run), the preview of an amendment, the
// findings for the queue and the map, and budgets.
#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/support/claim_facts.hpp"
#include "modules/support/policy_file.hpp"
#include "modules/support/support_json.hpp"
#include "modules/support/support_service.hpp"

namespace nongsan::support {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace detail {
bool may_see(const AccessPolicy& policy, const Actor& a, const std::optional<UnitId>& unit,
             const std::optional<ProducerId>& producer);
}

namespace {
Status plausible_year(int year) {
  if (year < 1945 || year > 2100) return Error::invalid("the year is out of range", {{"year", "must be between 1945 and 2100"}});
  return {};
}

// The map of findings: each item that names a parcel gets the parcel's current
// boundary (GeoJSON, WGS 84), when the caller may see the parcel — the scope check
// of reading it, as at entry; a cooperative sees the parcels its own applications name.
void add_parcel_geometries(Connection& c, const AccessPolicy& policy, const Actor& a, json& items) {
  std::unordered_set<std::int64_t> ids;
  for (const auto& j : items)
    if (j.contains("parcel_id")) ids.insert(j["parcel_id"].get<std::int64_t>());
  if (ids.empty()) return;
  registry::ParcelQuery q;
  q.ids = ids;
  q.with_geometry = true;
  q.page_size = 0;
  std::unordered_map<std::int64_t, json> shapes;
  for (const auto& p : registry::RegistryRepository::list_parcels(c, q, nullptr)) {
    if (!p.geom) continue;
    if (a.role != identity::Role::producer && !detail::may_see(policy, a, p.unit, std::nullopt)) continue;
    if (auto gj = geo::to_geojson(*p.geom, 6)) shapes[p.id.value] = json::parse(*gj);
  }
  for (auto& j : items)
    if (j.contains("parcel_id"))
      if (auto it = shapes.find(j["parcel_id"].get<std::int64_t>()); it != shapes.end()) j["geometry"] = it->second;
}

}  // namespace

Result<ClaimResult> SupportService::evaluate_year(Connection& c, int year, const CheckSettings& s,
                                                  const std::vector<PolicyVersion>* extra,
                                                  std::function<void(std::string_view, std::size_t, std::size_t)> progress,
                                                  bool side_by_side, double* load_seconds,
                                                  std::future<void>* released) {
  const auto started = std::chrono::steady_clock::now();
  ClaimLoadOptions o;
  // Side by side only outside a write: the other connections see committed rows only.
  if (side_by_side) o.database = &db_;
  o.year = year;
  o.settings = s;
  if (extra) o.extra_policies = *extra;
  o.progress = std::move(progress);
  auto input = load_claim_input(c, o);
  if (!input) return input.error();
  if (load_seconds)
    *load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto result = run_claim_checks(*input);
  // A province's year is 220,000 cases with their strings: freeing them takes a quarter
  // of a second, done on a thread of its own while the caller stores the run.
  if (released)
    *released = std::async(std::launch::async, [gone = std::move(*input)]() mutable { ClaimInput freed = std::move(gone); });
  return result;
}

Result<CheckRunResult> SupportService::run_checks(const Actor& a, int year, std::optional<double> min_overlap_m2,
                                                  std::function<void(std::string_view, std::size_t, std::size_t)> progress) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  if (min_overlap_m2 && (*min_overlap_m2 < 0 || *min_overlap_m2 > 1e6))
    return Error::invalid("the overlap threshold is out of range", {{"min_overlap_m2", "must be between 0 and 1000000"}});
  CheckSettings settings;
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const auto started = Clock::now();
  double load_seconds = 0;
  std::future<void> released;  // joined when this function returns, after the run is stored
  auto result = db_.read([&](Connection& c) -> Result<ClaimResult> {
    settings = SupportRepository::check_settings(c);
    if (min_overlap_m2) settings.min_overlap_m2 = *min_overlap_m2;
    return evaluate_year(c, year, settings, nullptr, progress, /*side_by_side=*/true, &load_seconds, &released);
  });
  if (!result) return result.error();
  const double checked_seconds = since(started);
  const auto storing = Clock::now();
  // Stored in one write: the run, its findings and its amounts with their traces.
  return db_.write([&](Connection& c) -> Result<CheckRunResult> {
    SupportRepository::CheckRun run;
    run.year = year;
    run.settings = settings_json(settings, SupportRepository::four_eyes(c)).dump();
    run.applications = static_cast<std::int64_t>(result->amounts.size());
    run.findings = static_cast<std::int64_t>(result->findings.size());
    for (const auto& t : result->amounts) run.total_amount += t.amount;
    run.run_by = a.name;
    CheckRunResult out;
    out.run_id = SupportRepository::insert_check_run(c, run);
    SupportRepository::insert_findings(c, out.run_id, result->findings);
    // The traces are written as JSON in two halves side by side (200,000 of them in a
    // province's year).
    std::vector<std::tuple<std::string, Dong, std::string>> rows(result->amounts.size());
    auto trace_range = [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        const auto& t = result->amounts[i];
        rows[i] = {t.application, t.amount, trace_text(t)};
      }
    };
    const std::size_t half = rows.size() / 2;
    auto first_half = std::async(std::launch::async, trace_range, std::size_t{0}, half);
    trace_range(half, rows.size());
    first_half.get();
    SupportRepository::insert_amounts(c, out.run_id, std::move(rows));
    audit::record(c, a, "check", "support_check_run", std::to_string(out.run_id), std::nullopt, std::nullopt,
                  json{{"year", year},
                       {"applications", run.applications},
                       {"findings", run.findings},
                       {"total_amount", run.total_amount},
                       {"settings", json::parse(run.settings)}});
    out.result = std::move(*result);
    out.load_seconds = load_seconds;
    out.rules_seconds = checked_seconds - load_seconds;
    out.store_seconds = since(storing);
    return out;
  });
}

SupportService::SupportService(storage::Database& db, admin::AdminService& admin, jobs::JobService* jobs)
    : db_(db), admin_(admin), jobs_(jobs) {
  if (jobs_) jobs_->register_kind(kCheckJobKind, Permission::support_read);
}

json run_summary(const CheckRunResult& r) {
  std::map<std::string, int> counts;
  for (const auto& f : r.result.findings) ++counts[f.finding];
  Dong total = 0;
  for (const auto& t : r.result.amounts) total += t.amount;
  return json{{"run_id", r.run_id},
              {"applications", r.result.amounts.size()},
              {"findings", r.result.findings.size()},
              {"counts", counts},
              {"total_amount", total}};
}

Result<jobs::Job> SupportService::start_checks(const Actor& a, int year, std::optional<double> min_overlap_m2) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  if (min_overlap_m2 && (*min_overlap_m2 < 0 || *min_overlap_m2 > 1e6))
    return Error::invalid("the overlap threshold is out of range", {{"min_overlap_m2", "must be between 0 and 1000000"}});
  if (!jobs_) return Error::internal("no job service was given to the support service");
  json params = {{"year", year}};
  if (min_overlap_m2) params["min_overlap_m2"] = *min_overlap_m2;
  Actor actor = a;
  return jobs_->submit(a, kCheckJobKind, params, [this, actor, year, min_overlap_m2](jobs::JobContext& job) -> Result<json> {
    job.progress("reading", 0, 0);
    // The same use case as POST /support/checks and `nongsan check claims`.
    auto r = run_checks(actor, year, min_overlap_m2, [&job](std::string_view stage, std::size_t done, std::size_t total) {
      job.progress(stage, static_cast<std::int64_t>(done), static_cast<std::int64_t>(total));
    });
    if (!r) return r.error();
    json out = run_summary(*r);
    out["year"] = year;
    return out;
  });
}

Result<json> SupportService::findings(const Actor& a, int year, const std::string& finding, bool with_geometry) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](Connection& c) -> Result<json> {
    auto run = SupportRepository::latest_check_run(c, year);
    json out = {{"year", year}, {"run", nullptr}, {"items", json::array()}, {"counts", json::object()}, {"running", nullptr}};
    // The check under way, so that a page opened while it runs follows it — for those
    // who may read that job (jobs::JobService::get: its starter, province-wide roles).
    if (jobs_)
      if (auto job = jobs_->active(kCheckJobKind))
        if (auto readable = jobs_->get(a, job->id)) out["running"] = jobs::to_json(*readable);
    if (!run) return out;
    out["run"] = {{"id", run->id},
                  {"run_at", run->run_at},
                  {"run_by", run->run_by},
                  {"applications", run->applications},
                  {"findings", run->findings},
                  {"total_amount", run->total_amount},
                  {"settings", json::parse(run->settings, nullptr, false)}};
    // Scope: a finding is shown when its application is in the caller's scope.
    ApplicationFilter f;
    f.year = year;
    f.units = policy.unit_filter(a);
    f.include_unassigned = !f.units;
    std::map<std::string, ApplicationRecord> visible;
    for (auto& r : SupportRepository::applications(c, f))
      if (detail::may_see(policy, a, r.unit, r.applicant_id)) visible.emplace(r.code, std::move(r));
    for (const auto& fnd : SupportRepository::run_findings(c, run->id)) {
      auto it = visible.find(fnd.application);
      if (it == visible.end()) continue;
      out["counts"][fnd.finding] = out["counts"].value(fnd.finding, 0) + 1;
      if (!finding.empty() && fnd.finding != finding) continue;
      json j = to_json(fnd);
      j["application_id"] = it->second.id.value;
      j["applicant"] = it->second.applicant_name;
      if (!fnd.parcel.empty())
        for (const auto& item : it->second.items)
          if (item.parcel == fnd.parcel && item.parcel_id) j["parcel_id"] = *item.parcel_id;
      out["items"].push_back(std::move(j));
    }
    if (with_geometry) add_parcel_geometries(c, policy, a, out["items"]);
    return out;
  });
}


Result<json> SupportService::preview_policy(const Actor& a, const json& candidate, int year) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  auto p = parse_policy(candidate);
  if (!p) return p.error();
  return db_.read([&](Connection& c) -> Result<json> {
    const CheckSettings s = SupportRepository::check_settings(c);
    auto before = evaluate_year(c, year, s, nullptr, {}, /*side_by_side=*/true);
    if (!before) return before.error();
    std::vector<PolicyVersion> extra{*p};
    auto after = evaluate_year(c, year, s, &extra, {}, /*side_by_side=*/true);
    if (!after) return after.error();
    std::map<std::string, Dong> was;
    for (const auto& t : before->amounts) was[t.application] = t.amount;
    json changes = json::array();
    Dong total_before = 0, total_after = 0;
    int applications = 0;
    for (const auto& t : after->amounts) {
      total_after += t.amount;
      total_before += was[t.application];
      // Only the applications under the amended policy code are the preview's subject.
      if (t.policy != p->code) continue;
      ++applications;
      if (t.amount != was[t.application])
        changes.push_back({{"application", t.application}, {"before", was[t.application]}, {"after", t.amount},
                           {"difference", t.amount - was[t.application]}});
    }
    return json{{"policy", to_json(*p)},
                {"year", year},
                {"total_before", total_before},
                {"total_after", total_after},
                {"difference", total_after - total_before},
                {"changed", changes.size()},
                {"changes", changes}};
  });
}

// ---- risk and the sample for on-the-spot checks ------------------------------------------

Result<std::vector<ApplicationRisk>> SupportService::year_risks(Connection& c, int year, ClaimResult* checked) {
  auto result = evaluate_year(c, year, SupportRepository::check_settings(c), nullptr, {});
  if (!result) return result.error();
  std::map<std::string, std::string> applicant_of;
  ApplicationFilter f;
  f.year = year;
  for (const auto& r : SupportRepository::applications(c, f)) applicant_of[r.code] = r.applicant;
  std::map<std::string, ApplicantHistory, std::less<>> history;
  for (const auto& [who, h] : SupportRepository::applicant_history(c, year)) history[who] = {h.first, h.second};
  auto risks = score_applications(*result, applicant_of, history, RiskWeights{});
  if (checked) *checked = std::move(*result);
  return risks;
}

Result<json> SupportService::risk(const Actor& a, int year) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](Connection& c) -> Result<json> {
    auto risks = year_risks(c, year, nullptr);
    if (!risks) return risks.error();
    ApplicationFilter f;
    f.year = year;
    f.units = policy.unit_filter(a);
    f.include_unassigned = !f.units;
    std::map<std::string, std::int64_t> visible;
    for (const auto& r : SupportRepository::applications(c, f))
      if (detail::may_see(policy, a, r.unit, r.applicant_id)) visible[r.code] = r.id.value;
    std::sort(risks->begin(), risks->end(), [](const ApplicationRisk& x, const ApplicationRisk& y) {
      return x.score != y.score ? x.score > y.score : x.application < y.application;
    });
    json items = json::array();
    for (const auto& r : *risks) {
      auto it = visible.find(r.application);
      if (it == visible.end()) continue;
      json parts = json::array();
      for (const auto& p : r.parts) parts.push_back({{"part", p.part}, {"value", p.value}, {"points", p.points}});
      items.push_back({{"application", r.application},
                       {"application_id", it->second},
                       {"applicant", r.applicant},
                       {"score", r.score},
                       {"parts", parts}});
    }
    return json{{"year", year}, {"items", items}};
  });
}

Result<SupportService::Sample> SupportService::sample(const Actor& a, int year, double share_pct, double risk_share,
                                                      std::uint64_t seed) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  std::vector<FieldError> errors;
  if (!(share_pct >= 0 && share_pct <= 100)) errors.push_back({"share", "must be between 0 and 100"});
  if (!(risk_share >= 0 && risk_share <= 1)) errors.push_back({"risk_share", "must be between 0 and 1"});
  if (!errors.empty()) return Error::invalid("the sampling plan is not valid", errors);
  return db_.read([&](Connection& c) -> Result<Sample> {
    ClaimResult checked;
    auto risks = year_risks(c, year, &checked);
    if (!risks) return risks.error();
    Sample out;
    std::set<std::string> applicants;
    for (const auto& r : *risks) applicants.insert(r.applicant);
    out.applicants = applicants.size();
    out.entries = sample_applicants(*risks, share_pct, risk_share, seed);
    // The parcels to visit: every item of the sampled applicants' applications of the year.
    std::map<std::string, const SampleEntry*> chosen;
    for (const auto& e : out.entries) chosen[e.applicant] = &e;
    ApplicationFilter f;
    f.year = year;
    std::vector<std::string> ids;
    for (const auto& r : SupportRepository::applications(c, f)) {
      auto it = chosen.find(r.applicant);
      if (it == chosen.end() || r.status == ApplicationStatus::rejected) continue;
      for (const auto& item : r.items) {
        if (item.parcel.empty()) continue;
        out.parcels.push_back({r.applicant, it->second->reason, r.code, item.parcel, it->second->score, std::nullopt});
        ids.push_back(item.parcel);
      }
    }
    auto geoms = SupportRepository::parcel_geometries(c, ids);
    for (auto& p : out.parcels)
      if (auto g = geoms.find(p.parcel); g != geoms.end()) p.geometry = g->second;
    return out;
  });
}

// ---- budgets -----------------------------------------------------------------------------

Result<json> SupportService::budget(const Actor& a, int year) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](Connection& c) -> Result<json> {
    struct Line {
      Dong planned = 0, committed = 0, paid = 0;
      std::map<std::string, std::pair<Dong, Dong>> sources;  // source → (planned, paid)
    };
    std::map<std::string, Line> lines;
    for (const auto& b : SupportRepository::budgets(c, year)) {
      auto& l = lines[b.policy];
      l.planned += b.planned;
      l.sources[std::string(to_string(b.source))].first += b.planned;
    }
    // Committed: approved amounts of the year's applications that are approved or paid.
    // Paid: payments minus recoveries dated in the year. Both within the caller's scope.
    ApplicationFilter f;
    f.units = policy.unit_filter(a);
    f.include_unassigned = !f.units;
    for (const auto& r : SupportRepository::applications(c, f)) {
      if (!detail::may_see(policy, a, r.unit, r.applicant_id)) continue;
      if (r.filed.year() == year && r.approved_amount &&
          (r.status == ApplicationStatus::approved || r.status == ApplicationStatus::paid))
        lines[r.policy].committed += *r.approved_amount;
      for (const auto& p : SupportRepository::payments(c, r.id)) {
        if (p.date.year() != year) continue;
        Dong amount = p.kind == PaymentKind::payment ? p.amount : -p.amount;
        lines[r.policy].paid += amount;
        lines[r.policy].sources[p.funding_source.empty() ? "unspecified" : p.funding_source].second += amount;
      }
    }
    json out = {{"year", year}, {"lines", json::array()}};
    Dong planned = 0, committed = 0, paid = 0;
    for (const auto& [code, l] : lines) {
      json sources = json::array();
      for (const auto& [src, v] : l.sources) sources.push_back({{"source", src}, {"planned", v.first}, {"paid", v.second}});
      out["lines"].push_back({{"policy", code},
                              {"planned", l.planned},
                              {"committed", l.committed},
                              {"paid", l.paid},
                              {"remaining", l.planned - l.committed},
                              {"sources", sources}});
      planned += l.planned;
      committed += l.committed;
      paid += l.paid;
    }
    out["total"] = {{"planned", planned}, {"committed", committed}, {"paid", paid}, {"remaining", planned - committed}};
    return out;
  });
}

Result<json> SupportService::set_budget(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  std::vector<FieldError> errors;
  BudgetLine b;
  b.policy = body.value("policy", "");
  if (trim(b.policy).empty()) errors.push_back({"policy", "is required"});
  if (!body.contains("year") || !body["year"].is_number_integer() || body["year"].get<int>() < 1945 ||
      body["year"].get<int>() > 2100)
    errors.push_back({"year", "must be a year between 1945 and 2100"});
  else b.year = body["year"].get<int>();
  auto src = parse_funding_source(body.value("funding_source", ""));
  if (!src) errors.push_back({"funding_source", "must be one of: national_target_programme, central_budget, "
                                                "provincial_budget, credit, other"});
  else b.source = *src;
  if (!body.contains("planned") || !body["planned"].is_number_integer() || body["planned"].get<std::int64_t>() < 0)
    errors.push_back({"planned", "must be a whole number of đồng, 0 or more"});
  else b.planned = body["planned"].get<std::int64_t>();
  b.note = body.value("note", "");
  if (!errors.empty()) return Error::invalid("the budget line is not valid", errors);
  return db_.write([&](Connection& c) -> Result<json> {
    SupportRepository::upsert_budget(c, b);
    json after = {{"policy", b.policy}, {"year", b.year}, {"funding_source", std::string(to_string(b.source))},
                  {"planned", b.planned}, {"note", b.note}};
    audit::record(c, a, "update", "support_budget", b.policy + "/" + std::to_string(b.year), std::nullopt, std::nullopt,
                  after);
    return after;
  });
}

}  // namespace nongsan::support
