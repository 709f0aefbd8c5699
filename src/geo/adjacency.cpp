#include "geo/adjacency.hpp"

#include <numeric>

#include "geo/geometry_ops.hpp"
#include "geo/geos_context.hpp"

namespace nongsan::geo {

namespace {
int find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}
}  // namespace

Result<Blocks> contiguous_blocks(const std::vector<storage::Geometry>& polygons, double tolerance_m, int projected_srid) {
  const auto h = geos().h();
  std::vector<GeomPtr> geoms;
  std::vector<double> areas;
  geoms.reserve(polygons.size());
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    auto projected = polygons[i].srid == projected_srid ? Result<storage::Geometry>(polygons[i])
                                                        : transform(polygons[i], projected_srid);
    if (!projected) return projected.error();
    auto g = parse(*projected);
    if (!g) return Error::invalid("polygon " + std::to_string(i + 1) + ": " + g.error().message);
    double a = 0;
    GEOSArea_r(h, g->get(), &a);
    geoms.push_back(std::move(*g));
    areas.push_back(a);
  }
  // Envelope index; the tree holds indices into `geoms` (declared after them, so
  // destroyed first).
  TreePtr tree(GEOSSTRtree_create_r(h, 10));
  std::vector<std::size_t> ids(geoms.size());
  std::iota(ids.begin(), ids.end(), 0);
  for (std::size_t i = 0; i < geoms.size(); ++i) GEOSSTRtree_insert_r(h, tree.get(), geoms[i].get(), &ids[i]);
  std::vector<int> parent(geoms.size());
  std::iota(parent.begin(), parent.end(), 0);
  struct Query {
    GEOSContextHandle_t h;
    std::size_t self;
    const std::vector<GeomPtr>* geoms;
    std::vector<int>* parent;
    double tol;
  };
  for (std::size_t i = 0; i < geoms.size(); ++i) {
    // Query with the envelope grown by the tolerance.
    GeomPtr env(GEOSEnvelope_r(h, geoms[i].get()));
    GeomPtr grown(GEOSBuffer_r(h, env.get(), tolerance_m, 1));
    Query q{h, i, &geoms, &parent, tolerance_m};
    GEOSSTRtree_query_r(
        h, tree.get(), grown.get(),
        [](void* item, void* data) {
          auto* q = static_cast<Query*>(data);
          std::size_t j = *static_cast<std::size_t*>(item);
          if (j <= q->self) return;
          int a = find(*q->parent, static_cast<int>(q->self)), b = find(*q->parent, static_cast<int>(j));
          if (a == b) return;
          double d = 0;
          if (GEOSDistance_r(q->h, (*q->geoms)[q->self].get(), (*q->geoms)[j].get(), &d) && d <= q->tol)
            (*q->parent)[b] = a;
        },
        &q);
  }
  tree.reset();
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
  return out;
}

}  // namespace nongsan::geo
