// A Vietnamese official document (văn bản hành chính / văn bản của Đảng) as data,
// independent of what it reports on: header, number, place and date, type and
// trích yếu, body blocks, recipients and signature. The writers (DOCX, PDF, HTML)
// lay it out with the numbers of a LayoutProfile; none of them decides content.
//
// Must not depend on: modules, storage, api, app, cli. Text is UTF-8 NFC.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/civil_date.hpp"

namespace nongsan::reports {

class Canvas;

enum class ProfileId { state_nd30, party_hd36 };
std::string_view to_string(ProfileId id);
std::optional<ProfileId> parse_profile(std::string_view text);  // "state" | "state_nd30" | "party" | "party_hd36"

// Every size and spacing of one document format. The values come from the table in
// docs/document-format.md (state: Nghị định 30/2020/NĐ-CP Phụ lục I;
// party: Hướng dẫn 36-HD/VPTW, to be checked against HD 05-HD/VPTW 2026 before real use).
struct LayoutProfile {
  ProfileId id = ProfileId::state_nd30;
  // Page (A4) and margins, mm.
  double page_w_mm = 210, page_h_mm = 297;
  double margin_top_mm = 20, margin_bottom_mm = 20, margin_left_mm = 30, margin_right_mm = 15;
  double header_left_fraction = 0.40;  // left column of the header table [C]
  // Sizes in points.
  double national_title_pt = 13;  // CỘNG HÒA … (state) or ĐẢNG CỘNG SẢN VIỆT NAM (party, 15)
  double motto_pt = 14;           // state only
  double superior_pt = 13, issuer_pt = 13, number_pt = 13, date_pt = 14;
  double type_pt = 14, title_pt = 14, body_pt = 14, heading_pt = 14;
  double table_pt = 12, caption_pt = 13, note_pt = 11;
  double signature_pt = 14, recipients_label_pt = 12, recipients_pt = 11, page_number_pt = 13;
  double first_line_indent_mm = 10;  // 1 cm (567 twips)
  double paragraph_after_pt = 6;
  double line_spacing = 1.2;  // multiple of single (ND 30: 1.0–1.5)
  // Format choices that differ between the two profiles (§2.5).
  bool national_motto = true;          // state: title + motto; party: "ĐẢNG CỘNG SẢN VIỆT NAM"
  bool issuer_rule = true;             // state: rule under the issuing body; party: "*"
  bool number_colon = true;            // "Số: 12/BC-UBND" vs "Số 752-TB/TU"
  bool title_rule = true;              // state: drawn rule under trích yếu; party: "-----"
  bool title_lower_start = false;      // party trích yếu starts lower case
  bool recipients_label_bold_italic = true;  // state "Nơi nhận:" bold italic; party underlined
  bool recipients_label_underline = false;
  bool signature_position_bold = true;
  std::string heading_roman_suffix = ".";  // "I." (state) vs "I-" (party)
  std::string closing_mark = "./.";        // state "./."; party "."
};

const LayoutProfile& layout_profile(ProfileId id);

// A table cell; spans apply in header rows and body rows alike.
struct Cell {
  std::string text;
  int colspan = 1, rowspan = 1;
  bool bold = false;
  enum class Align { left, center, right } align = Align::left;
  std::string href;    // HTML only: the text links there (other formats print the text)
  std::string anchor;  // HTML only: the cell's id, for links inside the page
};

struct TableColumn {
  double width_mm = 20;
  Cell::Align align = Cell::Align::left;
};

struct Heading { int level = 1; std::string text; };  // 1: "I. TÊN MỤC" (upper), 2: "1. Tên khoản" (bold)
struct Paragraph { std::string text; bool italic = false; bool indent = true; bool bold = false; };
struct Note { std::string text; };  // small italic line (data trace, sources), no indent
struct Table {
  std::string caption;  // "Biểu 1. …", above the table, bold, centred
  std::vector<TableColumn> columns;
  std::vector<std::vector<Cell>> header;  // repeated on each page
  std::vector<std::vector<Cell>> rows;
  double font_pt = 0;  // 0: the profile's table_pt
  std::string note;    // under the table, italic
};
// A figure drawn by code: the PDF writer draws it as vectors, the DOCX writer embeds it
// as PNG, the HTML writer as inline SVG — the same drawing function for all three.
struct Figure {
  std::string caption;  // "Hình 1. …", under the figure
  double width_mm = 160, height_mm = 90;
  std::function<void(Canvas&)> draw;  // draws in points on a width_mm × height_mm area
  std::string alt;                    // text description for HTML
};
struct PageBreak {};
struct AppendixHeading { std::string label; std::string title; std::string note; };  // "Phụ lục I", TITLE, "(Kèm theo …)"

using Block = std::variant<Heading, Paragraph, Note, Table, Figure, PageBreak, AppendixHeading>;

struct Signature {
  std::string authority;  // "KT. GIÁM ĐỐC", "T/M BAN THƯỜNG VỤ" (empty: none)
  std::string position;   // "PHÓ GIÁM ĐỐC"
  std::string name;       // "Nguyễn Văn A" (empty: left blank for the signer)
};

struct OfficialDocument {
  ProfileId profile = ProfileId::state_nd30;
  std::string superior_body;  // cơ quan chủ quản, e.g. "UBND TỈNH LAI CHÂU" (may be empty)
  std::string issuing_body;   // cơ quan ban hành, e.g. "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"; "\n" breaks lines
  std::string number;         // "12" or "" (left blank for the văn thư to fill in)
  std::string symbol;         // "BC-SNNMT" (state) or "BC/TU" (party)
  std::string place = "Lai Châu";
  CivilDate date;
  std::string type_name;  // "BÁO CÁO"
  std::string title;      // trích yếu
  std::vector<Block> body;      // before the signature; ends with the closing mark
  std::vector<Block> appendix;  // after the signature, from a new page (Phụ lục)
  std::vector<std::string> recipients;  // "- " is added; the line ending too
  std::string archive_line;             // "Lưu: VT, KHTC" (state) / "Lưu Văn phòng Tỉnh ủy" (party)
  Signature signature;
  std::string footer_note;  // small line at the bottom of every page (data hash, time)
  std::string language = "vi";
};

// The lines of the header as printed, shared by all writers so they cannot disagree.
// "Số: 05/BC-UBND" (number below 10 padded); an empty number keeps the blank the văn thư fills.
std::string number_line(const OfficialDocument& doc);
// "Lai Châu, ngày 05 tháng 02 năm 2026": day padded below 10, month padded only for 1 and 2 (§3).
std::string place_date_line(const std::string& place, const CivilDate& date);
std::string national_title(const LayoutProfile& p);  // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "ĐẢNG CỘNG SẢN VIỆT NAM"
inline constexpr const char* kMotto = "Độc lập - Tự do - Hạnh phúc";
std::string recipients_label(const LayoutProfile& p);  // "Nơi nhận:"
// The recipient lines with their endings: state ";" and "- Lưu: VT, …." last; party "," and "- Lưu …." last.
std::vector<std::string> recipient_lines(const OfficialDocument& doc);
std::string roman(int n);
// Headings numbered as printed: level 1 "I. TEXT" / "I- TEXT"; level 2 "1. Text".
std::vector<std::string> heading_labels(const std::vector<Block>& body, const LayoutProfile& p);

}  // namespace nongsan::reports
