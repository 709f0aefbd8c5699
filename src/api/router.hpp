// The one route table. Each route declares its method and path, who may call it
// (public, or logged in with a permission), its query parameters and body fields
// (which drive both strict input checking and the OpenAPI document), and its
// handler. `Router::handle` is the single path every API request takes:
// request id → authentication → CSRF → permission → input checks → handler →
// error mapping. Record scope is then checked by the services (AccessPolicy).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http.hpp"
#include "api/read_cache.hpp"
#include "api/schema.hpp"
#include "core/civil_date.hpp"
#include "core/number_input.hpp"
#include "core/result.hpp"
#include "modules/identity/actor.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::api {

struct Services;

enum class FieldType { string, integer, number, boolean, date, object, array };

// A JSON body field. Numbers are checked against `range` (integer fields without one
// are bounded by int32, the type they are read into; ids take NumberRange::id()).
// For an array, `items` (when set) is the type of every element and `range` applies
// to them.
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::string;
  bool required = false;
  std::string description;
  bool nullable = false;
  std::vector<std::string> allowed;  // enumeration, when set
  std::optional<NumberRange> range;
  std::optional<FieldType> items;
};

// A query parameter; numbers as FieldSpec.
struct ParamSpec {
  std::string name;
  FieldType type = FieldType::string;
  std::string description;
  std::vector<std::string> allowed;
  std::optional<NumberRange> range;
};

// The range a numeric field or parameter is checked against: its own, or the bounds of
// the type it is read into.
NumberRange effective_range(FieldType type, const std::optional<NumberRange>& range);

class RequestContext;
using Handler = std::function<Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string path;  // "/api/v1/units/{id}"
  bool is_public = false;
  std::optional<identity::Permission> permission;  // checked before the handler when set
  std::string tag;
  std::string summary;
  std::vector<ParamSpec> query;
  std::vector<FieldSpec> body;  // a JSON object with exactly these fields
  int success_status = 200;
  Handler handler;
  bool list = false;  // paginated: accepts page and page_size
  Schema response;    // what the success status carries (Schema::none() for 204)
  // Standards whose query parameters are open-ended (EPCIS: EQ_bizTransaction_<type>,
  // EQ_<field IRI>, …): a parameter starting with one of these prefixes is accepted
  // with the text checks only (NUL, UTF-8, length); the service reads and checks it.
  std::vector<std::string> open_query_prefixes;
  // When set, the body is a JSON document of one of these media types (e.g. an
  // EPCISDocument as application/ld+json) that the service checks: the router parses
  // it (depth, duplicate keys, NUL) and hands it over whole; `body` stays empty.
  std::vector<std::string> document_media_types;
  // When set, errors are answered as RFC 7807 problem details (application/problem+json)
  // with the exception types of a standard; `problems.invalid` is the type of a 400
  // (EPCIS: ValidationException for a document, QueryParameterException for a query).
  struct ProblemTypes {
    std::string prefix;  // "epcisException:"
    std::string invalid, unauthenticated, forbidden, not_found, other;
  };
  std::optional<ProblemTypes> problems;
  // A GET whose 200 answers the read cache may keep (read_cache.hpp): its answer
  // depends only on the principal, the request's target and its Accept* headers, the
  // data in the database and the date; it writes nothing (no audit of the read, no
  // session) and sets no cookie. Never an authentication route.
  bool cacheable = false;
  // For a cacheable route: what of the principal its answer depends on, as a key
  // (e.g. registry::record_scope_key): principals with the same key share kept
  // answers, each having passed its own authentication and permission check first.
  // Unset: the whole principal (user, role, unit, producer), so no two users share.
  std::function<std::string(const identity::Actor&)> cache_scope;
  // Answered on the server's I/O thread (http_server.hpp): the handler is quick and
  // never waits on a lock or on the database beyond a read that cannot block (health,
  // whose one query a second is read in WAL mode). Every other route runs on the pool,
  // except a cacheable one's kept answer, which is served inline too.
  bool inline_ok = false;
};

// What a handler sees: the request, path parameters, checked query and body.
class RequestContext {
 public:
  RequestContext(const Request& req, Services& services) : request(req), services(services) {}

  const Request& request;
  Services& services;
  identity::Actor actor;
  bool authenticated = false;
  std::string session_token;
  std::map<std::string, std::string> path_params;
  nlohmann::json body = nlohmann::json::object();

  // Query parameters were checked against the route's declaration before the
  // handler runs, so these only convert; none of them throws (a value that does not
  // convert reads as absent, an id as 0, which no record has).
  std::optional<std::string> query(const std::string& name) const;
  std::string query_or(const std::string& name, const std::string& fallback) const;
  std::optional<std::int64_t> query_int(const std::string& name) const;
  std::optional<double> query_number(const std::string& name) const;
  std::optional<CivilDate> query_date(const std::string& name) const;
  std::optional<bool> query_bool(const std::string& name) const;
  std::int64_t path_id(const std::string& name) const;
  int page() const;
  int page_size() const;
};

class Router {
 public:
  Router(std::vector<Route> routes, Services& services);
  Router(const Router&) = delete;  // patterns_ points into routes_
  Router& operator=(const Router&) = delete;

  // Handles the requests of the route table's paths. REQUIRES: serves(request.path).
  Response handle(const Request& request);
  // The answer when it is cheap (http_server.hpp's InlineHandler): an unknown route,
  // an inline_ok route, a cacheable route's kept answer or its 4xx before the cache;
  // nullopt when the handler must run (on the pool). REQUIRES: serves(request.path).
  std::optional<Response> handle_inline(const Request& request);
  // True when the path lies under the first segment of a route ("/api", "/epcis"):
  // the router answers it (a 404 naming the route when none matches).
  bool serves(const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }
  ReadCache& cache() { return cache_; }

 private:
  // `inline_only`: returns nullopt where handle_inline declines.
  std::optional<Response> dispatch(const Request& request, const Route*& route, bool inline_only);

  Services& services_;
  std::vector<Route> routes_;
  std::vector<std::string> roots_;  // "/api", "/epcis"
  std::vector<std::vector<std::string_view>> patterns_;  // each route's path in segments, in routes_'s order
  ReadCache cache_;
};

// An error response as RFC 7807 problem details with the route's exception types.
Response as_problem(Response response, const Route::ProblemTypes& types);

// The body checks Router::handle makes before a handler runs (content type, JSON,
// unknown and missing fields, each field against its FieldSpec), without a server or
// services: for tests and the fuzz harness. The checked body, or the 4xx error
// Router::handle would answer.
Result<nlohmann::json> check_request_body(const Route& route, const Request& request);

// Responses.
Response json_response(int status, const nlohmann::json& body);
// The error as JSON, in English; the response keeps the Error so that the edge
// (Api::handle) can write it in the language the request asks for.
Response error_response(const Error& error, const std::string& request_id);
Response page_response(const std::vector<nlohmann::json>& items, std::int64_t total, const RequestContext& ctx);
Response no_content();

// Unwraps a Result into a JSON response, or the error response.
template <typename T>
Response respond(const Result<T>& r, const RequestContext& ctx, int status = 200) {
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(status, nlohmann::json(*r));
}

}  // namespace nongsan::api
