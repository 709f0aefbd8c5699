// The OpenAPI document: every route declares what it answers (a typed schema built
// with api/schema.hpp), every reference resolves, and the answers of the routes that
// declare one match it — so the document cannot drift from the code.
#include "api/api_fixture.hpp"
#include "api/openapi.hpp"
#include "api/schema_validator.hpp"

#include <functional>
#include <regex>

namespace nongsan::api {

namespace {

std::string key(const Route& r) { return r.method + " " + r.path; }

bool matches(const std::string& pattern, const std::string& path) {
  std::regex re("^" + std::regex_replace(pattern, std::regex(R"(\{[^}]+\})"), "[^/]+") + "$");
  return std::regex_match(path, re);
}

}  // namespace

TEST(OpenApi, EveryRouteDeclaresAResponseSchema) {
  std::vector<std::string> undeclared;
  for (const auto& r : all_routes()) {
    if (!r.response.declared()) undeclared.push_back(key(r));
    if (r.response.declared() && r.success_status == 204) {
      EXPECT_TRUE(r.response.is_none()) << key(r) << ": 204 has no body";
    }
  }
  std::string list;
  for (const auto& u : undeclared) list += "  " + u + "\n";
  EXPECT_TRUE(undeclared.empty()) << "routes without a response schema (give the Route a .response):\n" << list;
}

TEST(OpenApi, TheDocumentCarriesTheSchemasAndEveryReferenceResolves) {
  json doc = openapi_document(all_routes());
  const json& components = doc["components"]["schemas"];
  for (const char* name : {"Error", "User", "UserDetail", "Unit", "UnitRef", "UnitDetail", "Figure", "AuditEntry", "Series"})
    EXPECT_TRUE(components.contains(name)) << name;
  EXPECT_EQ(doc["paths"]["/api/v1/users/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/UserDetail");
  EXPECT_EQ(doc["paths"]["/api/v1/users"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
               ["properties"]["items"]["items"]["$ref"],
            "#/components/schemas/User");
  EXPECT_TRUE(doc["paths"]["/api/v1/map/units"]["get"]["responses"]["200"]["content"].contains("application/geo+json"));
  EXPECT_FALSE(doc["paths"]["/api/v1/auth/logout"]["post"]["responses"]["204"].contains("content"));
  std::vector<std::string> dangling;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref") && j["$ref"].is_string()) {
        std::string r = j["$ref"];
        if (!components.contains(r.substr(r.rfind('/') + 1))) dangling.push_back(r);
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc);
  EXPECT_TRUE(dangling.empty()) << dangling.front();
}

class OpenApiAnswers : public ApiTest {};

// The routes of the auth, users, units, figures, audit and system areas, called with
// real data: each answer has the route's success status and matches its schema.
TEST_P(OpenApiAnswers, AnswersMatchTheirDeclaredSchemas) {
  const std::vector<Route> routes = all_routes();
  json doc = openapi_document(routes);
  const json components = doc["components"]["schemas"];
  const std::string n1 = std::to_string(id("N1"));
  auto users = call("GET", "/api/v1/users?q=n1o", "admin");
  const std::string uid = std::to_string(users.body["items"][0]["id"].get<std::int64_t>());
  struct Ask {
    std::string method, target, body;
  };
  const std::vector<Ask> asks = {
      {"GET", "/api/health", ""},
      {"GET", "/api/openapi.json", ""},
      {"POST", "/api/v1/auth/tokens", json{{"username", "prov"}, {"password", test_support::kTestPassword}}.dump()},
      {"POST", "/api/v1/auth/login", json{{"username", "prov"}, {"password", test_support::kTestPassword}}.dump()},
      {"GET", "/api/v1/auth/me", ""},
      {"GET", "/api/v1/users", ""},
      {"GET", "/api/v1/users/" + uid, ""},
      {"PATCH", "/api/v1/users/" + uid, json{{"email", "n1o@example.vn"}}.dump()},
      {"POST", "/api/v1/users",
       json{{"username", "new.officer"}, {"display_name", "Cán bộ mới"}, {"role", "unit_officer"}, {"unit_id", id("N1")},
            {"password", "a-long-password-2026"}}
           .dump()},
      {"POST", "/api/v1/users/" + uid + "/reveal", json{{"field", "phone"}}.dump()},
      {"GET", "/api/v1/units?as_of=2024-12-31", ""},
      {"GET", "/api/v1/units/" + n1 + "?as_of=2025-12-31", ""},
      {"GET", "/api/v1/map/units?as_of=2025-12-31", ""},
      {"GET", "/api/v1/figures/series", ""},
      {"GET", "/api/v1/figures", ""},
      {"POST", "/api/v1/figures", json{{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 160}}.dump()},
      {"GET", "/api/v1/figures/1", ""},
      {"PATCH", "/api/v1/figures/1", json{{"note", "sửa"}}.dump()},
      {"GET", "/api/v1/figures/rollup?series=households&unit_id=" + n1 + "&year=2023&as_of=2025-12-31", ""},
      {"GET", "/api/v1/map/figures?series=households&year=2023&as_of=2025-12-31", ""},
      {"GET", "/api/v1/audit", ""},
      {"POST", "/api/v1/users/" + uid + "/reset-password", "{}"},
      {"DELETE", "/api/v1/figures/1", ""},
      {"POST", "/api/v1/auth/logout", ""},
  };
  std::set<std::string> covered;
  for (const auto& a : asks) {
    const Route* route = nullptr;
    std::string path = a.target.substr(0, a.target.find('?'));
    for (const auto& r : routes)  // the first route that matches, as the router takes it
      if (!route && r.method == a.method && matches(r.path, path)) route = &r;
    ASSERT_NE(route, nullptr) << a.method << " " << a.target;
    covered.insert(key(*route));
    Reply rep = call(a.method, a.target, "admin", a.body);
    ASSERT_EQ(rep.status, route->success_status) << a.method << " " << a.target << ": " << rep.body.dump().substr(0, 300);
    ASSERT_TRUE(route->response.declared()) << key(*route);
    if (route->response.is_none()) {
      EXPECT_TRUE(rep.raw.body.empty()) << key(*route);
      continue;
    }
    EXPECT_EQ(media_type_of(rep.raw.content_type), route->response.content_type()) << key(*route);
    std::vector<std::string> errors = testing_schema::validate(route->response.document(), rep.body, components);
    std::string list;
    for (const auto& e : errors) list += "  " + e + "\n";
    EXPECT_TRUE(errors.empty()) << key(*route) << " does not match its schema:\n" << list;
  }
  // Every route of these areas was called (the other areas: openapi_conformance_test.cpp).
  static const std::regex these_areas("^/api/(health|openapi\\.json|v1/(map/)?(units|figures|users|audit|auth)(/|$))");
  for (const auto& r : routes)
    if (std::regex_search(r.path, these_areas) && r.path != "/api/v1/auth/password") {
      EXPECT_TRUE(covered.count(key(r))) << key(r) << " declares a response but the test does not call it";
    }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, OpenApiAnswers, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, OpenApiAnswers, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
