// What the server writes per request travels gzip-compressed when the client takes it:
// the same bytes once inflated, Vary: Accept-Encoding, and never for a client that
// does not ask, an answer too small to gain, or a PNG.
#include <zlib.h>

#include "api/api_fixture.hpp"
#include "api/compression.hpp"

namespace nongsan::api {

namespace {
std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(in.size() * 20 + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}
std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}
}  // namespace

TEST(Compression, GzipRoundTripsAndOnlyCompressibleTypesQualify) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "{\"external_id\":\"LC-03390-1-" + std::to_string(i) + "\"},";
  EXPECT_EQ(gunzip(gzip_bytes(text)), text);
  EXPECT_LT(gzip_bytes(text).size(), text.size() / 4);
  EXPECT_TRUE(compressible_media_type("application/geo+json"));
  EXPECT_TRUE(compressible_media_type("text/csv"));
  EXPECT_FALSE(compressible_media_type("image/png"));
  EXPECT_FALSE(compressible_media_type("application/geopackage+sqlite3"));
}

TEST_P(ApiTest, AnswersTravelCompressedWhenTheClientTakesGzip) {
  auto request = [&](const std::string& accept) {
    Request r;
    r.method = "GET";
    r.target = r.path = "/api/openapi.json";  // the API document: large JSON
    r.headers["authorization"] = "Bearer " + token("admin");
    if (!accept.empty()) r.headers["accept-encoding"] = accept;
    r.client = "127.0.0.1";
    r.request_id = "gzip";
    return api->handle(r);
  };
  Response plain = request("");
  ASSERT_EQ(plain.status, 200);
  ASSERT_GT(plain.body.size(), kCompressMinBytes);
  EXPECT_EQ(header(plain, "Content-Encoding"), "");

  Response packed = request("br;q=1.0, gzip;q=0.8");
  ASSERT_EQ(packed.status, 200);
  EXPECT_EQ(header(packed, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(packed, "Vary"), "Accept-Encoding");
  EXPECT_LT(packed.body.size(), plain.body.size() / 2);
  EXPECT_EQ(gunzip(packed.body), plain.body);

  EXPECT_EQ(header(request("gzip;q=0"), "Content-Encoding"), "");  // refused explicitly
  EXPECT_EQ(header(request("identity"), "Content-Encoding"), "");
  // A small answer is not worth it.
  Request health;
  health.method = "GET";
  health.target = health.path = "/api/health";
  health.headers["accept-encoding"] = "gzip";
  health.request_id = "gzip";
  EXPECT_EQ(header(api->handle(health), "Content-Encoding"), "");
}

}  // namespace nongsan::api
