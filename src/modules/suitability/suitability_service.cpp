#include "modules/suitability/suitability_service.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <regex>
#include <set>

#include "core/civil_date.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/grid_image.hpp"
#include "geo/grid_warp.hpp"
#include "geo/raster_io.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/suitability_repository.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

namespace {

std::string fmt_ha(double m2) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", m2 / 10000.0);
  return b;
}
std::string fmt_share(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}
json ha_json(const ClassM2& m2) {
  return {{"S1", m2[1] / 1e4}, {"S2", m2[2] / 1e4}, {"S3", m2[3] / 1e4}, {"N", m2[4] / 1e4}, {"nodata", m2[0] / 1e4}};
}
ClassM2 to_m2(const ClassAreas& a) {
  ClassM2 m{};
  for (int i = 0; i < kClassCount; ++i) m[static_cast<std::size_t>(i)] = a.m2[static_cast<std::size_t>(i)];
  return m;
}

// Hash (FNV-1a 64) of the profile and of the layer files' sizes and times: two runs
// with the same hash read the same data.
std::string data_hash(const std::string& profile, const LayerSet& layers) {
  std::uint64_t h = 1469598103934665603ull;
  auto add = [&](const std::string& s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  };
  add(profile);
  for (const auto& l : layers.layers) {
    add(l.name);
    add(l.path);
    std::error_code ec;
    auto p = layers.path_of(l);
    add(std::to_string(std::filesystem::file_size(p, ec)));
    auto t = std::filesystem::last_write_time(p, ec);
    add(std::to_string(t.time_since_epoch().count()));
  }
  char b[20];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

const std::regex kLayerName("^[A-Za-z0-9_]{1,64}$");

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// Colours of the class map (S1 dark green, S2 light green, S3 orange, N red).
constexpr std::uint8_t kColours[5][4] = {
    {0, 0, 0, 0}, {0x1a, 0x7f, 0x37, 220}, {0x8b, 0xc3, 0x4a, 220}, {0xf5, 0xa6, 0x23, 220}, {0xd0, 0x3b, 0x2f, 220}};

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += k[(v >> 18) & 63], out += k[(v >> 12) & 63], out += k[(v >> 6) & 63], out += k[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += k[(v >> 18) & 63], out += k[(v >> 12) & 63];
    out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

json profile_summary(const ProfileRecord& r, const CropProfile* p) {
  json j = {{"crop", r.crop},         {"name_vi", r.name_vi},       {"commodity", r.commodity},
            {"method", r.method},     {"sourced", r.sourced},       {"version", r.version},
            {"updated_by", r.updated_by}, {"updated_at", r.updated_at}};
  if (p) {
    json uns = json::array();
    for (auto i : p->unsourced_factors()) uns.push_back(p->factors[i].layer);
    j["unsourced_factors"] = uns;
    json layers = json::array();
    for (const auto& f : p->factors) layers.push_back(f.layer);
    j["layers"] = layers;
    j["name_en"] = p->name_en;
  }
  return j;
}

}  // namespace

std::string to_csv(const TableOut& t) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel shows Vietnamese
  for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + csv_field(t.columns[i]);
  out += "\r\n";
  for (const auto& r : t.rows) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + csv_field(r[i]);
    out += "\r\n";
  }
  return out;
}

std::string SuitabilityService::commodity_of(const CropProfile& p) {
  if (p.extra.contains("commodity") && p.extra["commodity"].is_string()) return p.extra["commodity"].get<std::string>();
  if (p.crop == "rice_paddy") return "rice";  // zones plan "rice"; paddy is the profile that fits them
  return p.crop;
}

// ---- profiles --------------------------------------------------------------------

Result<json> SuitabilityService::list_profiles(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_profiles(c); });
  json out = json::array();
  for (const auto& r : rows) {
    auto p = parse_crop_profile(json::parse(r.profile, nullptr, false));
    out.push_back(profile_summary(r, p ? &*p : nullptr));
  }
  return json{{"items", out}};
}

Result<json> SuitabilityService::get_profile(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto r = db_.read([&](storage::Connection& c) { return SuitabilityRepository::find_profile(c, crop); });
  if (!r) return Error::not_found("no crop profile for '" + crop + "'");
  auto doc = json::parse(r->profile, nullptr, false);
  auto p = parse_crop_profile(doc);
  json j = profile_summary(*r, p ? &*p : nullptr);
  j["profile"] = p ? to_json(*p) : doc;
  return j;
}

Result<json> SuitabilityService::profile_history(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto v = db_.read([&](storage::Connection& c) { return SuitabilityRepository::profile_versions(c, crop); });
  if (v.empty()) return Error::not_found("no crop profile for '" + crop + "'");
  json items = json::array();
  for (const auto& x : v)
    items.push_back({{"version", x.version},
                     {"updated_by", x.updated_by},
                     {"updated_at", x.updated_at},
                     {"note", x.note},
                     {"profile", json::parse(x.profile, nullptr, false)}});
  return json{{"crop", crop}, {"items", items}};
}

Result<json> SuitabilityService::import_profiles(const identity::Actor& a, const json& doc, const std::string& note) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  auto parsed = parse_crop_profiles(doc);
  if (!parsed) return parsed.error();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < parsed->size(); ++i)
    if (!seen.insert((*parsed)[i].crop).second)
      return Error::invalid("the file holds a crop twice",
                            {{"[" + std::to_string(i) + "].crop", "crop '" + (*parsed)[i].crop + "' appears twice"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& p : *parsed) {
      ProfileRecord r;
      r.crop = p.crop;
      r.name_vi = p.name_vi;
      r.commodity = commodity_of(p);
      r.method = std::string(method_name(p.method));
      r.profile = to_json(p).dump();
      r.sourced = p.sourced();
      r.updated_by = a.name;
      auto before = SuitabilityRepository::find_profile(c, p.crop);
      auto saved = SuitabilityRepository::save_profile(c, r, note.empty() ? "import" : note);
      audit::record(c, a, before ? "update" : "create", "crop_profile", p.crop, std::nullopt,
                    before ? std::optional<json>(json{{"version", before->version}}) : std::nullopt,
                    json{{"version", saved.version}, {"sourced", saved.sourced}});
      items.push_back({{"crop", saved.crop}, {"version", saved.version}, {"sourced", saved.sourced}});
    }
    return json{{"imported", items}};
  });
}

