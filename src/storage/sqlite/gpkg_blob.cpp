#include "storage/sqlite/gpkg_blob.hpp"

#include <cstring>
#include <stdexcept>

namespace nongsan::storage::sqlite {

namespace {
void put_u32_le(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_f64_le(std::vector<std::uint8_t>& out, double d) {
  std::uint64_t v;
  std::memcpy(&v, &d, 8);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::size_t envelope_bytes(std::uint8_t flags) {
  switch ((flags >> 1) & 0x7) {
    case 0: return 0;
    case 1: return 32;
    case 2: case 3: return 48;
    case 4: return 64;
    default: throw std::runtime_error("invalid GeoPackage envelope indicator");
  }
}
double get_f64(std::span<const std::uint8_t> b, std::size_t at, bool le) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b[at + (le ? i : 7 - i)]) << (8 * i);
  double d;
  std::memcpy(&d, &v, 8);
  return d;
}
}  // namespace

std::vector<std::uint8_t> encode_gpkg(const Geometry& g) {
  auto env = wkb_envelope(g.wkb);
  std::vector<std::uint8_t> out{'G', 'P', 0};
  std::uint8_t flags = 0x01;  // little-endian header
  if (env) flags |= 0x01 << 1;  // [minx, maxx, miny, maxy]
  else flags |= 0x10;           // empty geometry
  out.push_back(flags);
  put_u32_le(out, static_cast<std::uint32_t>(g.srid));
  if (env) {
    put_f64_le(out, env->min_x);
    put_f64_le(out, env->max_x);
    put_f64_le(out, env->min_y);
    put_f64_le(out, env->max_y);
  }
  out.insert(out.end(), g.wkb.begin(), g.wkb.end());
  return out;
}

bool looks_like_gpkg(std::span<const std::uint8_t> b) {
  return b.size() >= 8 && b[0] == 'G' && b[1] == 'P' && b[2] == 0;
}

Geometry decode_gpkg(std::span<const std::uint8_t> b) {
  if (!looks_like_gpkg(b)) throw std::runtime_error("not a GeoPackage geometry blob");
  std::uint8_t flags = b[3];
  bool le = flags & 0x01;
  std::uint32_t srid = 0;
  for (int i = 0; i < 4; ++i) srid |= static_cast<std::uint32_t>(b[4 + (le ? i : 3 - i)]) << (8 * i);
  std::size_t header = 8 + envelope_bytes(flags);
  if (b.size() < header) throw std::runtime_error("truncated GeoPackage geometry blob");
  Geometry g;
  g.srid = static_cast<int>(srid);
  g.wkb.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return g;
}

std::optional<Envelope> gpkg_envelope(std::span<const std::uint8_t> b) {
  if (!looks_like_gpkg(b)) return std::nullopt;
  std::uint8_t flags = b[3];
  if (flags & 0x10) return std::nullopt;
  bool le = flags & 0x01;
  if (((flags >> 1) & 0x7) != 0 && b.size() >= 40)
    return Envelope{get_f64(b, 8, le), get_f64(b, 16, le), get_f64(b, 24, le), get_f64(b, 32, le)};
  auto g = decode_gpkg(b);
  return wkb_envelope(g.wkb);
}

bool gpkg_is_empty(std::span<const std::uint8_t> b) { return !gpkg_envelope(b).has_value(); }

}  // namespace nongsan::storage::sqlite
