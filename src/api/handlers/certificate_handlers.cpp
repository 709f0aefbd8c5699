// Standards, marks and geographical indications, and certificates with their scope and
// validity. No rules here: each handler is one CertificateService call.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.certificates; }
CivilDate on_of(RequestContext& ctx) { return ctx.query_date("on").value_or(CivilDate::today()); }

Response list(RequestContext& ctx) {
  certificates::CertificateQuery q;
  q.on = on_of(ctx);
  q.kind = ctx.query_or("kind", "");
  q.status = ctx.query_or("status", "");
  q.holder = ctx.query_or("holder", "");
  return respond(svc(ctx).list(ctx.actor, q), ctx);
}
Response get(RequestContext& ctx) { return respond(svc(ctx).get(ctx.actor, ctx.path_params.at("code"), on_of(ctx)), ctx); }
Response save(RequestContext& ctx) { return respond(svc(ctx).save(ctx.actor, ctx.body), ctx); }
Response remove(RequestContext& ctx) { return respond(svc(ctx).remove(ctx.actor, ctx.path_params.at("code")), ctx); }
Response covering(RequestContext& ctx) {
  return respond(svc(ctx).covering(ctx.actor, ctx.query_or("kind", ""), ctx.query_or("target", ""), on_of(ctx)), ctx);
}
Response standards(RequestContext& ctx) { return respond(svc(ctx).standards(ctx.actor), ctx); }
Response save_standard(RequestContext& ctx) { return respond(svc(ctx).save_standard(ctx.actor, ctx.body), ctx); }
Response marks(RequestContext& ctx) { return respond(svc(ctx).marks(ctx.actor), ctx); }
Response save_mark(RequestContext& ctx) { return respond(svc(ctx).save_mark(ctx.actor, ctx.body), ctx); }

using S = Schema;
const std::vector<std::string> kKinds = {"vietgap", "organic", "food_safety", "gi_use", "other"};
const std::vector<std::string> kTargets = {"parcel", "code", "facility", "product", "lot"};
const std::vector<std::string> kStatus = {"valid", "expiring", "expired", "not_yet"};
const std::vector<std::string> kStandardKinds = {"tcvn", "vietgap", "organic", "provincial", "other"};
const std::vector<std::string> kMarkKinds = {"collective", "certification", "geographical_indication"};

Schema certificate_schema() {
  return S::object({{"code", S::string()},
                    {"kind", S::string().enumerate(kKinds)},
                    {"holder", S::string().describe("the producer's external id")},
                    {"holder_name", S::string()},
                    {"issuer", S::string()},
                    {"standard", S::string()},
                    {"mark", S::string()},
                    {"valid_from", S::date()},
                    {"valid_to", S::date()},
                    {"status", S::string().enumerate(kStatus)},
                    {"days_left", S::integer().describe("valid_to − the date")},
                    {"scope", S::array(S::object({{"kind", S::string().enumerate(kTargets)}, {"target", S::string()}}))},
                    {"illustrative", S::boolean()}});
}
Schema standard_schema() {
  return S::object({{"code", S::string()},
                    {"kind", S::string().enumerate(kStandardKinds)},
                    {"name", S::string()},
                    {"source", S::string()},
                    {"illustrative", S::boolean()}});
}
Schema mark_schema() {
  return S::object({{"code", S::string()},
                    {"kind", S::string().enumerate(kMarkKinds)},
                    {"name", S::string()},
                    {"holder", S::string()},
                    {"area", S::string()},
                    {"registration", S::string()},
                    {"granted", S::date().nullable()},
                    {"illustrative", S::boolean()}});
}
Schema certificate_list() {
  return S::object({{"on", S::date()}, {"notice_days", S::integer()}, {"items", S::array(certificate_schema())}});
}

}  // namespace

