// HTML: one self-contained page (no external files), print CSS for A4 with the
// profile's margins, figures as inline SVG. Every text goes through xml_escape.
#include <fmt/format.h>

#include "reports/canvas.hpp"
#include "reports/document_writers.hpp"

namespace nongsan::reports {

namespace {

std::string esc_lines(const std::string& s) {
  std::string out, e = xml_escape(s);
  for (char c : e) {
    if (c == '\n')
      out += "<br>";
    else
      out += c;
  }
  return out;
}

const char* align_class(Cell::Align a) {
  return a == Cell::Align::center ? "c" : a == Cell::Align::right ? "r" : "l";
}

std::string rows_html(const std::vector<std::vector<Cell>>& rows, const char* tag) {
  std::string out;
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& c : row) {
      out += fmt::format("<{} class=\"{}{}\"", tag, align_class(c.align), c.bold ? " b" : "");
      if (c.colspan > 1) out += fmt::format(" colspan=\"{}\"", c.colspan);
      if (c.rowspan > 1) out += fmt::format(" rowspan=\"{}\"", c.rowspan);
      if (!c.anchor.empty()) out += " id=\"" + xml_escape(c.anchor) + "\"";
      out += ">" + (c.href.empty() ? esc_lines(c.text) : "<a href=\"" + xml_escape(c.href) + "\">" + esc_lines(c.text) + "</a>") +
             "</" + tag + ">";
    }
    out += "</tr>\n";
  }
  return out;
}

std::string blocks_html(const std::vector<Block>& list, const LayoutProfile& p) {
  std::string out;
  auto labels = heading_labels(list, p);
  int figure_no = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Block& b = list[i];
    if (const auto* h = std::get_if<Heading>(&b)) {
      out += fmt::format("<h{0} class=\"h\">{1}</h{0}>\n", h->level <= 1 ? 2 : 3, xml_escape(labels[i]));
    } else if (const auto* t = std::get_if<Paragraph>(&b)) {
      out += fmt::format("<p class=\"body{}{}{}\">{}</p>\n", t->indent ? "" : " noindent", t->italic ? " i" : "",
                         t->bold ? " b" : "", esc_lines(t->text));
    } else if (const auto* n = std::get_if<Note>(&b)) {
      out += "<p class=\"note\">" + esc_lines(n->text) + "</p>\n";
    } else if (const auto* tb = std::get_if<Table>(&b)) {
      double pt = tb->font_pt > 0 ? tb->font_pt : p.table_pt;
      out += fmt::format("<table style=\"font-size:{}pt\">", pt);
      if (!tb->caption.empty()) out += "<caption>" + xml_escape(tb->caption) + "</caption>";
      out += "<colgroup>";
      for (const auto& c : tb->columns) out += fmt::format("<col style=\"width:{:.1f}mm\">", c.width_mm);
      out += "</colgroup><thead>\n" + rows_html(tb->header, "th") + "</thead><tbody>\n" + rows_html(tb->rows, "td") +
             "</tbody></table>\n";
      if (!tb->note.empty()) out += "<p class=\"note\">" + esc_lines(tb->note) + "</p>\n";
    } else if (const auto* f = std::get_if<Figure>(&b)) {
      ++figure_no;
      const double w = f->width_mm * 72 / 25.4, h = f->height_mm * 72 / 25.4;
      SvgCanvas svg(w, h);
      f->draw(svg);
      out += fmt::format("<figure id=\"figure-{}\" style=\"max-width:{:.1f}mm\">{}<figcaption>{}</figcaption></figure>\n",
                         figure_no, f->width_mm, svg.str(f->alt.empty() ? f->caption : f->alt), xml_escape(f->caption));
    } else if (std::holds_alternative<PageBreak>(b)) {
      out += "<div class=\"page-break\"></div>\n";
    } else if (const auto* a = std::get_if<AppendixHeading>(&b)) {
      out += "<div class=\"appendix-head\"><p class=\"b c\">" + xml_escape(a->label) + "</p><p class=\"b c\">" +
             xml_escape(a->title) + "</p>";
      if (!a->note.empty()) out += "<p class=\"i c\">" + xml_escape(a->note) + "</p>";
      out += "<hr class=\"rule quarter\"></div>\n";
    }
  }
  return out;
}

}  // namespace

