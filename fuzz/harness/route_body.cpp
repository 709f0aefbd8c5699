// Request bodies against the route table's field specs (api::check_request_body, the
// checks Router::handle makes before any handler): the first two bytes choose a route
// that takes a body, the rest is the body. A body is accepted or refused with a 4xx
// error; never a crash, never a 5xx.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "api/openapi.hpp"
#include "api/router.hpp"
#include "core/error.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<api::Route> routes = [] {
    std::vector<api::Route> with_body;
    for (auto& r : api::all_routes())
      if (!r.body.empty()) with_body.push_back(std::move(r));
    return with_body;
  }();
  if (size < 2 || routes.empty()) return 0;
  const auto& route = routes[(data[0] | (data[1] << 8)) % routes.size()];
  api::Request request;
  request.method = route.method;
  request.path = route.path;
  request.headers["content-type"] = "application/json";
  request.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  auto checked = api::check_request_body(route, request);
  if (!checked.ok()) {
    const int status = http_status(checked.error().code);
    if (status < 400 || status >= 500) __builtin_trap();
  } else if (!checked->is_object()) {
    __builtin_trap();  // a handler may take body fields without looking again
  }
  return 0;
}
