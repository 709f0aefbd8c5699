#include "modules/trace/qr_code.hpp"

#include <cairo.h>
#include <qrencode.h>

#include <memory>

#include "modules/trace/public_page.hpp"

namespace nongsan::trace {

namespace {
constexpr int kQuiet = 4;  // ISO/IEC 18004 §7.3.7: a quiet zone four modules wide
}

Result<QrMatrix> encode_qr(const std::string& text) {
  if (text.empty()) return Error::invalid("nothing to encode in the QR code");
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                        QR_ECLEVEL_M),
      QRcode_free);
  if (!code) return Error::invalid("the text is too long for a QR code");
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size));
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

std::string qr_svg(const QrMatrix& m, int module_px, const std::string& title) {
  const int side = (m.size + 2 * kQuiet) * module_px;
  std::string path;
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y))
        path += "M" + std::to_string((x + kQuiet) * module_px) + " " + std::to_string((y + kQuiet) * module_px) + "h" +
                std::to_string(module_px) + "v" + std::to_string(module_px) + "h-" + std::to_string(module_px) + "z";
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(side) + " " +
                  std::to_string(side) + "\" width=\"" + std::to_string(side) + "\" height=\"" + std::to_string(side) +
                  "\" shape-rendering=\"crispEdges\">";
  s += "<title>" + html_escape(title) + "</title>";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>";
  s += "<path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
  return s;
}

namespace {
cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

Result<std::string> qr_png(const QrMatrix& m, int scale) {
  const int side = (m.size + 2 * kQuiet) * scale;
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side), cairo_surface_destroy);
  std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y)) cairo_rectangle(cr.get(), (x + kQuiet) * scale, (y + kQuiet) * scale, scale, scale);
  cairo_fill(cr.get());
  cairo_surface_flush(surface.get());
  std::string out;
  if (cairo_surface_write_to_png_stream(surface.get(), append_bytes, &out) != CAIRO_STATUS_SUCCESS)
    return Error::internal("the PNG could not be written");
  return out;
}

}  // namespace nongsan::trace
