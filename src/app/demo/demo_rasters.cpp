// Illustrative terrain, soil and climate rasters for Lai Châu, so that the land
// suitability pages and reports have something to show. NOTHING here is measured:
// every file carries ILLUSTRATIVE=yes in its metadata and every raster_layer row
// is flagged illustrative.
//
// How the numbers are made (deterministic, no clock, no randomness from the
// platform):
// - elevation: a mountain block of ~1,300 m with fractal value noise, the
//   Hoàng Liên Sơn range along the eastern border (to >3,000 m), the Pu Si Lung
//   massif in the north-west (~3,000 m), and the Đà, Nậm Na and Nậm Mu valleys cut
//   down towards ~200–500 m. Rice land (the registry's paddy parcels) lies on flat
//   valley floors: the floor indicator V is a blurred density of paddy parcels, and
//   where V is high the surface is levelled to a smoothed floor. Land marked
//   inefficient rice or idle counts less towards V (such land is typically the upper
//   terraces without reliable water), so it ends up on the valley edges.
// - tmean falls with altitude from ~23 °C at 300 m (lapse rate 0.6 °C / 100 m);
//   tmean_season (the warm growing season) is 3.5 °C above it; tmin_abs (absolute
//   minimum) 17 °C below it.
// - rainfall 1,800–2,900 mm/year, wetter with altitude.
// - soil_depth, ph, canopy_cover: from slope, V and noise; texture, drainage and
//   water_availability: categorical, from V and noise, coded with the codes of the
//   shipped profiles' legends (data/crop-profiles.json), so the profiles read them.
// - slope: derived from the elevation file when it is registered.
// Grid: 100 m cells in VN-2000 / TM-3 103-00 (EPSG:9205) over the province,
// nodata outside its boundary.
#include "app/demo/demo_rasters.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "app/demo/demo.hpp"
#include "app/embedded_data.hpp"
#include "core/wkb.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/grid_image.hpp"
#include "geo/planar.hpp"
#include "modules/admin/admin_repository.hpp"
#include "storage/wkb_envelope.hpp"

