#include "api/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/services.hpp"
#include "core/json_input.hpp"
#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/identity/credentials.hpp"
#include "storage/data_version.hpp"
#include "storage/value.hpp"

namespace nongsan::api {

using nlohmann::json;

// ---- responses ----------------------------------------------------------------

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  // Replace invalid UTF-8 rather than throwing: stored text could come from old imports.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response error_response(const Error& e, const std::string& request_id) {
  Response r;
  r.status = http_status(e.code);
  r.body = error_body(e, request_id);  // English; Api::handle writes it again in the request's language
  r.error = e;
  return r;
}

Response page_response(const std::vector<json>& items, std::int64_t total, const RequestContext& ctx) {
  return json_response(200, {{"items", items}, {"page", ctx.page()}, {"page_size", ctx.page_size()}, {"total", total}});
}

// ---- request context ----------------------------------------------------------

std::optional<std::string> RequestContext::query(const std::string& name) const {
  for (const auto& [k, v] : request.query)
    if (k == name) return v;
  return std::nullopt;
}
std::string RequestContext::query_or(const std::string& name, const std::string& fallback) const {
  auto v = query(name);
  return v && !v->empty() ? *v : fallback;
}
std::optional<std::int64_t> RequestContext::query_int(const std::string& name) const {
  auto v = query(name);
  if (!v || v->empty()) return std::nullopt;
  auto n = parse_integer(*v, NumberRange::int64(), name);
  if (!n) return std::nullopt;
  return *n;
}
std::optional<double> RequestContext::query_number(const std::string& name) const {
  auto v = query(name);
  if (!v || v->empty()) return std::nullopt;
  auto n = parse_real(*v, NumberRange::real(), name);
  if (!n) return std::nullopt;
  return *n;
}
std::optional<CivilDate> RequestContext::query_date(const std::string& name) const {
  auto v = query(name);
  if (!v || v->empty()) return std::nullopt;
  return CivilDate::parse(*v);
}
std::optional<bool> RequestContext::query_bool(const std::string& name) const {
  auto v = query(name);
  if (!v || v->empty()) return std::nullopt;
  return *v == "true" || *v == "1";
}
std::int64_t RequestContext::path_id(const std::string& name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) return 0;
  auto n = parse_integer(it->second, NumberRange::id(), name);
  return n ? *n : 0;
}
int RequestContext::page() const { return static_cast<int>(query_int("page").value_or(1)); }
int RequestContext::page_size() const { return static_cast<int>(query_int("page_size").value_or(50)); }

NumberRange effective_range(FieldType type, const std::optional<NumberRange>& range) {
  if (range) return *range;
  return type == FieldType::integer ? NumberRange::int32() : NumberRange::real();
}

// ---- input checks -------------------------------------------------------------

