#include "geo/adjacency.hpp"

#include <geos_c.h>

#include <numeric>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {

namespace {
struct Ctx {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Ctx() { GEOS_finish_r(h); }
};

int find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}
}  // namespace

Result<Blocks> contiguous_blocks(const std::vector<storage::Geometry>& polygons, double tolerance_m, int projected_srid) {
  Ctx ctx;
  GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx.h);
  std::vector<GEOSGeometry*> geoms;
  std::vector<double> areas;
  auto cleanup = [&] {
    for (auto* g : geoms) GEOSGeom_destroy_r(ctx.h, g);
    GEOSWKBReader_destroy_r(ctx.h, reader);
  };
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    auto projected = polygons[i].srid == projected_srid ? Result<storage::Geometry>(polygons[i])
                                                        : transform(polygons[i], projected_srid);
    if (!projected) {
      cleanup();
      return projected.error();
    }
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx.h, reader, projected->wkb.data(), projected->wkb.size());
    if (!g) {
      cleanup();
      return Error::invalid("polygon " + std::to_string(i + 1) + " is not readable WKB");
    }
    double a = 0;
    GEOSArea_r(ctx.h, g, &a);
    geoms.push_back(g);
    areas.push_back(a);
  }
  // Envelope index; the tree holds indices into `geoms`.
  GEOSSTRtree* tree = GEOSSTRtree_create_r(ctx.h, 10);
  std::vector<std::size_t> ids(geoms.size());
  std::iota(ids.begin(), ids.end(), 0);
  for (std::size_t i = 0; i < geoms.size(); ++i) GEOSSTRtree_insert_r(ctx.h, tree, geoms[i], &ids[i]);
  std::vector<int> parent(geoms.size());
  std::iota(parent.begin(), parent.end(), 0);
  struct Query {
    GEOSContextHandle_t h;
    std::size_t self;
    const std::vector<GEOSGeometry*>* geoms;
    std::vector<int>* parent;
    double tol;
  };
  for (std::size_t i = 0; i < geoms.size(); ++i) {
    // Query with the envelope grown by the tolerance.
    GEOSGeometry* env = GEOSEnvelope_r(ctx.h, geoms[i]);
    GEOSGeometry* grown = GEOSBuffer_r(ctx.h, env, tolerance_m, 1);
    GEOSGeom_destroy_r(ctx.h, env);
    Query q{ctx.h, i, &geoms, &parent, tolerance_m};
    GEOSSTRtree_query_r(
        ctx.h, tree, grown,
        [](void* item, void* data) {
          auto* q = static_cast<Query*>(data);
          std::size_t j = *static_cast<std::size_t*>(item);
          if (j <= q->self) return;
          int a = find(*q->parent, static_cast<int>(q->self)), b = find(*q->parent, static_cast<int>(j));
          if (a == b) return;
          double d = 0;
          if (GEOSDistance_r(q->h, (*q->geoms)[q->self], (*q->geoms)[j], &d) && d <= q->tol) (*q->parent)[b] = a;
        },
        &q);
    GEOSGeom_destroy_r(ctx.h, grown);
  }
  GEOSSTRtree_destroy_r(ctx.h, tree);
  Blocks out;
  out.block_of.resize(geoms.size());
  std::vector<int> index_of_root(geoms.size(), -1);
  for (std::size_t i = 0; i < geoms.size(); ++i) {
    int root = find(parent, static_cast<int>(i));
    if (index_of_root[root] < 0) {
      index_of_root[root] = static_cast<int>(out.block_area_m2.size());
      out.block_area_m2.push_back(0);
    }
    out.block_of[i] = index_of_root[root];
    out.block_area_m2[index_of_root[root]] += areas[i];
  }
  cleanup();
  return out;
}

}  // namespace nongsan::geo
