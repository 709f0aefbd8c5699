// Number ranges of the registry and targets routes that lacked them: an id filter of 0
// or below is refused with its field named (it was read as "no such record" and
// answered an empty list), and the ranges are published in the OpenAPI document.
#include "api/api_fixture.hpp"
#include "api/openapi.hpp"

namespace nongsan::api {

class RouteRanges : public ApiTest {};

TEST_P(RouteRanges, IdFiltersAndTheOverlapThresholdAreCheckedAndPublished) {
  for (const std::string target : {"/api/v1/conversions?commune_id=0", "/api/v1/conversions?unit_id=-3"}) {
    auto r = call("GET", target, "admin");
    EXPECT_EQ(r.status, 400) << target << ": " << r.body.dump();
    EXPECT_TRUE(r.names_field(target.find("commune_id") != std::string::npos ? "commune_id" : "unit_id")) << r.body.dump();
  }
  ASSERT_EQ(call_json("POST", "/api/v1/programmes", "admin",
                      {{"code", "T"}, {"name_vi", "Thử"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                       {"baseline_year", 2020}, {"milestones", {2025}}})
                .status,
            201);
  auto approvals = call("GET", "/api/v1/programmes/T/approvals?unit_id=0", "admin");
  EXPECT_EQ(approvals.status, 400) << approvals.body.dump();
  EXPECT_TRUE(approvals.names_field("unit_id")) << approvals.body.dump();
  auto topology = call_json("POST", "/api/v1/topology/checks", "admin", {{"min_overlap_m2", -1}});
  EXPECT_EQ(topology.status, 400) << topology.body.dump();
  EXPECT_TRUE(topology.names_field("min_overlap_m2")) << topology.body.dump();

  json doc = openapi_document(all_routes());
  EXPECT_EQ(doc["paths"]["/api/v1/topology/checks"]["post"]["requestBody"]["content"]["application/json"]["schema"]
               ["properties"]["min_overlap_m2"]["minimum"],
            0);
  for (const auto& p : doc["paths"]["/api/v1/conversions"]["get"]["parameters"])
    if (p["name"] == "commune_id" || p["name"] == "unit_id") {
      EXPECT_EQ(p["schema"]["minimum"], 1) << p.dump();
    }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RouteRanges, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, RouteRanges, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