namespace {

std::vector<std::string_view> path_segments(std::string_view p) {
  std::vector<std::string_view> out;
  while (true) {
    auto slash = p.find('/');
    out.push_back(p.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    p.remove_prefix(slash + 1);
  }
}

// Matches a route's path, split into segments once (Router::patterns_), against a
// request path's segments, decoded once per request (`raw` paths are as received:
// each segment is decoded on its own, so an encoded slash stays inside its segment).
// Every parameter is a whole segment, never empty.
bool match_segments(const std::vector<std::string_view>& want, const std::vector<std::string>& got,
                    std::map<std::string, std::string>& params) {
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 1 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      params[std::string(want[i].substr(1, want[i].size() - 2))] = got[i];
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

std::string type_name(FieldType t) {
  switch (t) {
    case FieldType::string: return "a string";
    case FieldType::integer: return "an integer";
    case FieldType::number: return "a number";
    case FieldType::boolean: return "true or false";
    case FieldType::date: return "a date (YYYY-MM-DD or dd/mm/yyyy)";
    case FieldType::object: return "an object";
    case FieldType::array: return "an array";
  }
  return "a value";
}

// The first problem of a number field, if any.
void add_problem(const Error& e, std::vector<FieldError>& errors) {
  if (!e.fields.empty()) errors.push_back(e.fields.front());
}

void check_query(const Route& route, const Request& req, std::vector<FieldError>& errors) {
  static const ParamSpec kPage{"page", FieldType::integer, "", {}, NumberRange::int32(1, 1000000)};
  static const ParamSpec kPageSize{"page_size", FieldType::integer, "", {}, NumberRange::int32(1, 500)};
  for (const auto& [name, value] : req.query) {
    const ParamSpec* spec = nullptr;
    for (const auto& p : route.query)
      if (p.name == name) spec = &p;
    if (!spec && route.list && name == "page") spec = &kPage;
    if (!spec && route.list && name == "page_size") spec = &kPageSize;
    if (!spec && std::any_of(route.open_query_prefixes.begin(), route.open_query_prefixes.end(),
                             [&n = name](const std::string& p) { return n.rfind(p, 0) == 0; })) {
      static const ParamSpec kOpen{"", FieldType::string, "", {}, std::nullopt};
      spec = &kOpen;  // the text checks below; the service reads the value
    }
    if (!spec) {
      errors.push_back({name, "unknown query parameter"});
      continue;
    }
    if (value.find('\0') != std::string::npos) {
      errors.push_back({name, "must not contain a NUL character"});
      continue;
    }
    if (value.empty()) continue;  // an empty filter is no filter
    switch (spec->type) {
      case FieldType::integer:
        if (auto n = parse_integer(value, effective_range(spec->type, spec->range), name); !n) add_problem(n.error(), errors);
        break;
      case FieldType::number:
        if (auto n = parse_real(value, effective_range(spec->type, spec->range), name); !n) add_problem(n.error(), errors);
        break;
      case FieldType::date:
        if (!CivilDate::parse(value)) errors.push_back({name, "must be a date (YYYY-MM-DD or dd/mm/yyyy)"});
        break;
      case FieldType::boolean:
        if (value != "true" && value != "false" && value != "1" && value != "0")
          errors.push_back({name, "must be true or false"});
        break;
      default:
        if (value.size() > 200) errors.push_back({name, "is too long"});
        if (!is_valid_utf8(value)) errors.push_back({name, "is not valid UTF-8"});
        break;
    }
    if (!spec->allowed.empty() &&
        std::find(spec->allowed.begin(), spec->allowed.end(), value) == spec->allowed.end()) {
      std::string list;
      for (const auto& a : spec->allowed) list += (list.empty() ? "" : ", ") + a;
      errors.push_back({name, "must be one of: " + list});
    }
  }
}

// A number of a JSON body against its type and range. An integer given as a whole real
// (2.0) is rewritten as the integer, so handlers read one representation.
void check_number(const std::string& name, json& v, FieldType type, const NumberRange& range,
                  std::vector<FieldError>& errors) {
  if (type == FieldType::integer) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      errors.push_back({name, range_problem(INFINITY, range)});
    } else if (v.is_number_integer()) {
      if (auto n = integer_in_range(v.get<std::int64_t>(), range, name); !n) add_problem(n.error(), errors);
    } else if (v.is_number_float()) {
      if (auto n = integer_from_real(v.get<double>(), range, name); !n) add_problem(n.error(), errors);
      else v = *n;
    } else {
      errors.push_back({name, "must be an integer"});
    }
    return;
  }
  if (!v.is_number()) {
    errors.push_back({name, "must be a number"});
    return;
  }
  if (auto n = real_in_range(v.get<double>(), range, name); !n) add_problem(n.error(), errors);
}

// Strings (and keys) anywhere in a body must not hold NUL: C APIs, file names and some
// database drivers stop at it, so the text stored would not be the text checked.
void find_nul(const json& v, const std::string& path, std::vector<FieldError>& errors) {
  constexpr std::size_t kMaxReported = 20;
  if (errors.size() >= kMaxReported) return;
  if (v.is_string()) {
    if (v.get_ref<const std::string&>().find('\0') != std::string::npos)
      errors.push_back({path, "must not contain a NUL character"});
  } else if (v.is_object()) {
    for (const auto& [k, x] : v.items()) {
      std::string p = path.empty() ? k : path + "." + k;
      if (k.find('\0') != std::string::npos) errors.push_back({p, "must not contain a NUL character"});
      find_nul(x, p, errors);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) find_nul(v[i], path + "[" + std::to_string(i) + "]", errors);
  }
}

bool has_type(FieldType t, const json& v) {
  switch (t) {
    case FieldType::string: return v.is_string();
    case FieldType::integer: return v.is_number();  // whole and in range: check_number
    case FieldType::number: return v.is_number();
    case FieldType::boolean: return v.is_boolean();
    case FieldType::date: return v.is_string() && CivilDate::parse(v.get<std::string>()).has_value();
    case FieldType::object: return v.is_object();
    case FieldType::array: return v.is_array();
  }
  return false;
}

void check_field(const FieldSpec& spec, json& v, std::vector<FieldError>& errors) {
  if (v.is_null()) {
    if (!spec.nullable) errors.push_back({spec.name, "must not be null"});
    return;
  }
  if (!has_type(spec.type, v)) {
    errors.push_back({spec.name, "must be " + type_name(spec.type)});
    return;
  }
  if (spec.type == FieldType::integer || spec.type == FieldType::number)
    check_number(spec.name, v, spec.type, effective_range(spec.type, spec.range), errors);
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > 10000) errors.push_back({spec.name, "is too long"});
    if (!spec.allowed.empty() && std::find(spec.allowed.begin(), spec.allowed.end(), s) == spec.allowed.end()) {
      std::string list;
      for (const auto& a : spec.allowed) list += (list.empty() ? "" : ", ") + a;
      errors.push_back({spec.name, "must be one of: " + list});
    }
  }
  if (spec.type == FieldType::array && spec.items) {
    const FieldType item = *spec.items;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string name = spec.name + "[" + std::to_string(i) + "]";
      if (!has_type(item, v[i])) errors.push_back({name, "must be " + type_name(item)});
      else if (item == FieldType::integer || item == FieldType::number)
        check_number(name, v[i], item, effective_range(item, spec.range), errors);
    }
  }
}

