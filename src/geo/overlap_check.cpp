// How the overlap check is fast and still exact.
//
// 1. Each parcel's WKB is read (our own reader, no GEOS) straight into flat
//    coordinate arrays in the projected CRS, laid out along a Hilbert curve; rings are
//    normalised (no repeated points, shells counter-clockwise, holes clockwise) and cut
//    into blocks of 8 edges with a box. Validity is decided by an exact test for the
//    common case (no two edges meet, holes inside their shell), anything else by
//    GEOS; GEOS's own isValid costs ~14 µs per cadastral lot, more than the whole rest
//    of the check. find_overlaps decides it only for parcels of pairs that survive
//    the bounds below (a pair with an invalid parcel is never reported anyway).
// 2. The parcels' boxes go into a packed R-tree (node capacity 16) in that order.
//    Each parcel queries the tree for later parcels whose box meets its own, so each
//    candidate pair is seen once.
// 3. A pair is dropped without further work when an upper bound of its overlap cannot
//    exceed the threshold: the area of the intersection of the two boxes, and the
//    smaller of the two areas. Neighbours sharing a noisy edge have a box intersection
//    of a few metres by the edge's length, so at 500 m² nearly all are dropped here.
// 4. Otherwise the area of A ∩ B is computed exactly by Green's theorem: the boundary
//    of A ∩ B is made of the pieces of A's edges inside B and of B's edges inside A,
//    and area = ½ ∮ x dy − y dx over those pieces. Only edges whose box meets the
//    intersection R of the two boxes can contribute; edges outside R are outside the
//    other polygon, so walking a ring, the inside/outside state restarts as "outside"
//    after such an edge, and flips at each crossing. No overlay, no allocation, and
//    typically a dozen edges per side.
//
//    Exactness: orientations are decided exactly (Shewchuk's filtered predicate with
//    an exact expansion fallback), and degenerate configurations (shared edges,
//    duplicates, a vertex on an edge, touching parcels) are resolved by simulation of
//    simplicity: B is treated as translated by (ε, ε²) for an infinitesimal ε. The
//    area is continuous under that translation, so the limit is the true area, and in
//    the perturbed position every crossing is proper and every point is strictly
//    inside or outside. Each crossing point is computed once and used by both
//    polygons' pieces, so the integrated pieces close up and rounding only shifts
//    vertices by an ulp: the area differs from GEOS's by rounding (~1e-9 relative),
//    and touching parcels give exactly 0.
#include "geo/overlap_check.hpp"
#include "geo/overlap_index.hpp"

#include "core/wkb.hpp"

#include "geo/coordinate_check.hpp"
#include "geo/proj_context.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nongsan::geo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Pt {
  double x, y;
};
inline bool same(Pt a, Pt b) { return a.x == b.x && a.y == b.y; }
inline Pt minus(Pt a, Pt o) { return {a.x - o.x, a.y - o.y}; }
inline double cross(Pt a, Pt b) { return a.x * b.y - a.y * b.x; }

struct Box {
  double minx, miny, maxx, maxy;
  static Box empty() { return {kInf, kInf, -kInf, -kInf}; }
  void add(Pt p) {
    minx = std::min(minx, p.x);
    miny = std::min(miny, p.y);
    maxx = std::max(maxx, p.x);
    maxy = std::max(maxy, p.y);
  }
  void add(const Box& b) {
    minx = std::min(minx, b.minx);
    miny = std::min(miny, b.miny);
    maxx = std::max(maxx, b.maxx);
    maxy = std::max(maxy, b.maxy);
  }
  // Closed boxes: touching counts.
  bool intersects(const Box& o) const {
    // Bitwise &: four compares and no branches to mispredict.
    return (minx <= o.maxx) & (o.minx <= maxx) & (miny <= o.maxy) & (o.miny <= maxy);
  }
};

inline Box edge_box(Pt p, Pt q) {
  return {std::min(p.x, q.x), std::min(p.y, q.y), std::max(p.x, q.x), std::max(p.y, q.y)};
}

// ---------------------------------------------------------------------------
// Exact orientation: the sign of (a − c) × (b − c), positive when a, b, c turn
// counter-clockwise. J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic
// and Fast Robust Geometric Predicates" (1997): a floating-point filter decides
// nearly always; otherwise the determinant is evaluated exactly as a sum of 16
// products held in an expansion. Needs IEEE double arithmetic without
// contraction into FMA (ISO C++ mode, the project's default).

constexpr double kEpsilon = std::numeric_limits<double>::epsilon() / 2;  // 2^-53
constexpr double kCcwErrBoundA = (3.0 + 16.0 * kEpsilon) * kEpsilon;
constexpr double kSplitter = 134217729.0;  // 2^27 + 1

inline void two_sum(double a, double b, double& x, double& y) {
  x = a + b;
  const double bv = x - a, av = x - bv, br = b - bv, ar = a - av;
  y = ar + br;
}
inline void two_diff(double a, double b, double& x, double& y) {
  x = a - b;
  const double bv = a - x, av = x + bv, br = bv - b, ar = a - av;
  y = ar + br;
}
inline void split(double a, double& hi, double& lo) {
  const double c = kSplitter * a, abig = c - a;
  hi = c - abig;
  lo = a - hi;
}
inline void two_product(double a, double b, double& x, double& y) {
  x = a * b;
  double ahi, alo, bhi, blo;
  split(a, ahi, alo);
  split(b, bhi, blo);
  const double err1 = x - ahi * bhi, err2 = err1 - alo * bhi, err3 = err2 - ahi * blo;
  y = alo * blo - err3;
}
// Adds b to the nonoverlapping expansion e[0, n) (increasing magnitude, no zeros), in
// place; returns the new length. e must have room for n + 1 components.
int grow_expansion(double* e, int n, double b) {
  double q = b;
  int m = 0;
  for (int i = 0; i < n; ++i) {
    double s, h;
    two_sum(q, e[i], s, h);
    q = s;
    if (h != 0) e[m++] = h;
  }
  if (q != 0) e[m++] = q;
  return m;
}

int orient_exact(Pt a, Pt b, Pt c) {
  double acx, acxt, bcy, bcyt, acy, acyt, bcx, bcxt;
  two_diff(a.x, c.x, acx, acxt);
  two_diff(b.y, c.y, bcy, bcyt);
  two_diff(a.y, c.y, acy, acyt);
  two_diff(b.x, c.x, bcx, bcxt);
  const double left[2] = {acx, acxt}, left2[2] = {bcy, bcyt}, right[2] = {acy, acyt}, right2[2] = {bcx, bcxt};
  std::array<double, 17> e{};
  int n = 0;
  for (double u : left) {
    for (double v : left2) {
      double x, y;
      two_product(u, v, x, y);
      n = grow_expansion(e.data(), n, x);
      n = grow_expansion(e.data(), n, y);
    }
  }
  for (double u : right) {
    for (double v : right2) {
      double x, y;
      two_product(u, v, x, y);
      n = grow_expansion(e.data(), n, -x);
      n = grow_expansion(e.data(), n, -y);
    }
  }
  // The largest component of a nonoverlapping expansion outweighs all the others.
  return n == 0 ? 0 : (e[n - 1] > 0 ? 1 : -1);
}

inline int sign(double v) { return (v > 0) - (v < 0); }

inline int orient(Pt a, Pt b, Pt c) {
  const double detleft = (a.x - c.x) * (b.y - c.y);
  const double detright = (a.y - c.y) * (b.x - c.x);
  const double det = detleft - detright;
  double detsum;
  if (detleft > 0) {
    if (detright <= 0) return sign(det);
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return sign(det);
    detsum = -detleft - detright;
  } else {
    return sign(det);
  }
  const double errbound = kCcwErrBoundA * detsum;
  if (det >= errbound || -det >= errbound) return sign(det);
  return orient_exact(a, b, c);
}

// Simulation of simplicity: B is translated by δ = (ε, ε²), ε → 0+. Never 0 for an
// edge u != v. orient(u, v, c + w) = orient(u, v, c) + dx·w.y − dy·w.x.
//
// orient(u, v, a − δ) = orient(u, v, a) + dy·ε − dx·ε²  (A's point against B's edge u→v)
inline int orient_minus(Pt u, Pt v, Pt a) {
  if (const int o = orient(u, v, a)) return o;
  if (v.y != u.y) return v.y > u.y ? 1 : -1;
  return u.x > v.x ? 1 : -1;
}
// orient(u, v, b + δ) = orient(u, v, b) − dy·ε + dx·ε²  (B's point against A's edge u→v)
inline int orient_plus(Pt u, Pt v, Pt b) {
  if (const int o = orient(u, v, b)) return o;
  if (v.y != u.y) return v.y > u.y ? -1 : 1;
  return v.x > u.x ? 1 : -1;
}

// ---------------------------------------------------------------------------
// Reading WKB (ISO or EWKB, 2D/Z/M/ZM, either byte order) with core/wkb's cursor,
// straight into flat arrays.

struct RawShape {
  std::vector<Pt> pts;                  // every ring as read (closed), one after another
  std::vector<std::uint32_t> ring_end;  // end of each ring in pts
  std::vector<std::uint32_t> part_end;  // end of each polygon in ring_end
  bool multi = false;
  void clear() {
    pts.clear();
    ring_end.clear();
    part_end.clear();
    multi = false;
  }
};

