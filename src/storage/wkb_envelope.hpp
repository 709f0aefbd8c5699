// Reads the bounding box of an ISO/OGC WKB geometry without a geometry library,
// for the GeoPackage blob header and R-tree triggers (storage must not depend on geo/).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace nongsan::storage {

struct Envelope {
  double min_x, max_x, min_y, max_y;
};

// nullopt for an empty geometry; throws std::runtime_error on malformed WKB.
std::optional<Envelope> wkb_envelope(std::span<const std::uint8_t> wkb);

}  // namespace nongsan::storage
