// The committee's conclusions and the public portal through the API: a draft written from
// the data with every paragraph referenced, edited (references kept, stale versions
// refused), rendered and registered in the register of issued reports; province only.
// The portal and its open data without login, cacheable, and without personal data.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
}  // namespace

class ConclusionsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    ASSERT_EQ(call_json("POST", "/api/v1/programmes", "admin",
                        {{"code", "T"}, {"name_vi", "Chương trình thử"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
                         {"baseline_year", 2020}, {"milestones", {2025}}})
                  .status,
              201);
    for (const char* code : {"HIGH", "LOW"})
      ASSERT_EQ(call_json("POST", "/api/v1/programmes/T/indicators", "admin",
                          {{"code", code}, {"name_vi", std::string("Chỉ tiêu ") + code}, {"measure_unit", "ha"},
                           {"kind", "stock"}, {"direction", "up"}})
                    .status,
                201);
    for (auto [code, value] : {std::pair{"HIGH", 120.0}, std::pair{"LOW", 10.0}}) {
      ASSERT_EQ(call_json("POST", "/api/v1/programmes/T/targets", "admin",
                          {{"indicator", code}, {"unit_id", id("P")}, {"year", 2025}, {"value", 100}})
                    .status,
                201);
      auto r = call_json("POST", "/api/v1/programmes/T/observations", "admin",
                         {{"indicator", code}, {"unit_id", id("P")}, {"year", 2023}, {"value", value}});
      ASSERT_EQ(r.status, 201) << r.body.dump();
      const auto oid = r.body["id"].get<std::int64_t>();
      ASSERT_EQ(call("POST", "/api/v1/observations/" + s(oid) + "/submit", "admin").status, 200);
      ASSERT_EQ(call("POST", "/api/v1/observations/" + s(oid) + "/approve", "prov").status, 200);
    }
    // A household with a name, a phone and a citizen id that must never reach the portal.
    ASSERT_EQ(call_json("POST", "/api/v1/producers", "prov",
                        {{"kind", "household"}, {"name", "Giàng Thị Riêng Tư"}, {"unit_id", id("N1")},
                         {"phone", "0987654321"}, {"citizen_id", "011223344999"}})
                  .status,
              201);
  }
  static std::vector<json> paragraphs(const json& d) {
    std::vector<json> out;
    for (const auto& sec : d["draft"]["sections"])
      for (const auto& p : sec["paragraphs"]) out.push_back(p);
    return out;
  }
};