namespace nongsan::app {

namespace {

constexpr double kCell = 100;  // m
constexpr float kNoData = -9999.0f;
constexpr std::uint8_t kNoCode = 0;

// ---- noise --------------------------------------------------------------------

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
double lattice(std::int64_t i, std::int64_t j, std::uint64_t seed) {
  std::uint64_t h = mix(seed ^ mix(static_cast<std::uint64_t>(i) * 0x100000001B3ull ^ static_cast<std::uint64_t>(j)));
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0;  // [-1, 1)
}
double smooth(double t) { return t * t * t * (t * (t * 6 - 15) + 10); }
// Value noise at wavelength `w` metres, in [-1, 1].
double value_noise(double x, double y, double w, std::uint64_t seed) {
  double u = x / w, v = y / w;
  auto i = static_cast<std::int64_t>(std::floor(u)), j = static_cast<std::int64_t>(std::floor(v));
  double fu = smooth(u - static_cast<double>(i)), fv = smooth(v - static_cast<double>(j));
  double a = lattice(i, j, seed), b = lattice(i + 1, j, seed), c = lattice(i, j + 1, seed), d = lattice(i + 1, j + 1, seed);
  return (a + (b - a) * fu) + ((c + (d - c) * fu) - (a + (b - a) * fu)) * fv;
}
// Fractal sum of octaves (roughly [-1, 1]).
double fractal(double x, double y, double w, int octaves, std::uint64_t seed) {
  double s = 0, amp = 1, norm = 0;
  for (int o = 0; o < octaves; ++o) {
    s += amp * value_noise(x, y, w, seed + static_cast<std::uint64_t>(o) * 7919);
    norm += amp;
    amp *= 0.5;
    w *= 0.5;
  }
  return s / norm;
}

// ---- features in metres (geo/planar.hpp) --------------------------------------------

using Pt = geo::planar::Point;

Result<std::vector<Pt>> to_metres(const std::vector<std::pair<double, double>>& lonlat) {
  std::string wkt = "MULTIPOINT(";
  for (std::size_t i = 0; i < lonlat.size(); ++i)
    wkt += (i ? "," : "") + std::string("(") + std::to_string(lonlat[i].first) + " " + std::to_string(lonlat[i].second) + ")";
  wkt += ")";
  auto g = geo::from_wkt(wkt, geo::kWgs84);
  if (!g) return g.error();
  auto t = geo::transform(*g, geo::kProvinceCrs);
  if (!t) return t.error();
  auto out = wkb::read_points(t->wkb);
  if (!out) return out.error();
  if (out->size() != lonlat.size()) return Error::internal("demo rasters: unexpected WKB from transform");
  return out;
}

// Box blur (separable, repeated = ~Gaussian) of a grid, radius in cells.
void blur(std::vector<float>& v, int w, int h, int radius, int passes) {
  std::vector<float> tmp(v.size());
  for (int p = 0; p < passes; ++p) {
    for (int y = 0; y < h; ++y) {
      double s = 0;
      int n = 0;
      for (int x = -radius; x <= radius; ++x)
        if (x >= 0 && x < w) s += v[static_cast<std::size_t>(y) * w + x], ++n;
      for (int x = 0; x < w; ++x) {
        tmp[static_cast<std::size_t>(y) * w + x] = static_cast<float>(s / n);
        int out = x - radius, in = x + radius + 1;
        if (out >= 0) s -= v[static_cast<std::size_t>(y) * w + out], --n;
        if (in < w) s += v[static_cast<std::size_t>(y) * w + in], ++n;
      }
    }
    for (int x = 0; x < w; ++x) {
      double s = 0;
      int n = 0;
      for (int y = -radius; y <= radius; ++y)
        if (y >= 0 && y < h) s += tmp[static_cast<std::size_t>(y) * w + x], ++n;
      for (int y = 0; y < h; ++y) {
        v[static_cast<std::size_t>(y) * w + x] = static_cast<float>(s / n);
        int out = y - radius, in = y + radius + 1;
        if (out >= 0) s -= tmp[static_cast<std::size_t>(out) * w + x], --n;
        if (in < h) s += tmp[static_cast<std::size_t>(in) * w + x], ++n;
      }
    }
  }
}

// Label -> code of a categorical layer, from the legends of the shipped profiles.
std::map<std::string, int> legend_codes(const std::string& layer) {
  std::map<std::string, int> out;
  auto text = embedded_file("crop-profiles.json");
  if (!text) return out;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& p : j)
    for (const auto& f : p.value("factors", nlohmann::json::array()))
      if (f.value("layer", "") == layer && f.contains("legend") && f["legend"].is_object())
        for (const auto& [code, label] : f["legend"].items())
          if (label.is_string()) {
            try {
              out.emplace(label.get<std::string>(), std::stoi(code));
            } catch (...) {
            }
          }
  return out;
}

// Picks the code of the first label the legend knows, else `fallback`.
int code_of(const std::map<std::string, int>& legend, std::initializer_list<const char*> labels, int fallback) {
  for (const char* l : labels)
    if (auto it = legend.find(l); it != legend.end()) return it->second;
  return fallback;
}

}  // namespace

