// The bounding box of a WKB geometry, for the GeoPackage blob header and R-tree
// triggers (storage must not depend on geo/): core/wkb.hpp reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/wkb.hpp"

namespace nongsan::storage {

using Envelope = wkb::Envelope;

// nullopt for an empty geometry; throws std::runtime_error on malformed WKB (the
// database layer turns that into a storage error).
std::optional<Envelope> wkb_envelope(std::span<const std::uint8_t> wkb);

}  // namespace nongsan::storage
