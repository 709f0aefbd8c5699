// A live index of a registry's parcels for the overlap check of one parcel as it is
// edited or saved: which stored parcels does this boundary overlap, and by how much?
//
// The index is loaded once (from every current parcel) and then kept up to date one
// parcel at a time (put / erase), never rebuilt: the shapes live in the flat arrays of
// overlap_check (one bulk-loaded set, plus one small set per parcel written since),
// and their boxes in a dynamic R-tree (R*-tree insertion and removal). A check reads
// only the parcels whose boxes meet the edited one's, so it costs the same for a
// registry of a thousand parcels or of ten million.
//
// Same rules and same arithmetic as find_overlaps (overlap_check.hpp): a parcel takes
// part only if its geometry is a readable, non-empty, valid Polygon or MultiPolygon
// that can be brought into the projected CRS; an overlap is reported when the area of
// the intersection is strictly greater than the threshold; areas are exact up to the
// rounding of the sum (~1e-9 relative). Checking parcel P against the index answers
// what find_overlaps over the indexed parcels plus P reports for the pairs with P.
//
// Thread safety: every member may be called from any thread at any time; checks run
// side by side (shared lock), writes one at a time (exclusive lock). The caller keeps
// the index in step with its storage: apply a write to the index only after the
// transaction that made it has committed (see registry/parcel_overlaps).
//
// Implemented in overlap_check.cpp (it shares that file's shape arrays and exact
// predicates). Like the rest of src/geo, no GEOS, PROJ or Boost type crosses it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "geo/overlap_check.hpp"

namespace nongsan::geo {

// A stored parcel that the checked boundary overlaps.
struct ParcelOverlap {
  std::string id;
  double overlap_m2;  // area of the intersection in the projected CRS, unrounded
  bool operator==(const ParcelOverlap&) const = default;
};

class OverlapIndex {
 public:
  explicit OverlapIndex(int projected_srid = kProvinceCrs);
  ~OverlapIndex();
  OverlapIndex(const OverlapIndex&) = delete;
  OverlapIndex& operator=(const OverlapIndex&) = delete;

  // Replaces the whole content with these parcels (ids must be unique). Returns how
  // many take part; the others are left out, as find_overlaps leaves them out.
  // Errors: a projected_srid that is not a projected CRS, two parcels with one id.
  Result<std::size_t> load(const std::vector<ParcelShape>& parcels, int threads = 0);

  // Inserts parcel `id`, or replaces its shape. Returns "" when it takes part, else
  // why not (then it is not in the index: a parcel that cannot take part overlaps
  // nothing).
  std::string put(const std::string& id, const storage::Geometry& geom);

  // Removes parcel `id` (retired, deleted). False if it was not in the index.
  bool erase(const std::string& id);

  std::size_t size() const;            // parcels in the index
  bool contains(const std::string& id) const;

  // The indexed parcels, other than `self`, whose intersection with `geom` has an
  // area greater than min_overlap_m2, sorted by id. Errors: a bad threshold (negative,
  // not finite), a geometry that cannot take part (with the reason).
  Result<std::vector<ParcelOverlap>> overlaps(const storage::Geometry& geom, double min_overlap_m2,
                                              std::string_view self = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::geo