static_assert(sizeof(Pt) == sizeof(wkb::Point), "coordinates are read straight into Pt arrays");

class WkbReader {
 public:
  explicit WkbReader(std::span<const std::uint8_t> d) : r_(d) {}

  // The sizes only: points and rings as `read` would give them, blocks of kBlock edges
  // an upper bound for them, and the first point. False when read would fail.
  struct Sizes {
    std::uint32_t points = 0, rings = 0, blocks = 0;
    Pt first{0, 0};
  };
  bool scan(Sizes& sizes, std::uint32_t block) {
    sizes_ = &sizes;
    block_ = block;
    RawShape none;
    const bool ok = read(none).empty();
    sizes_ = nullptr;
    return ok;
  }

  // "" on success, else the problem.
  std::string read(RawShape& out) {
    out.clear();
    wkb::Header h;
    if (!r_.header(h)) return problem();
    if (h.type == wkb::kPolygon) {
      if (!polygon(h, out)) return problem();
    } else if (h.type == wkb::kMultiPolygon) {
      out.multi = true;
      std::uint32_t parts = 0;
      if (!r_.count(h, parts, 5)) return problem();
      for (std::uint32_t i = 0; i < parts; ++i) {
        wkb::Header part;
        if (!r_.header(part)) return problem();
        if (part.type != wkb::kPolygon) return "unreadable WKB: a MultiPolygon holds a " + wkb::type_name(part.type);
        if (!polygon(part, out)) return problem();
      }
    } else {
      return "not a polygon: " + wkb::type_name(h.type);
    }
    return "";
  }

 private:
  std::string problem() const {
    std::string m = r_.problem();
    if (m.rfind("WKB ", 0) == 0) m.erase(0, 4);  // "WKB ends early" -> "unreadable WKB: ends early"
    return "unreadable WKB: " + m;
  }
  bool polygon(const wkb::Header& h, RawShape& out) {
    std::uint32_t rings = 0;
    if (!r_.count(h, rings, 4)) return false;
    const std::size_t first_ring = out.ring_end.size();
    for (std::uint32_t r = 0; r < rings; ++r) {
      std::uint32_t n = 0;
      if (!r_.count(h, n, 8 * static_cast<std::size_t>(h.dimensions))) return false;
      if (n == 0) {
        // An empty shell makes an empty polygon; an empty hole is no hole.
        if (r == 0 && rings > 1) return r_.fail("a polygon with an empty shell has holes");
        continue;
      }
      if (n < 4) return r_.fail("a ring of " + std::to_string(n) + " points (a closed ring needs at least 4)");
      const wkb::Point first = r_.peek_point(h, 0), last = r_.peek_point(h, n - 1);
      if (!(first.x == last.x && first.y == last.y) && !(std::isnan(first.x) && std::isnan(last.x)))
        return r_.fail("a ring is not closed");
      if (sizes_) {
        if (sizes_->points == 0) sizes_->first = {first.x, first.y};
        if (!r_.skip_points(h, n)) return false;
        sizes_->points += n;
        sizes_->rings += 1;
        sizes_->blocks += (n + block_ - 1) / block_;
        continue;
      }
      const std::size_t at = out.pts.size();
      out.pts.resize(at + n);
      if (!r_.points(h, n, reinterpret_cast<wkb::Point*>(&out.pts[at]))) return false;
      out.ring_end.push_back(static_cast<std::uint32_t>(out.pts.size()));
    }
    if (out.ring_end.size() > first_ring) out.part_end.push_back(static_cast<std::uint32_t>(out.ring_end.size()));
    return true;
  }

  wkb::Reader r_;
  Sizes* sizes_ = nullptr;  // scanning
  std::uint32_t block_ = 1;
};

// Little-endian ISO WKB of a raw shape, for GEOS.
storage::Geometry to_geometry(const RawShape& raw, int srid) {
  std::vector<std::uint8_t> w;
  auto put32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) w.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto put64 = [&](double d) {
    std::uint64_t v;
    std::memcpy(&v, &d, 8);
    for (int i = 0; i < 8; ++i) w.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto polygon = [&](std::size_t part) {
    const std::uint32_t r0 = part == 0 ? 0 : raw.part_end[part - 1], r1 = raw.part_end[part];
    w.push_back(1);
    put32(3);
    put32(r1 - r0);
    for (std::uint32_t r = r0; r < r1; ++r) {
      const std::uint32_t p0 = r == 0 ? 0 : raw.ring_end[r - 1], p1 = raw.ring_end[r];
      put32(p1 - p0);
      for (std::uint32_t i = p0; i < p1; ++i) {
        put64(raw.pts[i].x);
        put64(raw.pts[i].y);
      }
    }
  };
  if (raw.multi || raw.part_end.size() != 1) {
    w.push_back(1);
    put32(6);
    put32(static_cast<std::uint32_t>(raw.part_end.size()));
    for (std::size_t p = 0; p < raw.part_end.size(); ++p) polygon(p);
  } else {
    polygon(0);
  }
  return storage::Geometry{std::move(w), srid};
}

void project_points(PJ* op, Pt* pts, std::size_t n) {
  if (n == 0) return;
  double z = 0, t = HUGE_VAL;  // no epoch: time-dependent operations use their reference epoch
  proj_trans_generic(op, PJ_FWD, &pts[0].x, sizeof(Pt), n, &pts[0].y, sizeof(Pt), n, &z, 0, 1, &t, 0, 1);
}

// The projected coordinates of the points one worker has already projected, so that a
// vertex is projected once however many parcels share it. A cadastral map's parcels
// share the vertices of their common edges (in a block of the support bench's registry
// 40 % of the points are distinct), read_shapes reads neighbours one after another
// (Hilbert order), and every ring repeats its first point at its end. The projection
// is most of what reading a parcel costs: three quarters of it in a province's check of
// claims, whose 265,000 claimed parcels (a quarter of the registry, fewer neighbours)
// repeat a quarter of their points. A point's projection depends on that point alone
// (one operation, no state), so the coordinates are those of projecting every point,
// to the bit. Bounded: when full it is emptied, which only forgets.
class ProjectedPoints {
 public:
  // Projects pts in place through op: the points not seen since the last emptying in
  // one call, the others from what was kept. REQUIRES: finite coordinates.
  void project(PJ* op, std::vector<Pt>& pts) {
    if (pts.size() > kCapacity / 4) return project_points(op, pts.data(), pts.size());
    if (table_.empty()) table_.resize(kSlots);
    if (op != op_ || values_.size() + pts.size() > kCapacity) forget(op);
    slot_of_.resize(pts.size());
    const std::size_t first_new = values_.size();
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const std::uint64_t x = std::bit_cast<std::uint64_t>(pts[i].x), y = std::bit_cast<std::uint64_t>(pts[i].y);
      std::size_t h = ((x * 0x9E3779B97F4A7C15ull) ^ (y * 0xC2B2AE3D27D4EB4Full)) >> (64 - kSlotBits);
      for (;; h = (h + 1) & (kSlots - 1)) {
        Entry& e = table_[h];
        if (e.generation != generation_) {  // free: the point is new
          e = {x, y, static_cast<std::uint32_t>(values_.size()), generation_};
          slot_of_[i] = e.slot;
          values_.push_back(pts[i]);
          break;
        }
        if (e.x == x && e.y == y) {
          slot_of_[i] = e.slot;
          break;
        }
      }
    }
    project_points(op, values_.data() + first_new, values_.size() - first_new);
    for (std::size_t i = 0; i < pts.size(); ++i) pts[i] = values_[slot_of_[i]];
  }

 private:
  static constexpr int kSlotBits = 17;
  static constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;
  static constexpr std::size_t kCapacity = kSlots / 2;  // at most half full: short probes
  struct Entry {
    std::uint64_t x = 0, y = 0;  // the bits of the unprojected point
    std::uint32_t slot = 0;      // in values_
    std::uint32_t generation = 0;
  };
  void forget(PJ* op) {
    op_ = op;
    values_.clear();
    if (++generation_ == 0) {  // wrapped: old entries could pass for current ones
      std::fill(table_.begin(), table_.end(), Entry{});
      generation_ = 1;
    }
  }
  PJ* op_ = nullptr;
  std::vector<Entry> table_;
  std::vector<Pt> values_;  // projected
  std::vector<std::uint32_t> slot_of_;
  std::uint32_t generation_ = 1;
};

// "" or the problem. With `seen`, points projected before are not projected again.
std::string transform_in_place(std::vector<Pt>& pts, int from, int to, ProjectedPoints* seen = nullptr) {
  if (from <= 0) return "cannot transform to EPSG:" + std::to_string(to) + ": the geometry has no SRID";
  auto operation = proj().operation(from, to);
  if (!operation)
    return "cannot transform to EPSG:" + std::to_string(to) + ": no transformation from EPSG:" + std::to_string(from);
  PJ* op = *operation;
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y))
      return "point " + std::to_string(i + 1) + ", " + format_point(pts[i].x, pts[i].y) +
             ", has a coordinate that is not a finite number";
  seen ? seen->project(op, pts) : project_points(op, pts.data(), pts.size());
  for (const Pt& p : pts) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      return "cannot transform to EPSG:" + std::to_string(to) + ": a point lies outside the area EPSG:" +
             std::to_string(from) + " covers";
  }
  return "";
}

// ---------------------------------------------------------------------------
// One parcel: read, project, normalise, validate.

