#include "storage/postgres/pg_codec.hpp"

#include <stdexcept>

namespace nongsan::storage::pg {

namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// End (one past) of the quoted section that starts at `i` with `quote`; a doubled
// quote inside stays inside. With `backslash_escapes` (E'...'), \x escapes x.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash_escapes) {
  std::size_t j = i + 1;
  while (j < sql.size()) {
    if (backslash_escapes && sql[j] == '\\') {
      j += 2;
      continue;
    }
    if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return sql.size();
}

std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
  int depth = 0;  // PostgreSQL block comments nest
  std::size_t j = i;
  while (j + 1 < sql.size()) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      j += 2;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      j += 2;
      if (--depth == 0) return j;
    } else {
      ++j;
    }
  }
  return sql.size();
}

// `i` is at '$'. Returns the end of a dollar-quoted string, or `i` if none starts here.
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t i) {
  if (i > 0 && is_ident_char(sql[i - 1])) return i;  // part of an identifier such as a$b
  std::size_t j = i + 1;
  if (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') return i;  // $1: a positional parameter
  while (j < sql.size() && is_ident_char(sql[j])) ++j;
  if (j >= sql.size() || sql[j] != '$') return i;
  std::string_view tag = sql.substr(i, j - i + 1);
  auto close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::uint8_t> decode_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::runtime_error("odd number of hex digits");
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error("invalid hex digit");
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
  for (auto b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
}

// EWKB type flags (PostGIS liblwgeom/liblwgeom.h).
constexpr std::uint32_t kZFlag = 0x80000000u;
constexpr std::uint32_t kMFlag = 0x40000000u;
constexpr std::uint32_t kSridFlag = 0x20000000u;

std::uint32_t read_u32(std::span<const std::uint8_t> b, std::size_t at, bool little) {
  if (at + 4 > b.size()) throw std::runtime_error("truncated WKB");
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t byte = b[at + static_cast<std::size_t>(i)];
    v |= little ? byte << (8 * i) : byte << (8 * (3 - i));
  }
  return v;
}

void write_u32(std::vector<std::uint8_t>& out, std::uint32_t v, bool little) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<std::uint8_t>(little ? v >> (8 * i) : v >> (8 * (3 - i))));
}

struct TypeCode {
  std::uint32_t base;  // 1 = Point ... 17 = Triangle
  bool z, m;
};

// Accepts both the ISO (+1000/2000/3000) and the extended (flag bit) dimension forms.
TypeCode split_type(std::uint32_t type) {
  TypeCode t{};
  t.z = (type & kZFlag) != 0;
  t.m = (type & kMFlag) != 0;
  std::uint32_t code = type & 0x0FFFFFFFu;
  std::uint32_t iso_dims = code / 1000;
  t.base = code % 1000;
  if (iso_dims == 1 || iso_dims == 3) t.z = true;
  if (iso_dims == 2 || iso_dims == 3) t.m = true;
  return t;
}

std::uint32_t iso_type(const TypeCode& t) { return t.base + (t.z ? 1000 : 0) + (t.m ? 2000 : 0); }

