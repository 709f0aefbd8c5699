// Targets and the mid-term review: programmes, indicators, targets with revisions,
// observations and their workflow, the review with its views (choropleth, trend,
// drill-down) and the register of issued reports. No rules here: each handler
// translates HTTP into one TargetsService call and its answer back.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
std::string path(RequestContext& ctx, const char* name) { return ctx.path_params.at(name); }
std::optional<int> query_int(RequestContext& ctx, const char* name) {
  if (auto v = ctx.query_int(name)) return static_cast<int>(*v);
  return std::nullopt;
}
std::optional<Response> missing(RequestContext& ctx, std::initializer_list<const char*> names) {
  std::vector<FieldError> errors;
  for (const char* n : names)
    if (ctx.query_or(n, "").empty()) errors.push_back({n, "is required"});
  if (errors.empty()) return std::nullopt;
  return error_response(Error::invalid("missing query parameters", errors), ctx.request.request_id);
}
auto& svc(RequestContext& ctx) { return ctx.services.targets; }

Response list_programmes(RequestContext& ctx) { return respond(svc(ctx).list_programmes(ctx.actor), ctx); }
Response get_programme(RequestContext& ctx) { return respond(svc(ctx).get_programme(ctx.actor, path(ctx, "code")), ctx); }
Response create_programme(RequestContext& ctx) { return respond(svc(ctx).create_programme(ctx.actor, ctx.body), ctx, 201); }
Response update_programme(RequestContext& ctx) {
  return respond(svc(ctx).update_programme(ctx.actor, path(ctx, "code"), ctx.body), ctx);
}
Response list_indicators(RequestContext& ctx) {
  return respond(svc(ctx).list_indicators(ctx.actor, path(ctx, "code")), ctx);
}
Response create_indicator(RequestContext& ctx) {
  return respond(svc(ctx).create_indicator(ctx.actor, path(ctx, "code"), ctx.body), ctx, 201);
}
Response update_indicator(RequestContext& ctx) {
  return respond(svc(ctx).update_indicator(ctx.actor, path(ctx, "code"), path(ctx, "indicator"), ctx.body), ctx);
}
Response list_targets(RequestContext& ctx) {
  std::optional<UnitId> unit;
  if (auto u = ctx.query_int("unit_id")) unit = UnitId(*u);
  return respond(svc(ctx).list_targets(ctx.actor, path(ctx, "code"), ctx.query_or("indicator", ""), unit,
                                       query_int(ctx, "year")),
                 ctx);
}
Response set_target(RequestContext& ctx) {
  return respond(svc(ctx).set_target(ctx.actor, path(ctx, "code"), ctx.body), ctx, 201);
}
Response list_observations(RequestContext& ctx) {
  targets::ObservationQuery q;
  q.indicator = ctx.query_or("indicator", "");
  if (auto u = ctx.query_int("unit_id")) q.unit = UnitId(*u);
  q.year = query_int(ctx, "year");
  if (auto s = ctx.query("status"); s && !s->empty()) q.status = targets::parse_status(*s);
  q.page = ctx.page();
  q.page_size = ctx.page_size();
  auto r = svc(ctx).list_observations(ctx.actor, path(ctx, "code"), q);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return page_response(r->items, r->total, ctx);
}
// 201 with the new draft; 409 when one exists for the same indicator, unit, year and
// period, with that one as `existing` (id, status, …) so the UI can open it.
Response create_observation(RequestContext& ctx) {
  auto r = svc(ctx).create_observation(ctx.actor, path(ctx, "code"), ctx.body);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  if (r->created) return json_response(201, r->observation);
  Response res = error_response(Error::conflict(r->message), ctx.request.request_id);
  json body = json::parse(res.body);
  body["existing"] = r->observation;
  res.body = body.dump();
  return res;
}
Response approvals(RequestContext& ctx) {
  targets::ApprovalQuery q;
  if (auto u = ctx.query_int("unit_id")) q.unit = UnitId(*u);
  q.indicator = ctx.query_or("indicator", "");
  q.page = ctx.page();
  q.page_size = ctx.page_size();
  return respond(svc(ctx).approval_inbox(ctx.actor, path(ctx, "code"), q), ctx);
}
Response observation_flags(RequestContext& ctx) { return respond(svc(ctx).flags(ctx.actor, path(ctx, "code")), ctx); }
targets::ObservationId obs_id(RequestContext& ctx) { return targets::ObservationId(ctx.path_id("id")); }
Response get_observation(RequestContext& ctx) { return respond(svc(ctx).get_observation(ctx.actor, obs_id(ctx)), ctx); }
Response update_observation(RequestContext& ctx) {
  return respond(svc(ctx).update_observation(ctx.actor, obs_id(ctx), ctx.body), ctx);
}
Response submit(RequestContext& ctx) { return respond(svc(ctx).submit(ctx.actor, obs_id(ctx)), ctx); }
Response approve(RequestContext& ctx) { return respond(svc(ctx).approve(ctx.actor, obs_id(ctx)), ctx); }
Response return_obs(RequestContext& ctx) {
  return respond(svc(ctx).return_observation(ctx.actor, obs_id(ctx), ctx.body.value("reason", "")), ctx);
}
Response unlock(RequestContext& ctx) {
  return respond(svc(ctx).unlock(ctx.actor, obs_id(ctx), ctx.body.value("reason", "")), ctx);
}
Response review(RequestContext& ctx) {
  return respond(svc(ctx).review(ctx.actor, path(ctx, "code"), query_int(ctx, "milestone"), ctx.query_date("as_of"),
                                 ctx.query_or("unit", ""), ctx.query_or("lang", "vi")),
                 ctx);
}

