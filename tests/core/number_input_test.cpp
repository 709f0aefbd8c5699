#include "core/number_input.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace nongsan {

namespace {
std::string problem_of(const Error& e) { return e.fields.empty() ? "" : e.fields[0].field + ": " + e.fields[0].message; }
}  // namespace

TEST(NumberInput, IntegersAreBoundedByTheirStorageType) {
  EXPECT_EQ(*parse_integer("42", NumberRange::int32(), "year"), 42);
  EXPECT_EQ(*parse_integer("-7", NumberRange::int32(), "x"), -7);
  EXPECT_EQ(*parse_integer("2147483647", NumberRange::int32(), "x"), 2147483647);
  // The value that used to wrap to −2147483648.
  auto big = parse_integer("2147483648", NumberRange::int32(), "members_count");
  ASSERT_FALSE(big);
  EXPECT_EQ(problem_of(big.error()), "members_count: must be between -2147483648 and 2147483647");
  EXPECT_FALSE(parse_integer("99999999999999999999", NumberRange::int64(), "id"));
  EXPECT_EQ(problem_of(parse_integer("9007199254740992", NumberRange::id(), "id").error()),
            "id: must be between 1 and 9007199254740991");
  for (const char* bad : {"", "abc", "1.5", "1e3", " 5", "5 ", "+5", "0x10", "--1", "-", "١٢"})
    EXPECT_EQ(problem_of(parse_integer(bad, NumberRange::int32(), "n").error()), "n: must be an integer") << bad;
}

TEST(NumberInput, FieldsNarrowTheRange) {
  EXPECT_EQ(problem_of(parse_integer("-1", NumberRange::int32(0), "members_count").error()),
            "members_count: must be at least 0");
  EXPECT_EQ(problem_of(parse_integer("501", NumberRange::int32(1, 500), "page_size").error()),
            "page_size: must be between 1 and 500");
  EXPECT_EQ(problem_of(parse_integer("0", NumberRange::id(), "id").error()), "id: must be at least 1");
  EXPECT_EQ(problem_of(parse_real("1.5", NumberRange::real({}, 1), "min_share").error()), "min_share: must be at most 1");
  EXPECT_EQ(*parse_integer("2025", NumberRange::year(), "year"), 2025);
  EXPECT_FALSE(parse_integer("-1", NumberRange::year(), "year"));
}

TEST(NumberInput, RealsAreFiniteDecimalNumbers) {
  EXPECT_DOUBLE_EQ(*parse_real("0.25", NumberRange::real(), "x"), 0.25);
  EXPECT_DOUBLE_EQ(*parse_real("-1.5e3", NumberRange::real(), "x"), -1500);
  EXPECT_DOUBLE_EQ(*parse_real("1e-400", NumberRange::real(), "x"), 0);
  for (const char* bad : {"abc", "inf", "nan", "Infinity", "0x1p3", "1,5", "+1", ".5", "5.", "1e", ""})
    EXPECT_EQ(problem_of(parse_real(bad, NumberRange::real(), "lat").error()), "lat: must be a number") << bad;
  EXPECT_EQ(problem_of(parse_real("1e400", NumberRange::real(), "x").error()), "x: is out of range");
  EXPECT_EQ(problem_of(parse_real("1e999", NumberRange::real(-90, 90), "lat").error()), "lat: must be between -90 and 90");
  EXPECT_EQ(problem_of(parse_real("-1e999", NumberRange::real(0), "area").error()), "area: must be at least 0");
  EXPECT_EQ(problem_of(parse_real("2.5", NumberRange::int32(), "year").error()), "year: must be an integer");
}

TEST(NumberInput, ValuesReadFromJson) {
  EXPECT_EQ(*integer_from_real(2.0, NumberRange::int32(), "n"), 2);
  EXPECT_EQ(problem_of(integer_from_real(2.5, NumberRange::int32(), "n").error()), "n: must be an integer");
  EXPECT_EQ(problem_of(integer_from_real(3e9, NumberRange::int32(), "n").error()),
            "n: must be between -2147483648 and 2147483647");
  EXPECT_EQ(problem_of(integer_in_range(-5, NumberRange::int32(0), "members_count").error()),
            "members_count: must be at least 0");
  EXPECT_EQ(problem_of(real_in_range(INFINITY, NumberRange::real(), "v").error()), "v: must be a finite number");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(2147483647), "2147483647");
}

}  // namespace nongsan
