#include "geo/zone_shares.hpp"

#include "geo/geos_context.hpp"
#include "geo/proj_context.hpp"
#include "geo/projected_geos.hpp"

#include <vector>

namespace nongsan::geo {

ZoneShapes::ZoneShapes(const std::vector<Geometry>& zones, int projected_srid) : srid_(projected_srid) {
  zones_.reserve(zones.size());
  for (const auto& z : zones) {
    auto projected = transform(z, projected_srid);
    zones_.push_back({z, projected ? std::optional(std::move(*projected)) : std::nullopt});
  }
}
ZoneShapes::~ZoneShapes() = default;

namespace {
// The area GEOS's overlay gives for p ∩ z when z contains p properly (no point of p on
// z's boundary), without the overlay; none when p is not a shape this holds for.
//
// Why it is the same double: no edge of z meets p, so the overlay (OverlayNG, floating
// precision) splits p's shell nowhere but at its first point, and its result is p's
// shell as one clockwise ring that begins at the vertex after the first one in that
// direction: p1 … p(n-1), p1 when the shell is clockwise, p(n-2) … p0, p(n-2) when not
// (the area on the right of the ring). GEOSArea of a polygon is the shoelace sum over
// its shell in this order, whose rounding depends on the order; the same sequence is
// built here and measured by the same GEOSArea. Holes, several parts, repeated points
// (which the overlay drops), shells that cross or touch themselves and invalid zones
// are left to the overlay. GEOS 3.11 gave the same
// double for 179,013 of 179,013 contained shapes of 4 to 13 vertices (a throw-away
// program, 2026-12-06); ZoneShares.ContainedParcelsMeasureAsTheOverlayDoes
// (tests/geo/zone_shares_test.cpp) holds the two to the bit on every build, and fails
// if a GEOS release builds the ring otherwise.
std::optional<double> area_as_overlay_inside(const GEOSGeometry* p) {
  const auto h = geos().h();
  const GEOSGeometry* poly = p;
  const int type = GEOSGeomTypeId_r(h, p);
  if (type == GEOS_MULTIPOLYGON) {
    if (GEOSGetNumGeometries_r(h, p) != 1) return std::nullopt;
    poly = GEOSGetGeometryN_r(h, p, 0);
  } else if (type != GEOS_POLYGON) {
    return std::nullopt;
  }
  if (!poly || GEOSGetNumInteriorRings_r(h, poly) != 0) return std::nullopt;
  const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, poly);
  const GEOSCoordSequence* seq = shell ? GEOSGeom_getCoordSeq_r(h, shell) : nullptr;
  unsigned int n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4) return std::nullopt;
  std::vector<double> xy(2 * n);
  for (unsigned int i = 0; i < n; ++i) {
    if (!GEOSCoordSeq_getXY_r(h, seq, i, &xy[2 * i], &xy[2 * i + 1])) return std::nullopt;
    if (i > 0 && xy[2 * i] == xy[2 * i - 2] && xy[2 * i + 1] == xy[2 * i - 1]) return std::nullopt;
  }
  if (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]) return std::nullopt;  // not closed
  // A shell that crosses or touches itself is split by the overlay where it does: such
  // a parcel (the registry may hold invalid ones: geo/overlap_check reports them) takes
  // the overlay. Small shells are checked segment against segment with GEOS's exact
  // orientation test, three points in a line counting as a touch; larger ones by
  // GEOSisValid.
  if (n <= 17) {
    auto orient = [&](unsigned a, unsigned b, unsigned c) {
      return GEOSOrientationIndex_r(h, xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], xy[2 * c], xy[2 * c + 1]);
    };
    const unsigned segments = n - 1;  // segment i joins points i and i + 1
    for (unsigned i = 0; i < segments; ++i) {
      if (orient(i, i + 1, (i + 2) % segments) == 0) return std::nullopt;  // a spike or a straight angle
      for (unsigned j = i + 2; j < segments; ++j) {
        if (i == 0 && j == segments - 1) continue;  // they meet at the first point, as they should
        const int o1 = orient(i, i + 1, j), o2 = orient(i, i + 1, j + 1);
        const int o3 = orient(j, j + 1, i), o4 = orient(j, j + 1, i + 1);
        if (o1 == 0 || o2 == 0 || o3 == 0 || o4 == 0) return std::nullopt;  // a touch
        if (o1 != o2 && o3 != o4) return std::nullopt;                      // a crossing
      }
    }
  } else if (GEOSisValid_r(h, p) != 1) {
    return std::nullopt;
  }
  char ccw = 0;
  if (!GEOSCoordSeq_isCCW_r(h, seq, &ccw)) return std::nullopt;
  GEOSCoordSequence* ring = GEOSCoordSeq_create_r(h, n, 2);
  if (!ring) return std::nullopt;
  for (unsigned int k = 0; k + 1 < n; ++k) {
    const unsigned int from = ccw ? n - 2 - k : k + 1;
    GEOSCoordSeq_setXY_r(h, ring, k, xy[2 * from], xy[2 * from + 1]);
  }
  const unsigned int first = ccw ? n - 2 : 1;
  GEOSCoordSeq_setXY_r(h, ring, n - 1, xy[2 * first], xy[2 * first + 1]);
  GEOSGeometry* linear = GEOSGeom_createLinearRing_r(h, ring);  // takes the sequence
  if (!linear) return std::nullopt;
  GeomPtr polygon(GEOSGeom_createPolygon_r(h, linear, nullptr, 0));  // takes the ring
  double area = 0;
  if (!polygon || !GEOSArea_r(h, polygon.get(), &area)) return std::nullopt;
  return area;
}
}  // namespace

