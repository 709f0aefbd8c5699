#include "geo/geos_context.hpp"

#include "geo/library_messages.hpp"

namespace nongsan::geo {

GeosContext::GeosContext() : h_(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(h_, &GeosContext::on_error, this);
  GEOSContext_setNoticeMessageHandler_r(h_, &GeosContext::on_notice, nullptr);
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

GeosContext::~GeosContext() {
  GEOSWKBReader_destroy_r(h_, wkb_reader_);
  GEOSWKBWriter_destroy_r(h_, wkb_writer_);
  GEOSWKTReader_destroy_r(h_, wkt_reader_);
  GEOSWKTWriter_destroy_r(h_, wkt_writer_);
  GEOSGeoJSONReader_destroy_r(h_, json_reader_);
  GEOSGeoJSONWriter_destroy_r(h_, json_writer_);
  GEOS_finish_r(h_);
}

void GeosContext::on_error(const char* message, void* self) {
  static_cast<GeosContext*>(self)->last_error_ = message ? message : "";
}

std::string GeosContext::take_error() {
  std::string m = std::move(last_error_);
  last_error_.clear();
  return m;
}

GeosContext& geos() {
  thread_local GeosContext t;
  return t;
}

std::string take_string(char* s) {
  std::string out = s ? s : "";
  if (s) GEOSFree_r(geos().h(), s);
  return out;
}

Result<GeomPtr> parse(const storage::Geometry& g) {
  if (g.wkb.empty()) return Error::invalid("the geometry is empty: it has no bytes");
  auto& t = geos();
  t.clear_error();
  GEOSGeometry* p = GEOSWKBReader_read_r(t.h(), t.wkb_reader(), g.wkb.data(), g.wkb.size());
  if (!p) return Error::invalid(plain_geos_message(t.take_error(), "the geometry cannot be read"));
  return GeomPtr(p);
}

Result<storage::Geometry> serialize(const GEOSGeometry* p, int srid) {
  auto& t = geos();
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(t.h(), t.wkb_writer(), p, &size);
  if (!buf) return Error::internal("could not write WKB: " + t.take_error());
  storage::Geometry out;
  out.wkb.assign(buf, buf + size);
  out.srid = srid;
  GEOSFree_r(t.h(), buf);
  return out;
}

Result<GeomPtr> checked(GEOSGeometry* p, const char* operation) {
  if (!p) return Error::invalid(plain_geos_message(geos().take_error(), std::string(operation) + " failed"));
  return GeomPtr(p);
}

std::string type_name(const GEOSGeometry* g) { return take_string(GEOSGeomType_r(geos().h(), g)); }

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

}  // namespace nongsan::geo
