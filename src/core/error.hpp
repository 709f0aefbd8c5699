// Error values shared by every layer. A module returns Error for expected
// failures (bad input, missing record, permission); exceptions are reserved for
// library edges and broken invariants. One table (error.cpp) maps each code to an
// HTTP status and a CLI exit code, so the two front ends never disagree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nongsan {

enum class ErrorCode {
  invalid_input,      // a field or a file line is wrong; see FieldError
  not_found,          // the record does not exist (or is outside the caller's scope)
  unauthenticated,    // no valid session or token
  forbidden,          // authenticated but the role or scope does not allow it
  conflict,           // unique key taken, stale state, already locked
  payload_too_large,  // request body over the limit
  unsupported_media_type,
  method_not_allowed,
  too_many_requests,  // login throttling
  storage,            // the database refused or failed (or cannot be reached)
  storage_full,       // the database's disk is full: nothing was written
  internal,           // a bug: an invariant broke
};

// A problem with one input field (API) or one line/column of a file (import).
struct FieldError {
  std::string field;    // JSON pointer-ish path ("password", "units[3].code") or "line 12, column code"
  std::string message;  // human-readable, English; the UI translates by code where it can
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;

  static Error invalid(std::string message, std::vector<FieldError> fields = {});
  static Error not_found(std::string message);
  static Error forbidden(std::string message);
  static Error unauthenticated(std::string message);
  static Error conflict(std::string message);
  static Error internal(std::string message);
};

std::string_view to_string(ErrorCode code);
int http_status(ErrorCode code);
// Exit codes follow sysexits.h where one fits (65 data error, 77 no permission...).
int exit_code(ErrorCode code);

}  // namespace nongsan
