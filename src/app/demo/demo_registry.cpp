// An illustrative land registry for Lai Châu: production zones, ~35,000 parcels,
// households, cooperatives and enterprises, land linkage, plantings and crop
// conversions. Every record is labelled illustrative (`illustrative = 1`, source
// "minh họa (demo)"): no cadastral data was available to us.
//
// Where the crops go follows docs/rules.md §1 and data/laichau/; the tables (crops,
// zones, who grows what where, enterprises, cooperatives, names) are in
// data/demo/registry.json, each placement with its source. The communes come from the database (the units demo_units
// created, or those imported since). Shapes are made up: zones are convex blobs
// around a point of the named old commune, clipped to the new commune; parcels
// are a tessellation of terraced rows inside them, plus clusters of fields
// outside the zones. A few deliberate errors give the topology checks something
// to find: ~0.5 % double claims (a second parcel over part of another) and three
// parcels that stick out of their commune.
//
// Everything is computed first (in VN-2000 / TM-3 103-00, EPSG:9205, metres), then
// written in one transaction. Deterministic: DemoRandom with fixed seeds, no
// dependence on the clock.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/demo/demo.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/planar.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::app {

using nlohmann::json;
using registry::FromUse;
using registry::LandRightKind;
using registry::ParcelState;
using registry::ZoneStatus;
using storage::Geometry;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr const char* kSource = "minh họa (demo)";
const CivilDate kReform(2025, 7, 1);
const CivilDate kLastDayBefore(2025, 6, 30);

// ---- small helpers -------------------------------------------------------------

int irand(DemoRandom& r, int lo, int hi) {
  return lo + static_cast<int>(r.next() % static_cast<std::uint64_t>(hi - lo + 1));
}
bool chance(DemoRandom& r, double p) { return r.uniform() < p; }
template <typename T>
const T& pick(DemoRandom& r, const std::vector<T>& v) {
  return v[static_cast<std::size_t>(r.next() % v.size())];
}
CivilDate date_between(DemoRandom& r, const CivilDate& lo, const CivilDate& hi) {
  auto a = lo.days_since_epoch(), b = hi.days_since_epoch();
  return CivilDate::from_days(a + static_cast<std::int64_t>(r.next() % static_cast<std::uint64_t>(b - a + 1)));
}
CivilDate day_before(const CivilDate& d) { return CivilDate::from_days(d.days_since_epoch() - 1); }
template <typename T>
void shuffle(std::vector<T>& v, DemoRandom& r) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(r.next() % i)]);
}
std::string digits(DemoRandom& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r.next() % 10);
  return s;
}
double round1(double v) { return std::round(v * 10.0) / 10.0; }

Geometry must(Result<Geometry> r, const std::string& what) {
  if (!r) throw std::runtime_error("demo registry: " + what + ": " + r.error().message);
  return std::move(*r);
}

// ---- planar geometry in metres (EPSG:9205): geo/planar.hpp --------------------------

using geo::planar::clip_convex;
using geo::planar::convex_hull;
using geo::planar::cross;
using geo::planar::dist2;
using geo::planar::in_convex;
using geo::planar::inside;
using geo::planar::ring_area;
using geo::planar::ring_centre;
using geo::planar::ring_length;
using geo::planar::segments_near;
using P = geo::planar::Point;
using Ring = geo::planar::Ring;  // closed: front() == back()
using MPoly = geo::planar::MultiPolygon;
using Seg = geo::planar::Segment;

double dist_to(const std::vector<Seg>& segs, P p) { return geo::planar::distance(segs, p); }
Geometry to_wkb(const MPoly& m, int srid) { return geo::planar::to_geometry(m, srid); }
MPoly polygons_of(const Geometry& g) {
  auto m = geo::planar::polygons_of(g);
  if (!m) throw std::runtime_error("demo registry: " + m.error().message);
  return std::move(*m);
}

// ---- the tables: data/demo/registry.json -----------------------------------------

// Crop codes follow crop-profiles.json where it has one (tea, tea_shan_tuyet,
// macadamia, pineapple, black_cardamom, plum, longan, passion_fruit); "rice" is the
// commodity (the profiles split it into rice_paddy and rice_upland); citrus, banana
// and maize have no profile yet.
using Crop = std::string;
// Crops the generator treats in their own way: paddy and its seasons, maize on
// upland fields, pineapple's three-year cycle, cardamom under forest.
const Crop kRice = "rice", kMaize = "maize", kPineapple = "pineapple", kCardamom = "black_cardamom";

struct CropInfo {
  Crop code;
  std::string name_vi;
  bool perennial = false;
  std::string land_use;           // in a zone
  double w_lo, w_hi, h_lo, h_hi;  // lot width along the row, row depth (m)
  double step;                    // row boundaries are sampled every `step` m
  std::vector<std::string> varieties;
  // Year planted: drawn from `years`, or a recent year (2021–2024, the programme's)
  // with probability recent_share, else a year from older_from to 2020.
  std::optional<std::pair<int, int>> years;
  double recent_share = 0.35;
  int older_from = 2010;
  bool converts_rice_land = false;  // a crop the programme converts rice land to
};

struct ZoneSpec {
  std::string code, name;
  Crop crop;
  std::string new_code;  // commune valid from 2025-07-01 (laichau-reform-2025.json)
  std::string old_code;  // the old commune the zone is centred in
  double planned_ha = 0;
  bool planned = false;  // status planned, else active
  std::string variety;   // the zone's own variety, on variety_share of its lots
  double variety_share = 0;
};

struct EnterpriseSpec {
  std::string name, tax_code;
  std::string new_code;  // head office
  std::vector<std::string> zones;
  double share = 0;        // of the households in those zones that link their land
  double contributed = 0;  // of the linked households: contributed rights (else lease)
};

struct CoopSpec {
  std::string name, new_code;
  std::string zone;  // members: households holding parcels in this zone
};

struct Names {
  std::string ethnicity;
  std::vector<std::string> surnames, male_middle, female_middle, male, female;
};

enum class ClusterKind { paddy, upland, garden, forest };
struct ClusterSpec {
  ClusterKind kind;
  Crop lots_like;                                   // whose lot sizes the fields have
  std::optional<std::array<double, 4>> lot_sizes;   // w_lo, w_hi, h_lo, h_hi instead
};

struct Tables {
  std::map<Crop, CropInfo> crops;
  std::vector<ZoneSpec> zones;
  std::map<std::string, std::vector<Crop>> garden_crops, conversion_crops;  // by old district
  std::set<std::string> cardamom_districts;
  double conversion_target_ha = 0;
  std::vector<double> household_parcels;  // weights of households with 1, 2, ... parcels
  std::vector<double> cluster_weights;
  std::vector<ClusterSpec> clusters;
  std::vector<EnterpriseSpec> enterprises;
  std::vector<CoopSpec> coops;
  std::vector<Names> names;
  std::map<std::string, std::vector<double>> ethnic_mix;  // by old district (and "other"), in `names` order
};

std::vector<std::string> strings(const json& a) { return a.get<std::vector<std::string>>(); }