std::vector<Route> certificate_routes() {
  using F = FieldType;
  using P = Permission;
  ParamSpec on{"on", F::date, "the date the status is computed on (default today)", {}};
  return {
      {.method = "GET", .path = "/api/v1/certificates", .permission = P::ocop_read, .tag = "certificates",
       .summary = "Certificates within scope with their status on a date (expiring: within the notice period)",
       .query = {on,
                 {"kind", F::string, "", kKinds},
                 {"status", F::string, "", kStatus},
                 {"holder", F::string, "the holder's external id", {}}},
       .handler = list, .response = certificate_list()},
      {.method = "POST", .path = "/api/v1/certificates", .permission = P::ocop_enter, .tag = "certificates",
       .summary = "Save a certificate with its scope (a new code creates one, a stored code replaces it)",
       .body = {{"code", F::string, true, "", false, {}},
                {"kind", F::string, true, "", false, kKinds},
                {"holder", F::string, true, "the producer's external id", false, {}},
                {"issuer", F::string, true, "", false, {}},
                {"valid_from", F::date, true, "", false, {}},
                {"valid_to", F::date, true, "", false, {}},
                {"standard", F::string, false, "standard code", false, {}},
                {"mark", F::string, false, "mark or geographical indication code", false, {}},
                {"scope", F::array, false, "[{kind, target}]: parcels, codes, facilities, products, lots", false, {}},
                {"illustrative", F::boolean, false, "", false, {}}},
       .handler = save, .response = certificate_schema()},
      {.method = "GET", .path = "/api/v1/certificate-coverage", .permission = P::ocop_read, .tag = "certificates",
       .summary = "Certificates valid on a date whose scope names the record (a parcel, code, facility, product, lot)",
       .query = {{"kind", F::string, "", kTargets}, {"target", F::string, "the record's external id or code", {}}, on},
       .handler = covering,
       .response = S::object({{"kind", S::string()},
                              {"target", S::string()},
                              {"on", S::date()},
                              {"items", S::array(certificate_schema())}})},
      {.method = "GET", .path = "/api/v1/certificates/{code}", .permission = P::ocop_read, .tag = "certificates",
       .summary = "One certificate with its scope and status on a date", .query = {on}, .handler = get,
       .response = certificate_schema()},
      {.method = "DELETE", .path = "/api/v1/certificates/{code}", .permission = P::ocop_enter, .tag = "certificates",
       .summary = "Delete a certificate entered by mistake (audited)", .handler = remove,
       .response = S::object({{"deleted", S::string()}})},
      {.method = "GET", .path = "/api/v1/standards", .permission = P::ocop_read, .tag = "certificates",
       .summary = "Product standards: TCVN, VietGAP, organic, the province's own", .handler = standards,
       .response = S::object({{"items", S::array(standard_schema())}})},
      {.method = "POST", .path = "/api/v1/standards", .permission = P::ocop_manage, .tag = "certificates",
       .summary = "Save a product standard (by code)",
       .body = {{"code", F::string, true, "", false, {}},
                {"kind", F::string, true, "", false, kStandardKinds},
                {"name", F::string, true, "", false, {}},
                {"source", F::string, false, "", false, {}},
                {"illustrative", F::boolean, false, "", false, {}}},
       .handler = save_standard, .response = standard_schema()},
      {.method = "GET", .path = "/api/v1/marks", .permission = P::ocop_read, .tag = "certificates",
       .summary = "Collective and certification marks and geographical indications with their holders and areas",
       .handler = marks, .response = S::object({{"items", S::array(mark_schema())}})},
      {.method = "POST", .path = "/api/v1/marks", .permission = P::ocop_manage, .tag = "certificates",
       .summary = "Save a mark or a geographical indication (by code)",
       .body = {{"code", F::string, true, "", false, {}},
                {"kind", F::string, true, "", false, kMarkKinds},
                {"name", F::string, true, "", false, {}},
                {"holder", F::string, false, "", false, {}},
                {"area", F::string, false, "the area it covers", false, {}},
                {"registration", F::string, false, "registration number", false, {}},
                {"granted", F::date, false, "", true, {}},
                {"illustrative", F::boolean, false, "", false, {}}},
       .handler = save_mark, .response = mark_schema()},
  };
}

}  // namespace nongsan::api
