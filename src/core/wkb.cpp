#include "core/wkb.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace nongsan::wkb {

std::string type_name(std::uint32_t base) {
  switch (base) {
    case 1: return "Point";
    case 2: return "LineString";
    case 3: return "Polygon";
    case 4: return "MultiPoint";
    case 5: return "MultiLineString";
    case 6: return "MultiPolygon";
    case 7: return "GeometryCollection";
    case 8: return "CircularString";
    case 9: return "CompoundCurve";
    case 10: return "CurvePolygon";
    case 11: return "MultiCurve";
    case 12: return "MultiSurface";
    case 15: return "PolyhedralSurface";
    case 16: return "TIN";
    case 17: return "Triangle";
    default: return "geometry type " + std::to_string(base);
  }
}

bool Reader::fail(std::string message) {
  problem_ = std::move(message);
  return false;
}

bool Reader::u32(bool little, std::uint32_t& v) {
  if (remaining() < 4) return fail("WKB ends early");
  v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{d_[pos_ + static_cast<std::size_t>(little ? i : 3 - i)]} << (8 * i);
  pos_ += 4;
  return true;
}

double Reader::f64(bool little, std::size_t at) const {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{d_[at + static_cast<std::size_t>(little ? i : 7 - i)]} << (8 * i);
  double out;
  std::memcpy(&out, &v, 8);
  return out;
}

bool Reader::header(Header& h) {
  if (remaining() < 1) return fail("WKB ends early");
  const std::uint8_t order = d_[pos_++];
  if (order > 1) return fail("WKB has a bad byte order mark (" + std::to_string(order) + ")");
  h.little_endian = order == 1;
  std::uint32_t type = 0;
  if (!u32(h.little_endian, type)) return false;
  // EWKB keeps Z, M and SRID in the high bits; ISO adds 1000 (Z), 2000 (M), 3000 (ZM).
  const bool ewkb_z = type & 0x80000000u, ewkb_m = type & 0x40000000u, ewkb_srid = type & 0x20000000u;
  type &= 0x0fffffffu;
  const std::uint32_t iso = type / 1000;
  if (iso > 3) return fail("WKB names an unknown geometry type " + std::to_string(type));
  h.type = type % 1000;
  h.dimensions = 2 + (iso == 1 || iso == 2 ? 1 : 0) + (iso == 3 ? 2 : 0) + (ewkb_z ? 1 : 0) + (ewkb_m ? 1 : 0);
  if (h.dimensions > 4) return fail("WKB declares more than four dimensions");
  if (ewkb_srid) {
    std::uint32_t srid = 0;
    if (!u32(h.little_endian, srid)) return false;
  }
  return true;
}

bool Reader::count(const Header& h, std::uint32_t& n, std::size_t min_item_bytes) {
  if (!u32(h.little_endian, n)) return false;
  if (min_item_bytes > 0 && n > remaining() / min_item_bytes) return fail("WKB ends early");
  return true;
}

bool Reader::points(const Header& h, std::uint32_t n, Point* out) {
  const std::size_t stride = 8 * static_cast<std::size_t>(h.dimensions);
  if (n > remaining() / stride) return fail("WKB ends early");
  if (n == 0) return true;
  if (h.little_endian && h.dimensions == 2 && std::endian::native == std::endian::little) {
    std::memcpy(out, &d_[pos_], n * sizeof(Point));  // the common case: one copy
    pos_ += n * stride;
    return true;
  }
  for (std::uint32_t i = 0; i < n; ++i, pos_ += stride) out[i] = {f64(h.little_endian, pos_), f64(h.little_endian, pos_ + 8)};
  return true;
}

bool Reader::skip_points(const Header& h, std::uint32_t n) {
  const std::size_t stride = 8 * static_cast<std::size_t>(h.dimensions);
  if (n > remaining() / stride) return fail("WKB ends early");
  pos_ += n * stride;
  return true;
}

Point Reader::peek_point(const Header& h, std::uint32_t i) const {
  const std::size_t at = pos_ + static_cast<std::size_t>(i) * 8 * static_cast<std::size_t>(h.dimensions);
  return {f64(h.little_endian, at), f64(h.little_endian, at + 8)};
}

namespace {

static_assert(sizeof(Point) == 16, "Point is read with one copy from WKB");

constexpr std::size_t kMinGeometryBytes = 5;  // byte order + type
constexpr std::size_t kMinRingBytes = 4;      // its count

class PolygonReader {
 public:
  PolygonReader(std::span<const std::uint8_t> b, OtherTypes others) : r_(b), others_(others) {}

  bool geometry(MultiPolygon& out, int depth) {
    if (depth > kMaxDepth) return r_.fail("WKB collections nest more than " + std::to_string(kMaxDepth) + " deep");
    Header h;
    if (!r_.header(h)) return false;
    switch (h.type) {
      case kPolygon: {
        Polygon p;
        if (!polygon(h, p)) return false;
        if (!p.empty()) out.push_back(std::move(p));
        return true;
      }
      case kMultiPolygon:
      case kCollection:
      case kMultiPoint:
      case kMultiLineString: {
        if ((h.type == kMultiPoint || h.type == kMultiLineString) && others_ == OtherTypes::refuse)
          return r_.fail("a " + type_name(h.type) + " is not a polygon");
        std::uint32_t n = 0;
        if (!r_.count(h, n, kMinGeometryBytes)) return false;
        for (std::uint32_t i = 0; i < n; ++i) {
          if (h.type == kMultiPolygon && !part_is_polygon()) return false;
          if (!geometry(out, depth + 1)) return false;
        }
        return true;
      }
      case kPoint:
      case kLineString: {
        if (others_ == OtherTypes::refuse) return r_.fail("a " + type_name(h.type) + " is not a polygon");
        std::uint32_t n = 1;
        if (h.type == kLineString && !r_.count(h, n, 8 * static_cast<std::size_t>(h.dimensions))) return false;
        return r_.skip_points(h, n);
      }
      default:
        return r_.fail("a " + type_name(h.type) + " is not a polygon");
    }
  }
  const std::string& problem() const { return r_.problem(); }

