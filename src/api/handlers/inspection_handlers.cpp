// Inspections: the device sync contract of the field app (/api/field/…), the officers'
// list, detail and creation, and the decisions on findings. No rules here: each handler
// is one InspectionService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "core/messages.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.inspections; }

Response assignments(RequestContext& ctx) { return respond(svc(ctx).assignments(ctx.actor), ctx); }

Response sync(RequestContext& ctx) {
  auto r = svc(ctx).sync(ctx.actor, ctx.body);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  // A refused item's message in the page's language, like an error answer's.
  const Language lang = ctx.request.language == "en" ? Language::en : Language::vi;
  for (auto& item : (*r)["items"])
    if (item.contains("error") && item["error"].is_string())
      item["error"] = translate_message(item["error"].get<std::string>(), lang);
  return json_response(200, *r);
}

Response resolve(RequestContext& ctx) {
  return respond(svc(ctx).resolve(ctx.actor, ctx.path_params.at("code"), ctx.body), ctx);
}

Response photo(RequestContext& ctx) {
  auto p = svc(ctx).photo(ctx.actor, ctx.path_params.at("photo"));
  if (!p) return error_response(p.error(), ctx.request.request_id);
  Response r;
  r.content_type = p->mime;
  r.body.assign(p->data.begin(), p->data.end());
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  return r;
}

Response list(RequestContext& ctx) { return respond(svc(ctx).list(ctx.actor, ctx.query("status")), ctx); }
Response get(RequestContext& ctx) { return respond(svc(ctx).get(ctx.actor, ctx.path_params.at("code")), ctx); }
Response create(RequestContext& ctx) { return respond(svc(ctx).create(ctx.actor, ctx.body), ctx, 201); }
Response decide(RequestContext& ctx) {
  return respond(svc(ctx).decide(ctx.actor, ctx.path_id("id"), ctx.body), ctx, 201);
}
Response decisions_on(RequestContext& ctx) {
  return respond(svc(ctx).decisions_on(ctx.actor, ctx.query_or("target", "")), ctx);
}

using S = Schema;
const std::vector<std::string> kStatus = {"assigned", "open", "closed"};
const std::vector<std::string> kSubjectKinds = {"applicant", "parcel", "area_code", "ocop_product", "facility"};
const std::vector<std::string> kActions = {"reduce_amount", "recover", "suspend_code", "downgrade_ocop",
                                           "revoke_ocop", "correct_boundary", "dismiss"};

// A decision as every answer gives it; the decide route adds its links.
std::vector<std::pair<std::string, Schema>> decision_fields() {
  return {{"id", S::integer()},          {"action", S::string().enumerate(kActions)},
          {"target_ref", S::string()},   {"amount", S::number().nullable()},
          {"stars", S::integer().nullable()}, {"decision_no", S::string()},
          {"reason", S::string()},       {"result_ref", S::string()},
          {"decided_by", S::string()},   {"decided_at", S::date_time()}};
}

Schema decided_schema() {
  auto p = decision_fields();
  p.insert(p.begin() + 1, {"finding", S::integer()});
  for (auto& f : std::vector<std::pair<std::string, Schema>>{{"date", S::date()},
                                                             {"inspection", S::string()},
                                                             {"photos", S::array(S::string())},
                                                             {"measured_area_m2", S::number().nullable()},
                                                             {"measured_boundary", S::boolean()}})
    p.push_back(std::move(f));
  return S::object(p);
}

Schema finding_schema(bool with_decisions) {
  std::vector<std::pair<std::string, Schema>> p = {
      {"id", S::integer()},
      {"client_id", S::string()},
      {"kind", S::string()},
      {"subject_kind", S::string()},
      {"subject_ref", S::string()},
      {"severity", S::string().enumerate({"minor", "serious"})},
      {"detail", S::string()},
      {"measured_area_m2", S::number().nullable()},
      {"recorded_at", S::string().describe("device time")},
      {"status", S::string().enumerate({"open", "decided", "dismissed"})}};
  if (with_decisions) p.push_back({"decisions", S::array(S::object(decision_fields()))});
  return S::object(p);
}