struct ZoneShapes::Reader::Impl {
  const ZoneShapes& shapes;
  // Each zone read from its projected WKB, and prepared, when a parcel first meets it;
  // null when that WKB is unreadable (intersection_area_m2 would fail on it for every
  // parcel).
  std::vector<GeomPtr> zones;
  std::vector<PreparedPtr> prepared;
  std::vector<bool> read;
  std::size_t overlays = 0;
};

ZoneShapes::Reader::Reader(const ZoneShapes& shapes) : impl_(std::make_unique<Impl>(Impl{shapes, {}, {}, {}, 0})) {
  impl_->zones.resize(shapes.size());
  impl_->prepared.resize(shapes.size());
  impl_->read.assign(shapes.size(), false);
}
ZoneShapes::Reader::~Reader() = default;
std::size_t ZoneShapes::Reader::overlays() const { return impl_->overlays; }

double ZoneShapes::Reader::area_inside(const Geometry& parcel, const std::vector<std::size_t>& zones) {
  const ZoneShapes& s = impl_->shapes;
  double inside = 0;
  auto factor = proj().metres_per_unit(s.srid_);
  if (!factor) return inside;  // every intersection_area_m2 would fail on it
  // The parcel in the projected CRS, as transform() would write it and
  // intersection_area_m2 read it back (WKB keeps the doubles as they are).
  auto projected = parse_in(parcel, s.srid_);
  const auto h = geos().h();
  bool whole_known = false;
  std::optional<double> whole;  // its area as the overlay with a zone containing it gives it
  for (std::size_t i : zones) {
    const Zone& z = s.zones_[i];
    if (!projected || !z.projected) {
      // What could not be projected is measured as before, each pair on its own.
      if (auto a = intersection_area_m2(parcel, z.original, s.srid_)) inside += *a;
      continue;
    }
    if (!impl_->read[i]) {
      impl_->read[i] = true;
      if (auto g = parse(*z.projected)) {
        impl_->zones[i] = std::move(*g);
        // Only a valid zone's overlay leaves a parcel inside it as it is (an invalid one
        // may send the overlay to its snapping fallback, which moves points).
        if (GEOSisValid_r(h, impl_->zones[i].get()) == 1)
          impl_->prepared[i] = PreparedPtr(GEOSPrepare_r(h, impl_->zones[i].get()));
      }
    }
    if (!impl_->zones[i]) continue;
    // Most parcels near a zone lie wholly inside it: their share is their own area,
    // which the overlay would give too (area_as_overlay_inside), at a fraction of its cost.
    if (impl_->prepared[i] && GEOSPreparedContainsProperly_r(h, impl_->prepared[i].get(), projected->get()) == 1) {
      if (!whole_known) whole = area_as_overlay_inside(projected->get()), whole_known = true;
      if (whole) {
        inside += *whole * *factor * *factor;
        continue;
      }
    }
    geos().clear_error();
    ++impl_->overlays;
    auto common = checked(GEOSIntersection_r(h, projected->get(), impl_->zones[i].get()), "intersection");
    if (!common) continue;
    double area = 0;
    if (!GEOSArea_r(h, common->get(), &area)) {
      geos().take_error();
      continue;
    }
    inside += area * *factor * *factor;
  }
  return inside;
}

}  // namespace nongsan::geo
