// DOCX: the OOXML parts written as text into a ZIP. Sizes come from the profile in
// points; WordprocessingML wants half-points (w:sz) and twips (1 pt = 20, 1 mm = 56.7).
#include <fmt/format.h>

#include <cmath>

#include "reports/cairo_canvas.hpp"
#include "reports/document_writers.hpp"
#include "reports/zip_writer.hpp"

namespace nongsan::reports {

namespace {

int twips(double mm) { return static_cast<int>(std::lround(mm * 1440.0 / 25.4)); }
int half_points(double pt) { return static_cast<int>(std::lround(pt * 2)); }
long emu(double mm) { return std::lround(mm * 36000.0); }

struct RunStyle {
  double pt = 14;
  bool bold = false, italic = false, underline = false;
};

std::string run(const std::string& text, const RunStyle& s) {
  std::string rpr = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" "
                    "w:eastAsia=\"Times New Roman\"/>";
  // Children of w:rPr in the order of the schema (Word rejects other orders): rFonts, b,
  // bCs, i, iCs, sz, szCs, u.
  if (s.bold) rpr += "<w:b/><w:bCs/>";
  if (s.italic) rpr += "<w:i/><w:iCs/>";
  rpr += fmt::format("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", half_points(s.pt));
  if (s.underline) rpr += "<w:u w:val=\"single\"/>";
  std::string out;
  // A "\n" in the text is a line break inside the paragraph.
  std::size_t i = 0;
  while (true) {
    auto j = text.find('\n', i);
    std::string part = text.substr(i, j == std::string::npos ? std::string::npos : j - i);
    out += "<w:r><w:rPr>" + rpr + "</w:rPr><w:t xml:space=\"preserve\">" + xml_escape(part) + "</w:t></w:r>";
    if (j == std::string::npos) break;
    out += "<w:r><w:rPr>" + rpr + "</w:rPr><w:br/></w:r>";
    i = j + 1;
  }
  return out;
}

struct ParaStyle {
  std::string jc = "both";  // both | center | left | right
  int first_line = 0;       // twips
  int ind_left = 0, ind_right = 0;
  int before = 0, after = 0;  // twips
  int line = 240;            // 240 = single
  bool keep_next = false;
  std::string border_bottom;  // e.g. "<w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/>"
};

std::string para(const std::string& runs, const ParaStyle& p) {
  std::string ppr;
  if (p.keep_next) ppr += "<w:keepNext/>";
  if (!p.border_bottom.empty()) ppr += "<w:pBdr>" + p.border_bottom + "</w:pBdr>";
  ppr += fmt::format("<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"auto\"/>", p.before, p.after,
                     p.line);
  if (p.first_line || p.ind_left || p.ind_right)
    ppr += fmt::format("<w:ind w:left=\"{}\" w:right=\"{}\" w:firstLine=\"{}\"/>", p.ind_left, p.ind_right, p.first_line);
  ppr += "<w:jc w:val=\"" + p.jc + "\"/>";
  return "<w:p><w:pPr>" + ppr + "</w:pPr>" + runs + "</w:p>";
}

// An empty paragraph whose bottom border is a rule `rule_mm` long, centred in a space
// `space_mm` wide (ND 30: rules are drawn lines, not underlined spaces).
std::string rule_para(double space_mm, double rule_mm) {
  ParaStyle p;
  p.jc = "center";
  int side = std::max(0, twips((space_mm - rule_mm) / 2));
  p.ind_left = side;
  p.ind_right = side;
  p.line = 240;
  p.border_bottom = "<w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/>";
  return "<w:p><w:pPr><w:pBdr>" + p.border_bottom +
         fmt::format("</w:pBdr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"120\" w:lineRule=\"exact\"/>"
                     "<w:ind w:left=\"{0}\" w:right=\"{0}\"/><w:jc w:val=\"center\"/><w:rPr><w:sz w:val=\"4\"/></w:rPr></w:pPr></w:p>",
                     side);
}

std::string centered(const std::string& text, const RunStyle& s, int after = 0) {
  ParaStyle p;
  p.jc = "center";
  p.after = after;
  return para(run(text, s), p);
}

const char* kNoBorders =
    "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>"
    "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>";
const char* kBorders =
    "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/></w:tblBorders>";

// A borderless two-column table (header block, signature block).
std::string two_columns(int left_tw, int right_tw, const std::vector<std::pair<std::string, std::string>>& rows,
                        int indent_tw = 0) {
  std::string t = fmt::format(
      "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"{}\" w:type=\"dxa\"/>{}"
      "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/>"
      "</w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"{}\"/><w:gridCol w:w=\"{}\"/></w:tblGrid>",
      left_tw + right_tw, indent_tw, kNoBorders, left_tw, right_tw);
  for (const auto& [l, r] : rows)
    t += fmt::format("<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>"
                     "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc></w:tr>",
                     left_tw, l.empty() ? "<w:p/>" : l, right_tw, r.empty() ? "<w:p/>" : r);
  return t + "</w:tbl>";
}

struct Image {
  std::string rel_id, target;
  std::vector<std::uint8_t> png;
};

class DocxBuilder {
 public:
  explicit DocxBuilder(const OfficialDocument& d) : doc_(d), p_(layout_profile(d.profile)) {
    text_w_mm_ = p_.page_w_mm - p_.margin_left_mm - p_.margin_right_mm;
  }

