#include "core/civil_date.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace nongsan {

TEST(CivilDate, ParsesIsoAndVietnameseForms) {
  auto iso = CivilDate::parse("2025-07-01");
  auto vi = CivilDate::parse("01/07/2025");
  auto short_vi = CivilDate::parse("1/7/2025");
  ASSERT_TRUE(iso && vi && short_vi);
  EXPECT_EQ(*iso, *vi);
  EXPECT_EQ(*iso, *short_vi);
  EXPECT_EQ(iso->vi(), "01/07/2025");
  EXPECT_EQ(vi->iso(), "2025-07-01");
}

// iso() writes the common years digit by digit: the same text as printf's
// "%04d-%02u-%02u" for every day of 1899-2101 and for years it leaves to printf.
TEST(CivilDate, IsoIsPrintfsForm) {
  auto printf_form = [](const CivilDate& d) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year(), d.month(), d.day());
    return std::string(buf);
  };
  const auto first = CivilDate::parse("1899-01-01")->days_since_epoch();
  const auto last = CivilDate::parse("2101-12-31")->days_since_epoch();
  for (auto day = first; day <= last; ++day) {
    auto d = CivilDate::from_days(day);
    ASSERT_EQ(d.iso(), printf_form(d)) << day;
  }
  for (std::int64_t day :
       {std::int64_t{-719468}, std::int64_t{-800000}, std::int64_t{2932896}, std::int64_t{3000000}}) {
    auto d = CivilDate::from_days(day);
    EXPECT_EQ(d.iso(), printf_form(d)) << day;
  }
  EXPECT_EQ(CivilDate::from_days(-719468).iso(), "0000-03-01");
  EXPECT_EQ(CivilDate::from_days(2932896).iso(), "9999-12-31");
}

TEST(CivilDate, RejectsImpossibleDates) {
  for (const char* bad : {"2025-02-29", "31/04/2025", "2025-13-01", "2025-7-1", "", "01/07/25", "abc"})
    EXPECT_FALSE(CivilDate::parse(bad)) << bad;
  EXPECT_TRUE(CivilDate::parse("29/02/2024"));
}

TEST(CivilDate, PlainDayDifferences) {
  // The programme's own example: 2021-01-01 to 2025-12-31 is 1,825 days.
  EXPECT_EQ(days_between(*CivilDate::parse("2021-01-01"), *CivilDate::parse("2025-12-31")), 1825);
}

TEST(UtcTimestamps, RoundTrip) {
  auto s = utc_iso_from_seconds(1751328000);
  EXPECT_EQ(s, "2025-07-01T00:00:00Z");
  EXPECT_EQ(parse_utc_seconds(s), 1751328000);
  EXPECT_EQ(parse_utc_seconds("2025-07-01 00:00:00+00"), 1751328000);
}

}  // namespace nongsan
