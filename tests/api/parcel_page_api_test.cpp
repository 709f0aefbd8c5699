// The page of parcels gives each parcel its own holder and crops on the date asked:
// they are read for the whole page at once (three queries, not three per parcel), so
// this checks that nothing is mixed up between the parcels of a page.
#include "api/api_fixture.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
}  // namespace

class ParcelPageApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& ext, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id("N1")}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-01-01"}, {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t producer(const std::string& name) {
    auto r = call_json("POST", "/api/v1/producers", "prov",
                       {{"kind", "household"}, {"name", name}, {"unit_id", id("N1")}, {"citizen_id", "012345678999"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  void right(std::int64_t p, std::int64_t holder, const char* from, const char* to = nullptr) {
    json b = {{"producer_id", holder}, {"kind", "owner"}, {"valid_from", from}};
    if (to) b["valid_to"] = to;
    auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
  void planting(std::int64_t p, const char* crop, const char* from, const char* to = nullptr) {
    json b = {{"crop", crop}, {"start_date", from}, {"planted_area_m2", 100}};
    if (to) b["end_date"] = to;
    auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
};

TEST_P(ParcelPageApi, EachParcelOfAPageHasItsOwnHolderAndCropsOnTheDate) {
  auto a = parcel("A", 103.01), b = parcel("B", 103.02), c = parcel("C", 103.03);
  auto first = producer("Lò Văn A"), second = producer("Tao Thị B");
  right(a, first, "2025-01-01", "2025-12-31");
  right(a, second, "2026-01-01");
  right(b, second, "2025-01-01");
  planting(a, "tea", "2025-01-01");
  planting(b, "rice", "2025-01-01", "2025-06-30");
  planting(b, "maize", "2025-07-01");
  planting(c, "cardamom", "2025-01-01");
  auto page_on = [&](const std::string& date) {
    std::map<std::string, json> by_ext;
    auto r = call("GET", "/api/v1/parcels?page_size=50&as_of=" + date, "prov");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    for (const auto& p : r.body["items"]) by_ext[p["external_id"].get<std::string>()] = p;
    return by_ext;
  };
  auto in2025 = page_on("2025-03-01");
  ASSERT_EQ(in2025.size(), 3u);
  EXPECT_EQ(in2025["A"]["holder"]["producer_id"], first);
  EXPECT_EQ(in2025["B"]["holder"]["producer_id"], second);
  EXPECT_TRUE(in2025["C"]["holder"].is_null());
  EXPECT_EQ(in2025["A"]["crops"], json::array({"tea"}));
  EXPECT_EQ(in2025["B"]["crops"], json::array({"rice"}));
  EXPECT_EQ(in2025["C"]["crops"], json::array({"cardamom"}));
  auto in2026 = page_on("2026-03-01");
  EXPECT_EQ(in2026["A"]["holder"]["producer_id"], second);
  EXPECT_EQ(in2026["B"]["crops"], json::array({"maize"}));
  // Each parcel as the detail shows it, one by one: the same holder.
  auto holder_of = [](const json& j) {
    return j.contains("holder") && j["holder"].is_object() ? j["holder"].value("producer_id", std::int64_t{0})
                                                           : std::int64_t{0};
  };
  for (auto [ext, pid] : {std::pair{"A", a}, std::pair{"B", b}, std::pair{"C", c}}) {
    auto detail = call("GET", "/api/v1/parcels/" + s(pid) + "?as_of=2026-03-01", "prov");
    EXPECT_EQ(holder_of(detail.body), holder_of(in2026[ext])) << ext;
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ParcelPageApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ParcelPageApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("Postgres"); });

}  // namespace nongsan::api