  std::vector<std::uint8_t> build() {
    std::string body;
    body += header_block();
    body += title_block();
    body += blocks(doc_.body);
    body += signature_block();
    if (!doc_.appendix.empty()) {
      body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
      body += blocks(doc_.appendix);
    }
    body += "<w:p/>";  // the body ends with a paragraph, never a table
    body += section();
    ZipWriter zip;
    zip.add("[Content_Types].xml", content_types());
    zip.add("_rels/.rels", root_rels());
    zip.add("docProps/core.xml", core_props());
    zip.add("docProps/app.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties "
            "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>nongsan</Application></Properties>");
    zip.add("word/document.xml", document(body));
    zip.add("word/styles.xml", styles());
    zip.add("word/settings.xml", settings());
    zip.add("word/header1.xml", header_with_page_number());
    zip.add("word/header2.xml", part("hdr", "<w:p/>"));
    zip.add("word/footer1.xml", footer());
    zip.add("word/_rels/document.xml.rels", document_rels());
    for (const auto& img : images_) zip.add("word/" + img.target, img.png, false);
    return zip.finish();
  }

 private:
  RunStyle body_style() const { return {p_.body_pt}; }

  std::string header_block() {
    const double left_mm = text_w_mm_ * p_.header_left_fraction, right_mm = text_w_mm_ - left_mm;
    // Left: cơ quan chủ quản, cơ quan ban hành, rule or "*"; right: national title, motto, rule.
    std::string left, right;
    if (!doc_.superior_body.empty()) left += centered(doc_.superior_body, {p_.superior_pt});
    left += centered(doc_.issuing_body, {p_.issuer_pt, true});
    double issuer_w = 0;
    {
      std::size_t i = 0;
      while (i <= doc_.issuing_body.size()) {
        auto j = doc_.issuing_body.find('\n', i);
        if (j == std::string::npos) j = doc_.issuing_body.size();
        issuer_w = std::max(issuer_w, measure_text(doc_.issuing_body.substr(i, j - i), p_.issuer_pt, true));
        i = j + 1;
      }
    }
    if (p_.issuer_rule)
      left += rule_para(left_mm, std::min(left_mm, issuer_w * 25.4 / 72.0 * 0.4));  // 1/3–1/2 of the name
    else
      left += centered("*", {p_.issuer_pt});
    right += centered(national_title(p_), {p_.national_title_pt, true});
    if (p_.national_motto) {
      right += centered(kMotto, {p_.motto_pt, true});
      right += rule_para(right_mm, measure_text(kMotto, p_.motto_pt, true) * 25.4 / 72.0);  // as long as the motto
    } else {
      right += rule_para(right_mm, measure_text(national_title(p_), p_.national_title_pt, true) * 25.4 / 72.0);
    }
    ParaStyle np;
    np.jc = "center";
    np.before = 120;
    std::string number = para(run(number_line(doc_), {p_.number_pt}), np);
    std::string date = para(run(place_date_line(doc_.place, doc_.date), {p_.date_pt, false, true}), np);
    return two_columns(twips(left_mm), twips(right_mm), {{left, right}, {number, date}});
  }