// Closed segments p1p2 and q1q2 share a point. REQUIRES: their boxes intersect.
bool segments_meet(Pt p1, Pt p2, Pt q1, Pt q2) {
  const int o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2);
  if (o1 * o2 > 0) return false;
  const int o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
  if (o3 * o4 > 0) return false;
  return true;  // crossing, touching, or collinear with intersecting boxes
}

// Exact point-in-ring (even-odd) for a point on no edge of the ring.
bool inside_ring(Pt p, const Pt* r, std::uint32_t n) {
  bool in = false;
  for (std::uint32_t i = 0, j = n - 1; i < n; j = i++) {
    const Pt u = r[j], v = r[i];
    if ((u.y > p.y) == (v.y > p.y)) continue;
    const int o = orient(u, v, p);
    if (v.y > u.y ? o > 0 : o < 0) in = !in;
  }
  return in;
}

struct ValidityScratch {
  struct Edge {
    Pt p, q;
    std::uint32_t ring, i, next;  // next: index in the ring of the edge that starts at q
  };
  struct Span {
    double minx, maxx, miny, maxy;
    std::uint32_t edge;
    bool operator<(const Span& o) const { return minx < o.minx; }
  };
  std::vector<Edge> edges;
  std::vector<Span> by_minx;
  std::vector<std::uint32_t> ring_begin;
};

// True when the normalised rings are certainly valid by GEOS's rules: finite, at least
// three distinct vertices per ring, no two edges meeting except neighbours at their
// common vertex (and those not folding back), every hole inside its shell and in no
// other hole, no shell inside another part's shell. False means "ask GEOS".
// Finite coordinates and at least three distinct vertices per ring: what the rest of
// this file needs to read a shape at all.
bool well_formed(const Pt* pts, const std::uint32_t* ring_size, std::uint32_t rings) {
  std::uint32_t total = 0;
  for (std::uint32_t r = 0; r < rings; ++r) {
    if (ring_size[r] < 3) return false;
    total += ring_size[r];
  }
  for (std::uint32_t i = 0; i < total; ++i) {
    if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y)) return false;
  }
  return true;
}

// REQUIRES: well_formed.
bool surely_valid(const Pt* pts, const std::uint32_t* ring_size, std::uint32_t rings,
                  const std::vector<std::uint32_t>& part_end, ValidityScratch& scratch) {
  if (part_end.size() > 16) return false;  // many parts: pairwise nesting tests would be slow
  auto& ring_begin = scratch.ring_begin;
  ring_begin.resize(rings);
  std::uint32_t total = 0;
  for (std::uint32_t r = 0; r < rings; ++r) {
    ring_begin[r] = total;
    total += ring_size[r];
  }
  // Neighbouring edges meet at their common vertex v; they fold back (a spike) if
  // collinear with the far ends on the same side of v. A fold-back has a positive dot
  // product far above its rounding, so the dot product filters before the exact test.
  for (std::uint32_t r = 0; r < rings; ++r) {
    const Pt* v = pts + ring_begin[r];
    const std::uint32_t n = ring_size[r];
    for (std::uint32_t i = 0; i < n; ++i) {
      const Pt p = v[i == 0 ? n - 1 : i - 1], c = v[i], w = v[i + 1 == n ? 0 : i + 1];
      if ((p.x - c.x) * (w.x - c.x) + (p.y - c.y) * (w.y - c.y) > 0 && orient(p, c, w) == 0 &&
          sign(p.x - c.x) == sign(w.x - c.x) && sign(p.y - c.y) == sign(w.y - c.y))
        return false;
    }
  }
  // Any other two edges must not meet at all.
  auto& edges = scratch.edges;
  auto& order = scratch.by_minx;
  edges.clear();
  order.clear();
  for (std::uint32_t r = 0; r < rings; ++r) {
    const Pt* v = pts + ring_begin[r];
    const std::uint32_t n = ring_size[r];
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t next = i + 1 == n ? 0 : i + 1;
      const Pt p = v[i], q = v[next];
      order.push_back({std::min(p.x, q.x), std::max(p.x, q.x), std::min(p.y, q.y), std::max(p.y, q.y),
                       static_cast<std::uint32_t>(edges.size())});
      edges.push_back({p, q, r, i, next});
    }
  }
  auto check = [&](const ValidityScratch::Span& sa, const ValidityScratch::Span& sb) {
    const auto& ea = edges[sa.edge];
    const auto& eb = edges[sb.edge];
    if (ea.ring == eb.ring && (ea.next == eb.i || eb.next == ea.i)) return true;  // neighbours: done above
    return !segments_meet(ea.p, ea.q, eb.p, eb.q);
  };
  const std::size_t count = order.size();
  if (count <= 48) {
    // Few edges: every pair, with a branch-free box test (cheaper than sorting).
    for (std::size_t a = 0; a + 1 < count; ++a) {
      const auto sa = order[a];
      for (std::size_t b = a + 1; b < count; ++b) {
        const auto& sb = order[b];
        if ((sb.minx <= sa.maxx) & (sa.minx <= sb.maxx) & (sb.miny <= sa.maxy) & (sa.miny <= sb.maxy)) {
          if (!check(sa, sb)) return false;
        }
      }
    }
  } else {
    std::sort(order.begin(), order.end());
    for (std::size_t a = 0; a < count; ++a) {
      const auto sa = order[a];
      for (std::size_t b = a + 1; b < count && order[b].minx <= sa.maxx; ++b) {
        if (order[b].miny > sa.maxy || sa.miny > order[b].maxy) continue;
        if (!check(sa, order[b])) return false;
      }
    }
  }
  if (rings == 1) return true;
  // No two rings meet, so one vertex tells on which side of another ring a ring lies.
  std::uint32_t r0 = 0;
  std::vector<std::uint32_t> shells;
  for (std::uint32_t end : part_end) {
    shells.push_back(r0);
    for (std::uint32_t h = r0 + 1; h < end; ++h) {
      const Pt p = pts[ring_begin[h]];
      if (!inside_ring(p, pts + ring_begin[r0], ring_size[r0])) return false;
      for (std::uint32_t k = r0 + 1; k < end; ++k) {
        if (k != h && inside_ring(p, pts + ring_begin[k], ring_size[k])) return false;
      }
    }
    r0 = end;
  }
  for (std::uint32_t a : shells) {
    for (std::uint32_t b : shells) {
      if (a != b && inside_ring(pts[ring_begin[a]], pts + ring_begin[b], ring_size[b])) return false;
    }
  }
  return true;
}

// Twice the signed area of a ring, relative to its first vertex for precision.
double ring_area2(const Pt* r, std::uint32_t n) {
  double sum = 0;
  const Pt o = r[0];
  for (std::uint32_t i = 1; i + 1 < n; ++i) sum += cross(minus(r[i], o), minus(r[i + 1], o));
  return sum;
}

// ---------------------------------------------------------------------------
// Threads: chunks of [0, n) handed out from an atomic counter; the calling thread
// works too and reports progress. The first exception a worker throws is rethrown.

int thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

