// The one PROJ adapter of src/geo: a PROJ context per thread with its
// transformations and the metre factors of projected CRSs cached by EPSG code.
// Creating a transformation costs a database lookup (milliseconds); applying it
// costs microseconds, and the server transforms every parcel it measures.
// PRIVATE to src/geo: it includes proj.h.
//
// Axis order is always x = easting/longitude, y = northing/latitude
// (proj_normalize_for_visualization). PROJ's log goes to the errors, never to stderr.
#pragma once

#include <proj.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/result.hpp"

namespace nongsan::geo {

class ProjContext {
 public:
  ProjContext();
  ~ProjContext();
  ProjContext(const ProjContext&) = delete;
  ProjContext& operator=(const ProjContext&) = delete;

  // The transformation from one EPSG code to another; a failure is remembered too,
  // so that 200,000 parcels in an unknown CRS do not ask PROJ 200,000 times.
  Result<PJ*> operation(int from, int to);
  // Metres per unit of a projected CRS's first axis; an error for any other CRS, so
  // that nobody measures an area in square degrees.
  Result<double> metres_per_unit(int srid);

 private:
  static void on_log(void* self, int level, const char* message);
  std::string last_message();

  PJ_CONTEXT* ctx_;
  std::string last_log_;
  std::map<std::pair<int, int>, Result<PJ*>> ops_;
  std::map<int, Result<double>> units_;
};

// This thread's context.
ProjContext& proj();

}  // namespace nongsan::geo
