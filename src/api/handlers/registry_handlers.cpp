// Land registry routes: producers, parcels (history, split, merge, rights,
// plantings, conversions), zones with their measures, the list of conversions,
// the land-use codes, the topology check (started as a background job) and its
// findings, and the map layers. Lists say why they are empty ("empty": the
// scope or the filter; registry_page.hpp).
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/registry/registry_scope_key.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;
using namespace nongsan::registry;

namespace {

std::string str(const json& b, const char* k) { return b.contains(k) && !b[k].is_null() ? b[k].get<std::string>() : ""; }
std::optional<double> num(const json& b, const char* k) {
  if (!b.contains(k) || b[k].is_null()) return std::nullopt;
  return b[k].get<double>();
}
std::optional<CivilDate> date(const json& b, const char* k) {
  if (!b.contains(k) || b[k].is_null()) return std::nullopt;
  return CivilDate::parse(b[k].get<std::string>());
}
// A GeoJSON geometry object from the body; an error names the field.
Result<storage::Geometry> geometry(const json& b, const char* k) {
  auto g = geo::from_geojson(b[k].dump());
  if (!g) return Error::invalid("the geometry is not valid", {{k, "is not a GeoJSON geometry: " + g.error().message}});
  return *g;
}
Response err(const Error& e, const RequestContext& ctx) { return error_response(e, ctx.request.request_id); }

std::optional<BBox> parse_bbox(const std::string& s, std::vector<FieldError>& errors) {
  if (s.empty()) return std::nullopt;
  double v[4];
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    auto comma = s.find(',', pos);
    std::string part = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    // Longitudes and latitudes of WGS 84; "inf", "1e400" or "abc" are no coordinates.
    auto n = parse_real(part, i % 2 == 0 ? NumberRange::real(-180, 180) : NumberRange::real(-90, 90), "bbox");
    if (!n) {
      errors.push_back({"bbox", "must be min_lon,min_lat,max_lon,max_lat"});
      return std::nullopt;
    }
    v[i] = *n;
    if ((comma == std::string::npos) != (i == 3)) {
      errors.push_back({"bbox", "must be min_lon,min_lat,max_lon,max_lat"});
      return std::nullopt;
    }
    pos = comma + 1;
  }
  if (v[0] > v[2] || v[1] > v[3]) errors.push_back({"bbox", "min must not exceed max"});
  return BBox{v[0], v[1], v[2], v[3]};
}

// A registry list: the page, and when it is empty, why (scope or filter).
Response list_response(const Page& p, const RequestContext& ctx, nlohmann::json extra = json::object()) {
  json body = {{"items", p.items}, {"page", ctx.page()}, {"page_size", ctx.page_size()}, {"total", p.total}};
  if (!p.empty.is_null()) body["empty"] = p.empty;
  for (auto& [k, v] : extra.items()) body[k] = v;
  return json_response(200, body);
}

Result<ParcelFilter> parcel_filter(RequestContext& ctx) {
  ParcelFilter f;
  std::vector<FieldError> errors;
  if (auto v = ctx.query_int("commune_id")) f.commune = UnitId(*v);
  if (auto v = ctx.query_int("zone_id")) f.zone = ZoneId(*v);
  if (auto v = ctx.query_int("holder_id")) f.holder = ProducerId(*v);
  f.crop = ctx.query_or("crop", "");
  if (auto s = ctx.query("state"); s && !s->empty()) f.state = parse_parcel_state(*s);
  f.land_use_code = ctx.query_or("land_use_code", "");
  f.external_id = ctx.query_or("external_id", "");
  f.sheet_no = ctx.query_or("sheet_no", "");
  f.parcel_no = ctx.query_or("parcel_no", "");
  f.q = ctx.query_or("q", "");
  if (ctx.query_or("sort", "") == "sheet") f.sort = ParcelSort::sheet;
  f.bbox = parse_bbox(ctx.query_or("bbox", ""), errors);
  f.as_of = ctx.query_date("as_of");
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  if (!errors.empty()) return Error::invalid("the request is not valid", errors);
  return f;
}

