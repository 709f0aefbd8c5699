// parse_json_input (core/json_input.hpp): every JSON document from outside — request
// bodies, files, reviews to render — goes through it. Any input must give a value or
// an invalid_input error, never a crash; a value must serialise again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = nongsan::parse_json_input(text, "fuzz input", {.max_depth = 64, .max_bytes = 1 << 20});
  if (parsed.ok()) {
    (void)parsed->dump();  // strings were checked as UTF-8: dumping must not throw
  } else if (parsed.error().code != nongsan::ErrorCode::invalid_input) {
    __builtin_trap();
  }
  return 0;
}
