// The area of each of many parcels inside a set of zones (the zone_area indicator of a
// province's review: tens of thousands of parcels near a few hundred zones). The same
// figures, to the bit, as intersection_area_m2 of the parcel and each zone: both in the
// projected CRS, the same coordinates, the same GEOS overlay and area. What it saves
// is around the overlay: each zone is projected once and read into GEOS once per
// thread rather than once per parcel, and a parcel is projected once for all the
// zones it meets and kept in GEOS (no WKB written and read back between).
// Like the rest of src/geo, no GEOS or PROJ type crosses it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {

class ZoneShapes {
 public:
  // The zones in any SRID (each projected here once); indices below are into `zones`.
  explicit ZoneShapes(const std::vector<Geometry>& zones, int projected_srid = kProvinceCrs);
  ~ZoneShapes();
  ZoneShapes(const ZoneShapes&) = delete;
  ZoneShapes& operator=(const ZoneShapes&) = delete;
  std::size_t size() const { return zones_.size(); }

  // One thread's reading of the zones: GEOS geometries never leave the thread that
  // made them (geos_context.hpp), so each thread that measures makes its own Reader,
  // uses it and destroys it there. The ZoneShapes must outlive it.
  class Reader {
   public:
    explicit Reader(const ZoneShapes& shapes);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    // The sum, over `zones` in the order given, of the area of parcel ∩ zone in m²,
    // each term what intersection_area_m2(parcel, zone, projected_srid) gives; a pair
    // that cannot be measured (unreadable, outside the CRS, a topology failure) adds
    // nothing, as an error of intersection_area_m2 would.
    double area_inside(const Geometry& parcel, const std::vector<std::size_t>& zones);
    // How many GEOS overlays area_inside has run so far: a parcel wholly inside a zone
    // (containsProperly) is measured without one, with the same figure (zone_shares.cpp).
    std::size_t overlays() const;

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

 private:
  struct Zone {
    Geometry original;
    std::optional<Geometry> projected;  // none when it cannot be projected
  };
  std::vector<Zone> zones_;
  int srid_;
};

}  // namespace nongsan::geo