std::vector<std::pair<std::string, Schema>> field_properties(bool with_decisions) {
  return {{"code", S::string()},
          {"subject_kind", S::string().enumerate(kSubjectKinds)},
          {"subject_ref", S::string()},
          {"checklist_kind", S::string()},
          {"status", S::string().enumerate(kStatus)},
          {"version", S::integer().describe("grows with every change on the server")},
          {"answers", S::open_object().describe("checklist item -> answer")},
          {"notes", S::string()},
          {"parcel", S::string().nullable().describe("the measured parcel's external id")},
          {"measured_geojson", S::any().describe("GeoJSON geometry (EPSG:4326) or null")},
          {"measured_area_m2", S::number().nullable().describe("recomputed on the server in VN-2000")},
          {"measure_method", S::string().enumerate({"", "walked", "drawn"})},
          {"opened_at", S::string().describe("device time")},
          {"closed_at", S::string().describe("device time")},
          {"findings", S::array(finding_schema(with_decisions))},
          {"photos", S::array(S::object({{"client_id", S::string()},
                                         {"taken_at", S::string()},
                                         {"lon", S::number().nullable()},
                                         {"lat", S::number().nullable()},
                                         {"mime", S::string()},
                                         {"url", S::string()}}))}};
}

Schema field_schema() { return S::object(field_properties(false)); }

Schema created_schema() {
  auto p = field_properties(false);
  p.push_back({"inspector", S::string().describe("the inspector's login, \"\" when not assigned")});
  return S::object(p);
}

Schema detail_schema() {
  auto p = field_properties(true);
  p.push_back({"inspector", S::string()});
  p.push_back({"illustrative", S::boolean()});
  p.push_back({"created_at", S::date_time()});
  p.push_back({"updated_at", S::date_time()});
  p.push_back({"updated_by", S::string()});
  p.push_back({"commune", S::integer().nullable()});
  p.push_back({"registered_geojson", S::any().describe("the parcel's registered boundary or null")});
  p.push_back({"registered_area_m2", S::number().nullable()});
  p.push_back({"checklist", S::array(S::object({{"item", S::string()},
                                                {"label_vi", S::string()},
                                                {"label_en", S::string()},
                                                {"answer", S::string().enumerate({"yes_no", "number", "text"})}}))});
  p.push_back({"sync_log", S::array(S::object({{"device_id", S::string()},
                                               {"user", S::string()},
                                               {"item_kind", S::string()},
                                               {"client_id", S::string()},
                                               {"device_time", S::string()},
                                               {"server_time", S::date_time()},
                                               {"outcome", S::string().enumerate({"applied", "duplicate", "conflict",
                                                                                  "resolved", "error"})},
                                               {"detail", S::any()}}))});
  return S::object(p);
}

Schema feature_collection() {
  return S::object({{"type", S::string().enumerate({"FeatureCollection"})}, {"features", S::array(S::open_object())}});
}

}  // namespace

