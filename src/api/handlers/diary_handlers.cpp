// Farming diaries, pesticides and lot holds. No rules here: each handler is one
// DiaryService call (modules/diary; docs/diary.md).
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.diary; }
Response err(const Error& e, const RequestContext& ctx) { return error_response(e, ctx.request.request_id); }

std::optional<std::vector<std::int64_t>> parcels_of(RequestContext& ctx) {
  if (auto p = ctx.query_int("parcel_id")) return std::vector<std::int64_t>{*p};
  return std::nullopt;
}

Response list_entries(RequestContext& ctx) {
  auto r = svc(ctx).entries(ctx.actor, parcels_of(ctx), ctx.query_date("from"), ctx.query_date("to"),
                            ctx.query_bool("with_amended").value_or(false));
  if (!r) return err(r.error(), ctx);
  json items = json::array();
  for (const auto& e : *r) items.push_back(diary::to_json(e));
  return json_response(200, {{"items", items}});
}

Response add_entry(RequestContext& ctx) {
  auto r = svc(ctx).add_entry(ctx.actor, ctx.body);
  if (!r) return err(r.error(), ctx);
  json findings = json::array();
  for (const auto& f : r->findings) findings.push_back(diary::to_json(f));
  return json_response(201, {{"entry", diary::to_json(r->entry)}, {"findings", findings}});
}

Response list_findings(RequestContext& ctx) {
  auto r = svc(ctx).findings(ctx.actor, ctx.query_date("from"), ctx.query_date("to"), parcels_of(ctx));
  if (!r) return err(r.error(), ctx);
  json items = json::array();
  for (const auto& f : *r) items.push_back(diary::to_json(f));
  return json_response(200, {{"items", items}});
}

Response products(RequestContext& ctx) {
  return respond(svc(ctx).products(ctx.actor, ctx.query_date("date").value_or(CivilDate::today())), ctx);
}

Response lot_status(RequestContext& ctx) {
  auto r = svc(ctx).lot_status(ctx.actor, ctx.path_params.at("lot"));
  if (!r) return err(r.error(), ctx);
  return json_response(200, diary::to_json(*r));
}

Response clear_hold(RequestContext& ctx) {
  auto r = svc(ctx).clear_hold(ctx.actor, ctx.path_params.at("lot"), ctx.body.value("reason", ""),
                               ctx.body.value("entry", ""), ctx.body.value("product", ""));
  if (!r) return err(r.error(), ctx);
  return json_response(200, diary::to_json(*r));
}

Response lot_journey(RequestContext& ctx) {
  auto r = ctx.services.diary_bridge.journey(ctx.actor, ctx.path_params.at("lot"));
  if (!r) return err(r.error(), ctx);
  json items = json::array();
  for (const auto& s : *r) items.push_back(epcis::to_json(s));
  return json_response(200, {{"lot", ctx.path_params.at("lot")}, {"items", items}});
}

}  // namespace

std::vector<Route> diary_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  using S = Schema;
  const ParamSpec from{"from", F::date, "first date of the entries", {}};
  const ParamSpec to{"to", F::date, "last date of the entries", {}};
  const ParamSpec parcel{"parcel_id", F::integer, "only the entries of this parcel", {}, R::id()};
  const auto items = [](const char* ref) { return S::object({{"items", S::array(S::ref(ref))}}); };
  return {
      {.method = "GET", .path = "/api/v1/diary/entries", .permission = P::diary_read, .tag = "diary",
       .summary = "Farming-diary entries within scope (amended entries left out unless with_amended)",
       .query = {parcel, from, to, {"with_amended", F::boolean, "also the entries later amended", {}}},
       .handler = list_entries, .response = items("DiaryEntry")},
      {.method = "POST", .path = "/api/v1/diary/entries", .permission = P::diary_enter, .tag = "diary",
       .summary = "Enter a diary entry (spray, fertiliser, harvest, observation) or an amendment of one; answers "
                  "the findings it raises",
       .body = {{"entry", F::string, false, "the entry's code; made up when absent", false, {}},
                {"parcel_id", F::integer, true, "registry parcel in scope", false, {}, R::id()},
                {"date", F::date, true, "", false, {}},
                {"kind", F::string, true, "", false, {"spray", "fertiliser", "harvest", "observation"}},
                {"product", F::string, false, "pesticide product code (spray) or fertiliser", false, {}},
                {"dose_per_ha", F::number, false, "the label's unit per hectare", true, {}, R::real(0, 1e9)},
                {"quantity_kg", F::number, false, "harvested or applied quantity", true, {}, R::real(0, 1e9)},
                {"lot", F::string, false, "the lot a harvest goes into (required for a harvest)", false, {}},
                {"amends", F::string, false, "code of the entry this one amends", false, {}},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = add_entry,
       .response = S::object({{"entry", S::ref("DiaryEntry")}, {"findings", S::array(S::ref("DiaryFinding"))}})},
      {.method = "GET", .path = "/api/v1/diary/findings", .permission = P::diary_read, .tag = "diary",
       .summary = "Findings of the pesticide checks (unregistered, banned, not_for_crop, over_dose, phi_not_passed) "
                  "of the entries dated in the range, within scope",
       .query = {from, to, parcel}, .handler = list_findings, .response = items("DiaryFinding")},
      {.method = "GET", .path = "/api/v1/diary/products", .permission = P::diary_read, .tag = "diary",
       .summary = "Pesticide products with their registration, ingredient status and labels on a date (default today)",
       .query = {{"date", F::date, "", {}}}, .handler = products,
       .response = S::object({{"date", S::date()}, {"items", S::array(S::ref("PesticideProduct"))}})},
      {.method = "GET", .path = "/api/v1/diary/lots/{lot}", .permission = P::diary_read, .tag = "diary",
       .summary = "A lot: held or not, its phi_not_passed findings (cleared or not) and its harvests",
       .handler = lot_status, .response = S::ref("LotStatus")},
      {.method = "GET", .path = "/api/v1/diary/lots/{lot}/journey", .permission = P::diary_read, .tag = "diary",
       .summary = "A lot's journey: the EPCIS events naming it (its harvests, then the containers it was packed "
                  "into), in time order, with their bizStep, place, time and quantity",
       .handler = lot_journey,
       .response = S::object({{"lot", S::string()},
                              {"items", S::array(S::object({{"eventTime", S::string()}, {"type", S::string()},
                                                            {"action", S::string()}, {"bizStep", S::string()},
                                                            {"place", S::string()}, {"quantity", S::number().nullable()},
                                                            {"uom", S::string()}, {"eventID", S::string()},
                                                            {"hash", S::string()},
                                                            {"declaredInError", S::boolean()}}))}})},
      {.method = "POST", .path = "/api/v1/diary/lots/{lot}/clear", .permission = P::lots_clear, .tag = "diary",
       .summary = "Clear a lot's holds with a reason (audited); only one harvest's or product's when named",
       .body = {{"reason", F::string, true, "why, e.g. a residue test below the limits", false, {}},
                {"entry", F::string, false, "only the holds of this harvest entry", false, {}},
                {"product", F::string, false, "only the holds of this sprayed product", false, {}}},
       .handler = clear_hold, .response = S::ref("LotStatus")},
  };
}

}  // namespace nongsan::api