// Issue a review: computed, rendered, kept in the register; answers the register entry
// and the review (the document itself is downloaded from review/document).
Response issue_review(RequestContext& ctx) {
  targets::ReviewDocumentRequest q;
  q.programme = path(ctx, "code");
  if (ctx.body.contains("milestone")) q.milestone = ctx.body["milestone"].get<int>();
  if (ctx.body.contains("as_of")) q.as_of = CivilDate::parse(ctx.body["as_of"].get<std::string>());
  q.unit = ctx.body.value("unit", "");
  q.format = ctx.body.value("format", "json");
  q.profile = ctx.body.value("profile", "state");
  q.lang = ctx.body.value("lang", "vi");
  auto r = svc(ctx).issue_review(ctx.actor, q);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(201, json{{"issue", r->issue}, {"review", r->review}});
}

// The review as a file to download, issued into the register like every other report;
// the register id and the data hash travel in headers so the UI can show which issue
// the file is.
Response review_document(RequestContext& ctx) {
  targets::ReviewDocumentRequest q;
  q.programme = path(ctx, "code");
  q.milestone = query_int(ctx, "milestone");
  q.as_of = ctx.query_date("as_of");
  q.unit = ctx.query_or("unit", "");
  q.format = ctx.query_or("format", "pdf");
  q.profile = ctx.query_or("profile", "state");
  q.lang = ctx.query_or("lang", "vi");
  auto r = svc(ctx).issue_review(ctx.actor, q);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  Response res;
  res.status = 200;
  res.content_type = r->file.content_type;
  res.body = std::move(r->file.bytes);
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + r->file_name + "\"");
  res.headers.emplace_back("X-Report-Id", std::to_string(r->issue["id"].get<std::int64_t>()));
  res.headers.emplace_back("X-Data-Hash", r->review["data_hash"].get<std::string>());
  return res;
}