Result<json> SuitabilityService::save_profile(const identity::Actor& a, const std::string& crop, const json& doc_in,
                                              const std::string& note, bool create) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  json doc = doc_in;
  if (doc.is_object() && !doc.contains("crop")) doc["crop"] = crop;
  auto p = parse_crop_profile(doc);
  if (!p) return p.error();
  if (p->crop != crop)
    return Error::invalid("the profile is for another crop", {{"crop", "'" + p->crop + "' is not '" + crop + "'"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto before = SuitabilityRepository::find_profile(c, crop);
    if (create && before) return Error::conflict("a profile for '" + crop + "' already exists; change that one");
    if (!create && !before) return Error::not_found("no crop profile for '" + crop + "'");
    ProfileRecord r;
    r.crop = p->crop;
    r.name_vi = p->name_vi;
    r.commodity = commodity_of(*p);
    r.method = std::string(method_name(p->method));
    r.profile = to_json(*p).dump();
    r.sourced = p->sourced();
    r.updated_by = a.name;
    auto saved = SuitabilityRepository::save_profile(c, r, note);
    audit::record(c, a, before ? "update" : "create", "crop_profile", crop, std::nullopt,
                  before ? std::optional<json>(json::parse(before->profile, nullptr, false)) : std::nullopt,
                  json::parse(saved.profile, nullptr, false));
    json j = profile_summary(saved, &*p);
    j["profile"] = to_json(*p);
    return j;
  });
}

Status SuitabilityService::delete_profile(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s;
  return db_.write([&](storage::Connection& c) -> Status {
    auto before = SuitabilityRepository::find_profile(c, crop);
    if (!before) return Error::not_found("no crop profile for '" + crop + "'");
    SuitabilityRepository::delete_profile(c, crop);
    audit::record(c, a, "delete", "crop_profile", crop, std::nullopt, json::parse(before->profile, nullptr, false),
                  std::nullopt);
    return {};
  });
}

Result<json> SuitabilityService::export_profiles(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_profiles(c); });
  json out = json::array();
  for (const auto& r : rows) out.push_back(json::parse(r.profile, nullptr, false));
  return out;
}

// ---- layers ------------------------------------------------------------------------

Result<json> SuitabilityService::list_layers(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_layers(c); });
  LayerSet set{rows, raster_dir_};
  json items = json::array();
  for (const auto& l : rows) {
    json codes = json::object();
    for (const auto& [k, v] : l.codes) codes[k] = v;
    json j = {{"name", l.name},
              {"path", l.path},
              {"kind", l.kind == LayerKind::categorical ? "categorical" : "continuous"},
              {"unit", l.unit},
              {"description", l.description},
              {"codes", codes},
              {"derived_from", l.derived_from},
              {"illustrative", l.illustrative},
              {"source", l.source},
              {"updated_at", l.updated_at}};
    auto info = geo::raster_info(set.path_of(l));
    if (info) {
      j["file"] = {{"ok", true},
                   {"width", info->grid.width},
                   {"height", info->grid.height},
                   {"cell_size", std::abs(info->grid.gt[1])},
                   {"epsg", info->grid.epsg}};
    } else {
      j["file"] = {{"ok", false}, {"error", info.error().message}};
    }
    items.push_back(j);
  }
  return json{{"items", items}, {"folder", raster_dir_.string()}};
}