std::vector<Route> inspection_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  return {
      {.method = "GET", .path = "/api/field/assignments", .permission = P::inspection_record, .tag = "inspection",
       .summary = "The field app's data: the inspections assigned (all in scope for officers), the checklists, and the "
                  "map of the subjects' parcels with their neighbours within 500 m",
       .handler = assignments,
       .response = S::object({{"inspector", S::string()},
                              {"server_time", S::date_time()},
                              {"inspections", S::array(field_schema())},
                              {"checklists", S::map(S::array(S::object(
                                                 {{"item", S::string()},
                                                  {"label_vi", S::string()},
                                                  {"label_en", S::string()},
                                                  {"answer", S::string().enumerate({"yes_no", "number", "text"})}})))},
                              {"map", S::object({{"parcels", feature_collection()},
                                                 {"zones", feature_collection()},
                                                 {"communes", feature_collection()}})}})},
      {.method = "POST", .path = "/api/field/sync", .permission = P::inspection_record, .tag = "inspection",
       .summary = "Sync a device's items (inspections, findings, photos) one by one: each applied, a duplicate, a "
                  "conflict with the server's record, or an error naming the field",
       .body = {{"device_id", F::string, true, "the device's id", false, {}},
                {"items", F::array, true, "inspection, finding or photo items (docs/inspection.md)", false, {}, {},
                 F::object}},
       .handler = sync,
       .response = S::object(
           {{"server_time", S::date_time()},
            {"items", S::array(S::object({{"kind", S::string()},
                                          {"code", S::string().optional()},
                                          {"client_id", S::string().optional()},
                                          {"outcome", S::string().enumerate({"applied", "duplicate", "conflict", "error"})},
                                          {"version", S::integer().optional()},
                                          {"server", field_schema().optional()},
                                          {"measured_area_m2", S::number().optional()},
                                          {"area_mismatch", S::boolean().optional()},
                                          {"error", S::string().optional()},
                                          {"field", S::string().nullable().optional()}}))}})},
      {.method = "POST", .path = "/api/field/inspections/{code}/resolve", .permission = P::inspection_record,
       .tag = "inspection",
       .summary = "Resolve a conflict: the merged fields against the server version the inspector saw",
       .body = {{"base_version", F::integer, true, "the server version shown in the conflict", false, {},
                 R::int64(1)},
                {"device_time", F::string, true, "ISO 8601", false, {}},
                {"device_id", F::string, false, "", false, {}},
                {"fields", F::object, true, "the merged result", false, {}}},
       .handler = resolve, .response = field_schema()},
      {.method = "GET", .path = "/api/field/photos/{photo}", .permission = P::inspection_read, .tag = "inspection",
       .summary = "A photo's bytes", .handler = photo,
       .response = S::file("image/jpeg").or_file("image/png").or_file("image/webp")},
      {.method = "GET", .path = "/api/v1/inspections", .permission = P::inspection_read, .tag = "inspection",
       .summary = "Inspections within scope (an inspector: their own)",
       .query = {{"status", F::string, "", kStatus, {}}}, .handler = list,
       .response = S::object({{"items", S::array(S::object({{"code", S::string()},
                                                            {"subject_kind", S::string()},
                                                            {"subject_ref", S::string()},
                                                            {"checklist_kind", S::string()},
                                                            {"status", S::string().enumerate(kStatus)},
                                                            {"version", S::integer()},
                                                            {"inspector", S::string()},
                                                            {"parcel", S::string().nullable()},
                                                            {"measured_area_m2", S::number().nullable()},
                                                            {"opened_at", S::string()},
                                                            {"closed_at", S::string()},
                                                            {"illustrative", S::boolean()},
                                                            {"updated_at", S::date_time()},
                                                            {"findings", S::integer()},
                                                            {"open_findings", S::integer()}}))}})},
      {.method = "POST", .path = "/api/v1/inspections", .permission = P::inspection_manage, .tag = "inspection",
       .summary = "Create an inspection by hand: its subject, checklist and inspector",
       .body = {{"subject_kind", F::string, true, "", false, kSubjectKinds},
                {"subject_ref", F::string, true, "the subject's external id or code", false, {}},
                {"checklist_kind", F::string, true, "", false, {}},
                {"inspector", F::string, false, "the inspector's login", false, {}},
                {"parcel", F::string, false, "the parcel to measure (external id)", false, {}},
                {"notes", F::string, false, "", false, {}},
                {"illustrative", F::boolean, false, "made-up data (the demo)", false, {}}},
       .success_status = 201, .handler = create, .response = created_schema()},
      {.method = "GET", .path = "/api/v1/inspections/{code}", .permission = P::inspection_read, .tag = "inspection",
       .summary = "One inspection: answers, findings with their decisions, photos, measured and registered "
                  "boundaries, sync log",
       .handler = get, .response = detail_schema()},
      {.method = "POST", .path = "/api/v1/inspections/findings/{id}/decisions", .permission = P::inspection_decide,
       .tag = "inspection",
       .summary = "Decide on a finding through the module it acts on, by the role that may take the decision",
       .body = {{"action", F::string, true, "", false, kActions},
                {"reason", F::string, true, "", false, {}},
                {"decision_no", F::string, false, "the decision's number (required but for dismiss)", false, {}},
                {"date", F::date, false, "the decision's date (default today)", false, {}},
                {"target", F::string, false, "the record acted on (default: the finding's subject)", false, {}},
                {"amount", F::integer, false, "đồng: the reduced approved amount, or the amount recovered", false, {},
                 R::int64(0, 1e12)},
                {"stars", F::integer, false, "the stars after a downgrade", false, {}, R::int32(1, 5)}},
       .success_status = 201, .handler = decide,
       .response = decided_schema()},
      {.method = "GET", .path = "/api/v1/inspection-decisions", .permission = P::inspection_read, .tag = "inspection",
       .summary = "The decisions inspections led to on one record (application:CODE, area_code:CODE, "
                  "ocop_product:CODE, parcel:ID), with their inspection, photos and measurement",
       .query = {{"target", F::string, "e.g. parcel:P-001", {}, {}}}, .handler = decisions_on,
       .response = S::object({{"target_ref", S::string()},
                              {"items", S::array(S::object({{"id", S::integer()},
                                                            {"action", S::string().enumerate(kActions)},
                                                            {"finding", S::integer()},
                                                            {"finding_kind", S::string()},
                                                            {"inspection", S::string()},
                                                            {"decision_no", S::string()},
                                                            {"reason", S::string()},
                                                            {"decided_by", S::string()},
                                                            {"decided_at", S::date_time()},
                                                            {"photos", S::array(S::string())},
                                                            {"measured_area_m2", S::number().nullable()}}))}})},
  };
}

}  // namespace nongsan::api
