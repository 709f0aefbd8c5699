#include "api/compression.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

#include "api/static_files.hpp"

namespace nongsan::api {

bool compressible_media_type(std::string_view t) {
  return t == "application/json" || t == "application/geo+json" || t == "text/csv" || t == "text/html" ||
         t == "image/svg+xml" || t == "text/plain" || t == "application/xml" || t == "text/markdown";
}

std::string gzip_bytes(std::string_view data, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  out.resize(written);
  return out;
}

bool compress_response(Response& r, std::string_view accept_encoding) {
  if (r.status < 200 || r.status == 204 || r.status == 304) return false;
  if (r.body.size() < kCompressMinBytes || r.body.size() > 0xFFFFFFFFu) return false;
  if (!compressible_media_type(media_type_of(r.content_type))) return false;
  if (has_header(r, "Content-Encoding")) return false;
  if (!(parse_accept_encoding(accept_encoding).gzip > 0)) return false;
  r.body = gzip_bytes(r.body);
  r.headers.emplace_back("Content-Encoding", "gzip");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  return true;
}

}  // namespace nongsan::api
