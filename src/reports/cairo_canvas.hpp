// Canvas over a cairo context (a PDF page or a PNG image surface), text by Pango in
// Liberation Serif — metric-compatible with Times New Roman and complete for Vietnamese
// (docs/platform-notes.md). Only this file and the PDF writer include cairo and pango.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "reports/canvas.hpp"

typedef struct _cairo cairo_t;

namespace nongsan::reports {

inline constexpr const char* kPdfFontFamily = "Liberation Serif";

class CairoCanvas final : public Canvas {
 public:
  explicit CairoCanvas(cairo_t* cr) : cr_(cr) {}
  void rect(double x, double y, double w, double h, const Rgb* fill, const Stroke* stroke) override;
  void line(double x1, double y1, double x2, double y2, const Stroke& stroke) override;
  void polyline(const std::vector<Pt>& pts, const Stroke& stroke) override;
  void polygon(const std::vector<Ring>& rings, const Rgb* fill, const Stroke* stroke) override;
  void circle(double cx, double cy, double r, const Rgb* fill, const Stroke* stroke) override;
  void text(double x, double y, const std::string& utf8, double size_pt, Anchor anchor, bool bold, const Rgb& color,
            bool italic) override;
  double text_width(const std::string& utf8, double size_pt, bool bold) override;

 private:
  void apply(const Stroke& s);
  cairo_t* cr_;
};

// Width in points of one line of text in the document face.
double measure_text(const std::string& utf8, double size_pt, bool bold);

// Renders `draw` (in points on width_pt × height_pt) to PNG bytes at `dpi`, white background.
std::vector<std::uint8_t> render_png(double width_pt, double height_pt, double dpi,
                                     const std::function<void(Canvas&)>& draw);

}  // namespace nongsan::reports
