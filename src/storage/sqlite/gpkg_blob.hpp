// GeoPackage geometry blobs (OGC 12-128r18, 2.1.3): a header ("GP", version,
// flags, srs_id, envelope) followed by standard WKB.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "storage/value.hpp"
#include "storage/wkb_envelope.hpp"

namespace nongsan::storage::sqlite {

std::vector<std::uint8_t> encode_gpkg(const Geometry& g);
bool looks_like_gpkg(std::span<const std::uint8_t> blob);
// Throws std::runtime_error on a malformed header.
Geometry decode_gpkg(std::span<const std::uint8_t> blob);
// Envelope from the header if present, else from the WKB; nullopt when empty.
std::optional<Envelope> gpkg_envelope(std::span<const std::uint8_t> blob);
bool gpkg_is_empty(std::span<const std::uint8_t> blob);

}  // namespace nongsan::storage::sqlite