Result<std::vector<DemoRaster>> write_demo_rasters(App& app, const std::filesystem::path& dir) {
  // The province boundary (the unit without a parent, valid today) in metres.
  auto graph = app.admin().graph();
  std::vector<UnitId> roots = graph->roots_on(CivilDate::today());
  if (roots.empty()) return Error::not_found("demo rasters: no province in the database");
  auto geoms = app.db().read([&](storage::Connection& c) { return admin::AdminRepository::geometries(c, roots); });
  if (geoms.empty()) return Error::not_found("demo rasters: the province has no boundary");
  auto boundary = geo::transform(geoms.begin()->second, geo::kProvinceCrs);
  if (!boundary) return boundary.error();
  auto shape = geo::planar::polygons_of(*boundary);
  if (!shape) return shape.error();
  auto bb = geo::bounds(*boundary);
  if (!bb) return Error::invalid("demo rasters: empty province boundary");

  struct {
    double x0, y0, dx, dy;
    int width, height;
  } grid;
  grid.x0 = std::floor(bb->min_x / kCell) * kCell - kCell;
  grid.y0 = std::ceil(bb->max_y / kCell) * kCell + kCell;
  grid.dx = kCell;
  grid.dy = -kCell;
  grid.width = static_cast<int>(std::ceil((bb->max_x - grid.x0) / kCell)) + 1;
  grid.height = static_cast<int>(std::ceil((grid.y0 - bb->min_y) / kCell)) + 1;
  const int W = grid.width, H = grid.height;
  const std::size_t N = static_cast<std::size_t>(W) * static_cast<std::size_t>(H);

  // Cells whose centre is inside the province.
  std::vector<std::uint8_t> inside = geo::planar::cells_inside(*shape, grid.x0, grid.y0, grid.dx, grid.dy, W, H);

  // Paddy density from the registry (centres of rice parcels), blurred into V.
  std::vector<float> paddy(N, 0.0f);
  {
    auto rows = app.db().read([](storage::Connection& c) {
      return c.query("SELECT land_use_code, state, geom FROM parcel WHERE valid_to IS NULL AND geom IS NOT NULL");
    });
    std::vector<std::pair<double, double>> centres;
    std::vector<float> weight;
    for (const auto& r : rows.rows) {
      std::string lu = r.str("land_use_code"), state = r.str("state");
      bool rice = lu == "LUC" || lu == "LUK" || state == "inefficient_rice";
      if (!rice && state != "idle") continue;
      auto g = r.opt_geometry("geom");
      if (!g) continue;
      auto env = storage::wkb_envelope(g->wkb);
      if (!env) continue;
      centres.push_back({(env->min_x + env->max_x) / 2, (env->min_y + env->max_y) / 2});
      weight.push_back(state == "in_use" ? 1.0f : state == "inefficient_rice" ? 0.25f : 0.15f);
    }
    if (!centres.empty()) {
      auto pts = to_metres(centres);
      if (!pts) return pts.error();
      for (std::size_t i = 0; i < pts->size(); ++i) {
        int col = static_cast<int>(((*pts)[i].x - grid.x0) / kCell), row = static_cast<int>(((*pts)[i].y - grid.y0) / grid.dy);
        if (col >= 0 && col < W && row >= 0 && row < H) paddy[static_cast<std::size_t>(row) * W + col] += weight[i];
      }
    }
    blur(paddy, W, H, 3, 2);
  }

  // The large relief features (data/demo/rasters.json), their lon/lat anchors in metres.
  const nlohmann::json features = demo_data("demo/rasters.json");
  auto line_in_metres = [&](const nlohmann::json& lonlat) -> Result<std::vector<geo::planar::Segment>> {
    std::vector<std::pair<double, double>> points;
    for (const auto& p : lonlat) points.push_back({p[0].get<double>(), p[1].get<double>()});
    auto m = to_metres(points);
    if (!m) return m.error();
    return geo::planar::segments_of_line(*m);
  };
  const nlohmann::json& ridge_spec = features["ridge"];
  const nlohmann::json& massif_spec = features["massif"];
  auto crest = line_in_metres(ridge_spec["line"]);
  if (!crest) return crest.error();
  auto massif = to_metres({{massif_spec["at"][0].get<double>(), massif_spec["at"][1].get<double>()}});
  if (!massif) return massif.error();
  const Pt pu_si_lung = (*massif)[0];
  const double ridge_rise = ridge_spec["rise_m"], ridge_width = ridge_spec["width_m"];
  const double massif_rise = massif_spec["rise_m"], massif_width = massif_spec["width_m"];
  struct River {
    std::vector<geo::planar::Segment> line;
    double level, width;
  };
  std::vector<River> rivers;
  for (const auto& r : features["rivers"]) {
    auto line = line_in_metres(r["line"]);
    if (!line) return line.error();
    rivers.push_back({std::move(*line), r["level_m"].get<double>(), r["width_m"].get<double>()});
  }

  std::vector<float> elev(N, kNoData);
  for (int row = 0; row < H; ++row)
    for (int col = 0; col < W; ++col) {
      double x = grid.x0 + (col + 0.5) * kCell, y = grid.y0 + (row + 0.5) * grid.dy;
      double e = 1000 + 480 * fractal(x, y, 40000, 6, 11) + 150 * fractal(x, y, 3000, 3, 12);
      double dc = geo::planar::distance(*crest, {x, y});
      e += ridge_rise * std::exp(-(dc * dc) / (2 * ridge_width * ridge_width));
      double dp = std::hypot(x - pu_si_lung.x, y - pu_si_lung.y);
      e += massif_rise * std::exp(-(dp * dp) / (2 * massif_width * massif_width));
      // Valleys: carve towards the river level with a width of a few km.
      for (const River& r : rivers) {
        double d = geo::planar::distance(r.line, {x, y});
        double k = std::exp(-(d * d) / (2 * r.width * r.width));
        e = e * (1 - k) + (r.level + 0.08 * d) * k;
      }
      elev[static_cast<std::size_t>(row) * W + col] = static_cast<float>(e);
    }
  // Valley floors: level the surface where paddy is dense.
  std::vector<float> floor_level = elev;
  blur(floor_level, W, H, 8, 2);
  std::vector<float> V(N, 0.0f);
  for (std::size_t i = 0; i < N; ++i) {
    double v = std::clamp(static_cast<double>(paddy[i]) * 1.6, 0.0, 1.0);
    V[i] = static_cast<float>(v);
    // Paddy floors lie low: at most ~300 m plus a third of the surrounding height.
    double fl = std::clamp(std::min(floor_level[i] - 150.0, 300.0 + 0.35 * (floor_level[i] - 300.0)), 180.0, 1000.0);
    elev[i] = static_cast<float>(elev[i] * (1 - v) + fl * v);
  }
  blur(V, W, H, 1, 1);
  for (std::size_t i = 0; i < N; ++i) elev[i] = std::clamp(elev[i], 150.0f, 3150.0f);

  // Slope in degrees (Horn's method on the 3×3 neighbourhood), only to shape the soils
  // below; the slope layer itself is derived from the elevation file when it is
  // registered (SuitabilityService::register_layer, GDAL DEM processing).
  std::vector<float> slope(N, 0.0f);
  for (int row = 1; row + 1 < H; ++row)
    for (int col = 1; col + 1 < W; ++col) {
      auto z = [&](int dc, int dr) { return static_cast<double>(elev[static_cast<std::size_t>(row + dr) * W + col + dc]); };
      double gx = ((z(1, -1) + 2 * z(1, 0) + z(1, 1)) - (z(-1, -1) + 2 * z(-1, 0) + z(-1, 1))) / (8 * kCell);
      double gy = ((z(-1, 1) + 2 * z(0, 1) + z(1, 1)) - (z(-1, -1) + 2 * z(0, -1) + z(1, -1))) / (8 * kCell);
      slope[static_cast<std::size_t>(row) * W + col] = static_cast<float>(std::atan(std::hypot(gx, gy)) * 180 / M_PI);
    }

  auto tex = legend_codes("texture");
  auto drn = legend_codes("drainage");
  auto wat = legend_codes("water_availability");
  const int t_clay_loam = code_of(tex, {"clay loam"}, 5), t_silty_clay_loam = code_of(tex, {"silty clay loam"}, 6),
            t_loam = code_of(tex, {"loam"}, 3), t_sandy_loam = code_of(tex, {"sandy loam"}, 2),
            t_light_clay = code_of(tex, {"light clay", "clay"}, 7), t_light_loam = code_of(tex, {"light loam", "loam"}, 4);
  const int d_poor = code_of(drn, {"poor"}, 5), d_imperfect = code_of(drn, {"imperfect"}, 4),
            d_mod = code_of(drn, {"moderately well"}, 2), d_well = code_of(drn, {"well"}, 1),
            d_exc = code_of(drn, {"somewhat excessive"}, 3);
  const int w_full = code_of(wat, {"irrigated, full control (chủ động)", "irrigated"}, 1),
            w_part = code_of(wat, {"partial / gravity stream-fed (bán chủ động)", "partially irrigated"}, 2),
            w_rain = code_of(wat, {"rainfed (nhờ nước trời)", "rainfed, season rainfall adequate"}, 3),
            w_none = code_of(wat, {"no reliable water", "rainfed, dry season"}, 4);

  std::vector<float> tmean(N, kNoData), tseason(N, kNoData), tmin(N, kNoData), rain(N, kNoData), depth(N, kNoData),
      ph(N, kNoData), canopy(N, kNoData), texture(N, kNoCode), drainage(N, kNoCode), water(N, kNoCode);
  for (int row = 0; row < H; ++row)
    for (int col = 0; col < W; ++col) {
      std::size_t i = static_cast<std::size_t>(row) * W + col;
      if (!inside[i]) {
        elev[i] = kNoData;
        slope[i] = kNoData;
        continue;
      }
      double x = grid.x0 + (col + 0.5) * kCell, y = grid.y0 + (row + 0.5) * grid.dy;
      double e = elev[i], s = slope[i], v = V[i];
      double n1 = fractal(x, y, 6000, 3, 21), n2 = fractal(x, y, 9000, 3, 22), n3 = fractal(x, y, 4000, 2, 23);
      double t = 23.0 - 0.006 * (e - 300) + 0.4 * fractal(x, y, 20000, 2, 24);
      tmean[i] = static_cast<float>(t);
      tseason[i] = static_cast<float>(t + 3.5);
      tmin[i] = static_cast<float>(t - 17.0 + 1.0 * n3);
      rain[i] = static_cast<float>(std::clamp(1950 + 0.3 * (e - 300) + 300 * n2, 1800.0, 2900.0));
      depth[i] = static_cast<float>(std::clamp(165 - 3.2 * s + 45 * n1 + 40 * v, 25.0, 250.0));
      ph[i] = static_cast<float>(std::clamp(5.1 + 0.5 * n3 + 1.0 * v - 0.0002 * (e - 1000), 4.2, 7.2));
      canopy[i] = static_cast<float>(std::clamp(25 + (e - 700) / 18 + 35 * n2 - 70 * v, 0.0, 95.0));
      // Soils: alluvial clay loams on the floors, loams and sandy loams on the slopes.
      if (v > 0.55) texture[i] = static_cast<float>(n1 > 0.1 ? t_silty_clay_loam : t_clay_loam);
      else if (n1 > 0.35) texture[i] = static_cast<float>(t_light_clay);
      else if (n1 > -0.05) texture[i] = static_cast<float>(t_loam);
      else if (n1 > -0.35) texture[i] = static_cast<float>(e > 1500 ? t_light_loam : t_clay_loam);
      else texture[i] = static_cast<float>(t_sandy_loam);
      if (v > 0.7) drainage[i] = static_cast<float>(d_poor);
      else if (v > 0.5) drainage[i] = static_cast<float>(d_imperfect);
      else if (v > 0.2 || s < 3) drainage[i] = static_cast<float>(d_mod);
      else if (s > 30 && n3 > 0.2) drainage[i] = static_cast<float>(d_exc);
      else drainage[i] = static_cast<float>(d_well);
      if (v > 0.6) water[i] = static_cast<float>(w_full);
      else if (v > 0.25) water[i] = static_cast<float>(w_part);
      else if (s < 25) water[i] = static_cast<float>(w_rain);
      else water[i] = static_cast<float>(w_none);
    }

  std::vector<DemoRaster> out;
  auto write = [&](const std::string& name, const std::vector<float>& values, bool categorical, const std::string& unit,
                   const std::string& what, const std::map<std::string, int>& legend) -> Status {
    geo::GeoTiffSpec spec;
    spec.x0 = grid.x0, spec.y0 = grid.y0, spec.dx = grid.dx, spec.dy = grid.dy;
    spec.width = W, spec.height = H;
    spec.epsg = geo::kProvinceCrs;
    spec.nodata = categorical ? 0 : kNoData;
    spec.description = name;
    spec.metadata = {{"ILLUSTRATIVE", "yes"},
                     {"SOURCE", "nongsan demo: illustrative, generated (not measured)"},
                     {"LAYER", name},
                     {"UNIT", unit}};
    std::string file = "demo-" + name + ".tif";
    if (auto s = geo::write_geotiff(dir / file, spec, values, categorical); !s) return s;
    DemoRaster r;
    r.name = name;
    r.file = file;
    r.categorical = categorical;
    r.unit = unit;
    r.description = what;
    for (const auto& [label, code] : legend) r.codes[std::to_string(code)] = label;
    out.push_back(std::move(r));
    return {};
  };
  const std::map<std::string, const std::vector<float>*> values = {
      {"elevation", &elev},     {"tmean", &tmean},   {"tmean_season", &tseason}, {"tmin_abs", &tmin},
      {"rainfall", &rain},      {"soil_depth", &depth}, {"ph", &ph},          {"canopy_cover", &canopy},
      {"texture", &texture},    {"drainage", &drainage}, {"water_availability", &water}};
  const std::map<std::string, const std::map<std::string, int>*> legends = {
      {"texture", &tex}, {"drainage", &drn}, {"water_availability", &wat}};
  const std::map<std::string, int> none;
  for (const auto& l : features["layers"]) {
    const std::string name = l["name"];
    auto v = values.find(name);
    if (v == values.end()) return Error::internal("demo rasters: data/demo/rasters.json names an unknown layer " + name);
    auto legend = legends.find(name);
    if (auto s = write(name, *v->second, l.value("categorical", false), l["unit"], l["description"],
                       legend == legends.end() ? none : *legend->second);
        !s)
      return s.error();
  }
  return out;
}

}  // namespace nongsan::app
