// The review report end to end on the fixtures (tests/reports/fixtures, written by
// make_review_fixtures.py): what an officer would look for in each format.
#include "reports/review_report.hpp"
#include "reports/review_render.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "reports/canvas.hpp"
#include "reports/document_writers.hpp"
#include "reports/nfc.hpp"
#include "reports/report_test_support.hpp"

namespace nongsan::reports {
namespace {

using testing::count;
using testing::fixture;
using testing::unzip;

std::vector<UnitShape> laichau_shapes() {
  auto fc = nlohmann::json::parse(testing::read_text(std::string(NONGSAN_DATA_DIR) + "/laichau/laichau-boundaries-pre2025.geojson"));
  return *shapes_from_feature_collection(fc);
}

nlohmann::json json_array_of_number() { return nlohmann::json::array({1}); }

// The one entry point, as the CLI and the targets module call it; the bytes as a vector for unzip().
Result<std::vector<std::uint8_t>> render_bytes(const nlohmann::json& review, const std::vector<UnitShape>& shapes,
                                               const RenderOptions& o, const std::string& format) {
  auto f = render_review(review, format, o, shapes);
  if (!f) return f.error();
  return std::vector<std::uint8_t>(f->bytes.begin(), f->bytes.end());
}
std::string bytes_str(const std::vector<std::uint8_t>& b) { return std::string(b.begin(), b.end()); }

const Table* find_table(const std::vector<Block>& blocks, const std::string& caption_start) {
  for (const auto& b : blocks)
    if (const auto* t = std::get_if<Table>(&b); t && t->caption.rfind(caption_start, 0) == 0) return t;
  return nullptr;
}

TEST(ReviewReport, ValidationNamesEveryBadField) {
  auto r = fixture("review_province_nq05.json");
  r.erase("data_hash");
  r["indicators"][2]["band"] = "great";
  r["indicators"][3]["actual"] = "8.300";
  r["as_of"] = "30/06/2023";
  auto st = validate_review(r);
  ASSERT_FALSE(st);
  std::vector<std::string> fields;
  for (const auto& f : st.error().fields) fields.push_back(f.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "data_hash"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "indicators[2].band"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "indicators[3].actual"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "as_of"), fields.end());
  EXPECT_TRUE(validate_review(fixture("review_province_nq05.json")));
  EXPECT_TRUE(validate_review(fixture("review_commune.json")));
}

// A review from a file anyone can edit: wrong types, words and lengths are named by
// their path before a writer reads anything (they used to surface as
// "type_error.302" from deep inside a writer).
TEST(ReviewReport, ValidationNamesWrongTypesAndOverlongTextByPath) {
  auto r = fixture("review_province_nq05.json");
  r["kind"] = 3;
  r["units"][3]["level"] = 5;
  r["indicators"][0]["illustrative"] = "yes";
  r["indicators"][1]["flags"] = json_array_of_number();
  r["unit"]["level"] = std::string(350000 / 2, 'o');
  r["unit"]["name"] = nlohmann::json::array();
  r["standouts"][0]["note"] = "best";
  r["programme"]["milestones"] = {2025, "2030"};
  r["generated_at"] = "yesterday";
  auto st = validate_review(r);
  ASSERT_FALSE(st);
  std::map<std::string, std::string> got;
  for (const auto& f : st.error().fields) got[f.field] = f.message;
  EXPECT_EQ(got["kind"], "must be a string");
  EXPECT_EQ(got["units[3].level"], "must be a string");
  EXPECT_EQ(got["indicators[0].illustrative"], "must be true or false");
  EXPECT_EQ(got["indicators[1].flags[0]"], "must be a string");
  EXPECT_EQ(got["unit.level"], "must be one of province, district, commune");
  EXPECT_EQ(got["unit.name"], "must be a string");
  EXPECT_EQ(got["standouts[0].note"], "must be one of highest, lowest");
  EXPECT_EQ(got["programme.milestones[1]"], "must be a year");
  EXPECT_EQ(got["generated_at"], "must be a UTC time yyyy-mm-ddThh:mm:ssZ");
  auto long_name = fixture("review_province_nq05.json");
  long_name["indicators"][2]["name_vi"] = std::string(600, 'a');
  long_name["narrative"]["paragraphs"][0] = std::string(20001, 'a');
  auto too_long = validate_review(long_name);
  ASSERT_FALSE(too_long);
  got.clear();
  for (const auto& f : too_long.error().fields) got[f.field] = f.message;
  EXPECT_EQ(got["indicators[2].name_vi"], "is longer than 500 characters");
  EXPECT_EQ(got["narrative.paragraphs[0]"], "is longer than 20000 characters");
}

// NFC of a long run of non-ASCII text (350,000 "ố" in a unit's level took minutes):
// the text is normalised in short pieces, cut only where no mark can compose across
// the cut, and the result is the same as normalising it whole.
TEST(ReviewReport, NfcWorksInShortPiecesWithTheSameResult) {
  std::string run;
  for (int i = 0; i < 350000; ++i) run += "\u1ED1";  // ố precomposed
  auto pieces = nfc_pieces(run);
  ASSERT_GT(pieces.size(), 100u);
  std::size_t start = 0;
  for (std::size_t e : pieces) {
    EXPECT_LE(e - start, 4096u);
    start = e;
  }
  EXPECT_EQ(start, run.size());
  EXPECT_EQ(*to_nfc(run), run);
  // Decomposed input: "o" + circumflex + acute, and "e" + acute, over many pieces;
  // no piece ends between a letter and its marks.
  std::string decomposed, composed;
  for (int i = 0; i < 3000; ++i) {
    decomposed += "o\u0302\u0301 e\u0301\u0110\u0103\u0300k";
    composed += "\u1ED1 \u00E9\u0110\u1EB1k";
  }
  EXPECT_EQ(*to_nfc(decomposed), composed);
  EXPECT_FALSE(to_nfc(std::string(5000, 'a') + "\xff"));
}

TEST(ReviewReport, DocumentHasEveryIndicatorFormattedTheVietnameseWay) {
  auto r = fixture("review_province_nq05.json");
  auto doc = build_review_document(r, laichau_shapes(), {});
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->type_name, "BÁO CÁO");
  EXPECT_EQ(doc->superior_body, "UBND TỈNH LAI CHÂU");
  EXPECT_NE(doc->title.find("đến ngày 30/06/2023"), std::string::npos);
  EXPECT_EQ(place_date_line(doc->place, doc->date), "Lai Châu, ngày 05 tháng 7 năm 2023");  // generated_at
  const Table* t = find_table(doc->body, "Biểu 1.");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 14u);
  // Row 1 (tea): target revised 9.500 -> 10.000, actual 9.010, +1.240 ha (+16,0 %) since
  // the baseline, 90,1 %.
  EXPECT_EQ(t->rows[0][1].text, "Diện tích chè");
  EXPECT_EQ(t->rows[0][3].text, "9.500");
  EXPECT_EQ(t->rows[0][4].text, "10.000");
  EXPECT_EQ(t->rows[0][5].text, "9.010");
  EXPECT_EQ(t->rows[0][6].text, "+1.240\n+16,0%");
  EXPECT_EQ(t->rows[0][7].text, "90,1");
  EXPECT_NE(t->rows[0][9].text.find("Trên 50%"), std::string::npos);
  EXPECT_EQ(t->rows[8][6].text, "−1.050\n−32,8%");  // inefficient rice land: a fall
  EXPECT_EQ(t->rows[1][6].text, "–");                  // a flow has no baseline to compare with
  // Sweet corn has no value: dashes and "Chưa có số liệu", never 0.
  EXPECT_EQ(t->rows[6][5].text, "–");
  EXPECT_EQ(t->rows[6][9].text, "Chưa có số liệu");
  EXPECT_NE(t->rows[2][1].text.find("(†)"), std::string::npos);  // reported differs from computed
  EXPECT_NE(t->note.find("minh họa"), std::string::npos);
  // Every narrative paragraph is in the body, in order.
  std::vector<std::string> paras;
  for (const auto& b : doc->body)
    if (const auto* p = std::get_if<Paragraph>(&b)) paras.push_back(p->text);
  for (const auto& p : r["narrative"]["paragraphs"])
    EXPECT_NE(std::find(paras.begin(), paras.end(), p.get<std::string>()), paras.end());
  // Per-unit table, the map and the appendix matrix.
  const Table* u = find_table(doc->body, "Biểu 2.");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->rows.size(), 8u);
  int figures = 0;
  for (const auto& b : doc->body) figures += std::holds_alternative<Figure>(b);
  EXPECT_EQ(figures, 2);  // achievement bars and the map
  const Table* m = find_table(doc->appendix, "Biểu 3.");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->columns.size(), 10u);
  EXPECT_EQ(doc->footer_note,
            "Số liệu: 9f3c2a7b41d0 · lập lúc 05/07/2023 09:30 giờ Việt Nam (UTC+7) · SỐ LIỆU MINH HỌA");
}

