// Logging in, sessions, CSRF, throttling, password changes.
#include "api/api_fixture.hpp"
#include "core/civil_date.hpp"

namespace nongsan::api {

namespace {
Request login_request(const std::string& user, const std::string& password, const std::string& client = "10.0.0.1") {
  Request r;
  r.method = "POST";
  r.target = "/api/v1/auth/login";
  r.headers["content-type"] = "application/json";
  r.body = json{{"username", user}, {"password", password}}.dump();
  r.client = client;
  return r;
}
std::string cookie_of(const Reply& rep) {
  std::string sc = rep.header("Set-Cookie");
  auto start = sc.find('=') + 1;
  return sc.substr(start, sc.find(';') - start);
}
}  // namespace

TEST_P(ApiTest, HealthAndOpenApiNeedNoLogin) {
  auto h = call("GET", "/api/health");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body["status"], "ok");
  auto doc = call("GET", "/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.0.3");
  ASSERT_TRUE(doc.body["paths"].contains("/api/v1/units/{id}"));
  EXPECT_EQ(doc.body["paths"]["/api/health"]["get"]["security"], json::array());
  EXPECT_FALSE(doc.body["paths"]["/api/v1/users"]["post"]["security"].empty());
  // Every route lies under /api/, but those at the paths a standard names: the EPCIS 2.0 REST
  // binding's, the GS1 Digital Link of a lot (/01/{gtin}/10/{lot}), and the public portal's
  // page (/cong-khai, a Vietnamese address a citizen can type).
  for (const auto& [path, ops] : doc.body["paths"].items())
    EXPECT_TRUE(path.rfind("/api/", 0) == 0 || path.rfind("/epcis/", 0) == 0 || path.rfind("/01/", 0) == 0 ||
                path == "/cong-khai")
        << path;
}

TEST_P(ApiTest, EveryDocumentedRouteExistsAndEveryRouteIsDocumented) {
  auto doc = call("GET", "/api/openapi.json").body;
  std::size_t documented = 0;
  for (const auto& [path, ops] : doc["paths"].items()) documented += ops.size();
  // Calling each documented operation anonymously must reach a route (never 404 "no such API route").
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string p = path;
      if (auto b = p.find("{id}"); b != std::string::npos) p.replace(b, 4, "1");
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      auto r = call(m, p);
      // A public page answers HTML, not JSON: it reached its route all the same.
      const std::string message = r.body.is_object() ? r.body.value("message", "") : std::string();
      EXPECT_NE(message.rfind("no such API route", 0), 0u) << m << " " << p;
      if (!op["security"].empty()) {
        EXPECT_EQ(r.status, 401) << m << " " << p;
      }
    }
  EXPECT_GT(documented, 20u);
}

TEST_P(ApiTest, WrongPasswordIsRefusedAndAudited) {
  auto r = raw(login_request("admin", "wrong-password-x"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body["code"], "unauthenticated");
  auto unknown = raw(login_request("nobody", "wrong-password-x"));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body["message"], r.body["message"]);  // no hint which usernames exist
  auto audit = call("GET", "/api/v1/audit?action=login_failed", "admin");
  EXPECT_EQ(audit.body["total"], 2);
}

TEST_P(ApiTest, RepeatedFailuresAreThrottledWithRetryAfter) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(raw(login_request("n1o", "wrong-password-x")).status, 401);
  auto blocked = raw(login_request("n1o", test_support::kTestPassword));
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.body["code"], "too_many_requests");
  EXPECT_GT(std::stoi(blocked.header("Retry-After")), 0);
  // Another user from another address is not affected.
  EXPECT_EQ(raw(login_request("n2o", test_support::kTestPassword, "10.0.0.2")).status, 200);
}

