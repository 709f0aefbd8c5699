// Answers of the API compressed for the line they travel on: a commune's parcels on
// the map are 1.5 MB of GeoJSON, a quarter of a minute on the 1 Mbit/s lines of the
// mountain communes, and gzip makes them a seventh of that (docs/platform-notes.md).
// The embedded web UI has its own, precompressed at build time (static_files.hpp);
// this is for what the server writes per request.
#pragma once

#include <string>
#include <string_view>

#include "api/http.hpp"

namespace nongsan::api {

// The smallest body worth compressing: below it the headers cost more than is saved.
inline constexpr std::size_t kCompressMinBytes = 1024;

// True for the media types that compress well (JSON, GeoJSON, CSV, HTML, SVG, text).
bool compressible_media_type(std::string_view media_type);

// `data` as a gzip stream (RFC 1952); `level` 1–9.
std::string gzip_bytes(std::string_view data, int level = 5);

// Compresses `response` in place with gzip when the request's Accept-Encoding takes
// it, the status carries a body, the media type compresses and the body is large
// enough, and nothing encoded it already; adds Content-Encoding and Vary. Returns
// whether it did.
bool compress_response(Response& response, std::string_view accept_encoding);

}  // namespace nongsan::api
