// A small drawing surface for charts and maps, in points, origin top left. Two
// implementations: SvgCanvas (text, for HTML) and CairoCanvas (cairo_canvas.hpp: a
// PDF page or a PNG image). Charts draw once against this interface, so the PDF,
// the DOCX picture and the HTML figure show the same thing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan::reports {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  std::string hex() const;  // "#rrggbb"
};
inline constexpr Rgb kBlack{0, 0, 0};
inline constexpr Rgb kWhite{255, 255, 255};

struct Pt { double x = 0, y = 0; };
using Ring = std::vector<Pt>;

enum class Anchor { start, middle, end };

struct Stroke {
  Rgb color = kBlack;
  double width = 0.5;
  bool dashed = false;
};

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual void rect(double x, double y, double w, double h, const Rgb* fill, const Stroke* stroke) = 0;
  virtual void line(double x1, double y1, double x2, double y2, const Stroke& stroke) = 0;
  virtual void polyline(const std::vector<Pt>& pts, const Stroke& stroke) = 0;
  // Rings with even-odd filling (outer ring and holes of one or more polygons).
  virtual void polygon(const std::vector<Ring>& rings, const Rgb* fill, const Stroke* stroke) = 0;
  virtual void circle(double cx, double cy, double r, const Rgb* fill, const Stroke* stroke) = 0;
  // `y` is the baseline. Serif (the document face) unless `sans`.
  virtual void text(double x, double y, const std::string& utf8, double size_pt, Anchor anchor, bool bold = false,
                    const Rgb& color = kBlack, bool italic = false) = 0;
  // Width of the text as it would be drawn, for layout of labels and legends.
  virtual double text_width(const std::string& utf8, double size_pt, bool bold = false) = 0;
};

// SVG text, escaped; width and height in points (the viewBox), drawn at the same size.
class SvgCanvas final : public Canvas {
 public:
  SvgCanvas(double width_pt, double height_pt) : w_(width_pt), h_(height_pt) {}
  void rect(double x, double y, double w, double h, const Rgb* fill, const Stroke* stroke) override;
  void line(double x1, double y1, double x2, double y2, const Stroke& stroke) override;
  void polyline(const std::vector<Pt>& pts, const Stroke& stroke) override;
  void polygon(const std::vector<Ring>& rings, const Rgb* fill, const Stroke* stroke) override;
  void circle(double cx, double cy, double r, const Rgb* fill, const Stroke* stroke) override;
  void text(double x, double y, const std::string& utf8, double size_pt, Anchor anchor, bool bold, const Rgb& color,
            bool italic) override;
  double text_width(const std::string& utf8, double size_pt, bool bold) override;
  std::string str(const std::string& title) const;  // the <svg> element

 private:
  double w_, h_;
  std::string body_;
};

std::string xml_escape(std::string_view s);

}  // namespace nongsan::reports
