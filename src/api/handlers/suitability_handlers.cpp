// Land suitability, planning side: profiles with history, raster layers, runs over
// the registry, summaries, the planning reports (JSON, CSV, GeoPackage), one
// parcel's suitability, and the map (class tiles, the click on a point,
// re-evaluating an area with an unsaved profile). The work is in the services of
// modules/suitability (suitability_service.hpp hands them out).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/vector_io.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {

json table_json(const suitability::TableOut& t) {
  json rows = json::array();
  for (const auto& r : t.rows) {
    json o;
    for (std::size_t i = 0; i < t.columns.size() && i < r.size(); ++i) o[t.columns[i]] = r[i];
    rows.push_back(o);
  }
  return rows;
}

Response download(std::string body, const std::string& type, const std::string& filename) {
  Response r;
  r.status = 200;
  r.content_type = type;
  r.body = std::move(body);
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + filename + "\""});
  return r;
}

Result<std::string> gpkg_bytes(const suitability::TableOut& t, const std::string& layer) {
  static std::atomic<unsigned> counter{0};
  auto path = std::filesystem::temp_directory_path() /
              ("nongsan-" + layer + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".gpkg");
  if (auto st = suitability::write_gpkg(t, path.string(), layer); !st) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return st.error();
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return ss.str();
}

// The rows with their geometries as GeoJSON (the report's map layer in the UI).
Response geojson_response(const suitability::TableOut& t) {
  json features = json::array();
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    json props;
    for (std::size_t k = 0; k < t.columns.size(); ++k) props[t.columns[k]] = t.rows[i][k];
    json geom = nullptr;
    if (i < t.geometries.size() && t.geometries[i])
      if (auto g = geo::to_geojson(*t.geometries[i], 6)) geom = json::parse(*g, nullptr, false);
    features.push_back({{"type", "Feature"}, {"properties", props}, {"geometry", geom}});
  }
  Response r = json_response(200, json{{"type", "FeatureCollection"}, {"features", features}});
  r.content_type = "application/geo+json; charset=utf-8";
  return r;
}

Response table_response(RequestContext& ctx, Result<suitability::TableOut> t, const std::string& name) {
  if (!t) return error_response(t.error(), ctx.request.request_id);
  std::string format = ctx.query_or("format", "json");
  if (format == "csv") return download(suitability::to_csv(*t), "text/csv; charset=utf-8", name + ".csv");
  if (format == "geojson") return geojson_response(*t);
  if (format == "gpkg") {
    auto b = gpkg_bytes(*t, name);
    if (!b) return error_response(b.error(), ctx.request.request_id);
    return download(std::move(*b), "application/geopackage+sqlite3", name + ".gpkg");
  }
  return json_response(200, json{{"columns", t->columns}, {"items", table_json(*t)}});
}

std::string crop_of(RequestContext& ctx) { return ctx.path_params.at("crop"); }

Response list_profiles(RequestContext& ctx) { return respond(ctx.services.suitability.profiles().list(ctx.actor), ctx); }
Response get_profile(RequestContext& ctx) {
  return respond(ctx.services.suitability.profiles().get(ctx.actor, crop_of(ctx)), ctx);
}
Response profile_history(RequestContext& ctx) {
  return respond(ctx.services.suitability.profiles().history(ctx.actor, crop_of(ctx)), ctx);
}
Response create_profile(RequestContext& ctx) {
  const json& p = ctx.body["profile"];
  std::string crop = p.is_object() && p.contains("crop") && p["crop"].is_string() ? p["crop"].get<std::string>() : "";
  if (crop.empty())
    return error_response(Error::invalid("the profile names no crop", {{"profile.crop", "is required"}}),
                          ctx.request.request_id);
  return respond(ctx.services.suitability.profiles().save(ctx.actor, crop, p, ctx.body.value("note", ""), true), ctx, 201);
}
Response update_profile(RequestContext& ctx) {
  return respond(ctx.services.suitability.profiles().save(ctx.actor, crop_of(ctx), ctx.body["profile"],
                                                       ctx.body.value("note", ""), false),
                 ctx);
}
Response delete_profile(RequestContext& ctx) {
  auto s = ctx.services.suitability.profiles().remove(ctx.actor, crop_of(ctx));
  if (!s) return error_response(s.error(), ctx.request.request_id);
  return no_content();
}
Response import_profiles(RequestContext& ctx) {
  return respond(ctx.services.suitability.profiles().import(ctx.actor, ctx.body["profiles"], ctx.body.value("note", "")),
                 ctx);
}
Response export_profiles(RequestContext& ctx) {
  auto r = ctx.services.suitability.profiles().export_all(ctx.actor);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return download(r->dump(1), "application/json; charset=utf-8", "crop-profiles.json");
}

