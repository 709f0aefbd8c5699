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
#include <latch>
#include <list>
#include <memory>
#include <thread>

#include <cerrno>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

using Clock = std::chrono::steady_clock;

class Session;

// What every connection shares; outlives them all.
struct Shared {
  HttpServerOptions options;
  RequestHandler handler;
  InlineHandler inline_handler;
  std::optional<asio::thread_pool> pool;  // the handlers that may block
  std::size_t largest_body = 0;           // of body_limit and large_bodies
};

// An I/O thread: its io_context, the connections that live on it, and the sweep that
// closes those past their deadline. Everything here is touched by that thread only
// (and by stop(), once the thread has ended).
struct Worker {
  std::list<Session*> sessions;  // declared before `io`: a session destroyed with io's handlers leaves it
  asio::io_context io{1};        // run by one thread
  asio::steady_timer sweep{io};
  std::thread thread;
  void arm_sweep();
};

// A --web-root file being sent with sendfile(2).
struct OpenFile {
  int fd = -1;
  off_t offset = 0;
  off_t size = 0;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

// A request handed to the pool, and its answer on the way back.
struct Job {
  Request request;
  bool keep_alive = true;
  Clock::time_point started;
  Clock::time_point picked;  // when a pool thread took it: the log's wait_ms
  Response response;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Worker& worker, Shared& shared)
      : socket_(std::move(socket)), worker_(worker), shared_(shared) {
    worker_.sessions.push_front(this);
    registered_ = worker_.sessions.begin();
  }
  ~Session() { worker_.sessions.erase(registered_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    // Answers go out as soon as they are written, not after Nagle's wait for the
    // client's acknowledgement of the previous segment (keep-alive connections).
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    socket_.native_non_blocking(true, ignored);  // flush() writes to it directly
    read();
  }

  // The sweep: past its deadline, the connection is closed; its pending read or wait
  // ends with an error, and the session with it.
  void expire(Clock::time_point now) {
    if (deadline_ != Clock::time_point{} && now >= deadline_) close_now();
  }
  void close_now() {
    beast::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void read() {
    const auto& options = shared_.options;
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    deadline_ = Clock::now() + std::chrono::seconds(options.read_timeout_s);
    if (options.large_bodies.empty()) {
      parser_->body_limit(options.body_limit);
      http::async_read(socket_, buffer_, *parser_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
      return;
    }
    // The header first, read with the largest limit (Beast checks a Content-Length
    // against the limit while it reads the header); then the path's own limit.
    parser_->body_limit(shared_.largest_body);
    http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->on_read(ec);
        return;
      }
      std::string_view target(self->parser_->get().target().data(), self->parser_->get().target().size());
      target = target.substr(0, target.find('?'));
      std::size_t limit = self->shared_.options.body_limit;
      for (const auto& [path, large] : self->shared_.options.large_bodies)
        if (path_matches(path, target)) limit = large;
      if (auto length = self->parser_->content_length(); length && *length > limit) {
        self->on_read(http::error::body_limit);
        return;
      }
      self->parser_->body_limit(limit);  // a chunked body is counted as it arrives
      http::async_read(self->socket_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
    });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      const std::string rid = next_request_id();
      respond(edge_error({ErrorCode::payload_too_large,
                          "the request body is larger than " + std::to_string(shared_.options.body_limit) + " bytes", {}},
                         rid, std::string(parser_->get()[http::field::accept_language])),
              false, rid, "?", "?", Clock::now());
      return;
    }
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
        const std::string rid = next_request_id();
        respond(edge_error(Error::invalid("malformed HTTP request"), rid, ""), false, rid, "?", "?", Clock::now());
        return;
      }
      close();
      return;
    }
    const auto started = Clock::now();
    deadline_ = {};  // the handler's time is not the client's
    auto msg = parser_->release();
    auto job = std::make_shared<Job>();
    job->started = started;
    job->keep_alive = msg.keep_alive();
    Request& req = job->request;
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
    if (shared_.inline_handler) {
      std::optional<Response> answer;
      try {
        answer = shared_.inline_handler(req);
      } catch (const std::exception& e) {
        spdlog::error("request_id={} unhandled: {}", req.request_id, e.what());
        answer = edge_error(Error::internal("internal error"), req.request_id, req.header("accept-language"));
      }
      if (answer) {
        respond(std::move(*answer), job->keep_alive, req.request_id, req.method, req.path, started);
        return;
      }
    }
    // The pool computes the answer; the connection's own thread writes it.
    asio::post(*shared_.pool, [self = shared_from_this(), job] {
      job->picked = Clock::now();
      try {
        job->response = self->shared_.handler(job->request);
      } catch (const std::exception& e) {
        spdlog::error("request_id={} unhandled: {}", job->request.request_id, e.what());
        job->response = edge_error(Error::internal("internal error"), job->request.request_id,
                                   job->request.header("accept-language"));
      }
      asio::post(self->socket_.get_executor(), [self, job] {
        self->respond(std::move(job->response), job->keep_alive, job->request.request_id, job->request.method,
                      job->request.path, job->started, job->picked);
      });
    });
  }

  // A header line; a value cannot end the line early (CR, LF and NUL are left out).
  void add_header(std::string_view name, std::string_view value) {
    head_ += name;
    head_ += ": ";
    for (char c : value)
      if (c != '\r' && c != '\n' && c != '\0') head_ += c;
    head_ += "\r\n";
  }

  // Writes the answer: the status line and headers built into one buffer, sent with
  // the body in one sendmsg(2) (the body from where it lies: the response's string,
  // the bytes embedded in the binary), or followed by the file with sendfile(2).
  // `picked`: when a pool thread took the request (none when the I/O thread answered
  // it): the log line says how long it waited for one (wait_ms), and for a cacheable
  // route whether the read cache served it (cache=, from X-Cache), so that a slow
  // answer can be told apart: computed, or queued (bench/read_latency.sh reads them).
  void respond(Response resp, bool keep_alive, const std::string& rid, const std::string& method,
               const std::string& path, Clock::time_point started, Clock::time_point picked = {}) {
    const int status = resp.status;
    const auto now = Clock::now();
    auto ms = std::chrono::duration<double, std::milli>(now - started).count();
    if (path.rfind("/api/", 0) == 0 || status >= 400) {
      std::string_view cache = "-";
      for (const auto& [k, v] : resp.headers)
        if (k == "X-Cache") cache = v;
      if (picked == Clock::time_point{})
        spdlog::info("request_id={} method={} path={} status={} ms={:.2f} cache={} pool=no", rid, method, path, status,
                     ms, cache);
      else
        spdlog::info("request_id={} method={} path={} status={} ms={:.2f} cache={} pool=yes wait_ms={:.2f}", rid,
                     method, path, status, ms, cache,
                     std::chrono::duration<double, std::milli>(picked - started).count());
    }
    // HEAD: the headers a GET would have, Content-Length included, and no body.
    // RFC 9110 §8.6: no Content-Length on 204, and on 304 none unless it is the 200's.
    const bool with_body = !(method == "HEAD" || status == 304 || status == 204);
    keep_alive_ = keep_alive;
    file_.reset();
    body_view_ = {};
    std::uint64_t length = 0;
    if (!resp.file.empty()) {
      auto file = std::make_unique<OpenFile>();
      file->fd = ::open(resp.file.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (file->fd < 0 || ::fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        // It went between the lookup and now, or cannot be read.
        spdlog::warn("request_id={} cannot open {}", rid, resp.file);
        Response gone;
        gone.status = 404;
        gone.content_type = "text/plain; charset=utf-8";
        gone.body = "not found\n";
        respond(std::move(gone), keep_alive, rid, method, path, started);
        return;
      }
      file->size = st.st_size;
      length = static_cast<std::uint64_t>(st.st_size);
      if (with_body) file_ = std::move(file);
    } else if (!resp.static_body.empty()) {
      length = resp.static_body.size();
      if (with_body) body_view_ = resp.static_body;
    } else {
      length = resp.body.size();
      if (with_body) {
        body_ = std::move(resp.body);
        body_view_ = body_;
      }
    }
    head_.clear();
    head_ += "HTTP/1.1 ";
    head_ += std::to_string(status);
    head_ += ' ';
    const auto reason = http::obsolete_reason(static_cast<http::status>(status));
    head_.append(reason.data(), reason.size());
    head_ += "\r\nServer: nongsan\r\n";
    if (!resp.content_type.empty()) add_header("Content-Type", resp.content_type);
    add_header("X-Request-Id", rid);
    head_ += "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n";
    for (const auto& [k, v] : resp.headers) add_header(k, v);
    if (!has_header(resp, "Cache-Control")) head_ += "Cache-Control: no-store\r\n";
    if (status != 204 && status != 304) {
      head_ += "Content-Length: ";
      head_ += std::to_string(length);
      head_ += "\r\n";
    }
    if (!keep_alive) head_ += "Connection: close\r\n";
    head_ += "\r\n";
    head_sent_ = 0;
    body_sent_ = 0;
    deadline_ = Clock::now() + std::chrono::seconds(shared_.options.read_timeout_s);
    flush();
  }

  // Sends what is left of the answer; waits for the socket to take more when it is
  // full. The deadline (set when the answer began) still closes a stalled socket.
  void flush() {
    const int fd = socket_.native_handle();
    for (;;) {
      ssize_t n = 0;
      const std::size_t head_left = head_.size() - head_sent_, body_left = body_view_.size() - body_sent_;
      if (head_left + body_left > 0) {
        iovec iov[2];
        int count = 0;
        if (head_left) iov[count++] = {const_cast<char*>(head_.data() + head_sent_), head_left};
        if (body_left) iov[count++] = {const_cast<char*>(body_view_.data() + body_sent_), body_left};
        msghdr m{};
        m.msg_iov = iov;
        m.msg_iovlen = static_cast<std::size_t>(count);
        n = ::sendmsg(fd, &m, MSG_NOSIGNAL | (file_ ? MSG_MORE : 0));
        if (n > 0) {
          const auto sent = static_cast<std::size_t>(n);
          const std::size_t from_head = std::min(sent, head_left);
          head_sent_ += from_head;
          body_sent_ += sent - from_head;
          continue;
        }
      } else if (file_ && file_->offset < file_->size) {
        n = ::sendfile(fd, file_->fd, &file_->offset, static_cast<std::size_t>(file_->size - file_->offset));
        if (n > 0) continue;
      } else {
        written();
        return;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code ec) {
          if (ec) {
            self->close_now();
            return;
          }
          self->flush();
        });
        return;
      }
      // The socket failed, or the file shrank (sendfile gave 0): the promised length
      // cannot be kept, so the connection ends and the client sees a short body.
      close_now();
      return;
    }
  }

  void written() {
    file_.reset();
    body_view_ = {};
    if (!keep_alive_) {
      close();
      return;
    }
    read();
  }

  // The peer's address, asked of the socket once per connection (getpeername(2)).
  const std::string& client() {
    if (client_.empty()) {
      beast::error_code ec;
      auto ep = socket_.remote_endpoint(ec);
      client_ = ec ? "unknown" : ep.address().to_string();
    }
    return client_;
  }

  void close() {
    deadline_ = {};
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
  }

  tcp::socket socket_;
  Worker& worker_;
  Shared& shared_;
  std::list<Session*>::iterator registered_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string client_;
  Clock::time_point deadline_{};  // none while a handler runs, or after close()
  // The answer being written.
  bool keep_alive_ = true;
  std::string head_;
  std::size_t head_sent_ = 0;
  std::string body_;
  std::string_view body_view_;
  std::size_t body_sent_ = 0;
  std::unique_ptr<OpenFile> file_;
};

