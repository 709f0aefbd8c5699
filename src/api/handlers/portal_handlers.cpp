// The public portal (no login): the page /cong-khai, server-rendered without script, and
// the open data it is made from. Every answer is cached by PortalService and may be
// cached by the client and proxies for five minutes.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "modules/portal/portal_page.hpp"

namespace nongsan::api {

using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.portal; }

Response cacheable(Response r) {
  if (r.status == 200) r.headers.emplace_back("Cache-Control", "public, max-age=300");
  return r;
}
Response text(std::string body, std::string type, const std::string& file_name = "") {
  Response r;
  r.content_type = std::move(type);
  r.body = std::move(body);
  if (!file_name.empty()) r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return cacheable(std::move(r));
}

Response page(RequestContext& ctx) {
  auto p = svc(ctx).progress(ctx.query_or("programme", ""), ctx.query_date("as_of"));
  if (!p) return error_response(p.error(), ctx.request.request_id);
  auto z = svc(ctx).zones();
  if (!z) return error_response(z.error(), ctx.request.request_id);
  auto a = svc(ctx).growing_areas();
  if (!a) return error_response(a.error(), ctx.request.request_id);
  auto o = svc(ctx).ocop_products(ctx.query_date("as_of"));
  if (!o) return error_response(o.error(), ctx.request.request_id);
  auto l = svc(ctx).lots();
  if (!l) return error_response(l.error(), ctx.request.request_id);
  Response r = text(portal::portal_html(*p, *z, *a, *o, *l), "text/html; charset=utf-8");
  r.headers.emplace_back("Content-Language", "vi");
  return r;
}
Response progress(RequestContext& ctx) {
  auto p = svc(ctx).progress(ctx.query_or("programme", ""), ctx.query_date("as_of"));
  return p ? cacheable(json_response(200, *p)) : error_response(p.error(), ctx.request.request_id);
}
Response progress_csv(RequestContext& ctx) {
  auto p = svc(ctx).progress(ctx.query_or("programme", ""), ctx.query_date("as_of"));
  if (!p) return error_response(p.error(), ctx.request.request_id);
  return text(portal::PortalService::progress_csv(*p), "text/csv; charset=utf-8", "tien-do-chi-tieu.csv");
}
Response zones(RequestContext& ctx) {
  auto z = svc(ctx).zones();
  return z ? text(z->dump(), "application/geo+json", "vung-san-xuat.geojson") : error_response(z.error(), ctx.request.request_id);
}
Response areas(RequestContext& ctx) {
  auto a = svc(ctx).growing_areas();
  return a ? text(a->dump(), "application/geo+json", "vung-trong-ma-so.geojson") : error_response(a.error(), ctx.request.request_id);
}
Response ocop(RequestContext& ctx) {
  auto o = svc(ctx).ocop_products(ctx.query_date("as_of"));
  return o ? cacheable(json_response(200, *o)) : error_response(o.error(), ctx.request.request_id);
}
Response ocop_csv(RequestContext& ctx) {
  auto o = svc(ctx).ocop_products(ctx.query_date("as_of"));
  if (!o) return error_response(o.error(), ctx.request.request_id);
  return text(portal::PortalService::ocop_csv(*o), "text/csv; charset=utf-8", "san-pham-ocop.csv");
}

using S = Schema;

}  // namespace

std::vector<Route> portal_routes() {
  using F = FieldType;
  ParamSpec programme{"programme", F::string, "programme code (default: the first)", {}};
  ParamSpec as_of{"as_of", F::date, "date of the figures (default today)", {}};
  const S fc = S::open_object({{"type", S::string()}, {"licence", S::string()}, {"features", S::array(S::any())}});
  return {
      {.method = "GET", .path = "/cong-khai", .is_public = true, .tag = "portal",
       .summary = "The public portal: progress by indicator and unit, map of zones and certified growing areas, OCOP "
                  "products, open data (no login, no script, no personal data)",
       .query = {programme, as_of}, .handler = page, .response = S::file("text/html")},
      {.method = "GET", .path = "/api/v1/public/progress", .is_public = true, .tag = "portal",
       .summary = "The programme's progress by indicator and unit (open data, CC BY 4.0)", .query = {programme, as_of},
       .handler = progress,
       .response = S::object({{"programmes", S::array(S::object({{"code", S::string()}, {"name_vi", S::string()}}))},
                              {"programme", S::object({{"code", S::string()}, {"name_vi", S::string()}})},
                              {"milestone", S::integer()},
                              {"as_of", S::date()},
                              {"indicators", S::array(S::open_object({{"code", S::string()}, {"name_vi", S::string()}, {"status", S::string()}}))},
                              {"units", S::array(S::open_object({{"code", S::string()}, {"name", S::string()}}))},
                              {"licence", S::string()},
                              {"illustrative", S::boolean()}})},
      {.method = "GET", .path = "/api/v1/public/progress.csv", .is_public = true, .tag = "portal",
       .summary = "The progress as CSV (open data, CC BY 4.0)", .query = {programme, as_of}, .handler = progress_csv,
       .response = S::file("text/csv")},
      {.method = "GET", .path = "/api/v1/public/zones.geojson", .is_public = true, .tag = "portal",
       .summary = "The production zones as GeoJSON (open data, CC BY 4.0)", .handler = zones, .response = S::file("application/geo+json")},
      {.method = "GET", .path = "/api/v1/public/growing-areas.geojson", .is_public = true, .tag = "portal",
       .summary = "The parcels of issued growing-area codes as GeoJSON, without their holders (open data, CC BY 4.0)",
       .handler = areas, .response = S::file("application/geo+json")},
      {.method = "GET", .path = "/api/v1/public/ocop", .is_public = true, .tag = "portal",
       .summary = "The OCOP products certified on a date, with their stars", .query = {as_of}, .handler = ocop,
       .response = S::object({{"as_of", S::date()}, {"licence", S::string()},
                              {"items", S::array(S::object({{"code", S::string()}, {"name", S::string()}, {"stars", S::integer()},
                                                            {"status", S::string()}, {"expires", S::date().nullable()},
                                                            {"unit", S::string().nullable()}}))}})},
      {.method = "GET", .path = "/api/v1/public/ocop.csv", .is_public = true, .tag = "portal",
       .summary = "The OCOP products as CSV (open data, CC BY 4.0)", .query = {as_of}, .handler = ocop_csv,
       .response = S::file("text/csv")},
  };
}

}  // namespace nongsan::api
