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
  EXPECT_EQ(get("/").body, "<html>the app</html>");
  auto js = get("/assets/app-1234.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('app')");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/units/12").body, "<html>the app</html>");
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
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << target << " -> " << r.status;
    if (!passwd.empty()) {
      EXPECT_NE(r.body, passwd) << target;
    }
    EXPECT_NE(r.status, 500) << target;
  }
}

TEST_F(WebRoot, DotFilesAndDatabasesAreNeverServed) {
  for (const char* target : {"/.env", "/%2eenv", "/.git/config", "/assets/../.env", "/env-link.js", "/data.gpkg",
                             "/data.gpkg-wal", "/DATA.GPKG", "/copy.sqlite3", "/store.bin", "/data%2egpkg"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << target;
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

}  // namespace nongsan::api
