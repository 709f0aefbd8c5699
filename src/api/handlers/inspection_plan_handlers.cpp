// Inspection planning: risk of one subject, plans (preview, create, list, detail with
// assignments), risk weights, the registry-quality sample and summary. No rules here:
// each handler is one InspectionPlanService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.inspection_plans; }
Response err(const Error& e, const RequestContext& ctx) { return error_response(e, ctx.request.request_id); }

Result<int> required_year(RequestContext& ctx) {
  if (auto v = ctx.query_int("year")) return static_cast<int>(*v);
  return Error::invalid("the year is required", {{"year", "is required"}});
}

Response subject_risk(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).subject_risk(ctx.actor, ctx.query_or("kind", ""), ctx.query_or("ref", ""), *y), ctx);
}

inspection::PlanRequest plan_request_of_query(RequestContext& ctx, int year) {
  // Checked by the router against the route's ranges.
  return {year, ctx.query_number("share").value_or(5), ctx.query_number("risk_share").value_or(0.5),
          static_cast<std::uint64_t>(ctx.query_int("seed").value_or(1))};
}

Response preview(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  auto r = svc(ctx).preview(ctx.actor, plan_request_of_query(ctx, *y));
  if (!r) return err(r.error(), ctx);
  return json_response(200, inspection::to_json(*r));
}

Response create(RequestContext& ctx) {
  const json& b = ctx.body;
  inspection::PlanRequest r;
  r.year = b["year"].get<int>();
  if (b.contains("share")) r.share_pct = b["share"].get<double>();
  if (b.contains("risk_share")) r.risk_share = b["risk_share"].get<double>();
  if (b.contains("seed")) r.seed = static_cast<std::uint64_t>(b["seed"].get<std::int64_t>());
  return respond(svc(ctx).create(ctx.actor, r), ctx, 201);
}

Response list_plans(RequestContext& ctx) {
  std::optional<int> year;
  if (auto v = ctx.query_int("year")) year = static_cast<int>(*v);
  return respond(svc(ctx).plans(ctx.actor, year), ctx);
}
Response plan_detail(RequestContext& ctx) { return respond(svc(ctx).plan_detail(ctx.actor, ctx.path_params.at("code")), ctx); }
Response get_weights(RequestContext& ctx) { return respond(svc(ctx).weights(ctx.actor), ctx); }
Response put_weights(RequestContext& ctx) { return respond(svc(ctx).save_weights(ctx.actor, ctx.body), ctx); }
Response quality_sample(RequestContext& ctx) {
  const json& b = ctx.body;
  std::uint64_t seed = b.contains("seed") ? static_cast<std::uint64_t>(b["seed"].get<std::int64_t>()) : 1;
  return respond(svc(ctx).quality_sample(ctx.actor, b["year"].get<int>(), b["size"].get<int>(), seed), ctx, 201);
}
Response quality(RequestContext& ctx) {
  auto y = required_year(ctx);
  if (!y) return err(y.error(), ctx);
  return respond(svc(ctx).quality(ctx.actor, *y), ctx);
}

}  // namespace

