// The API layer's entry point: the request handlers for the HTTP server that send
// the route table's paths (/api/..., /epcis/...) to the router and everything else to the
// web UI's files: handle_inline on the server's I/O thread, handle on its pool.
#pragma once

#include <memory>
#include <optional>

#include "api/http_server.hpp"
#include "api/services.hpp"

namespace nongsan::api {

class Api {
 public:
  explicit Api(Services services);
  ~Api();
  Response handle(Request& request);
  // The answer when it is cheap enough for the server's I/O thread (a static file,
  // health, a kept answer of the read cache, an error before any handler), else
  // nullopt and `request` as it came, for handle() on the pool (http_server.hpp).
  std::optional<Response> handle_inline(Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Response finish(Request& request, Response r, bool api);
};

}  // namespace nongsan::api