// ---- producers
Response list_producers(RequestContext& ctx) {
  ProducerQuery q;
  q.q = ctx.query_or("q", "");
  if (auto k = ctx.query("kind"); k && !k->empty()) q.kind = parse_producer_kind(*k);
  if (auto u = ctx.query_int("unit_id")) q.units = std::unordered_set<UnitId>{UnitId(*u)};
  q.page = ctx.page();
  q.page_size = ctx.page_size();
  auto r = ctx.services.registry.producers().list(ctx.actor, q);
  if (!r) return err(r.error(), ctx);
  return list_response(*r, ctx);
}
Response get_producer(RequestContext& ctx) {
  return respond(ctx.services.registry.producers().get(ctx.actor, ProducerId(ctx.path_id("id"))), ctx);
}
Response create_producer(RequestContext& ctx) {
  const json& b = ctx.body;
  Producer p;
  p.external_id = str(b, "external_id");
  p.kind = *parse_producer_kind(str(b, "kind"));
  p.name = str(b, "name");
  if (b.contains("unit_id") && !b["unit_id"].is_null()) p.unit = UnitId(b["unit_id"].get<std::int64_t>());
  if (b.contains("members_count") && !b["members_count"].is_null()) p.members_count = b["members_count"].get<int>();
  p.ethnicity = str(b, "ethnicity");
  p.citizen_id = str(b, "citizen_id");
  p.tax_code = str(b, "tax_code");
  p.phone = str(b, "phone");
  p.address = str(b, "address");
  std::optional<ProducerId> org;
  if (b.contains("organisation_id") && !b["organisation_id"].is_null()) org = ProducerId(b["organisation_id"].get<std::int64_t>());
  return respond(ctx.services.registry.producers().create(ctx.actor, p, org), ctx, 201);
}
Response update_producer(RequestContext& ctx) {
  return respond(ctx.services.registry.producers().update(ctx.actor, ProducerId(ctx.path_id("id")), ctx.body), ctx);
}
Response reveal_producer(RequestContext& ctx) {
  std::string field = ctx.body["field"];
  auto r = ctx.services.registry.producers().reveal(ctx.actor, ProducerId(ctx.path_id("id")), field);
  if (!r) return err(r.error(), ctx);
  return json_response(200, {{"field", field}, {"value", *r}, {"audited", true}});
}