template <typename Work>
void parallel_chunks(std::size_t n, std::size_t chunk, int threads, Work&& work,
                     const std::function<void(std::size_t, std::size_t)>& progress = {}) {
  std::atomic<std::size_t> next{0}, done{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&](int worker) {
    try {
      for (;;) {
        const std::size_t begin = next.fetch_add(chunk);
        if (begin >= n) break;
        const std::size_t end = std::min(n, begin + chunk);
        work(worker, begin, end);
        const std::size_t now = done.fetch_add(end - begin) + (end - begin);
        if (worker == 0 && progress) progress(now, n);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  const int count = static_cast<int>(std::min<std::size_t>(threads, std::max<std::size_t>(1, (n + chunk - 1) / chunk)));
  std::vector<std::thread> pool;
  for (int w = 1; w < count; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(n, n);
}

// ---------------------------------------------------------------------------
// A packed R-tree over boxes given in leaf order (the order the caller sorted them
// in, along a Hilbert curve here); node capacity 16, as in flatbush.

class BoxTree {
 public:
  static constexpr std::size_t kNode = 16;

  BoxTree() = default;
  explicit BoxTree(std::vector<Box> leaves) {
    levels_.push_back(std::move(leaves));
    while (levels_.back().size() > 1) {
      const auto& below = levels_.back();
      std::vector<Box> up((below.size() + kNode - 1) / kNode, Box::empty());
      for (std::size_t i = 0; i < below.size(); ++i) up[i / kNode].add(below[i]);
      levels_.push_back(std::move(up));
    }
  }

  // Calls f(leaf) for each leaf >= first whose box meets q, in increasing order.
  template <typename F>
  void query(const Box& q, std::size_t first, F&& f) const {
    if (levels_.empty() || levels_[0].empty()) return;
    struct Item {
      std::uint32_t level;
      std::size_t node;
    };
    std::array<Item, 16 * 16> stack;
    std::size_t top = 0;
    stack[top++] = {static_cast<std::uint32_t>(levels_.size() - 1), 0};
    while (top > 0) {
      const Item it = stack[--top];
      if (!levels_[it.level][it.node].intersects(q)) continue;
      if (it.level == 0) {
        f(it.node);
        continue;
      }
      const std::size_t span = kSpan[it.level - 1];  // leaves under one child
      const std::size_t begin = it.node * kNode, end = std::min(begin + kNode, levels_[it.level - 1].size());
      for (std::size_t c = end; c-- > begin;) {
        if ((c + 1) * span <= first) break;  // this child and those before it hold only leaves < first
        stack[top++] = {it.level - 1, c};
      }
    }
  }

 private:
  std::vector<std::vector<Box>> levels_;
  static constexpr std::array<std::size_t, 16> kSpan = [] {
    std::array<std::size_t, 16> s{};
    std::size_t v = 1;
    for (auto& x : s) {
      x = v;
      v *= kNode;
    }
    return s;
  }();
};

// Hilbert curve index of (x, y) on a 2^16 grid.
std::uint32_t hilbert(std::uint32_t x, std::uint32_t y) {
  std::uint32_t d = 0;
  for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
    const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) {
        x = 0xffffu - x;
        y = 0xffffu - y;
      }
      std::swap(x, y);
    }
  }
  return d;
}

// ---------------------------------------------------------------------------
// All the shapes of one check in flat arrays, in Hilbert order.

constexpr std::uint32_t kBlock = 8;           // edges per block
constexpr std::uint32_t kTreeMinBlocks = 32;  // shapes with more blocks get a tree over them
constexpr std::uint32_t kNone = 0xffffffffu;

struct Ring {
  std::uint32_t begin, size, block;  // points [begin, begin + size) of ShapeSet::pts; first block
  std::uint32_t shell;               // 1 for the first ring of a polygon, 0 for a hole
  Box box;
};

struct Shape {
  std::uint32_t ring_begin, ring_end;
  std::uint32_t input;  // index in the caller's vector
  std::uint32_t tree;   // index in ShapeSet::trees, or kNone
  Box box;
  double area, perimeter;  // CRS units
};

// The allocator of a vector whose new elements of a trivial type start uninitialised
// when it grows (resize): the threads that fill them also take their page faults,
// instead of one thread zeroing them first, and nothing is written twice.
template <typename T>
struct Uninitialised : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = Uninitialised<U>;
  };
  Uninitialised() = default;
  template <typename U>
  Uninitialised(const Uninitialised<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
template <typename T>
using Slab = std::vector<T, Uninitialised<T>>;

enum class Validity : std::uint8_t { undecided, valid, invalid };

struct ShapeSet {
  Slab<Pt> pts;  // each shape has a slot sized by its WKB; normalising may leave a gap at its end
  Slab<Ring> rings;
  Slab<Box> blocks;
  Slab<Shape> shapes;                 // the shapes that take part, in Hilbert order
  std::vector<BoxTree> trees;         // over the blocks of large shapes (block ids relative to the shape's first)
  BoxTree index;                      // over `shapes`
  std::vector<std::string> problems;  // per input: why it does not take part, or ""
  // Per shape; undecided until first needed when read_shapes(validate = false).
  std::unique_ptr<std::atomic<Validity>[]> validity;
  std::vector<const storage::Geometry*> inputs;
  int srid = 0;
};

struct PrepareScratch {
  RawShape raw;
  ValidityScratch validity;
  std::vector<std::uint32_t> ring_size;
  ProjectedPoints projected;
  bool keep_projected = false;  // many parcels: neighbours' shared vertices are worth keeping
};

// Reads one geometry into its slot of `set` (points from pt0, rings from ring0, blocks
// from block0). False, with the reason in `problem`, when it cannot take part.
bool prepare_one(const storage::Geometry& g, int srid, bool validate, PrepareScratch& scratch, ShapeSet& set,
                 std::size_t pt0, std::size_t ring0, std::size_t block0, Shape& out, std::string& problem) {
  RawShape& raw = scratch.raw;
  problem = WkbReader(g.wkb).read(raw);
  if (!problem.empty()) return false;
  if (raw.pts.empty()) {
    problem = "empty geometry";
    return false;
  }
  if (g.srid != srid) {
    problem = transform_in_place(raw.pts, g.srid, srid, scratch.keep_projected ? &scratch.projected : nullptr);
    if (!problem.empty()) return false;
  }
  // Normalise: drop repeated points and the closing point.
  Pt* const pts = &set.pts[pt0];
  auto& ring_size = scratch.ring_size;
  ring_size.clear();
  std::uint32_t p0 = 0, n = 0;
  for (std::uint32_t end : raw.ring_end) {
    const std::uint32_t begin = n;
    for (std::uint32_t i = p0; i < end; ++i) {
      if (n == begin || !same(pts[n - 1], raw.pts[i])) pts[n++] = raw.pts[i];
    }
    while (n > begin + 1 && same(pts[n - 1], pts[begin])) --n;
    ring_size.push_back(n - begin);
    p0 = end;
  }
  const auto rings = static_cast<std::uint32_t>(ring_size.size());
  const bool formed = well_formed(pts, ring_size.data(), rings);
  if (!formed || (validate && !surely_valid(pts, ring_size.data(), rings, raw.part_end, scratch.validity))) {
    std::string reason;
    if (!is_valid(to_geometry(raw, srid), &reason)) {
      problem = reason.empty() ? "invalid geometry" : reason;
      return false;
    }
    if (!formed) {  // GEOS reads it as valid, but this file cannot
      problem = "a ring has fewer than three distinct points";
      return false;
    }
  }
  // Orient (shells counter-clockwise, holes clockwise), measure, cut into blocks.
  out =
      Shape{static_cast<std::uint32_t>(ring0), static_cast<std::uint32_t>(ring0 + rings), 0, kNone, Box::empty(), 0, 0};
  std::uint32_t ring = 0, at = 0, block = static_cast<std::uint32_t>(block0);
  for (std::uint32_t part_end : raw.part_end) {
    for (const std::uint32_t shell = ring; ring < part_end; ++ring) {
      const std::uint32_t size = ring_size[ring];
      Pt* r = pts + at;
      double a2 = ring_area2(r, size);
      if ((ring == shell && a2 < 0) || (ring != shell && a2 > 0)) {
        std::reverse(r, r + size);
        a2 = -a2;
      }
      out.area += a2 / 2;
      Ring& dst = set.rings[ring0 + ring];
      dst = {static_cast<std::uint32_t>(pt0 + at), size, block, ring == shell ? 1u : 0u, Box::empty()};
      for (std::uint32_t b0 = 0; b0 < size; b0 += kBlock, ++block) {
        Box b = Box::empty();
        const std::uint32_t b1 = std::min(size, b0 + kBlock);
        for (std::uint32_t i = b0; i < b1; ++i) {
          const Pt p = r[i], q = r[i + 1 == size ? 0 : i + 1];
          const double dx = q.x - p.x, dy = q.y - p.y;
          out.perimeter += std::sqrt(dx * dx + dy * dy);
          b.add(p);
        }
        b.add(r[b1 == size ? 0 : b1]);
        set.blocks[block] = b;
        dst.box.add(b);
      }
      out.box.add(dst.box);
      at += size;
    }
  }
  return true;
}

// Reads every geometry into a ShapeSet: a first pass reads the WKB for the sizes and
// a first point, the slots are laid out in Hilbert order of those, and a second pass
// reads each geometry straight into its slot. Shapes that cannot take part get their
// reason in `problems` and no shape.
ShapeSet read_shapes(std::span<const storage::Geometry* const> geoms, int srid, int threads, bool validate) {
  const std::size_t n = geoms.size();
  using Slot = WkbReader::Sizes;
  std::vector<Slot> slots(n);
  std::vector<PrepareScratch> scratch(threads);
  for (auto& s : scratch) s.keep_projected = n >= 1024;
  parallel_chunks(n, 1024, threads, [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (!WkbReader(geoms[i]->wkb).scan(slots[i], kBlock)) slots[i] = Slot{};
    }
  });
  // Hilbert order of first points (in the WKB's own CRS: only locality depends on it).
  Box extent = Box::empty();
  for (const Slot& s : slots) {
    if (s.points > 0 && std::isfinite(s.first.x) && std::isfinite(s.first.y)) extent.add(s.first);
  }
  const double w = std::max(extent.maxx - extent.minx, 1e-300), h = std::max(extent.maxy - extent.miny, 1e-300);
  std::vector<std::uint64_t> keyed(n);
  parallel_chunks(n, 4096, threads, [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const Slot& s = slots[i];
      std::uint64_t key = 0xffffffffu;  // unreadable and empty ones last
      if (s.points > 0) {
        const double fx = std::isfinite(s.first.x) ? std::clamp((s.first.x - extent.minx) / w, 0.0, 1.0) : 0;
        const double fy = std::isfinite(s.first.y) ? std::clamp((s.first.y - extent.miny) / h, 0.0, 1.0) : 0;
        key = hilbert(static_cast<std::uint32_t>(fx * 65535), static_cast<std::uint32_t>(fy * 65535));
      }
      keyed[i] = (key << 32) | i;
    }
  });
  std::sort(keyed.begin(), keyed.end());

  std::vector<std::size_t> pt_at(n + 1), ring_at(n + 1), block_at(n + 1);
  for (std::size_t k = 0; k < n; ++k) {
    const Slot& s = slots[keyed[k] & 0xffffffffu];
    pt_at[k + 1] = pt_at[k] + s.points;
    ring_at[k + 1] = ring_at[k] + s.rings;
    block_at[k + 1] = block_at[k] + s.blocks;
  }
  slots = {};
  if (pt_at[n] >= kNone || block_at[n] >= kNone) throw std::length_error("too many vertices for one check");
  ShapeSet set;
  set.pts.resize(pt_at[n]);
  set.rings.resize(ring_at[n]);
  set.blocks.resize(block_at[n]);
  set.problems.resize(n);
  // Every slot filled by the threads below (a failed one keeps only its input index,
  // and `ok` says not to read the rest), then the failed ones taken out in place: one
  // array of shapes, not a second one copied from the first (640 MB at ten million
  // parcels, which the AMD EPYC VM of bench/README.md pays for in page faults).
  set.shapes.resize(n);
  std::vector<char> ok(n);
  parallel_chunks(n, 256, threads, [&](int worker, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      const auto input = static_cast<std::uint32_t>(keyed[k] & 0xffffffffu);
      ok[k] = prepare_one(*geoms[input], srid, validate, scratch[worker], set, pt_at[k], ring_at[k], block_at[k],
                          set.shapes[k], set.problems[input]);
      set.shapes[k].input = input;
    }
  });
  std::size_t kept = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!ok[k]) continue;
    Shape& s = set.shapes[k];
    if (block_at[k + 1] - block_at[k] >= kTreeMinBlocks) {
      const Ring& last = set.rings[s.ring_end - 1];
      const std::size_t b0 = set.rings[s.ring_begin].block, b1 = last.block + (last.size + kBlock - 1) / kBlock;
      std::vector<Box> boxes(b1 - b0);
      for (std::size_t b = b0; b < b1; ++b) boxes[b - b0] = set.blocks[b];
      s.tree = static_cast<std::uint32_t>(set.trees.size());
      set.trees.emplace_back(std::move(boxes));
    }
    if (kept != k) set.shapes[kept] = s;
    ++kept;
  }
  set.shapes.resize(kept);
  std::vector<Box> boxes(set.shapes.size());
  for (std::size_t k = 0; k < boxes.size(); ++k) boxes[k] = set.shapes[k].box;
  set.index = BoxTree(std::move(boxes));
  set.validity = std::make_unique<std::atomic<Validity>[]>(set.shapes.size());
  for (std::size_t k = 0; k < set.shapes.size(); ++k)
    set.validity[k].store(validate ? Validity::valid : Validity::undecided);
  set.inputs.assign(geoms.begin(), geoms.end());
  set.srid = srid;
  return set;
}

