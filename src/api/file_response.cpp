#include "api/file_response.hpp"

namespace nongsan::api {

std::string content_disposition(std::string_view disposition, std::string_view file_name) {
  std::string ascii, encoded;
  static const char* hex = "0123456789ABCDEF";
  for (std::size_t i = 0; i < file_name.size(); ++i) {
    const auto b = static_cast<unsigned char>(file_name[i]);
    // The fallback: printable ASCII without quote and backslash; one '_' per UTF-8
    // character otherwise (continuation bytes add nothing).
    if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') ascii += static_cast<char>(b);
    else if ((b & 0xC0) != 0x80) ascii += '_';
    // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded.
    const bool attr = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                      std::string_view("!#$&+-.^_`|~").find(static_cast<char>(b)) != std::string_view::npos;
    if (attr) encoded += static_cast<char>(b);
    else {
      encoded += '%';
      encoded += hex[b >> 4];
      encoded += hex[b & 15];
    }
  }
  if (ascii.empty()) ascii = "file";
  return std::string(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Response file_response(std::string media_type, std::string bytes, std::string_view file_name,
                       std::string_view disposition) {
  Response r;
  r.content_type = std::move(media_type);
  r.body = std::move(bytes);
  r.headers.emplace_back("Content-Disposition", content_disposition(disposition, file_name));
  return r;
}

}  // namespace nongsan::api
