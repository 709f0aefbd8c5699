#include "geo/geometry_ops.hpp"

#include "core/json_input.hpp"
#include "geo/coordinate_check.hpp"
#include "geo/geos_context.hpp"
#include "geo/library_messages.hpp"
#include "geo/proj_context.hpp"
#include "geo/projected_geos.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace nongsan::geo {
namespace {

struct TransformState {
  PJ* op;
  bool failed = false;
  double bad_x = 0, bad_y = 0;
};

int transform_xy(double* x, double* y, void* userdata) {
  auto* s = static_cast<TransformState*>(userdata);
  // t = HUGE_VAL: no epoch, so time-dependent operations use their reference epoch.
  const PJ_COORD out = proj_trans(s->op, PJ_FWD, proj_coord(*x, *y, 0, HUGE_VAL));
  if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) {
    s->failed = true;
    s->bad_x = *x;
    s->bad_y = *y;
    return 0;
  }
  *x = out.xy.x;
  *y = out.xy.y;
  return 1;
}

Result<double> area_of(const GEOSGeometry* g) {
  double area = 0;
  if (!GEOSArea_r(geos().h(), g, &area))
    return Error::invalid(plain_geos_message(geos().take_error(), "the area cannot be measured"));
  return area;
}

// GeoJSON (RFC 7946 §3.1) checked by hand: what each type must hold, with the JSON
// path of the first problem. `flat` gets the same geometry with 2D positions.
std::string kind_of(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return "a text";
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "true or false";
  if (v.is_array()) return "a list";
  return "an object";
}
std::string at(const std::string& path) { return path.empty() ? "" : path + ": "; }

Status check_position(const nlohmann::json& p, const std::string& path, nlohmann::json& flat) {
  if (!p.is_array() || p.size() < 2 || p.size() > 3)
    return Error::invalid(at(path) + "a position must be [longitude, latitude] (an altitude may follow), not " +
                          (p.is_array() ? "a list of " + std::to_string(p.size()) : kind_of(p)));
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!p[i].is_number())
      return Error::invalid(at(path + "[" + std::to_string(i) + "]") + "must be a number, not " + kind_of(p[i]));
  const double x = p[0].get<double>(), y = p[1].get<double>();
  if (!std::isfinite(x) || !std::isfinite(y))
    return Error::invalid(at(path) + "the position " + format_point(x, y) + " is not a pair of finite numbers");
  if (x < -180 || x > 180) return Error::invalid(at(path) + "the longitude of " + format_point(x, y) + " is outside −180…180");
  if (y < -90 || y > 90) return Error::invalid(at(path) + "the latitude of " + format_point(x, y) + " is outside −90…90");
  flat = nlohmann::json::array({p[0], p[1]});
  return {};
}

// depth: 0 position, 1 list of positions, 2 list of lists, 3 list of lists of lists.
// min: the fewest positions a list at depth 1 must hold; rings: lists at depth 1 must close.
Status check_coordinates(const nlohmann::json& c, int depth, std::size_t min, bool rings, const std::string& path,
                         nlohmann::json& flat) {
  if (depth == 0) return check_position(c, path, flat);
  if (!c.is_array()) return Error::invalid(at(path) + "must be a list, not " + kind_of(c));
  flat = nlohmann::json::array();
  for (std::size_t i = 0; i < c.size(); ++i) {
    nlohmann::json item;
    if (auto s = check_coordinates(c[i], depth - 1, min, rings, path + "[" + std::to_string(i) + "]", item); !s) return s;
    flat.push_back(std::move(item));
  }
  if (depth == 1) {
    if (c.size() < min)
      return Error::invalid(at(path) + (rings ? "a ring needs at least 4 positions (the first repeated at the end), not "
                                              : "a line needs at least 2 positions, not ") +
                            std::to_string(c.size()));
    if (rings && flat.front() != flat.back())
      return Error::invalid(at(path) + "the ring is not closed: its last position must repeat its first");
  }
  return {};
}