Response map_values(RequestContext& ctx) {
  std::optional<admin::AdminLevel> level;
  if (auto l = ctx.query("level"); l && !l->empty()) level = admin::parse_level(*l);
  return respond(svc(ctx).map_values(ctx.actor, path(ctx, "code"), path(ctx, "indicator"), query_int(ctx, "milestone"),
                                     ctx.query_date("as_of"), level),
                 ctx);
}
Response trend(RequestContext& ctx) {
  return respond(svc(ctx).trend(ctx.actor, path(ctx, "code"), path(ctx, "indicator"), query_int(ctx, "milestone"),
                                ctx.query_date("as_of"), ctx.query_or("unit", "")),
                 ctx);
}
Response records(RequestContext& ctx) {
  if (auto m = missing(ctx, {"year"})) return *m;
  return respond(svc(ctx).records(ctx.actor, path(ctx, "code"), path(ctx, "indicator"), ctx.query_or("unit", ""),
                                  *query_int(ctx, "year"), ctx.query_date("as_of")),
                 ctx);
}
Response list_issues(RequestContext& ctx) { return respond(svc(ctx).list_issues(ctx.actor, ctx.query_or("programme", "")), ctx); }
Response get_issue(RequestContext& ctx) {
  return respond(svc(ctx).get_issue(ctx.actor, targets::ReportIssueId(ctx.path_id("id"))), ctx);
}
Response verify_issue(RequestContext& ctx) {
  return respond(svc(ctx).verify_issue(ctx.actor, targets::ReportIssueId(ctx.path_id("id"))), ctx);
}
}  // namespace

