// Crop suitability profiles from outside (`nongsan import profiles`, the profile
// editor's PUT): JSON through parse_json_input, then parse_crop_profile(s).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_input.hpp"
#include "modules/suitability/crop_profile.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto doc = parse_json_input(std::string_view(reinterpret_cast<const char*>(data), size), "profile");
  if (!doc.ok()) return 0;
  if (doc->is_array())
    (void)suitability::parse_crop_profiles(*doc);
  else
    (void)suitability::parse_crop_profile(*doc);
  return 0;
}
