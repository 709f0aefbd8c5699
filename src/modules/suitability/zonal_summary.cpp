#include "modules/suitability/zonal_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nongsan::suitability {

namespace {

double signed_area(const std::vector<XY>& r) {
  double s = 0;
  for (std::size_t i = 0, n = r.size(); i < n; ++i) {
    const XY& a = r[i];
    const XY& b = r[(i + 1) % n];
    s += a.x * b.y - b.x * a.y;
  }
  return 0.5 * s;
}

// Keeps the part of `in` where coord(p) >= v (keep_above) or <= v, coord = x or y.
void clip(const std::vector<XY>& in, std::vector<XY>& out, bool on_x, double v, bool keep_above) {
  out.clear();
  const std::size_t n = in.size();
  if (n == 0) return;
  auto side = [&](const XY& p) {
    double c = on_x ? p.x : p.y;
    return keep_above ? c >= v : c <= v;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const XY& cur = in[i];
    const XY& prev = in[(i + n - 1) % n];
    bool ci = side(cur), pi = side(prev);
    if (ci != pi) {
      double pc = on_x ? prev.x : prev.y, cc = on_x ? cur.x : cur.y;
      double t = (v - pc) / (cc - pc);
      XY q{prev.x + t * (cur.x - prev.x), prev.y + t * (cur.y - prev.y)};
      if (on_x) q.x = v;
      else q.y = v;
      out.push_back(q);
    }
    if (ci) out.push_back(cur);
  }
}

struct OrientedRing {
  std::vector<XY> pts;  // open (last != first)
  double sign = 1;      // +1 outer, -1 hole, with the ring's own orientation folded in
};

}  // namespace

Result<MultiPolygonRings> polygons_from_wkb(const std::vector<std::uint8_t>& wkb) {
  auto m = wkb::read_polygons(wkb);
  if (!m) return Error::invalid("the geometry is not a readable polygon", {{"geometry", m.error().message}});
  return m;
}

double polygon_area(const MultiPolygonRings& m) {
  double a = 0;
  for (const auto& poly : m)
    for (std::size_t r = 0; r < poly.size(); ++r) a += (r == 0 ? 1 : -1) * std::abs(signed_area(poly[r]));
  return a;
}

std::vector<CellShare> cell_shares(const GridGeometry& g, const MultiPolygonRings& m, double* outside_area) {
  std::vector<OrientedRing> rings;
  double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
  for (const auto& poly : m)
    for (std::size_t r = 0; r < poly.size(); ++r) {
      OrientedRing o;
      o.pts = poly[r];
      if (o.pts.size() > 1 && o.pts.front().x == o.pts.back().x && o.pts.front().y == o.pts.back().y) o.pts.pop_back();
      if (o.pts.size() < 3) continue;
      double a = signed_area(o.pts);
      if (a == 0) continue;
      o.sign = (a > 0 ? 1.0 : -1.0) * (r == 0 ? 1.0 : -1.0);
      for (const XY& p : o.pts) {
        minx = std::min(minx, p.x), maxx = std::max(maxx, p.x);
        miny = std::min(miny, p.y), maxy = std::max(maxy, p.y);
      }
      rings.push_back(std::move(o));
    }
  std::vector<CellShare> out;
  double inside = 0;
  if (!rings.empty() && g.width > 0 && g.height > 0) {
    // Rows and columns the bounding box touches, clamped to the grid.
    auto col_of = [&](double x) { return (x - g.x0) / g.dx; };
    auto row_of = [&](double y) { return (y - g.y0) / g.dy; };
    double c_a = col_of(minx), c_b = col_of(maxx), r_a = row_of(miny), r_b = row_of(maxy);
    int c0 = std::max(0, static_cast<int>(std::floor(std::min(c_a, c_b))));
    int c1 = std::min(g.width - 1, static_cast<int>(std::floor(std::max(c_a, c_b))));
    int r0 = std::max(0, static_cast<int>(std::floor(std::min(r_a, r_b))));
    int r1 = std::min(g.height - 1, static_cast<int>(std::floor(std::max(r_a, r_b))));
    std::vector<XY> a, b, strip, cell;
    std::vector<std::vector<XY>> strips(rings.size());
    std::vector<double> row_area;
    for (int row = r0; row <= r1; ++row) {
      double ya = g.y0 + row * g.dy, yb = g.y0 + (row + 1) * g.dy;
      double ylo = std::min(ya, yb), yhi = std::max(ya, yb);
      bool any = false;
      for (std::size_t k = 0; k < rings.size(); ++k) {
        clip(rings[k].pts, a, false, ylo, true);
        clip(a, strips[k], false, yhi, false);
        any = any || strips[k].size() >= 3;
      }
      if (!any) continue;
      for (int col = c0; col <= c1; ++col) {
        double xa = g.x0 + col * g.dx, xb = g.x0 + (col + 1) * g.dx;
        double xlo = std::min(xa, xb), xhi = std::max(xa, xb);
        double area = 0;
        for (std::size_t k = 0; k < rings.size(); ++k) {
          if (strips[k].size() < 3) continue;
          clip(strips[k], b, true, xlo, true);
          clip(b, cell, true, xhi, false);
          if (cell.size() >= 3) area += rings[k].sign * signed_area(cell);
        }
        // Tiny negatives and zeros come from edges running along a cell side.
        if (area > 1e-12 * std::abs(g.dx * g.dy)) {
          out.push_back({col, row, area});
          inside += area;
        }
      }
    }
  }
  if (outside_area) *outside_area = std::max(0.0, polygon_area(m) - inside);
  return out;
}