Status check_geojson_geometry(const nlohmann::json& g, const std::string& path, int depth, nlohmann::json& flat) {
  if (!g.is_object()) return Error::invalid(at(path) + "a GeoJSON geometry must be an object, not " + kind_of(g));
  auto type_it = g.find("type");
  if (type_it == g.end() || !type_it->is_string()) return Error::invalid(at(path) + "\"type\" must name the geometry type");
  const std::string type = *type_it;
  const std::string where = path.empty() ? "" : path + ".";
  flat = nlohmann::json{{"type", type}};
  if (type == "GeometryCollection") {
    if (depth >= 32) return Error::invalid(at(path) + "geometry collections nest too deep");
    auto it = g.find("geometries");
    if (it == g.end() || !it->is_array()) return Error::invalid(at(where + "geometries") + "must be a list of geometries");
    nlohmann::json parts = nlohmann::json::array();
    for (std::size_t i = 0; i < it->size(); ++i) {
      nlohmann::json part;
      if (auto s = check_geojson_geometry((*it)[i], where + "geometries[" + std::to_string(i) + "]", depth + 1, part); !s)
        return s;
      parts.push_back(std::move(part));
    }
    flat["geometries"] = std::move(parts);
    return {};
  }
  struct Shape {
    const char* type;
    int depth;
    std::size_t min;
    bool rings;
  };
  static constexpr Shape kShapes[] = {{"Point", 0, 0, false},      {"MultiPoint", 1, 0, false},
                                      {"LineString", 1, 2, false}, {"MultiLineString", 2, 2, false},
                                      {"Polygon", 2, 4, true},     {"MultiPolygon", 3, 4, true}};
  for (const auto& k : kShapes) {
    if (type != k.type) continue;
    auto it = g.find("coordinates");
    if (it == g.end()) return Error::invalid(at(path) + "a " + type + " needs \"coordinates\"");
    nlohmann::json coords;
    if (auto s = check_coordinates(*it, k.depth, k.min, k.rings, where + "coordinates", coords); !s)
      return s;
    flat["coordinates"] = std::move(coords);
    return {};
  }
  if (type == "Feature" || type == "FeatureCollection")
    return Error::invalid(at(path) + "a " + type + " is not a geometry: give the feature's \"geometry\" object");
  return Error::invalid(at(path) + "unknown geometry type '" + type +
                        "' (Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection; "
                        "the case matters)");
}

int round_xy(double* x, double* y, void* userdata) {
  const double scale = *static_cast<const double*>(userdata);
  *x = std::round(*x * scale) / scale;
  *y = std::round(*y * scale) / scale;
  return 1;
}

}  // namespace

Result<GeomPtr> transform_geom(const GEOSGeometry* g, int from, int to) {
  if (from <= 0) return Error::invalid("geometry has no SRID, so it cannot be transformed");
  if (to <= 0) return Error::invalid("invalid target SRID " + std::to_string(to));
  if (from == to) return GeomPtr(GEOSGeom_clone_r(geos().h(), g));
  auto op = proj().operation(from, to);
  if (!op) return op.error();
  proj_errno_reset(*op);
  TransformState state{*op};
  GEOSGeometry* out = GEOSGeom_transformXY_r(geos().h(), g, &transform_xy, &state);
  if (!out) {
    if (state.failed) {
      const std::string point = format_point(state.bad_x, state.bad_y);
      if (!std::isfinite(state.bad_x) || !std::isfinite(state.bad_y))
        return Error::invalid("the point " + point + " has a coordinate that is not a finite number");
      return Error::invalid("the point " + point + " cannot be transformed from EPSG:" + std::to_string(from) +
                            " to EPSG:" + std::to_string(to) + ": it lies outside the area that CRS covers");
    }
    return Error::invalid(plain_geos_message(geos().take_error(), "the geometry cannot be transformed"));
  }
  return GeomPtr(out);
}

// Parses g and brings it into `srid`.
Result<GeomPtr> parse_in(const Geometry& g, int srid) {
  auto p = parse(g);
  if (!p || g.srid == srid) return p;
  return transform_geom(p->get(), g.srid, srid);
}

Result<double> area_m2(const Geometry& g, int projected_srid) {
  auto factor = proj().metres_per_unit(projected_srid);
  if (!factor) return factor.error();
  auto p = parse_in(g, projected_srid);
  if (!p) return p.error();
  auto area = area_of(p->get());
  if (!area) return area.error();
  return *area * *factor * *factor;
}

Result<Geometry> transform(const Geometry& g, int to_srid) {
  auto p = parse_in(g, to_srid);
  if (!p) return p.error();
  return serialize(p->get(), to_srid);
}

