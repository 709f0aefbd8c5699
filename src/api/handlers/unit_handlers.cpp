#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
Response list_units(RequestContext& ctx) {
  admin::UnitFilter f;
  f.as_of = ctx.query_date("as_of");
  if (auto l = ctx.query("level"); l && !l->empty()) f.level = admin::parse_level(*l);
  if (auto p = ctx.query_int("parent_id")) f.parent = UnitId(*p);
  f.q = ctx.query_or("q", "");
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  auto r = ctx.services.admin.list(ctx.actor, f);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return page_response(r->items, r->total, ctx);
}

Response get_unit(RequestContext& ctx) {
  return respond(ctx.services.admin.detail(ctx.actor, UnitId(ctx.path_id("id")), ctx.query_date("as_of")), ctx);
}

Response map_units(RequestContext& ctx) {
  std::optional<admin::AdminLevel> level;
  if (auto l = ctx.query("level"); l && !l->empty()) level = admin::parse_level(*l);
  auto r = ctx.services.admin.map_layer(ctx.actor, ctx.query_date("as_of"), level);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  Response resp = json_response(200, *r);
  resp.content_type = "application/geo+json; charset=utf-8";
  return resp;
}
}  // namespace

std::vector<Route> unit_routes() {
  using F = FieldType;
  const std::vector<std::string> levels = {"province", "district", "commune"};
  ParamSpec as_of{"as_of", F::date, "date the hierarchy is read on (default today, Asia/Ho_Chi_Minh)", {}};
  return {
      {.method = "GET", .path = "/api/v1/units", .permission = Permission::units_read, .tag = "units",
       .summary = "Administrative units valid on a date",
       .query = {as_of, {"level", F::string, "", levels}, {"parent_id", F::integer, "only children of this unit", {}, NumberRange::id()},
                 {"q", F::string, "name or code; diacritics are ignored (\"muong te\" finds \"Mường Tè\")", {}}},
       .handler = list_units, .list = true, .response = Schema::page(Schema::ref("Unit"))},
      {.method = "GET", .path = "/api/v1/units/{id}", .permission = Permission::units_read, .tag = "units",
       .summary = "One unit with its children, ancestors, predecessors and successors", .query = {as_of},
       .handler = get_unit, .response = Schema::ref("UnitDetail")},
      {.method = "GET", .path = "/api/v1/map/units", .permission = Permission::units_read, .tag = "map",
       .summary = "GeoJSON of the units valid on a date (WGS 84)", .query = {as_of, {"level", F::string, "", levels}},
       .handler = map_units,
       .response = Schema::ref("GeoJsonFeatureCollection")
                       .media_type("application/geo+json")
                       .describe("properties: id, code, name, level, kind, geom_source, parent_id, area_ha")},
  };
}

}  // namespace nongsan::api