Result<json> SuitabilityService::register_layer(const identity::Actor& a, const LayerInput& in) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  std::vector<FieldError> errors;
  if (!std::regex_match(in.name, kLayerName)) errors.push_back({"name", "letters, digits and _ only (e.g. elevation)"});
  if (in.kind != "continuous" && in.kind != "categorical") errors.push_back({"kind", "continuous or categorical"});
  if (in.path.empty()) errors.push_back({"path", "is required"});
  RasterLayerRecord r;
  r.name = in.name;
  r.path = in.path;
  r.kind = in.kind == "categorical" ? LayerKind::categorical : LayerKind::continuous;
  r.unit = in.unit;
  r.description = in.description;
  r.codes = in.codes;
  r.derived_from = in.derived_from;
  r.source = in.source;
  if (errors.empty()) {
    LayerSet set{{}, raster_dir_};
    auto info = geo::raster_info(set.path_of(r));
    if (!info) {
      for (auto& f : info.error().fields) errors.push_back({"path", f.message});
      if (info.error().fields.empty()) errors.push_back({"path", info.error().message});
    } else {
      if (r.kind == LayerKind::categorical && !info->integer)
        errors.push_back({"kind", "a categorical layer needs integer cell codes; " + in.path + " holds floating point"});
      auto it = info->metadata.find("ILLUSTRATIVE");
      r.illustrative = in.illustrative.value_or(it != info->metadata.end() && it->second == "yes");
    }
  }
  for (const auto& [code, label] : in.codes) {
    char* end = nullptr;
    std::strtol(code.c_str(), &end, 10);
    if (code.empty() || *end) errors.push_back({"codes." + code, "codes are integers"});
  }
  if (!errors.empty()) return Error::invalid("the raster layer is not valid", std::move(errors));
  // An elevation layer brings its slope (degrees, GDAL DEM processing through the
  // engine's raster_io), unless a slope layer of another origin is registered.
  std::optional<RasterLayerRecord> slope;
  if (r.name == "elevation") {
    auto existing = db_.read([](storage::Connection& c) { return SuitabilityRepository::find_layer(c, "slope"); });
    if (!existing || existing->derived_from == "elevation") {
      LayerSet set{{}, raster_dir_};
      std::string elev = set.path_of(r).string();
      std::error_code ec;
      std::filesystem::create_directories(raster_dir_, ec);
      auto info = geo::inspect_raster(elev);
      if (!info) return info.error();
      geo::RasterSession session;
      auto layer = session.derive(geo::DemProduct::slope, "slope", elev, info->grid, raster_dir_.string());
      if (!layer) return layer.error();
      if (layer->grid_path.starts_with("/vsimem"))
        return Error::internal("the derived slope is not a file: " + layer->grid_path);
      std::string file = "derived-slope-" + std::filesystem::path(elev).stem().string() + ".tif";
      std::filesystem::copy_file(layer->grid_path, raster_dir_ / file, std::filesystem::copy_options::overwrite_existing, ec);
      if (ec) return Error::invalid("cannot write the derived slope", {{"raster_dir", (raster_dir_ / file).string() + ": " + ec.message()}});
      RasterLayerRecord sl;
      sl.name = "slope";
      sl.path = file;
      sl.kind = LayerKind::continuous;
      sl.unit = "°";
      sl.description = "Độ dốc (độ), tính từ lớp độ cao bằng GDAL DEM (Horn)";
      sl.derived_from = "elevation";
      sl.illustrative = r.illustrative;
      sl.source = "derived from " + r.path;
      slope = sl;
    }
  }
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto before = SuitabilityRepository::find_layer(c, r.name);
    SuitabilityRepository::upsert_layer(c, r);
    if (slope) {
      SuitabilityRepository::upsert_layer(c, *slope);
      audit::record(c, a, "derive", "raster_layer", "slope", std::nullopt, std::nullopt,
                    json{{"path", slope->path}, {"derived_from", "elevation"}});
    }
    audit::record(c, a, before ? "update" : "create", "raster_layer", r.name, std::nullopt,
                  before ? std::optional<json>(json{{"path", before->path}}) : std::nullopt,
                  json{{"path", r.path}, {"kind", in.kind}, {"illustrative", r.illustrative}});
    json out = {{"name", r.name}, {"path", r.path}, {"kind", in.kind}, {"illustrative", r.illustrative}};
    if (slope) out["derived"] = json::array({json{{"name", "slope"}, {"path", slope->path}}});
    return out;
  });
}

Status SuitabilityService::delete_layer(const identity::Actor& a, const std::string& name) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s;
  return db_.write([&](storage::Connection& c) -> Status {
    auto before = SuitabilityRepository::find_layer(c, name);
    if (!before) return Error::not_found("no raster layer named '" + name + "'");
    SuitabilityRepository::delete_layer(c, name);
    audit::record(c, a, "delete", "raster_layer", name, std::nullopt, json{{"path", before->path}}, std::nullopt);
    return {};
  });
}

// ---- evaluation of the registry ------------------------------------------------------

namespace {
struct Shape {
  std::int64_t id = 0;
  MultiPolygonRings rings;
  double area_m2 = 0;
};
// Shapes of `geoms` in the CRS of `ref`; geometries that cannot be used are left out.
std::vector<Shape> shapes_in(const std::vector<std::pair<std::int64_t, const storage::Geometry*>>& geoms,
                             const std::vector<std::optional<double>>& areas, const geo::TargetGrid& ref) {
  std::vector<Shape> out;
  std::map<int, std::vector<std::size_t>> by_srid;
  for (std::size_t i = 0; i < geoms.size(); ++i) by_srid[geoms[i].second->srid].push_back(i);
  for (const auto& [srid, idx] : by_srid) {
    std::vector<const std::vector<std::uint8_t>*> wkbs;
    for (auto i : idx) wkbs.push_back(&geoms[i].second->wkb);
    auto t = geo::transform_wkbs(wkbs, srid, ref);
    if (!t) continue;
    for (std::size_t k = 0; k < idx.size(); ++k) {
      if ((*t)[k].empty()) continue;
      auto rings = polygons_from_wkb((*t)[k]);
      if (!rings) continue;
      std::size_t i = idx[k];
      double m2 = 0;
      if (areas[i]) m2 = *areas[i];
      else if (auto am = geo::area_m2(*geoms[i].second)) m2 = *am;
      out.push_back({geoms[i].first, std::move(*rings), m2});
    }
  }
  return out;
}
std::string grid_key(const geo::TargetGrid& g) {
  std::string k = g.crs_wkt + "|" + std::to_string(g.epsg);
  for (double v : g.gt) k += "|" + std::to_string(v);
  return k + "|" + std::to_string(g.width) + "x" + std::to_string(g.height);
}
}  // namespace

struct SuitabilityService::ShapeCache {
  std::map<std::string, std::vector<Shape>> parcels;  // by grid key
};

struct SuitabilityService::Loaded {
  ProfileRecord record;
  CropProfile profile;
  LayerSet layers;
};

Result<SuitabilityService::Loaded> SuitabilityService::load(const std::string& crop) {
  auto [rec, layers] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityRepository::find_profile(c, crop), SuitabilityRepository::list_layers(c));
  });
  if (!rec) return Error::not_found("no crop profile for '" + crop + "'");
  auto p = parse_crop_profile(json::parse(rec->profile, nullptr, false));
  if (!p) return p.error();
  return Loaded{*rec, std::move(*p), LayerSet{std::move(layers), raster_dir_}};
}