std::string render_html(const OfficialDocument& doc) {
  const auto& p = layout_profile(doc.profile);
  const double text_w = p.page_w_mm - p.margin_left_mm - p.margin_right_mm;
  std::string css = fmt::format(R"(
@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
html {{ background: #e8e8e8; }}
body {{ font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: {body}pt; color: #000; margin: 0; }}
.page {{ background: #fff; width: {textw}mm; margin: 8mm auto; padding: {top}mm {right}mm {bottom}mm {left}mm; box-shadow: 0 0 4px #999; }}
@media print {{ html {{ background: none; }} .page {{ margin: 0; padding: 0; box-shadow: none; width: auto; }} .page-break {{ break-after: page; }}
  thead {{ display: table-header-group; }} tr {{ break-inside: avoid; }} figure {{ break-inside: avoid; }} .appendix {{ break-before: page; }} }}
.hdr {{ display: grid; grid-template-columns: {lpct:.0f}% {rpct:.0f}%; text-align: center; }}
.hdr p {{ margin: 0; }}
.superior {{ font-size: {sup}pt; }} .issuer {{ font-size: {iss}pt; font-weight: bold; }}
.national {{ font-size: {nat}pt; font-weight: bold; }} .motto {{ font-size: {motto}pt; font-weight: bold; }}
.number {{ font-size: {num}pt; margin-top: 6pt !important; }} .date {{ font-size: {date}pt; font-style: italic; margin-top: 6pt !important; }}
.rule {{ border: 0; border-top: 0.6pt solid #000; margin: 1pt auto 2pt; }}
.rule.third {{ width: 33%; }} .rule.quarter {{ width: 25%; }}
.type {{ font-size: {type}pt; font-weight: bold; text-align: center; margin: 18pt 0 0; }}
.title {{ font-size: {title}pt; font-weight: bold; text-align: center; margin: 0 5%; }}
.dashes {{ text-align: center; margin: 0; }}
h2.h, h3.h {{ font-size: {heading}pt; font-weight: bold; margin: 6pt 0 {after}pt; text-indent: {indent}mm; text-align: justify; }}
p.body {{ text-align: justify; text-indent: {indent}mm; margin: 0 0 {after}pt; line-height: {ls}; }}
p.noindent {{ text-indent: 0; }}
.i {{ font-style: italic; }} .b {{ font-weight: bold; }} .c {{ text-align: center; }} .r {{ text-align: right; }} .l {{ text-align: left; }}
p.note {{ font-size: {note}pt; font-style: italic; margin: 2pt 0 6pt; }}
table {{ border-collapse: collapse; margin: 4pt auto 8pt; table-layout: fixed; }}
caption {{ font-weight: bold; font-size: {cap}pt; padding-bottom: 4pt; break-after: avoid; }}
h2.h, h3.h {{ break-after: avoid; }}
th, td {{ border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: middle; }}
th {{ font-weight: bold; text-align: center; }}
figure {{ margin: 8pt auto; text-align: center; }} figure svg {{ width: 100%; height: auto; }}
figcaption {{ font-style: italic; font-size: {cap}pt; }}
.sign {{ display: grid; grid-template-columns: 45% 55%; margin-top: 8pt; break-inside: avoid; }}
.sign p {{ margin: 0; }}
.recipients-label {{ font-size: {rl}pt; {rlstyle} }} .recipients {{ font-size: {rp}pt; }}
.signer {{ text-align: center; font-size: {sig}pt; }} .signer .space {{ height: 25mm; }}
.footer-note {{ font-size: 8pt; font-style: italic; text-align: right; margin-top: 12pt; color: #333; }}
)",
                                fmt::arg("top", p.margin_top_mm), fmt::arg("right", p.margin_right_mm),
                                fmt::arg("bottom", p.margin_bottom_mm), fmt::arg("left", p.margin_left_mm),
                                fmt::arg("body", p.body_pt), fmt::arg("textw", text_w),
                                fmt::arg("lpct", p.header_left_fraction * 100),
                                fmt::arg("rpct", 100 - p.header_left_fraction * 100), fmt::arg("sup", p.superior_pt),
                                fmt::arg("iss", p.issuer_pt), fmt::arg("nat", p.national_title_pt),
                                fmt::arg("motto", p.motto_pt), fmt::arg("num", p.number_pt), fmt::arg("date", p.date_pt),
                                fmt::arg("type", p.type_pt), fmt::arg("title", p.title_pt),
                                fmt::arg("heading", p.heading_pt), fmt::arg("after", p.paragraph_after_pt),
                                fmt::arg("indent", p.first_line_indent_mm), fmt::arg("ls", p.line_spacing),
                                fmt::arg("note", p.note_pt), fmt::arg("cap", p.caption_pt),
                                fmt::arg("rl", p.recipients_label_pt),
                                fmt::arg("rlstyle", p.recipients_label_underline ? "text-decoration: underline;"
                                                                                 : "font-weight: bold; font-style: italic;"),
                                fmt::arg("rp", p.recipients_pt), fmt::arg("sig", p.signature_pt));

  std::string issuer_lines;
  std::string out = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" +
                    xml_escape(doc.type_name + " " + doc.title) + "</title><style>" + css + "</style></head><body>\n";
  out += "<div class=\"page\">\n<header class=\"hdr\"><div>";
  if (!doc.superior_body.empty()) out += "<p class=\"superior\">" + esc_lines(doc.superior_body) + "</p>";
  out += "<p class=\"issuer\">" + esc_lines(doc.issuing_body) + "</p>";
  out += p.issuer_rule ? "<hr class=\"rule\" style=\"width:20%\">" : "<p class=\"issuer-star\">*</p>";
  out += "</div><div><p class=\"national\">" + xml_escape(national_title(p)) + "</p>";
  if (p.national_motto)
    out += "<p class=\"motto\">" + xml_escape(kMotto) + "</p><hr class=\"rule\" style=\"width:max-content;min-width:62%\">";
  else
    out += "<hr class=\"rule\" style=\"width:70%\">";
  out += "</div><p class=\"number\">" + xml_escape(number_line(doc)) + "</p><p class=\"date\">" +
         xml_escape(place_date_line(doc.place, doc.date)) + "</p></header>\n";
  out += "<p class=\"type\">" + xml_escape(doc.type_name) + "</p>\n<p class=\"title\">" + esc_lines(doc.title) + "</p>\n";
  out += p.title_rule ? "<hr class=\"rule third\">\n" : "<p class=\"dashes\">-----</p>\n";
  out += "<main>\n" + blocks_html(doc.body, p);
  if (!p.closing_mark.empty() && p.closing_mark != ".") out += "<p class=\"body noindent\">" + xml_escape(p.closing_mark) + "</p>\n";
  out += "</main>\n<section class=\"sign\"><div><p class=\"recipients-label\">" + xml_escape(recipients_label(p)) + "</p>";
  for (const auto& l : recipient_lines(doc)) out += "<p class=\"recipients\">" + xml_escape(l) + "</p>";
  out += "</div><div class=\"signer\">";
  if (!doc.signature.authority.empty()) out += "<p class=\"b\">" + xml_escape(doc.signature.authority) + "</p>";
  out += fmt::format("<p{}>", p.signature_position_bold ? " class=\"b\"" : "") + xml_escape(doc.signature.position) +
         "</p><div class=\"space\"></div><p class=\"b\">" + xml_escape(doc.signature.name) + "</p></div></section>\n";
  if (!doc.appendix.empty()) out += "<section class=\"appendix\">\n" + blocks_html(doc.appendix, p) + "</section>\n";
  if (!doc.footer_note.empty()) out += "<p class=\"footer-note\">" + xml_escape(doc.footer_note) + "</p>\n";
  out += "</div>\n</body></html>\n";
  return out;
}

}  // namespace nongsan::reports
