// HTTP request and response as plain values, so that routes and handlers do not
// include Boost.Beast (which stays in http_server.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace nongsan::api {

struct Request {
  std::string method;  // upper case
  std::string target;  // as received, with the query string
  std::string path;    // decoded path without the query
  // The path as received (not decoded): routes match it segment by segment, each segment
  // decoded on its own, so that %2F inside a segment (a lot code with a slash) stays in it
  // (RFC 3986 §2.4). Empty when a request is made in code: `path` is matched then.
  std::string raw_path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // lower-case names
  std::string body;
  std::string client;  // the client's address (the peer's, or the one a trusted proxy forwarded)
  std::string request_id;
  bool https = false;  // reached over HTTPS (a trusted proxy said so)
  std::string language = "vi";   // of messages: "vi" (default) or "en", from Accept-Language

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Instead of `body`, for the web UI's files, so that the server writes them without
  // copying them per request: `static_body`, bytes that outlive every response (the
  // copy embedded in the binary), written from where they lie; or `file`, a file the
  // server sends with sendfile (its size is the Content-Length). At most one of
  // `body`, `static_body` and `file` is set.
  std::string_view static_body;
  std::string file;
  // Set by error_response: the error the body was written from, so that the edge
  // (Api::handle) can write it again in the request's language.
  std::optional<Error> error;
  // The read cache (read_cache.hpp). `cache_ticket`: set by the router on the 200 of a
  // cacheable GET, the key and the data version (DataVersion's `local`, `external`)
  // the answer was computed at, so that Api::handle keeps the answer as it is sent.
  // `from_cache`: this answer was kept; it is sent as it is. `lease`: the read cache's
  // lease of this key's one computation (ReadCache::get_or_lead), let go with the
  // ticket once the answer is kept, so that the requests waiting for it find it.
  struct CacheTicket {
    std::string key;
    std::uint64_t local = 0, external = 0;
    std::shared_ptr<void> lease;
  };
  std::optional<CacheTicket> cache_ticket;
  bool from_cache = false;
};

// The bytes `response` sends: its body or static_body (a `file` is read from disk; for
// tests and tools, never on the server's path).
std::string body_of(const Response& response);

// The one shape of an error body: {"code", "message", "errors": [{"field",
// "message"}], "request_id"}.
std::string error_body(const Error& error, const std::string& request_id);

// Splits "a=1&b=x%20y" into decoded pairs; '+' is a space.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
// "Application/JSON; charset=utf-8" -> "application/json": the media type without
// parameters, lower case, trimmed.
std::string media_type_of(std::string_view content_type);

// True when `response` carries a header of that name (compared without regard to case).
bool has_header(const Response& response, std::string_view name);
// Percent-decodes a query component ('+' is a space).
std::string url_decode(std::string_view s);
// Percent-decodes a path ('+' stays a '+'). The result may hold '/', "..", or NUL from
// %2f, %2e%2e or %00: whoever maps it to files must check every segment.
std::string url_decode_path(std::string_view s);
// Sets target, the decoded path and the query of `r` from a request target as
// received ("/api/v1/units?q=x"); the server and the tests build requests with it.
void set_request_target(Request& r, std::string target);

}  // namespace nongsan::api
