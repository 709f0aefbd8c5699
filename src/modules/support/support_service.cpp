// Policies, applications, payments and settings. The checks and budgets are in
// support_checks.cpp; JSON shapes in support_json.cpp.
#include "modules/support/support_service.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/support/policy_file.hpp"
#include "modules/support/support_json.hpp"

namespace nongsan::support {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

Error no_application() { return Error::not_found("no such application"); }
Error no_policy(const std::string& code) { return Error::not_found("no such policy: " + code); }

}  // namespace

// ---- scope -------------------------------------------------------------------------------
// An application belongs to the unit of its applicant when filed; records without a
// unit belong to the province's scope. Out of scope answers as "no such record", so
// that a guessed id tells nothing.

namespace detail {

bool may_see(const AccessPolicy& policy, const Actor& a, const std::optional<UnitId>& unit,
             const std::optional<ProducerId>& producer) {
  if (a.role == identity::Role::producer) return producer && a.producer && *producer == *a.producer;
  auto filter = policy.unit_filter(a);
  if (!filter) return true;
  return unit && filter->count(*unit) > 0;
}

}  // namespace detail

// ---- policies ----------------------------------------------------------------------------

Result<json> SupportService::list_policies(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    std::map<std::string, json> by_code;
    for (const auto& r : SupportRepository::policies(c)) {
      json& p = by_code[r.policy.code];
      if (p.is_null()) p = {{"code", r.policy.code}, {"versions", json::array()}};
      p["versions"].push_back(policy_json(r));
      p["current"] = policy_json(r);  // versions come in date order: the last is the latest
    }
    json out = json::array();
    for (auto& [code, p] : by_code) out.push_back(std::move(p));
    return out;
  });
}

Result<json> SupportService::get_policy(const Actor& a, const std::string& code) {
  auto all = list_policies(a);
  if (!all) return all.error();
  for (const auto& p : *all)
    if (p["code"] == code) return p;
  return no_policy(code);
}

namespace {

// What saving `p` would do to the stored versions: "unchanged" (this version is stored
// as it is), "new" (no version of this date yet), or the conflict that refuses it.
Result<std::string> compare_stored(Connection& c, const PolicyVersion& p) {
  if (auto existing = SupportRepository::find_policy(c, p.code, p.version)) {
    if (to_json(existing->policy) == to_json(p)) return std::string("unchanged");
    return Error::conflict("policy " + p.code + " already has a version dated " + p.version.iso() +
                           " with other content; versions are history: amend it with a later version");
  }
  return std::string("new");
}

// Saves one version inside a write; "created", "unchanged", or an error.
Result<std::string> save_version(Connection& c, const Actor& a, const PolicyVersion& p, const std::string& source) {
  auto stored = compare_stored(c, p);
  if (!stored) return stored.error();
  if (*stored == "unchanged") return std::string("unchanged");
  for (const auto& code : p.exclusive_with)
    if (code == p.code) return Error::invalid("a policy cannot exclude itself", {{"exclusive_with", "names the policy itself"}});
  auto id = SupportRepository::insert_policy(c, p, a.name);
  json after = to_json(p);
  if (!source.empty()) after["imported_from"] = source;
  audit::record(c, a, "create", "support_policy", p.code + "@" + p.version.iso(), std::nullopt, std::nullopt, after);
  (void)id;
  return std::string("created");
}

}  // namespace

Result<json> SupportService::save_policy(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  auto p = parse_policy(body);
  if (!p) return p.error();
  return db_.write([&](Connection& c) -> Result<json> {
    auto r = save_version(c, a, *p, "");
    if (!r) return r.error();
    auto stored = SupportRepository::find_policy(c, p->code, p->version);
    json out = policy_json(*stored);
    out["result"] = *r;
    return out;
  });
}

