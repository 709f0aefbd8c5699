// Permissions: every route checks role and scope; an officer of one commune can
// neither read nor change another commune's records, by any route.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
}  // namespace

TEST_P(ApiTest, AnonymousGetsNothingButPublicRoutes) {
  EXPECT_EQ(call("GET", "/api/v1/units").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/map/units").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/audit").status, 401);
  auto forged = Request{};
  forged.method = "GET";
  forged.target = "/api/v1/units";
  forged.headers["authorization"] = "Bearer not-a-token";
  EXPECT_EQ(raw(forged).status, 401);
}

TEST_P(ApiTest, CommuneOfficerCannotReadOrChangeAnotherCommune) {
  // n2 may not store, read, change or delete records of N1 (nor of C1, merged into N1).
  auto create = call_json("POST", "/api/v1/figures", "n2o",
                          {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 5}});
  EXPECT_EQ(create.status, 403);
  auto mine = call_json("POST", "/api/v1/figures", "n1o",
                        {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 160}});
  ASSERT_EQ(mine.status, 201);
  std::string fid = s(mine.body["id"].get<std::int64_t>());
  // Another commune's figure answers as one that does not exist (no oracle).
  EXPECT_EQ(call("GET", "/api/v1/figures/" + fid, "n2o").status, 404);
  EXPECT_EQ(call_json("PATCH", "/api/v1/figures/" + fid, "n2o", {{"value", 1}}).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/figures/" + fid, "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/figures/rollup?series=households&unit_id=" + s(id("N1")) + "&year=2023", "n2o").status,
            403);
  // Lists only show the officer's own scope.
  auto list = call("GET", "/api/v1/figures?page_size=100", "n2o");
  ASSERT_EQ(list.status, 200);
  for (const auto& f : list.body["items"]) EXPECT_EQ(f["unit"]["code"], "09003");
  auto filtered = call("GET", "/api/v1/figures?unit_id=" + s(id("C1")), "n2o");
  EXPECT_EQ(filtered.body["total"], 0);
  auto map = call("GET", "/api/v1/map/figures?series=households&year=2023&as_of=2025-12-31", "n2o");
  for (const auto& item : map.body["items"]) EXPECT_NE(item["unit_id"], id("N1"));
  // Nothing changed.
  auto still = call("GET", "/api/v1/figures/" + fid, "n1o");
  EXPECT_EQ(still.body["value"], 160.0);
}

TEST_P(ApiTest, NewCommuneOfficerReachesTheHistoryOfItsOldCommunes) {
  auto r = call("GET", "/api/v1/figures?unit_id=" + s(id("C1")), "n1o");
  EXPECT_EQ(r.body["total"], 1);
  EXPECT_EQ(call_json("PATCH", "/api/v1/figures/1", "n1o", {{"value", 101}}).status, 200);
  // The officer of the abolished district reaches the new commune its communes went
  // to (docs/rules.md §2), but not the other new commune.
  EXPECT_EQ(call_json("POST", "/api/v1/figures", "d1o",
                      {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 5}})
                .status,
            201);
  EXPECT_EQ(call_json("POST", "/api/v1/figures", "d1o",
                      {{"series", "households"}, {"unit_id", id("N2")}, {"year", 2025}, {"value", 5}})
                .status,
            403);
  EXPECT_EQ(call_json("POST", "/api/v1/figures", "d1o",
                      {{"series", "households"}, {"unit_id", id("C2")}, {"year", 2024}, {"value", 51}})
                .status,
            201);
}

TEST_P(ApiTest, RolesWithoutPermissionAreDenied) {
  for (const char* user : {"prov", "n1o", "insp", "coop"}) {
    EXPECT_EQ(call("GET", "/api/v1/users", user).status, 403) << user;
    EXPECT_EQ(call("GET", "/api/v1/audit", user).status, 403) << user;
    EXPECT_EQ(call_json("POST", "/api/v1/users/1/reveal", user, {{"field", "phone"}}).status, 403) << user;
  }
  EXPECT_EQ(call_json("POST", "/api/v1/figures", "insp",
                      {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 5}})
                .status,
            403);
  EXPECT_EQ(call("GET", "/api/v1/figures", "coop").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/units", "coop").status, 200);
  EXPECT_EQ(count("unit_figure"), 3);
}

TEST_P(ApiTest, PersonalDataIsMaskedAndEachRevealIsAudited) {
  auto users = call("GET", "/api/v1/users?q=n1o", "admin");
  ASSERT_EQ(users.status, 200);
  const auto& u = users.body["items"][0];
  EXPECT_EQ(u["phone"], "*******678");
  EXPECT_EQ(u["citizen_id"], "*********890");
  std::string uid = s(u["id"].get<std::int64_t>());
  auto me = call("GET", "/api/v1/auth/me", "n1o");
  EXPECT_EQ(me.body["user"]["phone"], "*******678");
  auto shown = call_json("POST", "/api/v1/users/" + uid + "/reveal", "admin", {{"field", "citizen_id"}});
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body["value"], "001234567890");
  auto trail = call("GET", "/api/v1/audit?action=reveal&entity_id=" + uid, "admin");
  ASSERT_EQ(trail.body["total"], 1);
  EXPECT_EQ(trail.body["items"][0]["actor"], "user:admin");
  EXPECT_EQ(trail.body["items"][0]["after"]["field"], "citizen_id");
  // The audit trail itself holds no unmasked copy.
  auto creation = call("GET", "/api/v1/audit?entity=app_user&action=create&entity_id=" + uid, "admin");
  EXPECT_EQ(creation.body["items"][0]["after"]["citizen_id"], "*********890");
}

TEST_P(ApiTest, EveryWriteIsAuditedWithBeforeAndAfter) {
  auto created = call_json("POST", "/api/v1/figures", "n1o",
                           {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 160}});
  std::string fid = s(created.body["id"].get<std::int64_t>());
  call_json("PATCH", "/api/v1/figures/" + fid, "n1o", {{"value", 170}, {"note", "sửa theo báo cáo"}});
  call("DELETE", "/api/v1/figures/" + fid, "n1o");
  auto trail = call("GET", "/api/v1/audit?entity=unit_figure&entity_id=" + fid, "admin");
  ASSERT_EQ(trail.body["total"], 3);
  const auto& items = trail.body["items"];  // newest first
  EXPECT_EQ(items[0]["action"], "delete");
  EXPECT_EQ(items[1]["action"], "update");
  EXPECT_EQ(items[1]["before"]["value"], 160.0);
  EXPECT_EQ(items[1]["after"]["value"], 170.0);
  EXPECT_EQ(items[1]["after"]["note"], "sửa theo báo cáo");
  EXPECT_EQ(items[2]["action"], "create");
  EXPECT_EQ(items[2]["actor"], "user:n1o");
  EXPECT_EQ(items[2]["unit_id"], id("N1"));
}

}  // namespace nongsan::api
