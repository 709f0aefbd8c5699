// The validator of tests/api/schema_validator.hpp, on its own: it must find a wrong
// schema, and name where. Each case pairs a real answer with a deliberately broken
// schema (a missing property, a wrong type, a value outside the enum, null where null
// is not allowed, an undeclared property, a bad date) and checks the JSON path of the
// problem; and a schema built with api::Schema against an answer that matches it.
#include <gtest/gtest.h>

#include "api/openapi.hpp"
#include "api/schema.hpp"
#include "api/schema_validator.hpp"

namespace nongsan::api {

namespace {
using nlohmann::json;
using testing_schema::validate;
using S = Schema;

const json kParcel = json::parse(R"({
  "id": 7, "external_id": "T-1", "commune": {"id": 3, "code": "N1", "name": "Xã N1", "level": "commune"},
  "state": "in_use", "area_ha": 0.42, "valid_from": "2020-01-01", "valid_to": null,
  "crops": ["tea", "maize"], "checked_at": "2026-12-06T05:00:00Z"})");

json components() { return openapi_document(all_routes())["components"]["schemas"]; }

S parcel_schema() {
  return S::object({{"id", S::integer()},
                    {"external_id", S::string()},
                    {"commune", S::ref("UnitRef").nullable()},
                    {"state", S::string().enumerate({"in_use", "idle", "inefficient_rice"})},
                    {"area_ha", S::number().nullable()},
                    {"valid_from", S::date()},
                    {"valid_to", S::date().nullable()},
                    {"crops", S::array(S::string())},
                    {"checked_at", S::date_time()}});
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}
}  // namespace

TEST(OpenApiSchemaValidator, AMatchingAnswerPasses) {
  EXPECT_TRUE(validate(parcel_schema().document(), kParcel, components()).empty())
      << joined(validate(parcel_schema().document(), kParcel, components()));
}

TEST(OpenApiSchemaValidator, EachBrokenSchemaIsFoundWithItsPath) {
  const json c = components();
  struct Case {
    const char* what;
    S schema;
    std::string expected;  // the start of the problem
  };
  const std::vector<Case> cases = {
      {"a property the answer lacks",
       S::object({{"id", S::integer()}, {"name", S::string()}}), "answer: missing name"},
      {"a property the schema does not list",
       S::object({{"id", S::integer()}, {"external_id", S::string()}, {"commune", S::any()}, {"state", S::string()},
                  {"area_ha", S::number()}, {"valid_from", S::date()}, {"valid_to", S::any()}, {"crops", S::any()}}),
       "answer: unexpected property checked_at"},
      {"a wrong type", S::open_object({{"id", S::string()}}), "answer.id: expected string, got 7"},
      {"an integer declared where a number with decimals comes", S::open_object({{"area_ha", S::integer()}}),
       "answer.area_ha: expected integer"},
      {"a value outside the enum", S::open_object({{"state", S::string().enumerate({"idle"})}}),
       "answer.state: \"in_use\" is not one of"},
      {"null that is not declared nullable", S::open_object({{"valid_to", S::date()}}),
       "answer.valid_to: null where the schema does not allow it"},
      {"items of the wrong type", S::open_object({{"crops", S::array(S::integer())}}),
       "answer.crops[0]: expected integer"},
      {"a reference to a component of another shape", S::open_object({{"commune", S::ref("Job")}}),
       "answer.commune: missing"},
      {"a reference to no component", S::open_object({{"commune", S::ref("NoSuchThing")}}),
       "answer.commune: no component NoSuchThing"},
      {"a date that is a date-time", S::open_object({{"checked_at", S::date()}}), "answer.checked_at: not a date"},
      {"a date-time that is a date", S::open_object({{"valid_from", S::date_time()}}),
       "answer.valid_from: not a date-time"},
      {"a map of the wrong values", S::open_object({{"commune", S::map(S::string())}}), "answer.commune.id: expected string"},
  };
  for (const auto& k : cases) {
    auto problems = validate(k.schema.document(), kParcel, c);
    ASSERT_FALSE(problems.empty()) << k.what << ": the validator found nothing";
    bool named = false;
    for (const auto& p : problems) named |= p.rfind(k.expected, 0) == 0;
    EXPECT_TRUE(named) << k.what << ": expected a problem starting \"" << k.expected << "\", got:\n" << joined(problems);
  }
}

TEST(OpenApiSchemaValidator, ADeclaredRouteSchemaThatIsWrongFails) {
  // The declared schema of a real route, broken on purpose: GET /api/v1/producers/{id}
  // says ProducerDetail; an answer missing its rights and with a number for its name
  // does not match, and the path says where.
  const json c = components();
  const Route* route = nullptr;
  auto routes = all_routes();
  for (const auto& r : routes)
    if (r.method == "GET" && r.path == "/api/v1/producers/{id}") route = &r;
  ASSERT_NE(route, nullptr);
  json answer = json::parse(R"({"id": 1, "external_id": "", "kind": "household", "name": 12, "unit": null,
    "members_count": null, "ethnicity": "", "citizen_id": "", "tax_code": "", "phone": "", "address": "",
    "illustrative": false, "created_at": "2026-12-06T05:00:00Z", "updated_at": "2026-12-06T05:00:00Z", "members": [], "organisations": [],
    "possible_duplicates": [], "possible_duplicates_elsewhere": 0})");
  auto problems = validate(route->response.document(), answer, c);
  std::string all = joined(problems);
  EXPECT_NE(all.find("answer: missing rights"), std::string::npos) << all;
  EXPECT_NE(all.find("answer.name: expected string"), std::string::npos) << all;
  answer["name"] = "Lò Văn Thử";
  answer["rights"] = json::array();
  EXPECT_TRUE(validate(route->response.document(), answer, c).empty()) << joined(validate(route->response.document(), answer, c));
}

}  // namespace nongsan::api

namespace nongsan::api {

// OpenAPI 3.0 ignores the siblings of $ref: a described or nullable reference is
// wrapped in allOf, and the validator follows it.
TEST(OpenApiSchemaValidator, ADescribedReferenceKeepsItsDescription) {
  const json described = Schema::ref("UnitRef").describe("the commune").document();
  EXPECT_FALSE(described.contains("$ref")) << described.dump();
  EXPECT_EQ(described["description"], "the commune");
  EXPECT_EQ(described["allOf"][0]["$ref"], "#/components/schemas/UnitRef");
  const json c = openapi_document(all_routes())["components"]["schemas"];
  EXPECT_TRUE(validate(described, kParcel["commune"], c).empty());
  EXPECT_FALSE(validate(described, nullptr, c).empty()) << "described, not nullable";
  EXPECT_TRUE(validate(Schema::ref("UnitRef").describe("x").nullable().document(), nullptr, c).empty());
}

}  // namespace nongsan::api