// A document body (Route::document_media_types): parsed and checked for NUL, its shape
// left to the service.
Status parse_document(const Route& route, const Request& req, json& out) {
  if (trim(req.body).empty()) return Error::invalid("a JSON body is required", {{"body", "is missing"}});
  const std::string media = media_type_of(req.header("content-type"));
  if (std::find(route.document_media_types.begin(), route.document_media_types.end(), media) ==
      route.document_media_types.end()) {
    std::string list;
    for (const auto& m : route.document_media_types) list += (list.empty() ? "" : ", ") + m;
    return Error{ErrorCode::unsupported_media_type, "send the body as " + list, {}};
  }
  auto doc = parse_json_input(req.body, "the request body");
  if (!doc) {
    Error e = doc.error();
    for (auto& f : e.fields)
      if (f.field == "the request body") f.field = "body";
    return e;
  }
  std::vector<FieldError> errors;
  find_nul(*doc, "", errors);
  if (!errors.empty()) return Error::invalid("the request body is not valid", std::move(errors));
  out = std::move(*doc);
  return {};
}

Status parse_body(const Route& route, const Request& req, json& out) {
  if (!route.document_media_types.empty()) return parse_document(route, req, out);
  bool has_body = !trim(req.body).empty();
  if (route.body.empty()) {
    if (has_body && req.method != "GET" && req.method != "DELETE")
      return Error::invalid("this operation takes no request body", {{"body", "must be empty"}});
    return {};
  }
  if (!has_body) {
    bool any_required = std::any_of(route.body.begin(), route.body.end(), [](const FieldSpec& f) { return f.required; });
    if (!any_required) return {};
    return Error::invalid("a JSON body is required", {{"body", "is missing"}});
  }
  // The media type itself, not a substring: "text/plain; x=application/json" is not JSON.
  if (media_type_of(req.header("content-type")) != "application/json")
    return Error{ErrorCode::unsupported_media_type, "send the body as application/json", {}};
  auto doc = parse_json_input(req.body, "the request body");
  if (!doc) {
    // The position is in the message; the field is the body, or the key given twice.
    Error e = doc.error();
    for (auto& f : e.fields)
      if (f.field == "the request body") f.field = "body";
    return e;
  }
  json parsed = std::move(*doc);
  if (!parsed.is_object()) return Error::invalid("the body must be a JSON object", {{"body", "must be an object"}});
  std::vector<FieldError> errors;
  find_nul(parsed, "", errors);
  if (!errors.empty()) return Error::invalid("the request body is not valid", std::move(errors));
  for (auto& [key, value] : parsed.items()) {
    // The binding named in the capture: clang 14 (the fuzz build) cannot capture a structured binding.
    auto it = std::find_if(route.body.begin(), route.body.end(), [&k = key](const FieldSpec& f) { return f.name == k; });
    if (it == route.body.end()) errors.push_back({key, "unknown field"});
    else check_field(*it, value, errors);
  }
  for (const auto& f : route.body)
    if (f.required && !parsed.contains(f.name)) errors.push_back({f.name, "is required"});
  if (!errors.empty()) return Error::invalid("the request body is not valid", std::move(errors));
  out = std::move(parsed);
  return {};
}

