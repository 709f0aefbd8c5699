// Support policies, applications, payments, budgets and the cross-checks. No rules
// here: each handler is one SupportService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "core/text.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;
using namespace nongsan::support;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.support; }
Response err(const Error& e, const RequestContext& ctx) { return error_response(e, ctx.request.request_id); }
std::optional<int> year_of(RequestContext& ctx) {
  if (auto v = ctx.query_int("year")) return static_cast<int>(*v);
  return std::nullopt;
}
Result<int> required_year(RequestContext& ctx) {
  if (auto y = year_of(ctx)) return *y;
  return Error::invalid("the year is required", {{"year", "is required"}});
}

Response list_policies(RequestContext& ctx) { return respond(svc(ctx).list_policies(ctx.actor), ctx); }
Response get_policy(RequestContext& ctx) { return respond(svc(ctx).get_policy(ctx.actor, ctx.path_params.at("code")), ctx); }
Response save_policy(RequestContext& ctx) { return respond(svc(ctx).save_policy(ctx.actor, ctx.body), ctx, 201); }
Response check_policy(RequestContext& ctx) { return respond(svc(ctx).check_policy(ctx.actor, ctx.body), ctx); }
Response preview_policy(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).preview_policy(ctx.actor, ctx.body, *y), ctx);
}

Response list_applications(RequestContext& ctx) {
  ApplicationQuery q;
  q.year = year_of(ctx);
  if (auto s = ctx.query("status"); s && !s->empty()) q.status = parse_application_status(*s);
  q.policy = ctx.query_or("policy", "");
  q.q = ctx.query_or("q", "");
  q.finding = ctx.query_or("finding", "");
  q.page = ctx.page();
  q.page_size = ctx.page_size();
  auto r = svc(ctx).list_applications(ctx.actor, q);
  if (!r) return err(r.error(), ctx);
  return page_response(r->items, r->total, ctx);
}
Response get_application(RequestContext& ctx) {
  return respond(svc(ctx).get_application(ctx.actor, ApplicationId(ctx.path_id("id"))), ctx);
}
Response create_application(RequestContext& ctx) {
  return respond(svc(ctx).create_application(ctx.actor, ctx.body), ctx, 201);
}
Response take_step(RequestContext& ctx) {
  const json& b = ctx.body;
  StepRequest r;
  r.step = *parse_step(b["step"].get<std::string>());
  if (b.contains("date") && !b["date"].is_null()) r.date = CivilDate::parse(b["date"].get<std::string>());
  r.reason = b.value("reason", "");
  if (b.contains("amount") && !b["amount"].is_null()) r.amount = b["amount"].get<std::int64_t>();
  r.funding_source = b.value("funding_source", "");
  r.reference = b.value("reference", "");
  return respond(svc(ctx).take_step(ctx.actor, ApplicationId(ctx.path_id("id")), r), ctx);
}
Response add_payment(RequestContext& ctx) {
  return respond(svc(ctx).add_payment(ctx.actor, ApplicationId(ctx.path_id("id")), ctx.body), ctx, 201);
}
Response queues(RequestContext& ctx) { return respond(svc(ctx).queues(ctx.actor, year_of(ctx)), ctx); }

std::optional<double> min_overlap_of(const json& b) {
  if (b.contains("min_overlap_m2") && !b["min_overlap_m2"].is_null()) return b["min_overlap_m2"].get<double>();
  return std::nullopt;
}
Response run_checks(RequestContext& ctx) {
  auto r = svc(ctx).run_checks(ctx.actor, ctx.body["year"].get<int>(), min_overlap_of(ctx.body));
  if (!r) return err(r.error(), ctx);
  return json_response(201, run_summary(*r));
}
Response start_checks(RequestContext& ctx) {
  auto r = svc(ctx).start_checks(ctx.actor, ctx.body["year"].get<int>(), min_overlap_of(ctx.body));
  if (!r) return err(r.error(), ctx);
  Response resp = json_response(202, jobs::to_json(*r));
  resp.headers.emplace_back("Location", "/api/v1/jobs/" + std::to_string(r->id.value));
  return resp;
}
Response findings(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).findings(ctx.actor, *y, ctx.query_or("finding", ""), ctx.query_bool("geometry").value_or(false)), ctx);
}
Response risk(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).risk(ctx.actor, *y), ctx);
}
Response sample(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  // Checked by the router against the route's ranges.
  const double share = ctx.query_number("share").value_or(5), risk_share = ctx.query_number("risk_share").value_or(0.5);
  std::uint64_t seed = static_cast<std::uint64_t>(ctx.query_int("seed").value_or(1));
  auto r = svc(ctx).sample(ctx.actor, *y, share, risk_share, seed);
  if (!r) return err(r.error(), ctx);
  json items = json::array();
  for (const auto& e : r->entries)
    items.push_back({{"applicant", e.applicant}, {"reason", e.reason}, {"score", e.score}, {"applications", e.applications}});
  json parcels = json::array();
  for (const auto& p : r->parcels)
    parcels.push_back({{"applicant", p.applicant}, {"application", p.application}, {"parcel", p.parcel}});
  return json_response(200, {{"year", *y}, {"applicants", r->applicants}, {"items", items}, {"parcels", parcels}});
}
Response get_settings(RequestContext& ctx) { return respond(svc(ctx).settings(ctx.actor), ctx); }
Response save_settings(RequestContext& ctx) { return respond(svc(ctx).save_settings(ctx.actor, ctx.body), ctx); }
Response budget(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).budget(ctx.actor, *y), ctx);
}
Response set_budget(RequestContext& ctx) { return respond(svc(ctx).set_budget(ctx.actor, ctx.body), ctx); }

}  // namespace