Result<json> SuitabilityService::run(const identity::Actor& a, const RunOptions& o) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  std::vector<std::string> crops;
  if (o.all_crops) {
    for (const auto& r : db_.read([](storage::Connection& c) { return SuitabilityRepository::list_profiles(c); }))
      crops.push_back(r.crop);
    if (crops.empty()) return Error::not_found("no crop profiles; import some first (nongsan import profiles FILE)");
  } else {
    if (o.crop.empty()) return Error::invalid("which crop?", {{"crop", "is required (or --all-crops)"}});
    crops.push_back(o.crop);
  }
  json runs = json::array();
  ShapeCache cache;
  for (const auto& c : crops) {
    auto r = run_one(a, c, o.commune, cache);
    if (!r) return r.error();
    runs.push_back(*r);
  }
  return json{{"runs", runs}};
}

Result<json> SuitabilityService::run_one(const identity::Actor& a, const std::string& crop, const std::string& commune,
                                         ShapeCache& cache) {
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = load(crop);
  if (!loaded) return loaded.error();
  const CropProfile& prof = loaded->profile;
  std::string commodity = loaded->record.commodity;
  auto ref = reference_grid(prof, loaded->layers);
  if (!ref) return ref.error();

  // The parcels (current, with geometry) and the zones of the crop's commodity.
  auto g = admin_.graph();
  std::optional<std::unordered_set<UnitId>> units;
  if (!commune.empty()) {
    const admin::AdminUnit* u = g->find_by_code(commune, CivilDate::today());
    if (!u) u = g->find_by_code_any_time(commune, CivilDate::today());
    if (!u) return Error::invalid("unknown commune", {{"commune", "no unit with code '" + commune + "'"}});
    units = std::unordered_set<UnitId>{u->id};
  }
  std::string key = grid_key(*ref);
  auto cached = cache.parcels.find(key);
  if (cached == cache.parcels.end()) {
    auto parcels = db_.read([&](storage::Connection& c) {
      registry::ParcelQuery q;
      q.units = units;
      q.include_unassigned = !units.has_value();
      q.with_geometry = true;
      q.page_size = 0;
      std::int64_t total = 0;
      return registry::RegistryRepository::list_parcels(c, q, &total);
    });
    std::vector<std::pair<std::int64_t, const storage::Geometry*>> geoms;
    std::vector<std::optional<double>> areas;
    for (const auto& p : parcels)
      if (p.geom) geoms.push_back({p.id.value, &*p.geom}), areas.push_back(p.area_m2);
    cached = cache.parcels.emplace(key, shapes_in(geoms, areas, *ref)).first;
  }
  const std::vector<Shape>& pshapes = cached->second;
  auto zones = db_.read([&](storage::Connection& c) {
    return registry::RegistryRepository::list_zones(c, std::nullopt, commodity, true);
  });
  std::vector<Shape> zshapes;
  {
    std::vector<std::pair<std::int64_t, const storage::Geometry*>> geoms;
    std::vector<std::optional<double>> areas;
    for (const auto& z : zones)
      if (z.geom) geoms.push_back({z.id.value, &*z.geom}), areas.push_back(std::nullopt);
    zshapes = shapes_in(geoms, areas, *ref);
  }
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
  for (const std::vector<Shape>* list : {&pshapes, static_cast<const std::vector<Shape>*>(&zshapes)})
    for (const auto& sh : *list)
      for (const auto& poly : sh.rings)
        for (const auto& ring : poly)
          for (const auto& p : ring)
            minx = std::min(minx, p.x), maxx = std::max(maxx, p.x), miny = std::min(miny, p.y), maxy = std::max(maxy, p.y);

  std::vector<ParcelResult> presults;
  std::vector<ZoneResult> zresults;
  ClassM2 total{};
  auto win = (pshapes.empty() && zshapes.empty()) ? std::nullopt : geo::window(*ref, minx, miny, maxx, maxy);
  if (win) {
    auto ev = evaluate_on_grid(prof, loaded->layers, *win);
    if (!ev) return ev.error();
    GridGeometry gg = ev->geometry();
    auto factor_name = [&](int pos) { return pos >= 1 && static_cast<std::size_t>(pos) <= prof.factors.size() ? prof.factors[static_cast<std::size_t>(pos - 1)].layer : std::string(); };
    for (const auto& s : pshapes) {
      ClassAreas ca = summarise(gg, ev->classes, ev->limiting, s.rings, s.area_m2);
      ParcelResult r;
      r.parcel_id = s.id;
      r.m2 = to_m2(ca);
      int dom = ca.dominant_class();
      r.dominant_class = class_code(dom);
      if (auto f = ca.dominant_factor(dom)) r.limiting_factor = factor_name(*f);
      for (int i = 0; i < kClassCount; ++i) total[static_cast<std::size_t>(i)] += r.m2[static_cast<std::size_t>(i)];
      presults.push_back(std::move(r));
    }
    for (const auto& s : zshapes) {
      ClassAreas ca = summarise(gg, ev->classes, ev->limiting, s.rings, s.area_m2);
      ZoneResult r;
      r.zone_id = s.id;
      r.m2 = to_m2(ca);
      json lim = json::array();
      for (const auto& [f, m2] : ca.ranked_factors(3)) lim.push_back({{"factor", factor_name(f)}, {"m2", std::round(m2)}});
      r.limiting = lim.dump();
      zresults.push_back(std::move(r));
    }
  } else {
    // Nothing on the grid: every shape is nodata.
    for (const auto& s : pshapes) presults.push_back({s.id, {s.area_m2, 0, 0, 0, 0}, "nodata", ""});
    for (const auto& s : zshapes) zresults.push_back({s.id, {s.area_m2, 0, 0, 0, 0}, "[]"});
  }

  json layers_used = json::array();
  for (const auto& f : prof.factors)
    if (const auto* l = loaded->layers.find(f.layer)) layers_used.push_back({{"name", l->name}, {"path", l->path}});
  RunRecord run;
  run.crop = crop;
  run.profile_version = loaded->record.version;
  run.layers = layers_used.dump();
  run.data_hash = data_hash(loaded->record.profile, loaded->layers);
  run.scope = commune;
  run.parcels = static_cast<int>(presults.size());
  run.zones = static_cast<int>(zresults.size());
  run.run_by = a.name;
  run.run_at = utc_now_iso();
  std::int64_t run_id = db_.write([&](storage::Connection& c) {
    std::int64_t id = SuitabilityRepository::insert_run(c, run);
    SuitabilityRepository::store_parcels(c, id, crop, presults, commune.empty());
    SuitabilityRepository::store_zones(c, id, crop, zresults);
    audit::record(c, a, "run", "suitability_run", std::to_string(id), std::nullopt, std::nullopt,
                  json{{"crop", crop}, {"parcels", run.parcels}, {"zones", run.zones}, {"scope", commune}});
    return id;
  });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return json{{"run_id", run_id},           {"crop", crop},        {"profile_version", run.profile_version},
              {"parcels", run.parcels},     {"zones", run.zones},  {"hectares", ha_json(total)},
              {"data_hash", run.data_hash}, {"seconds", std::round(secs * 100) / 100}};
}

