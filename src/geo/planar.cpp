#include "geo/planar.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nongsan::geo::planar {

double cross(Point o, Point a, Point b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }
double dist2(Point a, Point b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

double ring_area(const Ring& r) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) s += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  return 0.5 * s;
}

double ring_length(const Ring& r) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) s += std::sqrt(dist2(r[i], r[i + 1]));
  return s;
}

double polygon_area(const Polygon& p) {
  if (p.empty()) return 0;
  double a = std::abs(ring_area(p[0]));
  for (std::size_t i = 1; i < p.size(); ++i) a -= std::abs(ring_area(p[i]));
  return a;
}

Point ring_centre(const Ring& r) {
  Point c;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) c.x += r[i].x, c.y += r[i].y;
  double n = static_cast<double>(r.size() - 1);
  return {c.x / n, c.y / n};
}

bool inside(const MultiPolygon& m, Point q) {
  bool in = false;
  for (const auto& poly : m)
    for (const auto& r : poly)
      for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const Point& a = r[i];
        const Point& b = r[i + 1];
        if ((a.y > q.y) != (b.y > q.y) && q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x) in = !in;
      }
  return in;
}

namespace {
double dist2_to_segment(Point p, const Segment& s) {
  double dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? std::clamp(((p.x - s.a.x) * dx + (p.y - s.a.y) * dy) / len2, 0.0, 1.0) : 0.0;
  return dist2(p, {s.a.x + t * dx, s.a.y + t * dy});
}
}  // namespace

double distance(const std::vector<Segment>& segments, Point p) {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& s : segments) best = std::min(best, dist2_to_segment(p, s));
  return std::sqrt(best);
}

std::vector<Segment> segments_near(const MultiPolygon& m, Point lo, Point hi, double margin) {
  std::vector<Segment> out;
  for (const auto& poly : m)
    for (const auto& r : poly)
      for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const Point& a = r[i];
        const Point& b = r[i + 1];
        if (std::max(a.x, b.x) < lo.x - margin || std::min(a.x, b.x) > hi.x + margin ||
            std::max(a.y, b.y) < lo.y - margin || std::min(a.y, b.y) > hi.y + margin)
          continue;
        out.push_back({a, b});
      }
  return out;
}

std::vector<Segment> segments_of(const MultiPolygon& m) {
  std::vector<Segment> out;
  for (const auto& poly : m)
    for (const auto& r : poly)
      for (std::size_t i = 0; i + 1 < r.size(); ++i) out.push_back({r[i], r[i + 1]});
  return out;
}

std::vector<Segment> segments_of_line(const std::vector<Point>& line) {
  std::vector<Segment> out;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) out.push_back({line[i], line[i + 1]});
  return out;
}

Ring convex_hull(std::vector<Point> pts) {
  std::sort(pts.begin(), pts.end(), [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  Ring h(2 * pts.size());
  std::size_t k = 0;
  for (const Point& p : pts) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p) <= 0) --k;
    h[k++] = p;
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  h.resize(k);  // last point repeats the first: closed
  return h;
}

bool in_convex(const Ring& h, Point q) {
  for (std::size_t i = 0; i + 1 < h.size(); ++i)
    if (cross(h[i], h[i + 1], q) < 0) return false;
  return true;
}

Ring clip_convex(const Ring& subject, const Ring& hull) {
  std::vector<Point> out(subject.begin(), subject.end() - 1);
  for (std::size_t e = 0; e + 1 < hull.size() && !out.empty(); ++e) {
    Point a = hull[e], b = hull[e + 1];
    std::vector<Point> in;
    in.swap(out);
    for (std::size_t i = 0; i < in.size(); ++i) {
      Point cur = in[i], prev = in[(i + in.size() - 1) % in.size()];
      double sc = cross(a, b, cur), sp = cross(a, b, prev);
      auto cut = [&] {
        double t = sp / (sp - sc);
        return Point{prev.x + t * (cur.x - prev.x), prev.y + t * (cur.y - prev.y)};
      };
      if (sc >= 0) {
        if (sp < 0) out.push_back(cut());
        out.push_back(cur);
      } else if (sp >= 0) {
        out.push_back(cut());
      }
    }
  }
  Ring r;
  for (const Point& p : out)
    if (r.empty() || dist2(r.back(), p) > 1e-8) r.push_back(p);
  while (r.size() > 1 && dist2(r.front(), r.back()) <= 1e-8) r.pop_back();
  if (r.size() < 3) return {};
  r.push_back(r.front());
  return r;
}

std::vector<std::uint8_t> cells_inside(const MultiPolygon& m, double x0, double y0, double dx, double dy, int width,
                                       int height) {
  std::vector<std::uint8_t> inside(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
  // Scanline through each row's centre: crossings of every ring, filled in pairs (even-odd).
  for (int row = 0; row < height; ++row) {
    double y = y0 + (row + 0.5) * dy;
    std::vector<double> xs;
    for (const auto& poly : m)
      for (const auto& ring : poly)
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          const auto& a = ring[i];
          const auto& b = ring[i + 1];
          if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
    std::sort(xs.begin(), xs.end());
    for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
      int c0 = std::max(0, static_cast<int>(std::ceil((xs[k] - x0) / dx - 0.5)));
      int c1 = std::min(width - 1, static_cast<int>(std::floor((xs[k + 1] - x0) / dx - 0.5)));
      for (int col = c0; col <= c1; ++col) inside[static_cast<std::size_t>(row) * width + col] = 1;
    }
  }
  return inside;
}

storage::Geometry to_geometry(const MultiPolygon& m, int srid) {
  storage::Geometry g;
  g.srid = srid;
  g.wkb = wkb::write_multipolygon(m);
  return g;
}

Result<MultiPolygon> polygons_of(const storage::Geometry& g) { return wkb::read_polygons(g.wkb, wkb::OtherTypes::skip); }

}  // namespace nongsan::geo::planar
