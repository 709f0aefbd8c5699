// A stored file as an HTTP answer: its media type, its bytes, and a Content-Disposition
// whose file name is escaped (RFC 6266 with RFC 8187): `filename="…"` holds an ASCII
// fallback with quotes, backslashes and control characters replaced, `filename*` the
// exact UTF-8 name percent-encoded, so that a name like `Hợp đồng "A".pdf` can neither
// break the header nor be lost. Depends on api/http only.
#pragma once

#include <string>
#include <string_view>

#include "api/http.hpp"

namespace nongsan::api {

// `disposition` is "attachment" (download) or "inline" (shown by the browser).
std::string content_disposition(std::string_view disposition, std::string_view file_name);

Response file_response(std::string media_type, std::string bytes, std::string_view file_name,
                       std::string_view disposition = "attachment");

}  // namespace nongsan::api