std::vector<Route> inspection_plan_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  using S = Schema;
  ParamSpec year{"year", F::integer, "the year of the applications (or of the assessment)", {}, R::year()};
  const std::vector<std::string> kinds = {"applicant", "parcel", "area_code", "ocop_product", "facility"};
  const auto parts = S::array(
      S::object({{"part", S::string()}, {"weight", S::number()}, {"value", S::number()}, {"points", S::number()}}));
  const auto plan = std::vector<std::pair<std::string, Schema>>{{"code", S::string()},
                                                                {"year", S::integer()},
                                                                {"subject_kind", S::string()},
                                                                {"share_pct", S::number()},
                                                                {"risk_share", S::number()},
                                                                {"seed", S::string()},
                                                                {"population", S::integer()},
                                                                {"entries", S::integer()},
                                                                {"assigned", S::integer()},
                                                                {"illustrative", S::boolean()},
                                                                {"created_by", S::string()},
                                                                {"created_at", S::string()}};
  auto plan_detail_schema = plan;
  plan_detail_schema.push_back({"items", S::array(S::object({{"seq", S::integer()},
                                                             {"applicant", S::string()},
                                                             {"subject_kind", S::string()},
                                                             {"reason", S::string().enumerate({"risk", "random"})},
                                                             {"score", S::number()},
                                                             {"parts", parts},
                                                             {"commune", S::string()},
                                                             {"inspector", S::string().describe("login; empty: nobody")},
                                                             {"inspection", S::string()}}))});
  const auto opt_num = [] { return S::number().nullable(); };
  return {
      {.method = "GET", .path = "/api/v1/inspection/risk", .permission = P::inspection_read, .tag = "inspection",
       .summary = "Risk of one subject in a year, every part with its weight (docs/inspection.md \"Risk\")",
       .query = {year,
                 {"kind", F::string, "the kind of subject", kinds},
                 {"ref", F::string, "the subject's external id or code", {}}},
       .handler = subject_risk,
       .response = S::object({{"subject_kind", S::string()},
                              {"subject_ref", S::string()},
                              {"year", S::integer()},
                              {"score", S::number()},
                              {"parts", parts}})},
      {.method = "GET", .path = "/api/v1/inspection/plans/preview", .permission = P::inspection_plan,
       .tag = "inspection",
       .summary = "The plan a year, share, risk share and seed give, with the inspectors it would assign (nothing "
                  "is stored)",
       .query = {year,
                 {"share", F::number, "percent of the year's applicants, rounded up (default 5)", {}, R::real(0, 100)},
                 {"risk_share", F::number, "fraction chosen by highest risk, 0 to 1 (default 0.5)", {}, R::real(0, 1)},
                 {"seed", F::integer, "seed of the random part (default 1)", {}, R::int64(0)}},
       .handler = preview,
       .response = S::object({{"year", S::integer()},
                              {"share_pct", S::number()},
                              {"risk_share", S::number()},
                              {"seed", S::string()},
                              {"population", S::integer()},
                              {"items", S::array(S::object({{"seq", S::integer()},
                                                            {"applicant", S::string()},
                                                            {"reason", S::string().enumerate({"risk", "random"})},
                                                            {"score", S::number()},
                                                            {"parts", parts},
                                                            {"commune", S::string()},
                                                            {"inspector", S::string()},
                                                            {"parcels", S::array(S::string())}}))}})},
      {.method = "POST", .path = "/api/v1/inspection/plans", .permission = P::inspection_plan, .tag = "inspection",
       .summary = "Draw and store a plan: its entries, one inspection each, assigned to the communes' inspectors",
       .body = {{"year", F::integer, true, "", false, {}, R::year()},
                {"share", F::number, false, "percent (default 5)", false, {}, R::real(0, 100)},
                {"risk_share", F::number, false, "0 to 1 (default 0.5)", false, {}, R::real(0, 1)},
                {"seed", F::integer, false, "default 1", false, {}, R::int64(0)}},
       .success_status = 201, .handler = create, .response = S::object(plan_detail_schema)},
      {.method = "GET", .path = "/api/v1/inspection/plans", .permission = P::inspection_read, .tag = "inspection",
       .summary = "Inspection plans, newest first", .query = {year}, .handler = list_plans,
       .response = S::object({{"items", S::array(S::object(plan))}})},
      {.method = "GET", .path = "/api/v1/inspection/plans/{code}", .permission = P::inspection_read,
       .tag = "inspection",
       .summary = "A plan with its entries (within scope), each with its score parts and inspector",
       .handler = plan_detail, .response = S::object(plan_detail_schema)},
      {.method = "GET", .path = "/api/v1/inspection/weights", .permission = P::inspection_read, .tag = "inspection",
       .summary = "The risk weights: every part of every kind of subject, as set and by default",
       .handler = get_weights,
       .response = S::object({{"items", S::array(S::object({{"subject_kind", S::string()},
                                                            {"part", S::string()},
                                                            {"weight", S::number()},
                                                            {"default", S::number()},
                                                            {"updated_by", S::string()},
                                                            {"updated_at", S::string()}}))}})},
      {.method = "PUT", .path = "/api/v1/inspection/weights", .permission = P::inspection_plan, .tag = "inspection",
       .summary = "Set risk weights ({items: [{subject_kind, part, weight}]}); all or nothing, audited",
       .body = {{"items", F::array, true, "[{subject_kind, part, weight 0–1000}]", false, {}}},
       .handler = put_weights,
       .response = S::object({{"items", S::array(S::object({{"subject_kind", S::string()},
                                                            {"part", S::string()},
                                                            {"weight", S::number()},
                                                            {"default", S::number()},
                                                            {"updated_by", S::string()},
                                                            {"updated_at", S::string()}}))}})},
      {.method = "POST", .path = "/api/v1/inspection/quality/sample", .permission = P::inspection_plan,
       .tag = "inspection", .summary = "Draw the year's registry-quality sample of parcels (once per year)",
       .body = {{"year", F::integer, true, "", false, {}, R::year()},
                {"size", F::integer, true, "number of parcels", false, {}, R::int32(1, 100000)},
                {"seed", F::integer, false, "default 1", false, {}, R::int64(0)}},
       .success_status = 201, .handler = quality_sample,
       .response = S::object({{"year", S::integer()},
                              {"sampled", S::integer()},
                              {"population", S::integer()},
                              {"seed", S::string()}})},
      {.method = "GET", .path = "/api/v1/inspection/quality", .permission = P::inspection_read, .tag = "inspection",
       .summary = "Registry quality of a year (LPIS QA): measured, share within tolerance, area bias and its 95 % "
                  "confidence interval",
       .query = {year}, .handler = quality,
       .response = S::object(
           {{"year", S::integer()},
            {"illustrative", S::boolean().describe("some measurements are the demo's, not field data")},
            {"settings", S::object({{"buffer_m", S::number()}, {"max_tolerance_m2", S::number()}})},
            {"sampled", S::integer()},
            {"measured", S::integer()},
            {"within", S::integer()},
            {"share_within", opt_num()},
            {"mean_bias_m2", opt_num()},
            {"bias_pct", opt_num()},
            {"sd_m2", opt_num()},
            {"ci_low_m2", opt_num()},
            {"ci_high_m2", opt_num()},
            {"ci_low_pct", opt_num()},
            {"ci_high_pct", opt_num()},
            {"parcels", S::array(S::object({{"seq", S::integer()},
                                            {"parcel", S::string()},
                                            {"registered_area_m2", S::number()},
                                            {"perimeter_m", S::number()},
                                            {"tolerance_m2", S::number()},
                                            {"measured_area_m2", opt_num()},
                                            {"measured_on", S::string()},
                                            {"measured_by", S::string().enumerate({"", "imported", "inspection"})},
                                            {"illustrative", S::boolean()},
                                            {"within", S::boolean().nullable()}}))}})},
  };
}

}  // namespace nongsan::api
