// Reading and writing OGC well-known binary (WKB) without a geometry library: the
// one WKB reader of the project, for the layers that must not link GEOS (storage's
// GeoPackage envelopes, the report charts) and for the readers that lay
// coordinates out themselves (the overlap check, zonal areas, the demo).
//
// Reads ISO WKB and PostGIS EWKB: either byte order; 2D, Z, M and ZM (the extra
// ordinates are read past, only x and y are kept); an EWKB SRID is skipped.
// Nothing is read past the end of the bytes; counts are checked against the bytes
// left before anything is allocated; collections nest at most kMaxDepth deep.
// Failures are values (Result, or false with problem()), never exceptions.
// Depends on the standard library and core/result.hpp only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::wkb {

struct Point {
  double x = 0, y = 0;
};
using Ring = std::vector<Point>;          // as stored: closed when the source was
using Polygon = std::vector<Ring>;        // shell first, then holes
using MultiPolygon = std::vector<Polygon>;

// Base geometry types (the type code without its dimension part).
inline constexpr std::uint32_t kPoint = 1, kLineString = 2, kPolygon = 3, kMultiPoint = 4, kMultiLineString = 5,
                               kMultiPolygon = 6, kCollection = 7;
// Collections inside collections deeper than this are refused.
inline constexpr int kMaxDepth = 32;

// "Polygon", "MultiPolygon", "CircularString", ...; "geometry type N" otherwise.
std::string type_name(std::uint32_t base_type);

struct Header {
  bool little_endian = true;
  std::uint32_t type = 0;  // base type (kPoint ... kCollection, or another OGC code)
  int dimensions = 2;      // 2, 3 (Z or M) or 4 (ZM)
};

// A bounds-checked cursor, for readers that decide themselves where coordinates
// go. Every function returns false on a problem and leaves it in problem().
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : d_(bytes) {}

  // Byte order and type of the next geometry (EWKB SRID skipped).
  bool header(Header& h);
  // A count of points, rings or parts. Fails when `n` items of at least
  // `min_item_bytes` each cannot fit in the bytes left.
  bool count(const Header& h, std::uint32_t& n, std::size_t min_item_bytes);
  // The next `n` coordinates into out[0..n) (x and y only).
  bool points(const Header& h, std::uint32_t n, Point* out);
  // Skips `n` coordinates.
  bool skip_points(const Header& h, std::uint32_t n);
  // Coordinate `i` ahead of the cursor, without moving it. REQUIRES: a count
  // checked by count() covers it.
  Point peek_point(const Header& h, std::uint32_t i) const;

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return d_.size() - pos_; }
  const std::string& problem() const { return problem_; }
  bool fail(std::string message);

 private:
  bool u32(bool little, std::uint32_t& v);
  double f64(bool little, std::size_t at) const;

  std::span<const std::uint8_t> d_;
  std::size_t pos_ = 0;
  std::string problem_;
};

// What read_polygons does with points and lines.
enum class OtherTypes { refuse, skip };

// The polygons of a Polygon, a MultiPolygon or a GeometryCollection of them (at
// any depth up to kMaxDepth); polygons without rings are left out. With
// OtherTypes::skip, points and lines are passed over; with refuse they are an
// error that names their type. The error is invalid_input with the problem as its
// message ("WKB ends early", "a MultiPolygon holds a LineString", ...).
Result<MultiPolygon> read_polygons(std::span<const std::uint8_t> bytes, OtherTypes others = OtherTypes::refuse);

// Every coordinate of any geometry, in the order stored (a MultiPoint's points, a
// polygon's rings one after another).
Result<std::vector<Point>> read_points(std::span<const std::uint8_t> bytes);

struct Envelope {
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};
// The bounding box of any geometry (NaN coordinates of empty points ignored);
// nullopt for an empty one.
Result<std::optional<Envelope>> read_envelope(std::span<const std::uint8_t> bytes);

// 2D little-endian ISO WKB.
std::vector<std::uint8_t> write_polygon(const Polygon& p);
std::vector<std::uint8_t> write_multipolygon(const MultiPolygon& m);

}  // namespace nongsan::wkb