template <typename T>
ShapeSet build_shapes(const std::vector<T>& items, int srid, int threads, bool validate = true) {
  std::vector<const storage::Geometry*> geoms;
  geoms.reserve(items.size());
  for (const auto& item : items) geoms.push_back(&item.geom);
  return read_shapes(geoms, srid, threads, validate);
}

// Is shape k valid? Decided on first use, for read_shapes(validate = false); any
// thread may decide, and all decide alike.
bool shape_valid(const ShapeSet& set, std::size_t k, PrepareScratch& scratch) {
  const Validity known = set.validity[k].load(std::memory_order_relaxed);
  if (known != Validity::undecided) return known == Validity::valid;
  const Shape& s = set.shapes[k];
  auto& sizes = scratch.ring_size;
  auto& part_end = scratch.raw.part_end;
  sizes.clear();
  part_end.clear();
  for (std::uint32_t r = s.ring_begin; r < s.ring_end; ++r) {
    if (r > s.ring_begin && set.rings[r].shell) part_end.push_back(r - s.ring_begin);
    sizes.push_back(set.rings[r].size);
  }
  part_end.push_back(s.ring_end - s.ring_begin);
  bool valid = surely_valid(&set.pts[set.rings[s.ring_begin].begin], sizes.data(),
                            static_cast<std::uint32_t>(sizes.size()), part_end, scratch.validity);
  if (!valid) {
    const storage::Geometry& g = *set.inputs[s.input];
    valid = WkbReader(g.wkb).read(scratch.raw).empty() &&
            (g.srid == set.srid || transform_in_place(scratch.raw.pts, g.srid, set.srid).empty()) &&
            is_valid(to_geometry(scratch.raw, set.srid));
  }
  set.validity[k].store(valid ? Validity::valid : Validity::invalid, std::memory_order_relaxed);
  return valid;
}

// ---------------------------------------------------------------------------
// Area of A ∩ B (see the top of the file).

enum class Start : std::uint8_t { outside, carry, locate };

struct EdgeRef {
  Pt p, q;
  Box box;
  Start start;  // state at p: outside the other shape, as at the end of the previous edge, or to be located
};

struct Crossing {
  std::uint32_t edge;
  double t;  // along the edge, for ordering
  Pt x;      // the crossing point, relative to the origin of the sums
};

struct Scratch {
  std::vector<EdgeRef> ea, eb;
  std::vector<Crossing> xa, xb;
  std::vector<std::uint32_t> blocks;
  std::vector<std::uint32_t> order_a, order_b;
};

// Appends, in ring order, the edges of ring `r` whose box meets `clip` (the
// intersection R of the two shapes' boxes), given the sorted shape-relative ids of
// the ring's blocks that meet it.
void ring_edges(const ShapeSet& set, const Ring& r, std::uint32_t first_block, std::span<const std::uint32_t> relevant,
                const Box& clip, std::vector<EdgeRef>& out) {
  const std::uint32_t nb = (r.size + kBlock - 1) / kBlock;
  const std::uint32_t rb = r.block - first_block;  // ring's first block, shape-relative
  const Pt* v = &set.pts[r.begin];
  auto edge = [&](std::uint32_t i, bool& prev, bool locate) {
    const Pt p = v[i], q = v[i + 1 == r.size ? 0 : i + 1];
    const Box b = edge_box(p, q);
    if (!b.intersects(clip)) {
      prev = false;
      return;
    }
    out.push_back({p, q, b, locate ? Start::locate : prev ? Start::carry : Start::outside});
    prev = true;
  };
  if (relevant.size() < nb) {
    // Start after a block that misses R, so the state at the start is "outside".
    std::uint32_t missing = rb;
    for (std::uint32_t id : relevant) {
      if (id != missing) break;
      ++missing;
    }
    const std::uint32_t start = missing + 1 == rb + nb ? rb : missing + 1;
    const auto split = std::lower_bound(relevant.begin(), relevant.end(), start) - relevant.begin();
    bool prev = false;
    std::uint32_t last = kNone;
    for (std::size_t k = 0; k < relevant.size(); ++k) {
      const std::uint32_t id = relevant[(static_cast<std::size_t>(split) + k) % relevant.size()];
      const std::uint32_t expected = last == kNone ? kNone : (last + 1 == rb + nb ? rb : last + 1);
      if (id != expected) prev = false;
      const std::uint32_t e0 = (id - rb) * kBlock, e1 = std::min(r.size, e0 + kBlock);
      for (std::uint32_t i = e0; i < e1; ++i) edge(i, prev, false);
      last = id;
    }
    return;
  }
  // Every block meets R: start after an edge that misses R, or locate the first vertex.
  std::uint32_t start = kNone;
  for (std::uint32_t i = 0; i < r.size && start == kNone; ++i) {
    if (!edge_box(v[i], v[i + 1 == r.size ? 0 : i + 1]).intersects(clip)) start = i + 1 == r.size ? 0 : i + 1;
  }
  bool prev = false;
  if (start == kNone) {
    for (std::uint32_t i = 0; i < r.size; ++i) edge(i, prev, i == 0);
  } else {
    for (std::uint32_t k = 0; k < r.size; ++k) edge((start + k) % r.size, prev, false);
  }
}

void shape_edges(const ShapeSet& set, const Shape& s, const Box& clip, Scratch& scratch, std::vector<EdgeRef>& out) {
  out.clear();
  const std::uint32_t first_block = set.rings[s.ring_begin].block;
  auto& ids = scratch.blocks;
  ids.clear();
  if (s.tree != kNone) {
    set.trees[s.tree].query(clip, 0, [&](std::size_t b) { ids.push_back(static_cast<std::uint32_t>(b)); });
  } else {
    for (std::uint32_t ri = s.ring_begin; ri < s.ring_end; ++ri) {
      const Ring& r = set.rings[ri];
      if (!r.box.intersects(clip)) continue;
      const std::uint32_t nb = (r.size + kBlock - 1) / kBlock;
      for (std::uint32_t b = r.block; b < r.block + nb; ++b) {
        if (set.blocks[b].intersects(clip)) ids.push_back(b - first_block);
      }
    }
  }
  std::size_t k = 0;
  for (std::uint32_t ri = s.ring_begin; ri < s.ring_end && k < ids.size(); ++ri) {
    const Ring& r = set.rings[ri];
    const std::uint32_t end = r.block - first_block + (r.size + kBlock - 1) / kBlock;
    const std::size_t k0 = k;
    while (k < ids.size() && ids[k] < end) ++k;
    if (k > k0) ring_edges(set, r, first_block, std::span(ids).subspan(k0, k - k0), clip, out);
  }
}

