#include "modules/suitability/run_service.hpp"

#include <chrono>
#include <cmath>
#include <map>

#include "core/civil_date.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/grid_warp.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/profile_service.hpp"
#include "modules/suitability/suitability_format.hpp"
#include "modules/suitability/suitability_repository.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

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

struct RunService::ShapeCache {
  std::map<std::string, std::vector<Shape>> parcels;  // by grid key
};

Result<json> RunService::run(const identity::Actor& a, const RunOptions& o) {
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

Result<json> RunService::run_one(const identity::Actor& a, const std::string& crop, const std::string& commune,
                                         ShapeCache& cache) {
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = load_profile(db_, crop, folder_);
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

Result<json> RunService::runs(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rs = db_.read([&](storage::Connection& c) { return SuitabilityRepository::runs(c, crop, 50); });
  const bool paths = shows_paths(a);
  json items = json::array();
  for (const auto& r : rs) {
    json layers = json::parse(r.layers, nullptr, false);
    if (!paths && layers.is_array())
      for (auto& l : layers)
        if (l.is_object()) l.erase("path");
    items.push_back({{"id", r.id},
                     {"crop", r.crop},
                     {"profile_version", r.profile_version},
                     {"layers", layers},
                     {"data_hash", r.data_hash},
                     {"scope", r.scope},
                     {"parcels", r.parcels},
                     {"zones", r.zones},
                     {"run_by", r.run_by},
                     {"run_at", r.run_at}});
  }
  return json{{"items", items}};
}

}  // namespace nongsan::suitability