std::vector<Route> target_routes() {
  using F = FieldType;
  using P = Permission;
  ParamSpec as_of{"as_of", F::date, "date of the review (default today)", {}};
  ParamSpec milestone{"milestone", F::integer, "milestone year (default: the first not yet passed on as_of)", {},
                      NumberRange::year()};
  ParamSpec year{"year", F::integer, "", {}, NumberRange::year()};
  ParamSpec unit_id{"unit_id", F::integer, "", {}, NumberRange::id()};
  ParamSpec unit{"unit", F::string, "unit code (default: the province, or the officer's unit)", {}};
  ParamSpec lang{"lang", F::string, "language of the narrative and assessments: vi (default) or en", {"vi", "en"}};
  std::vector<FieldSpec> programme_fields = {
      {"code", F::string, true, "", false, {}},         {"name_vi", F::string, true, "", false, {}},
      {"name_en", F::string, false, "", false, {}},     {"start", F::date, true, "", false, {}},
      {"end", F::date, true, "", false, {}},
      {"baseline_year", F::integer, true, "", false, {}, NumberRange::year()},
      {"milestones", F::array, false, "years", false, {}, NumberRange::year(), F::integer},
      {"illustrative", F::boolean, false, "", false, {}},
      {"source", F::string, false, "", false, {}}};
  std::vector<FieldSpec> programme_patch;
  for (auto f : programme_fields)
    if (f.name != "code") f.required = false, programme_patch.push_back(f);
  std::vector<FieldSpec> indicator_fields = {
      {"code", F::string, true, "", false, {}},
      {"name_vi", F::string, true, "", false, {}},
      {"name_en", F::string, false, "", false, {}},
      {"measure_unit", F::string, false, "", false, {}},
      {"kind", F::string, true, "stock (a level at a date) or flow (an amount per year)", false, {"stock", "flow"}},
      {"direction", F::string, true, "", false, {"up", "down"}},
      {"source", F::string, false, "", false, {"reported", "computed"}},
      {"computed", F::object, false, "e.g. {\"measure\":\"planted_area\",\"crop\":\"tea\"}", true, {}},
      {"not_above", F::string, false, "code of an indicator this one must not exceed", true, {}},
      {"illustrative", F::boolean, false, "", false, {}},
      {"note", F::string, false, "", false, {}}};
  std::vector<FieldSpec> indicator_patch;
  for (auto f : indicator_fields)
    if (f.name != "code") f.required = false, indicator_patch.push_back(f);
  FieldSpec reason{"reason", F::string, true, "", false, {}};
  return {
      {.method = "GET", .path = "/api/v1/programmes", .permission = P::targets_read, .tag = "targets",
       .summary = "Programmes (e.g. Resolution 05-NQ/TU 2021–2025 and its successor)", .handler = list_programmes,
       .response = Schema::array(Schema::ref("ProgrammeItem"))},
      {.method = "POST", .path = "/api/v1/programmes", .permission = P::targets_manage, .tag = "targets",
       .summary = "Create a programme", .body = programme_fields, .success_status = 201, .handler = create_programme,
       .response = Schema::ref("Programme")},
      {.method = "GET", .path = "/api/v1/programmes/{code}", .permission = P::targets_read, .tag = "targets",
       .summary = "A programme with its indicators", .handler = get_programme,
       .response = Schema::ref("ProgrammeDetail")},
      {.method = "PATCH", .path = "/api/v1/programmes/{code}", .permission = P::targets_manage, .tag = "targets",
       .summary = "Change a programme", .body = programme_patch, .handler = update_programme,
       .response = Schema::ref("ProgrammeView")},
      {.method = "GET", .path = "/api/v1/programmes/{code}/indicators", .permission = P::targets_read,
       .tag = "targets", .summary = "Indicators of a programme", .handler = list_indicators,
       .response = Schema::array(Schema::ref("Indicator"))},
      {.method = "POST", .path = "/api/v1/programmes/{code}/indicators", .permission = P::targets_manage,
       .tag = "targets", .summary = "Add an indicator", .body = indicator_fields, .success_status = 201,
       .handler = create_indicator,
       .response = Schema::ref("Indicator")},
      {.method = "PATCH", .path = "/api/v1/programmes/{code}/indicators/{indicator}", .permission = P::targets_manage,
       .tag = "targets", .summary = "Change an indicator", .body = indicator_patch, .handler = update_indicator,
       .response = Schema::ref("Indicator")},
      {.method = "GET", .path = "/api/v1/programmes/{code}/indicators/{indicator}/records",
       .permission = P::targets_read, .tag = "targets",
       .summary = "Drill-down: the observations or registry records behind a unit's value for a year, with links",
       .query = {unit, year, as_of}, .handler = records,
       .response = Schema::object({{"programme", Schema::string()}, {"indicator", Schema::ref("Indicator")}, {"unit", Schema::ref("UnitRef").nullable()}, {"year", Schema::integer()}, {"as_of", Schema::date()}, {"reference_date", Schema::date()}, {"value", Schema::number().nullable()}, {"records", Schema::array(Schema::object({{"kind", Schema::string().describe("observation, or the registry record a computed value counts (parcel, planting, producer, …)")}, {"id", Schema::integer()}, {"parcel_id", Schema::integer().nullable().optional()}, {"unit", Schema::ref("UnitRef").nullable()}, {"value", Schema::number()}, {"status", Schema::string().optional()}, {"share", Schema::number().describe("the part of the value that counts for the unit")}, {"contribution", Schema::number()}, {"approved_by", Schema::string().optional()}, {"approved_at", Schema::string().optional()}, {"link", Schema::string().describe("the API path of the record")}}))}})},
      {.method = "GET", .path = "/api/v1/programmes/{code}/indicators/{indicator}/map", .permission = P::targets_read,
       .tag = "targets", .summary = "One indicator evaluated at every unit valid on as_of (one level), for a choropleth",
       .query = {milestone, as_of, {"level", F::string, "", {"province", "district", "commune"}}},
       .handler = map_values,
       .response = Schema::object({{"programme", Schema::string()}, {"indicator", Schema::ref("Indicator")}, {"milestone", Schema::integer()}, {"as_of", Schema::date()}, {"items", Schema::array(Schema::object({{"unit_id", Schema::integer()}, {"code", Schema::string()}, {"name", Schema::string()}, {"level", Schema::string().enumerate({"province", "district", "commune"})}, {"actual", Schema::number().nullable()}, {"target", Schema::number().nullable()}, {"achievement_pct", Schema::number().nullable()}, {"forecast_pct", Schema::number().nullable()}, {"band", Schema::string().enumerate({"achieved", "over_half", "low"}).nullable()}}))}})},
      {.method = "GET", .path = "/api/v1/programmes/{code}/indicators/{indicator}/trend",
       .permission = P::targets_read, .tag = "targets",
       .summary = "One indicator at one unit by year, with the target line and the forecast",
       .query = {milestone, as_of, unit}, .handler = trend,
       .response = Schema::object({{"programme", Schema::string()}, {"indicator", Schema::ref("Indicator")}, {"unit", Schema::ref("UnitRef")}, {"milestone", Schema::integer()}, {"as_of", Schema::date()}, {"baseline", Schema::number()}, {"target", Schema::number().nullable()}, {"target_original", Schema::number().nullable()}, {"actual", Schema::number().nullable()}, {"achievement_pct", Schema::number().nullable()}, {"forecast", Schema::number().nullable()}, {"forecast_pct", Schema::number().nullable()}, {"values", Schema::array(Schema::object({{"year", Schema::integer()}, {"value", Schema::number()}, {"cumulative", Schema::number().optional().describe("flows, from the programme's start")}}))}, {"target_line", Schema::array(Schema::object({{"year", Schema::integer()}, {"value", Schema::number()}}))}})},
      {.method = "GET", .path = "/api/v1/programmes/{code}/targets", .permission = P::targets_read, .tag = "targets",
       .summary = "Targets with their revisions (within the caller's scope)",
       .query = {{"indicator", F::string, "", {}}, unit_id, year}, .handler = list_targets,
       .response = Schema::array(Schema::ref("Target"))},
      {.method = "POST", .path = "/api/v1/programmes/{code}/targets", .permission = P::targets_manage,
       .tag = "targets",
       .summary = "Set a target (the original), or revise an existing one (decision and effective_date required)",
       .body = {{"indicator", F::string, true, "", false, {}},
                {"unit_id", F::integer, true, "", false, {}, NumberRange::id()},
                {"year", F::integer, true, "milestone year", false, {}, NumberRange::year()},
                {"value", F::number, true, "", false, {}, NumberRange::real()},
                {"decision", F::string, false, "deciding document", false, {}},
                {"effective_date", F::date, false, "", false, {}}},
       .success_status = 201, .handler = set_target,
       .response = Schema::ref("Target")},
      {.method = "GET", .path = "/api/v1/programmes/{code}/observations/flags", .permission = P::targets_read,
       .tag = "targets", .summary = "Batch checks: outliers, values above their bound, reported ≠ computed",
       .handler = observation_flags,
       .response = Schema::ref("ObservationFlags")},
      {.method = "GET", .path = "/api/v1/programmes/{code}/observations", .permission = P::targets_read,
       .tag = "targets", .summary = "Observations (within the caller's scope)",
       .query = {{"indicator", F::string, "", {}},
                 unit_id,
                 year,
                 {"status", F::string, "", {"draft", "submitted", "approved", "returned"}}},
       .handler = list_observations, .list = true,
       .response = Schema::page(Schema::ref("Observation"))},
      {.method = "GET", .path = "/api/v1/programmes/{code}/approvals", .permission = P::targets_approve,
       .tag = "targets",
       .summary = "The approval inbox: counts waiting (total, by unit, by indicator) and the submitted observations "
                  "oldest first, each with the previous approved value, the note, who submitted it and when",
       .query = {{"unit_id", F::integer, "only this unit's items", {}, NumberRange::id()}, {"indicator", F::string, "only this indicator's items", {}}},
       .handler = approvals, .list = true,
       .response = Schema::ref("ApprovalInbox")},
      {.method = "POST", .path = "/api/v1/programmes/{code}/observations", .permission = P::targets_enter,
       .tag = "targets",
       .summary = "Enter a draft observation (the unit must be in the caller's scope); returns check flags. 409 with "
                  "`existing` when one exists for the same indicator, unit, year and period",
       .body = {{"indicator", F::string, true, "", false, {}},
                {"unit_id", F::integer, true, "", false, {}, NumberRange::id()},
                {"year", F::integer, true, "", false, {}, NumberRange::year()},
                {"period", F::integer, false, "0 the year (default), 1–4 quarters, 101–112 months", false, {},
                 NumberRange::int32(0, 112)},
                {"value", F::number, true, "", false, {}, NumberRange::real()},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = create_observation,
       .response = Schema::ref("Observation")},
      {.method = "GET", .path = "/api/v1/programmes/{code}/review", .permission = P::targets_read, .tag = "targets",
       .summary = "The mid-term review of every indicator for a unit (docs/review-json.md)",
       .query = {milestone, as_of, unit, lang}, .handler = review,
       .response = Schema::ref("Review"), .cacheable = true},
      {.method = "GET", .path = "/api/v1/programmes/{code}/review/document", .permission = P::targets_read,
       .tag = "targets",
       .summary = "The review as a document to download (issued into the register; X-Report-Id, X-Data-Hash)",
       .query = {milestone, as_of, unit,
                 {"format", F::string, "pdf (default), docx, xlsx, html or json", {"pdf", "docx", "xlsx", "html", "json"}},
                 {"profile", F::string, "layout: state (Nghị định 30/2020/NĐ-CP, default) or party (HD 36-HD/VPTW)",
                  {"state", "party"}},
                 lang},
       .handler = review_document,
       .response = Schema::file("application/pdf").or_file("application/vnd.openxmlformats-officedocument.wordprocessingml.document").or_file("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").or_file("text/html").or_content(Schema::ref("Review"))},
      {.method = "POST", .path = "/api/v1/programmes/{code}/reports", .permission = P::targets_read, .tag = "targets",
       .summary = "Issue a review: computed, kept in the register with its data hash, and returned",
       .body = {{"milestone", F::integer, false, "", false, {}, NumberRange::year()},
                {"as_of", F::date, false, "", false, {}},
                {"unit", F::string, false, "unit code", false, {}},
                {"format", F::string, false, "", false, {"json", "html", "pdf", "docx", "xlsx"}},
                {"profile", F::string, false, "state (default) or party", false, {"state", "party"}},
                {"lang", F::string, false, "vi (default) or en", false, {"vi", "en"}}},
       .success_status = 201, .handler = issue_review,
       .response = Schema::object({{"issue", Schema::ref("ReportIssue")}, {"review", Schema::ref("Review")}})},
      {.method = "GET", .path = "/api/v1/observations/{id}", .permission = P::targets_read, .tag = "targets",
       .summary = "One observation", .handler = get_observation,
       .response = Schema::ref("Observation")},
      {.method = "PATCH", .path = "/api/v1/observations/{id}", .permission = P::targets_enter, .tag = "targets",
       .summary = "Change a draft or returned observation",
       .body = {{"value", F::number, false, "", false, {}, NumberRange::real()}, {"note", F::string, false, "", false, {}}},
       .handler = update_observation,
       .response = Schema::ref("Observation")},
      {.method = "POST", .path = "/api/v1/observations/{id}/submit", .permission = P::targets_enter, .tag = "targets",
       .summary = "Submit a draft for approval", .handler = submit,
       .response = Schema::ref("ObservationChanged")},
      {.method = "POST", .path = "/api/v1/observations/{id}/approve", .permission = P::targets_approve,
       .tag = "targets",
       .summary = "Approve a submitted observation: it counts in reviews and can no longer be edited. Four eyes: "
                  "not by the officer who entered or submitted it (403)",
       .handler = approve,
       .response = Schema::ref("ObservationChanged")},
      {.method = "POST", .path = "/api/v1/observations/{id}/return", .permission = P::targets_approve,
       .tag = "targets", .summary = "Return a submitted observation with a reason", .body = {reason},
       .handler = return_obs,
       .response = Schema::ref("ObservationChanged")},
      {.method = "POST", .path = "/api/v1/observations/{id}/unlock", .permission = P::targets_unlock,
       .tag = "targets", .summary = "Reopen an approved observation with a reason: it goes back to its officer as returned (audited)",
       .body = {reason},
       .handler = unlock,
       .response = Schema::ref("ObservationChanged")},
      {.method = "GET", .path = "/api/v1/reports", .permission = P::targets_read, .tag = "targets",
       .summary = "The register of issued reports", .query = {{"programme", F::string, "", {}}},
       .handler = list_issues,
       .response = Schema::array(Schema::ref("ReportIssue"))},
      {.method = "GET", .path = "/api/v1/reports/{id}", .permission = P::targets_read, .tag = "targets",
       .summary = "One issued report: parameters, data hash, file hash", .handler = get_issue,
       .response = Schema::ref("ReportIssue")},
      {.method = "GET", .path = "/api/v1/reports/{id}/verify", .permission = P::targets_read, .tag = "targets",
       .summary = "Recompute the data hash of an issued report on today's data: has the data changed?",
       .handler = verify_issue,
       .response = Schema::object({{"issue", Schema::ref("ReportIssue")}, {"data_hash_then", Schema::string()}, {"data_hash_now", Schema::string()}, {"data_changed", Schema::boolean()}, {"checked_at", Schema::date_time()}})},
  };
}

}  // namespace nongsan::api