Result<json> SupportService::check_policy(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  auto p = parse_policy(body);
  if (!p) return p.error();
  return db_.read([&](Connection& c) -> Result<json> {
    auto stored = compare_stored(c, *p);
    if (!stored) return stored.error();
    std::string result = *stored;
    if (result == "new") {
      result = "new_policy";
      for (const auto& r : SupportRepository::policies(c))
        if (r.policy.code == p->code) {
          if (r.policy.version < p->version) result = "amendment";
          else if (result == "new_policy") result = "earlier_version";
        }
    }
    return json{{"result", result}, {"policy", to_json(*p)}};
  });
}

Result<json> SupportService::import_policies(const Actor& a, const json& doc, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  auto all = parse_policies(doc);
  if (!all) return all.error();
  return db_.write([&](Connection& c) -> Result<json> {
    int created = 0, unchanged = 0;
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < all->size(); ++i) {
      auto r = save_version(c, a, (*all)[i], source);
      if (!r) errors.push_back({"[" + std::to_string(i) + "]", r.error().message});
      else if (*r == "created") ++created;
      else ++unchanged;
    }
    if (!errors.empty()) return Error::invalid("the policies were not imported; nothing was changed", errors);
    audit::record(c, a, "import", "support_policy", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", created}, {"unchanged", unchanged}});
    return json{{"created", created}, {"unchanged", unchanged}};
  });
}

// ---- applications ------------------------------------------------------------------------

Result<ApplicationPage> SupportService::list_applications(const Actor& a, const ApplicationQuery& q) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](Connection& c) -> Result<ApplicationPage> {
    ApplicationFilter f;
    f.year = q.year;
    f.status = q.status;
    f.policy = q.policy;
    f.q = q.q;
    f.units = policy.unit_filter(a);
    f.include_unassigned = !f.units;
    f.page = q.page;
    f.page_size = q.page_size;
    ApplicationPage page;
    std::vector<ApplicationRecord> rows;
    if (a.role == identity::Role::producer) {
      // A cooperative or enterprise account sees its own applications only.
      f.units.reset();
      f.page_size = 0;
      for (auto& r : SupportRepository::applications(c, f))
        if (a.producer && r.applicant_id == *a.producer) rows.push_back(std::move(r));
      page.total = static_cast<std::int64_t>(rows.size());
    } else if (!q.finding.empty()) {
      // Only applications with this finding in the year's latest run.
      std::set<std::string> codes;
      if (q.year)
        if (auto run = SupportRepository::latest_check_run(c, *q.year))
          for (const auto& fnd : SupportRepository::run_findings(c, run->id))
            if (fnd.finding == q.finding) codes.insert(fnd.application);
      f.page_size = 0;
      for (auto& r : SupportRepository::applications(c, f))
        if (codes.count(r.code)) rows.push_back(std::move(r));
      page.total = static_cast<std::int64_t>(rows.size());
      std::size_t from = static_cast<std::size_t>((q.page - 1) * q.page_size);
      rows = std::vector<ApplicationRecord>(rows.begin() + static_cast<std::ptrdiff_t>(std::min(from, rows.size())),
                                            rows.begin() + static_cast<std::ptrdiff_t>(
                                                               std::min(from + q.page_size, rows.size())));
    } else {
      rows = SupportRepository::applications(c, f, &page.total);
    }
    std::map<int, std::optional<SupportRepository::CheckRun>> runs;
    for (const auto& r : rows) {
      json j = application_json(*g, r);
      int year = r.filed.year();
      if (!runs.count(year)) runs[year] = SupportRepository::latest_check_run(c, year);
      if (const auto& run = runs[year]) {
        auto found = SupportRepository::application_findings(c, run->id, r.code);
        json kinds = json::array();
        for (const auto& fnd : found)
          if (std::find(kinds.begin(), kinds.end(), fnd.finding) == kinds.end()) kinds.push_back(fnd.finding);
        j["findings"] = kinds;
        if (auto amount = SupportRepository::application_amount(c, run->id, r.code)) j["evaluated_amount"] = amount->first;
      }
      page.items.push_back(std::move(j));
    }
    return page;
  });
}

