#include "geo/polygonal_intersection.hpp"

#include <geos_c.h>

#include <memory>
#include <string>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {
namespace {

// One GEOS context per thread for this file (geometry_ops.cpp keeps its own private).
class Geos {
 public:
  Geos() : h_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(h_, &Geos::on_error, this);
    reader_ = GEOSWKBReader_create_r(h_);
    writer_ = GEOSWKBWriter_create_r(h_);
    GEOSWKBWriter_setOutputDimension_r(h_, writer_, 2);
    GEOSWKBWriter_setByteOrder_r(h_, writer_, GEOS_WKB_NDR);
    GEOSWKBWriter_setFlavor_r(h_, writer_, GEOS_WKB_ISO);
  }
  ~Geos() {
    GEOSWKBReader_destroy_r(h_, reader_);
    GEOSWKBWriter_destroy_r(h_, writer_);
    GEOS_finish_r(h_);
  }
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;
  GEOSContextHandle_t h() const { return h_; }
  GEOSWKBReader* reader() const { return reader_; }
  GEOSWKBWriter* writer() const { return writer_; }
  std::string take_error() {
    std::string m = last_error_.empty() ? std::string("unknown GEOS error") : std::move(last_error_);
    last_error_.clear();
    return m;
  }

 private:
  static void on_error(const char* message, void* self) { static_cast<Geos*>(self)->last_error_ = message; }
  GEOSContextHandle_t h_;
  GEOSWKBReader* reader_ = nullptr;
  GEOSWKBWriter* writer_ = nullptr;
  std::string last_error_;
};

Geos& geos() {
  thread_local Geos t;
  return t;
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos().h(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

Result<GeomPtr> parse(const storage::Geometry& g) {
  if (g.wkb.empty()) return Error::invalid("invalid WKB: no bytes");
  GEOSGeometry* p = GEOSWKBReader_read_r(geos().h(), geos().reader(), g.wkb.data(), g.wkb.size());
  if (!p) return Error::invalid("invalid WKB: " + geos().take_error());
  return GeomPtr(p);
}

void collect_polygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
  const auto h = geos().h();
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (!GEOSisEmpty_r(h, g)) out.push_back(GEOSGeom_clone_r(h, g));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    for (int i = 0; i < GEOSGetNumGeometries_r(h, g); ++i) collect_polygons(GEOSGetGeometryN_r(h, g, i), out);
  }
}

}  // namespace

Result<storage::Geometry> polygonal_intersection(const storage::Geometry& a, const storage::Geometry& b) {
  auto same_srid = b.srid == a.srid ? Result<storage::Geometry>(b) : transform(b, a.srid);
  if (!same_srid) return same_srid.error();
  auto pa = parse(a);
  if (!pa) return pa.error();
  auto pb = parse(*same_srid);
  if (!pb) return pb.error();
  const auto h = geos().h();
  GeomPtr common(GEOSIntersection_r(h, pa->get(), pb->get()));
  if (!common) return Error::invalid("intersection failed: " + geos().take_error());
  std::vector<GEOSGeometry*> parts;
  collect_polygons(common.get(), parts);
  GeomPtr multi(parts.empty() ? GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON)
                              : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts.data(),
                                                            static_cast<unsigned>(parts.size())));
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(h, geos().writer(), multi.get(), &size);
  if (!buf) return Error::internal("could not write WKB: " + geos().take_error());
  storage::Geometry out;
  out.wkb.assign(buf, buf + size);
  out.srid = a.srid;
  GEOSFree_r(h, buf);
  return out;
}

}  // namespace nongsan::geo
