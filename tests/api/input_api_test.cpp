// Bad input of every kind gets a 4xx naming the problem and changes nothing.
#include "api/api_fixture.hpp"
#include "api/openapi.hpp"

namespace nongsan::api {

TEST_P(ApiTest, MalformedJsonIsRejected) {
  auto r = call("POST", "/api/v1/figures", "admin", "{\"series\": \"households\", ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "invalid_input");
  EXPECT_EQ(r.body["message"], "the request body is not valid JSON at line 1, column 26");
  EXPECT_EQ(r.body["errors"][0]["field"], "body");
  EXPECT_EQ(r.body["request_id"], "test");
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, WrongTypesUnknownAndMissingFieldsAreAllReported) {
  auto r = call_json("POST", "/api/v1/figures", "admin",
                     {{"series", 12}, {"unit_id", "N1"}, {"value", "many"}, {"colour", "red"}});
  ASSERT_EQ(r.status, 400);
  EXPECT_TRUE(r.names_field("series"));
  EXPECT_TRUE(r.names_field("unit_id"));
  EXPECT_TRUE(r.names_field("value"));
  EXPECT_TRUE(r.names_field("colour"));
  EXPECT_TRUE(r.names_field("year"));  // missing
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
    EXPECT_TRUE(r.names_field("id")) << bad;
  }
  EXPECT_EQ(call("GET", "/api/v1/units/424242", "admin").status, 404);
  EXPECT_TRUE(call("GET", "/api/v1/units?colour=red", "admin").names_field("colour"));
  EXPECT_TRUE(call("GET", "/api/v1/units?as_of=31-12-2024", "admin").names_field("as_of"));
  EXPECT_TRUE(call("GET", "/api/v1/units?level=hamlet", "admin").names_field("level"));
  EXPECT_TRUE(call("GET", "/api/v1/units?page_size=100000", "admin").names_field("page_size"));
  EXPECT_TRUE(call("GET", "/api/v1/units?page=0", "admin").names_field("page"));
  EXPECT_EQ(call("GET", "/api/v1/units?as_of=31/12/2024", "admin").status, 200);  // Vietnamese date form
}

// Numbers from JSON bodies, query parameters and paths go through one parser with
// ranges: never a 500, never a wrapped value, always the field named.
TEST_P(ApiTest, NumbersAreCheckedAgainstTheirRangeWithTheFieldNamed) {
  auto figure = [&](const std::string& value_json) {
    return call("POST", "/api/v1/figures", "admin",
                R"({"series":"households","unit_id":)" + std::to_string(id("N1")) + R"(,"year":2025,"value":)" +
                    value_json + "}");
  };
  for (const char* v : {"1e400", "-1e999"}) {
    auto r = figure(v);
    EXPECT_EQ(r.status, 400) << v;  // was 500
    EXPECT_TRUE(r.names_field("body")) << v << r.body.dump();
  }
  EXPECT_EQ(figure("abc").status, 400);
  // Query parameters declared as numbers (they went to std::stod: 500).
  for (const char* q : {"min_share=abc", "min_share=1e999", "min_share=1.5", "min_share=nan"}) {
    auto r = call("GET", std::string("/api/v1/suitability/reports/zone-suitability?") + q, "admin");
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_TRUE(r.names_field("min_share")) << q << r.body.dump();
  }
  for (const auto& [q, field] : std::vector<std::pair<std::string, std::string>>{
           {"lon=abc&lat=22", "lon"}, {"lon=103&lat=1e400", "lat"}, {"lon=inf&lat=22", "lon"}, {"lon=181&lat=22", "lon"}}) {
    auto r = call("GET", "/api/v1/suitability/tea/point?" + q, "admin");
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_TRUE(r.names_field(field)) << q << r.body.dump();
  }
  EXPECT_TRUE(call("GET", "/api/v1/figures?year=1e400", "admin").names_field("year"));
  EXPECT_TRUE(call("GET", "/api/v1/figures?unit_id=9007199254740993", "admin").names_field("unit_id"));
  EXPECT_TRUE(call("GET", "/api/v1/units?page_size=1e2", "admin").names_field("page_size"));
  EXPECT_TRUE(call("GET", "/api/v1/figures/9223372036854775808", "admin").names_field("id"));
  EXPECT_TRUE(call("GET", "/api/v1/map/parcels?limit=20001", "admin").names_field("limit"));
  // Numbers inside text parameters and paths go through the same reader.
  for (const char* bbox : {"inf,0,1,1", "103,22,1e400,23", "103,22,181,23", "0x1,0,1,1"})
    EXPECT_TRUE(call("GET", std::string("/api/v1/parcels?bbox=") + bbox, "admin").names_field("bbox")) << bbox;
  for (const char* tile : {"1e1/0/0.png", "3/-1/0.png", "3/0/5abc.png"})
    EXPECT_EQ(call("GET", std::string("/api/v1/suitability/tea/tiles/") + tile, "admin").status, 400) << tile;

  // Integers are bounded by the type they are stored in: 2147483648 no longer wraps to
  // −2147483648, and PATCH refuses what create refuses.
  auto created = call_json("POST", "/api/v1/producers", "admin",
                           {{"kind", "household"}, {"name", "Hộ Lò Văn A"}, {"unit_id", id("N1")}, {"members_count", 4}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string producer = "/api/v1/producers/" + std::to_string(created.body["id"].get<std::int64_t>());
  for (const json& bad : {json(2147483648LL), json(-1), json(-2147483649LL), json(1.5), json(18446744073709551615ULL)}) {
    auto r = call_json("PATCH", producer, "admin", {{"members_count", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(r.names_field("members_count")) << bad << r.body.dump();
    auto c = call_json("POST", "/api/v1/producers", "admin",
                       {{"kind", "household"}, {"name", "Hộ B"}, {"unit_id", id("N1")}, {"members_count", bad}});
    EXPECT_EQ(c.status, 400) << bad;
  }
  EXPECT_EQ(call("GET", producer, "admin").body["members_count"], 4);
  // A whole number written as a real is the integer.
  auto whole = call_json("PATCH", producer, "admin", {{"members_count", 5.0}});
  EXPECT_EQ(whole.status, 200) << whole.body.dump();
  EXPECT_EQ(whole.body["members_count"], 5);
  auto year = call_json("POST", "/api/v1/figures", "admin",
                        {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2147483648LL}, {"value", 1}});
  EXPECT_TRUE(year.names_field("year"));
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, BodiesAreReadWithTheLimitsOfOutsideJson) {
  // A key given twice, nesting deeper than 64: refused with the place named.
  auto dup = call("PATCH", "/api/v1/figures/1", "admin", R"({"value": 1, "value": 2})");
  EXPECT_EQ(dup.status, 400);
  EXPECT_TRUE(dup.names_field("value")) << dup.body.dump();
  std::string deep = R"({"note": )" + std::string(100, '[') + std::string(100, ']') + "}";
  auto nested = call("PATCH", "/api/v1/figures/1", "admin", deep);
  EXPECT_EQ(nested.status, 400);
  EXPECT_NE(nested.body["message"].get<std::string>().find("line 1, column"), std::string::npos) << nested.body.dump();
  EXPECT_EQ(call("GET", "/api/v1/figures/1", "admin").body["value"], 100.0);
}

TEST(RouteTable, EveryNumericFieldAndParameterDeclaresItsRange) {
  for (const auto& r : all_routes()) {
    for (const auto& f : r.body) {
      bool numeric = f.type == FieldType::integer || f.type == FieldType::number ||
                     (f.items && (*f.items == FieldType::integer || *f.items == FieldType::number));
      if (numeric) {
        EXPECT_TRUE(f.range.has_value()) << r.method << " " << r.path << " body field " << f.name;
      }
    }
    for (const auto& q : r.query) {
      if (q.type == FieldType::integer || q.type == FieldType::number) {
        EXPECT_TRUE(q.range.has_value()) << r.method << " " << r.path << " query parameter " << q.name;
      }
    }
  }
}

TEST_P(ApiTest, ValidationRulesOfAFigure) {
  auto r = call_json("POST", "/api/v1/figures", "admin",
                     {{"series", "nope"}, {"unit_id", id("N1")}, {"year", 2021}, {"value", 1}});
  ASSERT_EQ(r.status, 400);
  EXPECT_TRUE(r.names_field("series"));
  EXPECT_TRUE(r.names_field("year"));  // N1 did not exist in 2021
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
    EXPECT_TRUE(r.names_field(f)) << f << " " << r.body.dump();
  auto bad_role = call_json("POST", "/api/v1/users", "admin",
                            {{"username", "x1"}, {"display_name", "X"}, {"role", "king"}, {"password", "long-enough-pw"}});
  EXPECT_TRUE(bad_role.names_field("role"));
  EXPECT_EQ(count("app_user"), 7);
}

// An account's producer is checked by the identity service: on PostgreSQL no foreign key
// guards app_user.producer_id since migration 0029 (docs/adr/0018-citus-ready-schema.md).
TEST_P(ApiTest, AnAccountNamesOnlyAnExistingProducer) {
  auto& identity = app->services().identity;
  auto admin = identity::Actor::cli("test");
  identity::NewUser u;
  u.username = "coop9";
  u.display_name = "HTX 9";
  u.role = identity::Role::producer;
  u.organisation = "HTX 9";
  u.password = "long-enough-password";
  u.producer = ProducerId(987654);
  auto created = identity.create_user(admin, u);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().fields.size(), 0u);
  EXPECT_EQ(created.error().fields.at(0).field, "producer_id");
  EXPECT_EQ(count("app_user"), 7);

  u.producer.reset();
  auto made = identity.create_user(admin, u);
  ASSERT_TRUE(made.ok());
  identity::UserPatch p;
  p.producer = std::optional<ProducerId>(ProducerId(987654));
  auto patched = identity.update_user(admin, UserId((*made)["id"].get<std::int64_t>()), p);
  ASSERT_FALSE(patched.ok());
  EXPECT_EQ(patched.error().fields.at(0).field, "producer_id");
}

}  // namespace nongsan::api
