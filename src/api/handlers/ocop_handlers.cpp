// OCOP: products' status on a date, the expiry calendar, notices, a product with its
// evaluations and events, its dossier, and the hand-entered evaluation, finding and
// decision. No rules here: each handler is one OcopService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "modules/ocop/ocop_watch.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.ocop; }
CivilDate on_of(RequestContext& ctx, const char* name = "on") {
  return ctx.query_date(name).value_or(CivilDate::today());
}
json date_or_null(const std::optional<CivilDate>& d) { return d ? json(d->iso()) : json(nullptr); }

Response status(RequestContext& ctx) {
  const CivilDate on = on_of(ctx);
  auto rows = svc(ctx).status(ctx.actor, on);
  if (!rows) return error_response(rows.error(), ctx.request.request_id);
  json items = json::array();
  for (const auto& r : *rows) {
    const auto& s = r.standing;
    items.push_back({{"product", r.product},
                     {"name", r.name},
                     {"stars", s.stars},
                     {"decision_date", date_or_null(s.decision_date)},
                     {"expires", date_or_null(s.expires)},
                     {"status", s.status},
                     {"level", s.level ? json(std::string(ocop::to_string(*s.level))) : json(nullptr)},
                     {"proposed_to_centre", s.proposed_to_centre},
                     {"days_left", s.days_left ? json(*s.days_left) : json(nullptr)}});
  }
  return json_response(200, {{"on", on.iso()}, {"items", items}});
}
Response calendar(RequestContext& ctx) {
  const CivilDate from = on_of(ctx, "from");
  const CivilDate to = ctx.query_date("to").value_or(CivilDate::from_days(from.days_since_epoch() + 365));
  return respond(svc(ctx).calendar(ctx.actor, from, to), ctx);
}
Response notices(RequestContext& ctx) { return respond(svc(ctx).notices(ctx.actor, on_of(ctx)), ctx); }
Response scoring(RequestContext& ctx) { return respond(svc(ctx).scoring_sheets(ctx.actor), ctx); }
Response product(RequestContext& ctx) {
  return respond(svc(ctx).product(ctx.actor, ctx.path_params.at("code"), on_of(ctx)), ctx);
}
Response dossier(RequestContext& ctx) {
  return respond(svc(ctx).dossier(ctx.actor, ctx.path_params.at("code"), on_of(ctx)), ctx);
}
Response add_evaluation(RequestContext& ctx) {
  return respond(svc(ctx).add_evaluation(ctx.actor, ctx.path_params.at("code"), ctx.body), ctx, 201);
}
Response add_finding(RequestContext& ctx) {
  return respond(svc(ctx).add_finding(ctx.actor, ctx.path_params.at("code"), ctx.body), ctx, 201);
}
Response lab_results(RequestContext& ctx) {
  return respond(svc(ctx).lab_results(ctx.actor, ctx.query("product").value_or("")), ctx);
}
Response add_lab_result(RequestContext& ctx) { return respond(svc(ctx).add_lab_result(ctx.actor, ctx.body), ctx, 201); }
Response watch(RequestContext& ctx) {
  CivilDate on = CivilDate::today();
  if (ctx.body.is_object() && ctx.body.contains("on") && ctx.body["on"].is_string())
    if (auto d = CivilDate::parse(ctx.body["on"].get<std::string>())) on = *d;
  return respond(svc(ctx).watch(ctx.actor, on), ctx);
}
Response start_watch(RequestContext& ctx) {
  CivilDate on = CivilDate::today();
  if (ctx.body.is_object() && ctx.body.contains("on") && ctx.body["on"].is_string())
    if (auto d = CivilDate::parse(ctx.body["on"].get<std::string>())) on = *d;
  auto r = ocop::start_watch_job(ctx.services.jobs, svc(ctx), ctx.actor, on);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  Response resp = json_response(202, jobs::to_json(*r));
  resp.headers.emplace_back("Location", "/api/v1/jobs/" + std::to_string(r->id.value));
  return resp;
}
Response findings(RequestContext& ctx) {
  return respond(ocop::OcopWatchList(ctx.services.db, ctx.services.admin).findings(ctx.actor, ctx.query_or("state", "")), ctx);
}
Response decide(RequestContext& ctx) {
  return respond(svc(ctx).decide(ctx.actor, ctx.path_params.at("code"), ctx.body), ctx, 201);
}