Result<json> SuitabilityService::runs(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rs = db_.read([&](storage::Connection& c) { return SuitabilityRepository::runs(c, crop, 50); });
  json items = json::array();
  for (const auto& r : rs)
    items.push_back({{"id", r.id},
                     {"crop", r.crop},
                     {"profile_version", r.profile_version},
                     {"layers", json::parse(r.layers, nullptr, false)},
                     {"data_hash", r.data_hash},
                     {"scope", r.scope},
                     {"parcels", r.parcels},
                     {"zones", r.zones},
                     {"run_by", r.run_by},
                     {"run_at", r.run_at}});
  return json{{"items", items}};
}

Result<TableOut> SuitabilityService::parcel_table(const identity::Actor& a, const std::string& crop,
                                                  const std::string& commune) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto g = admin_.graph();
  std::optional<std::unordered_set<UnitId>> units;
  if (!commune.empty()) {
    const admin::AdminUnit* u = g->find_by_code_any_time(commune, CivilDate::today());
    if (!u) return Error::invalid("unknown commune", {{"commune", "no unit with code '" + commune + "'"}});
    units = std::unordered_set<UnitId>{u->id};
  }
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::parcels(c, crop, {}, units, false); });
  TableOut t;
  t.columns = {"parcel", "commune_code", "commune", "crop", "state", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha",
               "dominant_class", "limiting_factor"};
  for (const auto& r : rows) {
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    t.rows.push_back({r.external_id, u ? u->code : "", u ? u->name : "", r.crop, r.state, fmt_ha(r.m2[1]),
                      fmt_ha(r.m2[2]), fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]), r.dominant_class,
                      r.limiting_factor});
  }
  return t;
}

Result<TableOut> SuitabilityService::zone_table(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto g = admin_.graph();
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::zones(c, crop, std::nullopt, false); });
  TableOut t;
  t.columns = {"zone", "name", "commodity", "crop", "commune", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha",
               "S3_N_share", "limiting_factors"};
  for (const auto& r : rows) {
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    double evaluated = r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    std::string lim;
    for (const auto& l : json::parse(r.limiting, nullptr, false))
      lim += (lim.empty() ? "" : "; ") + l.value("factor", "") + " " + fmt_ha(l.value("m2", 0.0)) + " ha";
    t.rows.push_back({r.code, r.name, r.commodity, r.crop, u ? u->name : "", fmt_ha(r.m2[1]), fmt_ha(r.m2[2]),
                      fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]),
                      fmt_share(evaluated > 0 ? (r.m2[3] + r.m2[4]) / evaluated : 0), lim});
  }
  return t;
}

Result<TableOut> SuitabilityService::unit_table(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (crop.empty()) return Error::invalid("which crop?", {{"crop", "is required"}});
  auto g = admin_.graph();
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::parcels(c, crop, {}, std::nullopt, false); });
  // Sum per commune, then up to its district and the province (today's hierarchy;
  // a commune of before the 2025 reform rolls up through its old district).
  std::map<std::int64_t, ClassM2> by_unit;
  std::map<std::int64_t, int> count;
  CivilDate today = CivilDate::today();
  for (const auto& r : rows) {
    if (!r.unit_id) continue;
    std::vector<UnitId> chain{UnitId(*r.unit_id)};
    const admin::AdminUnit* u = g->find(UnitId(*r.unit_id));
    CivilDate on = u && u->valid_to && *u->valid_to < today ? *u->valid_to : today;
    for (auto anc : g->ancestors_on(UnitId(*r.unit_id), on)) chain.push_back(anc);
    for (auto id : chain) {
      auto& m = by_unit[id.value];
      for (int i = 0; i < kClassCount; ++i) m[static_cast<std::size_t>(i)] += r.m2[static_cast<std::size_t>(i)];
      ++count[id.value];
    }
  }
  TableOut t;
  t.columns = {"unit_code", "unit", "level", "crop", "parcels", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha"};
  std::vector<std::pair<std::string, std::int64_t>> order;
  for (const auto& [id, m] : by_unit) {
    const admin::AdminUnit* u = g->find(UnitId(id));
    order.push_back({u ? u->code : "", id});
  }
  std::sort(order.begin(), order.end());
  for (const auto& [code, id] : order) {
    const admin::AdminUnit* u = g->find(UnitId(id));
    const auto& m = by_unit[id];
    t.rows.push_back({code, u ? u->name : "", u ? std::string(admin::to_string(u->level)) : "", crop,
                      std::to_string(count[id]), fmt_ha(m[1]), fmt_ha(m[2]), fmt_ha(m[3]), fmt_ha(m[4]), fmt_ha(m[0])});
  }
  return t;
}

// ---- planning reports ------------------------------------------------------------------