Response list_layers(RequestContext& ctx) { return respond(ctx.services.suitability.layers().list(ctx.actor), ctx); }
Response register_layer(RequestContext& ctx) {
  suitability::LayerInput in;
  const json& b = ctx.body;
  in.name = b.value("name", "");
  in.path = b.value("path", "");
  in.kind = b.value("kind", "");
  in.unit = b.value("unit", "");
  in.description = b.value("description", "");
  in.source = b.value("source", "");
  in.derived_from = b.value("derived_from", "");
  if (b.contains("illustrative")) in.illustrative = b["illustrative"].get<bool>();
  if (b.contains("codes"))
    for (const auto& [k, v] : b["codes"].items()) in.codes[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return respond(ctx.services.suitability.layers().add(ctx.actor, in), ctx, 201);
}
Response delete_layer(RequestContext& ctx) {
  auto s = ctx.services.suitability.layers().remove(ctx.actor, ctx.path_params.at("name"));
  if (!s) return error_response(s.error(), ctx.request.request_id);
  return no_content();
}

Response start_run(RequestContext& ctx) {
  suitability::RunOptions o;
  o.crop = ctx.body.value("crop", "");
  o.all_crops = ctx.body.value("all_crops", false);
  o.commune = ctx.body.value("commune", "");
  return respond(ctx.services.suitability.runs().run(ctx.actor, o), ctx);
}
Response list_runs(RequestContext& ctx) {
  return respond(ctx.services.suitability.runs().runs(ctx.actor, ctx.query_or("crop", "")), ctx);
}
Response parcels(RequestContext& ctx) {
  return table_response(
      ctx, ctx.services.suitability.reports().parcel_table(ctx.actor, ctx.query_or("crop", ""), ctx.query_or("commune", "")),
      "parcel_suitability");
}
Response zones(RequestContext& ctx) {
  return table_response(ctx, ctx.services.suitability.reports().zone_table(ctx.actor, ctx.query_or("crop", "")), "zone_summary");
}
Response units(RequestContext& ctx) {
  return table_response(ctx, ctx.services.suitability.reports().unit_table(ctx.actor, ctx.query_or("crop", "")), "unit_summary");
}
Response zone_report(RequestContext& ctx) {
  double share = ctx.query_number("min_share").value_or(0.3);
  return table_response(ctx, ctx.services.suitability.reports().zone_report(ctx.actor, ctx.query_or("crop", ""), share),
                        "zone_suitability");
}
Response candidate_land(RequestContext& ctx) {
  std::vector<int> classes;
  std::vector<FieldError> errors;
  std::stringstream in(ctx.query_or("classes", "S1,S2"));
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "S1") classes.push_back(1);
    else if (item == "S2") classes.push_back(2);
    else if (item == "S3") classes.push_back(3);
    else if (item == "N") classes.push_back(4);
    else errors.push_back({"classes", "'" + item + "' is not S1, S2, S3 or N"});
  }
  if (!errors.empty()) return error_response(Error::invalid("bad classes", errors), ctx.request.request_id);
  auto r = ctx.services.suitability.reports().candidate_land(ctx.actor, classes);
  if (r)
    if (auto crop = ctx.query_or("crop", ""); !crop.empty()) {
      // Only the rows of one crop (the map layer of the crop shown).
      suitability::TableOut keep;
      keep.columns = r->parcels.columns;
      std::size_t col = 0;
      for (std::size_t k = 0; k < keep.columns.size(); ++k)
        if (keep.columns[k] == "crop") col = k;
      for (std::size_t i = 0; i < r->parcels.rows.size(); ++i)
        if (r->parcels.rows[i][col] == crop) {
          keep.rows.push_back(r->parcels.rows[i]);
          keep.geometries.push_back(i < r->parcels.geometries.size() ? r->parcels.geometries[i] : std::nullopt);
        }
      r->parcels = std::move(keep);
    }
  if (!r) return error_response(r.error(), ctx.request.request_id);
  std::string format = ctx.query_or("format", "json");
  if (format == "csv")
    return ctx.query_or("table", "parcels") == "totals"
               ? download(suitability::to_csv(r->totals), "text/csv; charset=utf-8", "candidate_land_totals.csv")
               : download(suitability::to_csv(r->parcels), "text/csv; charset=utf-8", "candidate_land.csv");
  if (format == "geojson") return geojson_response(r->parcels);
  if (format == "gpkg") {
    auto b = gpkg_bytes(r->parcels, "candidate_land");
    if (!b) return error_response(b.error(), ctx.request.request_id);
    return download(std::move(*b), "application/geopackage+sqlite3", "candidate_land.gpkg");
  }
  return json_response(200, json{{"parcels", table_json(r->parcels)}, {"totals", table_json(r->totals)}});
}