// What a reader takes from page 1 and from every figure: illustrative figures are said
// so before anything else; times are Vietnam's; counted units are whole numbers; an
// indicator without a target says so instead of "no data".
TEST(ReviewReport, PageOneSaysIllustrativeTimesAreVietnamsCountsAreWhole) {
  auto r = fixture("review_province_nq05.json");
  r["generated_at"] = "2023-07-04T23:30:00Z";  // 06:30 on 5 July in Vietnam
  r["indicators"][13]["actual"] = 171.2;        // households supported (counted)
  r["indicators"][13]["forecast"] = 343.4;
  r["indicators"][6]["target"] = nullptr;       // sweet corn: no target
  r["indicators"][6]["target_original"] = nullptr;
  r["indicators"][6]["status"] = "no_target";
  r["indicators"][6].erase("assessment");
  auto doc = build_review_document(r, {}, {});
  ASSERT_TRUE(doc) << doc.error().message;
  const auto* first = std::get_if<Paragraph>(&doc->body.front());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->text.rfind("SỐ LIỆU MINH HỌA", 0), 0u);
  EXPECT_TRUE(first->bold);
  EXPECT_EQ(place_date_line(doc->place, doc->date), "Lai Châu, ngày 05 tháng 7 năm 2023");
  EXPECT_NE(doc->footer_note.find("lập lúc 05/07/2023 06:30 giờ Việt Nam (UTC+7)"), std::string::npos);
  const Table* t = find_table(doc->body, "Biểu 1.");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->rows[13][5].text, "171");
  EXPECT_EQ(t->rows[13][8].text.substr(0, 3), "343");
  EXPECT_EQ(t->rows[6][9].text, "Chưa giao mục tiêu");
  // Without an illustrative mark anywhere, no such line.
  r["illustrative"] = false;
  r["programme"]["illustrative"] = false;
  for (auto& i : r["indicators"]) i["illustrative"] = false;
  auto real = build_review_document(r, {}, {});
  ASSERT_TRUE(real);
  const auto* p = std::get_if<Paragraph>(&real->body.front());
  EXPECT_TRUE(p == nullptr || p->text.find("MINH HỌA") == std::string::npos);
  EXPECT_EQ(real->footer_note.find("MINH HỌA"), std::string::npos);
}