using S = Schema;
const std::vector<std::string> kStatus = {"none", "revoked", "expired", "expiring", "valid"};
const std::vector<std::string> kLabCategories = {"pesticide_residue", "heavy_metal", "microbiological", "other"};

Schema standing_schema() {
  return S::object({{"status", S::string().enumerate(kStatus)},
                    {"stars", S::integer().describe("after any downgrade dated on or before the date; 0 for none")},
                    {"decision_date", S::date().nullable()},
                    {"expires", S::date().nullable().describe("36 months after the decision date")},
                    {"level", S::string().enumerate({"province", "central"}).nullable()},
                    {"proposed_to_centre", S::boolean().describe("a provincial total that reaches 5★: proposed to the centre")},
                    {"days_left", S::integer().nullable()}});
}

// A quality-watch finding with its origin and state (OcopService::findings); `extra` adds
// the product's fields of the list.
Schema finding_schema(std::vector<std::pair<std::string, Schema>> extra = {}) {
  std::vector<std::pair<std::string, Schema>> fields = {
      {"id", S::integer()},
      {"found_on", S::date()},
      {"kind", S::string().enumerate({"complaint", "lab_failed", "certificate_lapsed"})},
      {"detail", S::string()},
      {"origin", S::string().describe("lab:<id>, certificate:<code>:<date>, or empty when entered by hand")},
      {"origin_kind", S::string().enumerate({"lab", "certificate", "entered"})},
      {"state", S::string().enumerate({"open", "decided"})},
      {"closed_by_event", S::integer().nullable()},
      {"decision", S::object({{"id", S::integer()},
                              {"kind", S::string().enumerate({"revoked", "downgraded"})},
                              {"date", S::date()},
                              {"stars", S::integer().nullable()},
                              {"reason", S::string()}})
                       .nullable()}};
  for (auto& e : extra) fields.push_back(std::move(e));
  return S::object(fields);
}

Schema product_schema() {
  return S::object(
      {{"product", S::string()},
       {"name", S::string()},
       {"subject", S::string().describe("the producer's external id")},
       {"subject_name", S::string()},
       {"group", S::integer().describe("1–6 in Decision 148/QĐ-TTg's order")},
       {"group_name", S::string()},
       {"commune", S::string().nullable()},
       {"illustrative", S::boolean()},
       {"on", S::date()},
       {"standing", standing_schema()},
       {"evaluations", S::array(S::object({{"id", S::integer()},
                                            {"level", S::string().enumerate({"self", "province", "central"})},
                                            {"date", S::date()},
                                            {"part_a", S::number()},
                                            {"part_b", S::number()},
                                            {"part_c", S::number()},
                                            {"total", S::number()},
                                            {"stars", S::integer()},
                                            {"proposed_to_centre", S::boolean()},
                                            {"expires", S::date().nullable()},
                                            {"decision", S::string()}}))},
       {"events", S::array(S::object({{"id", S::integer()},
                                       {"date", S::date()},
                                       {"kind", S::string().enumerate({"revoked", "downgraded"})},
                                       {"stars", S::integer().nullable()},
                                       {"reason", S::string()}}))},
       {"findings", S::array(finding_schema())}});
}

// A lab result; `extra` adds what an answer carries besides (the findings it raised).
Schema lab_schema(std::vector<std::pair<std::string, Schema>> extra = {}) {
  std::vector<std::pair<std::string, Schema>> fields = {{"id", S::integer()},
                    {"sample", S::string()},
                    {"product", S::string()},
                    {"lot", S::string()},
                    {"laboratory", S::string()},
                    {"date", S::date()},
                    {"parameter", S::string()},
                    {"category", S::string().enumerate(kLabCategories)},
                    {"value", S::number()},
                    {"unit", S::string()},
                    {"limit", S::number().describe("the maximum allowed, in the unit")},
                    {"standard", S::string().describe("where the limit comes from")},
                    {"passed", S::boolean().describe("computed: value ≤ limit")},
                    {"illustrative", S::boolean()}};
  for (auto& e : extra) fields.push_back(std::move(e));
  return S::object(std::move(fields));
}

