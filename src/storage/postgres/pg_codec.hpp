// Text-format codecs between the storage interface and PostgreSQL: the `?` to `$n`
// placeholder rewrite, bytea hex, and PostGIS hex EWKB <-> ISO WKB + SRID.
// Pure functions without libpq, so that they can be tested on their own.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value.hpp"

namespace nongsan::storage::pg {

// Replaces each `?` outside string literals ('...', E'...', $tag$...$tag$), quoted
// identifiers and comments by $1, $2, ... in order; `count` receives their number.
std::string rewrite_placeholders(std::string_view sql, std::size_t& count);

// "\x0a1b..." (bytea hex output) <-> bytes. Throws std::runtime_error on bad input.
std::string bytea_hex(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> from_bytea_hex(std::string_view text);

// ISO (or extended) WKB + SRID -> hex EWKB with the SRID flag set, as PostGIS reads it.
// Throws std::runtime_error when the WKB is shorter than a header.
std::string ewkb_hex(const Geometry& g);
// Hex EWKB as PostGIS prints a geometry -> ISO WKB (type codes 1000/2000/3000 for
// Z/M/ZM, no SRID) and the SRID. A 2D geometry comes back byte for byte as sent
// in the geometry's byte order. Throws std::runtime_error on malformed input.
Geometry geometry_from_ewkb_hex(std::string_view hex);
// The same from the EWKB bytes themselves (a geometry in a binary-format result).
Geometry geometry_from_ewkb(std::span<const std::uint8_t> ewkb);

}  // namespace nongsan::storage::pg