// Calls f(ring, block) for each block of shape s whose box meets q.
template <typename F>
void visit_blocks(const ShapeSet& set, const Shape& s, const Box& q, F&& f) {
  if (s.tree != kNone) {
    const std::uint32_t first_block = set.rings[s.ring_begin].block;
    std::uint32_t ri = s.ring_begin;
    set.trees[s.tree].query(q, 0, [&](std::size_t rel) {
      const auto b = static_cast<std::uint32_t>(first_block + rel);
      while (b >= set.rings[ri].block + (set.rings[ri].size + kBlock - 1) / kBlock) ++ri;  // leaves come in order
      f(set.rings[ri], b);
    });
    return;
  }
  for (std::uint32_t ri = s.ring_begin; ri < s.ring_end; ++ri) {
    const Ring& r = set.rings[ri];
    if (!r.box.intersects(q)) continue;
    const std::uint32_t nb = (r.size + kBlock - 1) / kBlock;
    for (std::uint32_t b = r.block; b < r.block + nb; ++b) {
      if (set.blocks[b].intersects(q)) f(r, b);
    }
  }
}

// Is a − δ inside shape B (even-odd, ray towards +x)? In the perturbed position the
// ray meets no vertex and the point lies on no edge.
bool inside_minus(const ShapeSet& set, const Shape& s, Pt a) {
  bool in = false;
  auto block = [&](const Ring& r, std::uint32_t b) {
    const Box& bb = set.blocks[b];
    if (bb.maxy < a.y || bb.miny >= a.y || bb.maxx < a.x) return;
    const Pt* v = &set.pts[r.begin];
    const std::uint32_t e0 = (b - r.block) * kBlock, e1 = std::min(r.size, e0 + kBlock);
    for (std::uint32_t i = e0; i < e1; ++i) {
      const Pt u = v[i], w = v[i + 1 == r.size ? 0 : i + 1];
      const bool cu = u.y >= a.y, cw = w.y >= a.y;
      if (cu == cw) continue;
      if (std::max(u.x, w.x) < a.x) continue;
      if (std::min(u.x, w.x) >= a.x) {
        in = !in;
        continue;
      }
      const int o = orient_minus(u, w, a);
      if (cw ? o > 0 : o < 0) in = !in;
    }
  };
  visit_blocks(set, s, Box{a.x, a.y, kInf, a.y}, block);
  return in;
}

// Is b + δ inside shape A?
bool inside_plus(const ShapeSet& set, const Shape& s, Pt b) {
  bool in = false;
  auto block = [&](const Ring& r, std::uint32_t bi) {
    const Box& bb = set.blocks[bi];
    if (bb.maxy <= b.y || bb.miny > b.y || bb.maxx <= b.x) return;
    const Pt* v = &set.pts[r.begin];
    const std::uint32_t e0 = (bi - r.block) * kBlock, e1 = std::min(r.size, e0 + kBlock);
    for (std::uint32_t i = e0; i < e1; ++i) {
      const Pt u = v[i], w = v[i + 1 == r.size ? 0 : i + 1];
      const bool cu = u.y > b.y, cw = w.y > b.y;
      if (cu == cw) continue;
      if (std::max(u.x, w.x) <= b.x) continue;
      if (std::min(u.x, w.x) > b.x) {
        in = !in;
        continue;
      }
      const int o = orient_plus(u, w, b);
      if (cw ? o > 0 : o < 0) in = !in;
    }
  };
  visit_blocks(set, s, Box{b.x, b.y, kInf, b.y}, block);
  return in;
}

// Do A's edge e and B's edge f (translated by δ) cross? In the perturbed position
// every intersection is a proper crossing.
inline bool crosses(const EdgeRef& e, const EdgeRef& f) {
  if (orient_plus(e.p, e.q, f.p) == orient_plus(e.p, e.q, f.q)) return false;
  return orient_minus(f.p, f.q, e.p) != orient_minus(f.p, f.q, e.q);
}

inline double param(double d1, double d2) {
  const double t = d1 / (d1 - d2);
  return t >= 0 ? (t <= 1 ? t : 1) : 0;  // also NaN -> 0
}

void add_crossing(const EdgeRef& e, std::uint32_t ie, const EdgeRef& f, std::uint32_t jf, Pt o, Scratch& s) {
  const Pt p = minus(e.p, o), q = minus(e.q, o), u = minus(f.p, o), v = minus(f.q, o);
  const Pt d = minus(q, p), g = minus(v, u);
  const double t = param(cross(g, minus(p, u)), cross(g, minus(q, u)));
  const double r = param(cross(d, minus(u, p)), cross(d, minus(v, p)));
  const Pt x{p.x + t * d.x, p.y + t * d.y};
  s.xa.push_back({ie, t, x});
  s.xb.push_back({jf, r, x});
}

void find_crossings(Pt o, Scratch& s) {
  s.xa.clear();
  s.xb.clear();
  const auto na = static_cast<std::uint32_t>(s.ea.size()), nb = static_cast<std::uint32_t>(s.eb.size());
  if (std::size_t{na} * nb <= 1024) {
    for (std::uint32_t i = 0; i < na; ++i) {
      const EdgeRef& e = s.ea[i];
      for (std::uint32_t j = 0; j < nb; ++j) {
        const EdgeRef& f = s.eb[j];
        if (e.box.intersects(f.box) && crosses(e, f)) add_crossing(e, i, f, j, o, s);
      }
    }
    return;
  }
  // Many edges (two large shapes): sweep both lists sorted by min x.
  auto by_minx = [](const std::vector<EdgeRef>& edges, std::vector<std::uint32_t>& order) {
    order.resize(edges.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return edges[a].box.minx < edges[b].box.minx; });
  };
  by_minx(s.ea, s.order_a);
  by_minx(s.eb, s.order_b);
  std::size_t i = 0, j = 0;
  while (i < na && j < nb) {
    const EdgeRef& e = s.ea[s.order_a[i]];
    const EdgeRef& f = s.eb[s.order_b[j]];
    if (e.box.minx <= f.box.minx) {
      for (std::size_t k = j; k < nb && s.eb[s.order_b[k]].box.minx <= e.box.maxx; ++k) {
        const EdgeRef& g = s.eb[s.order_b[k]];
        if (e.box.intersects(g.box) && crosses(e, g)) add_crossing(e, s.order_a[i], g, s.order_b[k], o, s);
      }
      ++i;
    } else {
      for (std::size_t k = i; k < na && s.ea[s.order_a[k]].box.minx <= f.box.maxx; ++k) {
        const EdgeRef& g = s.ea[s.order_a[k]];
        if (g.box.intersects(f.box) && crosses(g, f)) add_crossing(g, s.order_a[k], f, s.order_b[j], o, s);
      }
      ++j;
    }
  }
}

// Twice the integral of x dy − y dx over the pieces of `edges` inside the other shape.
template <typename Locate>
double inside_pieces(const std::vector<EdgeRef>& edges, std::vector<Crossing>& xs, Pt o, Locate&& locate) {
  std::sort(xs.begin(), xs.end(),
            [](const Crossing& a, const Crossing& b) { return a.edge != b.edge ? a.edge < b.edge : a.t < b.t; });
  double sum = 0;
  bool in = false;
  std::size_t k = 0;
  for (std::uint32_t i = 0; i < edges.size(); ++i) {
    const EdgeRef& e = edges[i];
    if (e.start == Start::outside) in = false;
    else if (e.start == Start::locate) in = locate(e.p);
    Pt at = minus(e.p, o);
    for (; k < xs.size() && xs[k].edge == i; ++k) {
      if (in) sum += cross(at, xs[k].x);
      at = xs[k].x;
      in = !in;
    }
    if (in) sum += cross(at, minus(e.q, o));
  }
  return sum;
}

// Area of A ∩ B in CRS units.
double intersection_area(const ShapeSet& sa, const Shape& a, const ShapeSet& sb, const Shape& b, Scratch& s) {
  const Box clip{std::max(a.box.minx, b.box.minx), std::max(a.box.miny, b.box.miny), std::min(a.box.maxx, b.box.maxx),
                 std::min(a.box.maxy, b.box.maxy)};
  if (clip.minx > clip.maxx || clip.miny > clip.maxy) return 0;
  shape_edges(sa, a, clip, s, s.ea);
  shape_edges(sb, b, clip, s, s.eb);
  const Pt o{clip.minx, clip.miny};
  find_crossings(o, s);
  const double sum = inside_pieces(s.ea, s.xa, o, [&](Pt p) { return inside_minus(sb, b, p); }) +
                     inside_pieces(s.eb, s.xb, o, [&](Pt p) { return inside_plus(sa, a, p); });
  return std::max(0.0, sum / 2);
}

// Upper bounds of an overlap are compared with the threshold with a margin for the
// rounding of the bound and of the exact computation, so that a bound never drops a
// pair the exact area would report.
inline bool cannot_exceed(double bound, double threshold) { return bound * (1 + 1e-9) + 1e-9 <= threshold; }

// Sorts on `threads` threads: parts sorted in parallel, then merged.
template <typename T, typename Less>
void parallel_sort(std::vector<T>& v, Less less, int threads) {
  const std::size_t parts = v.size() < 65536 ? 1 : static_cast<std::size_t>(std::max(1, threads));
  std::vector<std::size_t> bound(parts + 1);
  for (std::size_t p = 0; p <= parts; ++p) bound[p] = v.size() * p / parts;
  parallel_chunks(parts, 1, threads, [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t p = begin; p < end; ++p) std::sort(v.begin() + bound[p], v.begin() + bound[p + 1], less);
  });
  for (std::size_t p = 1; p < parts; ++p)
    std::inplace_merge(v.begin(), v.begin() + bound[p], v.begin() + bound[p + 1], less);
}