Tables load_tables() {
  const json d = demo_data("demo/registry.json");
  Tables t;
  for (const auto& c : d["crops"]) {
    CropInfo ci;
    ci.code = c["code"];
    ci.name_vi = c["name_vi"];
    ci.perennial = c["perennial"];
    ci.land_use = c["land_use"];
    ci.w_lo = c["lot_width_m"][0], ci.w_hi = c["lot_width_m"][1];
    ci.h_lo = c["row_depth_m"][0], ci.h_hi = c["row_depth_m"][1];
    ci.step = c["row_step_m"];
    ci.varieties = strings(c["varieties"]);
    if (auto p = c.find("planted"); p != c.end()) {
      if (p->contains("years")) ci.years = std::pair<int, int>{(*p)["years"][0], (*p)["years"][1]};
      ci.recent_share = p->value("recent_share", ci.recent_share);
      ci.older_from = p->value("older_from", ci.older_from);
    }
    ci.converts_rice_land = c.value("converts_rice_land", false);
    t.crops.emplace(ci.code, ci);
  }
  for (const auto& z : d["zones"]) {
    ZoneSpec spec{z["code"], z["name"], z["crop"], z["commune"], z["old_commune"], z["planned_ha"],
                  z["status"] == "planned"};
    if (auto v = z.find("variety"); v != z.end()) {
      spec.variety = (*v)["name"];
      spec.variety_share = (*v)["share"];
    }
    t.zones.push_back(std::move(spec));
  }
  for (const auto& [district, crops] : d["garden_crops_by_district"].items())
    if (crops.is_array()) t.garden_crops[district] = strings(crops);
  for (const auto& [district, crops] : d["conversion_crops_by_district"].items())
    if (crops.is_array()) t.conversion_crops[district] = strings(crops);
  for (const auto& code : d["cardamom_districts"]) t.cardamom_districts.insert(code.get<std::string>());
  t.conversion_target_ha = d["conversion_target_ha"];
  t.household_parcels = d["household_parcels_share"]["shares"].get<std::vector<double>>();
  for (const auto& k : d["field_clusters"]["kinds"]) {
    const std::string kind = k["kind"];
    ClusterSpec c{kind == "paddy"    ? ClusterKind::paddy
                  : kind == "upland" ? ClusterKind::upland
                  : kind == "garden" ? ClusterKind::garden
                                     : ClusterKind::forest,
                  k["lots_like"], std::nullopt};
    if (k.contains("lot_width_m"))
      c.lot_sizes = std::array<double, 4>{k["lot_width_m"][0], k["lot_width_m"][1], k["row_depth_m"][0],
                                          k["row_depth_m"][1]};
    t.cluster_weights.push_back(k["weight"]);
    t.clusters.push_back(std::move(c));
  }
  for (const auto& e : d["enterprises"])
    t.enterprises.push_back({e["name"], e["tax_code"], e["commune"], strings(e["zones"]), e["linking_share"],
                             e["contributed_share"]});
  for (const auto& c : d["cooperatives"]) t.coops.push_back({c["name"], c["commune"], c["zone"]});
  for (const auto& g : d["ethnic_groups"])
    t.names.push_back({g["ethnicity"], strings(g["surnames"]), strings(g["middle_names_male"]),
                       strings(g["middle_names_female"]), strings(g["given_names_male"]),
                       strings(g["given_names_female"])});
  for (const auto& [district, mix] : d["ethnic_mix_by_district"].items()) {
    std::vector<double> w(t.names.size(), 0.0);
    for (std::size_t i = 0; i < t.names.size(); ++i) w[i] = mix.value(t.names[i].ethnicity, 0.0);
    t.ethnic_mix[district] = std::move(w);
  }
  return t;
}

const Tables& tables() {
  static const Tables t = load_tables();
  return t;
}

const CropInfo& info(const Crop& c) {
  auto it = tables().crops.find(c);
  if (it == tables().crops.end()) throw std::runtime_error("demo registry: crop '" + c + "' is not in data/demo/registry.json");
  return it->second;
}

int planted_year(const Crop& c, DemoRandom& r) {
  const CropInfo& ci = info(c);
  if (ci.years) return irand(r, ci.years->first, ci.years->second);
  return chance(r, ci.recent_share) ? irand(r, 2021, 2024) : irand(r, ci.older_from, 2020);
}

std::vector<Crop> by_district(const std::map<std::string, std::vector<Crop>>& m, const std::string& district) {
  auto it = m.find(district);
  return it == m.end() ? std::vector<Crop>{} : it->second;
}
// Which district grows what outside the zones, and what rice land is converted to.
std::vector<Crop> garden_crops(const std::string& district) { return by_district(tables().garden_crops, district); }
std::vector<Crop> conversion_crops(const std::string& district) {
  return by_district(tables().conversion_crops, district);
}
bool grows_cardamom(const std::string& d) { return tables().cardamom_districts.count(d) > 0; }

const std::vector<double>& ethnic_mix(const std::string& district) {
  auto it = tables().ethnic_mix.find(district);
  return it != tables().ethnic_mix.end() ? it->second : tables().ethnic_mix.at("other");
}

std::size_t weighted(DemoRandom& r, const std::vector<double>& w) {
  double total = 0;
  for (double v : w) total += v;
  double x = r.uniform() * total;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (x < w[i]) return i;
    x -= w[i];
  }
  return w.size() - 1;
}

// ---- the generated registry, in memory ----------------------------------------------

struct Commune {
  const admin::AdminUnit* unit = nullptr;
  Geometry geom;  // EPSG:9205
  MPoly shape;    // the same, as rings
  std::vector<Seg> edges;
  std::string district;   // old communes: their district's code
  std::vector<int> olds;  // new communes: the old communes merged into it
  CivilDate surveyed;     // old communes: date of the (illustrative) cadastral survey
};

struct Lot {
  Ring ring;  // EPSG:9205, closed
  double area = 0;
  int commune = -1;  // new commune (index)
  int old = -1;      // old commune (index), for numbering and history
  int zone = -1;
  std::string land_use;
  ParcelState state = ParcelState::in_use;
  std::optional<Crop> crop;  // what grows there now
  std::string variety;
  int year = 0;  // perennials: year planted
  bool two_seasons = false;
  // conversion (crop-structure change) before the current crop
  std::optional<FromUse> converted_from;
  CivilDate since;        // perennials: planting date (= conversion date when converted)
  bool interior = false;  // well inside its block: may get a double claim
  P dir;                  // along the row
  double width = 0;
  int overlaps = -1;  // a double claim over this lot
  int household = -1;
  CivilDate valid_from;
  std::string sheet, number;
};

struct Block {  // a zone or a cluster of fields: centre and reach, to keep blocks apart
  int commune;
  P centre;
  double reach;
};