bool unsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

Result<json> check_request_body(const Route& route, const Request& request) {
  json body = json::object();
  if (auto s = parse_body(route, request, body); !s) return s.error();
  return body;
}

// ---- dispatch -----------------------------------------------------------------

namespace {
// "/api/v1/units" -> "/api".
std::string root_of(const std::string& path) { return path.substr(0, path.find('/', 1)); }
}  // namespace

Router::Router(std::vector<Route> routes, Services& services)
    : services_(services), routes_(std::move(routes)), cache_(services.settings.read_cache_bytes) {
  for (const auto& r : routes_) {
    if (std::string root = root_of(r.path); std::find(roots_.begin(), roots_.end(), root) == roots_.end())
      roots_.push_back(root);
    patterns_.push_back(path_segments(r.path));  // views into routes_, which never changes
  }
}

bool Router::serves(const std::string& path) const {
  return std::find(roots_.begin(), roots_.end(), root_of(path)) != roots_.end();
}

Response as_problem(Response r, const Route::ProblemTypes& types) {
  if (!r.error) return r;
  const std::string* type = &types.other;
  switch (r.error->code) {
    case ErrorCode::invalid_input: type = &types.invalid; break;
    case ErrorCode::unauthenticated: type = &types.unauthenticated; break;
    case ErrorCode::forbidden: type = &types.forbidden; break;
    case ErrorCode::not_found: type = &types.not_found; break;
    default: break;
  }
  json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) body = json::object();
  body["type"] = types.prefix + *type;
  body["title"] = *type;
  body["status"] = r.status;
  body["detail"] = r.error->message;  // Api::handle writes it again in the request's language
  r.body = body.dump();
  r.content_type = "application/problem+json";
  return r;
}

