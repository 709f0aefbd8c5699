// The web UI's files from --web-root: a request path never reaches a file outside
// the root, a dot-file or a database, however it is written (encoded slashes and
// dots, absolute paths, symbolic links).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/static_files.hpp"

namespace nongsan::api {

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class WebRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    base = fs::temp_directory_path() / ("nongsan-webroot-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base);
    root = base / "dist";
    write(root / "index.html", "<html>the app</html>");
    write(root / "assets" / "app-1234.js", "console.log('app')");
    write(root / ".env", "SECRET_IN_DOTFILE");
    write(root / ".git" / "config", "SECRET_IN_GIT");
    write(root / "data.gpkg", "SECRET_DATABASE");
    write(root / "data.gpkg-wal", "SECRET_WAL");
    write(root / "copy.sqlite3", "SECRET_SQLITE");
    write(root / "store.bin", "SECRET_CONFIGURED");
    write(base / "outside" / "secret.txt", "SECRET_OUTSIDE");
    fs::create_symlink(base / "outside" / "secret.txt", root / "link.txt");
    fs::create_symlink(root / ".env", root / "env-link.js");
    fs::create_directory_symlink(base, root / "assets" / "up");
    files = std::make_unique<StaticFiles>(root.string(), std::vector<std::string>{(root / "store.bin").string()});
  }
  void TearDown() override { fs::remove_all(base); }

  // As the server builds it: the target percent-decoded into the path.
  Response get(const std::string& target) {
    Request r;
    r.method = "GET";
    set_request_target(r, target);
    return files->serve(r);
  }

  fs::path base, root;
  std::unique_ptr<StaticFiles> files;
};

}  // namespace