// Terraced rows following the slope, cut into lots; calls `emit` for each lot whose
// rough centre passes `near`. Rows share their boundaries, so lots never overlap.
template <typename Near, typename Emit>
void tessellate(P c, double half, const CropInfo& ci, bool roads, double skip, DemoRandom& rnd, Near&& near,
                Emit&& emit) {
  double th = rnd.uniform(0, kPi);
  double cs = std::cos(th), sn = std::sin(th);
  auto world = [&](double u, double v) { return P{c.x + u * cs - v * sn, c.y + u * sn + v * cs}; };
  double step = ci.step;
  double u0 = -half - 2 * ci.w_hi;
  auto nu = static_cast<std::size_t>(std::ceil((2 * half + 4 * ci.w_hi) / step)) + 1;
  double u_max = u0 + static_cast<double>(nu - 1) * step;
  // One wave shared by every row boundary (the contour of the hill), a small one each.
  double l1 = rnd.uniform(0.25, 0.6) * half, a1 = l1 * rnd.uniform(0.15, 0.3), p1 = rnd.uniform(0, 2 * kPi);
  double l2 = rnd.uniform(0.08, 0.2) * half, a2 = l2 * rnd.uniform(0.04, 0.1), p2 = rnd.uniform(0, 2 * kPi);
  auto wave = [&](double u) { return a1 * std::sin(u / l1 + p1) + a2 * std::sin(u / l2 + p2); };
  auto boundary = [&](double v, bool plain) {
    std::vector<double> b(nu);
    double ja = plain ? 0 : 0.1 * ci.h_lo, jl = rnd.uniform(20, 60), jp = rnd.uniform(0, 2 * kPi);
    double noise = plain ? 0 : 0.03 * ci.h_lo;
    for (std::size_t k = 0; k < nu; ++k) {
      double u = u0 + static_cast<double>(k) * step;
      b[k] = v + wave(u) + ja * std::sin(u / jl + jp) + noise * rnd.uniform(-1, 1);
    }
    return b;
  };
  auto at = [&](const std::vector<double>& b, double u) {
    double f = (u - u0) / step;
    auto k = static_cast<std::size_t>(std::clamp(std::floor(f), 0.0, static_cast<double>(nu - 2)));
    double t = f - static_cast<double>(k);
    return b[k] + t * (b[k + 1] - b[k]);
  };
  double reach = a1 + a2;
  double v = -half - reach;
  int until_road = roads ? irand(rnd, 6, 12) : 1 << 30;
  std::vector<double> lower = boundary(v, false);
  while (v < half + reach) {
    bool road = until_road-- == 0;
    double h = road ? 5.0 : rnd.uniform(ci.h_lo, ci.h_hi);
    bool next_plain = road || until_road == 0;
    if (road) until_road = irand(rnd, 6, 12);
    std::vector<double> upper = boundary(v + h, next_plain);
    if (!road) {
      // Cuts across the row, slanted a little; neighbours share them.
      std::vector<double> cut, slant;
      double u = u0 + 2 * ci.w_hi - rnd.uniform(0, ci.w_hi);
      while (u < u_max) {
        cut.push_back(u);
        slant.push_back(rnd.uniform(-0.15, 0.15) * ci.w_lo);
        u += rnd.uniform(ci.w_lo, ci.w_hi);
      }
      for (std::size_t i = 0; i + 1 < cut.size(); ++i) {
        double a0 = cut[i], a1c = cut[i + 1], b0 = cut[i] + slant[i], b1 = cut[i + 1] + slant[i + 1];
        if (std::min(a0, b0) < u0 + step || std::max(a1c, b1) > u_max - step) continue;
        double um = 0.25 * (a0 + a1c + b0 + b1);
        P centre = world(um, 0.5 * (at(lower, um) + at(upper, um)));
        double hd = 0.5 * std::hypot(a1c - a0, h) + 0.15 * ci.h_lo + 0.15 * ci.w_lo;
        bool skipped = chance(rnd, skip);
        if (skipped || !near(centre, hd)) continue;
        Ring r;
        r.push_back(world(a0, at(lower, a0)));
        for (std::size_t k = 0; k < nu; ++k) {
          double g = u0 + static_cast<double>(k) * step;
          if (g > a0 + 1e-6 && g < a1c - 1e-6) r.push_back(world(g, lower[k]));
        }
        r.push_back(world(a1c, at(lower, a1c)));
        r.push_back(world(b1, at(upper, b1)));
        for (std::size_t k = nu; k-- > 0;) {
          double g = u0 + static_cast<double>(k) * step;
          if (g > b0 + 1e-6 && g < b1 - 1e-6) r.push_back(world(g, upper[k]));
        }
        r.push_back(world(b0, at(upper, b0)));
        r.push_back(r.front());
        emit(std::move(r), centre, hd, a1c - a0, P{cs, sn});
      }
    }
    lower = std::move(upper);
    v += h;
  }
}

// A convex blob of `area` m² around c.
Ring blob(P c, double area, DemoRandom& rnd) {
  double a = rnd.uniform(0.12, 0.25), b = rnd.uniform(0.04, 0.1), p1 = rnd.uniform(0, 2 * kPi),
         p2 = rnd.uniform(0, 2 * kPi);
  double ratio = rnd.uniform(0.7, 1.0), rot = rnd.uniform(0, kPi);
  std::vector<P> pts;
  for (int i = 0; i < 64; ++i) {
    double t = 2 * kPi * i / 64.0;
    double r = 1 + a * std::sin(2 * t + p1) + b * std::sin(3 * t + p2);
    double x = r * std::cos(t), y = r * ratio * std::sin(t);
    pts.push_back({x * std::cos(rot) - y * std::sin(rot), x * std::sin(rot) + y * std::cos(rot)});
  }
  Ring h = convex_hull(pts);
  double scale = std::sqrt(area / std::abs(ring_area(h)));
  for (P& p : h) p = {c.x + p.x * scale, c.y + p.y * scale};
  return h;
}
double reach_of(const Ring& h, P c) {
  double r = 0;
  for (const P& p : h) r = std::max(r, std::sqrt(dist2(p, c)));
  return r;
}

// Keeps a clipped lot only if it still looks like a plot (no slivers).
bool plausible(const Ring& r, double nominal) {
  if (r.size() < 4) return false;
  double a = std::abs(ring_area(r)), len = ring_length(r);
  return a >= 150 && a >= 0.35 * nominal && 4 * kPi * a / (len * len) >= 0.2;
}

struct Generated {
  std::vector<Commune> news, olds;
  std::vector<registry::Zone> zones;
  std::vector<int> zone_spec;  // index into kZones
  std::vector<Lot> lots;
  std::vector<registry::Producer> producers;
  std::vector<std::pair<int, int>> memberships;  // member, organisation (producer indices)
  std::vector<CivilDate> membership_from;
  struct Right {
    int lot, producer;
    LandRightKind kind;
    CivilDate from;
    std::optional<CivilDate> to;
    std::string document;
  };
  std::vector<Right> rights;
  std::vector<std::pair<int, registry::Planting>> plantings;
  std::vector<std::pair<int, registry::CropConversion>> conversions;
  int coop_user_producer = -1;
  int households = 0, cooperatives = 0, enterprises = 0, double_claims = 0, outside = 0;
};

class Builder {
 public:
  Builder(App& app, Generated& out) : app_(app), g_(out), rnd_(20210222) {}

  bool load_communes() {
    graph_ = app_.admin().graph();
    std::vector<UnitId> ids;
    for (const auto* u : graph_->valid_on(kReform))
      if (u->level == admin::AdminLevel::commune) new_index_[u->code] = add(g_.news, u, ids);
    for (const auto* u : graph_->valid_on(kLastDayBefore))
      if (u->level == admin::AdminLevel::commune) old_index_[u->code] = add(g_.olds, u, ids);
    auto geoms = app_.db().read([&](storage::Connection& c) { return admin::AdminRepository::geometries(c, ids); });
    for (auto* list : {&g_.news, &g_.olds})
      for (auto& cm : *list) {
        auto it = geoms.find(cm.unit->id);
        if (it == geoms.end()) continue;
        cm.geom = must(geo::transform(it->second, geo::kProvinceCrs), "commune " + cm.unit->code);
        cm.shape = polygons_of(cm.geom);
        cm.edges = geo::planar::segments_of(cm.shape);
      }
    DemoRandom survey(2012);
    for (auto& o : g_.olds) {
      if (auto parent = graph_->parent_on(o.unit->id, kLastDayBefore))
        if (const auto* d = graph_->find(*parent)) o.district = d->code;
      o.surveyed = date_between(survey, CivilDate(2012, 3, 1), CivilDate(2019, 11, 30));
    }
    for (std::size_t n = 0; n < g_.news.size(); ++n)
      for (const auto& s : graph_->predecessors(g_.news[n].unit->id)) {
        const auto* p = graph_->find(s.predecessor);
        if (!p || p->level != admin::AdminLevel::commune) continue;
        for (std::size_t o = 0; o < g_.olds.size(); ++o)
          if (g_.olds[o].unit->id == p->id) g_.news[n].olds.push_back(static_cast<int>(o));
      }
    return !g_.news.empty() && !g_.olds.empty();
  }

  void zones() {
    for (std::size_t s = 0; s < tables().zones.size(); ++s) zone(static_cast<int>(s));
  }

  void scattered() {
    // Fields outside the zones in every commune that has a zone.
    std::set<int> hosts;
    for (const auto& z : blocks_) hosts.insert(z.commune);
    for (int n : hosts) {
      const Commune& cm = g_.news[static_cast<std::size_t>(n)];
      int clusters = irand(rnd_, 8, 11);
      for (int k = 0; k < clusters; ++k) cluster(n, cm);
    }
  }