// Input indices in the order of their ids (std::string order, then input order).
std::vector<std::uint32_t> rank_by_id(const std::vector<ParcelShape>& parcels, std::vector<std::uint32_t> inputs,
                                      int threads = 1) {
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    const int c = parcels[a].id.compare(parcels[b].id);
    return c != 0 ? c < 0 : a < b;
  };
  // Registers are often exported in id order; then there is nothing to sort.
  if (!std::is_sorted(inputs.begin(), inputs.end(), less)) parallel_sort(inputs, less, threads);
  return inputs;
}

// Runs a check, turning an exception (out of memory, a broken invariant) into an Error.
template <typename T, typename Fn>
Result<T> guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Error::internal(std::string("topology check failed: ") + e.what());
  }
}

}  // namespace

Result<std::vector<OverlapPair>> find_overlaps(const std::vector<ParcelShape>& parcels, const OverlapOptions& o) {
  if (!(o.min_overlap_m2 >= 0) || !std::isfinite(o.min_overlap_m2))
    return Error::invalid("the minimum overlap must be a number of square metres, 0 or more");
  auto unit = proj().metres_per_unit(o.projected_srid);
  if (!unit) return unit.error();
  if (parcels.size() >= kNone) return Error::invalid("too many parcels for one check");
  const double m2 = *unit * *unit;
  const double threshold = o.min_overlap_m2 / m2;  // in CRS units
  const int threads = thread_count(o.threads);
  return guarded<std::vector<OverlapPair>>([&]() -> std::vector<OverlapPair> {
    // Validity is decided only for parcels of pairs that survive the bounds: a pair
    // with an invalid parcel is never reported, whatever its bound.
    const ShapeSet set = build_shapes(parcels, o.projected_srid, threads, /*validate=*/false);

    struct Hit {
      std::uint32_t a, b;  // shape indices
      double area;
    };
    std::vector<std::vector<Hit>> hits(threads);
    std::vector<Scratch> scratch(threads);
    std::vector<PrepareScratch> validity_scratch(threads);
    parallel_chunks(
        set.shapes.size(), 256, threads,
        [&](int worker, std::size_t begin, std::size_t end) {
          auto& out = hits[worker];
          auto& s = scratch[worker];
          auto& vs = validity_scratch[worker];
          for (std::size_t i = begin; i < end; ++i) {
            const Shape& a = set.shapes[i];
            const bool small_a = cannot_exceed(a.area, threshold);
            if (small_a) continue;  // no pair with this shape can exceed it
            set.index.query(a.box, i + 1, [&](std::size_t j) {
              const Shape& b = set.shapes[j];
              if (cannot_exceed(b.area, threshold)) return;
              const double w = std::min(a.box.maxx, b.box.maxx) - std::max(a.box.minx, b.box.minx);
              const double h = std::min(a.box.maxy, b.box.maxy) - std::max(a.box.miny, b.box.miny);
              if (cannot_exceed(w * h, threshold)) return;
              if (!shape_valid(set, i, vs) || !shape_valid(set, j, vs)) return;
              const double area = intersection_area(set, a, set, b, s);
              if (area > threshold) out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), area});
            });
          }
        },
        o.progress);

    // Order by (a, b) through the rank of each id in std::string order.
    // The hits name shapes, which are in Hilbert order, and each worker's come in that
    // order: what is looked up per hit is kept by shape, so that those reads go along
    // memory rather than jump through the caller's order (24.7 million hits at ten
    // million parcels).
    std::vector<char> involved_shape(set.shapes.size(), 0);
    std::size_t count = 0;
    for (const auto& list : hits) {
      count += list.size();
      for (const Hit& h : list) involved_shape[h.a] = involved_shape[h.b] = 1;
    }
    // By input index: in the caller's order, often id order already, which rank_by_id
    // then need not sort.
    std::vector<char> involved(parcels.size(), 0);
    for (std::size_t k = 0; k < set.shapes.size(); ++k)
      if (involved_shape[k]) involved[set.shapes[k].input] = 1;
    std::vector<std::uint32_t> inputs;
    for (std::uint32_t i = 0; i < involved.size(); ++i) {
      if (involved[i]) inputs.push_back(i);
    }
    const auto ranked = rank_by_id(parcels, std::move(inputs), threads);
    std::vector<std::uint32_t> rank_of(parcels.size());
    for (std::uint32_t r = 0; r < ranked.size(); ++r) rank_of[ranked[r]] = r;
    std::vector<std::uint32_t> rank_of_shape(set.shapes.size());  // of the shapes in some hit
    parallel_chunks(set.shapes.size(), 4096, threads, [&](int, std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) rank_of_shape[k] = rank_of[set.shapes[k].input];
    });
    // Counting sort on the first id's rank, then each (short) run on the second's.
    struct Ranked {
      std::uint32_t a, b;  // ranks
      double area;
    };
    std::vector<std::size_t> start(ranked.size() + 1, 0);
    for (const auto& list : hits) {
      for (const Hit& h : list) ++start[std::min(rank_of_shape[h.a], rank_of_shape[h.b]) + 1];
    }
    for (std::size_t r = 0; r < ranked.size(); ++r) start[r + 1] += start[r];
    std::vector<Ranked> order(count);
    {
      std::vector<std::size_t> at(start.begin(), start.end() - 1);
      for (const auto& list : hits) {
        for (const Hit& h : list) {
          std::uint32_t ra = rank_of_shape[h.a], rb = rank_of_shape[h.b];
          if (ra > rb) std::swap(ra, rb);
          order[at[ra]++] = {ra, rb, h.area * m2};
        }
      }
    }
    hits = {};
    std::vector<OverlapPair> out(count);
    parallel_chunks(ranked.size(), 4096, threads, [&](int, std::size_t begin, std::size_t end) {
      for (std::size_t r = begin; r < end; ++r) {
        std::sort(order.begin() + static_cast<std::ptrdiff_t>(start[r]),
                  order.begin() + static_cast<std::ptrdiff_t>(start[r + 1]),
                  [](const Ranked& x, const Ranked& y) { return x.b < y.b; });
        for (std::size_t k = start[r]; k < start[r + 1]; ++k)
          out[k] = {parcels[ranked[order[k].a]].id, parcels[ranked[order[k].b]].id, order[k].area};
      }
    });
    return out;
  });
}

Result<std::vector<InvalidParcel>> find_invalid(const std::vector<ParcelShape>& parcels, const CheckOptions& o) {
  auto unit = proj().metres_per_unit(o.projected_srid);
  if (!unit) return unit.error();
  return guarded<std::vector<InvalidParcel>>([&]() {
    const ShapeSet set = build_shapes(parcels, o.projected_srid, thread_count(o.threads));
    std::vector<InvalidParcel> out;
    for (std::size_t i = 0; i < parcels.size(); ++i) {
      if (!set.problems[i].empty()) out.push_back({parcels[i].id, set.problems[i]});
    }
    std::sort(out.begin(), out.end(), [](const InvalidParcel& a, const InvalidParcel& b) {
      return std::tie(a.id, a.reason) < std::tie(b.id, b.reason);
    });
    return out;
  });
}

Result<std::vector<Sliver>> find_slivers(const std::vector<ParcelShape>& parcels, const SliverOptions& o) {
  auto unit = proj().metres_per_unit(o.projected_srid);
  if (!unit) return unit.error();
  return guarded<std::vector<Sliver>>([&]() {
    const ShapeSet set = build_shapes(parcels, o.projected_srid, thread_count(o.threads));
    std::vector<std::uint32_t> found;
    std::unordered_map<std::uint32_t, Sliver> sliver_of;
    for (const Shape& s : set.shapes) {
      const double area = s.area * *unit * *unit, perimeter = s.perimeter * *unit;
      const double thinness = perimeter > 0 ? 4 * std::numbers::pi * area / (perimeter * perimeter) : 0;
      if (area < o.min_area_m2 || thinness < o.min_thinness) {
        found.push_back(s.input);
        sliver_of.emplace(s.input, Sliver{parcels[s.input].id, area, thinness});
      }
    }
    std::vector<Sliver> slivers;
    for (std::uint32_t i : rank_by_id(parcels, std::move(found))) slivers.push_back(sliver_of.at(i));
    return slivers;
  });
}