const char* class_code(int cls) {
  static const char* k[] = {"nodata", "S1", "S2", "S3", "N"};
  return cls >= 0 && cls < kClassCount ? k[cls] : "nodata";
}

double ClassAreas::total() const {
  double s = 0;
  for (double v : m2) s += v;
  return s;
}

void ClassAreas::add(const ClassAreas& o) {
  for (int i = 0; i < kClassCount; ++i) m2[static_cast<std::size_t>(i)] += o.m2[static_cast<std::size_t>(i)];
  for (const auto& [k, v] : o.limiting_m2) limiting_m2[k] += v;
}

int ClassAreas::dominant_class() const {
  int best = 0;
  double best_area = 0;
  for (int c = 1; c < kClassCount; ++c)
    if (m2[static_cast<std::size_t>(c)] > best_area) best = c, best_area = m2[static_cast<std::size_t>(c)];
  return best;
}

std::optional<int> ClassAreas::dominant_factor(int cls) const {
  std::optional<int> best;
  double best_area = 0;
  for (const auto& [k, v] : limiting_m2)
    if (k.first == cls && v > best_area) best = k.second, best_area = v;
  return best;
}

std::vector<std::pair<int, double>> ClassAreas::ranked_factors(int from_class) const {
  std::map<int, double> by;
  for (const auto& [k, v] : limiting_m2)
    if (k.first >= from_class) by[k.second] += v;
  std::vector<std::pair<int, double>> out(by.begin(), by.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  return out;
}

ClassAreas summarise(const GridGeometry& grid, const std::vector<std::uint8_t>& classes,
                     const std::vector<std::uint8_t>& limiting, const MultiPolygonRings& m, double metric_area_m2) {
  ClassAreas r;
  double outside = 0;
  auto shares = cell_shares(grid, m, &outside);
  double total = outside;
  for (const auto& s : shares) {
    auto i = static_cast<std::size_t>(s.row) * static_cast<std::size_t>(grid.width) + static_cast<std::size_t>(s.col);
    int cls = classes[i] < kClassCount ? classes[i] : 0;
    r.m2[static_cast<std::size_t>(cls)] += s.area;
    if (cls >= 2 && !limiting.empty() && limiting[i] != 0) r.limiting_m2[{cls, limiting[i]}] += s.area;
    total += s.area;
  }
  r.m2[0] += outside;
  if (total > 0) {
    double k = metric_area_m2 / total;
    for (double& v : r.m2) v *= k;
    for (auto& [key, v] : r.limiting_m2) v *= k;
  }
  return r;
}

}  // namespace nongsan::suitability
