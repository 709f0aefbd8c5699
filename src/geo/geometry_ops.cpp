#include "geo/geometry_ops.hpp"

#include <geos_c.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace nongsan::geo {
namespace {

// ---------------------------------------------------------------------------
// GEOS: one context per thread. The C API's _r functions are reentrant as long as
// a context is never shared between threads, so each thread gets its own, with
// its readers and writers, and geometries never leave the thread that made them.

class GeosThread {
 public:
  GeosThread() : h_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(h_, &GeosThread::on_error, this);
    GEOSContext_setNoticeMessageHandler_r(h_, &GeosThread::on_notice, nullptr);
    wkb_reader_ = GEOSWKBReader_create_r(h_);
    wkb_writer_ = GEOSWKBWriter_create_r(h_);
    GEOSWKBWriter_setOutputDimension_r(h_, wkb_writer_, 2);
    GEOSWKBWriter_setByteOrder_r(h_, wkb_writer_, GEOS_WKB_NDR);
    GEOSWKBWriter_setFlavor_r(h_, wkb_writer_, GEOS_WKB_ISO);
    GEOSWKBWriter_setIncludeSRID_r(h_, wkb_writer_, 0);
    wkt_reader_ = GEOSWKTReader_create_r(h_);
    wkt_writer_ = GEOSWKTWriter_create_r(h_);
    GEOSWKTWriter_setTrim_r(h_, wkt_writer_, 1);
    GEOSWKTWriter_setOutputDimension_r(h_, wkt_writer_, 2);
    json_reader_ = GEOSGeoJSONReader_create_r(h_);
    json_writer_ = GEOSGeoJSONWriter_create_r(h_);
  }
  ~GeosThread() {
    GEOSWKBReader_destroy_r(h_, wkb_reader_);
    GEOSWKBWriter_destroy_r(h_, wkb_writer_);
    GEOSWKTReader_destroy_r(h_, wkt_reader_);
    GEOSWKTWriter_destroy_r(h_, wkt_writer_);
    GEOSGeoJSONReader_destroy_r(h_, json_reader_);
    GEOSGeoJSONWriter_destroy_r(h_, json_writer_);
    GEOS_finish_r(h_);
  }
  GeosThread(const GeosThread&) = delete;
  GeosThread& operator=(const GeosThread&) = delete;

  GEOSContextHandle_t h() const { return h_; }
  GEOSWKBReader* wkb_reader() const { return wkb_reader_; }
  GEOSWKBWriter* wkb_writer() const { return wkb_writer_; }
  GEOSWKTReader* wkt_reader() const { return wkt_reader_; }
  GEOSWKTWriter* wkt_writer() const { return wkt_writer_; }
  GEOSGeoJSONReader* json_reader() const { return json_reader_; }
  GEOSGeoJSONWriter* json_writer() const { return json_writer_; }

  void clear_error() { last_error_.clear(); }
  // The message of the last GEOS error on this thread; clears it.
  std::string take_error() {
    std::string m = last_error_.empty() ? std::string("unknown GEOS error") : std::move(last_error_);
    last_error_.clear();
    return m;
  }

 private:
  static void on_error(const char* message, void* self) { static_cast<GeosThread*>(self)->last_error_ = message; }
  static void on_notice(const char*, void*) {}

  GEOSContextHandle_t h_;
  std::string last_error_;
  GEOSWKBReader* wkb_reader_ = nullptr;
  GEOSWKBWriter* wkb_writer_ = nullptr;
  GEOSWKTReader* wkt_reader_ = nullptr;
  GEOSWKTWriter* wkt_writer_ = nullptr;
  GEOSGeoJSONReader* json_reader_ = nullptr;
  GEOSGeoJSONWriter* json_writer_ = nullptr;
};

