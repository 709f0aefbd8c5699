#include "modules/suitability/map_service.hpp"

#include <algorithm>
#include <cmath>

#include "core/base64.hpp"
#include "core/civil_date.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/grid_image.hpp"
#include "geo/grid_warp.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/profile_service.hpp"
#include "modules/suitability/suitability_format.hpp"
#include "modules/suitability/suitability_repository.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

Result<std::string> MapService::tile_png(const identity::Actor& a, const std::string& crop, int z, int x, int y) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (z < 0 || z > 18 || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
    return Error::invalid("bad tile", {{"z/x/y", "outside the tile pyramid"}});
  auto loaded = load_profile(db_, crop, folder_);
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
      std::copy(kClassColours[c], kClassColours[c] + 4, rgba.begin() + static_cast<std::ptrdiff_t>(4 * i));
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

Result<json> MapService::point(const identity::Actor& a, const std::string& crop, double lon, double lat) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
    return Error::invalid("bad coordinates", {{"lon/lat", "outside -180..180 / -90..90"}});
  auto loaded = load_profile(db_, crop, folder_);
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
              {"unit_vi", f.unit_vi},
              {"value", std::isnan(v) ? json(nullptr) : json(v)},
              {"class", class_name(fe.cls)},
              {"rating", std::isnan(fe.rating) ? json(nullptr) : json(fe.rating)},
              {"advisory", f.advisory},
              {"sourced", !f.source.empty()}};
    const auto* l = loaded->layers.find(f.layer);
    j["illustrative"] = l ? l->illustrative : false;
    if (f.type == FactorType::categorical && !std::isnan(v)) {
      // The category's name in Vietnamese (what the UI shows first) and as researched.
      for (const auto& [code, label] : f.legend_vi)
        if (static_cast<double>(code) == v) j["label_vi"] = label;
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

Result<json> MapService::evaluate_area(const identity::Actor& a, const json& doc, const AreaSpec& area) {
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
  LayerSet set{std::move(layers), folder_};
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
      std::copy(kClassColours[cls], kClassColours[cls] + 4, rgba.begin() + 4 * (static_cast<std::ptrdiff_t>(r) * iw + c));
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
  out["image"] = "data:image/png;base64," + base64_encode(*png);
  return out;
}

Result<json> MapService::map_info(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto loaded = load_profile(db_, crop, folder_);
  if (!loaded) return loaded.error();
  json layers = json::array();
  bool illustrative = false;
  for (const auto& f : loaded->profile.factors) {
    const auto* l = loaded->layers.find(f.layer);
    layers.push_back({{"layer", f.layer},
                      {"unit", f.unit},
                      {"unit_vi", f.unit_vi},
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
