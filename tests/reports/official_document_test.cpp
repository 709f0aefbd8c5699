#include "reports/official_document.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace nongsan::reports {
namespace {

TEST(OfficialDocument, PlaceDateLinePadsDayBelowTenAndOnlyJanuaryAndFebruary) {
  // document-format.md §3: "Lai Châu, ngày 05 tháng 02 năm 2026"; "ngày 10 tháng 7 năm 2023".
  struct Row { CivilDate d; const char* want; };
  for (const auto& [d, want] : {Row{{2026, 2, 5}, "Lai Châu, ngày 05 tháng 02 năm 2026"},
                                Row{{2023, 7, 10}, "Lai Châu, ngày 10 tháng 7 năm 2023"},
                                Row{{2023, 1, 1}, "Lai Châu, ngày 01 tháng 01 năm 2023"},
                                Row{{2023, 3, 9}, "Lai Châu, ngày 09 tháng 3 năm 2023"},
                                Row{{2023, 12, 31}, "Lai Châu, ngày 31 tháng 12 năm 2023"}})
    EXPECT_EQ(place_date_line("Lai Châu", d), want);
  // The check of §4 item 5.
  std::regex check("^.+, ngày (0[1-9]|[12]\\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \\d{4}$");
  for (int m = 1; m <= 12; ++m)
    for (int day : {1, 9, 10, 28})
      EXPECT_TRUE(std::regex_match(place_date_line("Lai Châu", CivilDate(2024, m, day)), check)) << m << "/" << day;
}

TEST(OfficialDocument, NumberLineFollowsTheProfile) {
  OfficialDocument d;
  d.number = "5";
  d.symbol = "BC-UBND";
  EXPECT_EQ(number_line(d), "Số: 05/BC-UBND");
  EXPECT_TRUE(std::regex_match(number_line(d), std::regex("^Số: \\d{2,}/[A-ZĐa-z]+-[A-ZĐ0-9]+$")));
  d.profile = ProfileId::party_hd36;
  d.number = "752";
  d.symbol = "TB/TU";
  EXPECT_EQ(number_line(d), "Số 752-TB/TU");
  d.number = "";
  EXPECT_EQ(number_line(d).rfind("Số ", 0), 0u);
  EXPECT_NE(number_line(d).find("-TB/TU"), std::string::npos);
}

TEST(OfficialDocument, RecipientLinesEndAsEachProfileRequires) {
  OfficialDocument d;
  d.recipients = {"UBND tỉnh (b/c)", "Lãnh đạo Sở"};
  d.archive_line = "Lưu: VT, KHTC";
  EXPECT_EQ(recipient_lines(d), (std::vector<std::string>{"- UBND tỉnh (b/c);", "- Lãnh đạo Sở;", "- Lưu: VT, KHTC."}));
  d.profile = ProfileId::party_hd36;
  d.archive_line = "";
  EXPECT_EQ(recipient_lines(d),
            (std::vector<std::string>{"- UBND tỉnh (b/c),", "- Lãnh đạo Sở,", "- Lưu Văn phòng Tỉnh ủy."}));
}

TEST(OfficialDocument, ProfilesCarryTheNumbersOfTheSpec) {
  const auto& s = layout_profile(ProfileId::state_nd30);
  EXPECT_EQ(s.margin_left_mm, 30);
  EXPECT_EQ(s.margin_right_mm, 15);
  EXPECT_EQ(s.national_title_pt, 13);
  EXPECT_EQ(s.motto_pt, 14);
  EXPECT_TRUE(s.number_colon);
  const auto& p = layout_profile(ProfileId::party_hd36);
  EXPECT_EQ(p.national_title_pt, 15);
  EXPECT_EQ(p.type_pt, 16);
  EXPECT_FALSE(p.number_colon);
  EXPECT_EQ(national_title(p), "ĐẢNG CỘNG SẢN VIỆT NAM");
  EXPECT_EQ(parse_profile("party"), ProfileId::party_hd36);
  EXPECT_FALSE(parse_profile("presidential"));
}

TEST(OfficialDocument, HeadingsAreNumberedPerProfile) {
  std::vector<Block> body{Heading{1, "MỘT"}, Paragraph{"x"}, Heading{2, "Hai"}, Heading{2, "Ba"}, Heading{1, "BỐN"}};
  auto s = heading_labels(body, layout_profile(ProfileId::state_nd30));
  EXPECT_EQ(s[0], "I. MỘT");
  EXPECT_EQ(s[2], "1. Hai");
  EXPECT_EQ(s[3], "2. Ba");
  EXPECT_EQ(s[4], "II. BỐN");
  auto p = heading_labels(body, layout_profile(ProfileId::party_hd36));
  EXPECT_EQ(p[4], "II- BỐN");
  EXPECT_EQ(roman(14), "XIV");
}

}  // namespace
}  // namespace nongsan::reports