// ---- parcels
Response list_parcels(RequestContext& ctx) {
  auto f = parcel_filter(ctx);
  if (!f) return err(f.error(), ctx);
  auto r = ctx.services.registry.parcels().list(ctx.actor, *f);
  if (!r) return err(r.error(), ctx);
  return list_response(*r, ctx);
}
Response get_parcel(RequestContext& ctx) {
  return respond(ctx.services.registry.parcels().get(ctx.actor, ParcelId(ctx.path_id("id")), ctx.query_date("as_of")), ctx);
}
Response create_parcel(RequestContext& ctx) {
  const json& b = ctx.body;
  Parcel p;
  p.external_id = str(b, "external_id");
  p.sheet_no = str(b, "sheet_no");
  p.parcel_no = str(b, "parcel_no");
  if (b.contains("commune_id") && !b["commune_id"].is_null()) p.unit = UnitId(b["commune_id"].get<std::int64_t>());
  p.land_use_code = str(b, "land_use_code");
  if (b.contains("state")) p.state = *parse_parcel_state(str(b, "state"));
  p.official_area_m2 = num(b, "official_area_m2");
  p.valid_from = date(b, "valid_from").value_or(CivilDate::today());
  auto g = geometry(b, "geometry");
  if (!g) return err(g.error(), ctx);
  p.geom = *g;
  return respond(ctx.services.registry.parcels().create(ctx.actor, p), ctx, 201);
}
Response update_parcel(RequestContext& ctx) {
  const json& b = ctx.body;
  ParcelPatch p;
  if (b.contains("sheet_no")) p.sheet_no = str(b, "sheet_no");
  if (b.contains("parcel_no")) p.parcel_no = str(b, "parcel_no");
  if (b.contains("land_use_code")) p.land_use_code = str(b, "land_use_code");
  if (b.contains("state")) p.state = parse_parcel_state(str(b, "state"));
  if (b.contains("official_area_m2")) p.official_area_m2 = num(b, "official_area_m2");
  if (b.contains("commune_id"))
    p.unit = b["commune_id"].is_null() ? std::optional<UnitId>{} : std::optional<UnitId>{UnitId(b["commune_id"].get<std::int64_t>())};
  if (b.contains("geometry")) {
    auto g = geometry(b, "geometry");
    if (!g) return err(g.error(), ctx);
    p.geom = *g;
  }
  p.effective = date(b, "effective_date");
  return respond(ctx.services.registry.parcels().update(ctx.actor, ParcelId(ctx.path_id("id")), p), ctx);
}
Response split_parcel(RequestContext& ctx) {
  std::vector<SplitPart> parts;
  std::vector<FieldError> errors;
  int i = 0;
  for (const auto& part : ctx.body["parts"]) {
    std::string f = "parts[" + std::to_string(i++) + "]";
    if (!part.is_object() || !part.contains("external_id") || !part["external_id"].is_string() || !part.contains("geometry")) {
      errors.push_back({f, "must be an object with external_id and geometry"});
      continue;
    }
    auto g = geo::from_geojson(part["geometry"].dump());
    if (!g) {
      errors.push_back({f + ".geometry", "is not a GeoJSON geometry"});
      continue;
    }
    parts.push_back({part["external_id"].get<std::string>(), *g});
  }
  if (!errors.empty()) return err(Error::invalid("the split is not valid", errors), ctx);
  return respond(ctx.services.registry.parcels().split(ctx.actor, ParcelId(ctx.path_id("id")), *date(ctx.body, "date"), parts),
                 ctx, 201);
}
Response merge_parcels(RequestContext& ctx) {
  std::vector<ParcelId> ids;
  for (const auto& v : ctx.body["parcel_ids"]) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1)
      return err(Error::invalid("the merge is not valid", {{"parcel_ids", "must be positive integer ids"}}), ctx);
    ids.emplace_back(v.get<std::int64_t>());
  }
  return respond(ctx.services.registry.parcels().merge(ctx.actor, ids, *date(ctx.body, "date"), str(ctx.body, "external_id")),
                 ctx, 201);
}
Response add_right(RequestContext& ctx) {
  LandRight r;
  r.parcel = ParcelId(ctx.path_id("id"));
  r.producer = ProducerId(ctx.body["producer_id"].get<std::int64_t>());
  r.kind = *parse_land_right_kind(str(ctx.body, "kind"));
  r.valid_from = *date(ctx.body, "valid_from");
  r.valid_to = date(ctx.body, "valid_to");
  r.document = str(ctx.body, "document");
  return respond(ctx.services.registry.rights().add(ctx.actor, r), ctx, 201);
}
Response end_right(RequestContext& ctx) {
  return respond(ctx.services.registry.rights().end(ctx.actor, LandRightId(ctx.path_id("id")), *date(ctx.body, "valid_to")), ctx);
}
Response add_planting(RequestContext& ctx) {
  const json& b = ctx.body;
  Planting p;
  p.parcel = ParcelId(ctx.path_id("id"));
  p.crop = str(b, "crop");
  p.variety = str(b, "variety");
  p.perennial = b.value("perennial", false);
  p.season = str(b, "season");
  if (b.contains("planted_year") && !b["planted_year"].is_null()) p.planted_year = b["planted_year"].get<int>();
  p.start_date = *date(b, "start_date");
  p.end_date = date(b, "end_date");
  p.planted_area_m2 = b["planted_area_m2"].get<double>();
  return respond(ctx.services.registry.plantings().add_planting(ctx.actor, p), ctx, 201);
}
Response end_planting(RequestContext& ctx) {
  return respond(ctx.services.registry.plantings().end_planting(ctx.actor, PlantingId(ctx.path_id("id")), *date(ctx.body, "end_date")), ctx);
}
Response add_conversion(RequestContext& ctx) {
  CropConversion v;
  v.parcel = ParcelId(ctx.path_id("id"));
  v.from_use = *parse_from_use(str(ctx.body, "from_use"));
  v.to_crop = str(ctx.body, "to_crop");
  v.date = *date(ctx.body, "date");
  v.area_m2 = ctx.body["area_m2"].get<double>();
  v.note = str(ctx.body, "note");
  return respond(ctx.services.registry.plantings().add_conversion(ctx.actor, v), ctx, 201);
}
Response conversion_summary(RequestContext& ctx) {
  return respond(ctx.services.registry.plantings().conversion_summary(ctx.actor, ctx.query_date("from"), ctx.query_date("to")), ctx);
}