 private:
  bool polygon(const Header& h, Polygon& p) {
    std::uint32_t rings = 0;
    if (!r_.count(h, rings, kMinRingBytes)) return false;
    p.reserve(rings);
    for (std::uint32_t k = 0; k < rings; ++k) {
      std::uint32_t n = 0;
      if (!r_.count(h, n, 8 * static_cast<std::size_t>(h.dimensions))) return false;
      Ring ring(n);
      if (!r_.points(h, n, ring.data())) return false;
      p.push_back(std::move(ring));
    }
    return true;
  }
  // A MultiPolygon may hold only polygons (the part's header is read again by geometry()).
  bool part_is_polygon() {
    Reader peek = r_;
    Header part;
    if (!peek.header(part)) return r_.fail(peek.problem());
    if (part.type != kPolygon) return r_.fail("a MultiPolygon holds a " + type_name(part.type));
    return true;
  }

  Reader r_;
  OtherTypes others_;
};

struct Box {
  double min_x = std::numeric_limits<double>::infinity(), max_x = -min_x, min_y = min_x, max_y = -min_x;
  bool any = false;
  void add(Point p) {
    if (std::isnan(p.x) || std::isnan(p.y)) return;  // an empty point
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
    any = true;
  }
};

// Calls add(point) for every coordinate of the next geometry.
template <typename Add>
bool each_point(Reader& r, Add&& add, int depth) {
  if (depth > kMaxDepth) return r.fail("WKB collections nest more than " + std::to_string(kMaxDepth) + " deep");
  Header h;
  if (!r.header(h)) return false;
  const std::size_t stride = 8 * static_cast<std::size_t>(h.dimensions);
  auto run = [&](std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; ++i) add(r.peek_point(h, i));
    return r.skip_points(h, n);
  };
  std::uint32_t n = 0;
  switch (h.type) {
    case kPoint:
      if (r.remaining() < stride) return r.fail("WKB ends early");
      return run(1);
    case kLineString:
      return r.count(h, n, stride) && run(n);
    case kPolygon: {
      if (!r.count(h, n, kMinRingBytes)) return false;
      for (std::uint32_t k = 0; k < n; ++k) {
        std::uint32_t points = 0;
        if (!r.count(h, points, stride) || !run(points)) return false;
      }
      return true;
    }
    case kMultiPoint:
    case kMultiLineString:
    case kMultiPolygon:
    case kCollection: {
      if (!r.count(h, n, kMinGeometryBytes)) return false;
      for (std::uint32_t i = 0; i < n; ++i)
        if (!each_point(r, add, depth + 1)) return false;
      return true;
    }
    default:
      return r.fail("WKB holds a " + type_name(h.type) + ", which is not supported");
  }
}

void put_u32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_f64(std::vector<std::uint8_t>& b, double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, 8);
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}
void put_polygon(std::vector<std::uint8_t>& b, const Polygon& p) {
  b.push_back(1);
  put_u32(b, kPolygon);
  put_u32(b, static_cast<std::uint32_t>(p.size()));
  for (const auto& r : p) {
    put_u32(b, static_cast<std::uint32_t>(r.size()));
    for (const Point& q : r) {
      put_f64(b, q.x);
      put_f64(b, q.y);
    }
  }
}

}  // namespace

Result<MultiPolygon> read_polygons(std::span<const std::uint8_t> bytes, OtherTypes others) {
  PolygonReader reader(bytes, others);
  MultiPolygon out;
  if (!reader.geometry(out, 0)) return Error::invalid(reader.problem());
  return out;
}

Result<std::optional<Envelope>> read_envelope(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  Box box;
  if (!each_point(r, [&](Point p) { box.add(p); }, 0)) return Error::invalid(r.problem());
  if (!box.any) return std::optional<Envelope>();
  return std::optional<Envelope>(Envelope{box.min_x, box.max_x, box.min_y, box.max_y});
}

Result<std::vector<Point>> read_points(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::vector<Point> out;
  if (!each_point(r, [&](Point p) { out.push_back(p); }, 0)) return Error::invalid(r.problem());
  return out;
}

std::vector<std::uint8_t> write_polygon(const Polygon& p) {
  std::vector<std::uint8_t> b;
  put_polygon(b, p);
  return b;
}

std::vector<std::uint8_t> write_multipolygon(const MultiPolygon& m) {
  std::vector<std::uint8_t> b;
  b.push_back(1);
  put_u32(b, kMultiPolygon);
  put_u32(b, static_cast<std::uint32_t>(m.size()));
  for (const auto& p : m) put_polygon(b, p);
  return b;
}

}  // namespace nongsan::wkb