// docs/rules.md §9: failures from one client slow that client down and never refuse
// the owner logging in from another (they used to answer 429 to everyone).
TEST_P(ApiTest, ThrottlingSlowsTheAttackersClientNotTheOwner) {
  std::int64_t now = unix_now();
  app->identity().set_clock([&now] { return now; });
  const std::string attacker = "10.6.6.6", owner = "10.0.0.9";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(raw(login_request("prov", "wrong-password-x", attacker)).status, 401);
  auto held = raw(login_request("prov", test_support::kTestPassword, attacker));
  EXPECT_EQ(held.status, 429);
  EXPECT_EQ(held.header("Retry-After"), "30");
  // The owner, from their own client, logs in; so does another user from the attacker's address.
  EXPECT_EQ(raw(login_request("prov", test_support::kTestPassword, owner)).status, 200);
  EXPECT_EQ(raw(login_request("admin", test_support::kTestPassword, attacker)).status, 200);
  // The delay grows with each further failure from the attacker's client.
  now += 31;
  EXPECT_EQ(raw(login_request("prov", "wrong-password-y", attacker)).status, 401);
  EXPECT_EQ(raw(login_request("prov", "wrong-password-z", attacker)).header("Retry-After"), "60");
  now += 61;
  EXPECT_EQ(raw(login_request("prov", "wrong-password-y", attacker)).status, 401);
  EXPECT_EQ(raw(login_request("prov", "wrong-password-z", attacker)).header("Retry-After"), "120");
  // A throttled attempt checks no password and adds no failure: the owner still gets in
  // from their client, and only the failures were audited.
  EXPECT_EQ(raw(login_request("prov", test_support::kTestPassword, owner)).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/audit?action=login_failed", "admin").body["total"], 7);
}

TEST_P(ApiTest, CookieSessionNeedsCsrfTokenForWrites) {
  auto login = raw(login_request("prov", test_support::kTestPassword));
  ASSERT_EQ(login.status, 200);
  std::string set_cookie = login.header("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  std::string cookie = "nongsan_session=" + cookie_of(login);
  std::string csrf = login.body["csrf_token"];

  Request me;
  me.method = "GET";
  me.target = "/api/v1/auth/me";
  me.headers["cookie"] = cookie;
  auto who = raw(me);
  ASSERT_EQ(who.status, 200);
  EXPECT_EQ(who.body["user"]["username"], "prov");
  EXPECT_EQ(who.body["csrf_token"], csrf);

  Request post;
  post.method = "POST";
  post.target = "/api/v1/figures";
  post.headers["cookie"] = cookie;
  post.headers["content-type"] = "application/json";
  post.body = json{{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 160}}.dump();
  auto no_csrf = raw(post);
  EXPECT_EQ(no_csrf.status, 403);
  post.headers["x-csrf-token"] = "forged";
  EXPECT_EQ(raw(post).status, 403);
  EXPECT_EQ(count("unit_figure"), 3);
  post.headers["x-csrf-token"] = csrf;
  EXPECT_EQ(raw(post).status, 201);

  Request logout;
  logout.method = "POST";
  logout.target = "/api/v1/auth/logout";
  logout.headers["cookie"] = cookie;
  logout.headers["x-csrf-token"] = csrf;
  EXPECT_EQ(raw(logout).status, 204);
  EXPECT_EQ(raw(me).status, 401);
}

TEST_P(ApiTest, ResetPasswordForcesAChangeBeforeAnythingElse) {
  auto users = call("GET", "/api/v1/users?q=n2o", "admin");
  auto uid = users.body["items"][0]["id"].get<std::int64_t>();
  auto reset = call("POST", "/api/v1/users/" + std::to_string(uid) + "/reset-password", "admin", "{}");
  ASSERT_EQ(reset.status, 200);
  std::string temp = reset.body["temporary_password"];
  EXPECT_EQ(raw(login_request("n2o", test_support::kTestPassword)).status, 401);
  auto login = raw(login_request("n2o", temp));
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(login.body["user"]["must_change_password"].get<bool>());
  Request r;
  r.method = "GET";
  r.target = "/api/v1/units";
  r.headers["cookie"] = "nongsan_session=" + cookie_of(login);
  EXPECT_EQ(raw(r).status, 403);
  Request change;
  change.method = "POST";
  change.target = "/api/v1/auth/password";
  change.headers = r.headers;
  change.headers["content-type"] = "application/json";
  change.headers["x-csrf-token"] = login.body["csrf_token"];
  change.body = json{{"current_password", temp}, {"new_password", "short"}}.dump();
  auto weak = raw(change);
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.body["errors"][0]["field"], "new_password");
  change.body = json{{"current_password", temp}, {"new_password", "a-much-better-one-2025"}}.dump();
  EXPECT_EQ(raw(change).status, 204);
  EXPECT_EQ(raw(r).status, 200);
}

TEST_P(ApiTest, DisabledUserLosesAccess) {
  std::string t = token("insp");
  EXPECT_EQ(call("GET", "/api/v1/units", "insp").status, 200);
  auto users = call("GET", "/api/v1/users?q=insp", "admin");
  auto uid = users.body["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(call_json("PATCH", "/api/v1/users/" + std::to_string(uid), "admin", {{"active", false}}).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/units", "insp").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ApiTest, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ApiTest, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
