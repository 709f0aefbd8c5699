// Headers and strings at the API edge: the media type of a body, the
// Content-Security-Policy of every HTML answer, the Secure session cookie behind a
// trusted HTTPS proxy, NUL bytes, and "contains" searches that take % and _ literally.
#include "api/api_fixture.hpp"
#include "api/forwarded.hpp"

namespace nongsan::api {

namespace {
Request login_from(const std::string& peer) {
  Request r;
  r.method = "POST";
  set_request_target(r, "/api/v1/auth/login");
  r.request_id = "proxy";
  r.headers["content-type"] = "application/json";
  r.body = json{{"username", "prov"}, {"password", test_support::kTestPassword}}.dump();
  r.client = peer;
  return r;
}
}  // namespace

TEST_P(ApiTest, BodyMediaTypeIsMatchedExactly) {
  const std::string body =
      json{{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 1}}.dump();
  for (const char* ct : {"application/jsonp", "text/plain; x=application/json", "text/application/json",
                         "application/json-seq", "multipart/form-data; boundary=application/json"})
    EXPECT_EQ(call("POST", "/api/v1/figures", "admin", body, ct).status, 415) << ct;
  EXPECT_EQ(count("unit_figure"), 3);
  EXPECT_EQ(call("POST", "/api/v1/figures", "admin", body, "Application/JSON ; charset=utf-8").status, 201);
}

TEST_P(ApiTest, EveryHtmlAnswerCarriesAStrictContentSecurityPolicy) {
  ASSERT_EQ(call_json("POST", "/api/v1/programmes", "admin",
                      {{"code", "T"}, {"name_vi", "Chương trình thử"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                       {"baseline_year", 2020}, {"milestones", {2025}}})
                .status,
            201);
  auto doc = call("GET", "/api/v1/programmes/T/review/document?format=html&milestone=2025&as_of=2023-06-30", "admin");
  ASSERT_EQ(doc.status, 200);
  ASSERT_EQ(media_type_of(doc.raw.content_type), "text/html");
  std::string csp = doc.header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;  // no scripts, no fetches
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  // The web UI (embedded or from --web-root) has its own policy; JSON needs none.
  Request ui;
  ui.method = "GET";
  ui.target = "/";
  auto page = raw(ui);
  if (page.status == 200) {
    EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  }
  EXPECT_EQ(call("GET", "/api/health").header("Content-Security-Policy"), "");
}

TEST_P(ApiTest, SessionCookieIsSecureOverHttpsFromATrustedProxyOnly) {
  auto services = app->services();
  services.settings.trusted_proxies = {"10.9.0.0/16", "::1"};
  Api behind_proxy(services);
  auto login = [&](Request r) { return reply(behind_proxy.handle(r)); };

  Request plain = login_from("10.9.0.5");
  auto r1 = login(plain);
  ASSERT_EQ(r1.status, 200);
  EXPECT_EQ(r1.header("Set-Cookie").find("Secure"), std::string::npos);

  Request https = login_from("10.9.0.5");
  https.headers["x-forwarded-proto"] = "https";
  https.headers["x-forwarded-for"] = "203.0.113.7";
  auto r2 = login(https);
  ASSERT_EQ(r2.status, 200);
  EXPECT_NE(r2.header("Set-Cookie").find("; Secure"), std::string::npos) << r2.header("Set-Cookie");

  // The same headers from a peer that is not a trusted proxy are ignored.
  Request forged = login_from("198.51.100.9");
  forged.headers["x-forwarded-proto"] = "https";
  forged.headers["x-forwarded-for"] = "203.0.113.99";
  auto r3 = login(forged);
  ASSERT_EQ(r3.status, 200);
  EXPECT_EQ(r3.header("Set-Cookie").find("Secure"), std::string::npos);

  // The client address the audit trail (and the login throttle) sees.
  auto trail = call("GET", "/api/v1/audit?action=login&actor=user:prov", "admin");
  std::vector<std::string> clients;
  for (const auto& e : trail.body["items"]) clients.push_back(e["after"]["client"]);
  EXPECT_NE(std::find(clients.begin(), clients.end(), "203.0.113.7"), clients.end());
  EXPECT_NE(std::find(clients.begin(), clients.end(), "198.51.100.9"), clients.end());
  EXPECT_EQ(std::find(clients.begin(), clients.end(), "203.0.113.99"), clients.end());
}

TEST(TrustedProxies, AddressesBlocksAndTheForwardedChain) {
  auto p = TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8", "2001:db8::/32"});
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->contains("127.0.0.1"));
  EXPECT_TRUE(p->contains("10.200.3.4"));
  EXPECT_FALSE(p->contains("11.0.0.1"));
  EXPECT_TRUE(p->contains("2001:db8:1::5"));
  EXPECT_FALSE(p->contains("2001:db9::1"));
  EXPECT_FALSE(p->contains("not an address"));
  EXPECT_FALSE(TrustedProxies::parse({"10.0.0.0/33"}));
  EXPECT_FALSE(TrustedProxies::parse({"proxy.example"}));

  Request r;
  r.client = "10.0.0.2";
  r.headers["x-forwarded-for"] = "198.51.100.1, 203.0.113.5, 10.0.0.3";  // a client may forge the first entries
  r.headers["x-forwarded-proto"] = "http, https";
  apply_forwarded_headers(r, *p);
  EXPECT_EQ(r.client, "203.0.113.5");
  EXPECT_TRUE(r.https);
  Request direct;
  direct.client = "203.0.113.5";
  direct.headers["x-forwarded-for"] = "1.2.3.4";
  direct.headers["x-forwarded-proto"] = "https";
  apply_forwarded_headers(direct, *p);
  EXPECT_EQ(direct.client, "203.0.113.5");
  EXPECT_FALSE(direct.https);
}

TEST_P(ApiTest, NulBytesInQueryPathAndJsonStringsAreRefused) {
  auto q = call("GET", "/api/v1/users?q=ad%00min", "admin");
  EXPECT_EQ(q.status, 400);
  EXPECT_TRUE(q.names_field("q"));
  auto body = call("PATCH", "/api/v1/figures/1", "admin", R"({"note": "a\u0000b"})");
  EXPECT_EQ(body.status, 400);
  EXPECT_TRUE(body.names_field("note")) << body.body.dump();
  auto nested = call_json("POST", "/api/v1/suitability/evaluate-area", "admin",
                          {{"profile", {{"crop", std::string("te\0a", 4)}}}});
  EXPECT_EQ(nested.status, 400);
  EXPECT_TRUE(nested.names_field("profile.crop")) << nested.body.dump();
  Request path;
  path.method = "GET";
  path.headers["authorization"] = "Bearer " + token("admin");
  set_request_target(path, "/api/v1/programmes/NQ%0005");
  auto p = reply(api->handle(path));
  EXPECT_EQ(p.status, 400);
  EXPECT_EQ(call("GET", "/api/v1/figures/1", "admin").body["note"], "");
}

TEST_P(ApiTest, ContainsSearchTakesPercentAndUnderscoreLiterally) {
  EXPECT_EQ(call("GET", "/api/v1/users?q=%25", "admin").body["total"], 0);   // "%": was every user
  EXPECT_EQ(call("GET", "/api/v1/users?q=_", "admin").body["total"], 0);
  EXPECT_EQ(call("GET", "/api/v1/users?q=n_o", "admin").body["total"], 0);  // not n1o, n2o
  EXPECT_EQ(call("GET", "/api/v1/users?q=n1", "admin").body["total"], 1);
  ASSERT_EQ(call_json("POST", "/api/v1/producers", "admin",
                      {{"kind", "household"}, {"name", "Hộ Lò Văn A"}, {"unit_id", id("N1")}})
                .status,
            201);
  EXPECT_EQ(call("GET", "/api/v1/producers?q=%25", "admin").body["total"], 0);
  EXPECT_EQ(call("GET", "/api/v1/producers?q=lo%20van", "admin").body["total"], 1);
}

}  // namespace nongsan::api
