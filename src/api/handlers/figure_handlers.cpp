#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
Response list_series(RequestContext& ctx) {
  auto r = ctx.services.figures.series(ctx.actor);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  json items = json::array();
  for (const auto& s : *r)
    items.push_back({{"code", s.code}, {"name_vi", s.name_vi}, {"name_en", s.name_en},
                     {"measure_unit", s.measure_unit}, {"illustrative", s.illustrative}, {"source", s.source}});
  return json_response(200, items);
}

Response list_figures(RequestContext& ctx) {
  figures::FigureFilter f;
  f.series = ctx.query_or("series", "");
  if (auto u = ctx.query_int("unit_id")) f.unit = UnitId(*u);
  if (auto y = ctx.query_int("year")) f.year = static_cast<int>(*y);
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  auto r = ctx.services.figures.list(ctx.actor, f);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return page_response(r->items, r->total, ctx);
}

Response get_figure(RequestContext& ctx) {
  return respond(ctx.services.figures.get(ctx.actor, FigureId(ctx.path_id("id"))), ctx);
}

Response create_figure(RequestContext& ctx) {
  figures::FigureInput in;
  in.series = ctx.body["series"].get<std::string>();
  in.unit = UnitId(ctx.body["unit_id"].get<std::int64_t>());
  in.year = static_cast<int>(ctx.body["year"].get<double>());
  in.value = ctx.body["value"].get<double>();
  in.note = ctx.body.value("note", "");
  return respond(ctx.services.figures.create(ctx.actor, in), ctx, 201);
}

Response update_figure(RequestContext& ctx) {
  figures::FigurePatch p;
  if (ctx.body.contains("value")) p.value = ctx.body["value"].get<double>();
  if (ctx.body.contains("note")) p.note = ctx.body["note"].get<std::string>();
  return respond(ctx.services.figures.update(ctx.actor, FigureId(ctx.path_id("id")), p), ctx);
}

Response delete_figure(RequestContext& ctx) {
  auto s = ctx.services.figures.remove(ctx.actor, FigureId(ctx.path_id("id")));
  if (!s) return error_response(s.error(), ctx.request.request_id);
  return no_content();
}

Response rollup(RequestContext& ctx) {
  std::vector<FieldError> missing;
  for (const char* name : {"series", "unit_id", "year"})
    if (ctx.query_or(name, "").empty()) missing.push_back({name, "is required"});
  if (!missing.empty()) return error_response(Error::invalid("missing query parameters", missing), ctx.request.request_id);
  return respond(ctx.services.figures.rollup(ctx.actor, *ctx.query("series"), UnitId(*ctx.query_int("unit_id")),
                                             static_cast<int>(*ctx.query_int("year")), ctx.query_date("as_of")),
                 ctx);
}

Response map_figures(RequestContext& ctx) {
  std::vector<FieldError> missing;
  for (const char* name : {"series", "year"})
    if (ctx.query_or(name, "").empty()) missing.push_back({name, "is required"});
  if (!missing.empty()) return error_response(Error::invalid("missing query parameters", missing), ctx.request.request_id);
  std::optional<admin::AdminLevel> level;
  if (auto l = ctx.query("level"); l && !l->empty()) level = admin::parse_level(*l);
  return respond(ctx.services.figures.map_values(ctx.actor, *ctx.query("series"),
                                                 static_cast<int>(*ctx.query_int("year")), ctx.query_date("as_of"),
                                                 level),
                 ctx);
}
}  // namespace

std::vector<Route> figure_routes() {
  using F = FieldType;
  ParamSpec as_of{"as_of", F::date, "date the hierarchy is read on (default today)", {}};
  ParamSpec series{"series", F::string, "series code", {}};
  ParamSpec year{"year", F::integer, "", {}, NumberRange::year()};
  ParamSpec unit_id{"unit_id", F::integer, "", {}, NumberRange::id()};
  return {
      {.method = "GET", .path = "/api/v1/figures/series", .permission = Permission::figures_read, .tag = "figures",
       .summary = "Statistical series that figures are stored for", .handler = list_series,
       .response = Schema::array(Schema::ref("Series"))},
      {.method = "GET", .path = "/api/v1/figures", .permission = Permission::figures_read, .tag = "figures",
       .summary = "Figures stored against units (only units in the caller's scope)",
       .query = {series, unit_id, year}, .handler = list_figures, .list = true,
       .response = Schema::page(Schema::ref("Figure"))},
      {.method = "POST", .path = "/api/v1/figures", .permission = Permission::figures_write, .tag = "figures",
       .summary = "Store a figure for a unit and a year (the unit must be in the caller's scope)",
       .body = {{"series", F::string, true, "", false, {}},
                {"unit_id", F::integer, true, "", false, {}, NumberRange::id()},
                {"year", F::integer, true, "", false, {}, NumberRange::year()},
                {"value", F::number, true, "", false, {}, NumberRange::real()},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = create_figure, .response = Schema::ref("Figure")},
      {.method = "GET", .path = "/api/v1/figures/rollup", .permission = Permission::figures_read, .tag = "figures",
       .summary = "A unit's value for a year: its own, the sum of its children, or its predecessors' through the "
                  "reform shares, with the contributions",
       .query = {series, unit_id, year, as_of}, .handler = rollup,
       .response = Schema::object(
           {{"unit", Schema::ref("UnitRef")},
            {"series", Schema::string()},
            {"measure_unit", Schema::string()},
            {"year", Schema::integer()},
            {"as_of", Schema::date()},
            {"reference_date", Schema::date()},
            {"value", Schema::number().nullable()},
            {"method", Schema::string().enumerate({"own", "children", "predecessors", "none"})},
            {"contributions", Schema::array(Schema::object({{"unit", Schema::ref("UnitRef").nullable()},
                                                             {"value", Schema::number()},
                                                             {"share", Schema::number()},
                                                             {"method", Schema::string()}}))}})},
      {.method = "GET", .path = "/api/v1/figures/{id}", .permission = Permission::figures_read, .tag = "figures",
       .summary = "One figure", .handler = get_figure, .response = Schema::ref("Figure")},
      {.method = "PATCH", .path = "/api/v1/figures/{id}", .permission = Permission::figures_write, .tag = "figures",
       .summary = "Change a figure's value or note",
       .body = {{"value", F::number, false, "", false, {}, NumberRange::real()}, {"note", F::string, false, "", false, {}}},
       .handler = update_figure, .response = Schema::ref("Figure")},
      {.method = "DELETE", .path = "/api/v1/figures/{id}", .permission = Permission::figures_write, .tag = "figures",
       .summary = "Delete a figure", .success_status = 204, .handler = delete_figure, .response = Schema::none()},
      {.method = "GET", .path = "/api/v1/map/figures", .permission = Permission::figures_read, .tag = "map",
       .summary = "Rolled-up values of every unit valid on a date, for a choropleth",
       .query = {series, year, as_of, {"level", F::string, "", {"province", "district", "commune"}}},
       .handler = map_figures,
       .response = Schema::object({{"series", Schema::string()},
                                   {"year", Schema::integer()},
                                   {"as_of", Schema::date()},
                                   {"items", Schema::array(Schema::object({{"unit_id", Schema::integer()},
                                                                           {"code", Schema::string()},
                                                                           {"name", Schema::string()},
                                                                           {"value", Schema::number().nullable()}}))}})},
  };
}

}  // namespace nongsan::api