  void problems() {
    // ~0.5 % double claims: a second parcel over 10–60 % of an existing one.
    std::vector<int> interior;
    for (std::size_t i = 0; i < g_.lots.size(); ++i)
      if (g_.lots[i].interior) interior.push_back(static_cast<int>(i));
    shuffle(interior, rnd_);
    auto n = static_cast<std::size_t>(std::lround(0.005 * static_cast<double>(g_.lots.size())));
    for (std::size_t k = 0; k < std::min(n, interior.size()); ++k) {
      const Lot& base = g_.lots[static_cast<std::size_t>(interior[k])];
      Lot d = base;
      double shift = rnd_.uniform(0.4, 0.9) * base.width;
      for (P& p : d.ring) p = {p.x + base.dir.x * shift, p.y + base.dir.y * shift};
      d.area = std::abs(ring_area(d.ring));
      d.overlaps = interior[k];
      d.interior = false;
      d.converted_from.reset();
      d.valid_from = date_between(rnd_, CivilDate(2022, 1, 1), CivilDate(2024, 12, 31));
      if (chance(rnd_, 0.5)) d.crop.reset();
      g_.lots.push_back(std::move(d));
      ++g_.double_claims;
    }
    // Three parcels drawn across their commune's boundary.
    std::set<int> hosts;
    for (const auto& z : blocks_) hosts.insert(z.commune);
    for (int n : hosts) {
      if (g_.outside >= 3) break;
      if (outside_parcel(n)) ++g_.outside;
    }
  }

  void numbering() {
    std::map<int, std::map<std::pair<long, long>, int>> sheets;
    std::map<std::pair<int, int>, int> next;
    for (auto& l : g_.lots) {
      P c = ring_centre(l.ring);
      if (l.old < 0) l.old = old_of(l.commune, c, -1);
      auto& s = sheets[l.old];
      auto key = std::pair{static_cast<long>(std::floor(c.x / 2000)), static_cast<long>(std::floor(c.y / 2000))};
      auto it = s.find(key);
      if (it == s.end()) it = s.emplace(key, static_cast<int>(s.size()) + 1).first;
      int parcel = ++next[{l.old, it->second}];
      l.sheet = std::to_string(it->second);
      l.number = std::to_string(parcel);
      if (l.overlaps < 0)
        l.valid_from = g_.olds[static_cast<std::size_t>(l.old)].surveyed;  // double claims keep theirs
    }
  }

  void households() {
    // Per new commune: lots in the order they were drawn, mixed within a small window so
    // a household's plots are near each other but not always adjacent.
    std::map<int, std::vector<int>> by_commune;
    for (std::size_t i = 0; i < g_.lots.size(); ++i)
      if (g_.lots[i].overlaps < 0) by_commune[g_.lots[i].commune].push_back(static_cast<int>(i));
    const std::vector<double>& sizes = tables().household_parcels;  // 1, 2, ... parcels
    for (auto& [n, list] : by_commune) {
      for (std::size_t w = 0; w < list.size(); w += 30) {
        std::vector<int> part(list.begin() + static_cast<long>(w),
                              list.begin() + static_cast<long>(std::min(list.size(), w + 30)));
        shuffle(part, rnd_);
        std::copy(part.begin(), part.end(), list.begin() + static_cast<long>(w));
      }
      std::size_t i = 0;
      int serial = 0;
      while (i < list.size()) {
        std::size_t k = std::min(list.size() - i, weighted(rnd_, sizes) + 1);
        int h = household(n, g_.lots[static_cast<std::size_t>(list[i])].old, ++serial);
        for (std::size_t j = 0; j < k; ++j) g_.lots[static_cast<std::size_t>(list[i + j])].household = h;
        i += k;
      }
    }
    // The claimant of a double claim is another household of the commune.
    for (auto& l : g_.lots) {
      if (l.overlaps < 0) continue;
      const auto& list = by_commune[l.commune];
      int owner = g_.lots[static_cast<std::size_t>(l.overlaps)].household;
      std::size_t at = static_cast<std::size_t>(rnd_.next() % list.size());
      for (std::size_t t = 0; t < list.size(); ++t) {
        int h = g_.lots[static_cast<std::size_t>(list[(at + t) % list.size()])].household;
        if (h != owner) {
          l.household = h;
          break;
        }
      }
      if (l.household < 0) l.household = owner;
    }
  }

  void organisations() {
    // Cooperatives and their members.
    for (std::size_t k = 0; k < tables().coops.size(); ++k) {
      const CoopSpec& s = tables().coops[k];
      auto n = new_index_.find(s.new_code);
      if (n == new_index_.end()) continue;
      std::set<int> candidates;
      int zone = zone_by_code(s.zone);
      for (const auto& l : g_.lots)
        if (l.overlaps < 0 && l.commune == n->second && (zone < 0 || l.zone == zone)) candidates.insert(l.household);
      std::vector<int> members(candidates.begin(), candidates.end());
      shuffle(members, rnd_);
      members.resize(std::min<std::size_t>(members.size(), static_cast<std::size_t>(irand(rnd_, 40, 110))));
      std::sort(members.begin(), members.end());
      registry::Producer p;
      p.kind = registry::ProducerKind::cooperative;
      p.external_id = "DEMO-HTX-" + std::string(s.new_code) + "-" + std::to_string(k + 1);
      p.name = s.name;
      p.unit = g_.news[static_cast<std::size_t>(n->second)].unit->id;
      p.members_count = static_cast<int>(members.size());
      p.tax_code = "62991002" + std::string(k + 1 < 10 ? "0" : "") + std::to_string(k + 1);
      p.phone = "0900" + digits(rnd_, 6);
      p.address = g_.news[static_cast<std::size_t>(n->second)].unit->name + ", tỉnh Lai Châu (minh họa)";
      p.illustrative = true;
      int id = static_cast<int>(g_.producers.size());
      g_.producers.push_back(std::move(p));
      ++g_.cooperatives;
      if (k == 0) g_.coop_user_producer = id;
      for (int m : members) {
        g_.memberships.push_back({m, id});
        g_.membership_from.push_back(date_between(rnd_, CivilDate(2018, 1, 1), CivilDate(2024, 6, 30)));
      }
    }
    // Enterprises: leases and contributed use rights on zone parcels from 2021–2024; the
    // household stays the owner, so who controls the parcel depends on the date.
    int serial = 0;
    for (const auto& e : tables().enterprises) {
      ++serial;
      registry::Producer p;
      p.kind = registry::ProducerKind::enterprise;
      p.external_id = "DEMO-DN-" + std::to_string(serial);
      p.name = e.name;
      if (auto n = new_index_.find(e.new_code); n != new_index_.end()) {
        p.unit = g_.news[static_cast<std::size_t>(n->second)].unit->id;
        p.address = g_.news[static_cast<std::size_t>(n->second)].unit->name + ", tỉnh Lai Châu (minh họa)";
      }
      p.tax_code = e.tax_code;
      p.phone = "0900" + digits(rnd_, 6);
      p.illustrative = true;
      int id = static_cast<int>(g_.producers.size());
      g_.producers.push_back(std::move(p));
      ++g_.enterprises;
      int contract = 0;
      for (const std::string& code : e.zones) {
        int zone = zone_by_code(code);
        if (zone < 0) continue;
        std::map<int, std::vector<int>> by_household;
        for (std::size_t i = 0; i < g_.lots.size(); ++i) {
          const Lot& l = g_.lots[i];
          if (l.zone == zone && l.overlaps < 0 && l.crop &&
              *l.crop == tables().zones[g_.zone_spec[static_cast<std::size_t>(zone)]].crop)
            by_household[l.household].push_back(static_cast<int>(i));
        }
        for (const auto& [h, lots] : by_household) {
          if (!chance(rnd_, e.share)) continue;
          bool contributed = chance(rnd_, e.contributed);
          CivilDate from = date_between(rnd_, CivilDate(2021, 3, 1), CivilDate(2024, 10, 31));
          std::optional<CivilDate> to;
          if (!contributed) {
            // 20-year leases; a few ended early, after which the owner controls the land again.
            to = chance(rnd_, 0.1)
                     ? date_between(rnd_, CivilDate::from_days(from.days_since_epoch() + 400), CivilDate(2025, 12, 31))
                     : day_before(CivilDate(from.year() + 20, from.month(), std::min(from.day(), 28u)));
          }
          ++contract;
          std::string doc = std::string(contributed ? "Hợp đồng góp quyền sử dụng đất số " : "Hợp đồng thuê đất số ") +
                            std::to_string(contract) + "/" + std::to_string(from.year()) + "/DN" +
                            std::to_string(serial) + " (minh họa)";
          for (int lot : lots)
            g_.rights.push_back(
                {lot, id, contributed ? LandRightKind::contributed : LandRightKind::lessee, from, to, doc});
        }
      }
    }
  }

