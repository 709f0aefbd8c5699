// PDF: cairo's PDF surface with Pango text in Liberation Serif (embedded as a subset by
// cairo). The layout follows the same profile numbers as the DOCX writer; text flows
// line by line so paragraphs and tables break across pages.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "reports/cairo_canvas.hpp"
#include "reports/document_writers.hpp"

namespace nongsan::reports {

namespace {

constexpr double kMm = 72.0 / 25.4;

enum class HAlign { left, center, right, justify };

class PdfBuilder {
 public:
  explicit PdfBuilder(const OfficialDocument& d) : doc_(d), p_(layout_profile(d.profile)) {
    page_w_ = p_.page_w_mm * kMm;
    page_h_ = p_.page_h_mm * kMm;
    left_ = p_.margin_left_mm * kMm;
    right_ = page_w_ - p_.margin_right_mm * kMm;
    top_ = p_.margin_top_mm * kMm;
    bottom_ = page_h_ - p_.margin_bottom_mm * kMm;
    text_w_ = right_ - left_;
  }

  std::vector<std::uint8_t> build() {
    auto write = [](void* closure, const unsigned char* data, unsigned int length) -> cairo_status_t {
      auto* v = static_cast<std::vector<std::uint8_t>*>(closure);
      v->insert(v->end(), data, data + length);
      return CAIRO_STATUS_SUCCESS;
    };
    surface_ = cairo_pdf_surface_create_for_stream(write, &out_, page_w_, page_h_);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, (doc_.type_name + " " + doc_.title).c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "nongsan");
    cr_ = cairo_create(surface_);
    y_ = top_;
    page_decorations();
    header_block();
    title_block();
    blocks(doc_.body);
    signature_block();
    if (!doc_.appendix.empty()) {
      new_page();
      blocks(doc_.appendix);
    }
    cairo_show_page(cr_);
    cairo_destroy(cr_);
    cairo_surface_finish(surface_);
    cairo_status_t st = cairo_surface_status(surface_);
    cairo_surface_destroy(surface_);
    if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("PDF: ") + cairo_status_to_string(st));
    return std::move(out_);
  }