Result<std::vector<OutsideParcel>> find_outside(const std::vector<ParcelShape>& parcels,
                                                const std::vector<CommuneShape>& communes, const OutsideOptions& o) {
  auto unit = proj().metres_per_unit(o.projected_srid);
  if (!unit) return unit.error();
  if (parcels.size() >= kNone || communes.size() >= kNone) return Error::invalid("too many parcels for one check");
  const double m2 = *unit * *unit;
  const int threads = thread_count(o.threads);

  std::unordered_map<std::string, std::uint32_t> commune_of;
  for (std::uint32_t c = 0; c < communes.size(); ++c) {
    if (!commune_of.emplace(communes[c].id, c).second)
      return Error::invalid("two communes have the id " + communes[c].id);
  }
  std::vector<FieldError> unknown;
  std::vector<std::uint32_t> commune_index(parcels.size());
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    auto it = commune_of.find(parcels[i].commune_id);
    if (it == commune_of.end()) {
      unknown.push_back(
          {"parcels[" + std::to_string(i) + "].commune_id",
           "parcel " + parcels[i].id + " names commune \"" + parcels[i].commune_id + "\", which is not given"});
    } else {
      commune_index[i] = it->second;
    }
  }
  if (!unknown.empty()) {
    std::string message = std::to_string(unknown.size()) + " parcel(s) name an unknown commune";
    return Error::invalid(std::move(message), std::move(unknown));
  }

  return guarded<std::vector<OutsideParcel>>([&]() -> Result<std::vector<OutsideParcel>> {
    const ShapeSet cset = build_shapes(communes, o.projected_srid, threads);
    for (std::size_t c = 0; c < communes.size(); ++c) {
      if (!cset.problems[c].empty()) return Error::invalid("commune " + communes[c].id + ": " + cset.problems[c]);
    }
    std::vector<std::uint32_t> shape_of_commune(communes.size());
    for (std::uint32_t k = 0; k < cset.shapes.size(); ++k) shape_of_commune[cset.shapes[k].input] = k;

    const ShapeSet set = build_shapes(parcels, o.projected_srid, threads);
    std::vector<std::vector<std::pair<std::uint32_t, double>>> found(threads);
    std::vector<Scratch> scratch(threads);
    parallel_chunks(set.shapes.size(), 256, threads, [&](int worker, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const Shape& p = set.shapes[i];
        const Shape& c = cset.shapes[shape_of_commune[commune_index[p.input]]];
        const double outside = (p.area - intersection_area(set, p, cset, c, scratch[worker])) * m2;
        if (outside > o.tolerance_m2) found[worker].push_back({p.input, outside});
      }
    });
    std::unordered_map<std::uint32_t, double> outside_of;
    std::vector<std::uint32_t> inputs;
    for (const auto& list : found) {
      for (const auto& [input, area] : list) {
        inputs.push_back(input);
        outside_of.emplace(input, area);
      }
    }
    std::vector<OutsideParcel> out;
    for (std::uint32_t i : rank_by_id(parcels, std::move(inputs)))
      out.push_back({parcels[i].id, parcels[i].commune_id, outside_of[i]});
    return out;
  });
}

}  // namespace nongsan::geo

namespace nongsan::geo {

// ---------------------------------------------------------------------------
// OverlapIndex (overlap_index.hpp): the shapes of one bulk load in a ShapeSet, each
// parcel written since in a one-shape ShapeSet of its own, every live shape's box in a
// dynamic R*-tree. Shapes are read with validate = true, so a stored shape's validity
// is always decided and its source WKB is never needed again.

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using RPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using RBox = bg::model::box<RPoint>;
using RValue = std::pair<RBox, std::uint32_t>;  // box, slot

RBox rbox(const Box& b) { return RBox(RPoint(b.minx, b.miny), RPoint(b.maxx, b.maxy)); }

// One geometry as a one-shape set; `problem` says why it cannot take part.
std::unique_ptr<ShapeSet> single_shape(const storage::Geometry& g, int srid, std::string& problem) {
  const storage::Geometry* one[] = {&g};
  auto set = std::make_unique<ShapeSet>(read_shapes(one, srid, 1, /*validate=*/true));
  set->inputs.clear();  // validity is decided: the WKB is not read again
  problem = set->shapes.empty() ? (set->problems[0].empty() ? "cannot be read" : set->problems[0]) : "";
  return set;
}

}  // namespace

struct OverlapIndex::Impl {
  struct Slot {
    std::string id;
    const ShapeSet* set = nullptr;  // nullptr: a free slot
    std::uint32_t shape = 0;
    std::unique_ptr<ShapeSet> own;  // for parcels written after the load
  };

  int srid;
  mutable std::shared_mutex mutex;
  std::unique_ptr<ShapeSet> base;
  std::vector<Slot> slots;
  std::vector<std::uint32_t> free;
  std::unordered_map<std::string, std::uint32_t> by_id;
  bgi::rtree<RValue, bgi::rstar<16>> tree;

  const Shape& shape_of(const Slot& s) const { return s.set->shapes[s.shape]; }

  void remove_slot(std::uint32_t k) {
    Slot& s = slots[k];
    tree.remove(RValue(rbox(shape_of(s).box), k));
    by_id.erase(s.id);
    s = Slot{};
    free.push_back(k);
  }
};

OverlapIndex::OverlapIndex(int projected_srid) : impl_(std::make_unique<Impl>()) { impl_->srid = projected_srid; }
OverlapIndex::~OverlapIndex() = default;

Result<std::size_t> OverlapIndex::load(const std::vector<ParcelShape>& parcels, int threads) {
  if (auto unit = proj().metres_per_unit(impl_->srid); !unit) return unit.error();
  if (parcels.size() >= kNone) return Error::invalid("too many parcels for one index");
  {
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(parcels.size());
    for (std::size_t i = 0; i < parcels.size(); ++i) {
      if (!seen.emplace(parcels[i].id, i).second)
        return Error::invalid("two parcels have the id '" + parcels[i].id + "'");
    }
  }
  return guarded<std::size_t>([&]() -> std::size_t {
    auto base = std::make_unique<ShapeSet>(build_shapes(parcels, impl_->srid, thread_count(threads), true));
    base->inputs.clear();
    std::vector<Impl::Slot> slots(base->shapes.size());
    std::vector<RValue> values(base->shapes.size());
    std::unordered_map<std::string, std::uint32_t> by_id;
    by_id.reserve(base->shapes.size());
    for (std::uint32_t k = 0; k < base->shapes.size(); ++k) {
      const Shape& s = base->shapes[k];
      slots[k].id = parcels[s.input].id;
      slots[k].set = base.get();
      slots[k].shape = k;
      values[k] = RValue(rbox(s.box), k);
      by_id.emplace(slots[k].id, k);
    }
    bgi::rtree<RValue, bgi::rstar<16>> tree(values.begin(), values.end());  // packed (STR) bulk load
    std::unique_lock lock(impl_->mutex);
    impl_->base = std::move(base);
    impl_->slots = std::move(slots);
    impl_->free.clear();
    impl_->by_id = std::move(by_id);
    impl_->tree = std::move(tree);
    return impl_->slots.size();
  });
}

std::string OverlapIndex::put(const std::string& id, const storage::Geometry& geom) {
  std::string problem;
  auto set = single_shape(geom, impl_->srid, problem);  // outside the lock: readers go on meanwhile
  std::unique_lock lock(impl_->mutex);
  Impl& m = *impl_;
  if (auto it = m.by_id.find(id); it != m.by_id.end()) m.remove_slot(it->second);
  if (!problem.empty()) return problem;
  std::uint32_t k;
  if (!m.free.empty()) {
    k = m.free.back();
    m.free.pop_back();
  } else {
    k = static_cast<std::uint32_t>(m.slots.size());
    m.slots.emplace_back();
  }
  Impl::Slot& s = m.slots[k];
  s.id = id;
  s.set = set.get();
  s.shape = 0;
  s.own = std::move(set);
  m.by_id.emplace(id, k);
  m.tree.insert(RValue(rbox(m.shape_of(s).box), k));
  return "";
}

bool OverlapIndex::erase(const std::string& id) {
  std::unique_lock lock(impl_->mutex);
  auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) return false;
  impl_->remove_slot(it->second);
  return true;
}

std::size_t OverlapIndex::size() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->by_id.size();
}

bool OverlapIndex::contains(const std::string& id) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->by_id.contains(id);
}

Result<std::vector<ParcelOverlap>> OverlapIndex::overlaps(const storage::Geometry& geom, double min_overlap_m2,
                                                          std::string_view self) const {
  if (!(min_overlap_m2 >= 0) || !std::isfinite(min_overlap_m2))
    return Error::invalid("the minimum overlap must be a number of square metres, 0 or more");
  auto unit = proj().metres_per_unit(impl_->srid);
  if (!unit) return unit.error();
  const double m2 = *unit * *unit;
  const double threshold = min_overlap_m2 / m2;
  return guarded<std::vector<ParcelOverlap>>([&]() -> Result<std::vector<ParcelOverlap>> {
    std::string problem;
    const auto qset = single_shape(geom, impl_->srid, problem);
    if (!problem.empty())
      return Error::invalid("the geometry cannot be checked for overlaps: " + problem, {{"geometry", problem}});
    const Shape& a = qset->shapes[0];
    std::vector<ParcelOverlap> out;
    if (cannot_exceed(a.area, threshold)) return out;  // as find_overlaps: no pair can exceed it
    thread_local Scratch scratch;
    thread_local std::vector<RValue> near;
    near.clear();
    std::shared_lock lock(impl_->mutex);
    const Impl& m = *impl_;
    m.tree.query(bgi::intersects(rbox(a.box)), std::back_inserter(near));
    for (const RValue& v : near) {
      const Impl::Slot& slot = m.slots[v.second];
      if (slot.id == self) continue;
      const Shape& b = m.shape_of(slot);
      if (cannot_exceed(b.area, threshold)) continue;
      const double w = std::min(a.box.maxx, b.box.maxx) - std::max(a.box.minx, b.box.minx);
      const double h = std::min(a.box.maxy, b.box.maxy) - std::max(a.box.miny, b.box.miny);
      if (cannot_exceed(w * h, threshold)) continue;
      const double area = intersection_area(*qset, a, *slot.set, b, scratch);
      if (area > threshold) out.push_back({slot.id, area * m2});
    }
    lock.unlock();
    std::sort(out.begin(), out.end(), [](const ParcelOverlap& x, const ParcelOverlap& y) { return x.id < y.id; });
    return out;
  });
}

}  // namespace nongsan::geo
