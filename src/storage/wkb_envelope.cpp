#include "storage/wkb_envelope.hpp"

#include <stdexcept>

namespace nongsan::storage {

std::optional<Envelope> wkb_envelope(std::span<const std::uint8_t> wkb) {
  auto env = wkb::read_envelope(wkb);
  if (!env) throw std::runtime_error("malformed WKB: " + env.error().message);
  return *env;
}

}  // namespace nongsan::storage