Schema raised_schema() {
  return S::array(S::object({{"id", S::integer()},
                             {"product", S::string()},
                             {"kind", S::string().enumerate({"lab_failed", "certificate_lapsed"})},
                             {"found_on", S::date()},
                             {"detail", S::string()},
                             {"origin", S::string()}}));
}

// A dossier section: filled with its items, or a gap with its reason.
Schema section_schema(Schema item, std::vector<std::pair<std::string, Schema>> extra = {}) {
  std::vector<std::pair<std::string, Schema>> fields = {
      {"filled", S::boolean()},
      {"gap_vi", S::string().nullable().describe("why the section is empty, in Vietnamese")},
      {"source", S::string().describe("the modules the section comes from")},
      {"items", S::array(std::move(item))}};
  for (auto& e : extra) fields.push_back(std::move(e));
  return S::object(std::move(fields));
}

Schema sections_schema() {
  return S::object(
      {{"area_codes", section_schema(S::object({{"id", S::integer()},
                                                {"code", S::string().nullable()},
                                                {"kind", S::string()},
                                                {"crop", S::string()},
                                                {"crop_name_vi", S::string()},
                                                {"status", S::string()},
                                                {"parcels", S::array(S::string())}}))},
       {"diary", section_schema(S::object({{"kind", S::string()}, {"entries", S::integer()}}),
                                {{"from", S::date()},
                                 {"to", S::date()},
                                 {"warnings", S::array(S::object({{"kind", S::string().enumerate({"banned", "over_dose", "phi_not_passed"})},
                                                                  {"entry", S::string()},
                                                                  {"parcel", S::string()},
                                                                  {"date", S::date()},
                                                                  {"product", S::string()},
                                                                  {"lot", S::string()},
                                                                  {"detail", S::string()}}))}})},
       {"lots", section_schema(S::object({{"lot", S::string()},
                                          {"harvested_from", S::date()},
                                          {"harvested_to", S::date()},
                                          {"quantity_kg", S::number()},
                                          {"parcels", S::array(S::string())},
                                          {"gtin", S::string().nullable()},
                                          {"uri", S::string().nullable().describe("the lot's GS1 Digital Link")},
                                          {"path", S::string().nullable().describe("the public page's path")},
                                          {"held", S::boolean()},
                                          {"epcis_events", S::integer()},
                                          {"trace_gap_vi", S::string().nullable()}}))},
       {"volumes", section_schema(S::object({{"year", S::integer()}, {"harvests", S::integer()}, {"harvested_kg", S::number()}}))},
       {"certificates", section_schema(S::object({{"code", S::string()},
                                                  {"kind", S::string()},
                                                  {"issuer", S::string()},
                                                  {"standard", S::string()},
                                                  {"valid_from", S::date()},
                                                  {"valid_to", S::date()},
                                                  {"status", S::string()},
                                                  {"covers", S::string().describe("product:CODE or parcel:ID")},
                                                  {"illustrative", S::boolean()}}))},
       {"linkage", section_schema(S::object({{"id", S::integer()},
                                             {"code", S::string()},
                                             {"commodity", S::string()},
                                             {"role", S::string().enumerate({"lead", "participant"})},
                                             {"start", S::date()},
                                             {"end", S::date()},
                                             {"year_committed_kg", S::number()},
                                             {"year_delivered_kg", S::number()},
                                             {"illustrative", S::boolean()}}),
                                  {{"year", S::integer()}})},
       {"lab_results", section_schema(lab_schema())}});
}

}  // namespace