  void conversions() {
    // Candidates: zone parcels planted 2021–2024 with a crop the programme converts rice
    // land to, and rice or idle fields outside the zones; taken in a random order until
    // ~1,150 ha (Notice 752-TB/TU: over 1,000 ha converted).
    struct Candidate {
      int lot;
      FromUse from;
      Crop to;
    };
    std::vector<Candidate> cands;
    for (std::size_t i = 0; i < g_.lots.size(); ++i) {
      const Lot& l = g_.lots[i];
      if (l.overlaps >= 0) continue;
      const std::string& district = g_.olds[static_cast<std::size_t>(l.old)].district;
      if (l.zone >= 0 && l.crop && l.year >= 2021) {
        const Crop& c = *l.crop;
        if (!info(c).converts_rice_land) continue;
        double x = rnd_.uniform();
        cands.push_back({static_cast<int>(i),
                         x < 0.65  ? FromUse::inefficient_rice
                         : x < 0.8 ? FromUse::rice
                                   : FromUse::idle,
                         c});
      } else if (l.zone < 0 && (l.land_use == "LUK" || l.state == ParcelState::idle)) {
        auto crops = conversion_crops(district);
        if (crops.empty()) continue;
        FromUse from = l.state == ParcelState::idle                                      ? FromUse::idle
                       : (l.state == ParcelState::inefficient_rice || chance(rnd_, 0.8)) ? FromUse::inefficient_rice
                                                                                         : FromUse::rice;
        cands.push_back({static_cast<int>(i), from, pick(rnd_, crops)});
      }
    }
    shuffle(cands, rnd_);
    double total = 0;
    for (const auto& c : cands) {
      if (total >= tables().conversion_target_ha * 10000) break;
      Lot& l = g_.lots[static_cast<std::size_t>(c.lot)];
      if (l.zone < 0) {
        l.crop = c.to;
        l.variety = pick(rnd_, info(c.to).varieties);
        l.year = irand(rnd_, 2021, 2024);
        l.since =
            CivilDate(l.year, static_cast<unsigned>(irand(rnd_, 3, 8)), static_cast<unsigned>(irand(rnd_, 1, 28)));
        l.state = ParcelState::in_use;
      } else if (c.from != FromUse::idle) {
        l.land_use = "LUK";  // converted rice land keeps its land-use class
      } else {
        l.land_use = "BHK";
      }
      l.converted_from = c.from;
      double area = round1(l.area * rnd_.uniform(0.9, 1.0));
      registry::CropConversion v;
      v.from_use = c.from;
      v.to_crop = info(c.to).code;
      v.date = l.since;
      v.area_m2 = area;
      v.note = "Chuyển đổi cơ cấu cây trồng (minh họa)";
      g_.conversions.push_back({c.lot, v});
      total += area;
    }
  }

  void plantings() {
    for (std::size_t i = 0; i < g_.lots.size(); ++i) {
      Lot& l = g_.lots[i];
      if (!l.crop) continue;
      const CropInfo& ci = info(*l.crop);
      auto add = [&](const CropInfo& c, const std::string& variety, bool perennial, const std::string& season,
                     std::optional<int> year, CivilDate start, std::optional<CivilDate> end) {
        registry::Planting p;
        p.crop = c.code;
        p.variety = variety;
        p.perennial = perennial;
        p.season = season;
        p.planted_year = year;
        p.start_date = start;
        p.end_date = end;
        p.planted_area_m2 = round1(l.area * rnd_.uniform(0.85, 1.0));
        g_.plantings.push_back({static_cast<int>(i), p});
      };
      if (l.converted_from && *l.converted_from != FromUse::idle) {
        // The last rice season before the conversion, ended the day before.
        CivilDate start(l.since.year() - 1, 6, static_cast<unsigned>(irand(rnd_, 10, 28)));
        add(info(kRice), "lúa địa phương", false, std::to_string(start.year()) + "-mua", start.year(), start,
            day_before(l.since));
      }
      if (ci.perennial) {
        add(ci, l.variety, true, "", l.year, l.since, std::nullopt);
      } else if (*l.crop == kPineapple) {
        // A pineapple cycle runs ~3 years from planting; recorded as one planting.
        add(ci, l.variety, false, std::to_string(l.year) + "-xuan", l.year, l.since, std::nullopt);
      } else {
        // Annual crops by season, 2026 only (keeps the demo small): the spring rice
        // season of two-season fields (LUC) is closed; the last season is left open,
        // as a season stays until the commune records its harvest.
        bool rice = *l.crop == kRice;
        constexpr int y = 2026;
        if (rice && l.two_seasons) {
          CivilDate s(y, 2, static_cast<unsigned>(irand(rnd_, 1, 20)));
          add(ci, l.variety, false, std::to_string(y) + "-xuan", y, s,
              CivilDate(y, 6, static_cast<unsigned>(irand(rnd_, 1, 15))));
        }
        CivilDate s = rice ? CivilDate(y, 6, static_cast<unsigned>(irand(rnd_, 18, 30)))
                           : CivilDate(y, 3, static_cast<unsigned>(irand(rnd_, 5, 28)));
        add(ci, l.variety, false, std::to_string(y) + (rice ? "-mua" : "-xuan-he"), y, s, std::nullopt);
      }
    }
  }

  void owner_rights() {
    for (std::size_t i = 0; i < g_.lots.size(); ++i) {
      const Lot& l = g_.lots[i];
      std::string doc = "GCN QSDĐ số " + std::string(l.overlaps < 0 ? "B" : "C") +
                        static_cast<char>('A' + rnd_.next() % 26) + " " + digits(rnd_, 6) + " (minh họa)";
      if (l.overlaps >= 0) doc = "Đơn đăng ký đất đai (minh họa)";
      g_.rights.push_back({static_cast<int>(i), l.household, LandRightKind::owner, l.valid_from, std::nullopt, doc});
    }
  }

  int zone_by_code(const std::string& code) const {
    for (std::size_t z = 0; z < g_.zones.size(); ++z)
      if (g_.zones[z].code == code) return static_cast<int>(z);
    return -1;
  }

 private:
  int add(std::vector<Commune>& list, const admin::AdminUnit* u, std::vector<UnitId>& ids) {
    Commune c;
    c.unit = u;
    list.push_back(std::move(c));
    ids.push_back(u->id);
    return static_cast<int>(list.size()) - 1;
  }

  int old_of(int n, P p, int fallback) const {
    const Commune& cm = g_.news[static_cast<std::size_t>(n)];
    for (int o : cm.olds)
      if (inside(g_.olds[static_cast<std::size_t>(o)].shape, p)) return o;
    if (fallback >= 0) return fallback;
    // Nearest old commune by boundary distance.
    int best = cm.olds.empty() ? 0 : cm.olds.front();
    double bd = std::numeric_limits<double>::infinity();
    for (int o : cm.olds) {
      double d = dist_to(g_.olds[static_cast<std::size_t>(o)].edges, p);
      if (d < bd) bd = d, best = o;
    }
    return best;
  }