Result<json> SupportService::get_application(const Actor& a, ApplicationId id) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](Connection& c) -> Result<json> {
    auto r = SupportRepository::find_application(c, id);
    if (!r || !detail::may_see(policy, a, r->unit, r->applicant_id)) return no_application();
    json j = application_json(*g, *r);
    j["steps"] = json::array();
    for (const auto& s : SupportRepository::steps(c, id)) j["steps"].push_back(step_json(s));
    j["payments"] = json::array();
    Dong net = 0;
    for (const auto& p : SupportRepository::payments(c, id)) {
      j["payments"].push_back(payment_json(p));
      net += p.kind == PaymentKind::payment ? p.amount : -p.amount;
    }
    j["paid_net"] = net;
    j["next_steps"] = json::array();
    for (auto s : next_steps(r->status)) j["next_steps"].push_back(std::string(to_string(s)));
    if (auto run = SupportRepository::latest_check_run(c, r->filed.year())) {
      j["check_run"] = {{"id", run->id}, {"run_at", run->run_at}, {"run_by", run->run_by}};
      j["findings"] = json::array();
      for (const auto& f : SupportRepository::application_findings(c, run->id, r->code)) j["findings"].push_back(to_json(f));
      if (auto amount = SupportRepository::application_amount(c, run->id, r->code)) {
        j["evaluated_amount"] = amount->first;
        j["trace"] = json::parse(amount->second, nullptr, false);
      }
    }
    return j;
  });
}

Result<json> SupportService::create_application(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_enter); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.write([&](Connection& c) -> Result<json> {
    std::vector<FieldError> errors;
    ApplicationRecord r;
    r.code = body.value("code", "");
    r.policy = body.value("policy", "");
    r.note = body.value("note", "");
    r.source = "ui";
    if (trim(r.code).empty()) errors.push_back({"code", "is required"});
    else if (SupportRepository::find_application(c, r.code)) errors.push_back({"code", "is already used by another application"});
    auto filed = CivilDate::parse(body.value("filed", ""));
    if (!filed || filed->year() < 1945 || filed->year() > 2100) errors.push_back({"filed", "must be a date between 1945 and 2100"});
    else r.filed = *filed;
    std::vector<PolicyVersion> versions;
    for (auto& p : SupportRepository::policies(c)) versions.push_back(p.policy);
    std::optional<PolicyVersion> version;
    if (filed) version = version_in_force(versions, r.policy, *filed);
    if (!version) errors.push_back({"policy", "no version of this policy is in force on the filing date"});
    // The applicant and every parcel pass the same scope check as reading them.
    std::optional<ProducerRef> applicant;
    if (body.contains("applicant_id") && body["applicant_id"].is_number_integer())
      applicant = SupportRepository::producer(c, ProducerId(body["applicant_id"].get<std::int64_t>()));
    if (!applicant || !detail::may_see(policy, a, applicant->unit, applicant->id))
      errors.push_back({"applicant_id", "no such producer"});
    else {
      r.applicant_id = applicant->id;
      r.applicant = applicant->external_id;
      r.unit = applicant->unit;
    }
    const json items = body.value("items", json::array());
    if (!items.is_array() || items.empty()) errors.push_back({"items", "must list at least one item"});
    std::int64_t seq = 0;
    for (const auto& it : items) {
      const std::string f = "items[" + std::to_string(seq) + "]";
      ItemRecord item;
      item.seq = ++seq;
      if (!it.is_object() || !it.contains("quantity") || !it["quantity"].is_number() || it["quantity"].get<double>() <= 0 ||
          it["quantity"].get<double>() > 1e6) {
        errors.push_back({f + ".quantity", "must be a positive number"});
        continue;
      }
      item.quantity = it["quantity"].get<double>();
      const bool area = version && is_area(version->item);
      if (it.contains("parcel_id") && !it["parcel_id"].is_null()) {
        auto p = it["parcel_id"].is_number_integer() ? SupportRepository::parcel(c, it["parcel_id"].get<std::int64_t>())
                                                     : std::nullopt;
        if (!p || !detail::may_see(policy, a, p->unit, std::nullopt)) {
          errors.push_back({f + ".parcel_id", "no such parcel"});
          continue;
        }
        item.parcel_id = p->id;
        item.parcel = p->external_id;
      } else if (area) {
        errors.push_back({f + ".parcel_id", "an area policy needs the parcel"});
        continue;
      }
      if (!area && item.parcel_id) {
        errors.push_back({f + ".parcel_id", "a counted item names no parcel"});
        continue;
      }
      r.items.push_back(std::move(item));
    }
    if (!errors.empty()) return Error::invalid("the application is not valid", errors);
    r.status = ApplicationStatus::submitted;
    r.id = SupportRepository::insert_application(c, r);
    SupportRepository::insert_step(c, r.id, {"", "submitted", r.filed, "", a.name, ""});
    audit::record(c, a, "create", "support_application", r.code, r.unit, std::nullopt, application_json(*g, r));
    auto stored = SupportRepository::find_application(c, r.id);
    return application_json(*g, *stored);
  });
}

