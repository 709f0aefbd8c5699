// Value chains: linkage contracts, deliveries, the linkage report, the chain view,
// buyers, trade-promotion events, facilities, capacity against supply, investment
// projects and the warning thresholds. No rules here: each handler is one ChainService
// call (docs/chains.md).
#include "api/file_response.hpp"
#include "api/handlers/handlers.hpp"
#include "api/schemas/components.hpp"
#include "api/services.hpp"
#include "modules/chains/chain_documents.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.chains; }
Response err(const Error& e, const RequestContext& ctx) { return error_response(e, ctx.request.request_id); }
int year_or_this(RequestContext& ctx) {
  if (auto v = ctx.query_int("year")) return static_cast<int>(*v);
  return CivilDate::today().year();
}
Response done(const Status& s, RequestContext& ctx) {
  if (!s) return err(s.error(), ctx);
  return no_content();
}

Response list_contracts(RequestContext& ctx) {
  return respond(svc(ctx).list_contracts(ctx.actor, year_or_this(ctx), ctx.query_or("commodity", "")), ctx);
}
Response get_contract(RequestContext& ctx) {
  return respond(svc(ctx).get_contract(ctx.actor, ctx.path_id("id"), year_or_this(ctx)), ctx);
}
Response create_contract(RequestContext& ctx) { return respond(svc(ctx).create_contract(ctx.actor, ctx.body), ctx, 201); }
Response update_contract(RequestContext& ctx) {
  return respond(svc(ctx).update_contract(ctx.actor, ctx.path_id("id"), ctx.body), ctx);
}
Response delete_contract(RequestContext& ctx) { return done(svc(ctx).delete_contract(ctx.actor, ctx.path_id("id")), ctx); }
Response chain_view(RequestContext& ctx) { return respond(svc(ctx).chain_view(ctx.actor, ctx.path_id("id")), ctx); }
Response add_delivery(RequestContext& ctx) {
  return respond(svc(ctx).add_delivery(ctx.actor, ctx.path_id("id"), ctx.body), ctx, 201);
}
Response delete_delivery(RequestContext& ctx) {
  return done(svc(ctx).delete_delivery(ctx.actor, ctx.path_id("id"), ctx.path_id("delivery")), ctx);
}
Response add_buyer(RequestContext& ctx) { return respond(svc(ctx).add_buyer(ctx.actor, ctx.path_id("id"), ctx.body), ctx, 201); }
Response delete_buyer(RequestContext& ctx) {
  return done(svc(ctx).delete_buyer(ctx.actor, ctx.path_id("id"), ctx.path_id("buyer")), ctx);
}
Response add_event(RequestContext& ctx) {
  return respond(svc(ctx).add_trade_event(ctx.actor, ctx.path_id("id"), ctx.body), ctx, 201);
}
Response delete_event(RequestContext& ctx) {
  return done(svc(ctx).delete_trade_event(ctx.actor, ctx.path_id("id"), ctx.path_id("event")), ctx);
}
Response linkage(RequestContext& ctx) {
  auto r = svc(ctx).linkage(ctx.actor, year_or_this(ctx), ctx.query_date("as_of"));
  if (!r) return err(r.error(), ctx);
  return json_response(200, chains::ChainService::to_json(*r));
}
Response list_facilities(RequestContext& ctx) { return respond(svc(ctx).list_facilities(ctx.actor), ctx); }
Response get_facility(RequestContext& ctx) { return respond(svc(ctx).get_facility(ctx.actor, ctx.path_id("id")), ctx); }
Response create_facility(RequestContext& ctx) {
  return respond(svc(ctx).save_facility(ctx.actor, std::nullopt, ctx.body), ctx, 201);
}
Response update_facility(RequestContext& ctx) {
  return respond(svc(ctx).save_facility(ctx.actor, ctx.path_id("id"), ctx.body), ctx);
}
Response delete_facility(RequestContext& ctx) { return done(svc(ctx).delete_facility(ctx.actor, ctx.path_id("id")), ctx); }
Response supply(RequestContext& ctx) { return respond(svc(ctx).supply(ctx.actor), ctx); }
Response list_investments(RequestContext& ctx) { return respond(svc(ctx).list_investments(ctx.actor), ctx); }
Response create_investment(RequestContext& ctx) {
  return respond(svc(ctx).save_investment(ctx.actor, std::nullopt, ctx.body), ctx, 201);
}
Response update_investment(RequestContext& ctx) {
  return respond(svc(ctx).save_investment(ctx.actor, ctx.path_id("id"), ctx.body), ctx);
}
Response delete_investment(RequestContext& ctx) {
  return done(svc(ctx).delete_investment(ctx.actor, ctx.path_id("id")), ctx);
}
Response unmatched_events(RequestContext& ctx) { return respond(svc(ctx).unmatched_events(ctx.actor), ctx); }
chains::ContractDocuments documents(RequestContext& ctx) { return {ctx.services.db, ctx.services.admin}; }
Response list_documents(RequestContext& ctx) { return respond(documents(ctx).list(ctx.actor, ctx.path_id("id")), ctx); }
Response add_document(RequestContext& ctx) {
  return respond(documents(ctx).add(ctx.actor, ctx.path_id("id"), ctx.body["file"]), ctx, 201);
}
Response download_document(RequestContext& ctx) {
  auto d = documents(ctx).read(ctx.actor, ctx.path_id("id"), ctx.path_id("document"));
  if (!d) return err(d.error(), ctx);
  return file_response(d->media_type, std::string(d->content.begin(), d->content.end()), d->name);
}
Response delete_document(RequestContext& ctx) {
  return done(documents(ctx).remove(ctx.actor, ctx.path_id("id"), ctx.path_id("document")), ctx);
}
Response get_settings(RequestContext& ctx) { return respond(svc(ctx).settings(ctx.actor), ctx); }
Response save_settings(RequestContext& ctx) { return respond(svc(ctx).save_settings(ctx.actor, ctx.body), ctx); }

}  // namespace