Response list_conversions(RequestContext& ctx) {
  ConversionFilter f;
  f.from = ctx.query_date("from");
  f.to = ctx.query_date("to");
  if (auto s = ctx.query("from_use"); s && !s->empty()) f.from_use = parse_from_use(*s);
  f.to_crop = ctx.query_or("to_crop", "");
  if (auto v = ctx.query_int("commune_id")) f.commune = UnitId(*v);
  if (auto v = ctx.query_int("unit_id")) f.unit = UnitId(*v);
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  auto r = ctx.services.registry.plantings().list_conversions(ctx.actor, f);
  if (!r) return err(r.error(), ctx);
  return list_response(*r, ctx);
}
Response land_use_codes(RequestContext& ctx) {
  return json_response(200, ctx.services.registry.settings().land_use.to_json());
}

// ---- zones
Response list_zones(RequestContext& ctx) {
  auto r = ctx.services.registry.zones().list(ctx.actor, ctx.query_or("commodity", ""));
  if (!r) return err(r.error(), ctx);
  json body = {{"items", r->items}, {"total", r->total}};
  if (!r->empty.is_null()) body["empty"] = r->empty;
  return json_response(200, body);
}
Response get_zone(RequestContext& ctx) {
  return respond(ctx.services.registry.zones().get(ctx.actor, ZoneId(ctx.path_id("id")), ctx.query_date("as_of")), ctx);
}
Response zone_measures(RequestContext& ctx) {
  return respond(ctx.services.registry.zones().measures(ctx.actor, ZoneId(ctx.path_id("id")), ctx.query_date("as_of")), ctx);
}
Response create_zone(RequestContext& ctx) {
  const json& b = ctx.body;
  Zone z;
  z.code = str(b, "code");
  z.name = str(b, "name");
  z.commodity = str(b, "commodity");
  if (b.contains("unit_id") && !b["unit_id"].is_null()) z.unit = UnitId(b["unit_id"].get<std::int64_t>());
  z.planned_area_ha = num(b, "planned_area_ha");
  z.decision = str(b, "decision");
  z.period_from = date(b, "period_from");
  z.period_to = date(b, "period_to");
  if (b.contains("status")) z.status = *parse_zone_status(str(b, "status"));
  auto g = geometry(b, "geometry");
  if (!g) return err(g.error(), ctx);
  z.geom = *g;
  return respond(ctx.services.registry.zones().create(ctx.actor, z), ctx, 201);
}
Response update_zone(RequestContext& ctx) {
  std::optional<storage::Geometry> geom;
  if (ctx.body.contains("geometry")) {
    auto g = geometry(ctx.body, "geometry");
    if (!g) return err(g.error(), ctx);
    geom = *g;
  }
  return respond(ctx.services.registry.zones().update(ctx.actor, ZoneId(ctx.path_id("id")), ctx.body, geom), ctx);
}

// ---- topology
Response topology_findings(RequestContext& ctx) {
  auto r = ctx.services.registry.topology().findings(ctx.actor, ctx.query_or("kind", ""), ctx.page(), ctx.page_size());
  if (!r) return err(r.error(), ctx);
  return list_response(r->page, ctx, {{"last_checks", r->last_checks}, {"running", r->running}});
}
Response start_topology_check(RequestContext& ctx) {
  double min_overlap = ctx.body.contains("min_overlap_m2") ? ctx.body["min_overlap_m2"].get<double>() : 1.0;
  auto r = ctx.services.registry.topology().start_check(ctx.actor, min_overlap);
  if (!r) return err(r.error(), ctx);
  Response resp = json_response(202, jobs::to_json(*r));
  resp.headers.emplace_back("Location", "/api/v1/jobs/" + std::to_string(r->id.value));
  return resp;
}
Response topology_map(RequestContext& ctx) {
  int limit = static_cast<int>(ctx.query_int("limit").value_or(5000));
  if (limit < 1 || limit > 50000) return err(Error::invalid("the request is not valid", {{"limit", "must be 1–50000"}}), ctx);
  auto r = ctx.services.registry.topology().map(ctx.actor, ctx.query_or("kind", ""), limit);
  if (!r) return err(r.error(), ctx);
  Response resp = json_response(200, *r);
  resp.content_type = "application/geo+json; charset=utf-8";
  return resp;
}

