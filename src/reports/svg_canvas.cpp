#include <fmt/format.h>

#include "reports/cairo_canvas.hpp"
#include "reports/canvas.hpp"

namespace nongsan::reports {

std::string Rgb::hex() const { return fmt::format("#{:02x}{:02x}{:02x}", r, g, b); }

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // XML 1.0 forbids most control characters; drop them rather than emit a broken file.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

namespace {

std::string paint(const Rgb* fill, const Stroke* stroke) {
  std::string s = fill ? fmt::format(" fill=\"{}\"", fill->hex()) : std::string(" fill=\"none\"");
  if (stroke) {
    s += fmt::format(" stroke=\"{}\" stroke-width=\"{:.2f}\"", stroke->color.hex(), stroke->width);
    if (stroke->dashed) s += fmt::format(" stroke-dasharray=\"{:.1f} {:.1f}\"", 3 * std::max(1.0, stroke->width), 2 * std::max(1.0, stroke->width));
  }
  return s;
}

}  // namespace

void SvgCanvas::rect(double x, double y, double w, double h, const Rgb* fill, const Stroke* stroke) {
  body_ += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\"{}/>\n", x, y, w, h,
                       paint(fill, stroke));
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, const Stroke& stroke) {
  body_ += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\"{}/>\n", x1, y1, x2, y2,
                       paint(nullptr, &stroke));
}

void SvgCanvas::polyline(const std::vector<Pt>& pts, const Stroke& stroke) {
  if (pts.size() < 2) return;
  std::string p;
  for (const auto& pt : pts) p += fmt::format("{:.2f},{:.2f} ", pt.x, pt.y);
  body_ += fmt::format("<polyline points=\"{}\"{}/>\n", p, paint(nullptr, &stroke));
}

void SvgCanvas::polygon(const std::vector<Ring>& rings, const Rgb* fill, const Stroke* stroke) {
  std::string d;
  for (const auto& ring : rings) {
    if (ring.size() < 3) continue;
    d += fmt::format("M{:.2f} {:.2f}", ring[0].x, ring[0].y);
    for (std::size_t i = 1; i < ring.size(); ++i) d += fmt::format("L{:.2f} {:.2f}", ring[i].x, ring[i].y);
    d += "Z";
  }
  body_ += fmt::format("<path fill-rule=\"evenodd\" stroke-linejoin=\"round\" d=\"{}\"{}/>\n", d, paint(fill, stroke));
}

void SvgCanvas::circle(double cx, double cy, double r, const Rgb* fill, const Stroke* stroke) {
  body_ += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{:.2f}\"{}/>\n", cx, cy, r, paint(fill, stroke));
}

void SvgCanvas::text(double x, double y, const std::string& utf8, double size_pt, Anchor anchor, bool bold,
                     const Rgb& color, bool italic) {
  const char* a = anchor == Anchor::start ? "start" : anchor == Anchor::middle ? "middle" : "end";
  body_ += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"{:.1f}\" text-anchor=\"{}\"{}{}{}>{}</text>\n", x, y,
                       size_pt, a, bold ? " font-weight=\"bold\"" : "", italic ? " font-style=\"italic\"" : "",
                       color.r || color.g || color.b ? fmt::format(" fill=\"{}\"", color.hex()) : std::string(),
                       xml_escape(utf8));
}

double SvgCanvas::text_width(const std::string& utf8, double size_pt, bool bold) {
  return measure_text(utf8, size_pt, bold);
}

std::string SvgCanvas::str(const std::string& title) const {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.2f} {:.2f}\" width=\"{:.2f}pt\" height=\"{:.2f}pt\" "
      "role=\"img\" font-family=\"'Times New Roman', 'Liberation Serif', serif\"><title>{}</title>\n{}</svg>",
      w_, h_, w_, h_, xml_escape(title), body_);
}

}  // namespace nongsan::reports
