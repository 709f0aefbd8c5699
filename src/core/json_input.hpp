// Reading JSON that comes from outside: a request body, a file an official gives,
// a review a user asks to render. One parser with limits for all of them, so that a
// hostile or broken document gets a message that says where it breaks, and never a
// crash or a silent choice:
//   - syntax errors name the line and column;
//   - nesting deeper than `max_depth` is refused before anything is built (code that
//     walks a document recursively — copies, renderers — would otherwise overflow
//     the stack on 100,000 nested arrays);
//   - a key used twice in one object is refused (parsers disagree on which one wins);
//   - numbers beyond double's range (1e400) are refused, never read as infinity;
//   - strings must be valid UTF-8.
// Never throws. Depends on nlohmann-json only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan {

struct JsonLimits {
  int max_depth = 64;                          // objects and arrays inside each other
  std::size_t max_bytes = 256u * 1024 * 1024;  // the whole text
  bool reject_duplicate_keys = true;
};

// `what` names the document in messages ("the request body", "profiles.json").
// The error is invalid_input with one FieldError whose field is `what` (or the
// duplicated key's path).
Result<nlohmann::json> parse_json_input(std::string_view text, std::string_view what, const JsonLimits& limits = {});

// "line 3, column 14" for a byte offset into `text` (columns count UTF-8 characters).
std::string text_position(std::string_view text, std::size_t byte_offset);

}  // namespace nongsan