Result<json> SupportService::take_step(const Actor& a, ApplicationId id, const StepRequest& req) {
  const StepRule& rule = rule_of(req.step);
  // Rejection needs the permission of the step it stops; the others their own.
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.write([&](Connection& c) -> Result<json> {
    auto r = SupportRepository::find_application(c, id);
    if (!r || !detail::may_see(policy, a, r->unit, r->applicant_id)) return no_application();
    Permission needed = rule.permission;
    if (req.step == Step::reject) {
      auto next = next_steps(r->status);
      if (!next.empty() && next.front() != Step::reject) needed = rule_of(next.front()).permission;
    }
    if (auto s = AccessPolicy::require(a, needed); !s) return s.error();
    History history;
    for (const auto& s : SupportRepository::steps(c, id)) {
      if (s.from_status.empty()) history.entered_by = s.actor;
      else if (auto st = parse_application_status(s.to_status))
        for (const auto& candidate : {Step::verify, Step::appraise, Step::accept, Step::approve, Step::pay})
          if (rule_of(candidate).to == *st) history.steps.push_back({candidate, s.actor});
    }
    if (auto s = check_step(req.step, r->status, a.name, history, SupportRepository::four_eyes(c), !trim(req.reason).empty(),
                            req.amount.has_value());
        !s)
      return s.error();
    if (req.amount && (*req.amount < 0 || *req.amount > 1'000'000'000'000LL))
      return Error::invalid("the amount is out of range", {{"amount", "must be between 0 and 10^12 đồng"}});
    const CivilDate date = req.date.value_or(CivilDate::today());
    if (date < r->filed) return Error::invalid("a step cannot be dated before the filing", {{"date", "is before the filing date"}});
    json before = application_json(*g, *r);
    const auto from = r->status;
    r->status = rule.to;
    if (req.step == Step::accept) r->accepted = date;
    if (req.step == Step::approve) r->approved_amount = req.amount;
    if (req.step == Step::pay || req.step == Step::recover) {
      PaymentRecord p;
      p.application_id = id;
      p.date = date;
      p.kind = req.step == Step::pay ? PaymentKind::payment : PaymentKind::recovery;
      Dong net = 0;
      for (const auto& x : SupportRepository::payments(c, id)) net += x.kind == PaymentKind::payment ? x.amount : -x.amount;
      p.amount = req.amount.value_or(req.step == Step::pay ? std::max<Dong>(0, r->approved_amount.value_or(0) - net) : 0);
      p.funding_source = req.funding_source;
      p.reference = req.reference;
      p.source = "ui";
      if (p.amount > 0) SupportRepository::insert_payment(c, p);
    }
    SupportRepository::update_application(c, *r);
    SupportRepository::insert_step(c, id, {std::string(to_string(from)), std::string(to_string(r->status)), date, req.reason,
                                           a.name, ""});
    json after = application_json(*g, *r);
    after["step"] = std::string(to_string(req.step));
    if (!req.reason.empty()) after["reason"] = req.reason;
    audit::record(c, a, std::string(to_string(req.step)), "support_application", r->code, r->unit, before, after);
    return application_json(*g, *r);
  });
}

