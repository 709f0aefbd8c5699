#include "reports/cairo_canvas.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <memory>
#include <stdexcept>

namespace nongsan::reports {

namespace {

void set_rgb(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

PangoLayout* make_layout(cairo_t* cr, const std::string& utf8, double size_pt, bool bold, bool italic) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* fd = pango_font_description_new();
  pango_font_description_set_family(fd, kPdfFontFamily);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
  pango_layout_set_font_description(layout, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(layout, utf8.c_str(), static_cast<int>(utf8.size()));
  return layout;
}

}  // namespace

void CairoCanvas::apply(const Stroke& s) {
  set_rgb(cr_, s.color);
  cairo_set_line_width(cr_, s.width);
  if (s.dashed) {
    const double d[] = {3.0 * std::max(1.0, s.width), 2.0 * std::max(1.0, s.width)};
    cairo_set_dash(cr_, d, 2, 0);
  } else {
    cairo_set_dash(cr_, nullptr, 0, 0);
  }
}

void CairoCanvas::rect(double x, double y, double w, double h, const Rgb* fill, const Stroke* stroke) {
  cairo_new_path(cr_);
  cairo_rectangle(cr_, x, y, w, h);
  if (fill) {
    set_rgb(cr_, *fill);
    stroke ? cairo_fill_preserve(cr_) : cairo_fill(cr_);
  }
  if (stroke) {
    apply(*stroke);
    cairo_stroke(cr_);
  }
}

void CairoCanvas::line(double x1, double y1, double x2, double y2, const Stroke& stroke) {
  polyline({{x1, y1}, {x2, y2}}, stroke);
}

void CairoCanvas::polyline(const std::vector<Pt>& pts, const Stroke& stroke) {
  if (pts.size() < 2) return;
  cairo_new_path(cr_);
  cairo_move_to(cr_, pts[0].x, pts[0].y);
  for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
  apply(stroke);
  cairo_stroke(cr_);
}

void CairoCanvas::polygon(const std::vector<Ring>& rings, const Rgb* fill, const Stroke* stroke) {
  cairo_new_path(cr_);
  for (const auto& ring : rings) {
    if (ring.size() < 3) continue;
    cairo_move_to(cr_, ring[0].x, ring[0].y);
    for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(cr_, ring[i].x, ring[i].y);
    cairo_close_path(cr_);
  }
  cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_EVEN_ODD);
  if (fill) {
    set_rgb(cr_, *fill);
    stroke ? cairo_fill_preserve(cr_) : cairo_fill(cr_);
  }
  if (stroke) {
    apply(*stroke);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr_);
  }
}

void CairoCanvas::circle(double cx, double cy, double r, const Rgb* fill, const Stroke* stroke) {
  cairo_new_path(cr_);
  cairo_arc(cr_, cx, cy, r, 0, 2 * M_PI);
  if (fill) {
    set_rgb(cr_, *fill);
    stroke ? cairo_fill_preserve(cr_) : cairo_fill(cr_);
  }
  if (stroke) {
    apply(*stroke);
    cairo_stroke(cr_);
  }
}

void CairoCanvas::text(double x, double y, const std::string& utf8, double size_pt, Anchor anchor, bool bold,
                       const Rgb& color, bool italic) {
  PangoLayout* layout = make_layout(cr_, utf8, size_pt, bold, italic);
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  double w = logical.width / double(PANGO_SCALE);
  double baseline = pango_layout_get_baseline(layout) / double(PANGO_SCALE);
  double left = anchor == Anchor::start ? x : anchor == Anchor::middle ? x - w / 2 : x - w;
  cairo_new_path(cr_);
  cairo_move_to(cr_, left, y - baseline);
  set_rgb(cr_, color);
  pango_cairo_show_layout(cr_, layout);
  g_object_unref(layout);
}

double CairoCanvas::text_width(const std::string& utf8, double size_pt, bool bold) {
  return measure_text(utf8, size_pt, bold);
}

double measure_text(const std::string& utf8, double size_pt, bool bold) {
  // A 1×1 image surface gives a context with the same font map as the PDF writer.
  thread_local cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  thread_local cairo_t* cr = cairo_create(surface);
  PangoLayout* layout = make_layout(cr, utf8, size_pt, bold, false);
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  g_object_unref(layout);
  return logical.width / double(PANGO_SCALE);
}

std::vector<std::uint8_t> render_png(double width_pt, double height_pt, double dpi,
                                     const std::function<void(Canvas&)>& draw) {
  double scale = dpi / 72.0;
  int w = static_cast<int>(std::ceil(width_pt * scale)), h = static_cast<int>(std::ceil(height_pt * scale));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  CairoCanvas canvas(cr);
  draw(canvas);
  cairo_destroy(cr);
  std::vector<std::uint8_t> out;
  auto write = [](void* closure, const unsigned char* data, unsigned int length) -> cairo_status_t {
    auto* v = static_cast<std::vector<std::uint8_t>*>(closure);
    v->insert(v->end(), data, data + length);
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_status_t st = cairo_surface_write_to_png_stream(surface, write, &out);
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("PNG encoding: ") + cairo_status_to_string(st));
  return out;
}

}  // namespace nongsan::reports