TEST(ReviewReport, CommuneReviewHasNoUnitSectionAndNamesTheCommune) {
  auto doc = build_review_document(fixture("review_commune.json"), {}, {});
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_NE(doc->title.find("tại Xã Tân Uyên"), std::string::npos);
  EXPECT_EQ(find_table(doc->body, "Biểu 2."), nullptr);
  EXPECT_EQ(find_table(doc->body, "Biểu 1.")->rows.size(), 4u);
  // After the 2025 reform there are no districts to send to; the commune itself is a recipient.
  EXPECT_NE(std::find(doc->recipients.begin(), doc->recipients.end(), "UBND các xã, phường"), doc->recipients.end());
  EXPECT_NE(std::find(doc->recipients.begin(), doc->recipients.end(), "UBND xã Tân Uyên"), doc->recipients.end());
}

TEST(ReviewReport, UnknownMapIndicatorIsAnError) {
  RenderOptions o;
  o.map_indicator = "NOPE";
  auto doc = build_review_document(fixture("review_province_nq05.json"), laichau_shapes(), o);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().fields.at(0).field, "map_indicator");
}

TEST(ReviewReport, DocxIsAValidPackageWithTheElementsOfTheDecree) {
  auto bytes = render_bytes(fixture("review_province_nq05.json"), laichau_shapes(), {}, "docx");
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto files = unzip(*bytes);
  for (const char* part : {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                           "word/_rels/document.xml.rels", "word/header1.xml", "word/header2.xml", "word/footer1.xml"})
    EXPECT_TRUE(files.count(part)) << part;
  const std::string& doc = files["word/document.xml"];
  // A4 and the margins 20/20/30/15 mm (§4 check 1); a different first page (no number on page 1, check 3).
  EXPECT_NE(doc.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);
  EXPECT_NE(doc.find("w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""), std::string::npos);
  EXPECT_NE(doc.find("<w:titlePg/>"), std::string::npos);
  EXPECT_NE(files["word/header1.xml"].find(" PAGE "), std::string::npos);
  EXPECT_EQ(files["word/header2.xml"].find("PAGE"), std::string::npos);
  // Every run names Times New Roman (check 2).
  EXPECT_EQ(count(doc, "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\""), count(doc, "<w:r><w:rPr>"));
  EXPECT_EQ(count(doc, "<w:rFonts "), count(doc, "<w:rFonts w:ascii=\"Times New Roman\""));
  // Header lines, number and date (checks 4 and 5), type name bold (7), NFC text.
  EXPECT_NE(doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(doc.find("Độc lập - Tự do - Hạnh phúc"), std::string::npos);
  EXPECT_NE(doc.find(">Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-SNNMT<"), std::string::npos);
  EXPECT_NE(doc.find("<w:i/><w:iCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">Lai Châu, ngày 05 tháng 7 năm 2023<"),
            std::string::npos);
  EXPECT_NE(doc.find("<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">BÁO CÁO<"),
            std::string::npos);
  // Body paragraphs justified with a 1 cm first-line indent (check 6).
  EXPECT_GT(count(doc, "<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"567\"/><w:jc w:val=\"both\"/>"), 5);
  // Tables: bordered, header rows repeated; the header table without borders.
  EXPECT_GT(count(doc, "<w:tblHeader/>"), 3);
  EXPECT_NE(doc.find("<w:insideV w:val=\"nil\"/>"), std::string::npos);
  EXPECT_NE(doc.find("<w:insideV w:val=\"single\""), std::string::npos);
  // Recipients and signature.
  EXPECT_NE(doc.find(">Nơi nhận:<"), std::string::npos);
  EXPECT_NE(doc.find(">- Lưu: VT, KHTC.<"), std::string::npos);
  EXPECT_NE(doc.find(">KT. GIÁM ĐỐC<"), std::string::npos);
  // Figures as PNG, each referenced from the document.
  int pngs = 0;
  for (const auto& [name, content] : files)
    if (name.rfind("word/media/", 0) == 0) {
      ++pngs;
      EXPECT_EQ(content.substr(0, 8), "\x89PNG\r\n\x1a\n") << name;
    }
  EXPECT_EQ(pngs, 5);  // bars, map, three trend figures
  EXPECT_EQ(count(doc, "<a:blip r:embed="), pngs);
  EXPECT_NE(files["word/footer1.xml"].find("Số liệu: 9f3c2a7b41d0"), std::string::npos);
}

TEST(ReviewReport, PartyProfileDocx) {
  RenderOptions o;
  o.profile = ProfileId::party_hd36;
  o.number = "752";
  auto bytes = render_bytes(fixture("review_province_nq05.json"), laichau_shapes(), o, "docx");
  ASSERT_TRUE(bytes);
  const std::string doc = unzip(*bytes)["word/document.xml"];
  EXPECT_NE(doc.find(">ĐẢNG CỘNG SẢN VIỆT NAM<"), std::string::npos);
  EXPECT_EQ(doc.find("Độc lập - Tự do - Hạnh phúc"), std::string::npos);
  EXPECT_NE(doc.find(">Số 752-BC/TU<"), std::string::npos);
  EXPECT_NE(doc.find(">TỈNH ỦY LAI CHÂU<"), std::string::npos);
  EXPECT_NE(doc.find(">*<"), std::string::npos);
  EXPECT_NE(doc.find(">-----<"), std::string::npos);
  EXPECT_NE(doc.find(">T/M BAN THƯỜNG VỤ<"), std::string::npos);
  EXPECT_NE(doc.find("<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:u w:val=\"single\"/></w:rPr><w:t xml:space=\"preserve\">Nơi nhận:<"),
            std::string::npos);
  EXPECT_NE(doc.find(">- Lưu Văn phòng Tỉnh ủy.<"), std::string::npos);
  EXPECT_NE(doc.find(">kết quả thực hiện"), std::string::npos);  // trích yếu starts lower case
  EXPECT_EQ(doc.find(">./.<"), std::string::npos);
}

TEST(ReviewReport, PdfEmbedsLiberationSerifAndIsA4) {
  auto bytes = render_bytes(fixture("review_province_nq05.json"), laichau_shapes(), {}, "pdf");
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string pdf = bytes_str(*bytes);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("/FontFile2"), std::string::npos);  // embedded TrueType
  EXPECT_NE(pdf.find("LiberationSerif-Bold"), std::string::npos);
  EXPECT_NE(pdf.find("LiberationSerif-Italic"), std::string::npos);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 595.275591 841.889764 ]"), std::string::npos);
  EXPECT_GE(count(pdf, "/Type /Page\n") + count(pdf, "/Type /Page "), 5);
}

TEST(ReviewReport, HtmlIsSelfContainedAndEscaped) {
  auto r = fixture("review_province_nq05.json");
  r["narrative"]["paragraphs"][0] = "<script>alert('x')</script> & \"quoted\"";
  r["indicators"][0]["name_vi"] = "Chè <b>đặc sản</b>";
  auto bytes = render_bytes(r, laichau_shapes(), {}, "html");
  ASSERT_TRUE(bytes);
  const std::string html = bytes_str(*bytes);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<b>đặc sản</b>"), std::string::npos);
  EXPECT_NE(html.find("Chè &lt;b&gt;đặc sản&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(count(html, "<svg "), 5);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing fetched from elsewhere
  EXPECT_NE(html.find("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"), std::string::npos);
  EXPECT_NE(html.find("Lai Châu, ngày 05 tháng 7 năm 2023"), std::string::npos);
}

TEST(ReviewReport, XlsxHasTheThreeSheetsAndFormulas) {
  auto bytes = render_bytes(fixture("review_province_nq05.json"), {}, {}, "xlsx");
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto files = unzip(*bytes);
  const std::string wb = files["xl/workbook.xml"];
  EXPECT_NE(wb.find("name=\"Chỉ tiêu\""), std::string::npos);
  EXPECT_NE(wb.find("name=\"Theo đơn vị\""), std::string::npos);
  EXPECT_NE(wb.find("name=\"Tham số\""), std::string::npos);
  EXPECT_NE(wb.find("TyLeThoiGian"), std::string::npos);
  const std::string s1 = files["xl/worksheets/sheet1.xml"];
  // % đạt, dự báo, % dự báo, đánh giá, dự báo đạt?, chênh lệch, change since the baseline and its %
  EXPECT_EQ(count(s1, "<f>"), 14 * 8);
  EXPECT_EQ(count(s1, "100*J"), 14);
  EXPECT_EQ(count(s1, "MAX(0,"), 14);  // never forecast below zero
  EXPECT_NE(s1.find("TyLeThoiGian"), std::string::npos);
}

TEST(ReviewReport, TextGoesOutInNfc) {
  auto r = fixture("review_province_nq05.json");
  // "Châu" typed with a combining circumflex (U+0302), "Đắk" with combining marks.
  r["narrative"]["paragraphs"][0] = "Tỉnh Lai Cha\u0302u; Đa\u0306\u0301k";
  RenderOptions o;
  o.signature = {"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguye\u0302\u0303n Va\u0306n A"};
  auto bytes = render_bytes(r, {}, o, "docx");
  ASSERT_TRUE(bytes);
  const std::string doc = unzip(*bytes)["word/document.xml"];
  EXPECT_NE(doc.find("Tỉnh Lai Châu; Đắk"), std::string::npos);
  EXPECT_NE(doc.find(">Nguyễn Văn A<"), std::string::npos);
  EXPECT_EQ(doc.find("\u0302"), std::string::npos);
  r["narrative"]["paragraphs"][1] = std::string("bad \xff byte");
  auto bad = render_bytes(r, {}, {}, "pdf");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "narrative.paragraphs[1]");
}

TEST(ReviewReport, RenderRefusesBadInputAndUnknownFormats) {
  auto r = fixture("review_province_nq05.json");
  r["indicators"] = "none";
  auto st = render_review(r, "pdf");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(st.error().fields.at(0).field, "indicators");
  auto odt = render_review(fixture("review_province_nq05.json"), "odt");
  ASSERT_FALSE(odt);
  EXPECT_EQ(odt.error().fields.at(0).field, "format");
  // JSON is a format like the others: the review itself, checked against its contract.
  auto j = render_review(fixture("review_commune.json"), "json");
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(j->content_type, "application/json; charset=utf-8");
  EXPECT_EQ(j->extension, ".json");
  EXPECT_EQ(nlohmann::json::parse(j->bytes), fixture("review_commune.json"));
  auto pdf = render_review(fixture("review_commune.json"), "pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_EQ(pdf->bytes.rfind("%PDF-", 0), 0u);
}

// A boundaries file (report render --shapes) anyone can edit: wrong types are named,
// never thrown from inside the JSON library.
TEST(Charts, ShapesWithWrongTypesAreNamedByPath) {
  auto bad = [](const char* text) {
    auto r = shapes_from_feature_collection(nlohmann::json::parse(text));
    return r ? std::string("accepted") : r.error().fields.at(0).field + ": " + r.error().fields.at(0).message;
  };
  EXPECT_EQ(bad(R"({"features":[{"properties":{"code":"1","name":5}}]})"), "features[0].properties.name: must be a string");
  EXPECT_EQ(bad(R"({"features":[{"properties":{"code":"1"}}, 7]})"), "features[1]: must be an object");
  EXPECT_EQ(bad(R"({"features":[{"properties":[1]}]})"), "features[0].properties.code: missing or not a string");
  auto g = shape_rings(UnitShape{"1", "A", nlohmann::json::parse(R"({"type":5,"coordinates":[]})"), {}});
  ASSERT_FALSE(g);
  auto m = shape_rings(UnitShape{"1", "A", nlohmann::json::parse(R"({"type":"MultiPolygon","coordinates":3})"), {}});
  ASSERT_FALSE(m);
}

TEST(Charts, AxisStepsAndLabels) {
  EXPECT_EQ(nice_step(120, 6), 20);
  EXPECT_EQ(nice_step(3000, 4), 1000);
  EXPECT_EQ(nice_step(7, 4), 2);
  EXPECT_EQ(compact_number_vi(12500), "12.500");
  EXPECT_EQ(compact_number_vi(1.5), "1,5");
  EXPECT_EQ(compact_number_vi(35), "35");
  SvgCanvas svg(100, 50);
  static_cast<Canvas&>(svg).text(1, 2, "a < b & \"c\"", 8, Anchor::start);
  EXPECT_NE(svg.str("t<").find("a &lt; b &amp; &quot;c&quot;"), std::string::npos);
  EXPECT_NE(svg.str("t<").find("<title>t&lt;</title>"), std::string::npos);
}

}  // namespace
// The support section (docs/review-json.md `support`): a table per policy after the
// indicators, in millions of đồng, illustrative policies marked; a bad section is
// refused by path; no section (null) prints nothing.
static nlohmann::json support_section() {
  return nlohmann::json::parse(R"({"year": 2023, "illustrative": true,
    "check_run": {"id": 3, "run_at": "2023-06-20T20:15:00Z", "run_by": "user:prov"},
    "policies": [
      {"policy": "TEA", "name_vi": "Hỗ trợ trồng mới chè", "name_en": "", "item": "area", "illustrative": true,
       "applications": 142, "unchecked": 3, "payable": 118.64, "approved": 1423500000, "paid": 980000000,
       "planned": 2500000000, "remaining": 1076500000, "findings": {"overlap": 4, "over_declared": 7}},
      {"policy": "BEES", "name_vi": "Hỗ trợ nuôi ong", "name_en": null, "item": "hive", "illustrative": false,
       "applications": 38, "unchecked": 0, "payable": 760, "approved": 228000000, "paid": 228000000,
       "planned": null, "remaining": null, "findings": {}}],
    "total": {"applications": 180, "unchecked": 3, "approved": 1651500000, "paid": 1208000000,
              "planned": 2500000000, "remaining": 848500000, "findings": {"over_declared": 7, "overlap": 4}}})");
}

TEST(ReviewReport, SupportSectionIsATablePerPolicy) {
  auto r = fixture("review_province_nq05.json");
  auto none = build_review_document(r, laichau_shapes(), {});
  ASSERT_TRUE(none);
  EXPECT_EQ(find_table(none->body, "Biểu 2. Tình hình thực hiện chính sách hỗ trợ"), nullptr);
  r["support"] = support_section();
  ASSERT_TRUE(validate_review(r));
  auto doc = build_review_document(r, laichau_shapes(), {});
  ASSERT_TRUE(doc) << doc.error().message;
  const Table* t = find_table(doc->body, "Biểu 2. Tình hình thực hiện chính sách hỗ trợ năm 2023");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 3u);  // two policies and the total
  EXPECT_EQ(t->rows[0][1].text, "Hỗ trợ trồng mới chè (TEA) — minh họa");
  EXPECT_EQ(t->rows[0][2].text, "142");
  EXPECT_EQ(t->rows[0][3].text, "118,6 ha (3 hồ sơ chưa kiểm tra)");
  EXPECT_EQ(t->rows[0][4].text, "1.423,5");  // triệu đồng
  EXPECT_EQ(t->rows[0][6].text, "1.076,5");
  EXPECT_EQ(t->rows[0][7].text, "kê khai vượt diện tích 7; chồng lấn 4");
  EXPECT_EQ(t->rows[1][1].text, "Hỗ trợ nuôi ong (BEES)");
  EXPECT_EQ(t->rows[1][3].text, "760 đàn ong");
  EXPECT_EQ(t->rows[1][6].text, "–");  // no budget line
  EXPECT_EQ(t->rows[1][7].text, "không");
  EXPECT_EQ(t->rows[2][1].text, "Tổng cộng");
  EXPECT_EQ(t->rows[2][5].text, "1.208");
  r["support"]["policies"][1]["paid"] = -2500000;  // a recovery larger than the year's payments
  auto recovered = build_review_document(r, laichau_shapes(), {});
  EXPECT_EQ(find_table(recovered->body, "Biểu 2.")->rows[1][5].text, "−2,5");
  EXPECT_NE(t->note.find("triệu đồng"), std::string::npos);
  // The run is dated in Vietnam's time: 20:15 UTC on 20 June is 21 June in Lai Châu.
  bool dated = false;
  for (const auto& b : doc->body)
    if (const auto* p = std::get_if<Paragraph>(&b)) dated = dated || p->text.find("chạy ngày 21/06/2023") != std::string::npos;
  EXPECT_TRUE(dated);
  // Every format renders it; the XLSX has its sheet.
  for (const char* f : {"pdf", "docx", "html"}) {
    auto b = render_bytes(r, laichau_shapes(), {}, f);
    ASSERT_TRUE(b) << f << ": " << b.error().message;
    EXPECT_FALSE(b->empty()) << f;
  }
  auto xlsx = render_bytes(r, laichau_shapes(), {}, "xlsx");
  ASSERT_TRUE(xlsx);
  auto x = unzip(*xlsx);
  EXPECT_NE(x["xl/workbook.xml"].find("Hỗ trợ"), std::string::npos);
}

TEST(ReviewReport, SupportSectionIsCheckedByPath) {
  auto r = fixture("review_province_nq05.json");
  r["support"] = support_section();
  r["support"]["policies"][0]["item"] = "acre";
  r["support"]["policies"][1]["approved"] = "many";
  r["support"]["total"]["findings"]["overlap"] = -1;
  r["support"].erase("check_run");
  auto s = validate_review(r);
  ASSERT_FALSE(s);
  std::set<std::string> fields;
  for (const auto& e : s.error().fields) fields.insert(e.field);
  EXPECT_TRUE(fields.contains("support.policies[0].item"));
  EXPECT_TRUE(fields.contains("support.policies[1].approved"));
  EXPECT_TRUE(fields.contains("support.total.findings.overlap"));
  EXPECT_TRUE(fields.contains("support.check_run"));
  r["support"] = nullptr;
  EXPECT_TRUE(validate_review(r));
}

}  // namespace nongsan::reports