namespace {

// The read cache's key: who asks (user, role, unit, producer: everything the scope
// checks read; or, for a route that names it, only what its answer depends on:
// Route::cache_scope), what (method, the whole target as received), the headers that
// change the body, and the day (answers without as_of are computed for today).
std::string cache_key(const Route& route, const identity::Actor& a, const Request& req) {
  std::string k;
  k.reserve(req.target.size() + 128);
  if (route.cache_scope) {
    k += "scope:";
    k += route.cache_scope(a);
  } else {
    k += a.user ? std::to_string(a.user->value) : "-";
    k += '|';
    k += identity::to_string(a.role);
    k += '|';
    k += a.unit ? std::to_string(a.unit->value) : "-";
    k += '|';
    k += a.producer ? std::to_string(a.producer->value) : "-";
  }
  k += '|';
  k += CivilDate::today().iso();
  k += '|';
  k += req.method;
  k += ' ';
  k += req.target;
  for (const char* h : {"accept", "accept-language", "accept-encoding"}) {
    k += '\n';
    k += req.header(h);
  }
  return k;
}

// A storage failure as the client sees it: what happened and whether trying again
// later can help, never the database's own text (it may name tables or values).
Response storage_error_response(const storage::DbError& e, const std::string& where, const std::string& rid) {
  spdlog::error("request_id={} {} storage error: {}", rid, where, e.what());
  switch (e.kind()) {
    case storage::DbError::Kind::busy:
      return error_response(Error{ErrorCode::storage, "the database is busy; try again", {}}, rid);
    case storage::DbError::Kind::unique_violation:
      return error_response(Error::conflict("a record with the same key already exists"), rid);
    case storage::DbError::Kind::disk_full:
      return error_response(
          Error{ErrorCode::storage_full, "the database's disk is full; nothing was saved. Free disk space and try again", {}},
          rid);
    case storage::DbError::Kind::unavailable:
      return error_response(
          Error{ErrorCode::storage, "the database cannot be reached; nothing was saved. Try again in a moment", {}}, rid);
    default:
      return error_response(Error{ErrorCode::storage, "the database refused the operation", {}}, rid);
  }
}

}  // namespace

Response Router::handle(const Request& req) {
  const Route* route = nullptr;
  Response r;
  try {
    r = std::move(*dispatch(req, route, false));
  } catch (const storage::DbError& e) {
    // Authentication reads the session store before a handler runs: a database that
    // is down fails there first.
    r = storage_error_response(e, req.method + " " + req.path, req.request_id);
  }
  if (route && route->problems) return as_problem(std::move(r), *route->problems);
  return r;
}

std::optional<Response> Router::handle_inline(const Request& req) {
  const Route* route = nullptr;
  std::optional<Response> r;
  try {
    r = dispatch(req, route, true);
  } catch (const storage::DbError& e) {
    r = storage_error_response(e, req.method + " " + req.path, req.request_id);
  }
  if (r && route && route->problems) return as_problem(std::move(*r), *route->problems);
  return r;
}

