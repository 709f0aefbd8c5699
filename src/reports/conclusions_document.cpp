#include "reports/conclusions_document.hpp"

#include <regex>

#include "reports/canvas.hpp"
#include "reports/document_writers.hpp"
#include "reports/nfc.hpp"
#include "reports/official_document.hpp"

namespace nongsan::reports {

using nlohmann::json;

namespace {

std::string str(const json& j, const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; }

std::string printed(const json& p) {
  std::string refs;
  for (const auto& r : p.value("refs", json::array()))
    if (r.is_number_integer()) refs += (refs.empty() ? "" : ", ") + std::string("[") + std::to_string(r.get<int>()) + "]";
  return str(p, "text") + (refs.empty() ? "" : " " + refs);
}

const json& section(const json& draft, const std::string& key) {
  static const json empty = json::object();
  if (!draft.contains("sections") || !draft["sections"].is_array()) return empty;
  for (const auto& s : draft["sections"])  // a reference into the draft itself, never into a copy
    if (s.is_object() && s.value("key", "") == key) return s;
  return empty;
}

void paragraphs(std::vector<Block>& body, const json& s) {
  for (const auto& p : s.value("paragraphs", json::array())) body.push_back(Paragraph{printed(p)});
}

OfficialDocument build(const json& d, const ConclusionsOptions& o) {
  const json issuer = d.value("issuer", json::object());
  OfficialDocument doc;
  doc.profile = ProfileId::party_hd36;
  doc.superior_body = str(issuer, "superior_body");
  doc.issuing_body = issuer.contains("issuing_body") ? str(issuer, "issuing_body") : "TỈNH ỦY LAI CHÂU";
  doc.number = o.number;
  doc.symbol = issuer.contains("symbol") ? str(issuer, "symbol") : "TB/TU";
  doc.date = o.date;
  doc.type_name = "THÔNG BÁO";
  doc.title = str(d, "title");
  if (o.draft) doc.body.push_back(Paragraph{"DỰ THẢO", false, false, true});
  if (d.value("illustrative", false))
    doc.body.push_back(Note{"Số liệu minh họa: các số liệu trong văn bản này là số liệu minh họa, không phải số liệu chính thức."});
  paragraphs(doc.body, section(d, "intro"));
  doc.body.push_back(Heading{2, "Về kết quả đạt được và hạn chế"});
  doc.body.push_back(Paragraph{"a) Kết quả đạt được", true, true, false});
  paragraphs(doc.body, section(d, "results"));
  doc.body.push_back(Paragraph{"b) Hạn chế", true, true, false});
  paragraphs(doc.body, section(d, "limitations"));
  doc.body.push_back(Heading{2, "Nhiệm vụ, giải pháp trong thời gian tới"});
  paragraphs(doc.body, section(d, "tasks"));

  doc.appendix.push_back(AppendixHeading{"Phụ lục", "NGUỒN SỐ LIỆU", "(Kèm theo Thông báo " + std::string(o.number.empty() ? "số       " : "số " + o.number) + "-" + doc.symbol + ")"});
  Table t;
  t.columns = {{12, Cell::Align::center}, {58, Cell::Align::left}, {60, Cell::Align::left}, {35, Cell::Align::left}};
  t.header = {{Cell{"Số", 1, 1, true, Cell::Align::center}, Cell{"Nguồn", 1, 1, true, Cell::Align::center},
               Cell{"Số liệu", 1, 1, true, Cell::Align::center}, Cell{"Trang hồ sơ", 1, 1, true, Cell::Align::center}}};
  for (const auto& s : d.value("sources", json::array())) {
    const std::string n = std::to_string(s.value("n", 0));
    Cell no{"[" + n + "]", 1, 1, false, Cell::Align::center};
    no.anchor = "nguon-" + n;
    Cell link{str(s, "link"), 1, 1, false, Cell::Align::left};
    if (!link.text.empty()) link.href = o.link_base + link.text;
    t.rows.push_back({no, Cell{str(s, "label")}, Cell{str(s, "figure")}, link});
  }
  t.font_pt = 11;
  t.note = "Mỗi đoạn của thông báo ghi số thứ tự nguồn số liệu trong ngoặc vuông.";
  doc.appendix.push_back(std::move(t));
  for (const auto& r : issuer.value("recipients", json::array()))
    if (r.is_string()) doc.recipients.push_back(r.get<std::string>());
  doc.archive_line = issuer.contains("archive") ? str(issuer, "archive") : "Lưu Văn phòng Tỉnh ủy";
  doc.signature = {issuer.contains("signature_authority") ? str(issuer, "signature_authority") : "T/M BAN THƯỜNG VỤ",
                   issuer.contains("signature_position") ? str(issuer, "signature_position") : "PHÓ BÍ THƯ", ""};
  doc.footer_note = o.footer;
  return doc;
}

}  // namespace

Result<RenderedFile> render_conclusions(const json& draft_in, const std::string& format, const ConclusionsOptions& options) {
  if (format != "html" && format != "pdf" && format != "docx")
    return Error::invalid("unknown format", {{"format", "must be html, pdf or docx"}});
  json draft = draft_in;
  if (auto bad = normalize_json_nfc(draft); !bad.empty())
    return Error::invalid("the draft has text that is not UTF-8", {{bad, "not valid UTF-8"}});
  OfficialDocument doc = build(draft, options);
  try {
    if (format == "html") {
      // Each reference "[n]" of a paragraph links to its source in the appendix.
      std::string html = render_html(doc), out;
      // Replace in the paragraphs only (the appendix cells carry their own anchors).
      std::size_t at = 0;
      while (true) {
        std::size_t start = html.find("<p class=\"body", at);
        if (start == std::string::npos) break;
        std::size_t end = html.find("</p>", start);
        if (end == std::string::npos) break;
        std::string para = html.substr(start, end - start);
        static const std::regex ref(R"(\[(\d+)\])");
        para = std::regex_replace(para, ref, "<a href=\"#nguon-$1\">[$1]</a>");
        out += html.substr(at, start - at) + para;
        at = end;
      }
      out += html.substr(at);
      return RenderedFile{std::move(out), "text/html; charset=utf-8", ".html"};
    }
    auto bytes = format == "pdf" ? render_pdf(doc) : render_docx(doc);
    return RenderedFile{std::string(bytes.begin(), bytes.end()),
                        format == "pdf" ? "application/pdf"
                                        : "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        format == "pdf" ? ".pdf" : ".docx"};
  } catch (const std::exception& e) {
    return Error::internal(std::string("rendering the conclusions: ") + e.what());
  }
}

}  // namespace nongsan::reports
