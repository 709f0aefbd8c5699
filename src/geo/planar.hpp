// Plane geometry on coordinates in a projected CRS (metres), without a geometry
// library: ring areas and lengths, point in polygon, distances to segments,
// convex hulls and clipping to a convex ring, and the conversion of rings to and
// from storage::Geometry. For code that draws or measures many small shapes in
// memory (the demo's illustrative zones, lots and rasters) where a GEOS call per
// shape would cost more than the arithmetic. Exact predicates, validity and
// overlays stay with GEOS (geometry_ops.hpp).
//
// Rings are closed (front() == back()) unless a function says otherwise. Pure
// functions of their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "core/wkb.hpp"
#include "storage/value.hpp"

namespace nongsan::geo::planar {

using Point = wkb::Point;
using Ring = wkb::Ring;
using Polygon = wkb::Polygon;            // shell first, then holes
using MultiPolygon = wkb::MultiPolygon;

// (a − o) × (b − o): > 0 when o, a, b turn counter-clockwise.
double cross(Point o, Point a, Point b);
double dist2(Point a, Point b);

// Signed area of a closed ring: > 0 counter-clockwise.
double ring_area(const Ring& r);
double ring_length(const Ring& r);
// The shell's area less the holes' (orientation does not matter).
double polygon_area(const Polygon& p);
// Mean of a closed ring's vertices (the repeated last one not counted).
Point ring_centre(const Ring& r);

// Even-odd rule over every ring of every part: holes and islands alike.
bool inside(const MultiPolygon& m, Point q);

struct Segment {
  Point a, b;
};
// Distance from p to the nearest segment (infinity for none).
double distance(const std::vector<Segment>& segments, Point p);
// The segments of m with a point within `margin` of the box [lo, hi].
std::vector<Segment> segments_near(const MultiPolygon& m, Point lo, Point hi, double margin);
// The segments of every ring of m.
std::vector<Segment> segments_of(const MultiPolygon& m);
// The segments of a polyline (open: n points, n − 1 segments).
std::vector<Segment> segments_of_line(const std::vector<Point>& line);

// Convex hull, counter-clockwise and closed (Andrew's monotone chain).
Ring convex_hull(std::vector<Point> points);
// Inside or on a convex, counter-clockwise, closed ring.
bool in_convex(const Ring& hull, Point q);
// Sutherland–Hodgman: `subject` clipped to the convex, counter-clockwise `hull`;
// empty when less than a triangle is left.
Ring clip_convex(const Ring& subject, const Ring& hull);

// Grid cells (row-major, width × height, north-up from the top-left corner
// (x0, y0) with cells dx × dy, dy < 0) whose centre lies inside m: 1 inside, 0 outside.
std::vector<std::uint8_t> cells_inside(const MultiPolygon& m, double x0, double y0, double dx, double dy, int width,
                                       int height);

// A MultiPolygon of the rings as 2D little-endian ISO WKB with `srid`.
storage::Geometry to_geometry(const MultiPolygon& m, int srid);
// The polygons of a geometry (points and lines are passed over).
Result<MultiPolygon> polygons_of(const storage::Geometry& g);

}  // namespace nongsan::geo::planar
