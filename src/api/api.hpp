// The API layer's entry point: a request handler for the HTTP server that sends
// the route table's paths (/api/..., /epcis/...) to the router and everything else to the
// web UI's files.
#pragma once

#include <memory>

#include "api/http_server.hpp"
#include "api/services.hpp"

namespace nongsan::api {

class Api {
 public:
  explicit Api(Services services);
  ~Api();
  Response handle(Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::api
