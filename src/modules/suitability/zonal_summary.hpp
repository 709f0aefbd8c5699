// How much of a polygon lies on each cell of a raster grid, and from that the
// hectares by suitability class of a parcel or a zone. Pure arithmetic, no I/O.
//
// Areas are exact: each polygon (holes included) is clipped to every cell it
// touches (Sutherland–Hodgman against the cell rectangle, by row strip first), so a
// 0.2 ha parcel on 100 m cells gets its true share of each cell instead of 0 or 1
// cells by the "cell centre inside" rule. Clipped areas are in the grid's units;
// callers turn them into m² by the polygon's share of its own metric area
// (`scale_to`), which is right for any grid CRS, metric or not.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/wkb.hpp"
#include "storage/value.hpp"

namespace nongsan::suitability {

// North-up grid: cell (col, row) spans x0 + col*dx .. x0 + (col+1)*dx and
// y0 + row*dy .. y0 + (row+1)*dy (dy < 0 for the usual top-down rows).
struct GridGeometry {
  double x0 = 0, y0 = 0, dx = 1, dy = -1;
  int width = 0, height = 0;
};

using XY = wkb::Point;
using PolygonRings = wkb::Polygon;  // outer ring first, then holes; closed or not
using MultiPolygonRings = wkb::MultiPolygon;

// Reads the polygons of a WKB Polygon, MultiPolygon or collection of them (Z and M
// ordinates are dropped; other types: error naming the field "geometry").
Result<MultiPolygonRings> polygons_from_wkb(const std::vector<std::uint8_t>& wkb);
double polygon_area(const MultiPolygonRings& m);  // planar, holes subtracted

struct CellShare {
  int col = 0, row = 0;
  double area = 0;  // in grid units², > 0
};
// Every cell the polygon covers with the covered area; parts outside the grid are
// not listed (see `outside_area`).
std::vector<CellShare> cell_shares(const GridGeometry& grid, const MultiPolygonRings& m, double* outside_area = nullptr);

// Class codes follow SuitClass: 0 nodata, 1 S1, 2 S2, 3 S3, 4 N.
inline constexpr int kClassCount = 5;
const char* class_code(int cls);  // "nodata", "S1", "S2", "S3", "N"

struct ClassAreas {
  std::array<double, kClassCount> m2{};  // by class code
  // Area by (class, limiting factor) for classes S2..N; factors are the 1-based
  // positions in the profile the evaluation gives (0 = none, not listed).
  std::map<std::pair<int, int>, double> limiting_m2;
  double total() const;
  void add(const ClassAreas& o);
  // Class covering most of the area (nodata only when nothing else is covered).
  int dominant_class() const;
  // Limiting factor (index) covering most of the area of class `cls`; nullopt if none.
  std::optional<int> dominant_factor(int cls) const;
  // Limiting factors of S3 and N land ranked by area, largest first.
  std::vector<std::pair<int, double>> ranked_factors(int from_class = 3) const;
};

// Sums the shares by the class (and limiting factor) of each cell; the area outside
// the grid counts as nodata. Then scales everything so the total is `metric_area_m2`.
// REQUIRES: classes and limiting have grid.width * grid.height entries (limiting may be empty);
// limiting holds 1-based factor positions, 0 for none.
ClassAreas summarise(const GridGeometry& grid, const std::vector<std::uint8_t>& classes,
                     const std::vector<std::uint8_t>& limiting, const MultiPolygonRings& m, double metric_area_m2);

}  // namespace nongsan::suitability
