// The one CSV writer and the one Base64 encoder (core/csv, core/base64), with the
// RFC's own examples.
#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/csv.hpp"

namespace nongsan {
namespace {

TEST(Base64, Rfc4648TestVectors) {
  // RFC 4648 §10.
  const std::pair<const char*, const char*> cases[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                      {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                      {"foobar", "Zm9vYmFy"}};
  for (const auto& [in, out] : cases) EXPECT_EQ(base64_encode(in), out) << in;
  EXPECT_EQ(base64_encode(std::string("\x89PNG\r\n\x1a\n", 8)), "iVBORw0KGgo=");
}

TEST(Csv, QuotesWhatMustBeQuotedAndStartsWithABom) {
  EXPECT_EQ(csv::field("Xã Bình Lư"), "Xã Bình Lư");
  EXPECT_EQ(csv::field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv::row({"1", "x,y", ""}), "1,\"x,y\",\r\n");
  EXPECT_EQ(csv::table({"id", "tên"}, {{"1", "chè"}, {"2", "mắc ca"}}), "\xEF\xBB\xBFid,tên\r\n1,chè\r\n2,mắc ca\r\n");
}

}  // namespace
}  // namespace nongsan