  std::string title_block() {
    std::string out;
    ParaStyle tp;
    tp.jc = "center";
    tp.before = 360;
    tp.keep_next = true;
    out += para(run(doc_.type_name, {p_.type_pt, true}), tp);
    ParaStyle sp;
    sp.jc = "center";
    sp.keep_next = true;
    out += para(run(doc_.title, {p_.title_pt, true}), sp);
    if (p_.title_rule) {
      // Rule of about 1/3 of the text line under the trích yếu.
      out += rule_para(text_w_mm_, text_w_mm_ / 3);
    } else {
      out += centered("-----", {p_.title_pt});
    }
    out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"120\"/></w:pPr></w:p>";
    return out;
  }

  ParaStyle body_para() const {
    ParaStyle p;
    p.first_line = twips(p_.first_line_indent_mm);
    p.after = static_cast<int>(p_.paragraph_after_pt * 20);
    p.line = static_cast<int>(std::lround(240 * p_.line_spacing));
    return p;
  }

  std::string blocks(const std::vector<Block>& list) {
    std::string out;
    auto labels = heading_labels(list, p_);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Block& b = list[i];
      if (std::holds_alternative<Heading>(b)) {
        ParaStyle p = body_para();
        p.keep_next = true;
        p.before = 120;
        out += para(run(labels[i], {p_.heading_pt, true}), p);
      } else if (const auto* t = std::get_if<Paragraph>(&b)) {
        ParaStyle p = body_para();
        if (!t->indent) p.first_line = 0;
        out += para(run(t->text, {p_.body_pt, t->bold, t->italic}), p);
      } else if (const auto* n = std::get_if<Note>(&b)) {
        ParaStyle p;
        p.jc = "left";
        p.after = 60;
        out += para(run(n->text, {p_.note_pt, false, true}), p);
      } else if (const auto* tb = std::get_if<Table>(&b)) {
        out += table(*tb);
      } else if (const auto* f = std::get_if<Figure>(&b)) {
        out += figure(*f);
      } else if (std::holds_alternative<PageBreak>(b)) {
        out += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
      } else if (const auto* a = std::get_if<AppendixHeading>(&b)) {
        out += centered(a->label, {p_.heading_pt, true});
        out += centered(a->title, {p_.heading_pt, true});
        if (!a->note.empty()) out += centered(a->note, {p_.heading_pt, false, true});
        out += rule_para(text_w_mm_, text_w_mm_ / 4);
        out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"120\"/></w:pPr></w:p>";
      }
    }
    return out;
  }

  std::string cell_para(const Cell& c, double pt) {
    ParaStyle p;
    p.jc = c.align == Cell::Align::center ? "center" : c.align == Cell::Align::right ? "right" : "left";
    p.line = 240;
    return para(run(c.text, {pt, c.bold}), p);
  }

  // Rows with colspan and rowspan: a grid of which columns each row's cells occupy,
  // vMerge "restart" where a rowspan starts and "continue" cells below it.
  std::string rows_xml(const std::vector<std::vector<Cell>>& rows, const std::vector<int>& col_tw, double pt,
                       bool header) {
    std::string out;
    const std::size_t ncol = col_tw.size();
    std::vector<int> pending(ncol, 0);  // remaining rows of a vertical merge in each column
    std::vector<int> pending_span(ncol, 1);
    for (const auto& row : rows) {
      out += "<w:tr><w:trPr><w:cantSplit/>";
      if (header) out += "<w:tblHeader/>";
      out += "</w:trPr>";
      std::size_t col = 0, k = 0;
      while (col < ncol) {
        if (pending[col] > 0) {
          int span = pending_span[col];
          int w = 0;
          for (int s = 0; s < span && col + s < ncol; ++s) w += col_tw[col + s];
          out += fmt::format("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{}<w:vMerge/></w:tcPr><w:p/></w:tc>", w,
                             span > 1 ? fmt::format("<w:gridSpan w:val=\"{}\"/>", span) : "");
          --pending[col];
          col += span;
          continue;
        }
        if (k >= row.size()) {  // short row: fill with empty cells
          out += fmt::format("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>", col_tw[col]);
          ++col;
          continue;
        }
        const Cell& c = row[k++];
        int span = std::max(1, std::min<int>(c.colspan, static_cast<int>(ncol - col)));
        int w = 0;
        for (int s = 0; s < span; ++s) w += col_tw[col + s];
        std::string tcpr = fmt::format("<w:tcW w:w=\"{}\" w:type=\"dxa\"/>", w);
        if (span > 1) tcpr += fmt::format("<w:gridSpan w:val=\"{}\"/>", span);
        if (c.rowspan > 1) {
          tcpr += "<w:vMerge w:val=\"restart\"/>";
          pending[col] = c.rowspan - 1;
          pending_span[col] = span;
        }
        tcpr += "<w:vAlign w:val=\"center\"/>";
        out += "<w:tc><w:tcPr>" + tcpr + "</w:tcPr>" + cell_para(c, pt) + "</w:tc>";
        col += span;
      }
      out += "</w:tr>";
    }
    return out;
  }