Result<TableOut> SuitabilityService::zone_report(const identity::Actor& a, const std::string& crop, double min_share) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (!(min_share >= 0 && min_share <= 1))
    return Error::invalid("bad share", {{"min_share", "must be between 0 and 1"}});
  auto g = admin_.graph();
  auto [rows, profiles] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityQueries::zones(c, crop, std::nullopt, true), SuitabilityRepository::list_profiles(c));
  });
  std::map<std::string, std::string> commodity;
  for (const auto& p : profiles) commodity[p.crop] = p.commodity;
  TableOut t;
  t.columns = {"zone", "name", "commodity", "crop", "commune", "status", "S1_ha", "S2_ha", "S3_ha", "N_ha",
               "nodata_ha", "S3_N_share", "limiting_factors"};
  for (const auto& r : rows) {
    // Only zones planned for the crop the row evaluates.
    if (commodity.count(r.crop) && commodity[r.crop] != r.commodity) continue;
    double evaluated = r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    if (evaluated <= 0) continue;
    double share = (r.m2[3] + r.m2[4]) / evaluated;
    if (share <= min_share) continue;
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    std::string lim;
    for (const auto& l : json::parse(r.limiting, nullptr, false))
      lim += (lim.empty() ? "" : "; ") + l.value("factor", "") + " " + fmt_ha(l.value("m2", 0.0)) + " ha";
    t.rows.push_back({r.code, r.name, r.commodity, r.crop, u ? u->name : "", r.status, fmt_ha(r.m2[1]),
                      fmt_ha(r.m2[2]), fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]), fmt_share(share), lim});
    t.geometries.push_back(r.geom);
  }
  return t;
}

Result<SuitabilityService::CandidateReport> SuitabilityService::candidate_land(const identity::Actor& a,
                                                                               const std::vector<int>& classes) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  std::set<int> want(classes.begin(), classes.end());
  if (want.empty()) want = {1, 2};
  auto g = admin_.graph();
  auto [rows, profiles] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityQueries::parcels(c, "", {"idle", "inefficient_rice"}, std::nullopt, true),
                          SuitabilityRepository::list_profiles(c));
  });
  std::map<std::string, std::string> commodity;
  for (const auto& p : profiles) commodity[p.crop] = p.commodity;
  CandidateReport out;
  out.parcels.columns = {"parcel", "commune_code", "commune", "state", "crop", "class", "hectares", "parcel_ha"};
  std::map<std::pair<std::string, std::string>, std::pair<double, int>> totals;  // (commune code, crop)
  std::map<std::string, std::string> commune_name;
  for (const auto& r : rows) {
    // "Another crop": rice land is a candidate for the crops that are not rice.
    auto cm = commodity.find(r.crop);
    if (r.state == "inefficient_rice" && cm != commodity.end() && cm->second == "rice") continue;
    int dom = 0;
    for (int c = 1; c < kClassCount; ++c)
      if (r.dominant_class == class_code(c)) dom = c;
    if (!want.count(dom)) continue;
    double m2 = 0;
    for (int c : want)
      if (c >= 1 && c < kClassCount) m2 += r.m2[static_cast<std::size_t>(c)];
    double total = r.m2[0] + r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    std::string code = u ? u->code : "", name = u ? u->name : "";
    commune_name[code] = name;
    out.parcels.rows.push_back({r.external_id, code, name, r.state, r.crop, r.dominant_class, fmt_ha(m2), fmt_ha(total)});
    out.parcels.geometries.push_back(r.geom);
    auto& t = totals[{code, r.crop}];
    t.first += m2;
    t.second += 1;
  }
  out.totals.columns = {"commune_code", "commune", "crop", "hectares", "parcels"};
  for (const auto& [k, v] : totals)
    out.totals.rows.push_back({k.first, commune_name[k.first], k.second, fmt_ha(v.first), std::to_string(v.second)});
  return out;
}

// ---- map ----------------------------------------------------------------------------------

Result<std::string> SuitabilityService::tile_png(const identity::Actor& a, const std::string& crop, int z, int x, int y) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (z < 0 || z > 18 || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
    return Error::invalid("bad tile", {{"z/x/y", "outside the tile pyramid"}});
  auto loaded = load(crop);
  if (!loaded) return loaded.error();
  std::string key = crop + "/" + std::to_string(loaded->record.version) + "/" +
                    data_hash("", loaded->layers) + "/" + std::to_string(z) + "/" + std::to_string(x) + "/" +
                    std::to_string(y);
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = tile_cache_.find(key); it != tile_cache_.end()) return it->second;
  }
  constexpr double kHalf = 20037508.342789244;
  constexpr int kSize = 256;
  double span = 2 * kHalf / static_cast<double>(1 << z);
  geo::TargetGrid tile;
  tile.epsg = 3857;
  tile.gt = {-kHalf + x * span, span / kSize, 0, kHalf - y * span, 0, -span / kSize};
  tile.width = tile.height = kSize;
  std::vector<std::uint8_t> rgba(4u * kSize * kSize, 0);
  // Skip tiles away from the reference grid (transparent).
  auto ref = reference_grid(loaded->profile, loaded->layers);
  if (!ref) return ref.error();
  geo::TargetGrid merc;
  merc.epsg = 3857;
  auto corners = geo::transform_points({{ref->gt[0], ref->gt[3]},
                                        {ref->gt[0] + ref->width * ref->gt[1], ref->gt[3]},
                                        {ref->gt[0], ref->gt[3] + ref->height * ref->gt[5]},
                                        {ref->gt[0] + ref->width * ref->gt[1], ref->gt[3] + ref->height * ref->gt[5]}},
                                       *ref, merc);
  bool meets = true;
  if (corners) {
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (const auto& p : *corners)
      minx = std::min(minx, p[0]), maxx = std::max(maxx, p[0]), miny = std::min(miny, p[1]), maxy = std::max(maxy, p[1]);
    double tx0 = tile.gt[0], tx1 = tx0 + span, ty1 = tile.gt[3], ty0 = ty1 - span;
    meets = !(tx1 < minx || tx0 > maxx || ty1 < miny || ty0 > maxy);
  }
  if (meets) {
    auto ev = evaluate_on_grid(loaded->profile, loaded->layers, tile, true);
    if (!ev) return ev.error();
    for (std::size_t i = 0; i < ev->classes.size(); ++i) {
      int c = ev->classes[i] < kClassCount ? ev->classes[i] : 0;
      std::copy(kColours[c], kColours[c] + 4, rgba.begin() + static_cast<std::ptrdiff_t>(4 * i));
    }
  }
  auto png = geo::encode_png(kSize, kSize, rgba);
  if (!png) return png.error();
  std::lock_guard lock(cache_mutex_);
  if (tile_order_.size() >= 4000) {
    tile_cache_.erase(tile_order_.front());
    tile_order_.erase(tile_order_.begin());
  }
  if (tile_cache_.emplace(key, *png).second) tile_order_.push_back(key);
  return *png;
}

