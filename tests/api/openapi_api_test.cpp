// The OpenAPI document: every route declares what it answers (a typed schema built
// with api/schema.hpp), every reference resolves, and the answers of the routes that
// declare one match it — so the document cannot drift from the code.
#include "api/api_fixture.hpp"
#include "api/openapi.hpp"

#include <functional>
#include <regex>

namespace nongsan::api {

namespace {

// Routes of other areas whose response schema is still to be written ("METHOD path");
// the lead hands them out. Remove an entry when its route declares `.response`.
const std::set<std::string> kPendingResponseSchemas = {
    // registry_handlers.cpp
    "GET /api/v1/producers",
    "POST /api/v1/producers",
    "GET /api/v1/producers/{id}",
    "PATCH /api/v1/producers/{id}",
    "POST /api/v1/producers/{id}/reveal",
    "GET /api/v1/parcels",
    "POST /api/v1/parcels",
    "POST /api/v1/parcels/merge",
    "GET /api/v1/parcels/{id}",
    "PATCH /api/v1/parcels/{id}",
    "POST /api/v1/parcels/{id}/split",
    "POST /api/v1/parcels/{id}/rights",
    "POST /api/v1/rights/{id}/end",
    "POST /api/v1/parcels/{id}/plantings",
    "POST /api/v1/plantings/{id}/end",
    "POST /api/v1/parcels/{id}/conversions",
    "GET /api/v1/conversions/summary",
    "GET /api/v1/zones",
    "POST /api/v1/zones",
    "GET /api/v1/zones/{id}",
    "PATCH /api/v1/zones/{id}",
    "GET /api/v1/zones/{id}/measures",
    "GET /api/v1/map/parcels",
    "GET /api/v1/map/zones",
    "GET /api/v1/topology/findings",
    "GET /api/v1/map/topology",
    // target_handlers.cpp
    "GET /api/v1/programmes",
    "POST /api/v1/programmes",
    "GET /api/v1/programmes/{code}",
    "PATCH /api/v1/programmes/{code}",
    "GET /api/v1/programmes/{code}/indicators",
    "POST /api/v1/programmes/{code}/indicators",
    "PATCH /api/v1/programmes/{code}/indicators/{indicator}",
    "GET /api/v1/programmes/{code}/indicators/{indicator}/records",
    "GET /api/v1/programmes/{code}/indicators/{indicator}/map",
    "GET /api/v1/programmes/{code}/indicators/{indicator}/trend",
    "GET /api/v1/programmes/{code}/targets",
    "POST /api/v1/programmes/{code}/targets",
    "GET /api/v1/programmes/{code}/observations/flags",
    "GET /api/v1/programmes/{code}/observations",
    "POST /api/v1/programmes/{code}/observations",
    "GET /api/v1/programmes/{code}/review",
    "GET /api/v1/programmes/{code}/review/document",
    "POST /api/v1/programmes/{code}/reports",
    "GET /api/v1/observations/{id}",
    "PATCH /api/v1/observations/{id}",
    "POST /api/v1/observations/{id}/submit",
    "POST /api/v1/observations/{id}/approve",
    "POST /api/v1/observations/{id}/return",
    "POST /api/v1/observations/{id}/unlock",
    "GET /api/v1/reports",
    "GET /api/v1/reports/{id}",
    "GET /api/v1/reports/{id}/verify",
    // suitability_handlers.cpp
    "GET /api/v1/suitability/profiles",
    "POST /api/v1/suitability/profiles",
    "POST /api/v1/suitability/profiles/import",
    "GET /api/v1/suitability/profiles/export",
    "GET /api/v1/suitability/profiles/{crop}",
    "PUT /api/v1/suitability/profiles/{crop}",
    "DELETE /api/v1/suitability/profiles/{crop}",
    "GET /api/v1/suitability/profiles/{crop}/history",
    "GET /api/v1/suitability/layers",
    "POST /api/v1/suitability/layers",
    "DELETE /api/v1/suitability/layers/{name}",
    "POST /api/v1/suitability/runs",
    "GET /api/v1/suitability/runs",
    "GET /api/v1/suitability/parcels",
    "GET /api/v1/suitability/zones",
    "GET /api/v1/suitability/units",
    "GET /api/v1/suitability/reports/zone-suitability",
    "GET /api/v1/suitability/reports/candidate-land",
    "POST /api/v1/suitability/evaluate-area",
    "GET /api/v1/suitability/{crop}/map",
    "GET /api/v1/suitability/{crop}/tiles/{z}/{x}/{y}",
    "GET /api/v1/suitability/{crop}/point",
};

std::string key(const Route& r) { return r.method + " " + r.path; }

// A small validator for the subset of JSON Schema that Schema builds.
void validate(const json& schema, const json& v, const json& components, const std::string& at,
              std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    std::string name = schema["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
    if (!components.contains(name)) {
      errors.push_back(at + ": no component " + name);
      return;
    }
    return validate(components[name], v, components, at, errors);
  }
  if (v.is_null()) {
    if (!schema.value("nullable", false) && (schema.contains("type") || schema.contains("allOf")))
      errors.push_back(at + ": null where the schema does not allow it");
    return;
  }
  if (schema.contains("allOf"))
    for (const auto& s : schema["allOf"]) validate(s, v, components, at, errors);
  if (!schema.contains("type")) return;
  const std::string type = schema["type"];
  bool ok = (type == "object" && v.is_object()) || (type == "array" && v.is_array()) ||
            (type == "string" && v.is_string()) || (type == "integer" && v.is_number_integer()) ||
            (type == "number" && v.is_number()) || (type == "boolean" && v.is_boolean());
  if (!ok) {
    errors.push_back(at + ": expected " + type + ", got " + v.dump().substr(0, 60));
    return;
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
    errors.push_back(at + ": " + v.dump() + " is not one of " + schema["enum"].dump());
  if (type == "string" && schema.value("format", "") == "date" &&
      !std::regex_match(v.get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{2})")))
    errors.push_back(at + ": not a date: " + v.dump());
  if (type == "array" && schema.contains("items"))
    for (std::size_t i = 0; i < v.size(); ++i) validate(schema["items"], v[i], components, at + "[" + std::to_string(i) + "]", errors);
  if (type == "object") {
    const json props = schema.value("properties", json::object());
    for (const auto& r : schema.value("required", json::array()))
      if (!v.contains(r.get<std::string>())) errors.push_back(at + ": missing " + r.get<std::string>());
    for (const auto& [k, x] : v.items()) {
      if (props.contains(k)) validate(props[k], x, components, at + "." + k, errors);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false)
        errors.push_back(at + ": unexpected property " + k);
    }
  }
}

bool matches(const std::string& pattern, const std::string& path) {
  std::regex re("^" + std::regex_replace(pattern, std::regex(R"(\{[^}]+\})"), "[^/]+") + "$");
  return std::regex_match(path, re);
}

}  // namespace

TEST(OpenApi, EveryRouteDeclaresAResponseSchema) {
  std::vector<std::string> undeclared, now_declared;
  for (const auto& r : all_routes()) {
    bool pending = kPendingResponseSchemas.count(key(r)) > 0;
    if (!r.response.declared() && !pending) undeclared.push_back(key(r));
    if (r.response.declared() && pending) now_declared.push_back(key(r));
    if (r.response.declared() && r.success_status == 204) {
      EXPECT_TRUE(r.response.is_none()) << key(r) << ": 204 has no body";
    }
  }
  std::string list;
  for (const auto& u : undeclared) list += "  " + u + "\n";
  EXPECT_TRUE(undeclared.empty()) << "routes without a response schema (give the Route a .response):\n" << list;
  for (const auto& k : now_declared) std::cout << "note: " << k << " declares its response: remove it from kPendingResponseSchemas\n";
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
    std::vector<std::string> errors;
    validate(route->response.document(), rep.body, components, "answer", errors);
    std::string list;
    for (const auto& e : errors) list += "  " + e + "\n";
    EXPECT_TRUE(errors.empty()) << key(*route) << " does not match its schema:\n" << list;
  }
  // Every route of these areas that declares a schema was called.
  for (const auto& r : routes)
    if (r.response.declared() && !kPendingResponseSchemas.count(key(r)) && r.path != "/api/v1/auth/password") {
      EXPECT_TRUE(covered.count(key(r))) << key(r) << " declares a response but the test does not call it";
    }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, OpenApiAnswers, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, OpenApiAnswers, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
