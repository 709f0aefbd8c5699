// Coordinates that cannot be right, said as what they are: a value that is not a
// finite number (Infinity, NaN) or a longitude/latitude out of range, with the
// point's position in the geometry. For imports and request bodies, where a
// bounding-box test would name another corner of the shape ("(103, 22) lies
// outside the range" for a shape whose second point has an infinite longitude).
// No library; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "storage/value.hpp"

namespace nongsan::geo {

// "(103.5, 22.25)": the shortest text that reads back as the same numbers;
// "Infinity", "-Infinity" and "NaN" for values that are not finite.
std::string format_point(double x, double y);

// The first coordinate of `g` that is not a finite number, or with `lonlat` the
// first outside longitude −180…180 / latitude −90…90, as a sentence:
//   "point 2 has a longitude that is not a finite number (Infinity)"
//   "point 3, (203, 22), has a longitude outside −180…180"
// Points count from 1 across the whole geometry (all rings and parts). nullopt when
// every coordinate is fine; unreadable WKB is not this function's to report.
struct CoordinateProblem {
  std::string message;
  bool out_of_range = false;  // a finite value outside the lon/lat range (else not finite)
};
std::optional<CoordinateProblem> coordinate_problem(const storage::Geometry& g, bool lonlat);

}  // namespace nongsan::geo