  std::optional<P> random_point(const MPoly& shape, DemoRandom& r) {
    if (shape.empty()) return std::nullopt;
    P lo{1e300, 1e300}, hi{-1e300, -1e300};
    for (const auto& poly : shape)
      for (const P& p : poly[0])
        lo = {std::min(lo.x, p.x), std::min(lo.y, p.y)}, hi = {std::max(hi.x, p.x), std::max(hi.y, p.y)};
    for (int t = 0; t < 500; ++t) {
      P p{r.uniform(lo.x, hi.x), r.uniform(lo.y, hi.y)};
      if (inside(shape, p)) return p;
    }
    return std::nullopt;
  }

  // n < 0: blocks of every commune.
  bool clear_of_blocks(int n, P c, double reach, double gap) const {
    for (const auto& b : blocks_)
      if ((n < 0 || b.commune == n) && std::sqrt(dist2(b.centre, c)) < b.reach + reach + gap) return false;
    return true;
  }

  void zone(int s) {
    const ZoneSpec& spec = tables().zones[static_cast<std::size_t>(s)];
    auto ni = new_index_.find(spec.new_code);
    auto oi = old_index_.find(spec.old_code);
    if (ni == new_index_.end()) return;
    int n = ni->second;
    Commune& cm = g_.news[static_cast<std::size_t>(n)];
    if (cm.shape.empty()) return;
    int old = oi != old_index_.end() ? oi->second : -1;
    const MPoly& target = old >= 0 && !g_.olds[static_cast<std::size_t>(old)].shape.empty()
                              ? g_.olds[static_cast<std::size_t>(old)].shape
                              : cm.shape;
    double area = spec.planned_ha * 10000 * rnd_.uniform(0.92, 1.0);
    double r = std::sqrt(area / kPi);
    // The best of 40 points of the old commune: most of a circle around it inside the
    // old and the new commune, clear of the commune's other zones.
    std::optional<P> best;
    double best_score = -1;
    for (int t = 0; t < 40; ++t) {
      auto c = random_point(target, rnd_);
      if (!c || !clear_of_blocks(n, *c, 1.65 * r, 300)) continue;
      double score = 0;
      for (int k = 0; k < 24; ++k) {
        P q{c->x + 1.15 * r * std::cos(2 * kPi * k / 24), c->y + 1.15 * r * std::sin(2 * kPi * k / 24)};
        score += (inside(target, q) ? 2 : 0) + (inside(cm.shape, q) ? 1 : 0);
      }
      if (score > best_score) best_score = score, best = c;
    }
    if (!best) return;
    Ring hull = blob(*best, area, rnd_);
    Geometry hull_geom = to_wkb({{hull}}, geo::kProvinceCrs);
    MPoly zshape = polygons_of(must(geo::intersection(hull_geom, cm.geom), "zone clip"));
    if (zshape.empty()) return;
    Geometry zone9205 = to_wkb(zshape, geo::kProvinceCrs);
    double reach = reach_of(hull, *best);
    blocks_.push_back({n, *best, reach});

    registry::Zone z;
    z.code = spec.code;
    z.name = spec.name + " (minh họa)";
    z.commodity = spec.crop;
    z.unit = cm.unit->id;
    z.planned_area_ha = spec.planned_ha;
    z.decision = "minh họa";
    z.period_from = CivilDate(2021, 1, 1);
    z.period_to = CivilDate(2030, 12, 31);
    z.status = spec.planned ? ZoneStatus::planned : ZoneStatus::active;
    z.illustrative = true;
    z.geom = must(geo::as_multipolygon(must(geo::transform(zone9205, geo::kWgs84), "zone to 4326")), "zone");
    int zi = static_cast<int>(g_.zones.size());
    g_.zones.push_back(std::move(z));
    g_.zone_spec.push_back(s);

    // Lots: whole inside the blob, clipped at its edge, cut by GEOS where the commune
    // boundary crosses the zone.
    P lo{1e300, 1e300}, hi{-1e300, -1e300};
    for (const P& p : hull)
      lo = {std::min(lo.x, p.x), std::min(lo.y, p.y)}, hi = {std::max(hi.x, p.x), std::max(hi.y, p.y)};
    std::vector<Seg> border = segments_near(cm.shape, lo, hi, 300);
    Ring hull_ring = hull;
    std::vector<Seg> hull_edges = geo::planar::segments_of({{hull}});
    const CropInfo& ci = info(spec.crop);
    P centre = *best;
    auto near = [&](P c, double hd) { return std::sqrt(dist2(c, centre)) <= reach + hd; };
    auto emit = [&](Ring ring, P c, double hd, double width, P dir) {
      double dh = dist_to(hull_edges, c);
      bool in_hull = in_convex(hull_ring, c);
      if (!in_hull && dh > hd) return;
      double dc = border.empty() ? std::numeric_limits<double>::infinity() : dist_to(border, c);
      if (!border.empty() && dc > hd && !inside(cm.shape, c)) return;
      double nominal = std::abs(ring_area(ring));
      bool clipped = false;
      if (dc <= hd) {
        MPoly parts = polygons_of(must(geo::intersection(to_wkb({{ring}}, geo::kProvinceCrs), zone9205), "lot clip"));
        const geo::planar::Polygon* largest = nullptr;
        for (const auto& p : parts)
          if (!largest || geo::planar::polygon_area(p) > geo::planar::polygon_area(*largest)) largest = &p;
        if (!largest || largest->size() != 1) return;
        ring = (*largest)[0];
        clipped = true;
      } else if (dh <= hd) {
        ring = clip_convex(ring, hull_ring);
        clipped = true;
      }
      if (clipped) {
        if (!plausible(ring, nominal)) return;
        if (!geo::is_valid(to_wkb({{ring}}, geo::kProvinceCrs))) return;
      }
      Lot l;
      l.ring = std::move(ring);
      l.area = std::abs(ring_area(l.ring));
      l.commune = n;
      l.old = old_of(n, c, old);
      l.zone = zi;
      l.interior = !clipped && dh > hd + 2 * width && dc > hd + 2 * width;
      l.dir = dir;
      l.width = width;
      zone_lot(l, spec);
      g_.lots.push_back(std::move(l));
    };
    tessellate(centre, reach + ci.w_hi, ci, true, 0.05, rnd_, near, emit);
  }

  // What a lot in a zone holds: mostly the zone's crop, some other use.
  void zone_lot(Lot& l, const ZoneSpec& spec) {
    const CropInfo& ci = info(spec.crop);
    l.land_use = ci.land_use;
    if (chance(rnd_, 0.1)) {  // not (yet) the zone's crop
      double x = rnd_.uniform();
      if (spec.crop == kCardamom) {
        l.crop.reset();  // forest without cardamom
      } else if (x < 0.45) {
        l.land_use = "BHK";
        l.crop = kMaize;
        l.variety = pick(rnd_, info(kMaize).varieties);
      } else if (x < 0.75 && spec.crop != kRice) {
        l.land_use = "BHK";
        l.state = ParcelState::idle;
      } else if (spec.crop == kRice) {
        l.land_use = "LUK";  // one poor season: marked inefficient by the commune
        l.state = ParcelState::inefficient_rice;
        l.crop = kRice;
        l.variety = "lúa địa phương";
      } else {
        l.land_use = "BHK";
        l.crop = kRice;
        l.variety = "lúa nương";
      }
      return;
    }
    l.crop = spec.crop;
    l.variety = pick(rnd_, ci.varieties);
    if (spec.crop == kRice) {
      l.two_seasons = chance(rnd_, 0.8);
      l.land_use = l.two_seasons ? "LUC" : "LUK";
      // The zone's own variety (Séng Cù of Mường Cang, tẻ tròn of Mường Than).
      if (!spec.variety.empty() && (spec.variety_share >= 1 || chance(rnd_, spec.variety_share)))
        l.variety = spec.variety;
      return;
    }
    l.year = planted_year(spec.crop, rnd_);
    l.since = CivilDate(l.year, static_cast<unsigned>(irand(rnd_, 3, 8)), static_cast<unsigned>(irand(rnd_, 1, 28)));
  }