TEST_P(ConclusionsApi, DraftIsWrittenFromTheDataWithEveryParagraphReferenced) {
  auto r = call_json("POST", "/api/v1/conclusions", "prov", {{"programme", "T"}, {"as_of", "2023-06-30"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["status"], "draft");
  const std::string all = r.body["draft"].dump();
  EXPECT_NE(all.find("có 1/2 chỉ tiêu"), std::string::npos) << all;
  EXPECT_NE(all.find("Chỉ tiêu LOW (10,0 %)"), std::string::npos);
  // Modules without data say so.
  EXPECT_NE(all.find("Chưa có sản phẩm OCOP"), std::string::npos);
  const auto sources = r.body["draft"]["sources"].size();
  for (const auto& p : paragraphs(r.body)) {
    ASSERT_FALSE(p["refs"].empty()) << p.dump();
    for (const auto& n : p["refs"]) EXPECT_LE(n.get<std::size_t>(), sources);
  }
}

TEST_P(ConclusionsApi, EditKeepsReferencesRefusesStaleVersionsAndRegistering) {
  auto d = call_json("POST", "/api/v1/conclusions", "prov", {{"programme", "T"}, {"as_of", "2023-06-30"}});
  ASSERT_EQ(d.status, 201);
  const std::string id = s(d.body["id"].get<std::int64_t>());
  const json first = paragraphs(d.body).at(1);
  auto e = call_json("PATCH", "/api/v1/conclusions/" + id, "prov",
                     {{"paragraph", first["id"]}, {"text", "Đoạn văn do cán bộ sửa."}, {"base_version", 1}});
  ASSERT_EQ(e.status, 200) << e.body.dump();
  EXPECT_EQ(e.body["version"], 2);
  EXPECT_EQ(paragraphs(e.body).at(1)["text"], "Đoạn văn do cán bộ sửa.");
  EXPECT_EQ(paragraphs(e.body).at(1)["refs"], first["refs"]);
  auto stale = call_json("PATCH", "/api/v1/conclusions/" + id, "prov",
                         {{"paragraph", first["id"]}, {"text", "Khác."}, {"base_version", 1}});
  EXPECT_EQ(stale.status, 409);
  auto bad = call_json("PATCH", "/api/v1/conclusions/" + id, "prov", {{"paragraph", "nope.1"}, {"text", "x"}, {"base_version", 2}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("paragraph"));

  auto html = call("GET", "/api/v1/conclusions/" + id + "/document?format=html", "prov");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.raw.body.find("DỰ THẢO"), std::string::npos);
  EXPECT_NE(html.raw.body.find("Đoạn văn do cán bộ sửa."), std::string::npos);
  EXPECT_NE(html.raw.body.find("href=\"#nguon-1\""), std::string::npos);
  EXPECT_NE(html.raw.body.find("id=\"nguon-1\""), std::string::npos);

  auto reg = call_json("POST", "/api/v1/conclusions/" + id + "/register", "prov", {{"format", "html"}});
  ASSERT_EQ(reg.status, 201) << reg.body.dump();
  EXPECT_EQ(reg.body["status"], "registered");
  auto issues = call("GET", "/api/v1/reports?programme=T", "prov");
  ASSERT_EQ(issues.status, 200);
  bool found = false;
  for (const auto& i : issues.body.is_array() ? issues.body : issues.body.value("items", json::array()))
    if (i["kind"] == "conclusions" && i["id"] == reg.body["issue_id"]) found = true;
  EXPECT_TRUE(found) << issues.body.dump();
  EXPECT_EQ(call_json("PATCH", "/api/v1/conclusions/" + id, "prov",
                      {{"paragraph", first["id"]}, {"text", "Sau đăng ký."}, {"base_version", 3}})
                .status,
            409);
  EXPECT_EQ(call_json("POST", "/api/v1/conclusions/" + id + "/register", "prov", json::object()).status, 409);
}

TEST_P(ConclusionsApi, ConclusionsAreTheProvincesOnly) {
  EXPECT_EQ(call_json("POST", "/api/v1/conclusions", "", {{"programme", "T"}}).status, 401);
  for (const char* user : {"n1o", "insp", "coop"})
    EXPECT_EQ(call_json("POST", "/api/v1/conclusions", user, {{"programme", "T"}}).status, 403) << user;
  EXPECT_EQ(call("GET", "/api/v1/conclusions/999999", "prov").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/conclusions/1", "n1o").status, 403);
}

TEST_P(ConclusionsApi, PortalWorksWithoutLoginIsCacheableAndHoldsNoPersonalData) {
  auto page = call("GET", "/cong-khai?programme=T&as_of=2023-06-30");
  ASSERT_EQ(page.status, 200) << page.raw.body;
  EXPECT_NE(page.raw.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(page.raw.body.find("Chỉ tiêu HIGH"), std::string::npos);
  EXPECT_NE(page.raw.body.find("CC BY 4.0"), std::string::npos);
  EXPECT_EQ(page.raw.body.find("<script"), std::string::npos);
  EXPECT_EQ(page.header("Cache-Control"), "public, max-age=300");
  std::string everything = page.raw.body;
  for (const char* path : {"/api/v1/public/progress?programme=T&as_of=2023-06-30", "/api/v1/public/progress.csv?programme=T",
                           "/api/v1/public/zones.geojson", "/api/v1/public/growing-areas.geojson", "/api/v1/public/ocop",
                           "/api/v1/public/ocop.csv"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 200) << path << " " << r.raw.body;
    everything += r.raw.body;
  }
  for (const char* secret : {"Giàng Thị Riêng Tư", "0987654321", "011223344999"})
    EXPECT_EQ(everything.find(secret), std::string::npos) << secret;
  EXPECT_EQ(call("GET", "/cong-khai?programme=NOPE").status, 404);
  EXPECT_EQ(call("GET", "/cong-khai?as_of=30-06").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ConclusionsApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ConclusionsApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
