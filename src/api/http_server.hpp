// The HTTP server (Boost.Beast over Asio): keep-alive connections, a body limit,
// timeouts, a request id per request and one structured log line per request.
// It knows nothing of routes: it hands each request to a handler function.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/http.hpp"

namespace nongsan::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;                          // 0: 2 × cores, at least 4 (handlers may block on the database)
  std::size_t body_limit = 1024 * 1024;     // bytes; larger bodies get 413
  // Paths (exact, without the query) that may carry larger bodies, with their limit: a
  // device's sync with photos. The limit is chosen once the header is read.
  std::vector<std::pair<std::string, std::size_t>> large_bodies;
  int read_timeout_s = 30;
};

using RequestHandler = std::function<Response(Request&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  // Binds and listens; returns the port actually bound (useful with port 0).
  // Throws std::runtime_error when the address cannot be bound.
  unsigned short start();
  // Blocks until stop() or SIGINT/SIGTERM.
  void run_until_signal();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::api