std::vector<Route> ocop_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  ParamSpec on{"on", F::date, "the date (default today)", {}};
  const auto points = [](const char* part, double max) {
    return FieldSpec{part, F::number, true, "points", false, {}, R::real(0, max)};
  };
  return {
      {.method = "GET", .path = "/api/v1/ocop/scoring", .permission = P::ocop_read, .tag = "ocop",
       .summary = "The OCOP scoring sheets (Decision 148/QĐ-TTg): parts with their maxima, groups, star bands",
       .handler = scoring,
       .response = S::open_object({{"source", S::string()},
                                   {"parts", S::array(S::open_object({{"key", S::string()}, {"max", S::number()}}))},
                                   {"groups", S::array(S::open_object({{"group", S::integer()}, {"name_vi", S::string()}}))},
                                   {"stars", S::array(S::object({{"stars", S::integer()}, {"from", S::number()}}))},
                                   {"province_max_stars", S::integer()},
                                   {"validity_months", S::integer()},
                                   {"notice_days", S::integer()}})},
      {.method = "GET", .path = "/api/v1/ocop/status", .permission = P::ocop_read, .tag = "ocop",
       .summary = "Every OCOP product within scope with its certificate's status on a date",
       .query = {on}, .handler = status,
       .response = S::object({{"on", S::date()},
                              {"items", S::array(S::object({{"product", S::string()},
                                                            {"name", S::string()},
                                                            {"stars", S::integer()},
                                                            {"decision_date", S::date().nullable()},
                                                            {"expires", S::date().nullable()},
                                                            {"status", S::string().enumerate(kStatus)},
                                                            {"level", S::string().enumerate({"province", "central"}).nullable()},
                                                            {"proposed_to_centre", S::boolean()},
                                                            {"days_left", S::integer().nullable()}}))}})},
      {.method = "GET", .path = "/api/v1/ocop/calendar", .permission = P::ocop_read, .tag = "ocop",
       .summary = "The expiry calendar: certificates expiring between two dates, with the day the owner is notified",
       .query = {{"from", F::date, "first day (default today)", {}}, {"to", F::date, "last day (default a year on)", {}}},
       .handler = calendar,
       .response = S::object({{"from", S::date()},
                              {"to", S::date()},
                              {"notice_days", S::integer()},
                              {"items", S::array(S::object({{"product", S::string()},
                                                            {"name", S::string()},
                                                            {"stars", S::integer()},
                                                            {"decision_date", S::date().nullable()},
                                                            {"expires", S::date()},
                                                            {"notify_on", S::date()}}))}})},
      {.method = "GET", .path = "/api/v1/ocop/notices", .permission = P::ocop_read, .tag = "ocop",
       .summary = "Owners to notify on a date: certificates expiring within the notice period",
       .query = {on}, .handler = notices,
       .response = S::object({{"on", S::date()},
                              {"notice_days", S::integer()},
                              {"items", S::array(S::object({{"product", S::string()},
                                                            {"name", S::string()},
                                                            {"stars", S::integer()},
                                                            {"expires", S::date().nullable()},
                                                            {"days_left", S::integer()}}))}})},
      {.method = "GET", .path = "/api/v1/ocop/products/{code}", .permission = P::ocop_read, .tag = "ocop",
       .summary = "One OCOP product: standing on a date, evaluations with their grades, events, findings",
       .query = {on}, .handler = product, .response = product_schema()},
      {.method = "GET", .path = "/api/v1/ocop/products/{code}/dossier", .permission = P::ocop_read, .tag = "ocop",
       .summary = "The product's dossier pre-filled from what nongsan holds, with the gaps listed",
       .query = {on}, .handler = dossier,
       .response = S::object({{"product", product_schema()},
                              {"producer", S::object({{"id", S::string()}, {"name", S::string()}, {"kind", S::string()}})},
                              {"parcels", S::array(S::object({{"id", S::integer()},
                                                              {"parcel", S::string()},
                                                              {"area_m2", S::number()},
                                                              {"crops", S::string()}}))},
                              {"parcel_area_m2", S::number()},
                              {"support", S::object({{"applications", S::integer()},
                                                     {"paid", S::integer().describe("đồng, less recoveries")}})},
                              {"sections", sections_schema()},
                              {"gaps", S::array(S::object({{"key", S::string()}, {"text_vi", S::string()}}))}})},
      {.method = "POST", .path = "/api/v1/ocop/products/{code}/evaluations", .permission = P::ocop_enter, .tag = "ocop",
       .summary = "Enter an evaluation: the producer's self-assessment, or a council's (province or central: ocop.manage)",
       .body = {{"level", F::string, true, "", false, {"self", "province", "central"}},
                {"date", F::date, true, "the decision date", false, {}},
                points("part_a", 40), points("part_b", 25), points("part_c", 35),
                {"decision", F::string, false, "decision number", false, {}}},
       .success_status = 201, .handler = add_evaluation, .response = product_schema()},
      {.method = "POST", .path = "/api/v1/ocop/products/{code}/findings", .permission = P::ocop_enter, .tag = "ocop",
       .summary = "Record a quality-watch finding: a complaint, a failed lab test, a lapsed certificate",
       .body = {{"kind", F::string, true, "", false, {"complaint", "lab_failed", "certificate_lapsed"}},
                {"date", F::date, true, "", false, {}},
                {"detail", F::string, true, "", false, {}}},
       .success_status = 201, .handler = add_finding, .response = product_schema()},
      {.method = "GET", .path = "/api/v1/ocop/lab-results", .permission = P::ocop_read, .tag = "ocop",
       .summary = "Lab results within scope, with pass or fail computed from value and limit",
       .query = {{"product", F::string, "one OCOP product's code", {}}}, .handler = lab_results,
       .response = S::object({{"product", S::string().nullable()}, {"items", S::array(lab_schema())}})},
      {.method = "POST", .path = "/api/v1/ocop/lab-results", .permission = P::ocop_enter, .tag = "ocop",
       .summary = "Record a lab result; a failed test of a certified product raises its finding",
       .body = {{"sample", F::string, true, "the laboratory's sample id", false, {}},
                {"product", F::string, true, "OCOP product code", false, {}},
                {"lot", F::string, false, "the lot sampled", false, {}},
                {"laboratory", F::string, true, "", false, {}},
                {"date", F::date, true, "the test date", false, {}},
                {"parameter", F::string, true, "e.g. Chì (Pb), Cypermethrin, E. coli", false, {}},
                {"category", F::string, true, "", false, kLabCategories},
                {"value", F::number, true, "the result", false, {}, R::real(0, 1e9)},
                {"unit", F::string, true, "", false, {}},
                {"limit", F::number, true, "the maximum allowed, in the unit", false, {}, R::real(0, 1e9)},
                {"standard", F::string, false, "where the limit comes from", false, {}},
                {"illustrative", F::boolean, false, "", false, {}}},
       .success_status = 201, .handler = add_lab_result,
       .response = lab_schema({{"findings", raised_schema()}})},
      {.method = "GET", .path = "/api/v1/ocop/findings", .permission = P::ocop_read, .tag = "ocop",
       .summary = "The quality watch's findings of the products within scope, with their origin and state",
       .query = {{"state", F::string, "open or decided (default both)", {"open", "decided"}}}, .handler = findings,
       .response = S::object({{"items", S::array(finding_schema({{"product", S::string()},
                                                                  {"product_name", S::string()},
                                                                  {"illustrative", S::boolean()}}))}})},
      {.method = "POST", .path = "/api/v1/ocop/watch", .permission = P::ocop_enter, .tag = "ocop",
       .summary = "The quality watch on a date: failed lab tests and lapsed certificates raise their findings, once each",
       .body = {{"on", F::date, false, "the date (default today)", false, {}}}, .handler = watch,
       .response = S::object({{"on", S::date()}, {"raised", raised_schema()}})},
      {.method = "POST", .path = "/api/v1/ocop/watch/jobs", .permission = P::ocop_enter, .tag = "ocop",
       .summary = "Queue the same watch as a background job `ocop_watch` (follow GET /api/v1/jobs/{id}); its result "
                  "counts the findings raised",
       .body = {{"on", F::date, false, "the date (default today)", false, {}}}, .success_status = 202,
       .handler = start_watch, .response = S::ref("Job")},
      {.method = "POST", .path = "/api/v1/ocop/products/{code}/decisions", .permission = P::ocop_manage, .tag = "ocop",
       .summary = "Decide a downgrade or a revocation of the certificate in force on the date, optionally on a finding",
       .body = {{"kind", F::string, true, "", false, {"revoked", "downgraded"}},
                {"date", F::date, true, "", false, {}},
                {"stars", F::integer, false, "the stars after a downgrade", true, {}, R::int32(1, 5)},
                {"reason", F::string, true, "", false, {}},
                {"finding", F::integer, false, "the finding the decision closes", true, {}, R::id()}},
       .success_status = 201, .handler = decide, .response = product_schema()},
  };
}

}  // namespace nongsan::api