  // A cluster of fields outside the zones: paddy, upland fields, gardens or forest land.
  void cluster(int n, const Commune& cm) {
    using enum ClusterKind;
    const ClusterSpec& spec = tables().clusters[weighted(rnd_, tables().cluster_weights)];
    ClusterKind kind = spec.kind;
    CropInfo ci = info(spec.lots_like);
    if (spec.lot_sizes) {
      const auto& k = *spec.lot_sizes;
      ci.w_lo = k[0], ci.w_hi = k[1], ci.h_lo = k[2], ci.h_hi = k[3];
    }
    int lots = irand(rnd_, 20, 70);
    double mean = 0.25 * (ci.w_lo + ci.w_hi) * (ci.h_lo + ci.h_hi);
    double area = lots * mean / 0.8;
    double r = std::sqrt(area / kPi);
    std::optional<P> c;
    Ring hull;
    double reach = 0;
    for (int t = 0; t < 60 && !c; ++t) {
      auto p = random_point(cm.shape, rnd_);
      if (!p || dist_to(cm.edges, *p) < r + 70) continue;
      hull = blob(*p, area, rnd_);
      reach = reach_of(hull, *p);
      if (dist_to(cm.edges, *p) > reach + 70 && clear_of_blocks(n, *p, reach, 80)) c = p;
    }
    if (!c) return;
    blocks_.push_back({n, *c, reach});
    int old = old_of(n, *c, -1);
    const std::string& district = g_.olds[static_cast<std::size_t>(old)].district;
    std::vector<Crop> gardens = garden_crops(district);
    if (kind == garden && gardens.empty()) kind = upland;
    Crop garden_crop = gardens.empty() ? kMaize : pick(rnd_, gardens);
    bool cardamom = grows_cardamom(district);
    P centre = *c;
    auto near = [&](P q, double hd) { return std::sqrt(dist2(q, centre)) <= reach + hd; };
    auto emit = [&](Ring ring, P q, double, double width, P dir) {
      for (std::size_t k = 0; k + 1 < ring.size(); ++k)
        if (!in_convex(hull, ring[k])) return;
      Lot l;
      l.ring = std::move(ring);
      l.area = std::abs(ring_area(l.ring));
      l.commune = n;
      l.old = old;
      l.interior = std::sqrt(dist2(q, centre)) < 0.5 * reach;
      l.dir = dir;
      l.width = width;
      switch (kind) {
        case paddy:
          l.crop = kRice;
          l.two_seasons = chance(rnd_, 0.4);
          l.land_use = l.two_seasons ? "LUC" : "LUK";
          l.variety = chance(rnd_, 0.6) ? "lúa địa phương" : "Bắc thơm số 7";
          if (!l.two_seasons && chance(rnd_, 0.3)) l.state = ParcelState::inefficient_rice;
          break;
        case upland:
          l.land_use = "BHK";
          if (chance(rnd_, 0.12)) {
            l.state = ParcelState::idle;
          } else if (chance(rnd_, 0.7)) {
            l.crop = kMaize;
            l.variety = pick(rnd_, info(kMaize).varieties);
          } else {
            l.crop = kRice;
            l.variety = "lúa nương";
          }
          break;
        case garden:
          l.land_use = garden_crop == kPineapple ? "BHK" : "CLN";
          l.crop = garden_crop;
          l.variety = pick(rnd_, info(garden_crop).varieties);
          l.year = planted_year(garden_crop, rnd_);
          l.since =
              CivilDate(l.year, static_cast<unsigned>(irand(rnd_, 3, 8)), static_cast<unsigned>(irand(rnd_, 1, 28)));
          break;
        case forest:
          l.land_use = "RSX";
          if (cardamom && chance(rnd_, 0.6)) {
            l.crop = kCardamom;
            l.year = planted_year(kCardamom, rnd_);
            l.since =
                CivilDate(l.year, static_cast<unsigned>(irand(rnd_, 3, 8)), static_cast<unsigned>(irand(rnd_, 1, 28)));
          }
          break;
      }
      g_.lots.push_back(std::move(l));
    };
    tessellate(centre, reach + ci.w_hi, ci, false, 0.04, rnd_, near, emit);
  }

  // A lot centred near a vertex of the commune boundary, 5–40 % of it outside.
  bool outside_parcel(int n) {
    const Commune& cm = g_.news[static_cast<std::size_t>(n)];
    // Only where the check can see it: a commune whose boundary is itself invalid in
    // EPSG:9205 is refused by geo::find_outside.
    if (cm.shape.empty() || !geo::is_valid(cm.geom)) return false;
    const Ring& outer = cm.shape.front().front();
    for (int t = 0; t < 40; ++t) {
      P v = outer[static_cast<std::size_t>(rnd_.next() % (outer.size() - 1))];
      if (!clear_of_blocks(-1, v, 60, 60)) continue;
      // Inward: the direction whose point 30 m away is inside and the opposite one outside.
      for (int k = 0; k < 16; ++k) {
        double a = 2 * kPi * k / 16;
        P d{std::cos(a), std::sin(a)};
        if (!inside(cm.shape, {v.x + 30 * d.x, v.y + 30 * d.y}) || inside(cm.shape, {v.x - 30 * d.x, v.y - 30 * d.y}))
          continue;
        P c{v.x + 14 * d.x, v.y + 14 * d.y};
        double hw = 22, hh = 27;
        Ring r = {{c.x - hw * d.y - hh * d.x, c.y + hw * d.x - hh * d.y},
                  {c.x + hw * d.y - hh * d.x, c.y - hw * d.x - hh * d.y},
                  {c.x + hw * d.y + hh * d.x, c.y - hw * d.x + hh * d.y},
                  {c.x - hw * d.y + hh * d.x, c.y + hw * d.x + hh * d.y}};
        if (ring_area(r) < 0) std::reverse(r.begin(), r.end());
        r.push_back(r.front());
        double area = std::abs(ring_area(r));
        auto in = geo::intersection_area_m2(to_wkb({{r}}, geo::kProvinceCrs), cm.geom, geo::kProvinceCrs);
        if (!in || *in < 0.6 * area || *in > 0.95 * area) continue;
        Lot l;
        l.ring = std::move(r);
        l.area = area;
        l.commune = n;
        l.old = old_of(n, c, -1);
        l.land_use = "BHK";
        l.crop = kMaize;
        l.variety = "Ngô nếp địa phương";
        l.dir = d;
        l.width = 2 * hw;
        blocks_.push_back({n, c, 40});
        g_.lots.push_back(std::move(l));
        return true;
      }
    }
    return false;
  }

