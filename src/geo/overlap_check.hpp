// Topology checks of a land registry's parcels: overlapping parcels, invalid
// geometries, slivers, and parcels outside the commune they are assigned to.
//
// Built for a whole province at once (the design point is 1,000,000 parcels on two
// cores). Every geometry is read once into flat coordinate arrays in the projected
// CRS; candidate pairs come from a packed Hilbert R-tree; areas of intersection are
// computed exactly by integrating along the boundary pieces of one polygon that lie
// inside the other (see overlap_check.cpp), with exact orientation predicates, so the
// answers equal those of GEOS / PostGIS (`ST_Area(ST_Intersection(a, b))`) up to
// floating-point rounding of the area (~1e-9 relative), without building overlays.
//
// Like the rest of src/geo, the interface takes storage::Geometry (ISO WKB + SRID) and
// returns errors as values; no GEOS or PROJ type crosses it. Functions are safe to
// call from several threads; each runs its own worker threads (`threads`, 0 = one per
// core) and joins them before returning.
//
// Which parcels are checked: a parcel takes part in find_overlaps, find_slivers and
// find_outside only if its geometry is a readable, non-empty, valid (GEOS / OGC rules)
// Polygon or MultiPolygon that can be brought into the projected CRS. find_invalid lists
// the others with the reason, so running it next to the other checks accounts for every
// parcel. Validity is judged on the coordinates in `projected_srid`.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "geo/geometry_ops.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

struct ParcelShape {
  std::string id;               // should be unique; see OverlapPair
  storage::Geometry geom;       // Polygon or MultiPolygon, any SRID (transformed to the projected CRS first)
  std::string commune_id = {};  // the commune the parcel is registered in; read by find_outside only
};

// Two parcels whose interiors overlap. a < b in std::string order (a == b only if two
// different parcels carry the same id). overlap_m2 is the area of the intersection in
// the projected CRS, unrounded (print it with 3 decimals).
struct OverlapPair {
  std::string a, b;
  double overlap_m2;
  bool operator==(const OverlapPair&) const = default;
};

struct OverlapOptions {
  // A pair is reported when the area of the intersection is strictly greater than
  // this (m²). Touching parcels (common edge or corner) have an intersection of area
  // zero and are never reported. REQUIRES: >= 0.
  double min_overlap_m2 = 1.0;
  int projected_srid = kProvinceCrs;
  int threads = 0;  // 0 = one per core
  // Called on the calling thread as parcels are checked against their neighbours;
  // `done` grows to `total` (the number of readable, non-empty parcels). Optional.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Every pair of parcels whose intersection has an area greater than
// o.min_overlap_m2, sorted by (a, b). Errors: a bad option (negative threshold, a
// projected_srid that is not a projected CRS); never a bad parcel (see above).
Result<std::vector<OverlapPair>> find_overlaps(const std::vector<ParcelShape>& parcels, const OverlapOptions& o);

struct CheckOptions {
  int projected_srid = kProvinceCrs;
  int threads = 0;
};

struct InvalidParcel {
  std::string id;
  // "unreadable WKB: ...", "empty geometry", "not a polygon: LineString",
  // "cannot transform to EPSG:9205: ...", or why it is not valid, e.g. "the
  // boundary crosses itself at (523001.5, 2440012.25)" (in the projected CRS).
  std::string reason;
  bool operator==(const InvalidParcel&) const = default;
};

// Parcels the other checks skip, sorted by (id, reason).
Result<std::vector<InvalidParcel>> find_invalid(const std::vector<ParcelShape>& parcels, const CheckOptions& o = {});

// A sliver is a parcel too small or too thin to be a real plot; most are digitising
// errors (a strip left between two lots, a spike). Thinness is the Polsby-Popper
// compactness 4πA/P², A the area and P the length of the whole boundary (holes
// included) of the parcel's geometry, all parts together: 1 for a disc, 0.785 for a
// square, 0.26 for a 1:10 rectangle, 0.03 for 1:100. The defaults are this check's
// own, not a regulation's: set min_area_m2 from the province's decision on the
// minimum area of a parcel if that is what is wanted.
struct SliverOptions {
  double min_area_m2 = 10.0;  // area strictly below this: a sliver
  double min_thinness = 0.1;  // thinness strictly below this: a sliver (a 1:~30 strip)
  int projected_srid = kProvinceCrs;
  int threads = 0;
};

struct Sliver {
  std::string id;
  double area_m2;
  double thinness;
  bool operator==(const Sliver&) const = default;
};

// Slivers, sorted by id.
Result<std::vector<Sliver>> find_slivers(const std::vector<ParcelShape>& parcels, const SliverOptions& o = {});

struct CommuneShape {
  std::string id;
  storage::Geometry geom;  // Polygon or MultiPolygon, any SRID
};

struct OutsideOptions {
  // A parcel is reported when more than this area (m²) of it lies outside its
  // commune. The default forgives the digitising noise of a shared boundary.
  double tolerance_m2 = 1.0;
  int projected_srid = kProvinceCrs;
  int threads = 0;
};

struct OutsideParcel {
  std::string id;
  std::string commune_id;
  double outside_m2;  // area of the parcel outside its commune
  bool operator==(const OutsideParcel&) const = default;
};

// Parcels not within the commune named by their commune_id, sorted by id.
// Errors: a parcel names a commune that is not in `communes` (every such parcel is
// listed in Error::fields), two communes share an id, or a commune's geometry is not
// a valid polygon (the checks cannot be made against it).
Result<std::vector<OutsideParcel>> find_outside(const std::vector<ParcelShape>& parcels,
                                                const std::vector<CommuneShape>& communes,
                                                const OutsideOptions& o = {});

}  // namespace nongsan::geo
