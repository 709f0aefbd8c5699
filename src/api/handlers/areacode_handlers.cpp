// Growing-area and packing-house codes. No rules here: each handler is one
// AreaCodeService call (modules/areacodes; docs/area-codes.md).
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;
using namespace nongsan::areacodes;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.areacodes; }

CodeQuery query_of(RequestContext& ctx) {
  CodeQuery q;
  if (auto s = ctx.query("status"); s && !s->empty()) q.status = parse_code_status(*s);
  if (auto k = ctx.query("kind"); k && !k->empty()) q.kind = parse_code_kind(*k);
  q.crop = ctx.query_or("crop", "");
  q.q = ctx.query_or("q", "");
  q.commune = ctx.query_int("commune");
  q.page = ctx.page();
  q.page_size = ctx.page_size();
  return q;
}

Response list_codes(RequestContext& ctx) { return respond(svc(ctx).list(ctx.actor, query_of(ctx)), ctx); }
Response code_map(RequestContext& ctx) { return respond(svc(ctx).map(ctx.actor, query_of(ctx)), ctx); }
Response crops(RequestContext& ctx) { return respond(svc(ctx).crops(ctx.actor), ctx); }
Response get_code(RequestContext& ctx) { return respond(svc(ctx).get(ctx.actor, ctx.path_id("id")), ctx); }
Response apply(RequestContext& ctx) { return respond(svc(ctx).apply(ctx.actor, ctx.body), ctx, 201); }
Response act(RequestContext& ctx) { return respond(svc(ctx).act(ctx.actor, ctx.path_id("id"), ctx.body), ctx); }
Response declare(RequestContext& ctx) {
  return respond(svc(ctx).declare_season(ctx.actor, ctx.path_id("id"), ctx.body), ctx);
}
Response findings(RequestContext& ctx, bool suspend) {
  auto r = svc(ctx).check(ctx.actor, suspend);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  json items = json::array();
  for (const auto& f : r->findings) items.push_back(finding_json(f));
  return json_response(200, {{"findings", items}, {"suspended", r->suspended}});
}

}  // namespace