  std::string table(const Table& t) {
    std::string out;
    const double pt = t.font_pt > 0 ? t.font_pt : p_.table_pt;
    if (!t.caption.empty()) {
      ParaStyle p;
      p.jc = "center";
      p.before = 120;
      p.after = 60;
      p.keep_next = true;
      out += para(run(t.caption, {p_.caption_pt, true}), p);
    }
    std::vector<int> col_tw;
    int total = 0;
    for (const auto& c : t.columns) {
      col_tw.push_back(twips(c.width_mm));
      total += col_tw.back();
    }
    out += fmt::format(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>{}<w:tblLayout w:type=\"fixed\"/>"
        "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
        "<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>",
        total, kBorders);
    for (int w : col_tw) out += fmt::format("<w:gridCol w:w=\"{}\"/>", w);
    out += "</w:tblGrid>";
    out += rows_xml(t.header, col_tw, pt, true);
    out += rows_xml(t.rows, col_tw, pt, false);
    out += "</w:tbl>";
    if (!t.note.empty()) {
      ParaStyle p;
      p.jc = "left";
      p.before = 60;
      out += para(run(t.note, {p_.note_pt, false, true}), p);
    }
    out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"60\"/></w:pPr></w:p>";
    return out;
  }

  std::string figure(const Figure& f) {
    const double w_pt = f.width_mm * 72 / 25.4, h_pt = f.height_mm * 72 / 25.4;
    Image img;
    int n = static_cast<int>(images_.size()) + 1;
    img.rel_id = fmt::format("rIdImg{}", n);
    img.target = fmt::format("media/figure{}.png", n);
    img.png = render_png(w_pt, h_pt, 200, f.draw);
    images_.push_back(img);
    std::string drawing = fmt::format(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{0}\" cy=\"{1}\"/>"
        "<wp:docPr id=\"{2}\" name=\"Hình {2}\" descr=\"{4}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
        "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
        "<pic:nvPicPr><pic:cNvPr id=\"{2}\" name=\"figure{2}.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
        "<pic:blipFill><a:blip r:embed=\"{3}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{0}\" cy=\"{1}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
        emu(f.width_mm), emu(f.height_mm), n, img.rel_id, xml_escape(f.alt.empty() ? f.caption : f.alt));
    ParaStyle p;
    p.jc = "center";
    p.before = 120;
    p.keep_next = true;
    std::string out = para(drawing, p);
    ParaStyle c;
    c.jc = "center";
    c.after = 120;
    out += para(run(f.caption, {p_.caption_pt, false, true}), c);
    return out;
  }

