// Decisions on findings: the pure rules, then InspectionService::decide, which takes the
// decision through the service of the module it acts on (never SQL on its tables) and
// records it with its links to the inspection.
#include "modules/inspection/decision.hpp"

#include <array>

#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/areacodes/areacode_repository.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/inspection/inspection_service.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/registry/registry_service.hpp"
#include "modules/support/support_repository.hpp"
#include "modules/support/support_service.hpp"

namespace nongsan::inspection {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using identity::Role;
using nlohmann::json;
using storage::Connection;

namespace {
// Who takes each decision (docs/inspection.md "Decisions" gives the sources).
const std::array<ActionRule, 7> kRules = {{
    {Action::reduce_amount, "application", Permission::support_approve, "the province's approving officers"},
    {Action::recover, "application", Permission::support_pay, "the province's finance officers"},
    {Action::suspend_code, "area_code", Permission::codes_manage, "the provincial crop production and plant protection sub-department"},
    {Action::downgrade_ocop, "ocop_product", Permission::ocop_manage, "the provincial OCOP council"},
    {Action::revoke_ocop, "ocop_product", Permission::ocop_manage, "the provincial OCOP council"},
    {Action::correct_boundary, "parcel", Permission::registry_write, "the land registry office"},
    {Action::dismiss, "", Permission::inspection_decide, "an officer who decides on findings"},
}};
}  // namespace

std::string_view to_string(Action a) {
  switch (a) {
    case Action::reduce_amount: return "reduce_amount";
    case Action::recover: return "recover";
    case Action::suspend_code: return "suspend_code";
    case Action::downgrade_ocop: return "downgrade_ocop";
    case Action::revoke_ocop: return "revoke_ocop";
    case Action::correct_boundary: return "correct_boundary";
    case Action::dismiss: return "dismiss";
  }
  return "";
}

std::optional<Action> parse_action(std::string_view s) {
  for (const auto& r : kRules)
    if (to_string(r.action) == s) return r.action;
  return std::nullopt;
}

const ActionRule& rule_of(Action a) {
  for (const auto& r : kRules)
    if (r.action == a) return r;
  return kRules.back();
}

Result<DecisionRequest> parse_decision(const json& body) {
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  std::vector<FieldError> errors;
  DecisionRequest r;
  auto text = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : std::string();
  };
  auto action = parse_action(text("action"));
  if (!action)
    errors.push_back({"action", "must be reduce_amount, recover, suspend_code, downgrade_ocop, revoke_ocop, "
                                "correct_boundary or dismiss"});
  else r.action = *action;
  r.target = text("target");
  if (r.target.size() > 100) errors.push_back({"target", "is too long"});
  r.reason = text("reason");
  if (r.reason.empty() || r.reason.size() > 2000) errors.push_back({"reason", "must give the decision's reason"});
  r.decision_no = text("decision_no");
  if (r.decision_no.size() > 64) errors.push_back({"decision_no", "is too long"});
  if (action && *action != Action::dismiss && r.decision_no.empty())
    errors.push_back({"decision_no", "is required: the number of the decision"});
  if (body.contains("date") && !body["date"].is_null()) {
    auto d = body["date"].is_string() ? CivilDate::parse(body["date"].get<std::string>()) : std::nullopt;
    if (!d || d->year() < 1945 || d->year() > 2100)
      errors.push_back({"date", "must be a date (YYYY-MM-DD) between 1945 and 2100"});
    else r.date = *d;
  }
  if (action && (*action == Action::reduce_amount || *action == Action::recover)) {
    if (!body.contains("amount") || !body["amount"].is_number_integer() || body["amount"].get<std::int64_t>() < 0 ||
        body["amount"].get<std::int64_t>() > 1'000'000'000'000)
      errors.push_back({"amount", *action == Action::recover ? "must be the amount recovered in đồng"
                                                             : "must be the reduced approved amount in đồng"});
    else r.amount = body["amount"].get<std::int64_t>();
  }
  if (action && *action == Action::downgrade_ocop) {
    if (!body.contains("stars") || !body["stars"].is_number_integer() || body["stars"].get<int>() < 1 ||
        body["stars"].get<int>() > 5)
      errors.push_back({"stars", "must be the stars after the downgrade, a whole number from 1 to 5"});
    else r.stars = body["stars"].get<int>();
  }
  if (!errors.empty()) return Error::invalid("the decision is not valid", std::move(errors));
  return r;
}

