#include "core/json_input.hpp"

#include <gtest/gtest.h>

#include <string>

namespace nongsan {
namespace {

struct Case {
  const char* name;
  std::string text;
  bool ok;
  const char* message_part;  // in the error message when !ok
  const char* field;         // the FieldError's field when !ok
};

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonInput, TableOfDocuments) {
  const Case cases[] = {
      {"plain object", R"({"a": 1, "b": [1, 2, {"c": "đ"}]})", true, "", ""},
      {"syntax error names line and column", "{\n  \"a\": tru\n}", false, "line 2, column", "body"},
      {"duplicate key at the top", R"({"a": 1, "a": 2})", false, "\"a\" twice", "a"},
      {"duplicate key inside an array element", R"({"parts": [{"x": 1}, {"y": 1, "y": 2}]})", false,
       "\"parts[1].y\" twice", "parts[1].y"},
      {"same key in two objects is fine", R"([{"a": 1}, {"a": 2}])", true, "", ""},
      {"number beyond double", "[1e400]", false, "too large", "body"},
      {"negative number beyond double", "{\"a\": -1e999}", false, "too large", "body"},
      {"64 deep is accepted", nested(64), true, "", ""},
      {"65 deep is refused", nested(65), false, "more than 64 deep", "body"},
      {"100,000 deep is refused without building it", nested(100000), false, "line 1, column 65", "body"},
      {"brackets inside strings do not count", "[\"" + std::string(1000, '[') + "\"]", true, "", ""},
      {"invalid UTF-8 in a string", std::string("[\"a\xff\"]"), false, "not valid JSON", "body"},
      {"empty text", "", false, "not valid JSON", "body"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_json_input(c.text, "body");
    ASSERT_EQ(r.ok(), c.ok) << (r ? "" : r.error().message);
    if (!c.ok) {
      EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
      ASSERT_EQ(r.error().fields.size(), 1u);
      EXPECT_EQ(r.error().fields[0].field, c.field);
      EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
    }
  }
}

TEST(JsonInput, DuplicateKeysMayBeAllowed) {
  JsonLimits lax;
  lax.reject_duplicate_keys = false;
  auto r = parse_json_input(R"({"a": 1, "a": 2})", "x", lax);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["a"], 2);
}

TEST(JsonInput, SizeLimit) {
  JsonLimits small;
  small.max_bytes = 10;
  auto r = parse_json_input("[1,2,3,4,5,6,7]", "x", small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("too large"), std::string::npos);
}

TEST(JsonInput, TextPositionCountsCharactersNotBytes) {
  EXPECT_EQ(text_position("ab\ncd", 4), "line 2, column 2");
  EXPECT_EQ(text_position("Đường x", 9), "line 1, column 6");  // "Đường" is 5 characters, 9 bytes
  EXPECT_EQ(text_position("", 10), "line 1, column 1");
}

}  // namespace
}  // namespace nongsan
