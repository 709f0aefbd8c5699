// Lai Châu's administrative units before and after the reform of 1 July 2025,
// with real province and district boundaries and illustrative commune
// boundaries drawn inside the real districts.
#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/demo/demo.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"

namespace nongsan::app {

using admin::AdminLevel;
using admin::AdminUnit;
using admin::GeomSource;
using nlohmann::json;
using storage::Geometry;

namespace {

const CivilDate kRecordsStart(2020, 1, 1);  // history kept from the programme's baseline year
const CivilDate kLastDayBefore(2025, 6, 30);
const CivilDate kReform(2025, 7, 1);
constexpr const char* kReformBasis = "Nghị quyết 1670/NQ-UBTVQH15 (sắp xếp đơn vị hành chính cấp xã tỉnh Lai Châu, 2025)";
constexpr const char* kIllustrative =
    "Ranh giới minh họa (illustrative): vẽ tự động trong ranh giới huyện thật; thay bằng `nongsan import units`";

std::string kind_of(const std::string& name) {
  for (const char* k : {"Thị trấn", "Thành phố", "Phường", "Huyện", "Tỉnh", "Xã"})
    if (name.rfind(k, 0) == 0) return k;
  return "";
}

Geometry must(Result<Geometry> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(*r);
}

using Point = std::pair<double, double>;

// Points spread over a polygon: rejection sampling on its bounding box.
std::vector<Point> sample_inside(const Geometry& area, std::size_t n, DemoRandom& rnd) {
  auto b = geo::bounds(area);
  std::vector<Point> out;
  for (std::size_t tries = 0; out.size() < n && tries < n * 200; ++tries) {
    Point p{rnd.uniform(b->min_x, b->max_x), rnd.uniform(b->min_y, b->max_y)};
    if (auto in = geo::contains_point(area, p.first, p.second); in && *in) out.push_back(p);
  }
  return out;
}

double dist2(const Point& a, const Point& b) {
  double dx = a.first - b.first, dy = a.second - b.second;
  return dx * dx + dy * dy;
}

// k-means over sample points gives seeds spread like real communes; `pinned`
// seeds stay where they are (they pull a group towards a neighbouring district).
std::vector<Point> spread_seeds(const std::vector<Point>& samples, std::vector<Point> seeds,
                                const std::vector<bool>& pinned) {
  for (int iter = 0; iter < 25; ++iter) {
    std::vector<Point> sum(seeds.size(), {0, 0});
    std::vector<int> count(seeds.size(), 0);
    for (const auto& p : samples) {
      std::size_t best = 0;
      for (std::size_t k = 1; k < seeds.size(); ++k)
        if (dist2(p, seeds[k]) < dist2(p, seeds[best])) best = k;
      sum[best].first += p.first;
      sum[best].second += p.second;
      ++count[best];
    }
    for (std::size_t k = 0; k < seeds.size(); ++k)
      if (!pinned[k] && count[k] > 0) seeds[k] = {sum[k].first / count[k], sum[k].second / count[k]};
  }
  return seeds;
}

// Voronoi cells for `seeds` inside `area`, one per seed. Coinciding seeds (two
// k-means centres that converged together) are pulled apart first.
std::vector<Geometry> cells_for(std::vector<Point> seeds, const Geometry& area) {
  for (std::size_t i = 0; i < seeds.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (dist2(seeds[i], seeds[j]) < 1e-12) {
        seeds[i].first += 1e-4 * static_cast<double>(i);
        seeds[i].second += 7e-5 * static_cast<double>(i);
      }
  if (seeds.size() == 1) return {area};
  auto cells = geo::voronoi_cells(seeds, area);
  if (!cells) throw std::runtime_error("voronoi: " + cells.error().message);
  return std::move(*cells);
}

}  // namespace

int demo_units(App& app, const identity::Actor& actor, DemoReport& report) {
  bool has_units = app.db().read([](storage::Connection& c) { return admin::AdminRepository::count_units(c) > 0; });
  if (has_units) {
    report.notes.push_back("administrative units already present: left as they are");
    return 0;
  }
  json units = demo_data("laichau/laichau-admin-units.json");
  json reform = demo_data("laichau/laichau-reform-2025.json");
  json bounds = demo_data("laichau/laichau-boundaries-pre2025.geojson");

  std::map<std::string, Geometry> real;  // code -> official boundary
  for (const auto& f : bounds["features"]) {
    auto g = must(geo::from_geojson(f["geometry"].dump()), "boundary " + f["properties"]["code"].get<std::string>());
    real[f["properties"]["code"].get<std::string>()] = must(geo::as_multipolygon(g), "boundary");
  }

  // Old commune -> its new commune, and the old communes of each district.
  std::map<std::string, std::string> new_of_old;
  for (const auto& n : reform["communes_post2025"])
    for (const auto& o : n["formed_from"]) new_of_old[o["code"].get<std::string>()] = n["code"].get<std::string>();
  std::map<std::string, std::vector<json>> communes_of;
  std::map<std::string, std::string> district_of;
  for (const auto& c : units["communes_pre2025"]) {
    communes_of[c["district_code"].get<std::string>()].push_back(c);
    district_of[c["code"].get<std::string>()] = c["district_code"].get<std::string>();
  }

  // Illustrative commune boundaries, district by district: first a cell per group of
  // old communes that merged into the same new commune, then a cell per old commune.
  std::map<std::string, Geometry> old_geom;
  DemoRandom rnd(20250701);
  for (const auto& d : units["districts_pre2025"]) {
    std::string dcode = d["code"];
    const Geometry& area = real.at(dcode);
    auto samples = sample_inside(area, 3000, rnd);
    std::vector<std::string> groups;
    for (const auto& c : communes_of[dcode]) {
      const std::string& g = new_of_old.at(c["code"].get<std::string>());
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    std::vector<Point> seeds;
    std::vector<bool> pinned;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      // A group that spans districts is pinned to the point nearest its other district.
      std::set<std::string> other_districts;
      for (const auto& [old_code, new_code] : new_of_old)
        if (new_code == groups[k] && district_of[old_code] != dcode) other_districts.insert(district_of[old_code]);
      if (!other_districts.empty()) {
        auto other = sample_inside(real.at(*other_districts.begin()), 400, rnd);
        Point best = samples[0];
        double best_d = 1e300;
        for (const auto& p : samples)
          for (const auto& q : other)
            if (dist2(p, q) < best_d) {
              best_d = dist2(p, q);
              best = p;
            }
        seeds.push_back(best);
        pinned.push_back(true);
      } else {
        seeds.push_back(samples[(k * samples.size()) / groups.size()]);
        pinned.push_back(false);
      }
    }
    seeds = spread_seeds(samples, seeds, pinned);
    auto group_cells = cells_for(seeds, area);
    for (std::size_t k = 0; k < groups.size(); ++k) {
      std::vector<json> members;
      for (const auto& c : communes_of[dcode])
        if (new_of_old.at(c["code"].get<std::string>()) == groups[k]) members.push_back(c);
      auto cell_samples = sample_inside(group_cells[k], 800, rnd);
      std::vector<Point> sub;
      for (std::size_t m = 0; m < members.size(); ++m) sub.push_back(cell_samples[(m * cell_samples.size()) / members.size()]);
      sub = spread_seeds(cell_samples, sub, std::vector<bool>(sub.size(), false));
      auto member_cells = cells_for(sub, group_cells[k]);
      for (std::size_t m = 0; m < members.size(); ++m)
        // Snap-rounded to 1e-7° (about 1 cm) so that the boundary stays valid when it is
        // projected or written with 7+ decimals.
        old_geom[members[m]["code"].get<std::string>()] =
            must(geo::as_multipolygon(must(geo::snap_to_grid(member_cells[m], 1e-7), "snap")), "cell");
    }
  }

  auto area_of = [](const Geometry& g) {
    auto a = geo::area_m2(g);
    return a ? std::optional<double>(*a) : std::nullopt;
  };

  int created = 0;
  app.db().write([&](storage::Connection& c) {
    auto add = [&](AdminUnit u, const std::optional<Geometry>& g) {
      u.area_m2 = g ? area_of(*g) : std::nullopt;
      u.id = admin::AdminRepository::insert_unit(c, u, g);
      ++created;
      return u.id;
    };
    AdminUnit province;
    province.code = units["_meta"]["province"]["code"];
    province.name = units["_meta"]["province"]["name"];
    province.level = AdminLevel::province;
    province.kind = "Tỉnh";
    province.valid_from = CivilDate(2004, 1, 1);  // Resolution 22/2003/QH11 split Lai Châu and Điện Biên
    province.geom_source = GeomSource::official;
    province.source = "Mã và tên: GSO; ranh giới: gis.chinhphu.vn (dvhcvn data/gis/12.json)";
    UnitId province_id = add(province, real.at(province.code));

    std::map<std::string, UnitId> district_ids, old_ids, new_ids;
    std::map<std::string, double> old_area;
    for (const auto& d : units["districts_pre2025"]) {
      AdminUnit u;
      u.code = d["code"];
      u.name = d["name"];
      u.level = AdminLevel::district;
      u.kind = d.value("type", kind_of(u.name));
      u.valid_from = kRecordsStart;
      u.valid_to = kLastDayBefore;
      u.geom_source = GeomSource::official;
      u.source = "Mã và tên: GSO; ranh giới: gis.chinhphu.vn (dvhcvn); cấp huyện chấm dứt hoạt động từ 01/7/2025";
      district_ids[u.code] = add(u, real.at(u.code));
      admin::AdminRepository::insert_link(c, {district_ids[u.code], province_id, kRecordsStart, kLastDayBefore});
    }
    for (const auto& [dcode, list] : communes_of)
      for (const auto& cj : list) {
        AdminUnit u;
        u.code = cj["code"];
        u.name = cj["name"];
        u.level = AdminLevel::commune;
        u.kind = kind_of(u.name);
        u.valid_from = kRecordsStart;
        u.valid_to = kLastDayBefore;
        u.geom_source = GeomSource::illustrative;
        u.source = std::string("Mã và tên: danh mục ĐVHC trước 01/7/2025. ") + kIllustrative;
        const Geometry& g = old_geom.at(u.code);
        old_area[u.code] = area_of(g).value_or(0);
        old_ids[u.code] = add(u, g);
        admin::AdminRepository::insert_link(c, {old_ids[u.code], district_ids.at(dcode), kRecordsStart, kLastDayBefore});
      }
    for (const auto& n : reform["communes_post2025"]) {
      AdminUnit u;
      u.code = n["code"];
      u.name = n["name"];
      u.level = AdminLevel::commune;
      u.kind = kind_of(u.name);
      u.valid_from = kReform;
      u.geom_source = GeomSource::illustrative;
      u.source = std::string(kReformBasis) + ". " + kIllustrative + " (hợp các xã cũ)";
      std::vector<Geometry> parts;
      for (const auto& o : n["formed_from"]) parts.push_back(old_geom.at(o["code"].get<std::string>()));
      Geometry merged = must(
          geo::as_multipolygon(must(geo::snap_to_grid(must(geo::union_all(parts), "union " + u.code), 1e-7), "snap")),
          "union");
      new_ids[u.code] = add(u, merged);
      admin::AdminRepository::insert_link(c, {new_ids[u.code], province_id, kReform, std::nullopt});
      // Every Lai Châu merge took whole communes: each old commune goes 100 % to its new one.
      for (const auto& o : n["formed_from"])
        admin::AdminRepository::insert_succession(
            c, {old_ids.at(o["code"].get<std::string>()), new_ids[u.code], kReform, 1.0, admin::ShareBasis::whole,
                kReformBasis});
    }
    // Abolished districts: each district's share in each new commune by area, so that
    // figures kept only at district level still reach the new communes.
    std::map<std::string, double> district_area;
    for (const auto& [code, a] : old_area) district_area[district_of[code]] += a;
    std::map<std::pair<std::string, std::string>, double> share_area;
    for (const auto& [code, a] : old_area) share_area[{district_of[code], new_of_old.at(code)}] += a;
    for (const auto& [key, a] : share_area) {
      double share = district_area[key.first] > 0 ? a / district_area[key.first] : 0;
      if (share <= 0) continue;
      admin::AdminRepository::insert_succession(
          c, {district_ids.at(key.first), new_ids.at(key.second), kReform, std::min(1.0, share),
              admin::ShareBasis::area, std::string(kReformBasis) + "; tỷ lệ theo diện tích (ranh giới xã minh họa)"});
    }
    audit::record(c, actor, "import", "admin_unit", "", std::nullopt, std::nullopt,
                  json{{"source", "demo"}, {"units", created}});
  });
  report.notes.push_back("commune boundaries are illustrative (drawn inside the real district boundaries)");
  return created;
}

}  // namespace nongsan::app
