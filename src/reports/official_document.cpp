#include "reports/official_document.hpp"

#include <fmt/format.h>

namespace nongsan::reports {

std::string_view to_string(ProfileId id) { return id == ProfileId::party_hd36 ? "party_hd36" : "state_nd30"; }

std::optional<ProfileId> parse_profile(std::string_view text) {
  if (text == "state" || text == "state_nd30") return ProfileId::state_nd30;
  if (text == "party" || text == "party_hd36") return ProfileId::party_hd36;
  return std::nullopt;
}

namespace {

// document-format.md §4, column state_nd30 (ND 30/2020 Phụ lục I, defaults inside its ranges).
LayoutProfile make_state() {
  LayoutProfile p;
  p.id = ProfileId::state_nd30;
  return p;
}

// document-format.md §2 and §4, column party_hd36 (HD 36-HD/VPTW font table, Phụ lục 3):
// title 15, bodies 14, number 14, type 16, trích yếu 14, "*" under the issuing body,
// "Số 752-TB/TU" without colon, "-----" under the trích yếu, "Nơi nhận" underlined 14, list 12 [M].
LayoutProfile make_party() {
  LayoutProfile p;
  p.id = ProfileId::party_hd36;
  p.national_title_pt = 15;
  p.superior_pt = 14;
  p.issuer_pt = 14;
  p.number_pt = 14;
  p.date_pt = 14;
  p.type_pt = 16;
  p.title_pt = 14;
  p.body_pt = 14;
  p.heading_pt = 14;
  p.recipients_label_pt = 14;
  p.recipients_pt = 12;
  p.page_number_pt = 14;
  p.national_motto = false;
  p.issuer_rule = false;
  p.number_colon = false;
  p.title_rule = false;
  p.title_lower_start = true;
  p.recipients_label_bold_italic = false;
  p.recipients_label_underline = true;
  p.heading_roman_suffix = "-";
  p.closing_mark = ".";
  return p;
}

}  // namespace

const LayoutProfile& layout_profile(ProfileId id) {
  static const LayoutProfile state = make_state();
  static const LayoutProfile party = make_party();
  return id == ProfileId::party_hd36 ? party : state;
}

std::string number_line(const OfficialDocument& doc) {
  const auto& p = layout_profile(doc.profile);
  std::string n = doc.number;
  if (n.size() == 1 && n[0] >= '0' && n[0] <= '9') n = "0" + n;  // "05" (§1.9, §2.4)
  // An unnumbered draft keeps a blank of no-break spaces where the văn thư writes the number.
  if (n.empty()) n = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0";
  if (p.number_colon) return "Số: " + n + "/" + doc.symbol;
  // Party symbols read "752-TB/TU": the type follows the number with a hyphen.
  return "Số " + n + "-" + doc.symbol;
}

std::string place_date_line(const std::string& place, const CivilDate& date) {
  // §3: the day takes a leading zero below 10; the month only for January and February.
  unsigned m = date.month();
  std::string month = m <= 2 ? fmt::format("{:02}", m) : std::to_string(m);
  return fmt::format("{}, ngày {:02} tháng {} năm {}", place, date.day(), month, date.year());
}

std::string national_title(const LayoutProfile& p) {
  return p.national_motto ? "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" : "ĐẢNG CỘNG SẢN VIỆT NAM";
}

std::string recipients_label(const LayoutProfile&) { return "Nơi nhận:"; }

std::vector<std::string> recipient_lines(const OfficialDocument& doc) {
  const auto& p = layout_profile(doc.profile);
  const bool party = p.id == ProfileId::party_hd36;
  std::vector<std::string> out;
  for (const auto& r : doc.recipients) out.push_back("- " + r + (party ? "," : ";"));
  std::string archive = doc.archive_line.empty() ? (party ? "Lưu Văn phòng Tỉnh ủy" : "Lưu: VT") : doc.archive_line;
  out.push_back("- " + archive + ".");
  return out;
}

std::string roman(int n) {
  static const std::pair<int, const char*> table[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
                                                      {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
                                                      {5, "V"},    {4, "IV"},   {1, "I"}};
  std::string out;
  for (const auto& [v, s] : table)
    while (n >= v) {
      out += s;
      n -= v;
    }
  return out;
}

std::vector<std::string> heading_labels(const std::vector<Block>& body, const LayoutProfile& p) {
  std::vector<std::string> out(body.size());
  int first = 0, second = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (std::holds_alternative<AppendixHeading>(body[i])) first = second = 0;  // appendices number afresh
    const auto* h = std::get_if<Heading>(&body[i]);
    if (!h) continue;
    if (h->level <= 1) {
      ++first;
      second = 0;
      out[i] = roman(first) + p.heading_roman_suffix + " " + h->text;
    } else {
      ++second;
      out[i] = std::to_string(second) + ". " + h->text;
    }
  }
  return out;
}

}  // namespace nongsan::reports
