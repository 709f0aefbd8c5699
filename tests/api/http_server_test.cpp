// The HTTP server over a real socket: the three ways a body is written (a string,
// bytes that live elsewhere such as the embedded UI, a file sent with sendfile) put
// the very same bytes on the wire, with the same headers; HEAD gets the headers and
// Content-Length of the GET and no body; a 304 has neither body nor Content-Length;
// several requests share one keep-alive connection; a large_bodies path with a `{name}`
// segment lifts the body limit for every value of that segment and no other path.
// The request log line says where an answer came from (I/O thread or pool, cache).
// Threads (docs/adr/0019-server-threads.md): what the inline handler answers is answered
// while every pool thread is busy; a client too slow to send its request is cut off;
// stop() ends the connections open on every I/O thread; pipelined requests are answered
// in order, inline and pooled ones mixed.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <future>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "api/http_server.hpp"
#include "api/static_files.hpp"

namespace nongsan::api {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

// Larger than a socket's send buffer, so that a body takes several writes; every
// byte value, so that nothing is treated as text.
std::string big_bytes(std::size_t n, unsigned seed) {
  std::string out(n, '\0');
  unsigned x = seed;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 16);
  }
  return out;
}

// A keep-alive client on one connection.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(io_) { socket_.connect({asio::ip::make_address("127.0.0.1"), port}); }

  http::response<http::string_body> send(http::verb verb, const std::string& target,
                                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::empty_body> req{verb, target, 11};
    req.set(http::field::host, "localhost");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.keep_alive(true);
    http::write(socket_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (verb == http::verb::head) parser.skip(true);  // no body follows, whatever Content-Length says
    http::read(socket_, buffer_, parser);
    return parser.release();
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class HttpServerBodies : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("nongsan-http-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "big.bin", std::ios::binary) << file_bytes;
    HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    server = std::make_unique<HttpServer>(o, [this](Request& r) { return handle(r); });
    port = server->start();
  }
  void TearDown() override {
    server->stop();
    fs::remove_all(dir);
  }

  Response handle(const Request& r) {
    Response out;
    out.content_type = "application/octet-stream";
    out.headers.emplace_back("Cache-Control", "public, max-age=60");
    out.headers.emplace_back("ETag", "\"tag\"");
    if (r.path == "/string") out.body = string_bytes;
    else if (r.path == "/static") out.static_body = static_bytes;
    else if (r.path == "/file") out.file = (dir / "big.bin").string();
    else if (r.path == "/large") out.file = (dir / "large.bin").string();
    else if (r.path == "/gone") out.file = (dir / "no-such-file.bin").string();
    else if (r.path == "/not-modified") out.status = 304;
    else out.status = 404;
    return out;
  }

  const std::string string_bytes = big_bytes(300 * 1024 + 7, 1);
  const std::string static_storage = big_bytes(700 * 1024 + 3, 2);
  const std::string_view static_bytes = static_storage;
  const std::string file_bytes = big_bytes(500 * 1024 + 11, 3);
  fs::path dir;
  std::unique_ptr<HttpServer> server;
  unsigned short port = 0;
};


// POSTs `size` bytes to `target` on a new connection; the status.
int post_bytes(unsigned short port, const std::string& target, std::size_t size) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "localhost");
  req.set(http::field::content_type, "application/json");
  req.body() = std::string(size, 'x');
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code ec;
  http::read(socket, buffer, res, ec);
  return ec ? -1 : static_cast<int>(res.result_int());
}

TEST(HttpServerLargeBodies, APathWithANamedSegmentLiftsTheLimitForThatPathOnly) {
  HttpServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.body_limit = 1024;
  o.large_bodies = {{"/api/v1/chains/contracts/{id}/documents", std::size_t{64} * 1024}};
  HttpServer server(o, [](Request& r) {
    Response out;
    out.body = std::to_string(r.body.size());
    return out;
  });
  const auto port = server.start();
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/7/documents", 10 * 1024), 200);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/12345/documents?x=1", 10 * 1024), 200);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/7/documents", 100 * 1024), 413);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/7/deliveries", 10 * 1024), 413);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/documents", 10 * 1024), 413);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/7/documents/1", 10 * 1024), 413);
  EXPECT_EQ(post_bytes(port, "/api/v1/chains/contracts/7/documents", 512), 200);
  server.stop();
}

}  // namespace