std::vector<Route> chain_routes() {
  using F = FieldType;
  using P = Permission;
  using R = NumberRange;
  using S = Schema;
  const ParamSpec year{"year", F::integer, "calendar year (default this year)", {}, R::year()};
  const auto kg = R::real(0, 1e12);
  const std::vector<FieldSpec> contract_fields = {
      {"code", F::string, true, "contract code", false, {}},
      {"lead_id", F::integer, true, "registry producer: an enterprise or a cooperative", false, {}, R::id()},
      {"participant_ids", F::array, true, "registry producers taking part", false, {}, R::id(), F::integer},
      {"commodity", F::string, true, "crop code: tea, macadamia, passion_fruit, sweet_corn …", false, {}},
      {"start", F::date, true, "", false, {}},
      {"end", F::date, true, "both end dates are days of the contract", false, {}},
      {"committed_kg", F::number, true, "for the whole contract and period", false, {}, kg},
      {"quality", F::string, false, "committed quality", false, {}},
      {"price_mechanism", F::string, false, "", false, {"", "fixed", "floor", "market_linked"}},
      {"price_note", F::string, false, "the price or its formula", false, {}},
      {"inputs_services", F::string, false, "inputs and services the lead supplies", false, {}},
      {"documents", F::array, false, "names or numbers of the signed documents", false, {}, std::nullopt, F::string},
      {"parcel_ids", F::array, false, "parcels covered", false, {}, R::id(), F::integer},
      {"zone_ids", F::array, false, "zones covered", false, {}, R::id(), F::integer},
      {"illustrative", F::boolean, false, "", false, {}}};
  const std::vector<FieldSpec> facility_fields = {
      {"code", F::string, true, "", false, {}},
      {"name", F::string, true, "", false, {}},
      {"operator_id", F::integer, false, "registry producer operating it", true, {}, R::id()},
      {"unit_id", F::integer, false, "commune (default: the operator's)", true, {}, R::id()},
      {"technology", F::string, true, "", false, {"manual", "semi_mechanised", "automated"}},
      {"certifications", F::array, false, "", false, {}, std::nullopt, F::string},
      {"longitude", F::number, false, "WGS 84", true, {}, R::real(-180, 180)},
      {"latitude", F::number, false, "WGS 84", true, {}, R::real(-90, 90)},
      {"capacities", F::array, false, "[{commodity, product, capacity_t_per_season}]", false, {}, std::nullopt, F::object},
      {"zone_ids", F::array, false, "raw-material zones", false, {}, R::id(), F::integer},
      {"illustrative", F::boolean, false, "", false, {}}};
  const std::vector<FieldSpec> investment_fields = {
      {"code", F::string, true, "", false, {}},
      {"name", F::string, true, "", false, {}},
      {"kind", F::string, true, "", false, {"plant", "industrial_cluster"}},
      {"status", F::string, true, "", false, {"proposed", "approved", "under_construction", "operating", "suspended"}},
      {"investor", F::string, false, "", false, {}},
      {"unit_id", F::integer, false, "commune", true, {}, R::id()},
      {"commodity", F::string, false, "", false, {}},
      {"land_ha", F::number, false, "land needed", false, {}, R::real(0, 1e6)},
      {"raw_material_t", F::number, false, "raw material needed per season", false, {}, R::real(0, 1e9)},
      {"illustrative", F::boolean, false, "", false, {}}};
  return {
      {.method = "GET", .path = "/api/v1/chains/contracts", .permission = P::chains_read, .tag = "chains",
       .summary = "Linkage contracts within scope with the year's committed and delivered kilograms and fulfilment",
       .query = {year, {"commodity", F::string, "", {}}}, .handler = list_contracts,
       .response = S::ref("ChainContractList")},
      {.method = "POST", .path = "/api/v1/chains/contracts", .permission = P::chains_write, .tag = "chains",
       .summary = "Enter a linkage contract (Decree 98/2018/NĐ-CP): lead, participants, commodity, land covered, "
                  "committed quantity and quality, price mechanism, inputs and services, dates, documents",
       .body = contract_fields, .success_status = 201, .handler = create_contract, .response = S::ref("ChainContract")},
      {.method = "GET", .path = "/api/v1/chains/contracts/{id}", .permission = P::chains_read, .tag = "chains",
       .summary = "A contract with the fulfilment per party in the year, the warnings, deliveries, buyers and events",
       .query = {year}, .handler = get_contract, .response = S::ref("ChainContractDetail")},
      {.method = "PUT", .path = "/api/v1/chains/contracts/{id}", .permission = P::chains_write, .tag = "chains",
       .summary = "Change a contract (a participant with deliveries cannot be dropped)", .body = contract_fields,
       .handler = update_contract, .response = S::ref("ChainContract")},
      {.method = "DELETE", .path = "/api/v1/chains/contracts/{id}", .permission = P::chains_write, .tag = "chains",
       .summary = "Delete a contract with its deliveries, buyers and events", .success_status = 204,
       .handler = delete_contract, .response = S::none()},
      {.method = "GET", .path = "/api/v1/chains/contracts/{id}/chain", .permission = P::chains_read, .tag = "chains",
       .summary = "The chain of a contract: land → households → cooperatives → lead → facilities → buyers, as a "
                  "graph and on the map",
       .handler = chain_view, .response = S::ref("ChainView")},
      {.method = "POST", .path = "/api/v1/chains/contracts/{id}/deliveries", .permission = P::chains_write,
       .tag = "chains", .summary = "Record a delivery (entered, or taken from an EPCIS event)",
       .body = {{"participant_id", F::integer, true, "a participant of the contract", false, {}, R::id()},
                {"date", F::date, true, "", false, {}},
                {"quantity_kg", F::number, true, "", false, {}, kg},
                {"refused_kg", F::number, false, "offered and not taken by the lead", false, {}, kg},
                {"epcis_event_id", F::string, false, "the EPCIS event it was taken from", false, {}}},
       .success_status = 201, .handler = add_delivery, .response = S::ref("ChainDelivery")},
      {.method = "DELETE", .path = "/api/v1/chains/contracts/{id}/deliveries/{delivery}", .permission = P::chains_write,
       .tag = "chains", .summary = "Delete a delivery", .success_status = 204, .handler = delete_delivery,
       .response = S::none()},
      {.method = "GET", .path = "/api/v1/chains/contracts/{id}/documents", .permission = P::chains_read,
       .tag = "chains", .summary = "The contract's signed documents (files), without their bytes",
       .handler = list_documents, .response = S::array(S::ref("ChainDocument"))},
      {.method = "POST", .path = "/api/v1/chains/contracts/{id}/documents", .permission = P::chains_write,
       .tag = "chains",
       .summary = "Add a signed document: a PDF, JPEG or PNG (the settings document_media_types) of at most "
                  "document_max_mb, its type read from its bytes",
       .body = {{"file", F::object, true, "{name, media_type, content_base64}", false, {}}},
       .success_status = 201, .handler = add_document, .response = S::ref("ChainDocument")},
      {.method = "GET", .path = "/api/v1/chains/contracts/{id}/documents/{document}", .permission = P::chains_read,
       .tag = "chains", .summary = "A signed document's bytes, as an attachment with its name",
       .handler = download_document,
       .response = S::file("application/pdf").or_file("image/jpeg").or_file("image/png")},
      {.method = "DELETE", .path = "/api/v1/chains/contracts/{id}/documents/{document}", .permission = P::chains_write,
       .tag = "chains", .summary = "Delete a signed document", .success_status = 204, .handler = delete_document,
       .response = S::none()},
      {.method = "POST", .path = "/api/v1/chains/contracts/{id}/buyers", .permission = P::chains_write, .tag = "chains",
       .summary = "Add a buyer of the chain (domestic or export)",
       .body = {{"name", F::string, true, "", false, {}},
                {"market", F::string, true, "", false, {"domestic", "export"}},
                {"country", F::string, false, "", false, {}},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = add_buyer, .response = S::ref("ChainBuyer")},
      {.method = "DELETE", .path = "/api/v1/chains/contracts/{id}/buyers/{buyer}", .permission = P::chains_write,
       .tag = "chains", .summary = "Remove a buyer", .success_status = 204, .handler = delete_buyer,
       .response = S::none()},
      {.method = "POST", .path = "/api/v1/chains/contracts/{id}/events", .permission = P::chains_write, .tag = "chains",
       .summary = "Record a trade-promotion event the chain attended, with its result",
       .body = {{"name", F::string, true, "", false, {}},
                {"held_on", F::date, true, "", false, {}},
                {"place", F::string, false, "", false, {}},
                {"result", F::string, false, "", false, {}}},
       .success_status = 201, .handler = add_event, .response = S::ref("ChainTradeEvent")},
      {.method = "DELETE", .path = "/api/v1/chains/contracts/{id}/events/{event}", .permission = P::chains_write,
       .tag = "chains", .summary = "Remove a trade-promotion event", .success_status = 204, .handler = delete_event,
       .response = S::none()},
      {.method = "GET", .path = "/api/v1/chains/linkage", .permission = P::chains_read, .tag = "chains",
       .summary = "The linkage report of a year: one row per contract and participant, and the warnings (behind, "
                  "side-selling, non-purchase)",
       .query = {year, {"as_of", F::date, "the day the warnings judge (default today, or 31 December)", {}}},
       .handler = linkage, .response = S::ref("LinkageReport")},
      {.method = "GET", .path = "/api/v1/chains/facilities", .permission = P::chains_read, .tag = "chains",
       .summary = "Processing facilities within scope", .handler = list_facilities,
       .response = S::object({{"items", S::array(S::ref("ChainFacility"))}})},
      {.method = "POST", .path = "/api/v1/chains/facilities", .permission = P::chains_write, .tag = "chains",
       .summary = "Enter a processing facility: capacity by product, technology level, certifications, zones",
       .body = facility_fields, .success_status = 201, .handler = create_facility, .response = S::ref("ChainFacility")},
      {.method = "GET", .path = "/api/v1/chains/facilities/{id}", .permission = P::chains_read, .tag = "chains",
       .summary = "A processing facility", .handler = get_facility, .response = S::ref("ChainFacility")},
      {.method = "PUT", .path = "/api/v1/chains/facilities/{id}", .permission = P::chains_write, .tag = "chains",
       .summary = "Change a processing facility", .body = facility_fields, .handler = update_facility,
       .response = S::ref("ChainFacility")},
      {.method = "DELETE", .path = "/api/v1/chains/facilities/{id}", .permission = P::chains_write, .tag = "chains",
       .summary = "Delete a processing facility", .success_status = 204, .handler = delete_facility,
       .response = S::none()},
      {.method = "GET", .path = "/api/v1/chains/supply", .permission = P::chains_read, .tag = "chains",
       .summary = "Processing capacity against the zones' expected output per season, by commodity",
       .handler = supply, .response = S::ref("ChainSupply")},
      {.method = "GET", .path = "/api/v1/chains/investments", .permission = P::chains_read, .tag = "chains",
       .summary = "Investment projects for processing plants and industrial clusters", .handler = list_investments,
       .response = S::object({{"items", S::array(S::ref("ChainInvestment"))}})},
      {.method = "POST", .path = "/api/v1/chains/investments", .permission = P::chains_manage, .tag = "chains",
       .summary = "Enter an investment project", .body = investment_fields, .success_status = 201,
       .handler = create_investment, .response = S::ref("ChainInvestment")},
      {.method = "PUT", .path = "/api/v1/chains/investments/{id}", .permission = P::chains_manage, .tag = "chains",
       .summary = "Change an investment project", .body = investment_fields, .handler = update_investment,
       .response = S::ref("ChainInvestment")},
      {.method = "DELETE", .path = "/api/v1/chains/investments/{id}", .permission = P::chains_manage, .tag = "chains",
       .summary = "Delete an investment project", .success_status = 204, .handler = delete_investment,
       .response = S::none()},
      {.method = "GET", .path = "/api/v1/chains/epcis-unmatched", .permission = P::chains_read, .tag = "chains",
       .summary = "Captured EPCIS events that name a contract and were not taken as deliveries, with the reason",
       .handler = unmatched_events, .response = S::object({{"items", S::array(S::ref("ChainUnmatchedEvent"))}})},
      {.method = "GET", .path = "/api/v1/chains/settings", .permission = P::chains_read, .tag = "chains",
       .summary = "Warning thresholds of the linkage report and the rules of signed documents", .handler = get_settings,
       .response = S::ref("ChainSettings")},
      {.method = "PATCH", .path = "/api/v1/chains/settings", .permission = P::chains_manage, .tag = "chains",
       .summary = "Change the warning thresholds or the rules of signed documents",
       .body = {{"behind_pct", F::number, false, "%", false, {}, R::real(0, 100)},
                {"side_selling_pct", F::number, false, "%", false, {}, R::real(0, 100)},
                {"document_max_mb", F::number, false, "largest signed document, MB", false, {}, R::real(0.1, 40)},
                {"document_media_types", F::array, false, "accepted: application/pdf, image/jpeg, image/png", false,
                 {}, std::nullopt, F::string}},
       .handler = save_settings, .response = S::ref("ChainSettings")},
  };
}

}  // namespace nongsan::api