std::vector<Route> support_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  ParamSpec year{"year", F::integer, "the year the applications were filed in", {}, R::year()};
  // Numbers with their ranges (docs/support.md): amounts in whole đồng ≥ 0, shares and
  // tolerances as the services check them, years through the common year range.
  const auto dong = R::int64(0);
  const std::vector<FieldSpec> check_fields = {
      {"year", F::integer, true, "", false, {}, R::year()},
      {"min_overlap_m2", F::number, false, "default: the setting", true, {}, R::real(0, 1000000)}};
  std::vector<FieldSpec> policy_fields = {
      {"code", F::string, true, "policy code, e.g. NQ07-TEA", false, {}},
      {"version", F::date, true, "effective date; a later version of a code is an amendment", false, {}},
      {"name_vi", F::string, true, "", false, {}},
      {"name_en", F::string, false, "", false, {}},
      {"content", F::string, true, "the supported content; overlaps are checked within one content", false, {}},
      {"item", F::string, true, "", false, {"area", "hive", "head", "cage_m3", "project"}},
      {"rate", F::number, true, "đồng per item unit (per hectare for area)", false, {}, R::real(0)},
      {"one_time", F::boolean, false, "support given once for the same land, whatever the year", false, {}},
      {"cap_per_beneficiary_year", F::integer, false, "đồng", true, {}, dong},
      {"exclusive_with", F::array, false, "policy codes that may not be combined on the same land", false, {}},
      {"requires", F::object, false, "crop, zone, controller, suitability, profile", false, {}},
      {"conditions", F::string, false, "e.g. claimed_ha >= 0.3 and applicant_kind in [\"household\"]", false, {}},
      {"source", F::string, false, "the article the policy comes from", false, {}},
      {"illustrative", F::boolean, false, "", false, {}},
      {"note", F::string, false, "", false, {}}};
  return {
      {.method = "GET", .path = "/api/v1/support/policies", .permission = P::support_read, .tag = "support",
       .summary = "Support policies with their versions (Resolution 07/2021/NQ-HĐND and amendments)",
       .handler = list_policies},
      {.method = "POST", .path = "/api/v1/support/policies", .permission = P::support_manage, .tag = "support",
       .summary = "Save a policy version (a new policy, or an amendment); the condition is checked with its position",
       .body = policy_fields, .success_status = 201, .handler = save_policy},
      {.method = "POST", .path = "/api/v1/support/policies/check", .permission = P::support_manage, .tag = "support",
       .summary = "Check a policy version without saving it: every mistake by field (the condition's with its "
                  "position), else whether it would be a new policy, an amendment or unchanged",
       .body = policy_fields, .handler = check_policy},
      {.method = "POST", .path = "/api/v1/support/policies/preview", .permission = P::support_manage, .tag = "support",
       .summary = "What would this version have paid over a year's applications? (nothing is saved)",
       .query = {year}, .body = policy_fields, .handler = preview_policy},
      {.method = "GET", .path = "/api/v1/support/policies/{code}", .permission = P::support_read, .tag = "support",
       .summary = "One policy with its versions", .handler = get_policy},
      {.method = "GET", .path = "/api/v1/support/applications", .permission = P::support_read, .tag = "support",
       .summary = "Applications within scope, with the findings and amount of the year's latest check run",
       .query = {year,
                 {"status", F::string, "",
                  {"submitted", "verified", "appraised", "accepted", "approved", "paid", "rejected", "recovered"}},
                 {"policy", F::string, "policy code", {}},
                 {"q", F::string, "application code or applicant name", {}},
                 {"finding", F::string, "only applications with this finding (needs year)", {}}},
       .handler = list_applications, .list = true},
      {.method = "POST", .path = "/api/v1/support/applications", .permission = P::support_enter, .tag = "support",
       .summary = "Enter an application: policy, applicant, filing date, items (a parcel and hectares, or a count)",
       .body = {{"code", F::string, true, "", false, {}},
                {"policy", F::string, true, "policy code", false, {}},
                {"applicant_id", F::integer, true, "registry producer", false, {}, R::id()},
                {"filed", F::date, true, "", false, {}},
                {"items", F::array, true, "[{parcel_id, quantity}]", false, {}},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = create_application},
      {.method = "GET", .path = "/api/v1/support/applications/{id}", .permission = P::support_read, .tag = "support",
       .summary = "An application with its items, steps, payments, findings and the rule trace of its amount",
       .handler = get_application},
      {.method = "POST", .path = "/api/v1/support/applications/{id}/steps", .permission = P::support_read,
       .tag = "support",
       .summary = "Take a step of the life cycle (verify, appraise, accept, approve, pay, reject, recover); the step's "
                  "own permission and four eyes are checked",
       .body = {{"step", F::string, true, "", false, {"verify", "appraise", "accept", "approve", "pay", "reject", "recover"}},
                {"date", F::date, false, "the date the step records (acceptance date for accept); default today", true, {}},
                {"reason", F::string, false, "required to reject or recover", false, {}},
                {"amount", F::integer, false, "approve: the approved amount; pay, recover: đồng", true, {}, dong},
                {"funding_source", F::string, false, "", false, {}},
                {"reference", F::string, false, "voucher or decision number", false, {}}},
       .handler = take_step},
      {.method = "POST", .path = "/api/v1/support/applications/{id}/payments", .permission = P::support_pay,
       .tag = "support", .summary = "Record a payment or a recovery",
       .body = {{"date", F::date, true, "", false, {}},
                {"amount", F::integer, true, "đồng", false, {}, dong},
                {"kind", F::string, false, "", false, {"payment", "recovery"}},
                {"funding_source", F::string, false, "",
                 false, {"national_target_programme", "central_budget", "provincial_budget", "credit", "other"}},
                {"reference", F::string, false, "", false, {}}},
       .success_status = 201, .handler = add_payment},
      {.method = "GET", .path = "/api/v1/support/queues", .permission = P::support_read, .tag = "support",
       .summary = "How many applications wait at each status, within scope", .query = {year}, .handler = queues},
      {.method = "POST", .path = "/api/v1/support/checks", .permission = P::support_manage, .tag = "support",
       .summary = "Run the cross-checks and amounts of a year; the run is kept for the queues and the map",
       .body = check_fields,
       .success_status = 201, .handler = run_checks},
      {.method = "POST", .path = "/api/v1/support/checks/jobs", .permission = P::support_manage, .tag = "support",
       .summary = "Queue the same run as a background job with progress (follow GET /api/v1/jobs/{id}); the job's "
                  "result names the run (run_id)",
       .body = check_fields,
       .success_status = 202, .handler = start_checks},
      {.method = "GET", .path = "/api/v1/support/findings", .permission = P::support_read, .tag = "support",
       .summary = "Findings of the year's latest check run within scope, with counts by kind",
       .query = {year,
                 {"finding", F::string, "", {}},
                 {"geometry", F::boolean, "true: each named parcel's boundary (GeoJSON) for the map", {}}},
       .handler = findings},
      {.method = "GET", .path = "/api/v1/support/risk", .permission = P::support_read, .tag = "support",
       .summary = "Risk of every application filed in a year, highest first, each score with its parts",
       .query = {year}, .handler = risk},
      {.method = "GET", .path = "/api/v1/support/sample", .permission = P::support_manage, .tag = "support",
       .summary = "Applicants for on-the-spot checks: a share of the year's applicants, part by risk, part at random "
                  "from a seed",
       .query = {year,
                 {"share", F::number, "percent of the applicants (default 5)", {}, R::real(0, 100)},
                 {"risk_share", F::number, "fraction chosen by risk, 0 to 1 (default 0.5)", {}, R::real(0, 1)},
                 {"seed", F::integer, "seed of the random part (default 1)", {}, R::int64(0)}},
       .handler = sample},
      {.method = "GET", .path = "/api/v1/support/settings", .permission = P::support_read, .tag = "support",
       .summary = "Tolerances, penalty and overlap threshold of the cross-checks; four eyes", .handler = get_settings},
      {.method = "PATCH", .path = "/api/v1/support/settings", .permission = P::support_manage, .tag = "support",
       .summary = "Change the settings of the cross-checks",
       .body = {{"tolerance_pct", F::number, false, "% of the parcel's area", false, {}, R::real(0, 100)},
                {"tolerance_ha", F::number, false, "hectares", false, {}, R::real(0, 1000)},
                {"penalty_factor", F::number, false, "× the over-declared area", false, {}, R::real(0, 10)},
                {"min_overlap_m2", F::number, false, "m²", false, {}, R::real(0, 100000)},
                {"four_eyes", F::boolean, false, "", false, {}}},
       .handler = save_settings},
      {.method = "GET", .path = "/api/v1/support/budget", .permission = P::support_read, .tag = "support",
       .summary = "Budget of a year by policy and funding source: planned, committed, paid, remaining",
       .query = {year}, .handler = budget},
      {.method = "PUT", .path = "/api/v1/support/budget", .permission = P::support_manage, .tag = "support",
       .summary = "Set the planned budget of a policy, year and funding source",
       .body = {{"policy", F::string, true, "", false, {}},
                {"year", F::integer, true, "", false, {}, R::year()},
                {"funding_source", F::string, true, "",
                 false, {"national_target_programme", "central_budget", "provincial_budget", "credit", "other"}},
                {"planned", F::integer, true, "đồng", false, {}, dong},
                {"note", F::string, false, "", false, {}}},
       .handler = set_budget},
  };
}

}  // namespace nongsan::api
