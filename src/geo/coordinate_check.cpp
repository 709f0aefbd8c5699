#include "geo/coordinate_check.hpp"

#include <charconv>
#include <cmath>

#include "core/wkb.hpp"

namespace nongsan::geo {
namespace {

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace

std::string format_point(double x, double y) { return "(" + number(x) + ", " + number(y) + ")"; }

std::optional<CoordinateProblem> coordinate_problem(const storage::Geometry& g, bool lonlat) {
  auto points = wkb::read_points(g.wkb);
  if (!points) return std::nullopt;
  const char* x_name = lonlat ? "longitude" : "x coordinate";
  const char* y_name = lonlat ? "latitude" : "y coordinate";
  for (std::size_t i = 0; i < points->size(); ++i) {
    const auto [x, y] = (*points)[i];
    const std::string at = "point " + std::to_string(i + 1);
    // An empty point is written as NaN, NaN: that is no coordinate at all.
    if (std::isnan(x) && std::isnan(y) && points->size() == 1) continue;
    if (!std::isfinite(x))
      return CoordinateProblem{at + " has a " + x_name + " that is not a finite number (" + number(x) + ")", false};
    if (!std::isfinite(y))
      return CoordinateProblem{at + " has a " + y_name + " that is not a finite number (" + number(y) + ")", false};
    if (!lonlat) continue;
    if (x < -180 || x > 180)
      return CoordinateProblem{at + ", " + format_point(x, y) + ", has a longitude outside −180…180", true};
    if (y < -90 || y > 90)
      return CoordinateProblem{at + ", " + format_point(x, y) + ", has a latitude outside −90…90", true};
  }
  return std::nullopt;
}

}  // namespace nongsan::geo