Result<Geometry> from_wkt(const std::string& wkt, int srid) {
  auto& t = geos();
  t.clear_error();
  GEOSGeometry* p = GEOSWKTReader_read_r(t.h(), t.wkt_reader(), wkt.c_str());
  if (!p) return Error::invalid("invalid WKT: " + plain_geos_message(t.take_error(), "the text is not a geometry"));
  GeomPtr owned(p);
  return serialize(p, srid);
}

Result<std::string> to_wkt(const Geometry& g, int decimals) {
  auto p = parse(g);
  if (!p) return p.error();
  auto& t = geos();
  GEOSWKTWriter_setRoundingPrecision_r(t.h(), t.wkt_writer(), std::clamp(decimals, 0, 17));
  char* text = GEOSWKTWriter_write_r(t.h(), t.wkt_writer(), p->get());
  if (!text) return Error::internal("could not write WKT: " + t.take_error());
  return take_string(text);
}

Result<Geometry> from_geojson(const std::string& geojson_geometry) {
  // GEOS's reader is lenient where it should not be (a FeatureCollection reads as an
  // empty collection, a ring without positions as an empty polygon) and strict where
  // GeoJSON is not (an altitude is refused); its messages are a JSON library's. The
  // structure is checked here first, with the JSON path of the problem, and GEOS gets
  // the 2D positions.
  auto doc = parse_json_input(geojson_geometry, "the geometry");
  if (!doc) return Error::invalid(doc.error().message);
  nlohmann::json flat;
  if (auto s = check_geojson_geometry(*doc, "", 0, flat); !s) return s.error();
  auto& t = geos();
  t.clear_error();
  GEOSGeometry* p = GEOSGeoJSONReader_readGeometry_r(t.h(), t.json_reader(), flat.dump().c_str());
  if (!p) return Error::invalid(plain_geos_message(t.take_error(), "the GeoJSON geometry cannot be read"));
  GeomPtr owned(p);
  return serialize(p, kWgs84);
}

Result<std::string> to_geojson(const Geometry& g, int decimals) {
  auto p = parse_in(g, kWgs84);
  if (!p) return p.error();
  // The GEOS writer prints the shortest text that reads back as the same double,
  // so rounding the coordinates is what limits the decimals.
  double scale = std::pow(10.0, std::clamp(decimals, 0, 15));
  auto& t = geos();
  GeomPtr rounded(GEOSGeom_transformXY_r(t.h(), p->get(), &round_xy, &scale));
  if (!rounded) return Error::internal("could not round coordinates: " + t.take_error());
  char* text = GEOSGeoJSONWriter_writeGeometry_r(t.h(), t.json_writer(), rounded.get(), -1);
  if (!text) return Error::internal("could not write GeoJSON: " + t.take_error());
  return take_string(text);
}

bool is_valid(const Geometry& g, std::string* reason) {
  auto p = parse(g);
  if (!p) {
    if (reason) *reason = p.error().message;
    return false;
  }
  const auto h = geos().h();
  const char valid = GEOSisValid_r(h, p->get());
  if (valid == 1) {
    if (reason) reason->clear();
    return true;
  }
  if (reason)
    *reason = valid == 0 ? plain_validity_reason(take_string(GEOSisValidReason_r(h, p->get())))
                         : plain_geos_message(geos().take_error(), "its validity cannot be decided");
  return false;
}

Result<Geometry> as_multipolygon(const Geometry& g) {
  auto p = parse(g);
  if (!p) return p.error();
  const auto h = geos().h();
  switch (GEOSGeomTypeId_r(h, p->get())) {
    case GEOS_MULTIPOLYGON:
      return serialize(p->get(), g.srid);
    case GEOS_POLYGON: {
      GEOSGeometry* part = p->release();
      GeomPtr multi(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &part, 1));
      return serialize(multi.get(), g.srid);
    }
    default:
      return Error::invalid("expected a Polygon or MultiPolygon, got a " + type_name(p->get()));
  }
}

Result<Geometry> union_all(const std::vector<Geometry>& parts) {
  if (parts.empty()) return Error::invalid("union of no geometries");
  const int srid = parts.front().srid;
  std::vector<GeomPtr> owned;
  owned.reserve(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto p = parse_in(parts[i], srid);
    if (!p) return Error::invalid("part " + std::to_string(i + 1) + ": " + p.error().message);
    owned.push_back(std::move(*p));
  }
  const auto h = geos().h();
  std::vector<GEOSGeometry*> raw;
  raw.reserve(owned.size());
  for (auto& p : owned) raw.push_back(p.release());
  GeomPtr collection(
      GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())));
  auto merged = checked(GEOSUnaryUnion_r(h, collection.get()), "union");
  if (!merged) return merged.error();
  return serialize(merged->get(), srid);
}