  int household(int n, int old, int serial) {
    const Commune& cm = g_.news[static_cast<std::size_t>(n)];
    const Commune& oc = g_.olds[static_cast<std::size_t>(old)];
    const Names& nm = tables().names[weighted(rnd_, ethnic_mix(oc.district))];
    bool male = chance(rnd_, 0.8);
    registry::Producer p;
    p.kind = registry::ProducerKind::household;
    p.external_id = "DEMO-HO-" + cm.unit->code + "-" + std::to_string(100000 + serial).substr(1);
    p.name = std::string(pick(rnd_, nm.surnames)) + " " + pick(rnd_, male ? nm.male_middle : nm.female_middle) + " " +
             pick(rnd_, male ? nm.male : nm.female);
    p.ethnicity = nm.ethnicity;
    p.unit = cm.unit->id;
    p.members_count = irand(rnd_, 3, 8);
    // Made-up identifiers in the usual shapes: 12-digit citizen ID (province 012,
    // gender/century digit, birth year, six digits) and a 0900 phone number.
    int born = irand(rnd_, 1955, 1995);
    p.citizen_id =
        "012" + std::string(1, male ? '0' : '1') + std::to_string(born % 100 + 100).substr(1) + digits(rnd_, 6);
    if (chance(rnd_, 0.75)) p.phone = "0900" + digits(rnd_, 6);
    static const std::vector<const char*> first = {"Nà",   "Phiêng", "Hua", "Cốc", "Pá",
                                                   "Huổi", "Nậm",    "Tà",  "Sin", "Séo"};
    static const std::vector<const char*> second = {"Cang", "Khương", "Lò",   "Mít", "Pao",
                                                    "Hồ",   "Chải",   "Sáng", "Hon", "Củng"};
    p.address = std::string("Bản ") + pick(rnd_, first) + " " + pick(rnd_, second) + " (minh họa), " + oc.unit->name +
                " cũ, " + cm.unit->name;
    p.illustrative = true;
    g_.producers.push_back(std::move(p));
    ++g_.households;
    return static_cast<int>(g_.producers.size()) - 1;
  }

  App& app_;
  Generated& g_;
  DemoRandom rnd_;
  std::shared_ptr<const admin::UnitGraph> graph_;
  std::map<std::string, int> new_index_, old_index_;
  std::vector<Block> blocks_;
};

// EPSG:9205 rings to EPSG:4326 multipolygons, a thousand lots per PROJ call.
std::vector<Geometry> to_wgs84(const std::vector<Lot>& lots) {
  std::vector<Geometry> out;
  out.reserve(lots.size());
  for (std::size_t i = 0; i < lots.size(); i += 1000) {
    MPoly batch;
    for (std::size_t j = i; j < std::min(lots.size(), i + 1000); ++j) batch.push_back({lots[j].ring});
    MPoly t = polygons_of(must(geo::transform(to_wkb(batch, geo::kProvinceCrs), geo::kWgs84), "parcels to 4326"));
    if (t.size() != batch.size()) throw std::runtime_error("demo registry: transform changed the number of parcels");
    for (auto& p : t) out.push_back(to_wkb({std::move(p)}, geo::kWgs84));
  }
  return out;
}

}  // namespace

int demo_registry(App& app, const identity::Actor& actor, DemoReport& report) {
  bool present = app.db().read([](storage::Connection& c) {
    return registry::RegistryRepository::count_parcels(c) > 0 || c.scalar_i64("SELECT count(*) FROM zone") > 0;
  });
  if (present) {
    report.notes.push_back("land registry already present: left as it is");
    return 0;
  }
  Generated g;
  Builder b(app, g);
  if (!b.load_communes()) {
    report.notes.push_back("land registry: no communes valid from 2025-07-01, nothing added");
    return 0;
  }
  b.zones();
  b.scattered();
  b.problems();
  b.numbering();
  b.households();
  b.organisations();
  b.conversions();
  b.plantings();
  b.owner_rights();
  std::vector<Geometry> geoms = to_wgs84(g.lots);

  DemoRandom rnd(752);
  double converted_ha = 0;
  app.db().write([&](storage::Connection& c) {
    std::string key = identity::pii_hash_key(c);
    std::vector<ProducerId> producer_ids;
    producer_ids.reserve(g.producers.size());
    for (const auto& p : g.producers) {
      std::string hash = p.citizen_id.empty() ? "" : identity::digest_hex(p.citizen_id, key);
      producer_ids.push_back(registry::RegistryRepository::insert_producer(c, p, hash));
    }
    for (std::size_t i = 0; i < g.memberships.size(); ++i)
      registry::RegistryRepository::add_membership(c, producer_ids[static_cast<std::size_t>(g.memberships[i].first)],
                                                   producer_ids[static_cast<std::size_t>(g.memberships[i].second)],
                                                   g.membership_from[i]);
    for (const auto& z : g.zones) registry::RegistryRepository::insert_zone(c, z);
    std::vector<registry::ParcelId> parcel_ids;
    parcel_ids.reserve(g.lots.size());
    for (std::size_t i = 0; i < g.lots.size(); ++i) {
      const Lot& l = g.lots[i];
      const Commune& old = g.olds[static_cast<std::size_t>(l.old)];
      registry::Parcel p;
      // Sheets and parcel numbers of the old commune's cadastral map.
      p.external_id = "LC-" + old.unit->code + "-" + l.sheet + "-" + l.number;
      p.sheet_no = l.sheet;
      p.parcel_no = l.number;
      p.unit = g.news[static_cast<std::size_t>(l.commune)].unit->id;
      p.land_use_code = l.land_use;
      p.state = l.state;
      p.area_m2 = round1(l.area);
      p.official_area_m2 = chance(rnd, 0.85) ? std::round(l.area) : std::round(l.area * rnd.uniform(0.96, 1.05));
      p.valid_from = l.valid_from;
      p.source = kSource;
      p.illustrative = true;
      p.geom = geoms[i];
      parcel_ids.push_back(registry::RegistryRepository::insert_parcel(c, p));
    }
    for (const auto& r : g.rights) {
      registry::LandRight lr;
      lr.parcel = parcel_ids[static_cast<std::size_t>(r.lot)];
      lr.producer = producer_ids[static_cast<std::size_t>(r.producer)];
      lr.kind = r.kind;
      lr.valid_from = r.from;
      lr.valid_to = r.to;
      lr.document = r.document;
      registry::RegistryRepository::insert_right(c, lr);
    }
    for (auto& [lot, p] : g.plantings) {
      p.parcel = parcel_ids[static_cast<std::size_t>(lot)];
      registry::RegistryRepository::insert_planting(c, p);
    }
    for (auto& [lot, v] : g.conversions) {
      v.parcel = parcel_ids[static_cast<std::size_t>(lot)];
      registry::RegistryRepository::insert_conversion(c, v);
      converted_ha += v.area_m2 / 10000;
    }
    if (g.coop_user_producer >= 0)
      c.execute("UPDATE app_user SET producer_id = ? WHERE username = 'coop.user'",
                {producer_ids[static_cast<std::size_t>(g.coop_user_producer)].value});
    audit::record(c, actor, "import", "parcel", "", std::nullopt, std::nullopt,
                  json{{"source", "demo"},
                       {"illustrative", true},
                       {"parcels", g.lots.size()},
                       {"zones", g.zones.size()},
                       {"producers", g.producers.size()},
                       {"households", g.households},
                       {"cooperatives", g.cooperatives},
                       {"enterprises", g.enterprises},
                       {"land_rights", g.rights.size()},
                       {"plantings", g.plantings.size()},
                       {"conversions", g.conversions.size()},
                       {"double_claims", g.double_claims},
                       {"outside_commune", g.outside}});
  });
  char ha[32];
  std::snprintf(ha, sizeof ha, "%.0f", converted_ha);
  report.notes.push_back("land registry (illustrative): " + std::to_string(g.lots.size()) + " parcels, " +
                         std::to_string(g.zones.size()) + " zones, " + std::to_string(g.households) + " households, " +
                         std::to_string(g.cooperatives) + " cooperatives, " + std::to_string(g.enterprises) +
                         " enterprises, " + std::to_string(g.conversions.size()) + " conversions (" + ha + " ha); " +
                         std::to_string(g.double_claims) +
                         " double claims (each drawn over its parcel and the neighbours it reaches, so the check "
                         "counts more overlapping pairs than claims) and " +
                         std::to_string(g.outside) + " parcels across a commune boundary left for the topology checks");
  return static_cast<int>(g.lots.size());
}

}  // namespace nongsan::app