// ---- map
Response map_parcels(RequestContext& ctx) {
  auto f = parcel_filter(ctx);
  if (!f) return err(f.error(), ctx);
  int limit = static_cast<int>(ctx.query_int("limit").value_or(3000));
  if (limit < 1 || limit > 20000) return err(Error::invalid("the request is not valid", {{"limit", "must be 1–20000"}}), ctx);
  auto r = ctx.services.registry.parcels().map(ctx.actor, *f, limit);
  if (!r) return err(r.error(), ctx);
  Response resp = json_response(200, *r);
  resp.content_type = "application/geo+json; charset=utf-8";
  return resp;
}
Response map_zones(RequestContext& ctx) {
  auto r = ctx.services.registry.zones().map(ctx.actor);
  if (!r) return err(r.error(), ctx);
  Response resp = json_response(200, *r);
  resp.content_type = "application/geo+json; charset=utf-8";
  return resp;
}

}  // namespace

std::vector<Route> registry_routes() {
  using F = FieldType;
  using P = Permission;
  const std::vector<std::string> kinds = {"household", "cooperative", "cooperative_group", "enterprise", "farm"};
  const std::vector<std::string> states = {"in_use", "idle", "inefficient_rice"};
  const std::vector<std::string> rights = {"owner", "lessee", "contributed"};
  const std::vector<std::string> zone_status = {"planned", "active", "closed"};
  const std::vector<std::string> from_uses = {"rice", "inefficient_rice", "idle", "other"};
  ParamSpec as_of{"as_of", F::date, "date of the records (default today)", {}};
  std::vector<ParamSpec> parcel_params = {{"commune_id", F::integer, "", {}, NumberRange::id()},
                                          {"zone_id", F::integer, "parcels mostly inside the zone", {}, NumberRange::id()},
                                          {"crop", F::string, "an active planting of this crop", {}},
                                          {"holder_id", F::integer, "the producer controlling the parcel", {}, NumberRange::id()},
                                          {"state", F::string, "", states},
                                          {"land_use_code", F::string, "LUC, LUK, BHK, CLN, RSX ...", {}},
                                          {"external_id", F::string, "exact external id", {}},
                                          {"sheet_no", F::string, "map sheet number (tờ bản đồ), exact", {}},
                                          {"parcel_no", F::string, "parcel number (số thửa), exact", {}},
                                          {"q", F::string, "part of the external id, \"sheet/parcel\" (12/345), or the parcel number", {}},
                                          {"sort", F::string, "natural order by external id (default) or by sheet then parcel number", {"external_id", "sheet"}},
                                          {"bbox", F::string, "min_lon,min_lat,max_lon,max_lat", {}},
                                          as_of};
  auto map_params = parcel_params;
  map_params.push_back({"limit", F::integer, "at most this many features (default 3000)", {}, NumberRange::int32(1, 20000)});
  std::vector<FieldSpec> producer_fields = {
      {"external_id", F::string, false, "id in another system", false, {}},
      {"kind", F::string, true, "", false, kinds},
      {"name", F::string, true, "head of household or organisation name", false, {}},
      {"unit_id", F::integer, true, "commune", false, {}, NumberRange::id()},
      {"members_count", F::integer, false, "", true, {}, NumberRange::int32(0)},
      {"ethnicity", F::string, false, "", false, {}},
      {"citizen_id", F::string, false, "personal data: returned masked", false, {}},
      {"tax_code", F::string, false, "required for cooperatives and enterprises", false, {}},
      {"phone", F::string, false, "personal data: returned masked", false, {}},
      {"address", F::string, false, "", false, {}},
      {"organisation_id", F::integer, false, "the cooperative a household belongs to", true, {}, NumberRange::id()}};
  auto producer_patch = producer_fields;
  producer_patch.erase(producer_patch.begin(), producer_patch.begin() + 2);  // external_id, kind are fixed
  producer_patch.pop_back();
  for (auto& f : producer_patch) f.required = false;
  std::vector<FieldSpec> parcel_fields = {{"external_id", F::string, true, "stable id from the cadastre", false, {}},
                                          {"sheet_no", F::string, false, "tờ bản đồ", false, {}},
                                          {"parcel_no", F::string, false, "số thửa", false, {}},
                                          {"commune_id", F::integer, false, "", true, {}, NumberRange::id()},
                                          {"land_use_code", F::string, false, "", false, {}},
                                          {"state", F::string, false, "", false, states},
                                          {"official_area_m2", F::number, false, "", true, {}, NumberRange::real(0)},
                                          {"valid_from", F::date, false, "default today", false, {}},
                                          {"geometry", F::object, true, "GeoJSON Polygon or MultiPolygon, WGS 84", false, {}}};
  std::vector<FieldSpec> parcel_patch = {{"sheet_no", F::string, false, "", false, {}},
                                         {"parcel_no", F::string, false, "", false, {}},
                                         {"commune_id", F::integer, false, "", true, {}, NumberRange::id()},
                                         {"land_use_code", F::string, false, "", false, {}},
                                         {"state", F::string, false, "", false, states},
                                         {"official_area_m2", F::number, false, "", true, {}, NumberRange::real(0)},
                                         {"geometry", F::object, false, "a corrected boundary; the old one is kept", false, {}},
                                         {"effective_date", F::date, false, "for a boundary change (default today)", false, {}}};
  std::vector<FieldSpec> zone_fields = {{"code", F::string, true, "", false, {}},
                                        {"name", F::string, true, "", false, {}},
                                        {"commodity", F::string, true, "crop code", false, {}},
                                        {"unit_id", F::integer, false, "", true, {}, NumberRange::id()},
                                        {"planned_area_ha", F::number, false, "", true, {}, NumberRange::real(0)},
                                        {"decision", F::string, false, "planning decision", false, {}},
                                        {"period_from", F::date, false, "", true, {}},
                                        {"period_to", F::date, false, "", true, {}},
                                        {"status", F::string, false, "", false, zone_status},
                                        {"geometry", F::object, true, "GeoJSON Polygon or MultiPolygon, WGS 84", false, {}}};
  auto zone_patch = zone_fields;
  zone_patch.erase(zone_patch.begin());  // the code is fixed
  for (auto& f : zone_patch) f.required = false;
  return {
      {.method = "GET", .path = "/api/v1/producers", .permission = P::registry_read, .tag = "registry",
       .summary = "Producers (households, cooperatives, enterprises, farms) in scope; search ignores diacritics",
       .query = {{"q", F::string, "", {}}, {"kind", F::string, "", kinds}, {"unit_id", F::integer, "", {}, NumberRange::id()}},
       .handler = list_producers, .list = true,
       .response = registry_page(Schema::ref("Producer"))},
      {.method = "POST", .path = "/api/v1/producers", .permission = P::registry_write, .tag = "registry",
       .summary = "Register a producer", .body = producer_fields, .success_status = 201, .handler = create_producer,
       .response = Schema::ref("Producer")},
      {.method = "GET", .path = "/api/v1/producers/{id}", .permission = P::registry_read, .tag = "registry",
       .summary = "A producer with members, organisations, land rights and possible duplicates", .handler = get_producer,
       .response = Schema::ref("ProducerDetail")},
      {.method = "PATCH", .path = "/api/v1/producers/{id}", .permission = P::registry_write, .tag = "registry",
       .summary = "Change a producer", .body = producer_patch, .handler = update_producer,
       .response = Schema::ref("Producer")},
      {.method = "POST", .path = "/api/v1/producers/{id}/reveal", .permission = P::pii_reveal, .tag = "registry",
       .summary = "Show a producer's citizen ID or phone in full (audited)",
       .body = {{"field", F::string, true, "", false, {"phone", "citizen_id"}}}, .handler = reveal_producer,
       .response = Schema::object({{"field", Schema::string().enumerate({"phone", "citizen_id"})}, {"value", Schema::string()}, {"audited", Schema::boolean()}})},
      {.method = "GET", .path = "/api/v1/parcels", .permission = P::registry_read, .tag = "registry",
       .summary = "Parcels in scope with their crops and holder", .query = parcel_params, .handler = list_parcels,
       .list = true,
       .response = registry_page(Schema::ref("Parcel")), .cacheable = true,
       // The page depends on the principal only through its registry scope
       // (ParcelService::list: RecordScope::of; the JSON shows nothing by role).
       .cache_scope = registry::record_scope_key},
      {.method = "POST", .path = "/api/v1/parcels", .permission = P::registry_write, .tag = "registry",
       .summary = "Register a parcel", .body = parcel_fields, .success_status = 201, .handler = create_parcel,
       .response = Schema::ref("ParcelSaved")},
      {.method = "POST", .path = "/api/v1/parcels/merge", .permission = P::registry_write, .tag = "registry",
       .summary = "Merge parcels into a new one (lineage kept)",
       .body = {{"parcel_ids", F::array, true, "", false, {}, NumberRange::id(), F::integer}, {"date", F::date, true, "", false, {}},
                {"external_id", F::string, true, "", false, {}}},
       .success_status = 201, .handler = merge_parcels,
       .response = Schema::ref("MergeResult")},
      {.method = "GET", .path = "/api/v1/parcels/{id}", .permission = P::registry_read, .tag = "registry",
       .summary = "A parcel with its holders, plantings, conversions, boundary history and lineage on a date",
       .query = {as_of}, .handler = get_parcel,
       .response = Schema::ref("ParcelDetail")},
      {.method = "PATCH", .path = "/api/v1/parcels/{id}", .permission = P::registry_write, .tag = "registry",
       .summary = "Change a parcel (a new boundary keeps the old one in its history)", .body = parcel_patch,
       .handler = update_parcel,
       .response = Schema::ref("ParcelSaved")},
      {.method = "POST", .path = "/api/v1/parcels/{id}/split", .permission = P::registry_write, .tag = "registry",
       .summary = "Split a parcel into parts (lineage kept; rights carry over)",
       .body = {{"date", F::date, true, "", false, {}}, {"parts", F::array, true, "[{external_id, geometry}]", false, {}}},
       .success_status = 201, .handler = split_parcel,
       .response = Schema::ref("SplitResult")},
      {.method = "POST", .path = "/api/v1/parcels/{id}/rights", .permission = P::registry_write, .tag = "registry",
       .summary = "Record who holds the use rights (owner, lessee, contributed to an enterprise)",
       .body = {{"producer_id", F::integer, true, "", false, {}, NumberRange::id()}, {"kind", F::string, true, "", false, rights},
                {"valid_from", F::date, true, "", false, {}}, {"valid_to", F::date, false, "", true, {}},
                {"document", F::string, false, "contract or certificate", false, {}}},
       .success_status = 201, .handler = add_right,
       .response = Schema::ref("LandRight")},
      {.method = "POST", .path = "/api/v1/rights/{id}/end", .permission = P::registry_write, .tag = "registry",
       .summary = "End a land right on a date", .body = {{"valid_to", F::date, true, "last day", false, {}}},
       .handler = end_right,
       .response = Schema::object({{"id", Schema::integer()}, {"valid_to", Schema::date()}})},
      {.method = "POST", .path = "/api/v1/parcels/{id}/plantings", .permission = P::registry_write, .tag = "registry",
       .summary = "Record what is grown on a parcel",
       .body = {{"crop", F::string, true, "", false, {}}, {"variety", F::string, false, "", false, {}},
                {"perennial", F::boolean, false, "", false, {}}, {"season", F::string, false, "", false, {}},
                {"planted_year", F::integer, false, "", true, {}, NumberRange::year()},
                {"start_date", F::date, true, "", false, {}}, {"end_date", F::date, false, "", true, {}},
                {"planted_area_m2", F::number, true, "", false, {}, NumberRange::real(0)}},
       .success_status = 201, .handler = add_planting,
       .response = Schema::ref("Planting")},
      {.method = "POST", .path = "/api/v1/plantings/{id}/end", .permission = P::registry_write, .tag = "registry",
       .summary = "End a planting", .body = {{"end_date", F::date, true, "", false, {}}}, .handler = end_planting,
       .response = Schema::object({{"id", Schema::integer()}, {"end_date", Schema::date()}})},
      {.method = "POST", .path = "/api/v1/parcels/{id}/conversions", .permission = P::registry_write, .tag = "registry",
       .summary = "Record a crop conversion (e.g. inefficient rice land to fruit)",
       .body = {{"from_use", F::string, true, "", false, from_uses}, {"to_crop", F::string, true, "", false, {}},
                {"date", F::date, true, "", false, {}}, {"area_m2", F::number, true, "", false, {}, NumberRange::real(0)},
                {"note", F::string, false, "", false, {}}},
       .success_status = 201, .handler = add_conversion,
       .response = Schema::ref("Conversion")},
      {.method = "GET", .path = "/api/v1/conversions", .permission = P::registry_read, .tag = "registry",
       .summary = "Crop conversions in scope, newest first, each with its parcel and commune",
       .query = {{"from", F::date, "conversion date from (inclusive)", {}},
                 {"to", F::date, "conversion date to (inclusive)", {}},
                 {"from_use", F::string, "former use", from_uses},
                 {"to_crop", F::string, "the new crop", {}},
                 {"commune_id", F::integer, "the parcel's commune", {}, NumberRange::id()},
                 {"unit_id", F::integer, "any unit: the parcels of the units it covers", {}, NumberRange::id()}},
       .handler = list_conversions, .list = true,
       .response = registry_page(Schema::ref("ConversionItem"))},
      {.method = "GET", .path = "/api/v1/land-use-codes", .permission = P::registry_read, .tag = "registry",
       .summary = "The land-type codes of the cadastre with their Vietnamese and English names and sources",
       .handler = land_use_codes,
       .response = Schema::ref("LandUseCodes")},
      {.method = "GET", .path = "/api/v1/conversions/summary", .permission = P::registry_read, .tag = "registry",
       .summary = "Hectares converted, by former use, crop and commune",
       .query = {{"from", F::date, "", {}}, {"to", F::date, "", {}}}, .handler = conversion_summary,
       .response = Schema::ref("ConversionSummary")},
      {.method = "GET", .path = "/api/v1/zones", .permission = P::registry_read, .tag = "registry",
       .summary = "Concentrated production zones", .query = {{"commodity", F::string, "", {}}}, .handler = list_zones,
       .response = Schema::object({{"items", Schema::array(Schema::ref("Zone"))}, {"total", Schema::integer()}, {"empty", Schema::ref("EmptyList").optional()}})},
      {.method = "POST", .path = "/api/v1/zones", .permission = P::registry_write, .tag = "registry",
       .summary = "Create a production zone", .body = zone_fields, .success_status = 201, .handler = create_zone,
       .response = Schema::ref("Zone")},
      {.method = "GET", .path = "/api/v1/zones/{id}", .permission = P::registry_read, .tag = "registry",
       .summary = "A zone with its geometry and measures", .query = {as_of}, .handler = get_zone,
       .response = Schema::ref("ZoneDetail")},
      {.method = "PATCH", .path = "/api/v1/zones/{id}", .permission = P::registry_write, .tag = "registry",
       .summary = "Change a zone", .body = zone_patch, .handler = update_zone,
       .response = Schema::ref("Zone")},
      {.method = "GET", .path = "/api/v1/zones/{id}/measures", .permission = P::registry_read, .tag = "registry",
       .summary = "Planted area, share of plan, producers, parcel sizes and the largest contiguous block",
       .query = {as_of}, .handler = zone_measures,
       .response = Schema::ref("ZoneMeasures")},
      {.method = "GET", .path = "/api/v1/map/parcels", .permission = P::registry_read, .tag = "map",
       .summary = "GeoJSON of parcels (filters as /parcels; use bbox), with crop, zone and holder",
       .query = map_params, .handler = map_parcels,
       .response = Schema::ref("ParcelMap").media_type("application/geo+json")},
      {.method = "GET", .path = "/api/v1/map/zones", .permission = P::registry_read, .tag = "map",
       .summary = "GeoJSON of production zones", .handler = map_zones,
       .response = Schema::ref("ZoneMap").media_type("application/geo+json")},
      {.method = "POST", .path = "/api/v1/topology/checks", .permission = P::registry_write, .tag = "registry",
       .summary = "Start the topology check of all current parcels as a background job (follow GET /api/v1/jobs/{id})",
       .body = {{"min_overlap_m2", F::number, false, "report overlaps larger than this many m² (default 1)", false, {},
                                   NumberRange::real(0)}},
       .success_status = 202, .handler = start_topology_check,
       .response = Schema::ref("Job")},
      {.method = "GET", .path = "/api/v1/topology/findings", .permission = P::registry_read, .tag = "registry",
       .summary = "Findings of the last parcel topology check, for parcels in scope, with when each kind last ran "
                  "(last_checks) and the check under way (running)",
       .query = {{"kind", F::string, "", {"overlap", "outside", "invalid", "sliver"}}}, .handler = topology_findings,
       .list = true,
       .response = Schema::ref("TopologyFindings")},
      {.method = "GET", .path = "/api/v1/map/topology", .permission = P::registry_read, .tag = "map",
       .summary = "GeoJSON of the topology findings (the overlap area, or the parcel)",
       .query = {{"kind", F::string, "", {"overlap", "outside", "invalid", "sliver"}},
                 {"limit", F::integer, "at most this many features (default 5000)", {}, NumberRange::int32(1, 50000)}},
       .handler = topology_map,
       .response = Schema::ref("TopologyMap").media_type("application/geo+json")},
  };
}

}  // namespace nongsan::api