Result<Geometry> intersection(const Geometry& a, const Geometry& b) {
  auto pa = parse(a);
  if (!pa) return pa.error();
  auto pb = parse_in(b, a.srid);
  if (!pb) return pb.error();
  auto out = checked(GEOSIntersection_r(geos().h(), pa->get(), pb->get()), "intersection");
  if (!out) return out.error();
  return serialize(out->get(), a.srid);
}

Result<bool> contains_point(const Geometry& g, double x, double y) {
  auto p = parse(g);
  if (!p) return p.error();
  const auto h = geos().h();
  GeomPtr point(GEOSGeom_createPointFromXY_r(h, x, y));
  const char inside = GEOSContains_r(h, p->get(), point.get());
  if (inside == 2) return Error::invalid(plain_geos_message(geos().take_error(), "the point test failed"));
  return inside == 1;
}

Result<double> intersection_area_m2(const Geometry& a, const Geometry& b, int projected_srid) {
  auto factor = proj().metres_per_unit(projected_srid);
  if (!factor) return factor.error();
  auto pa = parse_in(a, projected_srid);
  if (!pa) return pa.error();
  auto pb = parse_in(b, projected_srid);
  if (!pb) return pb.error();
  auto common = checked(GEOSIntersection_r(geos().h(), pa->get(), pb->get()), "intersection");
  if (!common) return common.error();
  auto area = area_of(common->get());
  if (!area) return area.error();
  return *area * *factor * *factor;
}

Result<bool> same_shape(const Geometry& a, const Geometry& b, double tolerance) {
  auto pa = parse(a);
  if (!pa) return pa.error();
  auto pb = parse_in(b, a.srid);
  if (!pb) return pb.error();
  const auto h = geos().h();
  const bool empty_a = GEOSisEmpty_r(h, pa->get()) == 1, empty_b = GEOSisEmpty_r(h, pb->get()) == 1;
  if (empty_a || empty_b) return empty_a == empty_b;
  const int dimension = GEOSGeom_getDimensions_r(h, pa->get());
  if (dimension != GEOSGeom_getDimensions_r(h, pb->get())) return false;
  // The distance from a point to a polygon is zero anywhere inside it, so polygons
  // are compared by their rings; otherwise a missing hole would go unnoticed.
  GeomPtr ea, eb;
  if (dimension == 2) {
    auto ba = checked(GEOSBoundary_r(h, pa->get()), "boundary");
    if (!ba) return ba.error();
    auto bb = checked(GEOSBoundary_r(h, pb->get()), "boundary");
    if (!bb) return bb.error();
    ea = std::move(*ba);
    eb = std::move(*bb);
  } else {
    ea = std::move(*pa);
    eb = std::move(*pb);
  }
  double distance = 0;
  if (!GEOSHausdorffDistance_r(h, ea.get(), eb.get(), &distance))
    return Error::invalid(plain_geos_message(geos().take_error(), "the shapes cannot be compared"));
  return distance <= tolerance;
}

Result<Geometry> snap_to_grid(const Geometry& g, double grid) {
  if (!(grid > 0)) return Error::invalid("the grid size must be positive");
  auto p = parse(g);
  if (!p) return p.error();
  // GEOS snap-rounds robustly and returns a valid geometry on the grid.
  auto out = checked(GEOSGeom_setPrecision_r(geos().h(), p->get(), grid, 0), "snap to grid");
  if (!out) return out.error();
  return serialize(out->get(), g.srid);
}

Result<Geometry> buffer_m(const Geometry& g, double metres, int projected_srid) {
  auto factor = proj().metres_per_unit(projected_srid);
  if (!factor) return factor.error();
  auto p = parse_in(g, projected_srid);
  if (!p) return p.error();
  auto out = checked(GEOSBuffer_r(geos().h(), p->get(), metres / *factor, 8), "buffer");
  if (!out) return out.error();
  return serialize(out->get(), projected_srid);
}

