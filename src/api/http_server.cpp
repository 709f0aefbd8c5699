#include <algorithm>
#include "api/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/messages.hpp"
#include "modules/identity/credentials.hpp"

namespace nongsan::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A large_bodies path: exact, or with `{name}` segments that match any one segment
// ("/api/v1/chains/contracts/{id}/documents").
bool path_matches(std::string_view pattern, std::string_view target) {
  while (!pattern.empty() && !target.empty()) {
    const auto p_end = pattern.find('/', 1), t_end = target.find('/', 1);
    const auto p_seg = pattern.substr(0, p_end), t_seg = target.substr(0, t_end);
    const bool any = p_seg.size() > 3 && p_seg[1] == '{' && p_seg.back() == '}';
    if (any ? t_seg.size() < 2 : p_seg != t_seg) return false;
    pattern = p_end == std::string_view::npos ? std::string_view() : pattern.substr(p_end);
    target = t_end == std::string_view::npos ? std::string_view() : target.substr(t_end);
  }
  return pattern.empty() && target.empty();
}


// Errors the server answers itself, before or outside the API (too large, not HTTP,
// a handler that threw), in the language the request asked for when it said.
Response edge_error(Error e, const std::string& rid, std::string_view accept_language) {
  Response r;
  r.status = http_status(e.code);
  r.body = error_body(translate_error(e, language_from_accept(accept_language)), rid);
  return r;
}

// A request id: a random prefix drawn once per process, then a counter. Unique within
// the process's life and across restarts (the prefix), without a getrandom(2) per
// request; it only ties a log line to an answer, it guards nothing.
std::string next_request_id() {
  static const std::string prefix = identity::random_token(6);  // 8 characters of base64url
  static std::atomic<std::uint64_t> counter{0};
  char n[20];
  const int len = std::snprintf(n, sizeof n, "%llx", static_cast<unsigned long long>(counter.fetch_add(1) + 1));
  std::string id;
  id.reserve(prefix.size() + 1 + static_cast<std::size_t>(len));
  id += prefix;
  id += '-';
  id.append(n, static_cast<std::size_t>(len));
  return id;
}