Response parcel_suitability(RequestContext& ctx) {
  return respond(ctx.services.suitability.parcels().of_parcel(ctx.actor, registry::ParcelId(ctx.path_id("id"))), ctx);
}

Response map_info(RequestContext& ctx) { return respond(ctx.services.suitability.map().map_info(ctx.actor, crop_of(ctx)), ctx); }
Response tile(RequestContext& ctx) {
  std::string ys = ctx.path_params.at("y");
  if (ys.ends_with(".png")) ys.resize(ys.size() - 4);
  auto z = parse_integer(ctx.path_params.at("z"), NumberRange::int32(0, 30), "z");
  auto x = parse_integer(ctx.path_params.at("x"), NumberRange::int32(0), "x");
  auto y = parse_integer(ys, NumberRange::int32(0), "y");
  if (!z || !x || !y) return error_response(Error::invalid("bad tile", {{"z/x/y", "integers"}}), ctx.request.request_id);
  auto png = ctx.services.suitability.map().tile_png(ctx.actor, crop_of(ctx), static_cast<int>(*z), static_cast<int>(*x),
                                              static_cast<int>(*y));
  if (!png) return error_response(png.error(), ctx.request.request_id);
  Response r;
  r.content_type = "image/png";
  r.body = std::move(*png);
  return r;
}
Response point(RequestContext& ctx) {
  auto lon = ctx.query_number("lon"), lat = ctx.query_number("lat");
  if (!lon || !lat) return error_response(Error::invalid("where?", {{"lon/lat", "are required"}}), ctx.request.request_id);
  return respond(ctx.services.suitability.map().point(ctx.actor, crop_of(ctx), *lon, *lat), ctx);
}
Response evaluate_area(RequestContext& ctx) {
  suitability::AreaSpec area;
  const json& b = ctx.body;
  if (b.contains("bbox")) {
    const json& bb = b["bbox"];
    if (!bb.is_array() || bb.size() != 4 || !std::all_of(bb.begin(), bb.end(), [](const json& v) { return v.is_number(); }))
      return error_response(Error::invalid("bad bbox", {{"bbox", "[min_lon, min_lat, max_lon, max_lat]"}}),
                            ctx.request.request_id);
    area.bbox = std::array<double, 4>{bb[0].get<double>(), bb[1].get<double>(), bb[2].get<double>(), bb[3].get<double>()};
  }
  area.zone = b.value("zone", "");
  area.commune = b.value("commune", "");
  return respond(ctx.services.suitability.map().evaluate_area(ctx.actor, b["profile"], area), ctx);
}

}  // namespace