  std::string signature_block() {
    std::string out;
    // The closing mark ends the body (state "./."; party ".").
    if (!p_.closing_mark.empty() && p_.closing_mark != ".") {
      ParaStyle p = body_para();
      p.first_line = 0;
      p.jc = "left";
      out += para(run(p_.closing_mark, body_style()), p);
    }
    const double left_mm = text_w_mm_ * 0.45, right_mm = text_w_mm_ - left_mm;
    std::string left;
    ParaStyle lp;
    lp.jc = "left";
    RunStyle label{p_.recipients_label_pt, p_.recipients_label_bold_italic, p_.recipients_label_bold_italic,
                   p_.recipients_label_underline};
    left += para(run(recipients_label(p_), label), lp);
    for (const auto& l : recipient_lines(doc_)) left += para(run(l, {p_.recipients_pt}), lp);
    std::string right;
    if (!doc_.signature.authority.empty()) right += centered(doc_.signature.authority, {p_.signature_pt, true});
    right += centered(doc_.signature.position, {p_.signature_pt, p_.signature_position_bold});
    for (int i = 0; i < 4; ++i) right += centered("", {p_.signature_pt});  // space for the signature and seal
    right += centered(doc_.signature.name, {p_.signature_pt, true});
    out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:p>";
    out += two_columns(twips(left_mm), twips(right_mm), {{left, right}});
    return out;
  }

  std::string section() {
    return fmt::format(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/><w:headerReference w:type=\"first\" r:id=\"rIdHeader2\"/>"
        "<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/><w:footerReference w:type=\"first\" r:id=\"rIdFooter1\"/>"
        "<w:pgSz w:w=\"{}\" w:h=\"{}\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"567\" "
        "w:footer=\"397\" w:gutter=\"0\"/><w:titlePg/></w:sectPr>",
        twips(p_.page_w_mm), twips(p_.page_h_mm), twips(p_.margin_top_mm), twips(p_.margin_right_mm),
        twips(p_.margin_bottom_mm), twips(p_.margin_left_mm));
  }

  static std::string ns() {
    return "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
           "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
           "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
           "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";
  }

  std::string document(const std::string& body) const {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document " + ns() + "><w:body>" + body +
           "</w:body></w:document>";
  }

  std::string part(const char* tag, const std::string& inner) const {
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:{0} {1}>{2}</w:{0}>", tag, ns(),
                       inner);
  }

  // Page number centred in the top margin (ND 30 Phụ lục I); the first page uses header2 (empty).
  std::string header_with_page_number() const {
    std::string rpr = fmt::format(
        "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr>",
        half_points(p_.page_number_pt));
    return part("hdr", "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r>" + rpr + "<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>" +
                           rpr + "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r>" + rpr +
                           "<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>" + rpr + "<w:t>2</w:t></w:r><w:r>" + rpr +
                           "<w:fldChar w:fldCharType=\"end\"/></w:r></w:p>");
  }

  std::string footer() const {
    ParaStyle p;
    p.jc = "right";
    return part("ftr", doc_.footer_note.empty() ? "<w:p/>" : para(run(doc_.footer_note, {8, false, true}), p));
  }

  std::string styles() const {
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles "
        "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr>"
        "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>"
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
        "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:rPr>"
        "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"{0}\"/></w:rPr></w:style>"
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
        "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>"
        "<w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>",
        half_points(p_.body_pt));
  }

  static std::string settings() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings "
           "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"720\"/>"
           "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" "
           "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";
  }

  std::string content_types() const {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Default Extension=\"png\" ContentType=\"image/png\"/>"
           "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
           "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
           "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
           "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
           "<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
           "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
           "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
           "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
           "</Types>";
  }

  static std::string root_rels() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
           "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
           "</Relationships>";
  }

  std::string document_rels() const {
    std::string r =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
        "<Relationship Id=\"rIdHeader1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
        "<Relationship Id=\"rIdHeader2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>"
        "<Relationship Id=\"rIdFooter1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>";
    for (const auto& img : images_)
      r += "<Relationship Id=\"" + img.rel_id +
           "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"" + img.target + "\"/>";
    return r + "</Relationships>";
  }

  std::string core_props() const {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties "
           "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
           xml_escape(doc_.type_name + " " + doc_.title) + "</dc:title><dc:creator>nongsan</dc:creator><dc:language>vi-VN</dc:language>"
           "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + doc_.date.iso() + "T00:00:00Z</dcterms:created></cp:coreProperties>";
  }

  const OfficialDocument& doc_;
  const LayoutProfile& p_;
  double text_w_mm_ = 165;
  std::vector<Image> images_;
};

}  // namespace

std::vector<std::uint8_t> render_docx(const OfficialDocument& doc) { return DocxBuilder(doc).build(); }

}  // namespace nongsan::reports
