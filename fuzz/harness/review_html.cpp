// The review renderer (`nongsan report render --in REVIEW.json --format html`, and the
// API's document download): a review JSON from outside through parse_json_input, then
// reports::render_review to HTML. Errors are fine; crashes and escapes are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_input.hpp"
#include "reports/review_render.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto doc = parse_json_input(std::string_view(reinterpret_cast<const char*>(data), size), "review");
  if (!doc.ok()) return 0;
  (void)reports::render_review(*doc, "html");
  return 0;
}