std::string decision_target(const DecisionRequest& r, const std::string& subject_kind, const std::string& subject_ref,
                            const std::string& inspection_parcel) {
  if (!r.target.empty()) return r.target;
  const auto kind = rule_of(r.action).target_kind;
  if (kind.empty()) return "";
  if (subject_kind == kind) return subject_ref;
  if (kind == "parcel") return inspection_parcel;
  return "";
}

// ---- the service ---------------------------------------------------------------------------

Result<json> InspectionService::decide(const Actor& a, std::int64_t finding_id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_decide); !s) return s.error();
  auto req = parse_decision(body);
  if (!req) return req.error();
  const ActionRule& rule = rule_of(req->action);
  if (!AccessPolicy::allows(a, rule.permission))
    return Error::forbidden("this decision is taken by " + std::string(rule.who) + " (permission " +
                            std::string(identity::to_string(rule.permission)) + ")");
  // The finding, within the actor's scope, and what it links to.
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto filter = policy.unit_filter(a);
  struct Found {
    FindingRecord finding;
    InspectionRecord inspection;
    std::vector<std::string> photos;
  };
  auto found = db_.read([&](Connection& c) -> Result<Found> {
    auto f = InspectionRecords::finding(c, finding_id);
    if (!f) return Error::not_found("no such finding");
    auto r = InspectionRecords::find(c, f->inspection_id);
    const bool visible = r && a.role != Role::inspector && a.role != Role::producer &&
                         (!filter || (r->unit && filter->count(*r->unit)));
    if (!visible) return Error::not_found("no such finding");
    Found out{*f, *r, {}};
    for (const auto& p : InspectionRecords::photos(c, r->id)) out.photos.push_back(p.client_id);
    return out;
  });
  if (!found) return found.error();
  if (found->finding.status != "open")
    return Error::conflict("the finding is already " + found->finding.status + ": one decision per finding");
  const std::string target = decision_target(*req, found->finding.subject_kind, found->finding.subject_ref,
                                             found->inspection.parcel);
  if (req->action != Action::dismiss && target.empty())
    return Error::invalid("the decision is not valid",
                          {{"target", "is required: the " + std::string(rule.target_kind) + " the decision acts on"}});
  // The reason the other module records names the inspection, so that its record shows where it came from.
  const std::string why = req->reason + " (inspection " + found->inspection.code + ", finding " +
                          std::to_string(finding_id) + ")";
  std::string result_ref;
  switch (req->action) {
    case Action::reduce_amount:
    case Action::recover: {
      auto app = db_.read([&](Connection& c) { return support::SupportRepository::find_application(c, target); });
      if (!app) return Error::invalid("the decision is not valid", {{"target", "no such application in your scope"}});
      support::StepRequest step;
      step.step = req->action == Action::recover ? support::Step::recover : support::Step::approve;
      step.date = req->date;
      step.reason = why;
      step.amount = req->amount;
      step.reference = req->decision_no;
      auto r = targets_.support->take_step(a, app->id, step);
      if (!r) {
        if (r.error().code == ErrorCode::not_found)
          return Error::invalid("the decision is not valid", {{"target", "no such application in your scope"}});
        return r.error();
      }
      result_ref = "application:" + target;
      break;
    }
    case Action::suspend_code: {
      auto code = db_.read([&](Connection& c) { return areacodes::AreaCodeRepository::find_by_code(c, target); });
      if (!code) return Error::invalid("the decision is not valid", {{"target", "no such area_code in your scope"}});
      auto r = targets_.areacodes->act(a, code->id,
                                       {{"action", "suspend"}, {"reason", why}, {"decision_no", req->decision_no},
                                        {"decision_date", req->date.iso()}});
      if (!r) {
        if (r.error().code == ErrorCode::not_found)
          return Error::invalid("the decision is not valid", {{"target", "no such area_code in your scope"}});
        return r.error();
      }
      result_ref = "area_code:" + target;
      break;
    }
    case Action::downgrade_ocop:
    case Action::revoke_ocop: {
      json b = {{"kind", req->action == Action::revoke_ocop ? "revoked" : "downgraded"},
                {"date", req->date.iso()},
                {"reason", why + " — " + req->decision_no}};
      if (req->stars) b["stars"] = *req->stars;
      auto r = targets_.ocop->decide(a, target, b);
      if (!r) {
        if (r.error().code == ErrorCode::not_found)
          return Error::invalid("the decision is not valid", {{"target", "no such ocop_product in your scope"}});
        return r.error();
      }
      result_ref = "ocop_product:" + target;
      break;
    }
    case Action::correct_boundary: {
      if (found->inspection.measured_geojson.empty())
        return Error::invalid("the decision is not valid",
                              {{"action", "the inspection has no measured boundary to correct the parcel with"}});
      auto parcel = db_.read([&](Connection& c) {
        return registry::RegistryRepository::find_parcel_by_external_id(c, target, false);
      });
      if (!parcel) return Error::invalid("the decision is not valid", {{"target", "no such parcel in your scope"}});
      auto geom = geo::from_geojson(found->inspection.measured_geojson);
      if (!geom) return geom.error();
      auto mp = geo::as_multipolygon(*geom);
      if (!mp) return mp.error();
      registry::ParcelPatch patch;
      patch.geom = *mp;
      patch.effective = req->date;
      auto r = targets_.registry->parcels().update(a, parcel->id, patch);
      if (!r) {
        if (r.error().code == ErrorCode::not_found)
          return Error::invalid("the decision is not valid", {{"target", "no such parcel in your scope"}});
        return r.error();
      }
      result_ref = "parcel:" + target;
      break;
    }
    case Action::dismiss: break;
  }
  return db_.write([&](Connection& c) -> Result<json> {
    // Decided once: a second decision racing this one finds the finding closed.
    auto f = InspectionRecords::finding(c, finding_id);
    if (!f || f->status != "open") return Error::conflict("the finding was decided meanwhile");
    DecisionRecord d;
    d.finding_id = finding_id;
    d.action = std::string(to_string(req->action));
    d.target_ref = req->action == Action::dismiss ? "" : std::string(rule.target_kind) + ":" + target;
    if (req->amount) d.amount = static_cast<double>(*req->amount);
    if (req->stars) d.stars = *req->stars;
    d.decision_no = req->decision_no;
    d.reason = req->reason;
    d.result_ref = result_ref;
    d.decided_by = a.name;
    d.decided_at = utc_now_iso();
    d.id = InspectionRecords::insert_decision(c, d);
    InspectionRecords::set_finding_status(c, finding_id, req->action == Action::dismiss ? "dismissed" : "decided");
    json out = {{"id", d.id},
                {"finding", finding_id},
                {"action", d.action},
                {"target_ref", d.target_ref},
                {"amount", d.amount ? json(*d.amount) : json(nullptr)},
                {"stars", d.stars ? json(*d.stars) : json(nullptr)},
                {"decision_no", d.decision_no},
                {"reason", d.reason},
                {"result_ref", d.result_ref},
                {"decided_by", d.decided_by},
                {"decided_at", d.decided_at},
                {"date", req->date.iso()},
                // What the decision rests on: the inspection, its photos and measurements.
                {"inspection", found->inspection.code},
                {"photos", found->photos},
                {"measured_area_m2", found->finding.measured_area_m2 ? json(*found->finding.measured_area_m2)
                                     : found->inspection.measured_area_m2 ? json(*found->inspection.measured_area_m2)
                                                                           : json(nullptr)},
                {"measured_boundary", !found->inspection.measured_geojson.empty()}};
    audit::record(c, a, "decide", "inspection_finding", std::to_string(finding_id), found->inspection.unit,
                  std::nullopt, out);
    return out;
  });
}

Result<json> InspectionService::decisions_on(const Actor& a, const std::string& target_ref) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& d : InspectionRecords::decisions_on(c, target_ref)) {
      auto f = InspectionRecords::finding(c, d.finding_id);
      if (!f) continue;
      auto r = InspectionRecords::find(c, f->inspection_id);
      if (!r || a.role == Role::producer || (a.role == Role::inspector && !(a.user && r->inspector_id == a.user->value)) ||
          (filter && !(r->unit && filter->count(*r->unit))))
        continue;
      json photos = json::array();
      for (const auto& p : InspectionRecords::photos(c, r->id)) photos.push_back(p.client_id);
      items.push_back({{"id", d.id}, {"action", d.action}, {"finding", d.finding_id}, {"finding_kind", f->kind},
                       {"inspection", r->code}, {"decision_no", d.decision_no}, {"reason", d.reason},
                       {"decided_by", d.decided_by}, {"decided_at", d.decided_at}, {"photos", photos},
                       {"measured_area_m2", r->measured_area_m2 ? json(*r->measured_area_m2) : json(nullptr)}});
    }
    return json{{"target_ref", target_ref}, {"items", items}};
  });
}

}  // namespace nongsan::inspection
