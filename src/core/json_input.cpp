#include "core/json_input.hpp"

#include <set>
#include <vector>

namespace nongsan {

using nlohmann::json;

std::string text_position(std::string_view text, std::size_t byte_offset) {
  if (byte_offset > text.size()) byte_offset = text.size();
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte_offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters, not continuation bytes
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

namespace {

// The deepest nesting and where it first passes `limit`: one linear pass that
// skips strings, so that nothing is built for a hostile document.
std::size_t first_too_deep(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > limit) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::string_view::npos;
}

struct DuplicateKey {
  std::string path;
};

// Builds the path of the current key ("parts[2].name") for the message.
struct Frame {
  bool is_object = false;
  std::set<std::string> keys;
  std::string path;        // of this container
  std::size_t index = 0;   // arrays: next element's index
  std::string last_key;    // objects: the key being read
};

}  // namespace

Result<json> parse_json_input(std::string_view text, std::string_view what, const JsonLimits& limits) {
  const std::string where(what);
  if (text.size() > limits.max_bytes)
    return Error::invalid(where + " is too large (" + std::to_string(text.size() / (1024 * 1024)) + " MiB; at most " +
                              std::to_string(limits.max_bytes / (1024 * 1024)) + " MiB)",
                          {{where, "is too large"}});
  if (auto at = first_too_deep(text, limits.max_depth); at != std::string_view::npos)
    return Error::invalid(where + " nests objects and arrays more than " + std::to_string(limits.max_depth) +
                              " deep (" + text_position(text, at) + ")",
                          {{where, "is nested too deeply"}});

  std::vector<Frame> stack;
  auto child_path = [&]() -> std::string {
    if (stack.empty()) return "";
    const Frame& f = stack.back();
    if (f.is_object) return f.path.empty() ? f.last_key : f.path + "." + f.last_key;
    return f.path + "[" + std::to_string(f.index) + "]";
  };
  auto value_done = [&]() {
    if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
  };
  json::parser_callback_t track = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        Frame f;
        f.is_object = event == json::parse_event_t::object_start;
        f.path = child_path();
        stack.push_back(std::move(f));
        break;
      }
      case json::parse_event_t::key: {
        Frame& f = stack.back();
        f.last_key = parsed.get<std::string>();
        if (limits.reject_duplicate_keys && !f.keys.insert(f.last_key).second)
          throw DuplicateKey{f.path.empty() ? f.last_key : f.path + "." + f.last_key};
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        value_done();
        break;
      case json::parse_event_t::value:
        value_done();
        break;
    }
    return true;
  };

  try {
    return json::parse(text.begin(), text.end(), track, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const DuplicateKey& d) {
    return Error::invalid(where + " gives the key \"" + d.path + "\" twice", {{d.path, "is given twice"}});
  } catch (const json::parse_error& e) {
    // nlohmann's own words ("syntax error while parsing value - invalid literal") are a
    // library's; the position is what a person needs to find the fault.
    return Error::invalid(where + " is not valid JSON at " + text_position(text, e.byte == 0 ? 0 : e.byte - 1),
                          {{where, "is not valid JSON"}});
  } catch (const json::out_of_range&) {
    // 406: a number beyond double's range ("1e400").
    return Error::invalid(where + " holds a number too large to represent", {{where, "holds a number out of range"}});
  } catch (const json::exception&) {
    return Error::invalid(where + " is not valid JSON", {{where, "is not valid JSON"}});
  }
}

}  // namespace nongsan