Result<Geometry> simplify(const Geometry& g, double tolerance) {
  if (!(tolerance >= 0)) return Error::invalid("simplify tolerance must be zero or more");
  auto p = parse(g);
  if (!p) return p.error();
  auto out = checked(GEOSTopologyPreserveSimplify_r(geos().h(), p->get(), tolerance), "simplify");
  if (!out) return out.error();
  return serialize(out->get(), g.srid);
}

std::optional<Bounds> bounds(const Geometry& g) {
  auto p = parse(g);
  if (!p) return std::nullopt;
  const auto h = geos().h();
  if (GEOSisEmpty_r(h, p->get()) != 0) return std::nullopt;
  Bounds b{};
  if (!GEOSGeom_getXMin_r(h, p->get(), &b.min_x) || !GEOSGeom_getYMin_r(h, p->get(), &b.min_y) ||
      !GEOSGeom_getXMax_r(h, p->get(), &b.max_x) || !GEOSGeom_getYMax_r(h, p->get(), &b.max_y))
    return std::nullopt;
  return b;
}

Result<std::vector<Geometry>> voronoi_cells(const std::vector<std::pair<double, double>>& seeds, const Geometry& clip) {
  auto area = parse(clip);
  if (!area) return area.error();
  const auto h = geos().h();
  if (GEOSGeom_getDimensions_r(h, area->get()) != 2)
    return Error::invalid("Voronoi clip must be a polygon, got a " + type_name(area->get()));
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!std::isfinite(seeds[i].first) || !std::isfinite(seeds[i].second))
      return Error::invalid("seed " + std::to_string(i + 1) + " has a coordinate that is not a number");
  }
  {
    // GEOS merges equal sites into one cell, which would leave a seed without one.
    std::vector<std::pair<std::pair<double, double>, std::size_t>> sorted;
    for (std::size_t i = 0; i < seeds.size(); ++i) sorted.push_back({seeds[i], i});
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].first == sorted[i - 1].first)
        return Error::invalid("seeds " + std::to_string(std::min(sorted[i - 1].second, sorted[i].second) + 1) +
                              " and " + std::to_string(std::max(sorted[i - 1].second, sorted[i].second) + 1) +
                              " are the same point");
    }
  }

  std::vector<Geometry> out;
  if (seeds.empty()) return out;
  auto clipped = [&](const GEOSGeometry* cell) -> Result<Geometry> {
    auto part = checked(GEOSIntersection_r(h, cell, area->get()), "clipping a Voronoi cell");
    if (!part) return part.error();
    return serialize(multipolygon_of(part->get()).get(), clip.srid);
  };
  if (seeds.size() == 1) {
    auto whole = serialize(multipolygon_of(area->get()).get(), clip.srid);
    if (!whole) return whole.error();
    out.push_back(std::move(*whole));
    return out;
  }

  std::vector<GEOSGeometry*> points;
  points.reserve(seeds.size());
  for (const auto& [x, y] : seeds) points.push_back(GEOSGeom_createPointFromXY_r(h, x, y));
  GeomPtr sites(GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(), static_cast<unsigned>(points.size())));
  // The envelope argument makes the diagram cover at least the clip's extent.
  auto diagram = checked(GEOSVoronoiDiagram_r(h, sites.get(), area->get(), 0.0, 0), "Voronoi diagram");
  if (!diagram) return diagram.error();

  // GEOS 3.11 does not keep the input order of sites, so each cell is matched to
  // the one seed it contains.
  std::vector<const GEOSGeometry*> cell_of(seeds.size(), nullptr);
  const int cells = GEOSGetNumGeometries_r(h, diagram->get());
  for (int c = 0; c < cells; ++c) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(h, diagram->get(), c);
    PreparedPtr prepared(GEOSPrepare_r(h, cell));
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      if (cell_of[i]) continue;
      if (GEOSPreparedContains_r(h, prepared.get(), GEOSGetGeometryN_r(h, sites.get(), static_cast<int>(i))) == 1) {
        cell_of[i] = cell;
        break;
      }
    }
  }
  out.reserve(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!cell_of[i]) return Error::internal("no Voronoi cell found for seed " + std::to_string(i + 1));
    auto cell = clipped(cell_of[i]);
    if (!cell) return cell.error();
    out.push_back(std::move(*cell));
  }
  return out;
}

}  // namespace nongsan::geo
