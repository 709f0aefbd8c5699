// Units over time, the map layer, and roll-up through the reform.
#include "api/api_fixture.hpp"

#include <set>

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
std::set<std::string> names(const json& items) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(i["name"]);
  return out;
}
}  // namespace

TEST_P(ApiTest, UnitsDependOnTheDate) {
  auto before = call("GET", "/api/v1/units?as_of=2024-12-31&page_size=100", "n1o");
  EXPECT_EQ(names(before.body["items"]),
            (std::set<std::string>{"Tỉnh Thử Nghiệm", "Huyện Mường Một", "Huyện Hai", "Xã Một", "Xã Hai", "Xã Ba"}));
  auto after = call("GET", "/api/v1/units?as_of=2025-07-01&page_size=100", "n1o");
  EXPECT_EQ(names(after.body["items"]), (std::set<std::string>{"Tỉnh Thử Nghiệm", "Xã Mới Một", "Xã Mới Hai"}));
  auto search = call("GET", "/api/v1/units?as_of=2024-12-31&q=muong%20mot", "n1o");
  ASSERT_EQ(search.body["total"], 1);
  EXPECT_EQ(search.body["items"][0]["name"], "Huyện Mường Một");
  auto districts = call("GET", "/api/v1/units?as_of=2024-12-31&level=district&page=2&page_size=1", "n1o");
  EXPECT_EQ(districts.body["total"], 2);
  EXPECT_EQ(districts.body["items"].size(), 1u);
  EXPECT_EQ(districts.body["page"], 2);
}

TEST_P(ApiTest, UnitDetailShowsReformLinks) {
  auto n1 = call("GET", "/api/v1/units/" + s(id("N1")) + "?as_of=2025-08-01", "n1o");
  ASSERT_EQ(n1.status, 200);
  EXPECT_EQ(n1.body["parent"]["name"], "Tỉnh Thử Nghiệm");
  std::set<std::string> preds;
  for (const auto& p : n1.body["predecessors"]) preds.insert(p["unit"]["name"].get<std::string>() + ":" + p["basis"].get<std::string>());
  EXPECT_EQ(preds, (std::set<std::string>{"Xã Một:whole", "Xã Hai:whole", "Huyện Mường Một:area"}));
  auto c1 = call("GET", "/api/v1/units/" + s(id("C1")) + "?as_of=2023-06-01", "n1o");
  EXPECT_EQ(c1.body["parent"]["name"], "Huyện Mường Một");
  EXPECT_EQ(c1.body["successors"][0]["unit"]["name"], "Xã Mới Một");
  EXPECT_EQ(c1.body["successors"][0]["share"], 1.0);
  auto d1 = call("GET", "/api/v1/units/" + s(id("D1")) + "?as_of=2024-01-01", "n1o");
  EXPECT_EQ(d1.body["children"].size(), 2u);
}

TEST_P(ApiTest, MapLayerIsGeoJsonOfTheUnitsOnTheDate) {
  auto r = call("GET", "/api/v1/map/units?as_of=2025-07-01&level=commune", "n1o");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.raw.content_type, "application/geo+json; charset=utf-8");
  EXPECT_EQ(r.body["type"], "FeatureCollection");
  ASSERT_EQ(r.body["features"].size(), 2u);
  const auto& f = r.body["features"][0];
  EXPECT_EQ(f["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(f["properties"]["geom_source"], "illustrative");
  EXPECT_GT(f["properties"]["area_ha"].get<double>(), 10000.0);
}

TEST_P(ApiTest, FiguresRollUpToAnyUnitValidOnADate) {
  // The province in 2023, read on the hierarchy of 31/12/2023: districts, then communes.
  auto p = call("GET", "/api/v1/figures/rollup?series=households&unit_id=" + s(id("P")) + "&year=2023&as_of=2025-12-31", "prov");
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(p.body["value"], 157.0);
  EXPECT_EQ(p.body["method"], "children");
  // A commune created in 2025 gets the history of the communes merged into it.
  auto n1 = call("GET", "/api/v1/figures/rollup?series=households&unit_id=" + s(id("N1")) + "&year=2023&as_of=2025-12-31", "prov");
  EXPECT_EQ(n1.body["value"], 150.0);
  EXPECT_EQ(n1.body["method"], "predecessors");
  EXPECT_EQ(n1.body["contributions"].size(), 2u);
  // New data reported by the new communes rolls up to the province in 2025.
  call_json("POST", "/api/v1/figures", "n1o", {{"series", "households"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 160}});
  call_json("POST", "/api/v1/figures", "n2o", {{"series", "households"}, {"unit_id", id("N2")}, {"year", 2025}, {"value", 8}});
  auto p25 = call("GET", "/api/v1/figures/rollup?series=households&unit_id=" + s(id("P")) + "&year=2025&as_of=2025-12-31", "prov");
  EXPECT_EQ(p25.body["value"], 168.0);
  // No value anywhere below means no value.
  auto none = call("GET", "/api/v1/figures/rollup?series=households&unit_id=" + s(id("P")) + "&year=2022&as_of=2025-12-31", "prov");
  EXPECT_TRUE(none.body["value"].is_null());
}

}  // namespace nongsan::api
