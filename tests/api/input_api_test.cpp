// Bad input of every kind gets a 4xx naming the problem and changes nothing.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
bool names_field(const Reply& r, const std::string& field) {
  for (const auto& e : r.body["errors"])
    if (e["field"] == field) return true;
  return false;
}
}  // namespace

TEST_P(ApiTest, MalformedJsonIsRejected) {
  auto r = call("POST", "/api/v1/figures", "admin", "{\"series\": \"households\", ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "invalid_input");
  EXPECT_NE(r.body["message"].get<std::string>().find("malformed JSON"), std::string::npos);
  EXPECT_EQ(r.body["request_id"], "test");
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, WrongTypesUnknownAndMissingFieldsAreAllReported) {
  auto r = call_json("POST", "/api/v1/figures", "admin",
                     {{"series", 12}, {"unit_id", "N1"}, {"value", "many"}, {"colour", "red"}});
  ASSERT_EQ(r.status, 400);
  EXPECT_TRUE(names_field(r, "series"));
  EXPECT_TRUE(names_field(r, "unit_id"));
  EXPECT_TRUE(names_field(r, "value"));
  EXPECT_TRUE(names_field(r, "colour"));
  EXPECT_TRUE(names_field(r, "year"));  // missing
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, BodyMustBeAJsonObjectOfTheRightMediaType) {
  EXPECT_EQ(call("POST", "/api/v1/figures", "admin", "[1,2]").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/figures", "admin", "series=households", "application/x-www-form-urlencoded").status,
            415);
  EXPECT_EQ(call("POST", "/api/v1/auth/logout", "admin", "{\"x\":1}").status, 400);
}

TEST_P(ApiTest, InvalidIdsAndQueryParametersAreRejected) {
  for (const char* bad : {"/api/v1/units/abc", "/api/v1/units/0", "/api/v1/units/-3", "/api/v1/units/1.5",
                          "/api/v1/units/99999999999999999999"}) {
    auto r = call("GET", bad, "admin");
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(names_field(r, "id")) << bad;
  }
  EXPECT_EQ(call("GET", "/api/v1/units/424242", "admin").status, 404);
  EXPECT_TRUE(names_field(call("GET", "/api/v1/units?colour=red", "admin"), "colour"));
  EXPECT_TRUE(names_field(call("GET", "/api/v1/units?as_of=31-12-2024", "admin"), "as_of"));
  EXPECT_TRUE(names_field(call("GET", "/api/v1/units?level=hamlet", "admin"), "level"));
  EXPECT_TRUE(names_field(call("GET", "/api/v1/units?page_size=100000", "admin"), "page_size"));
  EXPECT_TRUE(names_field(call("GET", "/api/v1/units?page=0", "admin"), "page"));
  EXPECT_EQ(call("GET", "/api/v1/units?as_of=31/12/2024", "admin").status, 200);  // Vietnamese date form
}

TEST_P(ApiTest, ValidationRulesOfAFigure) {
  auto r = call_json("POST", "/api/v1/figures", "admin",
                     {{"series", "nope"}, {"unit_id", id("N1")}, {"year", 2021}, {"value", 1}});
  ASSERT_EQ(r.status, 400);
  EXPECT_TRUE(names_field(r, "series"));
  EXPECT_TRUE(names_field(r, "year"));  // N1 did not exist in 2021
  auto dup = call_json("POST", "/api/v1/figures", "admin",
                       {{"series", "households"}, {"unit_id", id("C1")}, {"year", 2023}, {"value", 1}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(call("GET", "/api/v1/nothing", "admin").status, 404);
  auto r = call("PUT", "/api/v1/units", "admin", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET");
}

TEST_P(ApiTest, UserCreationReportsEveryProblem) {
  auto r = call_json("POST", "/api/v1/users", "admin",
                     {{"username", "A B"}, {"display_name", ""}, {"role", "unit_officer"}, {"password", "short"},
                      {"citizen_id", "12"}, {"email", "nope"}});
  ASSERT_EQ(r.status, 400);
  for (const char* f : {"username", "display_name", "unit_id", "password", "citizen_id", "email"})
    EXPECT_TRUE(names_field(r, f)) << f << " " << r.body.dump();
  auto bad_role = call_json("POST", "/api/v1/users", "admin",
                            {{"username", "x1"}, {"display_name", "X"}, {"role", "king"}, {"password", "long-enough-pw"}});
  EXPECT_TRUE(names_field(bad_role, "role"));
  EXPECT_EQ(count("app_user"), 7);
}

}  // namespace nongsan::api