Result<json> SuitabilityService::point(const identity::Actor& a, const std::string& crop, double lon, double lat) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
    return Error::invalid("bad coordinates", {{"lon/lat", "outside -180..180 / -90..90"}});
  auto loaded = load(crop);
  if (!loaded) return loaded.error();
  const CropProfile& p = loaded->profile;
  auto ref = reference_grid(p, loaded->layers);
  if (!ref) return ref.error();
  geo::TargetGrid wgs;
  wgs.epsg = 4326;
  auto xy = geo::transform_points({{lon, lat}}, wgs, *ref);
  if (!xy) return xy.error();
  auto pv = values_at(p, loaded->layers, *ref, (*xy)[0][0], (*xy)[0][1]);
  if (!pv) return pv.error();
  json out = {{"crop", crop}, {"lon", lon}, {"lat", lat}, {"profile_version", loaded->record.version}};
  if (!*pv) {
    out["class"] = "nodata";
    out["inside"] = false;
    out["factors"] = json::array();
    return out;
  }
  auto cell = evaluate_cell(p, p.method, (*pv)->values);
  json factors = json::array();
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    const auto& f = p.factors[i];
    const auto& fe = cell.factors[i];
    double v = (*pv)->values[i];
    json j = {{"layer", f.layer},
              {"type", factor_type_name(f.type)},
              {"unit", f.unit},
              {"value", std::isnan(v) ? json(nullptr) : json(v)},
              {"class", class_name(fe.cls)},
              {"rating", std::isnan(fe.rating) ? json(nullptr) : json(fe.rating)},
              {"advisory", f.advisory},
              {"sourced", !f.source.empty()}};
    const auto* l = loaded->layers.find(f.layer);
    j["illustrative"] = l ? l->illustrative : false;
    if (f.type == FactorType::categorical && !std::isnan(v)) {
      for (const auto& [code, label] : f.legend)
        if (static_cast<double>(code) == v) j["label"] = label;
      if (!j.contains("label") && l) {
        auto it = l->codes.find(std::to_string(static_cast<long long>(v)));
        if (it != l->codes.end()) j["label"] = it->second;
      }
    }
    factors.push_back(j);
  }
  out["inside"] = true;
  out["cell"] = {{"col", (*pv)->col}, {"row", (*pv)->row}};
  out["class"] = class_name(cell.cls);
  out["limiting_factor"] = cell.limiting > 0 ? json(p.factors[static_cast<std::size_t>(cell.limiting - 1)].layer) : json(nullptr);
  out["index"] = std::isnan(cell.index) ? json(nullptr) : json(cell.index);
  out["method"] = method_name(p.method);
  out["factors"] = factors;
  return out;
}

