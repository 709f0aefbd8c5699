#include "core/civil_date.hpp"

#include <gtest/gtest.h>

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
