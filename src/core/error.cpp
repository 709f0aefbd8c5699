#include "core/error.hpp"

namespace nongsan {

Error Error::invalid(std::string message, std::vector<FieldError> fields) {
  return Error{ErrorCode::invalid_input, std::move(message), std::move(fields)};
}
Error Error::not_found(std::string message) { return Error{ErrorCode::not_found, std::move(message), {}}; }
Error Error::forbidden(std::string message) { return Error{ErrorCode::forbidden, std::move(message), {}}; }
Error Error::unauthenticated(std::string message) {
  return Error{ErrorCode::unauthenticated, std::move(message), {}};
}
Error Error::conflict(std::string message) { return Error{ErrorCode::conflict, std::move(message), {}}; }
Error Error::internal(std::string message) { return Error{ErrorCode::internal, std::move(message), {}}; }

namespace {
struct Mapping {
  ErrorCode code;
  std::string_view name;
  int http;
  int exit;
};
// The one table: code, wire name, HTTP status, CLI exit code.
constexpr Mapping kMappings[] = {
    {ErrorCode::invalid_input, "invalid_input", 400, 65},
    {ErrorCode::not_found, "not_found", 404, 66},
    {ErrorCode::unauthenticated, "unauthenticated", 401, 77},
    {ErrorCode::forbidden, "forbidden", 403, 77},
    {ErrorCode::conflict, "conflict", 409, 75},
    {ErrorCode::payload_too_large, "payload_too_large", 413, 65},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415, 65},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405, 64},
    {ErrorCode::too_many_requests, "too_many_requests", 429, 75},
    {ErrorCode::storage, "storage_error", 503, 74},
    {ErrorCode::storage_full, "storage_full", 507, 74},
    {ErrorCode::internal, "internal_error", 500, 70},
};
const Mapping& find(ErrorCode code) {
  for (const auto& m : kMappings)
    if (m.code == code) return m;
  return kMappings[std::size(kMappings) - 1];
}
}  // namespace

std::string_view to_string(ErrorCode code) { return find(code).name; }
int http_status(ErrorCode code) { return find(code).http; }
int exit_code(ErrorCode code) { return find(code).exit; }

}  // namespace nongsan