Result<json> SupportService::add_payment(const Actor& a, ApplicationId id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_pay); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.write([&](Connection& c) -> Result<json> {
    auto r = SupportRepository::find_application(c, id);
    if (!r || !detail::may_see(policy, a, r->unit, r->applicant_id)) return no_application();
    std::vector<FieldError> errors;
    PaymentRecord p;
    p.application_id = id;
    p.application = r->code;
    auto date = CivilDate::parse(body.value("date", ""));
    if (!date || date->year() < 1945 || date->year() > 2100) errors.push_back({"date", "must be a date between 1945 and 2100"});
    else p.date = *date;
    if (!body.contains("amount") || !body["amount"].is_number_integer() || body["amount"].get<std::int64_t>() <= 0)
      errors.push_back({"amount", "must be a positive whole number of đồng"});
    else p.amount = body["amount"].get<std::int64_t>();
    auto kind = parse_payment_kind(body.value("kind", "payment"));
    if (!kind) errors.push_back({"kind", "must be payment or recovery"});
    else p.kind = *kind;
    p.funding_source = body.value("funding_source", "");
    if (!p.funding_source.empty() && !parse_funding_source(p.funding_source))
      errors.push_back({"funding_source", "must be one of: national_target_programme, central_budget, provincial_budget, "
                                          "credit, other"});
    p.reference = body.value("reference", "");
    p.source = "ui";
    if (!errors.empty()) return Error::invalid("the payment is not valid", errors);
    p.id = SupportRepository::insert_payment(c, p);
    audit::record(c, a, "create", "support_payment", r->code, r->unit, std::nullopt, payment_json(p));
    return payment_json(p);
  });
}

Result<json> SupportService::queues(const Actor& a, std::optional<int> year) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  json out = json::object();
  for (auto st : {ApplicationStatus::submitted, ApplicationStatus::verified, ApplicationStatus::appraised,
                  ApplicationStatus::accepted, ApplicationStatus::approved, ApplicationStatus::paid,
                  ApplicationStatus::rejected, ApplicationStatus::recovered}) {
    ApplicationQuery q;
    q.year = year;
    q.status = st;
    q.page_size = 1;
    auto page = list_applications(a, q);
    if (!page) return page.error();
    out[std::string(to_string(st))] = page->total;
  }
  return out;
}

// ---- settings ----------------------------------------------------------------------------

Result<json> SupportService::settings(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::support_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    return settings_json(SupportRepository::check_settings(c), SupportRepository::four_eyes(c));
  });
}

Result<json> SupportService::save_settings(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::support_manage); !s) return s.error();
  return db_.write([&](Connection& c) -> Result<json> {
    CheckSettings s = SupportRepository::check_settings(c);
    json before = settings_json(s, SupportRepository::four_eyes(c));
    std::vector<FieldError> errors;
    auto number = [&](const char* key, double& into, double lo, double hi) {
      if (!body.contains(key)) return;
      if (!body[key].is_number() || body[key].get<double>() < lo || body[key].get<double>() > hi)
        errors.push_back({key, "must be a number between " + format_number_vi(lo, 0) + " and " + format_number_vi(hi, 0)});
      else into = body[key].get<double>();
    };
    number("tolerance_pct", s.tolerance_pct, 0, 100);
    number("tolerance_ha", s.tolerance_ha, 0, 1000);
    number("penalty_factor", s.penalty_factor, 0, 10);
    number("min_overlap_m2", s.min_overlap_m2, 0, 100000);
    if (!errors.empty()) return Error::invalid("the settings are not valid", errors);
    SupportRepository::save_check_settings(c, s);
    if (body.contains("four_eyes") && body["four_eyes"].is_boolean())
      SupportRepository::save_four_eyes(c, body["four_eyes"].get<bool>());
    json after = settings_json(s, SupportRepository::four_eyes(c));
    audit::record(c, a, "update", "support_settings", "support", std::nullopt, before, after);
    return after;
  });
}

}  // namespace nongsan::support