void Worker::arm_sweep() {
  sweep.expires_after(std::chrono::seconds(1));
  sweep.async_wait([this](beast::error_code ec) {
    if (ec) return;
    const auto now = Clock::now();
    for (auto it = sessions.begin(); it != sessions.end();) {
      Session* s = *it++;
      s->expire(now);  // closes only; the session ends later, in its own handler
    }
    arm_sweep();
  });
}

}  // namespace

struct HttpServer::Impl {
  Shared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  // On workers[0]'s io_context: only its thread touches it while the threads run.
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  std::size_t next = 0;
  int io_count = 0, pool_count = 0;

  // Round-robin: each connection is accepted straight onto the next thread's
  // io_context and started there.
  void accept() {
    Worker& target = *workers[next++ % workers.size()];
    acceptor->async_accept(target.io, [this, &target](beast::error_code ec, tcp::socket socket) {
      if (!acceptor->is_open()) return;
      if (!ec)
        asio::post(target.io, [this, &target, s = std::move(socket)]() mutable {
          std::make_shared<Session>(std::move(s), target, shared)->start();
        });
      accept();
    });
  }

  bool running() const {
    for (const auto& w : workers)
      if (w->thread.joinable()) return true;
    return false;
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, InlineHandler inline_handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->shared.options = std::move(options);
  impl_->shared.handler = std::move(handler);
  impl_->shared.inline_handler = std::move(inline_handler);
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const auto& o = impl_->shared.options;
  impl_->io_count = o.threads > 0 ? o.threads : cores;
  impl_->pool_count = o.pool_threads > 0 ? o.pool_threads : std::max(4, 2 * cores);
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::io_threads() const { return impl_->io_count; }
int HttpServer::pool_threads() const { return impl_->pool_count; }

unsigned short HttpServer::start() {
  // sendfile(2) has no MSG_NOSIGNAL: a client that goes away in the middle of a file
  // would raise SIGPIPE and end the process. The error comes back as EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  Impl& m = *impl_;
  auto& options = m.shared.options;
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("not an IP address: " + options.host);
  m.shared.largest_body = options.body_limit;
  for (const auto& [path, limit] : options.large_bodies) m.shared.largest_body = std::max(m.shared.largest_body, limit);
  for (int i = 0; i < m.io_count; ++i) m.workers.push_back(std::make_unique<Worker>());
  tcp::endpoint ep{address, options.port};
  m.acceptor.emplace(m.workers[0]->io);
  m.acceptor->open(ep.protocol());
  m.acceptor->set_option(asio::socket_base::reuse_address(true));
  m.acceptor->bind(ep, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                             ec.message());
  m.acceptor->listen(asio::socket_base::max_listen_connections);
  const unsigned short port = m.acceptor->local_endpoint().port();  // before any thread runs
  m.signals.emplace(m.workers[0]->io);
  m.shared.pool.emplace(static_cast<std::size_t>(m.pool_count));
  if (options.pool_nice > 0) {
    // One task per pool thread (each waits for all the others, so no thread takes two)
    // lowers that thread's own priority; Linux applies a thread id's nice to the thread.
    auto all = std::make_shared<std::latch>(m.pool_count);
    const int nice = std::min(options.pool_nice, 19);
    for (int i = 0; i < m.pool_count; ++i)
      asio::post(*m.shared.pool, [all, nice] {
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        if (::setpriority(PRIO_PROCESS, tid, ::getpriority(PRIO_PROCESS, tid) + nice) != 0)
          spdlog::warn("the pool's thread priority could not be lowered: {}", std::strerror(errno));
        all->arrive_and_wait();
      });
  }
  m.accept();
  for (auto& w : m.workers) {
    w->arm_sweep();
    Worker* worker = w.get();
    w->thread = std::thread([worker] { worker->io.run(); });
  }
  return port;
}

void HttpServer::run_until_signal() {
  Impl& m = *impl_;
  if (!m.signals) return;
  m.signals->add(SIGINT);
  m.signals->add(SIGTERM);
  m.signals->async_wait([&m](beast::error_code ec, int) {
    if (ec) return;
    beast::error_code ignored;
    m.acceptor->close(ignored);  // on workers[0]'s thread, the acceptor's own
    for (auto& w : m.workers) w->io.stop();
  });
  for (auto& w : m.workers)
    if (w->thread.joinable()) w->thread.join();
}

void HttpServer::stop() {
  if (!impl_ || !impl_->acceptor) return;
  Impl& m = *impl_;
  if (m.running() && !m.workers[0]->io.stopped()) {
    // Close the acceptor on its own thread and wait for it: an acceptor is not
    // thread-safe, and closing it here while that thread ran the accept handler
    // (which calls async_accept again) would race on its reactor state.
    auto closed = std::make_shared<std::promise<void>>();
    auto done = closed->get_future();
    asio::post(m.workers[0]->io, [&m, closed] {
      beast::error_code ec;
      m.acceptor->close(ec);
      closed->set_value();
    });
    done.wait_for(std::chrono::seconds(5));
  } else {
    beast::error_code ec;
    m.acceptor->close(ec);
  }
  for (auto& w : m.workers) w->io.stop();
  for (auto& w : m.workers)
    if (w->thread.joinable()) w->thread.join();
  // A handler running on the pool finishes; those not yet started are dropped (their
  // connections with them).
  if (m.shared.pool) {
    m.shared.pool->stop();
    m.shared.pool->join();
    m.shared.pool.reset();
  }
  // Every thread has ended: the connections still open are closed here, so that their
  // clients see the end at once rather than when the server is destroyed.
  for (auto& w : m.workers)
    for (Session* s : w->sessions) s->close_now();
}

}  // namespace nongsan::api
