#include "api/api.hpp"

#include <algorithm>

#include "api/compression.hpp"
#include "api/forwarded.hpp"
#include "api/openapi.hpp"
#include "api/static_files.hpp"
#include "core/messages.hpp"

namespace nongsan::api {

namespace {
// The web UI: its own scripts only. MapLibre builds its workers from blob: URLs and
// sets styles inline; images of the map come as data: and blob: URLs.
constexpr const char* kAppCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; child-src blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
// A document the API renders (the review as HTML): self-contained, no scripts at all,
// so text that came from the database can never run.
constexpr const char* kDocumentCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// A kept answer the client already holds (If-None-Match names its ETag): 304, no body.
bool not_modified(Response& r, const Request& request) {
  const std::string sent = request.header("if-none-match");
  if (sent.empty()) return false;
  std::string etag;
  for (const auto& [k, v] : r.headers)
    if (k == "ETag") etag = v;
  if (etag.empty() || (sent != etag && sent != "*")) return false;
  r.status = 304;
  r.body.clear();
  return true;
}

// The web UI's files answer GET and HEAD only.
Response web_ui(const StaticFiles& files, const Request& request) {
  if (request.method == "GET" || request.method == "HEAD") return files.serve(request);
  Response r = error_response(Error{ErrorCode::method_not_allowed, "only GET is allowed here", {}}, request.request_id);
  r.headers.emplace_back("Allow", "GET, HEAD");
  return r;
}

}  // namespace

struct Api::Impl {
  Services services;
  Router router;
  StaticFiles files;
  TrustedProxies proxies;
  explicit Impl(Services s)
      : services(std::move(s)),
        router(all_routes(), services),
        files(services.settings.web_root, services.settings.private_files),
        proxies(TrustedProxies::parse(services.settings.trusted_proxies).value_or(TrustedProxies{})) {}
};

Api::Api(Services services) : impl_(std::make_unique<Impl>(std::move(services))) {}
Api::~Api() = default;

Response Api::handle(Request& request) {
  apply_forwarded_headers(request, impl_->proxies);
  request.language = std::string(to_string(language_from_accept(request.header("accept-language"))));
  // The route table's paths (/api/…, and the EPCIS REST binding's /epcis/…) go to the
  // router, everything else to the web UI's files.
  const bool api = impl_->router.serves(request.path);
  return finish(request, api ? impl_->router.handle(request) : web_ui(impl_->files, request), api);
}

std::optional<Response> Api::handle_inline(Request& request) {
  // What handle() on the pool must find as it came: the forwarded headers are applied
  // there again (applying them twice could take a proxy's address for the client's).
  const std::string client = request.client;
  const bool https = request.https;
  apply_forwarded_headers(request, impl_->proxies);
  request.language = std::string(to_string(language_from_accept(request.header("accept-language"))));
  if (!impl_->router.serves(request.path)) {
    return finish(request, web_ui(impl_->files, request), false);
  }
  if (auto r = impl_->router.handle_inline(request)) return finish(request, std::move(*r), true);
  request.client = client;
  request.https = https;
  return std::nullopt;
}

Response Api::finish(Request& request, Response r, bool api) {
  const Language lang = language_from_accept(request.header("accept-language"));
  if (r.from_cache) {  // kept as it was sent: translated, compressed, headers set
    r.headers.emplace_back("X-Cache", "hit");
    not_modified(r, request);
    return r;
  }
  // Errors reach officers in their language: Vietnamese unless the request asks for
  // English (docs/adr/0010-messages-in-vietnamese.md).
  if (r.error) {
    std::string translated = error_body(translate_error(*r.error, lang), request.request_id);
    // What a handler added beside the error (a 409's `existing` record) stays.
    auto before = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (before.is_object()) {
      auto after = nlohmann::json::parse(translated);
      for (auto& [key, value] : before.items())
        if (!after.contains(key)) after[key] = std::move(value);
      // A problem-details body (RFC 7807) tells its detail in the request's language too.
      if (after.contains("detail")) after["detail"] = after["message"];
      translated = after.dump();
    }
    r.body = std::move(translated);
    r.headers.emplace_back("Content-Language", std::string(to_string(lang)));
  }
  // The one place every HTML (and SVG, which can hold scripts) response gets its
  // Content-Security-Policy.
  std::string type = media_type_of(r.content_type);
  if ((type == "text/html" || type == "image/svg+xml") && !has_header(r, "Content-Security-Policy"))
    r.headers.emplace_back("Content-Security-Policy", api ? kDocumentCsp : kAppCsp);
  // What the server writes per request travels compressed when the client takes it
  // (the web UI's files come precompressed from static_files).
  if (api) compress_response(r, request.header("accept-encoding"));
  if (r.cache_ticket) {
    r.headers.emplace_back("ETag", ReadCache::etag_of(r.body));
    const auto ticket = std::move(*r.cache_ticket);
    r.cache_ticket.reset();
    impl_->router.cache().put(ticket.key, storage::DataVersion{ticket.local, ticket.external}, r);
    r.headers.emplace_back("X-Cache", "miss");  // (bench/read_latency.sh counts them)
    not_modified(r, request);
  }
  return r;
}

}  // namespace nongsan::api
