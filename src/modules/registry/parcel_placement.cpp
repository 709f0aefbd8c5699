#include "modules/registry/parcel_placement.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/overlap_check.hpp"
#include "modules/admin/admin_repository.hpp"

namespace nongsan::registry {

namespace {
// What is left over once the tolerance strip is taken: the rounding of the exact
// area computation, not land.
constexpr double kAreaNoiseM2 = 0.01;
}  // namespace

Result<std::vector<Misplaced>> parcels_outside_commune(storage::Connection& c, const admin::UnitGraph& graph,
                                                       const std::vector<PlacedParcel>& parcels, double tolerance_m) {
  std::vector<UnitId> ids;
  for (const auto& p : parcels) ids.push_back(p.commune);
  std::sort(ids.begin(), ids.end(), [](UnitId a, UnitId b) { return a.value < b.value; });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<geo::CommuneShape> communes;
  std::map<std::int64_t, bool> usable;
  for (auto& [id, g] : admin::AdminRepository::geometries(c, ids)) {
    // The boundary grown by the tolerance, once per commune. A boundary that cannot
    // be grown (not valid) cannot judge, as a missing one.
    auto grown = geo::buffer_m(g, std::max(0.0, tolerance_m));
    if (!grown) continue;
    usable[id.value] = true;
    communes.push_back({std::to_string(id.value), std::move(*grown)});
  }
  std::vector<geo::ParcelShape> shapes;
  std::vector<std::size_t> index_of;
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    if (!usable.count(parcels[i].commune.value)) continue;
    shapes.push_back({std::to_string(i), parcels[i].geom, std::to_string(parcels[i].commune.value)});
    index_of.push_back(i);
  }
  std::vector<Misplaced> out;
  if (shapes.empty()) return out;
  geo::OutsideOptions o;
  o.tolerance_m2 = kAreaNoiseM2;
  auto found = geo::find_outside(shapes, communes, o);
  if (!found) return found.error();
  for (const auto& f : *found) {
    const std::size_t i = static_cast<std::size_t>(std::stoul(f.id));
    const admin::AdminUnit* u = graph.find(parcels[i].commune);
    const std::string name = u ? u->name + " (" + u->code + ")" : "unit " + std::to_string(parcels[i].commune.value);
    out.push_back({i, f.outside_m2,
                   "lies " + format_number_vi(f.outside_m2, 1) + " m² outside " + name + ", farther than " +
                       format_number_vi(tolerance_m, 1) +
                       " m from its boundary: a parcel lies in the commune it is registered in"});
  }
  std::sort(out.begin(), out.end(), [](const Misplaced& a, const Misplaced& b) { return a.index < b.index; });
  return out;
}

Result<std::vector<FieldError>> check_placement(storage::Connection& c, const admin::UnitGraph& graph,
                                                const storage::Geometry& geom, UnitId commune, double tolerance_m,
                                                const std::string& field) {
  auto found = parcels_outside_commune(c, graph, {{field, geom, commune}}, tolerance_m);
  if (!found) return found.error();
  std::vector<FieldError> out;
  for (const auto& m : *found) out.push_back({field, m.message});
  return out;
}

}  // namespace nongsan::registry
