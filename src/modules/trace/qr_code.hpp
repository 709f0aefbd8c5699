// A QR code (ISO/IEC 18004, libqrencode) of a text, drawn as SVG (written by hand, one
// path) or PNG (cairo). Pure apart from the libraries: no storage.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::trace {

struct QrMatrix {
  int size = 0;                 // modules per side, without the quiet zone
  std::vector<bool> dark;       // size × size, row by row
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Error correction level M (15 %), enough for a label that gets scuffed in a crate.
Result<QrMatrix> encode_qr(const std::string& text);
// `module_px` user units per module, a 4-module quiet zone; `title` goes into <title>.
std::string qr_svg(const QrMatrix& m, int module_px, const std::string& title);
// PNG bytes, `scale` pixels per module, a 4-module quiet zone.
Result<std::string> qr_png(const QrMatrix& m, int scale);

}  // namespace nongsan::trace