TEST_F(HttpServerBodies, EveryKindOfBodySendsTheSameBytesWithTheSameHeaders) {
  Client c(port);
  for (const auto& [path, expected] : std::vector<std::pair<std::string, std::string_view>>{
           {"/string", string_bytes}, {"/static", static_bytes}, {"/file", file_bytes}}) {
    auto res = c.send(http::verb::get, path);
    EXPECT_EQ(res.result_int(), 200u) << path;
    EXPECT_EQ(res.body().size(), expected.size()) << path;
    EXPECT_TRUE(res.body() == expected) << path << ": the bytes differ";
    EXPECT_EQ(res[http::field::content_length], std::to_string(expected.size())) << path;
    EXPECT_EQ(res[http::field::content_type], "application/octet-stream") << path;
    EXPECT_EQ(res[http::field::cache_control], "public, max-age=60") << path;
    EXPECT_EQ(res[http::field::etag], "\"tag\"") << path;
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff") << path;
    EXPECT_FALSE(res["X-Request-Id"].empty()) << path;
  }
}

TEST_F(HttpServerBodies, HeadHasTheLengthOfTheGetAndNoBody) {
  Client c(port);
  for (const auto& [path, size] : std::vector<std::pair<std::string, std::size_t>>{
           {"/string", string_bytes.size()}, {"/static", static_bytes.size()}, {"/file", file_bytes.size()}}) {
    auto res = c.send(http::verb::head, path);
    EXPECT_EQ(res.result_int(), 200u) << path;
    EXPECT_EQ(res[http::field::content_length], std::to_string(size)) << path;
    EXPECT_TRUE(res.body().empty()) << path;
  }
  // The connection is still in step: a GET after the HEADs reads its own answer.
  EXPECT_TRUE(c.send(http::verb::get, "/static").body() == static_bytes);
}

TEST_F(HttpServerBodies, NotModifiedHasNoBodyNorLength) {
  Client c(port);
  auto res = c.send(http::verb::get, "/not-modified");
  EXPECT_EQ(res.result_int(), 304u);
  EXPECT_EQ(res.count(http::field::content_length), 0u);
  EXPECT_EQ(res[http::field::etag], "\"tag\"");
  EXPECT_TRUE(c.send(http::verb::get, "/file").body() == file_bytes);
}

TEST_F(HttpServerBodies, AFileThatCannotBeOpenedIsNotFound) {
  Client c(port);
  auto res = c.send(http::verb::get, "/gone");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(res.body(), "not found\n");
  EXPECT_TRUE(c.send(http::verb::get, "/string").body() == string_bytes);
}