std::optional<Response> Router::dispatch(const Request& req, const Route*& route, bool inline_only) {
  const std::string& rid = req.request_id;
  RequestContext ctx(req, services_);
  if (req.path.find('\0') != std::string::npos)
    return error_response(Error::invalid("the request is not valid", {{"path", "must not contain a NUL character"}}), rid);
  std::vector<std::string> allowed_methods;
  // The request's path segments, decoded once; then each route's, split at start.
  const bool raw = !req.raw_path.empty();
  std::vector<std::string> got;
  for (auto segment : path_segments(raw ? req.raw_path : req.path))
    got.push_back(raw ? url_decode_path(segment) : std::string(segment));
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    std::map<std::string, std::string> params;
    if (!match_segments(patterns_[i], got, params)) continue;
    allowed_methods.push_back(r.method);
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      route = &r;
      ctx.path_params = std::move(params);
      break;
    }
  }
  if (!route) {
    if (allowed_methods.empty()) return error_response(Error::not_found("no such API route: " + req.path), rid);
    Response resp = error_response(Error{ErrorCode::method_not_allowed, "method not allowed here", {}}, rid);
    std::string allow;
    for (const auto& m : allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
    resp.headers.emplace_back("Allow", allow);
    return resp;
  }

  // What may wait on the database runs on the pool: everything but health and the
  // cacheable routes (whose kept answer needs the same checks first).
  const bool may_hit = route->cacheable && cache_.enabled() && (req.method == "GET" || req.method == "HEAD");
  if (inline_only && !route->inline_ok && !may_hit) return std::nullopt;

  // Authentication: a bearer token, or the session cookie.
  std::string auth = req.header("authorization");
  std::optional<identity::Authenticated> who;
  if (auth.rfind("Bearer ", 0) == 0) {
    ctx.session_token = trim(auth.substr(7));
    who = services_.identity.authenticate(ctx.session_token, "bearer", req.client, rid);
    if (!who && !route->is_public) return error_response(Error::unauthenticated("the bearer token is not valid"), rid);
  } else if (std::string cookie = req.cookie("nongsan_session"); !cookie.empty()) {
    ctx.session_token = cookie;
    who = services_.identity.authenticate(cookie, "cookie", req.client, rid);
  }
  if (who) {
    ctx.actor = who->actor;
    ctx.authenticated = true;
  } else {
    ctx.actor.name = "anonymous";
    ctx.actor.request_id = rid;
    ctx.actor.client = req.client;
  }
  if (!route->is_public) {
    if (!who) return error_response(Error::unauthenticated("log in first"), rid);
    if (who->via_cookie && unsafe(req.method)) {
      // Per-session token check: the token was given to the page at login, is kept
      // with the session on the server, and a page on another site cannot read it.
      std::string sent = req.header("x-csrf-token");
      if (sent.empty() || !identity::equal_secrets(sent, who->csrf_token))
        return error_response(Error::forbidden("missing or wrong X-CSRF-Token header"), rid);
    }
    if (who->must_change_password && route->path != "/api/v1/auth/me" && route->path != "/api/v1/auth/password" &&
        route->path != "/api/v1/auth/logout")
      return error_response(Error::forbidden("change your password first (POST /api/v1/auth/password)"), rid);
    if (route->permission)
      if (auto s = access::AccessPolicy::require(ctx.actor, *route->permission); !s)
        return error_response(s.error(), rid);
  }

  // Input checks: ids, query, body. Every problem is reported at once.
  std::vector<FieldError> errors;
  for (const auto& [name, value] : ctx.path_params)
    if (name == "id" || name.ends_with("_id"))
      if (auto n = parse_integer(value, NumberRange::id(), name); !n) add_problem(n.error(), errors);
  check_query(*route, req, errors);
  if (!errors.empty()) return error_response(Error::invalid("the request is not valid", std::move(errors)), rid);
  if (auto s = parse_body(*route, req, ctx.body); !s) return error_response(s.error(), rid);

  // The read cache: looked up only now, after the same checks as a computed answer.
  // On the I/O thread a miss goes to the pool; there, a request for a key another
  // request is computing waits for that answer instead of computing it again (single
  // flight, read_cache.hpp), and the lease of its own computation rides on the answer
  // until Api::finish has kept it.
  std::optional<storage::DataVersion> version;
  std::string key;
  std::shared_ptr<void> lease;
  if (may_hit) {
    version = storage::data_version(services_.db);  // before the answer is computed
    if (version) {
      key = cache_key(*route, ctx.actor, req);
      std::optional<Response> kept;
      if (inline_only) {
        kept = cache_.get(key, *version);
      } else {
        auto found = cache_.get_or_lead(key, *version);
        kept = std::move(found.response);
        lease = std::move(found.lease);
      }
      if (kept) {
        kept->from_cache = true;
        return std::move(*kept);
      }
    }
  }
  if (inline_only && !route->inline_ok) return std::nullopt;  // a miss: the pool computes it

  try {
    Response r = route->handler(ctx);
    if (version && r.status == 200 && !r.error && r.file.empty() && r.static_body.empty() &&
        !has_header(r, "Set-Cookie"))
      r.cache_ticket = Response::CacheTicket{std::move(key), version->local, version->external, std::move(lease)};
    return r;
  } catch (const storage::DbError& e) {
    return storage_error_response(e, route->method + " " + route->path, rid);
  } catch (const std::exception& e) {
    spdlog::error("request_id={} route={} {} internal error: {}", rid, route->method, route->path, e.what());
    return error_response(Error::internal("internal error; quote the request id to the administrator"), rid);
  }
}

}  // namespace nongsan::api