std::vector<Route> suitability_routes() {
  using F = FieldType;
  const auto R = Permission::suitability_read;
  const auto W = Permission::suitability_write;
  ParamSpec crop{"crop", F::string, "crop code of a profile", {}};
  ParamSpec format{"format", F::string, "json (default), csv, gpkg or geojson", {"json", "csv", "gpkg", "geojson"}};
  ParamSpec format2{"format", F::string, "json (default) or csv", {"json", "csv"}};
  return {
      {.method = "GET", .path = "/api/v1/suitability/profiles", .permission = R, .tag = "suitability",
       .summary = "Crop profiles (method, version, unsourced factors)", .handler = list_profiles,
       .response = Schema::object({{"items", Schema::array(Schema::ref("CropProfileSummary"))}})},
      {.method = "POST", .path = "/api/v1/suitability/profiles", .permission = W, .tag = "suitability",
       .summary = "Create a crop profile (errors name the JSON path)",
       .body = {{"profile", F::object, true, "the profile JSON", false, {}}, {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = create_profile,
       .response = Schema::ref("CropProfile")},
      {.method = "POST", .path = "/api/v1/suitability/profiles/import", .permission = W, .tag = "suitability",
       .summary = "Import one profile or an array of them, all or nothing; each saved profile gets a new version",
       .body = {{"profiles", F::array, false, "array of profiles", false, {}}, {"note", F::string, false, "", false, {}}},
       .handler = import_profiles,
       .response = Schema::object({{"imported", Schema::array(Schema::object({{"crop", Schema::string()}, {"version", Schema::integer()}, {"sourced", Schema::boolean()}}))}})},
      {.method = "GET", .path = "/api/v1/suitability/profiles/export", .permission = R, .tag = "suitability",
       .summary = "Every stored profile as one JSON array (download)", .handler = export_profiles,
       .response = Schema::array(Schema::ref("CropProfileDocument")).describe("crop-profiles.json, as an attachment")},
      {.method = "GET", .path = "/api/v1/suitability/profiles/{crop}", .permission = R, .tag = "suitability",
       .summary = "One crop profile with its JSON", .handler = get_profile,
       .response = Schema::ref("CropProfile")},
      {.method = "PUT", .path = "/api/v1/suitability/profiles/{crop}", .permission = W, .tag = "suitability",
       .summary = "Save a new version of a crop profile (the old one stays in the history)",
       .body = {{"profile", F::object, true, "the profile JSON", false, {}}, {"note", F::string, false, "", false, {}}},
       .handler = update_profile,
       .response = Schema::ref("CropProfile")},
      {.method = "DELETE", .path = "/api/v1/suitability/profiles/{crop}", .permission = W, .tag = "suitability",
       .summary = "Delete a crop profile and its history", .success_status = 204, .handler = delete_profile,
       .response = Schema::none()},
      {.method = "GET", .path = "/api/v1/suitability/profiles/{crop}/history", .permission = R, .tag = "suitability",
       .summary = "Every saved version of a profile, newest first", .handler = profile_history,
       .response = Schema::object({{"crop", Schema::string()}, {"items", Schema::array(Schema::object({{"version", Schema::integer()}, {"updated_by", Schema::string()}, {"updated_at", Schema::date_time()}, {"note", Schema::string()}, {"profile", Schema::ref("CropProfileDocument")}}))}})},
      {.method = "GET", .path = "/api/v1/suitability/layers", .permission = R, .tag = "suitability",
       .summary = "Registered raster layers and whether their files can be read", .handler = list_layers,
       .response = Schema::object({{"items", Schema::array(Schema::ref("RasterLayer"))}, {"folder", Schema::string().optional().describe("the raster folder; administrators only")}})},
      {.method = "POST", .path = "/api/v1/suitability/layers", .permission = W, .tag = "suitability",
       .summary = "Register (or replace) a raster layer: a GeoTIFF inside the raster folder (setting raster_dir), its "
                  "path relative to the folder or absolute; paths are shown to administrators only",
       .body = {{"name", F::string, true, "factor layer name", false, {}},
                {"path", F::string, true, "", false, {}},
                {"kind", F::string, true, "", false, {"continuous", "categorical"}},
                {"unit", F::string, false, "", false, {}},
                {"description", F::string, false, "", false, {}},
                {"source", F::string, false, "", false, {}},
                {"derived_from", F::string, false, "", false, {}},
                {"codes", F::object, false, "categorical: code -> label", false, {}},
                {"illustrative", F::boolean, false, "", false, {}}},
       .success_status = 201, .handler = register_layer,
       .response = Schema::object({{"name", Schema::string()}, {"kind", Schema::string().enumerate({"continuous", "categorical"})}, {"illustrative", Schema::boolean()}, {"path", Schema::string().optional().describe("administrators only")}, {"derived", Schema::array(Schema::object({{"name", Schema::string()}, {"path", Schema::string().optional()}})).optional().describe("layers derived from this one (slope from elevation)")}})},
      {.method = "DELETE", .path = "/api/v1/suitability/layers/{name}", .permission = W, .tag = "suitability",
       .summary = "Unregister a raster layer (the file stays)", .success_status = 204, .handler = delete_layer,
       .response = Schema::none()},
      {.method = "POST", .path = "/api/v1/suitability/runs", .permission = W, .tag = "suitability",
       .summary = "Evaluate the registry's parcels and zones for a crop (or every crop) and store the areas by class",
       .body = {{"crop", F::string, false, "", false, {}},
                {"all_crops", F::boolean, false, "", false, {}},
                {"commune", F::string, false, "commune code: only its parcels", false, {}}},
       .handler = start_run,
       .response = Schema::object({{"runs", Schema::array(Schema::object({{"run_id", Schema::integer()}, {"crop", Schema::string()}, {"profile_version", Schema::integer()}, {"parcels", Schema::integer()}, {"zones", Schema::integer()}, {"hectares", Schema::ref("HectaresByClass")}, {"data_hash", Schema::string()}, {"seconds", Schema::number()}}))}})},
      {.method = "GET", .path = "/api/v1/suitability/runs", .permission = R, .tag = "suitability",
       .summary = "The last evaluation runs", .query = {crop}, .handler = list_runs,
       .response = Schema::object({{"items", Schema::array(Schema::ref("SuitabilityRun"))}})},
      {.method = "GET", .path = "/api/v1/suitability/parcels", .permission = R, .tag = "suitability",
       .summary = "Per parcel: hectares by class, dominant class and limiting factor",
       .query = {crop, {"commune", F::string, "commune code", {}}, format2}, .handler = parcels,
       .response = Schema::ref("SuitabilityTable").or_file("text/csv")},
      {.method = "GET", .path = "/api/v1/suitability/zones", .permission = R, .tag = "suitability",
       .summary = "Per zone: hectares by class and the limiting factors of its S3/N land", .query = {crop, format2},
       .handler = zones,
       .response = Schema::ref("SuitabilityTable").or_file("text/csv")},
      {.method = "GET", .path = "/api/v1/suitability/units", .permission = R, .tag = "suitability",
       .summary = "Per commune, district and province: hectares by class of the registry's parcels",
       .query = {crop, format2}, .handler = units,
       .response = Schema::ref("SuitabilityTable").or_file("text/csv")},
      {.method = "GET", .path = "/api/v1/suitability/reports/zone-suitability", .permission = R, .tag = "suitability",
       .summary = "Zones planned for a crop with more than a share of S3/N land, with the limiting factors",
       .query = {crop, {"min_share", F::number, "0–1 (default 0.3)", {}, NumberRange::real(0, 1)}, format}, .handler = zone_report,
       .response = Schema::ref("SuitabilityTable").or_file("text/csv").or_file("application/geopackage+sqlite3").or_content(Schema::ref("SuitabilityTableMap").media_type("application/geo+json"))},
      {.method = "GET", .path = "/api/v1/suitability/reports/candidate-land", .permission = R, .tag = "suitability",
       .summary = "Idle and inefficient rice land that is S1/S2 for another crop, with hectares per commune",
       .query = {{"classes", F::string, "default S1,S2", {}}, {"crop", F::string, "only this crop", {}}, format,
                 {"table", F::string, "csv: parcels (default) or totals", {"parcels", "totals"}}},
       .handler = candidate_land,
       .response = Schema::object({{"parcels", Schema::array(Schema::map(Schema::string()))}, {"totals", Schema::array(Schema::map(Schema::string()))}}).or_file("text/csv").or_file("application/geopackage+sqlite3").or_content(Schema::ref("SuitabilityTableMap").media_type("application/geo+json"))},
      {.method = "GET", .path = "/api/v1/parcels/{id}/suitability", .permission = R, .tag = "suitability",
       .summary = "One parcel's suitability per crop: dominant class, limiting factor and hectares by class, with the "
                  "run that gave them (the same scope as reading the parcel)",
       .handler = parcel_suitability,
       .response = Schema::object({{"parcel_id", Schema::integer()}, {"items", Schema::array(Schema::object({{"crop", Schema::string()}, {"name_vi", Schema::string()}, {"name_en", Schema::string()}, {"dominant_class", Schema::string()}, {"limiting_factor", Schema::string().nullable()}, {"hectares", Schema::ref("HectaresByClass")}, {"total_ha", Schema::number()}, {"run_id", Schema::integer()}, {"profile_version", Schema::integer()}, {"run_at", Schema::date_time()}}))}})},
      {.method = "POST", .path = "/api/v1/suitability/evaluate-area", .permission = R, .tag = "suitability",
       .summary = "Evaluate a (possibly unsaved) profile over a bbox, zone or commune: hectares by class and an image",
       .body = {{"profile", F::object, true, "", false, {}},
                {"bbox", F::array, false, "[min_lon, min_lat, max_lon, max_lat]", false, {}, NumberRange::real(-180, 180), F::number},
                {"zone", F::string, false, "zone code", false, {}},
                {"commune", F::string, false, "commune code", false, {}}},
       .handler = evaluate_area,
       .response = Schema::object({{"crop", Schema::string()}, {"area", Schema::string()}, {"area_ha", Schema::number()}, {"hectares", Schema::ref("HectaresByClass")}, {"limiting", Schema::array(Schema::object({{"factor", Schema::string()}, {"ha", Schema::number()}}))}, {"image_corners", Schema::array(Schema::array(Schema::number())).optional().describe("top-left, top-right, bottom-right, bottom-left")}, {"image", Schema::string().optional().describe("data:image/png;base64,…")}})},
      {.method = "GET", .path = "/api/v1/suitability/{crop}/map", .permission = R, .tag = "suitability",
       .summary = "Extent, layers and flags of a crop's class map", .handler = map_info,
       .response = Schema::object({{"crop", Schema::string()}, {"name_vi", Schema::string()}, {"version", Schema::integer()}, {"sourced", Schema::boolean()}, {"illustrative", Schema::boolean()}, {"layers", Schema::array(Schema::object({{"layer", Schema::string()}, {"unit", Schema::string()}, {"unit_vi", Schema::string()}, {"registered", Schema::boolean()}, {"illustrative", Schema::boolean()}, {"sourced", Schema::boolean()}, {"advisory", Schema::boolean()}}))}, {"bounds", Schema::array(Schema::number()).optional().describe("min_lon, min_lat, max_lon, max_lat")}, {"error", Schema::string().optional().describe("why the layers cannot be read")}, {"last_run", Schema::object({{"id", Schema::integer()}, {"run_at", Schema::date_time()}, {"parcels", Schema::integer()}, {"zones", Schema::integer()}}).optional()}})},
      {.method = "GET", .path = "/api/v1/suitability/{crop}/tiles/{z}/{x}/{y}", .permission = R, .tag = "suitability",
       .summary = "Class map tile (256 px PNG, EPSG:3857; y may end in .png)",
       .query = {{"v", F::string, "profile version, for browser caches (not used by the server)", {}}}, .handler = tile,
       .response = Schema::file("image/png")},
      {.method = "GET", .path = "/api/v1/suitability/{crop}/point", .permission = R, .tag = "suitability",
       .summary = "At a point: each factor's value, class and rating, the class, limiting factor and index",
       .query = {{"lon", F::number, "", {}, NumberRange::real(-180, 180)}, {"lat", F::number, "", {}, NumberRange::real(-90, 90)}}, .handler = point,
       .response = Schema::object({{"crop", Schema::string()}, {"lon", Schema::number()}, {"lat", Schema::number()}, {"profile_version", Schema::integer()}, {"class", Schema::string().enumerate({"S1", "S2", "S3", "N", "nodata"})}, {"inside", Schema::boolean()}, {"factors", Schema::array(Schema::object({{"layer", Schema::string()}, {"type", Schema::string().enumerate({"continuous", "categorical"})}, {"unit", Schema::string()}, {"unit_vi", Schema::string()}, {"value", Schema::number().nullable()}, {"class", Schema::string()}, {"rating", Schema::number().nullable()}, {"advisory", Schema::boolean()}, {"sourced", Schema::boolean()}, {"illustrative", Schema::boolean()}, {"label", Schema::string().optional()}, {"label_vi", Schema::string().optional()}}))}, {"cell", Schema::object({{"col", Schema::integer()}, {"row", Schema::integer()}}).optional()}, {"limiting_factor", Schema::string().nullable().optional()}, {"index", Schema::number().nullable().optional()}, {"method", Schema::string().optional()}})},
  };
}

}  // namespace nongsan::api
