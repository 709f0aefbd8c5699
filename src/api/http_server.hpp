// The HTTP server: keep-alive connections (pipelined requests answered in order), a
// body limit, timeouts, a request id per request and one structured log line per
// request. It knows nothing of routes: it hands each request to a handler function.
//
// Threading (docs/adr/0019-server-threads.md): each I/O thread runs an io_context of
// its own; a connection lives on one of them from accept to close, so nothing of a
// connection is locked or put on a strand. One acceptor hands connections round-robin
// to the threads. Read and write timeouts are enforced by a sweep of each thread's
// connections once a second, not by a timer per operation. A request goes first to
// the inline handler, on the I/O thread, which answers what is cheap and never waits
// (a cached answer, a static file, health); what it declines goes to a bounded pool
// of threads that may block on the database, and the answer comes back to the
// connection's thread to be written. So a cheap answer never queues behind a slow one.
//
// Depends on Boost.Asio/Beast (inside the .cpp only) and api/http; not on routes,
// services or storage.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http.hpp"

namespace nongsan::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;       // I/O threads; 0: one per core
  int pool_threads = 0;  // threads for the handlers that may block; 0: 2 × cores, at least 4
  // How much lower the pool threads' CPU priority is than the I/O threads' (a nice
  // increment, 0–19): when both want the CPU, the I/O threads get it first, so a cheap
  // answer is not slowed by a handler computing beside it; alone, the pool has it all.
  int pool_nice = 5;
  std::size_t body_limit = 1024 * 1024;     // bytes; larger bodies get 413
  // Paths (exact, without the query) that may carry larger bodies, with their limit: a
  // device's sync with photos. The limit is chosen once the header is read.
  std::vector<std::pair<std::string, std::size_t>> large_bodies;
  // Seconds a client has to send a whole request (from its first byte, or from the
  // previous answer on a kept-alive connection), and again to take an answer. Checked
  // once a second, so a connection may live up to a second longer.
  int read_timeout_s = 30;
};

// Runs on the pool; may block.
using RequestHandler = std::function<Response(Request&)>;
// Runs on the I/O thread; must not block. nullopt: the request goes to the pool's
// RequestHandler (with the Request as this handler left it).
using InlineHandler = std::function<std::optional<Response>(Request&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, InlineHandler inline_handler = {});
  ~HttpServer();
  // Binds and listens; returns the port actually bound (useful with port 0).
  // Throws std::runtime_error when the address cannot be bound.
  unsigned short start();
  // Blocks until stop() or SIGINT/SIGTERM.
  void run_until_signal();
  // Stops accepting, stops every thread (a handler running on the pool finishes
  // first) and closes the connections still open.
  void stop();

  // The number of I/O and pool threads start() runs (for the log line at start).
  int io_threads() const;
  int pool_threads() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::api