TEST_F(WebRoot, ServesTheAppAndFallsBackToIndexForClientRoutes) {
  EXPECT_EQ(body_of(get("/")), "<html>the app</html>");
  auto js = get("/assets/app-1234.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(body_of(js), "console.log('app')");
  // Not read into the response: the server sends the file itself (sendfile).
  EXPECT_TRUE(js.body.empty());
  EXPECT_EQ(js.file, fs::canonical(root / "assets" / "app-1234.js").string());
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(body_of(get("/units/12")), "<html>the app</html>");
  EXPECT_EQ(get("/assets/missing.js").status, 404);
}

// The field app is a second app with its own index.html under /field/: its routes
// fall back to it, every other route to the main UI's.
TEST_F(WebRoot, AnAppInAFolderGetsItsOwnRoutes) {
  write(root / "field" / "index.html", "<html>the field app</html>");
  write(root / "field" / "manifest.webmanifest", "{}");
  EXPECT_EQ(body_of(get("/field/")), "<html>the field app</html>");
  EXPECT_EQ(body_of(get("/field")), "<html>the field app</html>");
  EXPECT_EQ(body_of(get("/field/inspections/TT-1")), "<html>the field app</html>");
  EXPECT_EQ(get("/field/manifest.webmanifest").content_type, "application/manifest+json; charset=utf-8");
  EXPECT_EQ(body_of(get("/fieldwork")), "<html>the app</html>");
  EXPECT_EQ(body_of(get("/units/12")), "<html>the app</html>");
  EXPECT_EQ(body_of(get("/field/missing.js")), "<html>the field app</html>");
  EXPECT_EQ(get("/assets/missing.js").status, 404);
}

TEST_F(WebRoot, AbsoluteAndTraversingPathsNeverLeaveTheRoot) {
  const std::string outside = (base / "outside" / "secret.txt").string();  // absolute, starts with '/'
  std::string encoded;
  for (char c : outside) encoded += c == '/' ? std::string("%2f") : std::string(1, c);
  const std::string passwd = slurp("/etc/passwd");
  for (const std::string& target :
       {"/" + outside, "/" + encoded, "/%2F" + encoded.substr(3), std::string("//etc/passwd"), std::string("/%2fetc%2fpasswd"),
        std::string("/../outside/secret.txt"), std::string("/%2e%2e/outside/secret.txt"),
        std::string("/%2E%2E%2Foutside%2Fsecret.txt"), std::string("/assets/../../outside/secret.txt"),
        std::string("/assets/..%2f..%2foutside%2fsecret.txt"), std::string("/assets/%2e%2e/%2e%2e/outside/secret.txt"),
        std::string("/./../outside/secret.txt"), std::string("/assets/up/outside/secret.txt"),
        std::string("/link.txt"), std::string("/..\\outside\\secret.txt")}) {
    auto r = get(target);
    EXPECT_EQ(body_of(r).find("SECRET"), std::string::npos) << target << " -> " << r.status;
    if (!passwd.empty()) {
      EXPECT_NE(body_of(r), passwd) << target;
    }
    EXPECT_NE(r.status, 500) << target;
  }
}

TEST_F(WebRoot, DotFilesAndDatabasesAreNeverServed) {
  for (const char* target : {"/.env", "/%2eenv", "/.git/config", "/assets/../.env", "/env-link.js", "/data.gpkg",
                             "/data.gpkg-wal", "/DATA.GPKG", "/copy.sqlite3", "/store.bin", "/data%2egpkg"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(body_of(r).find("SECRET"), std::string::npos) << target;
  }
}

TEST(StaticPaths, SegmentsRefuseDotsAndKeepTheRest) {
  EXPECT_EQ(safe_segments("//a///b.js"), (std::vector<std::string>{"a", "b.js"}));
  EXPECT_FALSE(safe_segments("/a/../b"));
  EXPECT_FALSE(safe_segments("/a/./b"));
  EXPECT_FALSE(safe_segments("/.well-hidden"));
  EXPECT_FALSE(safe_segments(std::string("/a\0b", 4)));
  EXPECT_TRUE(is_database_file("x/y/demo.gpkg-shm"));
  EXPECT_TRUE(is_database_file("backup-2026.GPKG"));
  EXPECT_FALSE(is_database_file("index-abc.js"));
}

// ---- the embedded UI: precompressed, negotiated, cacheable ---------------------------

namespace {
const unsigned char kIndex[] = "<html>the app, long enough to be worth compressing</html>";
const unsigned char kIndexBr[] = "BR-INDEX";
const unsigned char kIndexGz[] = "\x1f\x8bGZ-INDEX";
const unsigned char kApp[] = "console.log('a long bundle')";
const unsigned char kAppBr[] = "BR-APP";
const unsigned char kAppGz[] = "\x1f\x8bGZ-APP";
const unsigned char kPng[] = "\x89PNG";
const unsigned char kField[] = "<html>the field app</html>";
const std::vector<EmbeddedAsset> kAssets = {
    {"/index.html", kIndex, sizeof kIndex - 1, "0123456789abcdef0123456789abcdef", kIndexBr, sizeof kIndexBr - 1, kIndexGz,
     sizeof kIndexGz - 1},
    {"/assets/app-1234.js", kApp, sizeof kApp - 1, "fedcba9876543210fedcba9876543210", kAppBr, sizeof kAppBr - 1, kAppGz,
     sizeof kAppGz - 1},
    {"/logo.png", kPng, sizeof kPng - 1, "00000000000000000000000000000000"},
    {"/field/index.html", kField, sizeof kField - 1, "11111111111111111111111111111111"},
};

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

Response fetch(const std::string& target, const std::string& accept_encoding, const std::string& if_none_match = "") {
  static const StaticFiles files("", {}, &kAssets);
  Request r;
  r.method = "GET";
  set_request_target(r, target);
  if (!accept_encoding.empty()) r.headers["accept-encoding"] = accept_encoding;
  if (!if_none_match.empty()) r.headers["if-none-match"] = if_none_match;
  return files.serve(r);
}
}  // namespace

TEST(EmbeddedUi, SendsTheSmallestEncodingTheClientTakes) {
  struct Case {
    std::string accept, encoding, body;
  };
  for (const auto& c : std::vector<Case>{{"gzip, deflate, br", "br", "BR-APP"},
                                         {"gzip", "gzip", "\x1f\x8bGZ-APP"},
                                         {"", "", "console.log('a long bundle')"},
                                         {"identity", "", "console.log('a long bundle')"},
                                         {"br;q=0, gzip", "gzip", "\x1f\x8bGZ-APP"},
                                         {"*", "br", "BR-APP"},
                                         {"gzip;q=0.5, br;q=0.4", "gzip", "\x1f\x8bGZ-APP"},
                                         {"deflate", "", "console.log('a long bundle')"}}) {
    auto r = fetch("/assets/app-1234.js", c.accept);
    EXPECT_EQ(r.status, 200) << c.accept;
    EXPECT_EQ(header(r, "Content-Encoding"), c.encoding) << c.accept;
    EXPECT_EQ(body_of(r), c.body) << c.accept;
    // The embedded bytes themselves, not a copy of them.
    EXPECT_TRUE(r.body.empty()) << c.accept;
    for (const unsigned char* bytes : {kAppBr, kAppGz, kApp})
      if (body_of(r) == reinterpret_cast<const char*>(bytes)) {
        EXPECT_EQ(static_cast<const void*>(r.static_body.data()), static_cast<const void*>(bytes)) << c.accept;
      }
    EXPECT_EQ(header(r, "Vary"), "Accept-Encoding") << c.accept;  // caches keep one copy per encoding
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8") << c.accept;
  }
  // A file with nothing to negotiate (already compressed) varies on nothing.
  auto png = fetch("/logo.png", "gzip, br");
  EXPECT_EQ(header(png, "Content-Encoding"), "");
  EXPECT_EQ(header(png, "Vary"), "");
  // Client routes get index.html, negotiated the same way.
  EXPECT_EQ(body_of(fetch("/units/12", "br")), "BR-INDEX");
  // The field app's routes get its own index.html.
  EXPECT_EQ(body_of(fetch("/field/", "br")), "<html>the field app</html>");
  EXPECT_EQ(body_of(fetch("/field/inspections/TT-1", "")), "<html>the field app</html>");
}

TEST(EmbeddedUi, ETagPerEncodingAndLongCacheForHashedNames) {
  auto br = fetch("/assets/app-1234.js", "br");
  EXPECT_EQ(header(br, "ETag"), "\"fedcba9876543210fedcba9876543210-br\"");
  EXPECT_EQ(header(br, "Cache-Control"), "public, max-age=31536000, immutable");
  auto plain = fetch("/assets/app-1234.js", "");
  EXPECT_EQ(header(plain, "ETag"), "\"fedcba9876543210fedcba9876543210\"");
  auto again = fetch("/assets/app-1234.js", "br", header(br, "ETag"));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(body_of(again).empty());
  EXPECT_EQ(header(again, "ETag"), header(br, "ETag"));
  EXPECT_EQ(header(again, "Vary"), "Accept-Encoding");
  EXPECT_EQ(fetch("/assets/app-1234.js", "br", "W/" + header(br, "ETag")).status, 304);
  EXPECT_EQ(fetch("/assets/app-1234.js", "br", "\"other\", " + header(br, "ETag")).status, 304);
  // The gzip copy's tag does not validate the brotli one.
  EXPECT_EQ(fetch("/assets/app-1234.js", "br", "\"fedcba9876543210fedcba9876543210-gz\"").status, 200);
  auto index = fetch("/", "gzip");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");  // revalidated with its ETag
  EXPECT_EQ(fetch("/", "gzip", header(index, "ETag")).status, 304);
}

TEST(EmbeddedUi, TheBuiltBundlesAreEmbeddedCompressed) {
  const auto& assets = embedded_assets();
  if (assets.empty()) GTEST_SKIP() << "the web UI was not built into this binary";
  std::size_t plain = 0, brotli = 0;
  for (const auto& a : assets) {
    if (!(a.path.ends_with(".js") || a.path.ends_with(".css") || a.path.ends_with(".html")) || a.size < 10000) continue;
    ASSERT_NE(a.brotli, nullptr) << a.path;
    ASSERT_NE(a.gzip, nullptr) << a.path;
    EXPECT_EQ(a.gzip[0], 0x1f) << a.path;  // the gzip magic number
    EXPECT_EQ(a.gzip[1], 0x8b) << a.path;
    EXPECT_LT(a.brotli_size, a.gzip_size) << a.path;
    plain += a.size;
    brotli += a.brotli_size;
  }
  EXPECT_LT(brotli * 3, plain) << "JavaScript and CSS compress to well under a third";
}

}  // namespace nongsan::api
