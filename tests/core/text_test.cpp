#include "core/text.hpp"

#include <gtest/gtest.h>

namespace nongsan {

TEST(FoldVietnamese, SearchWithoutDiacritics) {
  EXPECT_EQ(fold_vietnamese("Mường Tè"), "muong te");
  EXPECT_EQ(fold_vietnamese("Huyện Phong Thổ"), "huyen phong tho");
  EXPECT_EQ(fold_vietnamese("Phường Đoàn Kết"), "phuong doan ket");
  EXPECT_EQ(fold_vietnamese("Xã Lả Nhì Thàng"), "xa la nhi thang");
  // Decomposed input (NFD) folds the same way.
  EXPECT_EQ(fold_vietnamese("Mu\xCC\x9B\xCC\x80o\xCC\x9Bng"), "muong");
}

TEST(NumberFormat, VietnameseConventions) {
  EXPECT_EQ(format_number_vi(1234567.5, 1), "1.234.567,5");
  EXPECT_EQ(format_number_vi(906.95, 2), "906,95");
  EXPECT_EQ(format_number_vi(-1000, 0), "-1.000");
  EXPECT_EQ(format_number_vi(0, 0), "0");
}

TEST(NumberParse, AcceptsBothConventions) {
  EXPECT_DOUBLE_EQ(*parse_number("1.234,5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parse_number("1,234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parse_number("1234,5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parse_number("1234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(*parse_number("1.234.567"), 1234567);
  EXPECT_DOUBLE_EQ(*parse_number("1.234"), 1234);                 // Vietnamese reading first
  EXPECT_DOUBLE_EQ(*parse_number("1.234", /*vietnamese_first=*/false), 1.234);
  EXPECT_DOUBLE_EQ(*parse_number("-12,5"), -12.5);
  for (const char* bad : {"", "1,2,3", "12a", "1.23.4", ",5", "1..2"}) EXPECT_FALSE(parse_number(bad)) << bad;
}

}  // namespace nongsan
