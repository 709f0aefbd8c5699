// The rule that a parcel lies in the commune it is registered in (docs/rules.md
// §5: cadastral maps are drawn commune by commune, Circular 25/2014/TT-BTNMT; the
// same land may not be registered twice, Regulation (EU) 2021/2116 Art. 65–68).
// Every write of a parcel's boundary or commune — create, update, split, merge,
// import — is refused when the parcel reaches farther than the tolerance (the
// setting parcel_boundary_tolerance_m) outside the boundary of that commune; the
// commune's own boundary is the judge (the unit's boundary, of whatever period the
// unit belongs to). A commune without a stored boundary cannot judge: its parcels
// are accepted, and `check parcels` says they were not checked. Parcels stored
// before a boundary changed are found by the topology check ("outside").
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/admin/unit_graph.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

struct PlacedParcel {
  std::string label;  // what messages call the parcel (external id, "parts[1]" …)
  storage::Geometry geom;
  UnitId commune;
};

struct Misplaced {
  std::size_t index = 0;  // into the parcels given
  double outside_m2 = 0;  // area beyond the tolerance strip
  std::string message;    // "lies 1.234,5 m² outside Xã Bình Lư (03390) …"
};

// The parcels that lie farther than `tolerance_m` outside their commune, in input order.
Result<std::vector<Misplaced>> parcels_outside_commune(storage::Connection& c, const admin::UnitGraph& graph,
                                                       const std::vector<PlacedParcel>& parcels, double tolerance_m);

// One parcel: a FieldError for `field` when it lies outside its commune.
Result<std::vector<FieldError>> check_placement(storage::Connection& c, const admin::UnitGraph& graph,
                                                const storage::Geometry& geom, UnitId commune, double tolerance_m,
                                                const std::string& field);

}  // namespace nongsan::registry