Result<json> SuitabilityService::evaluate_area(const identity::Actor& a, const json& doc, const AreaSpec& area) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto p = parse_crop_profile(doc);
  if (!p) {
    auto e = p.error();
    for (auto& f : e.fields) f.field = "profile." + f.field;
    return e;
  }
  if (auto s = check_method(*p, p->method); !s) {
    auto e = s.error();
    for (auto& f : e.fields) f.field = "profile." + f.field;
    return e;
  }
  auto layers = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_layers(c); });
  LayerSet set{std::move(layers), raster_dir_};
  auto ref = reference_grid(*p, set);
  if (!ref) return ref.error();
  // The area as a geometry.
  storage::Geometry geom;
  std::string label;
  if (area.bbox) {
    const auto& b = *area.bbox;
    if (!(b[0] < b[2] && b[1] < b[3])) return Error::invalid("bad bbox", {{"bbox", "min_lon,min_lat,max_lon,max_lat"}});
    char wkt[256];
    std::snprintf(wkt, sizeof wkt, "POLYGON((%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f))", b[0], b[1], b[2], b[1],
                  b[2], b[3], b[0], b[3], b[0], b[1]);
    auto g = geo::from_wkt(wkt, 4326);
    if (!g) return g.error();
    geom = *g;
    label = "bbox";
  } else if (!area.zone.empty()) {
    auto z = db_.read([&](storage::Connection& c) {
      auto found = registry::RegistryRepository::find_zone_by_code(c, area.zone);
      return found ? registry::RegistryRepository::find_zone(c, found->id, true) : std::nullopt;
    });
    if (!z || !z->geom) return Error::invalid("unknown zone", {{"zone", "no zone with code '" + area.zone + "' and a boundary"}});
    geom = *z->geom;
    label = z->name;
  } else if (!area.commune.empty()) {
    auto g = admin_.graph();
    const admin::AdminUnit* u = g->find_by_code_any_time(area.commune, CivilDate::today());
    if (!u) return Error::invalid("unknown commune", {{"commune", "no unit with code '" + area.commune + "'"}});
    auto gm = db_.read([&](storage::Connection& c) { return admin::AdminRepository::geometries(c, {u->id}); });
    if (gm.empty()) return Error::invalid("the commune has no boundary", {{"commune", area.commune}});
    geom = gm.begin()->second;
    label = u->name;
  } else {
    return Error::invalid("which area?", {{"area", "give bbox, zone or commune"}});
  }
  auto w = geo::transform_wkb(geom.wkb, geom.srid, *ref);
  if (!w) return w.error();
  auto rings = polygons_from_wkb(*w);
  if (!rings) return rings.error();
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
  for (const auto& poly : *rings)
    for (const auto& ring : poly)
      for (const auto& q : ring)
        minx = std::min(minx, q.x), maxx = std::max(maxx, q.x), miny = std::min(miny, q.y), maxy = std::max(maxy, q.y);
  auto win = geo::window(*ref, minx, miny, maxx, maxy);
  auto m2 = geo::area_m2(geom);
  double area_m2 = m2 ? *m2 : 0;
  json out = {{"crop", p->crop}, {"area", label}, {"area_ha", area_m2 / 1e4}};
  if (!win) {
    out["hectares"] = ha_json({area_m2, 0, 0, 0, 0});
    out["limiting"] = json::array();
    return out;
  }
  if (static_cast<long long>(win->width) * win->height > 4'000'000)
    return Error::invalid("the area is too large to re-evaluate at once", {{"area", "choose a zone, a commune or a smaller box"}});
  auto ev = evaluate_on_grid(*p, set, *win);
  if (!ev) return ev.error();
  GridGeometry gg = ev->geometry();
  ClassAreas ca = summarise(gg, ev->classes, ev->limiting, *rings, area_m2);
  out["hectares"] = ha_json(to_m2(ca));
  json lim = json::array();
  for (const auto& [f, v] : ca.ranked_factors(2))
    if (f >= 1 && static_cast<std::size_t>(f) <= p->factors.size())
      lim.push_back({{"factor", p->factors[static_cast<std::size_t>(f - 1)].layer}, {"ha", v / 1e4}});
  out["limiting"] = lim;
  // The class image of the window, cells outside the area transparent; at most
  // ~400 px on the long side (every k-th cell).
  auto shares = cell_shares(gg, *rings);
  std::vector<std::uint8_t> covered(ev->classes.size(), 0);
  for (const auto& s : shares) covered[static_cast<std::size_t>(s.row) * gg.width + s.col] = 1;
  int k = std::max(1, (std::max(gg.width, gg.height) + 399) / 400);
  int iw = (gg.width + k - 1) / k, ih = (gg.height + k - 1) / k;
  std::vector<std::uint8_t> rgba(4u * static_cast<std::size_t>(iw) * static_cast<std::size_t>(ih), 0);
  for (int r = 0; r < ih; ++r)
    for (int c = 0; c < iw; ++c) {
      std::size_t i = static_cast<std::size_t>(r * k) * gg.width + static_cast<std::size_t>(c * k);
      if (!covered[i]) continue;
      int cls = ev->classes[i] < kClassCount ? ev->classes[i] : 0;
      std::copy(kColours[cls], kColours[cls] + 4, rgba.begin() + 4 * (static_cast<std::ptrdiff_t>(r) * iw + c));
    }
  auto png = geo::encode_png(iw, ih, rgba);
  if (!png) return png.error();
  geo::TargetGrid wgs;
  wgs.epsg = 4326;
  double x0 = win->gt[0], y0 = win->gt[3], x1 = x0 + win->width * win->gt[1], y1 = y0 + win->height * win->gt[5];
  auto corners = geo::transform_points({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, *ref, wgs);
  if (corners) {
    json cs = json::array();
    for (const auto& q : *corners) cs.push_back({q[0], q[1]});
    out["image_corners"] = cs;  // top-left, top-right, bottom-right, bottom-left (MapLibre image source)
  }
  out["image"] = "data:image/png;base64," + base64(*png);
  return out;
}

Result<json> SuitabilityService::map_info(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto loaded = load(crop);
  if (!loaded) return loaded.error();
  json layers = json::array();
  bool illustrative = false;
  for (const auto& f : loaded->profile.factors) {
    const auto* l = loaded->layers.find(f.layer);
    layers.push_back({{"layer", f.layer},
                      {"registered", l != nullptr},
                      {"illustrative", l ? l->illustrative : false},
                      {"sourced", !f.source.empty()},
                      {"advisory", f.advisory}});
    illustrative = illustrative || (l && l->illustrative);
  }
  json out = {{"crop", crop},
              {"name_vi", loaded->record.name_vi},
              {"version", loaded->record.version},
              {"sourced", loaded->record.sourced},
              {"illustrative", illustrative},
              {"layers", layers}};
  auto ref = reference_grid(loaded->profile, loaded->layers);
  if (ref) {
    geo::TargetGrid wgs;
    wgs.epsg = 4326;
    double x0 = ref->gt[0], y0 = ref->gt[3], x1 = x0 + ref->width * ref->gt[1], y1 = y0 + ref->height * ref->gt[5];
    auto c = geo::transform_points({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, *ref, wgs);
    if (c) {
      double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
      for (const auto& p : *c)
        minx = std::min(minx, p[0]), maxx = std::max(maxx, p[0]), miny = std::min(miny, p[1]), maxy = std::max(maxy, p[1]);
      out["bounds"] = {minx, miny, maxx, maxy};
    }
  } else {
    out["error"] = ref.error().message;
  }
  auto run = db_.read([&](storage::Connection& c) { return SuitabilityRepository::latest_run(c, crop); });
  if (run) out["last_run"] = {{"id", run->id}, {"run_at", run->run_at}, {"parcels", run->parcels}, {"zones", run->zones}};
  return out;
}

}  // namespace nongsan::suitability
