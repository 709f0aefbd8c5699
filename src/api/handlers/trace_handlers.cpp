// GS1 Digital Link resolution and lot labels: the public page of /01/{gtin}/10/{lot}
// (HTML or the GS1 linkset), the QR code of a lot as SVG, the GTIN table. No rules here:
// each handler is TraceService calls and the trace module's renderers.
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "modules/trace/public_page.hpp"
#include "modules/trace/qr_code.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

auto& svc(RequestContext& ctx) { return ctx.services.trace; }

// The server's own address as the client reached it: the default resolver base.
std::string own_address(const RequestContext& ctx) {
  std::string host = ctx.request.header("host");
  if (host.empty() || host.find_first_of(" \t\"<>/\\") != std::string::npos) host = "localhost";
  return std::string(ctx.services.settings.secure_cookies ? "https://" : "http://") + host;
}

bool wants_linkset(const RequestContext& ctx) {
  return ctx.request.header("accept").find("application/linkset+json") != std::string::npos;
}

Response public_page(RequestContext& ctx) {
  auto base = svc(ctx).resolver(own_address(ctx));
  if (!base) return error_response(base.error(), ctx.request.request_id);
  auto lot = svc(ctx).public_lot(ctx.path_params.at("gtin"), ctx.path_params.at("lot"), *base);
  if (!lot) return error_response(lot.error(), ctx.request.request_id);
  Response r;
  r.status = trace::public_page_status(*lot);
  r.headers.emplace_back("Vary", "Accept, Accept-Language");
  if (wants_linkset(ctx) && lot->state == trace::PublicLot::State::ok) {
    r.content_type = "application/linkset+json";
    r.body = trace::public_linkset(*lot, *base).dump();
    return r;
  }
  const std::string lang = ctx.query_or("lang", ctx.request.language);
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Content-Language", lang == "en" ? "en" : "vi");
  r.body = trace::public_page_html(*lot, lang);
  if (lot->state == trace::PublicLot::State::ok)
    r.headers.emplace_back("Link", "<" + lot->uri + ">; rel=\"https://gs1.org/voc/pip\"");
  return r;
}

Response qr_svg(RequestContext& ctx) {
  auto base = svc(ctx).resolver(own_address(ctx));
  if (!base) return error_response(base.error(), ctx.request.request_id);
  auto label = svc(ctx).label(ctx.actor, ctx.query_or("gtin", ""), ctx.query_or("lot", ""), *base);
  if (!label) return error_response(label.error(), ctx.request.request_id);
  auto m = trace::encode_qr(label->uri);
  if (!m) return error_response(m.error(), ctx.request.request_id);
  Response r;
  r.content_type = "image/svg+xml";
  r.body = trace::qr_svg(*m, 4, label->uri);
  return r;
}

Response label(RequestContext& ctx) {
  auto base = svc(ctx).resolver(own_address(ctx));
  if (!base) return error_response(base.error(), ctx.request.request_id);
  auto l = svc(ctx).label(ctx.actor, ctx.query_or("gtin", ""), ctx.query_or("lot", ""), *base);
  if (!l) return error_response(l.error(), ctx.request.request_id);
  return json_response(200, json{{"gtin", l->gtin}, {"lot", l->lot}, {"uri", l->uri}, {"product_vi", l->product_vi},
                                 {"product_en", l->product_en}, {"illustrative", l->illustrative}});
}

Response gtins(RequestContext& ctx) {
  auto r = svc(ctx).gtins(ctx.actor);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  json items = json::array();
  for (const auto& g : *r)
    items.push_back({{"gtin", g.gtin}, {"crop", g.crop}, {"name_vi", g.name_vi}, {"name_en", g.name_en},
                     {"illustrative", g.illustrative}});
  return json_response(200, json{{"items", items}});
}

using S = Schema;

}  // namespace

std::vector<Route> trace_routes() {
  using F = FieldType;
  using P = Permission;
  ParamSpec gtin{"gtin", F::string, "GTIN-8, -12, -13 or -14 (in the GTIN table)", {}};
  ParamSpec lot{"lot", F::string, "the lot code of a diary harvest", {}};
  return {
      {.method = "GET", .path = "/01/{gtin}/10/{lot}", .is_public = true, .tag = "trace",
       .summary = "GS1 Digital Link of a lot: the public page (no login; vi/en by ?lang= or Accept-Language), or "
                  "the GS1 linkset with Accept: application/linkset+json. 404 page for a bad GTIN or unknown lot",
       .query = {{"lang", F::string, "page language", {"vi", "en"}}},
       .handler = public_page,
       .response = S::file("text/html").or_file("application/linkset+json")},
      {.method = "GET", .path = "/api/v1/trace/gtins", .permission = P::diary_read, .tag = "trace",
       .summary = "The GTIN table: the GTIN that names each crop's product in Digital Link URIs", .handler = gtins,
       .response = S::object({{"items", S::array(S::object({{"gtin", S::string()},
                                                            {"crop", S::string()},
                                                            {"name_vi", S::string()},
                                                            {"name_en", S::string()},
                                                            {"illustrative", S::boolean()}}))}})},
      {.method = "GET", .path = "/api/v1/trace/label", .permission = P::diary_read, .tag = "trace",
       .summary = "The Digital Link URI of a lot in scope (409 for a held lot, 404 for an unknown lot)",
       .query = {gtin, lot}, .handler = label,
       .response = S::object({{"gtin", S::string()},
                              {"lot", S::string()},
                              {"uri", S::string()},
                              {"product_vi", S::string()},
                              {"product_en", S::string()},
                              {"illustrative", S::boolean()}})},
      {.method = "GET", .path = "/api/v1/trace/qr.svg", .permission = P::diary_read, .tag = "trace",
       .summary = "The QR code (SVG) of a lot's Digital Link URI; refused for a held lot (409)",
       .query = {gtin, lot}, .handler = qr_svg, .response = S::file("image/svg+xml")},
  };
}

}  // namespace nongsan::api