// Copies one EWKB geometry starting at `at` into `out` as ISO WKB, dropping any
// SRID; returns the offset after it. Coordinates are copied untouched.
std::size_t ewkb_to_iso(std::span<const std::uint8_t> in, std::size_t at, std::vector<std::uint8_t>& out,
                        int* srid, int depth) {
  if (depth > 64) throw std::runtime_error("WKB nested too deeply");
  if (at + 5 > in.size()) throw std::runtime_error("truncated WKB");
  std::uint8_t order = in[at];
  if (order > 1) throw std::runtime_error("bad WKB byte order");
  bool little = order == 1;
  std::uint32_t raw = read_u32(in, at + 1, little);
  TypeCode t = split_type(raw);
  std::size_t pos = at + 5;
  if (raw & kSridFlag) {
    std::uint32_t s = read_u32(in, pos, little);
    if (srid) *srid = static_cast<int>(s);
    pos += 4;
  }
  out.push_back(order);
  write_u32(out, iso_type(t), little);

  const std::size_t point_bytes = 8u * (2u + (t.z ? 1u : 0u) + (t.m ? 1u : 0u));
  auto copy = [&](std::size_t n) {
    if (pos + n > in.size() || n > in.size()) throw std::runtime_error("truncated WKB");
    out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(pos),
               in.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n;
  };
  auto count = [&]() {
    std::uint32_t n = read_u32(in, pos, little);
    copy(4);
    return n;
  };
  auto points = [&]() {
    std::uint32_t n = count();
    copy(static_cast<std::size_t>(n) * point_bytes);
  };
  switch (t.base) {
    case 1:  // Point
      copy(point_bytes);
      break;
    case 2:  // LineString
    case 8:  // CircularString
      points();
      break;
    case 3:   // Polygon
    case 17:  // Triangle
      for (std::uint32_t r = count(); r > 0; --r) points();
      break;
    case 4: case 5: case 6: case 7:         // Multi*, GeometryCollection
    case 9: case 10: case 11: case 12:      // CompoundCurve, CurvePolygon, MultiCurve, MultiSurface
    case 15: case 16:                       // PolyhedralSurface, TIN
      for (std::uint32_t n = count(); n > 0; --n) pos = ewkb_to_iso(in, pos, out, nullptr, depth + 1);
      break;
    default:
      throw std::runtime_error("unsupported WKB geometry type " + std::to_string(raw & 0x0FFFFFFFu));
  }
  return pos;
}

}  // namespace

std::string rewrite_placeholders(std::string_view sql, std::size_t& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t end = i;
    if (c == '\'') {
      bool e_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_ident_char(sql[i - 2]));
      end = skip_quoted(sql, i, '\'', e_string);
    } else if (c == '"') {
      end = skip_quoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = skip_block_comment(sql, i);
    } else if (c == '$') {
      end = skip_dollar_quoted(sql, i);
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++count);
      ++i;
      continue;
    }
    if (end == i) end = i + 1;
    out.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string bytea_hex(std::span<const std::uint8_t> bytes) {
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  append_hex(out, bytes);
  return out;
}

std::vector<std::uint8_t> from_bytea_hex(std::string_view text) {
  if (!text.starts_with("\\x")) throw std::runtime_error("bytea value not in hex format");
  return decode_hex(text.substr(2));
}

std::string ewkb_hex(const Geometry& g) {
  const auto& wkb = g.wkb;
  if (wkb.size() < 5 || wkb[0] > 1) throw std::runtime_error("geometry is not WKB");
  bool little = wkb[0] == 1;
  TypeCode t = split_type(read_u32(wkb, 1, little));
  std::uint32_t type = t.base | (t.z ? kZFlag : 0) | (t.m ? kMFlag : 0) | kSridFlag;
  std::vector<std::uint8_t> head;
  head.push_back(wkb[0]);
  write_u32(head, type, little);
  write_u32(head, static_cast<std::uint32_t>(g.srid), little);
  std::string out;
  out.reserve(2 * (wkb.size() + 4));
  append_hex(out, head);
  // Nested geometries keep their ISO type codes; PostGIS reads both forms.
  append_hex(out, std::span(wkb).subspan(5));
  return out;
}

Geometry geometry_from_ewkb_hex(std::string_view hex) { return geometry_from_ewkb(decode_hex(hex)); }

Geometry geometry_from_ewkb(std::span<const std::uint8_t> ewkb) {
  Geometry g;
  g.srid = 0;
  g.wkb.reserve(ewkb.size());
  std::size_t end = ewkb_to_iso(ewkb, 0, g.wkb, &g.srid, 0);
  if (end != ewkb.size()) throw std::runtime_error("trailing bytes after WKB geometry");
  return g;
}

}  // namespace nongsan::storage::pg
