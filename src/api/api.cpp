#include "api/api.hpp"

#include "api/openapi.hpp"
#include "api/static_files.hpp"

namespace nongsan::api {

struct Api::Impl {
  Services services;
  Router router;
  StaticFiles files;
  explicit Impl(Services s) : services(std::move(s)), router(all_routes(), services), files(services.settings.web_root, services.settings.private_files) {}
};

Api::Api(Services services) : impl_(std::make_unique<Impl>(std::move(services))) {}
Api::~Api() = default;

Response Api::handle(Request& request) {
  if (request.path == "/api" || request.path.rfind("/api/", 0) == 0) return impl_->router.handle(request);
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = error_response(Error{ErrorCode::method_not_allowed, "only GET is allowed here", {}}, request.request_id);
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  return impl_->files.serve(request);
}

}  // namespace nongsan::api
