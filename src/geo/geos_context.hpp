// The one GEOS adapter of src/geo: a GEOS context per thread with its WKB, WKT and
// GeoJSON readers and writers, owning pointers for GEOS objects, and the reading
// and writing of storage::Geometry. PRIVATE to src/geo: it includes geos_c.h, so
// only .cpp files of this folder include it (callers elsewhere see the public
// headers, which do not).
//
// Threads: GEOS's _r functions are reentrant as long as a context is never shared,
// so each thread has its own (thread_local), and a geometry never leaves the thread
// that made it. Library messages go through plain_geos_message (library_messages.hpp)
// before they reach an Error.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/value.hpp"

namespace nongsan::geo {

class GeosContext {
 public:
  GeosContext();
  ~GeosContext();
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;

  GEOSContextHandle_t h() const { return h_; }
  GEOSWKBReader* wkb_reader() const { return wkb_reader_; }
  GEOSWKBWriter* wkb_writer() const { return wkb_writer_; }  // 2D, little-endian ISO WKB, no SRID
  GEOSWKTReader* wkt_reader() const { return wkt_reader_; }
  GEOSWKTWriter* wkt_writer() const { return wkt_writer_; }  // 2D, trimmed
  GEOSGeoJSONReader* json_reader() const { return json_reader_; }
  GEOSGeoJSONWriter* json_writer() const { return json_writer_; }

  void clear_error() { last_error_.clear(); }
  // GEOS's text of the last error on this thread ("" for none); clears it.
  std::string take_error();

 private:
  static void on_error(const char* message, void* self);
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

// This thread's context.
GeosContext& geos();

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos().h(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(geos().h(), p); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct TreeDeleter {
  void operator()(GEOSSTRtree* t) const { GEOSSTRtree_destroy_r(geos().h(), t); }
};
using TreePtr = std::unique_ptr<GEOSSTRtree, TreeDeleter>;

// A GEOS-allocated C string as std::string (freed).
std::string take_string(char* s);

// Reads a geometry's WKB. The error says in plain words what is wrong with it.
Result<GeomPtr> parse(const storage::Geometry& g);
// 2D little-endian ISO WKB with `srid`.
Result<storage::Geometry> serialize(const GEOSGeometry* p, int srid);
// The result of a GEOS operation, NULL turned into an error naming `operation`.
Result<GeomPtr> checked(GEOSGeometry* p, const char* operation);
// "Polygon", "MultiPolygon", ...
std::string type_name(const GEOSGeometry* g);

// Appends clones of the non-empty polygons in g (at any depth of collections).
void collect_polygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out);
// The polygonal part of g as a MultiPolygon (empty when it has none).
GeomPtr multipolygon_of(const GEOSGeometry* g);

}  // namespace nongsan::geo
