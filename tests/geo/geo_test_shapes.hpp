// Shapes for the tests of src/geo, written in WKT.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo::test_shapes {

// `text` read as a geometry in `srid`; a test that writes bad WKT fails here, naming it.
inline Geometry wkt(const std::string& text, int srid = kWgs84) {
  auto g = from_wkt(text, srid);
  EXPECT_TRUE(g.ok()) << text << ": " << (g.ok() ? "" : g.error().message);
  return g.ok() ? *g : Geometry{};
}

}  // namespace nongsan::geo::test_shapes
