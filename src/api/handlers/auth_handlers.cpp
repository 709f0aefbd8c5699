#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
std::string session_cookie(const std::string& token, int max_age, bool secure) {
  return "nongsan_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

// Secure when the server is set up behind HTTPS, or when a trusted proxy says this
// request came over HTTPS (api/forwarded.hpp).
bool secure_cookie(const RequestContext& ctx) { return ctx.services.settings.secure_cookies || ctx.request.https; }

Response login(RequestContext& ctx) {
  identity::Throttled throttled;
  auto r = ctx.services.identity.login(ctx.body["username"].get<std::string>(), ctx.body["password"].get<std::string>(),
                                       ctx.request.client, "cookie", "", ctx.request.request_id, &throttled);
  if (!r) {
    Response resp = error_response(r.error(), ctx.request.request_id);
    if (r.error().code == ErrorCode::too_many_requests)
      resp.headers.emplace_back("Retry-After", std::to_string(throttled.retry_after_s));
    return resp;
  }
  Response resp = json_response(200, {{"user", r->user}, {"csrf_token", r->csrf_token}, {"expires_at", r->expires_at}});
  auto expires = parse_utc_seconds(r->expires_at).value_or(unix_now());
  resp.headers.emplace_back("Set-Cookie", session_cookie(r->token, static_cast<int>(expires - unix_now()),
                                                         secure_cookie(ctx)));
  return resp;
}

Response issue_token(RequestContext& ctx) {
  identity::Throttled throttled;
  auto r = ctx.services.identity.login(ctx.body["username"].get<std::string>(), ctx.body["password"].get<std::string>(),
                                       ctx.request.client, "bearer", ctx.body.value("label", ""),
                                       ctx.request.request_id, &throttled);
  if (!r) {
    Response resp = error_response(r.error(), ctx.request.request_id);
    if (r.error().code == ErrorCode::too_many_requests)
      resp.headers.emplace_back("Retry-After", std::to_string(throttled.retry_after_s));
    return resp;
  }
  return json_response(201, {{"access_token", r->token}, {"token_type", "Bearer"}, {"expires_at", r->expires_at}});
}

Response logout(RequestContext& ctx) {
  auto s = ctx.services.identity.logout(ctx.actor, ctx.session_token);
  if (!s) return error_response(s.error(), ctx.request.request_id);
  Response resp = no_content();
  resp.headers.emplace_back("Set-Cookie", session_cookie("", 0, secure_cookie(ctx)));
  return resp;
}

Response me(RequestContext& ctx) {
  auto r = ctx.services.identity.me(ctx.actor);
  if (!r) return error_response(r.error(), ctx.request.request_id);
  json body = *r;
  auto who = ctx.services.identity.authenticate(ctx.session_token, ctx.request.header("authorization").empty() ? "cookie" : "bearer",
                                                ctx.request.client, ctx.request.request_id);
  body["csrf_token"] = who ? who->csrf_token : "";
  return json_response(200, body);
}

Response change_password(RequestContext& ctx) {
  auto s = ctx.services.identity.change_password(ctx.actor, ctx.body["current_password"].get<std::string>(),
                                                 ctx.body["new_password"].get<std::string>(), ctx.session_token);
  if (!s) return error_response(s.error(), ctx.request.request_id);
  return no_content();
}
}  // namespace

std::vector<Route> auth_routes() {
  using F = FieldType;
  return {
      {.method = "POST", .path = "/api/v1/auth/login", .is_public = true, .tag = "auth",
       .summary = "Log in with a username and password; sets the session cookie and returns the CSRF token",
       .body = {{"username", F::string, true, "", false, {}}, {"password", F::string, true, "", false, {}}},
       .handler = login,
       .response = Schema::object(
           {{"user", Schema::ref("User")}, {"csrf_token", Schema::string()}, {"expires_at", Schema::string()}})},
      {.method = "POST", .path = "/api/v1/auth/tokens", .is_public = true, .tag = "auth",
       .summary = "Issue a bearer token for an API client",
       .body = {{"username", F::string, true, "", false, {}},
                {"password", F::string, true, "", false, {}},
                {"label", F::string, false, "what the token is for", false, {}}},
       .success_status = 201, .handler = issue_token,
       .response = Schema::object({{"access_token", Schema::string()},
                                   {"token_type", Schema::string().enumerate({"Bearer"})},
                                   {"expires_at", Schema::string()}})},
      {.method = "POST", .path = "/api/v1/auth/logout", .tag = "auth", .summary = "End the current session",
       .success_status = 204, .handler = logout, .response = Schema::none()},
      {.method = "GET", .path = "/api/v1/auth/me", .tag = "auth",
       .summary = "The logged-in user, their permissions and the CSRF token", .handler = me,
       .response = Schema::object({{"user", Schema::ref("User")},
                                   {"permissions", Schema::array(Schema::string())},
                                   {"csrf_token", Schema::string().describe("empty for bearer tokens")}})},
      {.method = "POST", .path = "/api/v1/auth/password", .tag = "auth", .summary = "Change one's own password",
       .body = {{"current_password", F::string, true, "", false, {}}, {"new_password", F::string, true, "", false, {}}},
       .success_status = 204, .handler = change_password, .response = Schema::none()},
  };
}

}  // namespace nongsan::api
