#include "geo/point_on_surface.hpp"

#include "geo/geos_context.hpp"
#include "geo/library_messages.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace nongsan::geo {
namespace {

double area_of(const GEOSGeometry* g) {
  double a = 0;
  return GEOSArea_r(geos().h(), g, &a) ? a : 0.0;
}

// Tree items are 1-based indexes stored in the pointer (0 would be a null item).
void* item_of(std::size_t index) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(index + 1)); }
std::size_t index_of(void* item) { return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)) - 1; }
void collect(void* item, void* userdata) {
  static_cast<std::vector<std::size_t>*>(userdata)->push_back(index_of(item));
}

}  // namespace

Result<SurfacePoint> point_on_surface(const storage::Geometry& g) {
  auto p = parse(g);
  if (!p) return p.error();
  const auto h = geos().h();
  if (GEOSisEmpty_r(h, p->get()) != 0) return Error::invalid("an empty geometry has no interior point");
  GeomPtr point(GEOSPointOnSurface_r(h, p->get()));
  if (!point) return Error::invalid(plain_geos_message(geos().take_error(), "no interior point can be found"));
  SurfacePoint out;
  if (!GEOSGeomGetX_r(h, point.get(), &out.x) || !GEOSGeomGetY_r(h, point.get(), &out.y))
    return Error::invalid(plain_geos_message(geos().take_error(), "no interior point can be found"));
  return out;
}

Result<std::vector<std::optional<std::size_t>>> locate_in_areas(const std::vector<storage::Geometry>& shapes,
                                                                const std::vector<storage::Geometry>& areas) {
  const auto h = geos().h();
  std::vector<GeomPtr> area_geoms;
  std::vector<PreparedPtr> prepared;
  std::vector<double> sizes;
  area_geoms.reserve(areas.size());
  prepared.reserve(areas.size());
  // The tree keeps references to the areas' envelopes; declared last, it is destroyed first.
  TreePtr tree(GEOSSTRtree_create_r(h, 10));
  for (std::size_t i = 0; i < areas.size(); ++i) {
    auto a = parse(areas[i]);
    if (!a) return Error::invalid("area " + std::to_string(i + 1) + ": " + a.error().message);
    prepared.emplace_back(GEOSPrepare_r(h, a->get()));
    sizes.push_back(area_of(a->get()));
    if (GEOSisEmpty_r(h, a->get()) == 0) GEOSSTRtree_insert_r(h, tree.get(), a->get(), item_of(i));
    area_geoms.push_back(std::move(*a));
  }

  std::vector<std::optional<std::size_t>> out(shapes.size());
  if (areas.empty()) return out;
  std::vector<std::size_t> candidates;
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    auto s = parse(shapes[k]);
    if (!s) return Error::invalid("shape " + std::to_string(k + 1) + ": " + s.error().message);
    const GEOSGeometry* shape = s->get();
    if (GEOSisEmpty_r(h, shape) != 0) continue;
    candidates.clear();
    GEOSSTRtree_query_r(h, tree.get(), shape, &collect, &candidates);
    if (candidates.empty()) continue;

    if (GEOSGeomTypeId_r(h, shape) == GEOS_POINT) {
      double smallest = 0;
      for (std::size_t c : candidates) {
        if (GEOSPreparedContains_r(h, prepared[c].get(), shape) != 1) continue;
        if (!out[k] || sizes[c] < smallest) {
          smallest = sizes[c];
          out[k] = c;
        }
      }
      continue;
    }
    GeomPtr interior(GEOSPointOnSurface_r(h, shape));
    std::optional<std::size_t> holder;
    if (interior) {
      for (std::size_t c : candidates)
        if (GEOSPreparedContains_r(h, prepared[c].get(), interior.get()) == 1) {
          holder = c;
          break;
        }
    }
    if (holder && (candidates.size() == 1 || GEOSPreparedCovers_r(h, prepared[*holder].get(), shape) == 1)) {
      out[k] = holder;
      continue;
    }
    // Across a boundary (or the interior point sits exactly on one): the largest overlap.
    double best = 0;
    for (std::size_t c : candidates) {
      if (GEOSPreparedIntersects_r(h, prepared[c].get(), shape) != 1) continue;
      GeomPtr common(GEOSIntersection_r(h, area_geoms[c].get(), shape));
      if (!common) continue;  // a topology failure on one candidate: the others still decide
      const double a = area_of(common.get());
      if (a > best) {
        best = a;
        out[k] = c;
      }
    }
    if (!out[k]) out[k] = holder;
  }
  return out;
}

}  // namespace nongsan::geo