 private:
  // --- text -------------------------------------------------------------------
  PangoLayout* layout(const std::string& text, double pt, bool bold, bool italic, double width, HAlign align,
                      double indent = 0, double spacing = 1.0, bool underline = false) {
    PangoLayout* l = pango_cairo_create_layout(cr_);
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, kPdfFontFamily);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align == HAlign::center  ? PANGO_ALIGN_CENTER
                                  : align == HAlign::right ? PANGO_ALIGN_RIGHT
                                                           : PANGO_ALIGN_LEFT);
    pango_layout_set_justify(l, align == HAlign::justify);
    if (indent != 0) pango_layout_set_indent(l, static_cast<int>(indent * PANGO_SCALE));
    if (spacing != 1.0) pango_layout_set_line_spacing(l, static_cast<float>(spacing));
    if (underline) {
      PangoAttrList* attrs = pango_attr_list_new();
      pango_attr_list_insert(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
      pango_layout_set_attributes(l, attrs);
      pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(l, text.c_str(), static_cast<int>(text.size()));
    return l;
  }

  static double height(PangoLayout* l) {
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return h / double(PANGO_SCALE);
  }

  // Draws the whole layout at (x, y) without page breaks; returns its height.
  double draw_at(PangoLayout* l, double x, double y) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
    return height(l);
  }

  // Draws line by line from y_, starting a new page when a line does not fit.
  void flow(PangoLayout* l, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    double offset = 0;  // layout y at the top of the current page's part
    bool first = true;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double ly = logical.y / double(PANGO_SCALE), lh = logical.height / double(PANGO_SCALE);
      if (!first && y_ + (ly - offset) + lh > bottom_) {
        double used = ly - offset;
        y_ += used;
        new_page();
        offset = ly;
      }
      first = false;
      double baseline = pango_layout_iter_get_baseline(it) / double(PANGO_SCALE);
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, x + logical.x / double(PANGO_SCALE), y_ + baseline - offset);
      pango_cairo_show_layout_line(cr_, line);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    y_ += height(l) - offset;
  }

  void text_line(const std::string& text, double pt, bool bold, bool italic, double x, double w, HAlign a,
                 double after = 0) {
    PangoLayout* l = layout(text, pt, bold, italic, w, a);
    ensure(height(l));
    y_ += draw_at(l, x, y_) + after;
    g_object_unref(l);
  }

  void rule(double cx, double y, double length, double width = 0.6) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, cx - length / 2, y);
    cairo_line_to(cr_, cx + length / 2, y);
    cairo_stroke(cr_);
  }

  // --- pages ------------------------------------------------------------------
  void ensure(double h) {
    if (y_ + h > bottom_ && y_ > top_ + 1) new_page();
  }

  void new_page() {
    cairo_show_page(cr_);
    ++page_;
    y_ = top_;
    page_decorations();
  }

  // Page number centred in the top margin from page 2 (ND 30 Phụ lục I); the data note at the foot.
  void page_decorations() {
    if (page_ >= 2) {
      PangoLayout* l = layout(std::to_string(page_), p_.page_number_pt, false, false, text_w_, HAlign::center);
      draw_at(l, left_, top_ / 2 - height(l) / 2);
      g_object_unref(l);
    }
    if (!doc_.footer_note.empty()) {
      PangoLayout* l = layout(doc_.footer_note, 8, false, true, text_w_, HAlign::right);
      draw_at(l, left_, page_h_ - 7 * kMm - height(l));
      g_object_unref(l);
    }
  }

  // --- header -------------------------------------------------------------------
  void header_block() {
    const double lw = text_w_ * p_.header_left_fraction, rw = text_w_ - lw;
    const double lx = left_, rx = left_ + lw;
    double ly = y_, ry = y_;
    auto put = [&](double& yy, double x, double w, const std::string& text, double pt, bool bold, bool italic) {
      PangoLayout* l = layout(text, pt, bold, italic, w, HAlign::center);
      yy += draw_at(l, x, yy);
      g_object_unref(l);
    };
    if (!doc_.superior_body.empty()) put(ly, lx, lw, doc_.superior_body, p_.superior_pt, false, false);
    put(ly, lx, lw, doc_.issuing_body, p_.issuer_pt, true, false);
    if (p_.issuer_rule) {
      double name_w = 0;
      std::size_t i = 0;
      while (i <= doc_.issuing_body.size()) {
        auto j = doc_.issuing_body.find('\n', i);
        if (j == std::string::npos) j = doc_.issuing_body.size();
        name_w = std::max(name_w, measure_text(doc_.issuing_body.substr(i, j - i), p_.issuer_pt, true));
        i = j + 1;
      }
      rule(lx + lw / 2, ly + 3, std::min(lw, name_w * 0.4));
      ly += 6;
    } else {
      put(ly, lx, lw, "*", p_.issuer_pt, false, false);
    }
    put(ry, rx, rw, national_title(p_), p_.national_title_pt, true, false);
    if (p_.national_motto) {
      put(ry, rx, rw, kMotto, p_.motto_pt, true, false);
      rule(rx + rw / 2, ry + 3, measure_text(kMotto, p_.motto_pt, true));
    } else {
      rule(rx + rw / 2, ry + 3, measure_text(national_title(p_), p_.national_title_pt, true));
    }
    ry += 6;
    double row2 = std::max(ly, ry) + 6;  // number and date on the same row
    double a = row2, b = row2;
    put(a, lx, lw, number_line(doc_), p_.number_pt, false, false);
    put(b, rx, rw, place_date_line(doc_.place, doc_.date), p_.date_pt, false, true);
    y_ = std::max(a, b);
  }

  void title_block() {
    y_ += 18;
    text_line(doc_.type_name, p_.type_pt, true, false, left_, text_w_, HAlign::center);
    text_line(doc_.title, p_.title_pt, true, false, left_ + text_w_ * 0.05, text_w_ * 0.9, HAlign::center);
    if (p_.title_rule) {
      rule(left_ + text_w_ / 2, y_ + 4, text_w_ / 3);
      y_ += 8;
    } else {
      text_line("-----", p_.title_pt, false, false, left_, text_w_, HAlign::center);
    }
    y_ += 10;
  }

  // --- body ---------------------------------------------------------------------
  void paragraph(const std::string& text, double pt, bool bold, bool italic, bool indent, HAlign a) {
    PangoLayout* l = layout(text, pt, bold, italic, text_w_, a, indent ? p_.first_line_indent_mm * kMm : 0,
                            p_.line_spacing);
    flow(l, left_);
    g_object_unref(l);
    y_ += p_.paragraph_after_pt;
  }

  void blocks(const std::vector<Block>& list) {
    auto labels = heading_labels(list, p_);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Block& b = list[i];
      if (std::holds_alternative<Heading>(b)) {
        ensure(p_.heading_pt * 4);  // keep a heading with the start of what follows
        y_ += 6;
        paragraph(labels[i], p_.heading_pt, true, false, true, HAlign::justify);
      } else if (const auto* t = std::get_if<Paragraph>(&b)) {
        paragraph(t->text, p_.body_pt, t->bold, t->italic, t->indent, HAlign::justify);
      } else if (const auto* n = std::get_if<Note>(&b)) {
        paragraph(n->text, p_.note_pt, false, true, false, HAlign::left);
      } else if (const auto* tb = std::get_if<Table>(&b)) {
        table(*tb);
      } else if (const auto* f = std::get_if<Figure>(&b)) {
        figure(*f);
      } else if (std::holds_alternative<PageBreak>(b)) {
        new_page();
      } else if (const auto* a = std::get_if<AppendixHeading>(&b)) {
        text_line(a->label, p_.heading_pt, true, false, left_, text_w_, HAlign::center);
        text_line(a->title, p_.heading_pt, true, false, left_, text_w_, HAlign::center);
        if (!a->note.empty()) text_line(a->note, p_.heading_pt, false, true, left_, text_w_, HAlign::center);
        rule(left_ + text_w_ / 2, y_ + 4, text_w_ / 4);
        y_ += 14;
      }
    }
  }

  struct Placed {
    const Cell* cell;
    int row, col, colspan, rowspan;
  };

  // Cells placed on a grid (spans resolved), the height each row needs.
  std::vector<Placed> place(const std::vector<std::vector<Cell>>& rows, std::size_t ncol) {
    std::vector<Placed> out;
    std::vector<int> busy_until(ncol, -1);  // last row a rowspan occupies in each column
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
      std::size_t col = 0;
      for (const auto& c : rows[r]) {
        while (col < ncol && busy_until[col] >= r) ++col;
        if (col >= ncol) break;
        int span = std::max(1, std::min<int>(c.colspan, static_cast<int>(ncol - col)));
        out.push_back({&c, r, static_cast<int>(col), span, std::max(1, c.rowspan)});
        for (int s = 0; s < span; ++s) busy_until[col + s] = r + std::max(1, c.rowspan) - 1;
        col += span;
      }
    }
    return out;
  }

  static constexpr double kPadX = 2.5, kPadY = 2.0;

  std::vector<double> row_heights(const std::vector<Placed>& cells, std::size_t nrows, const std::vector<double>& xs,
                                  double pt) {
    std::vector<double> h(nrows, pt * 1.2 + 2 * kPadY);
    auto need = [&](const Placed& c) {
      double w = xs[c.col + c.colspan] - xs[c.col] - 2 * kPadX;
      PangoLayout* l = layout(c.cell->text, pt, c.cell->bold, false, w, HAlign::left);
      double v = height(l) + 2 * kPadY;
      g_object_unref(l);
      return v;
    };
    for (const auto& c : cells)
      if (c.rowspan == 1) h[c.row] = std::max(h[c.row], need(c));
    for (const auto& c : cells)
      if (c.rowspan > 1) {
        double have = 0;
        int last = std::min<int>(c.row + c.rowspan, static_cast<int>(nrows)) - 1;
        for (int r = c.row; r <= last; ++r) have += h[r];
        double n = need(c);
        if (n > have) h[last] += n - have;
      }
    return h;
  }

  void draw_cell(const Placed& c, double x0, double x1, double y0, double hgt, double pt) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, 0.5);
    cairo_rectangle(cr_, x0, y0, x1 - x0, hgt);
    cairo_stroke(cr_);
    HAlign a = c.cell->align == Cell::Align::center ? HAlign::center
               : c.cell->align == Cell::Align::right ? HAlign::right
                                                     : HAlign::left;
    PangoLayout* l = layout(c.cell->text, pt, c.cell->bold, false, x1 - x0 - 2 * kPadX, a);
    double th = height(l);
    draw_at(l, x0 + kPadX, y0 + (hgt - th) / 2);
    g_object_unref(l);
  }

  void table(const Table& t) {
    const double pt = t.font_pt > 0 ? t.font_pt : p_.table_pt;
    const std::size_t ncol = t.columns.size();
    double total = 0;
    for (const auto& c : t.columns) total += c.width_mm * kMm;
    double scale = total > text_w_ ? text_w_ / total : 1.0;
    double x = left_ + (text_w_ - total * scale) / 2;
    std::vector<double> xs{x};
    for (const auto& c : t.columns) xs.push_back(xs.back() + c.width_mm * kMm * scale);
    auto head = place(t.header, ncol);
    auto body = place(t.rows, ncol);
    auto hh = row_heights(head, t.header.size(), xs, pt);
    auto bh = row_heights(body, t.rows.size(), xs, pt);
    double head_h = 0;
    for (double v : hh) head_h += v;
    if (!t.caption.empty()) {
      PangoLayout* l = layout(t.caption, p_.caption_pt, true, false, text_w_, HAlign::center);
      ensure(height(l) + head_h + (bh.empty() ? 0 : bh[0]) + 4);
      y_ += draw_at(l, left_, y_) + 4;
      g_object_unref(l);
    }
    auto draw_rows = [&](const std::vector<Placed>& cells, const std::vector<double>& hs, int r) {
      for (const auto& c : cells) {
        if (c.row != r) continue;
        double hsum = 0;
        for (int k = c.row; k < c.row + c.rowspan && k < static_cast<int>(hs.size()); ++k) hsum += hs[k];
        draw_cell(c, xs[c.col], xs[c.col + c.colspan], y_, hsum, pt);
      }
    };
    auto draw_header = [&]() {
      for (std::size_t r = 0; r < t.header.size(); ++r) {
        draw_rows(head, hh, static_cast<int>(r));
        y_ += hh[r];
      }
    };
    ensure(head_h + (bh.empty() ? 0 : bh[0]));
    draw_header();
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (y_ + bh[r] > bottom_) {  // rows do not break; the header repeats on the new page
        new_page();
        draw_header();
      }
      draw_rows(body, bh, static_cast<int>(r));
      y_ += bh[r];
    }
    if (!t.note.empty()) {
      y_ += 3;
      paragraph(t.note, p_.note_pt, false, true, false, HAlign::left);
    }
    y_ += 8;
  }

  void figure(const Figure& f) {
    double w = f.width_mm * kMm, h = f.height_mm * kMm;
    if (w > text_w_) {
      h *= text_w_ / w;
      w = text_w_;
    }
    PangoLayout* cap = layout(f.caption, p_.caption_pt, false, true, text_w_, HAlign::center);
    ensure(h + height(cap) + 8);
    cairo_save(cr_);
    cairo_translate(cr_, left_ + (text_w_ - w) / 2, y_);
    cairo_scale(cr_, w / (f.width_mm * kMm), h / (f.height_mm * kMm));
    CairoCanvas canvas(cr_);
    f.draw(canvas);
    cairo_restore(cr_);
    y_ += h + 4;
    y_ += draw_at(cap, left_, y_) + 10;
    g_object_unref(cap);
  }

  // --- signature ----------------------------------------------------------------
  void signature_block() {
    if (!p_.closing_mark.empty() && p_.closing_mark != ".")
      paragraph(p_.closing_mark, p_.body_pt, false, false, false, HAlign::left);
    const double lw = text_w_ * 0.45, rw = text_w_ - lw;
    const auto lines = recipient_lines(doc_);
    // Keep the block on one page.
    double need = p_.signature_pt * 1.2 * 8 + 30;
    need = std::max(need, (lines.size() + 1) * p_.recipients_pt * 1.25 + 10);
    ensure(need);
    y_ += 4;
    double ly = y_, ry = y_;
    {
      PangoLayout* l = layout(recipients_label(p_), p_.recipients_label_pt, p_.recipients_label_bold_italic,
                              p_.recipients_label_bold_italic, lw, HAlign::left, 0, 1.0, p_.recipients_label_underline);
      ly += draw_at(l, left_, ly);
      g_object_unref(l);
    }
    for (const auto& line : lines) {
      PangoLayout* l = layout(line, p_.recipients_pt, false, false, lw - 6, HAlign::left);
      ly += draw_at(l, left_, ly);
      g_object_unref(l);
    }
    auto put = [&](const std::string& s, bool bold) {
      PangoLayout* l = layout(s, p_.signature_pt, bold, false, rw, HAlign::center);
      ry += draw_at(l, left_ + lw, ry);
      g_object_unref(l);
    };
    if (!doc_.signature.authority.empty()) put(doc_.signature.authority, true);
    put(doc_.signature.position, p_.signature_position_bold);
    ry += 28 * kMm * 0.9;  // space for the signature and the seal
    put(doc_.signature.name, true);
    y_ = std::max(ly, ry) + 6;
  }

  const OfficialDocument& doc_;
  const LayoutProfile& p_;
  double page_w_, page_h_, left_, right_, top_, bottom_, text_w_;
  double y_ = 0;
  int page_ = 1;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  std::vector<std::uint8_t> out_;
};

}  // namespace

std::vector<std::uint8_t> render_pdf(const OfficialDocument& doc) { return PdfBuilder(doc).build(); }

}  // namespace nongsan::reports