std::vector<Route> areacode_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  using S = Schema;
  const std::vector<ParamSpec> filters = {
      {"status", F::string, "", {"applied", "issued", "suspended", "cancelled", "refused"}},
      {"kind", F::string, "", {"area", "packing_house"}},
      {"crop", F::string, "crop code (data/areacodes/crops.json)", {}},
      {"commune", F::integer, "administrative unit id of the commune", {}, R::id()},
      {"q", F::string, "code or holder name", {}}};
  const Schema check_result =
      S::object({{"findings", S::array(S::ref("AreaCodeFinding"))},
                 {"suspended", S::array(S::string()).describe("codes this check suspended")}});
  const Schema step = S::object({{"action", S::string()},
                                  {"from_status", S::string()},
                                  {"to_status", S::string()},
                                  {"reason", S::string()},
                                  {"decision_no", S::string()},
                                  {"decision_date", S::date().nullable()},
                                  {"by_system", S::boolean()},
                                  {"actor", S::string()},
                                  {"at", S::date_time()}});
  return {
      {.method = "GET", .path = "/api/v1/codes", .permission = P::codes_read, .tag = "codes",
       .summary = "Growing-area and packing-house codes within scope (Decision 3156/QĐ-BNN-TT)", .query = filters,
       .handler = list_codes, .list = true,
       .response = S::page(S::ref("AreaCode"))},
      {.method = "POST", .path = "/api/v1/codes", .permission = P::codes_apply, .tag = "codes",
       .summary = "Apply for a code: registry parcels for one crop and the standard (growing area), or a facility "
                  "(packing house); refused below the minimum area",
       .body = {{"kind", F::string, true, "", false, {"area", "packing_house"}},
                {"holder", F::integer, true, "registry producer id", false, {}, R::id()},
                {"crop", F::string, false, "crop code; required for a growing area", false, {}},
                {"standard", F::string, false, "VietGAP, organic, GlobalGAP …; required for a growing area", false, {}},
                {"parcels", F::array, false, "registry parcel ids (growing area)", false, {}},
                {"facility", F::string, false, "packing house: name", false, {}},
                {"address", F::string, false, "packing house", false, {}},
                {"lon", F::number, false, "packing house, WGS 84", true, {}, R::real(-180, 180)},
                {"lat", F::number, false, "packing house, WGS 84", true, {}, R::real(-90, 90)},
                {"capacity_t_per_day", F::number, false, "packing house: tonnes a day", true, {}, R::real(0, 1000000)},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = apply,
       .response = S::open_object({{"id", S::integer()}, {"status", S::string()}})},
      {.method = "GET", .path = "/api/v1/codes/map", .permission = P::codes_read, .tag = "codes",
       .summary = "The codes' parcels as GeoJSON, each with its code and status (the register on the map)",
       .query = filters, .handler = code_map,
       .response = S::ref("GeoJsonFeatureCollection")},
      {.method = "GET", .path = "/api/v1/codes/crops", .permission = P::codes_read, .tag = "codes",
       .summary = "The crop table: perennial or annual, minimum area, plausible maximum yield with its source",
       .handler = crops,
       .response = S::object({{"crops", S::array(S::object({{"code", S::string()},
                                                            {"name_vi", S::string()},
                                                            {"perennial", S::boolean()},
                                                            {"minimum_ha", S::number()},
                                                            {"max_yield_kg_per_ha", S::number().nullable()},
                                                            {"yield_basis", S::string()},
                                                            {"source", S::string()},
                                                            {"illustrative", S::boolean()}}))}})},
      {.method = "GET", .path = "/api/v1/codes/findings", .permission = P::codes_read, .tag = "codes",
       .summary = "Code health computed now within scope (below_minimum, area_mismatch, diary_gap, banned_use, "
                  "over_shipped); suspends nothing",
       .handler = [](RequestContext& ctx) { return findings(ctx, false); },
       .response = check_result},
      {.method = "POST", .path = "/api/v1/codes/check", .permission = P::codes_manage, .tag = "codes",
       .summary = "Run the code-health check: serious findings suspend their codes until an officer decides",
       .handler = [](RequestContext& ctx) { return findings(ctx, true); },
       .response = check_result},
      {.method = "GET", .path = "/api/v1/codes/{id}", .permission = P::codes_read, .tag = "codes",
       .summary = "A code with its parcels on the map, seasons, life cycle with decisions, findings and the steps "
                  "open to it",
       .handler = get_code,
       .response = S::open_object({{"id", S::integer()},
                                   {"code", S::string().nullable()},
                                   {"status", S::string()},
                                   {"parcels", S::array(S::string())},
                                   {"registry_area_ha", S::number()},
                                   {"minimum_ha", S::number().nullable()},
                                   {"seasons", S::array(S::ref("AreaCodeSeason"))},
                                   {"steps", S::array(step)},
                                   {"findings", S::array(S::ref("AreaCodeFinding"))},
                                   {"actions", S::array(S::string())},
                                   {"parcel_map", S::ref("GeoJsonFeatureCollection")}})},
      {.method = "POST", .path = "/api/v1/codes/{id}/steps", .permission = P::codes_decide, .tag = "codes",
       .summary = "A step of the life cycle with its reason and decision: issue (a domestic code, or export_code "
                  "as issued nationally), refuse, suspend, confirm, reinstate, cancel",
       .body = {{"action", F::string, true, "", false, {"issue", "refuse", "suspend", "confirm", "reinstate", "cancel"}},
                {"reason", F::string, true, "", false, {}},
                {"decision_no", F::string, true, "number of the decision", false, {}},
                {"decision_date", F::date, true, "", false, {}},
                {"export_code", F::string, false, "issue: a code issued nationally (VN-DTOR-0017, VN-DTPH-0001)", false, {}}},
       .handler = act,
       .response = S::ref("AreaCode")},
      {.method = "PUT", .path = "/api/v1/codes/{id}/seasons", .permission = P::codes_apply, .tag = "codes",
       .summary = "Declare a season of a growing-area code (or its actual output): crop, variety, area, standard, "
                  "expected output and harvest window",
       .body = {{"season", F::string, true, "", false, {}},
                {"crop", F::string, false, "default: the code's crop", false, {}},
                {"variety", F::string, false, "", false, {}},
                {"standard", F::string, false, "default: the code's standard", false, {}},
                {"area_ha", F::number, true, "", false, {}, R::real(0, 100000)},
                {"expected_kg", F::number, true, "", false, {}, R::real(0, 1e9)},
                {"harvest_from", F::date, true, "", false, {}},
                {"harvest_to", F::date, true, "", false, {}},
                {"actual_kg", F::number, false, "", true, {}, R::real(0, 1e9)}},
       .handler = declare,
       .response = S::ref("AreaCodeSeason")},
  };
}

}  // namespace nongsan::api