// A client that hangs up in the middle of a file (a browser leaving the page) ends its
// own connection only: the server goes on answering others (sendfile on a closed
// socket raises SIGPIPE unless it is ignored).
TEST_F(HttpServerBodies, AClientLeavingInTheMiddleOfAFileDoesNotStopTheServer) {
  // Far more than a socket's buffers hold, so that the server is still sending.
  std::ofstream(dir / "large.bin", std::ios::binary) << std::string(32 * 1024 * 1024, 'x');
  // Every way of leaving: a reset after reading a little, a close before reading
  // anything, a shutdown after reading a little.
  for (int i = 0; i < 30; ++i) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(s, asio::buffer(std::string("GET /large HTTP/1.1\r\nHost: x\r\n\r\n")));
    char some[512];
    boost::system::error_code ec;
    if (i % 3 != 1) s.read_some(asio::buffer(some), ec);
    if (i % 3 == 0) s.set_option(asio::socket_base::linger(true, 0), ec);
    if (i % 3 == 2) s.shutdown(tcp::socket::shutdown_both, ec);
    s.close(ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Client c(port);
  EXPECT_TRUE(c.send(http::verb::get, "/file").body() == file_bytes);
}

// The embedded UI through the server: each encoding's bytes as they are embedded,
// its ETag, and 304 on a matching If-None-Match.
TEST(HttpServerStatic, EmbeddedFilesInEveryEncodingThroughTheServer) {
  const std::string plain = big_bytes(200 * 1024, 4), br = big_bytes(40 * 1024, 5), gz = "\x1f\x8b" + big_bytes(50 * 1024, 6);
  auto bytes = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  const std::vector<EmbeddedAsset> assets = {{"/assets/app-1.js", bytes(plain), plain.size(),
                                              "fedcba9876543210fedcba9876543210", bytes(br), br.size(), bytes(gz),
                                              gz.size()}};
  StaticFiles files("", {}, &assets);
  HttpServerOptions o;
  o.port = 0;
  o.threads = 1;
  HttpServer server(o, [&files](Request& r) { return files.serve(r); });
  Client c(server.start());
  struct Case {
    std::string accept, encoding;
    const std::string* body;
  };
  for (const auto& k : std::vector<Case>{{"", "", &plain}, {"gzip", "gzip", &gz}, {"gzip, br", "br", &br}}) {
    auto res = c.send(http::verb::get, "/assets/app-1.js", {{"Accept-Encoding", k.accept}});
    EXPECT_EQ(res.result_int(), 200u) << k.accept;
    EXPECT_EQ(res[http::field::content_encoding], k.encoding) << k.accept;
    EXPECT_TRUE(res.body() == *k.body) << k.accept << ": the bytes differ";
    EXPECT_EQ(res[http::field::cache_control], "public, max-age=31536000, immutable") << k.accept;
    auto again = c.send(http::verb::get, "/assets/app-1.js",
                        {{"Accept-Encoding", k.accept}, {"If-None-Match", std::string(res[http::field::etag])}});
    EXPECT_EQ(again.result_int(), 304u) << k.accept;
    EXPECT_TRUE(again.body().empty()) << k.accept;
  }
  server.stop();
}

// Reads what the server sends until it ends the connection; the error that ended the
// reading (eof when the server closed it). SO_RCVTIMEO only keeps a broken server from
// hanging the test: a read that times out fails it.
boost::system::error_code read_until_closed(tcp::socket& s, std::string& got) {
  timeval tv{20, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    const std::size_t n = s.read_some(asio::buffer(buf), ec);
    if (ec) return ec;
    got.append(buf, n);
  }
}

// The pool's handler of these tests: "pool <path>".
Response pooled(Request& r) {
  Response out;
  out.body = "pool " + r.path;
  return out;
}
// An inline handler answering "inline <path>" for the paths that start with `prefix`,
// declining the others.
InlineHandler inline_for(std::string prefix) {
  return [prefix](Request& r) -> std::optional<Response> {
    if (r.path.rfind(prefix, 0) != 0) return std::nullopt;
    Response out;
    out.body = "inline " + r.path;
    return out;
  };
}

// The pool's only thread is held by a request; answers the inline handler gives still
// come, on the same connection type and on another connection, and the held request is
// answered once it is let go.
TEST(HttpServerThreads, AnInlineAnswerComesWhileThePoolIsBusy) {
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  HttpServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.pool_threads = 1;
  HttpServer server(
      o,
      [&](Request& r) {
        Response out;
        if (r.path == "/slow") {
          entered.set_value();
          released.wait();
        }
        out.body = "pool " + r.path;
        return out;
      },
      inline_for("/fast"));
  const auto port = server.start();
  auto slow = std::async(std::launch::async, [port] { return Client(port).send(http::verb::get, "/slow").body(); });
  entered.get_future().wait();  // the pool's one thread is in the handler now
  Client fast(port);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fast.send(http::verb::get, "/fast").body(), "inline /fast");
  release.set_value();
  EXPECT_EQ(slow.get(), "pool /slow");
  EXPECT_EQ(fast.send(http::verb::get, "/other").body(), "pool /other");
  server.stop();
}

// The request log line of an API answer says where it came from: answered on the I/O
// thread or on the pool (with the time it waited for a pool thread), and what the read
// cache said (X-Cache), so that a slow answer can be told apart (bench/read_latency.sh).
TEST(HttpServerThreads, TheRequestLogSaysWhereAnAnswerCameFrom) {
  std::ostringstream lines;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
  HttpServerOptions o;
  o.port = 0;
  o.threads = 1;
  o.pool_threads = 1;
  HttpServer server(o, pooled, [](Request& r) -> std::optional<Response> {
    if (r.path != "/api/kept") return std::nullopt;
    Response out;
    out.headers.emplace_back("X-Cache", "hit");
    return out;
  });
  const auto port = server.start();
  Client c(port);
  EXPECT_EQ(c.send(http::verb::get, "/api/kept").result_int(), 200u);
  EXPECT_EQ(c.send(http::verb::get, "/api/computed").body(), "pool /api/computed");
  server.stop();
  spdlog::set_default_logger(previous);
  const std::string log = lines.str();
  EXPECT_NE(log.find("path=/api/kept status=200"), std::string::npos) << log;
  EXPECT_NE(log.find("cache=hit pool=no"), std::string::npos) << log;
  EXPECT_NE(log.find("path=/api/computed status=200"), std::string::npos) << log;
  EXPECT_NE(log.find("cache=- pool=yes wait_ms="), std::string::npos) << log;
}