std::string request_id_for(const http::request<http::string_body>& req) {
  // Accept a caller's id when it is short and plain (for tracing through a proxy).
  auto it = req.find("x-request-id");
  if (it != req.end()) {
    std::string v(it->value());
    if (!v.empty() && v.size() <= 64 &&
        std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }))
      return v;
  }
  return next_request_id();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const RequestHandler& handler, const HttpServerOptions& options)
      : stream_(std::move(socket)), handler_(handler), options_(options) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_s));
    if (options_.large_bodies.empty()) {
      http::async_read(stream_, buffer_, *parser_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
      return;
    }
    // The header first, read with the largest limit (Beast checks a Content-Length
    // against the limit while it reads the header); then the path's own limit.
    std::size_t largest = options_.body_limit;
    for (const auto& [path, limit] : options_.large_bodies) largest = std::max(largest, limit);
    parser_->body_limit(largest);
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->on_read(ec);
        return;
      }
      std::string_view target(self->parser_->get().target().data(), self->parser_->get().target().size());
      target = target.substr(0, target.find('?'));
      std::size_t limit = self->options_.body_limit;
      for (const auto& [path, large] : self->options_.large_bodies)
        if (path_matches(path, target)) limit = large;
      if (auto length = self->parser_->content_length(); length && *length > limit) {
        self->on_read(http::error::body_limit);
        return;
      }
      self->parser_->body_limit(limit);  // a chunked body is counted as it arrives
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
    });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      const std::string rid = next_request_id();
      write(edge_error({ErrorCode::payload_too_large,
                        "the request body is larger than " + std::to_string(options_.body_limit) + " bytes", {}},
                       rid, std::string(parser_->get()[http::field::accept_language])),
            false, rid, "?", "?", std::chrono::steady_clock::now());
      return;
    }
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
        const std::string rid = next_request_id();
        write(edge_error(Error::invalid("malformed HTTP request"), rid, ""), false, rid, "?", "?",
              std::chrono::steady_clock::now());
        return;
      }
      close();
      return;
    }
    auto started = std::chrono::steady_clock::now();
    auto msg = parser_->release();
    Request req;
    req.request_id = request_id_for(msg);
    req.method = std::string(msg.method_string());
    set_request_target(req, std::string(msg.target()));
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.client = client();
    Response resp;
    try {
      resp = handler_(req);
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled: {}", req.request_id, e.what());
      resp = edge_error(Error::internal("internal error"), req.request_id, req.header("accept-language"));
    }
    write(std::move(resp), msg.keep_alive(), req.request_id, req.method, req.path, started);
  }

  void write(Response resp, bool keep_alive, const std::string& rid, const std::string& method,
             const std::string& path, std::chrono::steady_clock::time_point started) {
    http::response_header<> head;
    head.version(11);
    head.result(static_cast<unsigned>(resp.status));
    head.set(http::field::server, "nongsan");
    if (!resp.content_type.empty()) head.set(http::field::content_type, resp.content_type);
    head.set("X-Request-Id", rid);
    head.set("X-Content-Type-Options", "nosniff");
    head.set("X-Frame-Options", "DENY");
    head.set("Referrer-Policy", "same-origin");
    for (const auto& [k, v] : resp.headers) head.insert(k, v);
    if (!head.count(http::field::cache_control)) head.set(http::field::cache_control, "no-store");
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (path.rfind("/api/", 0) == 0 || resp.status >= 400)
      spdlog::info("request_id={} method={} path={} status={} ms={:.1f}", rid, method, path, resp.status, ms);
    const bool head_only = method == "HEAD";
    // A --web-root file goes from the page cache to the socket (sendfile); the
    // embedded UI is written from the binary's own bytes (span_body). Neither is
    // copied into the response.
    if (!resp.file.empty()) {
      auto file = std::make_shared<OpenFile>();
      file->fd = ::open(resp.file.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (file->fd < 0 || ::fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        // It went between the lookup and now, or cannot be read.
        spdlog::warn("request_id={} cannot open {}", rid, resp.file);
        Response gone;
        gone.status = 404;
        gone.content_type = "text/plain; charset=utf-8";
        gone.body = "not found\n";
        write(std::move(gone), keep_alive, rid, method, path, started);
        return;
      }
      file->size = st.st_size;
      if (head_only || resp.status == 304) {
        send_headers_only(std::move(head), resp.status, static_cast<std::uint64_t>(file->size), keep_alive);
        return;
      }
      send_file(std::move(head), std::move(file), keep_alive);
      return;
    }
    if (!resp.static_body.empty()) {
      if (head_only || resp.status == 304) {
        send_headers_only(std::move(head), resp.status, resp.static_body.size(), keep_alive);
        return;
      }
      auto res = std::make_shared<http::response<http::span_body<const char>>>(std::move(head));
      res->body() = beast::span<const char>(resp.static_body.data(), resp.static_body.size());
      send(std::move(res), keep_alive);
      return;
    }
    if (head_only || resp.status == 304 || resp.status == 204) {
      send_headers_only(std::move(head), resp.status, resp.body.size(), keep_alive);
      return;
    }
    auto res = std::make_shared<http::response<http::string_body>>(std::move(head));
    res->body() = std::move(resp.body);
    send(std::move(res), keep_alive);
  }

  // HEAD: the headers a GET would have, Content-Length (`length`) included, and no
  // body. RFC 9110 §8.6: no Content-Length on 204, and on 304 none unless it is the 200's.
  void send_headers_only(http::response_header<> head, int status, std::uint64_t length, bool keep_alive) {
    auto res = std::make_shared<http::response<http::empty_body>>(std::move(head));
    res->keep_alive(keep_alive);
    if (status == 204 || status == 304) res->erase(http::field::content_length);
    else res->content_length(length);
    write_message(std::move(res), keep_alive);
  }

  // A --web-root file: the header through Beast, then the file from the page cache to
  // the socket with sendfile(2), never through user space. (Beast's file_body reads it
  // 4 KB at a time into a buffer: 0.04–0.09× nginx on the UI's bundle.)
  struct OpenFile {
    int fd = -1;
    off_t offset = 0;
    off_t size = 0;
    ~OpenFile() {
      if (fd >= 0) ::close(fd);
    }
  };

  void send_file(http::response_header<> head, std::shared_ptr<OpenFile> file, bool keep_alive) {
    auto res = std::make_shared<http::response<http::empty_body>>(std::move(head));
    res->keep_alive(keep_alive);
    res->content_length(static_cast<std::uint64_t>(file->size));
    auto& message = *res;
    http::async_write(stream_, message,
                      [self = shared_from_this(), res, file = std::move(file), keep_alive](beast::error_code ec,
                                                                                           std::size_t) {
                        if (ec) {
                          self->close();
                          return;
                        }
                        self->send_file_body(file, keep_alive);
                      });
  }

  // Sends what is left of `file`; waits for the socket to take more when it is full.
  // The stream's expiry (set when the request was read) still closes a stalled socket.
  void send_file_body(const std::shared_ptr<OpenFile>& file, bool keep_alive) {
    auto& socket = stream_.socket();
    beast::error_code ec;
    socket.native_non_blocking(true, ec);
    while (!ec && file->offset < file->size) {
      const ssize_t n = ::sendfile(socket.native_handle(), file->fd, &file->offset,
                                   static_cast<std::size_t>(file->size - file->offset));
      if (n > 0 || (n < 0 && errno == EINTR)) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        socket.async_wait(tcp::socket::wait_write, [self = shared_from_this(), file, keep_alive](beast::error_code e) {
          if (e) {
            self->close();
            return;
          }
          self->send_file_body(file, keep_alive);
        });
        return;
      }
      // The file shrank (n == 0) or the socket failed: the promised length cannot be
      // kept, so the connection ends and the client sees a short body.
      ec = n == 0 ? beast::error_code(asio::error::eof) : beast::error_code(errno, beast::system_category());
    }
    if (ec) {
      socket.close(ec);
      return;
    }
    if (!keep_alive) {
      close();
      return;
    }
    read();
  }

  template <class Body>
  void send(std::shared_ptr<http::response<Body>> res, bool keep_alive) {
    res->keep_alive(keep_alive);
    res->prepare_payload();
    write_message(std::move(res), keep_alive);
  }

  // The response stays alive (the lambda holds it) until it is written.
  template <class Message>
  void write_message(std::shared_ptr<Message> res, bool keep_alive) {
    auto& message = *res;
    http::async_write(stream_, message,
                      [self = shared_from_this(), res = std::move(res), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec || !keep_alive) {
                          self->close();
                          return;
                        }
                        self->read();
                      });
  }

  // The peer's address, asked of the socket once per connection (getpeername(2)).
  const std::string& client() {
    if (client_.empty()) {
      beast::error_code ec;
      auto ep = stream_.socket().remote_endpoint(ec);
      client_ = ec ? "unknown" : ep.address().to_string();
    }
    return client_;
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const RequestHandler& handler_;
  const HttpServerOptions& options_;
  std::string client_;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  asio::io_context io;
  // The acceptor's handlers run on a strand of their own, and stop() closes it on that
  // strand: an acceptor is not thread-safe, and closing it from the stopping thread
  // while a worker ran the accept handler (which calls async_accept again) raced on its
  // reactor state — a rare SIGSEGV in a worker during HttpServer::stop().
  asio::strand<asio::io_context::executor_type> accept_strand = asio::make_strand(io);
  tcp::acceptor acceptor{accept_strand};
  std::vector<std::thread> threads;
  asio::signal_set signals{io, SIGINT, SIGTERM};

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) {
        // Answers go out as soon as they are written, not after Nagle's wait for the
        // client's acknowledgement of the previous segment (keep-alive connections).
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), handler, options)->start();
      }
      accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::start() {
  // sendfile(2) has no MSG_NOSIGNAL: a client that goes away in the middle of a file
  // would raise SIGPIPE and end the process. The error comes back as EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) throw std::runtime_error("not an IP address: " + impl_->options.host);
  tcp::endpoint ep{address, impl_->options.port};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                             ": " + ec.message());
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  const unsigned short port = impl_->acceptor.local_endpoint().port();  // before any worker runs
  impl_->accept();
  int n = impl_->options.threads > 0 ? impl_->options.threads
                                      : std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  return port;
}

void HttpServer::run_until_signal() {
  impl_->signals.async_wait([this](beast::error_code, int) {
    asio::post(impl_->accept_strand, [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
      impl_->io.stop();
    });
  });
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

void HttpServer::stop() {
  if (!impl_) return;
  if (!impl_->threads.empty() && !impl_->io.stopped()) {
    // Close on the acceptor's strand and wait for it (see Impl::accept_strand).
    auto closed = std::make_shared<std::promise<void>>();
    auto done = closed->get_future();
    asio::post(impl_->accept_strand, [this, closed] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
      closed->set_value();
    });
    done.wait_for(std::chrono::seconds(5));
  } else {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  }
  impl_->io.stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
}

}  // namespace nongsan::api