GeosThread& geos() {
  thread_local GeosThread t;
  return t;
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos().h(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(geos().h(), p); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// A GEOS-allocated C string as std::string.
std::string take_string(char* s) {
  std::string out = s ? s : "";
  if (s) GEOSFree_r(geos().h(), s);
  return out;
}

Result<GeomPtr> parse(const Geometry& g) {
  if (g.wkb.empty()) return Error::invalid("invalid WKB: no bytes");
  auto& t = geos();
  t.clear_error();
  GEOSGeometry* p = GEOSWKBReader_read_r(t.h(), t.wkb_reader(), g.wkb.data(), g.wkb.size());
  if (!p) return Error::invalid("invalid WKB: " + t.take_error());
  return GeomPtr(p);
}

Result<Geometry> serialize(const GEOSGeometry* p, int srid) {
  auto& t = geos();
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(t.h(), t.wkb_writer(), p, &size);
  if (!buf) return Error::internal("could not write WKB: " + t.take_error());
  Geometry out;
  out.wkb.assign(buf, buf + size);
  out.srid = srid;
  GEOSFree_r(t.h(), buf);
  return out;
}

// Wraps the result of a GEOS operation, turning NULL into an error that names it.
Result<GeomPtr> checked(GEOSGeometry* p, const char* operation) {
  if (!p) return Error::invalid(std::string(operation) + " failed: " + geos().take_error());
  return GeomPtr(p);
}

std::string type_name(const GEOSGeometry* g) { return take_string(GEOSGeomType_r(geos().h(), g)); }

// ---------------------------------------------------------------------------
// PROJ: one context per thread with its transformations cached per SRID pair.
// Creating a PJ costs a database lookup (milliseconds); applying it costs
// microseconds, and the server transforms every parcel it measures.

class ProjThread {
 public:
  ProjThread() : ctx_(proj_context_create()) { proj_log_func(ctx_, this, &ProjThread::on_log); }
  ~ProjThread() {
    for (auto& [key, op] : ops_) proj_destroy(op);
    proj_context_destroy(ctx_);
  }
  ProjThread(const ProjThread&) = delete;
  ProjThread& operator=(const ProjThread&) = delete;

  // A transformation from one EPSG code to another with x = easting/longitude.
  Result<PJ*> operation(int from, int to) {
    if (auto it = ops_.find({from, to}); it != ops_.end()) return it->second;
    last_log_.clear();
    const std::string a = "EPSG:" + std::to_string(from), b = "EPSG:" + std::to_string(to);
    PJ* raw = proj_create_crs_to_crs(ctx_, a.c_str(), b.c_str(), nullptr);
    if (!raw) return Error::invalid("no transformation from " + a + " to " + b + ": " + last_message());
    PJ* normalized = proj_normalize_for_visualization(ctx_, raw);
    proj_destroy(raw);
    if (!normalized) return Error::invalid("no transformation from " + a + " to " + b + ": " + last_message());
    ops_.emplace(std::pair{from, to}, normalized);
    return normalized;
  }

  // Metres per unit of a projected CRS's first axis; an error for any other CRS,
  // so that nobody measures an area in square degrees.
  Result<double> metres_per_unit(int srid) {
    if (auto it = units_.find(srid); it != units_.end()) return it->second;
    last_log_.clear();
    const std::string code = "EPSG:" + std::to_string(srid);
    PJ* crs = proj_create(ctx_, code.c_str());
    if (!crs) return Error::invalid("unknown CRS " + code + ": " + last_message());
    if (proj_get_type(crs) != PJ_TYPE_PROJECTED_CRS) {
      proj_destroy(crs);
      return Error::invalid(code + " is not a projected CRS; areas need one in metres, such as EPSG:9205");
    }
    PJ* cs = proj_crs_get_coordinate_system(ctx_, crs);
    double factor = 0;
    const int ok =
        cs ? proj_cs_get_axis_info(ctx_, cs, 0, nullptr, nullptr, nullptr, &factor, nullptr, nullptr, nullptr) : 0;
    proj_destroy(cs);
    proj_destroy(crs);
    if (!ok || !(factor > 0)) return Error::invalid("cannot read the axis unit of " + code);
    units_.emplace(srid, factor);
    return factor;
  }

 private:
  static void on_log(void* self, int level, const char* message) {
    if (level == PJ_LOG_ERROR) static_cast<ProjThread*>(self)->last_log_ = message;
  }
  std::string last_message() {
    const int err = proj_context_errno(ctx_);
    if (!last_log_.empty()) return last_log_;
    if (err) return proj_context_errno_string(ctx_, err);
    return "unknown PROJ error";
  }

  PJ_CONTEXT* ctx_;
  std::string last_log_;
  std::map<std::pair<int, int>, PJ*> ops_;
  std::map<int, double> units_;
};

ProjThread& proj() {
  thread_local ProjThread t;
  return t;
}

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
      return Error::invalid("coordinate (" + std::to_string(state.bad_x) + ", " + std::to_string(state.bad_y) +
                            ") cannot be transformed from EPSG:" + std::to_string(from) +
                            " to EPSG:" + std::to_string(to));
    }
    return Error::invalid("transformation failed: " + geos().take_error());
  }
  return GeomPtr(out);
}

// Parses g and brings it into `srid`.
Result<GeomPtr> parse_in(const Geometry& g, int srid) {
  auto p = parse(g);
  if (!p || g.srid == srid) return p;
  return transform_geom(p->get(), g.srid, srid);
}

Result<double> area_of(const GEOSGeometry* g) {
  double area = 0;
  if (!GEOSArea_r(geos().h(), g, &area)) return Error::invalid("area failed: " + geos().take_error());
  return area;
}

int round_xy(double* x, double* y, void* userdata) {
  const double scale = *static_cast<const double*>(userdata);
  *x = std::round(*x * scale) / scale;
  *y = std::round(*y * scale) / scale;
  return 1;
}

// Appends clones of the polygons in g (at any depth of collections) to out.
void collect_polygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
  const auto h = geos().h();
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (!GEOSisEmpty_r(h, g)) out.push_back(GEOSGeom_clone_r(h, g));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collect_polygons(GEOSGetGeometryN_r(h, g, i), out);
  }
}

GeomPtr multipolygon_of(const GEOSGeometry* g) {
  std::vector<GEOSGeometry*> parts;
  collect_polygons(g, parts);
  const auto h = geos().h();
  if (parts.empty()) return GeomPtr(GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON));
  return GeomPtr(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size())));
}

}  // namespace

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
  if (!p) return Error::invalid("invalid WKT: " + t.take_error());
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
  auto& t = geos();
  t.clear_error();
  GEOSGeometry* p = GEOSGeoJSONReader_readGeometry_r(t.h(), t.json_reader(), geojson_geometry.c_str());
  if (!p) return Error::invalid("invalid GeoJSON geometry: " + t.take_error());
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
  if (reason) *reason = valid == 0 ? take_string(GEOSisValidReason_r(h, p->get())) : geos().take_error();
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
  if (inside == 2) return Error::invalid("contains failed: " + geos().take_error());
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
    return Error::invalid("distance failed: " + geos().take_error());
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