// The pool's threads run at a lower CPU priority than the I/O threads (pool_nice), so
// that a handler computing does not slow the cheap answers beside it.
TEST(HttpServerThreads, ThePoolRunsAtALowerPriorityThanTheIoThreads) {
  auto nice_here = [] {
    return std::to_string(::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))));
  };
  HttpServerOptions o;
  o.port = 0;
  o.threads = 1;
  o.pool_threads = 2;
  o.pool_nice = 5;
  HttpServer server(
      o, [&](Request&) { Response out; out.body = nice_here(); return out; },
      [&](Request& r) -> std::optional<Response> {
        if (r.path != "/io") return std::nullopt;
        Response out;
        out.body = nice_here();
        return out;
      });
  Client c(server.start());
  const int io = std::stoi(c.send(http::verb::get, "/io").body());
  for (int i = 0; i < 4; ++i)  // whichever pool thread takes it
    EXPECT_EQ(std::stoi(c.send(http::verb::get, "/pool").body()), std::min(io + 5, 19));
  server.stop();
}

// Pipelined requests on one connection, some answered inline and some by the pool,
// come back in the order they were sent.
TEST(HttpServerThreads, PipelinedAnswersKeepTheirOrder) {
  HttpServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.pool_threads = 2;
  HttpServer server(o, pooled, inline_for("/fast"));
  const auto port = server.start();
  asio::io_context io;
  tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port});
  std::string requests;
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    const std::string path = (i % 3 == 0 ? "/fast/" : "/slow/") + std::to_string(i);
    requests += "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (i == 19 ? "Connection: close\r\n" : "") + "\r\n";
    expected.push_back((i % 3 == 0 ? "inline " : "pool ") + path);
  }
  asio::write(s, asio::buffer(requests));
  beast::flat_buffer buffer;
  for (const auto& want : expected) {
    http::response<http::string_body> res;
    http::read(s, buffer, res);
    EXPECT_EQ(res.body(), want);
  }
  server.stop();
}

// A client that sends part of a request and then nothing is cut off once the read
// timeout has passed (the sweep closes it); one that sends nothing at all likewise.
TEST(HttpServerThreads, ASlowClientIsCutOffAfterTheReadTimeout) {
  HttpServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.read_timeout_s = 1;
  HttpServer server(o, [](Request&) { return Response{}; });
  const auto port = server.start();
  for (const std::string part : {"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1", ""}) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    if (!part.empty()) asio::write(s, asio::buffer(part));
    std::string got;
    auto ec = read_until_closed(s, got);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << "sent: " << part << ": " << ec.message();
    EXPECT_EQ(got, "") << "sent: " << part;
  }
  server.stop();
}

// stop() with kept-alive connections on every I/O thread: it returns, and every client
// sees its connection end.
TEST(HttpServerThreads, StopEndsTheConnectionsOpenOnEveryThread) {
  HttpServerOptions o;
  o.port = 0;
  o.threads = 3;
  o.pool_threads = 2;
  HttpServer server(o, pooled, inline_for("/fast"));
  const auto port = server.start();
  asio::io_context io;
  std::vector<std::unique_ptr<tcp::socket>> sockets;
  beast::flat_buffer buffer;
  for (int i = 0; i < 9; ++i) {  // round-robin: three on each thread
    auto s = std::make_unique<tcp::socket>(io);
    s->connect({asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> req{http::verb::get, i % 2 ? "/fast" : "/pooled", 11};
    req.set(http::field::host, "x");
    http::write(*s, req);
    http::response<http::string_body> res;
    http::read(*s, buffer, res);
    EXPECT_EQ(res.body(), i % 2 ? "inline /fast" : "pool /pooled");
    sockets.push_back(std::move(s));
  }
  server.stop();
  for (auto& s : sockets) {
    std::string got;
    auto ec = read_until_closed(*s, got);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
    EXPECT_EQ(got, "");
  }
}

}  // namespace nongsan::api
