// GS1 Digital Link resolution and labels through the API (docs/trace.md): the public page
// of /01/{gtin}/10/{lot} without login for a good lot, a held lot, an unknown lot and a
// bad GTIN; no personal data of a household on it; the linkset; the QR code of a lot in
// scope, refused for a held lot and outside scope.
#include "api/api_fixture.hpp"

#include "modules/diary/diary_service.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
diary::ImportTable table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  diary::ImportTable t;
  t.headers = headers;
  int line = 1;
  for (const auto& r : rows) {
    diary::ImportRow row;
    row.line = ++line;
    for (std::size_t i = 0; i < headers.size(); ++i) row.cells[headers[i]] = i < r.size() ? r[i] : "";
    t.rows.push_back(row);
  }
  return t;
}
const std::string kGtin = "8930000000019";  // illustrative (GS1 prefix 893, assigned to no one)
}  // namespace

class TraceApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    auto cli = identity::Actor::cli("test");
    auto& d = app->diary();
    ASSERT_TRUE(d.import_products(cli,
                                  table({"product", "name", "active_ingredients", "registered_from", "registered_to"},
                                        {{"ABA", "Abamectin", "abamectin", "2020-01-01", ""}}),
                                  "test"));
    ASSERT_TRUE(d.import_labels(cli, table({"product", "crop", "max_dose_per_ha", "phi_days"}, {{"ABA", "tea", "0.3", "7"}}),
                                "test"));
    // A household of N1 holds P-N1; its name and phone must never reach the page.
    auto hh = call_json("POST", "/api/v1/producers", "prov",
                        {{"kind", "household"}, {"name", "Giàng Thị Riêng Tư"}, {"unit_id", id("N1")},
                         {"phone", "0987654321"}, {"citizen_id", "011223344999"}});
    ASSERT_EQ(hh.status, 201) << hh.body.dump();
    p1 = parcel("P-N1", "N1", 103.01);
    p2 = parcel("P-N2", "N2", 103.11);
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(p1) + "/rights", "prov",
                        {{"producer_id", hh.body["id"]}, {"kind", "owner"}, {"valid_from", "2020-01-01"}})
                  .status,
              201);
    for (auto p : {p1, p2})
      ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov",
                          {{"crop", "tea"}, {"start_date", "2020-01-01"}, {"planted_area_m2", 1000}})
                    .status,
                201);
    // A code the household holds over its parcel: the page names the code, not the holder.
    ASSERT_EQ(call_json("POST", "/api/v1/codes", "admin",
                        {{"kind", "area"}, {"holder", hh.body["id"]}, {"crop", "tea"}, {"standard", "VietGAP"},
                         {"parcels", {p1}}})
                  .status,
              201);
    for (const json& e : {json{{"parcel_id", p1}, {"date", "2025-04-05"}, {"kind", "spray"}, {"product", "ABA"},
                               {"dose_per_ha", 0.3}},
                          harvest(p1, "2025-04-08", "L-HELD"), harvest(p1, "2025-04-12", "L-OK"),
                          harvest(p2, "2025-04-12", "L-N2")}) {
      auto r = call_json("POST", "/api/v1/diary/entries", "prov", e);
      ASSERT_EQ(r.status, 201) << r.body.dump();
    }
    ASSERT_TRUE(app->trace().set_gtin(cli, kGtin, "tea", "Chè búp tươi", "Fresh tea shoots", true));
  }
  std::int64_t parcel(const std::string& ext, const char* unit, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"valid_from", "2020-01-01"},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  static json harvest(std::int64_t parcel_id, const char* date, const char* lot) {
    return {{"parcel_id", parcel_id}, {"date", date}, {"kind", "harvest"}, {"quantity_kg", 100}, {"lot", lot}};
  }
  Reply page(const std::string& target, const std::string& accept = "", const std::string& lang = "vi") {
    Request r;
    r.method = "GET";
    r.target = target;
    r.headers["accept-language"] = lang;
    if (!accept.empty()) r.headers["accept"] = accept;
    r.headers["host"] = "nongsan.test";
    return raw(r);
  }
  std::int64_t p1 = 0, p2 = 0;
};

TEST_P(TraceApi, TheGoodLotsPageNeedsNoLoginAndShowsTheLotButNoHousehold) {
  auto r = page("/01/0" + kGtin + "/10/L-OK");
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.raw.content_type, "text/html; charset=utf-8");
  const std::string& html = r.raw.body;
  for (const char* want : {"Chè búp tươi", "L-OK", "2025-04-12", "Đủ thời gian cách ly trước thu hoạch",
                           "Dữ liệu minh họa", "Hộ sản xuất"})
    EXPECT_NE(html.find(want), std::string::npos) << want << "\n" << html;
  for (const char* never : {"Giàng Thị Riêng Tư", "0987654321", "011223344999", "<script"})
    EXPECT_EQ(html.find(never), std::string::npos) << never;
  EXPECT_LT(html.size(), 8000u);
  auto en = page("/01/0" + kGtin + "/10/L-OK?lang=en");
  EXPECT_NE(en.raw.body.find("Pesticide checks passed"), std::string::npos);
}

TEST_P(TraceApi, AHeldLotSaysItIsUnderReviewAndNothingElse) {
  auto r = page("/01/0" + kGtin + "/10/L-HELD", "", "en");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.raw.body.find("under review"), std::string::npos) << r.raw.body;
  EXPECT_EQ(r.raw.body.find("2025-04-08"), std::string::npos);
  // No linkset either: the held lot has nothing to link to.
  EXPECT_EQ(page("/01/0" + kGtin + "/10/L-HELD", "application/linkset+json").raw.content_type,
            "text/html; charset=utf-8");
}

TEST_P(TraceApi, AnUnknownLotOrABadGtinIsA404Page) {
  auto unknown = page("/01/0" + kGtin + "/10/L-NOPE");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.raw.body.find("Không có lô hàng với mã này"), std::string::npos);
  auto bad = page("/01/8930000000018/10/L-OK", "", "en");
  EXPECT_EQ(bad.status, 404);
  EXPECT_NE(bad.raw.body.find("The GTIN is not valid"), std::string::npos);
  // Markup in the lot (percent-encoded, as a Digital Link carries it) comes back escaped.
  auto escaped = page("/01/0" + kGtin + "/10/%3Cb%3Ex%3Ci%3E");
  EXPECT_EQ(escaped.raw.status, 404);
  EXPECT_EQ(escaped.raw.body.find("<b>x<i>"), std::string::npos);
  EXPECT_NE(escaped.raw.body.find("&lt;b&gt;x&lt;i&gt;"), std::string::npos);
}

TEST_P(TraceApi, TheLinksetNamesThePageAndTheEvents) {
  auto r = page("/01/0" + kGtin + "/10/L-OK", "application/linkset+json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.raw.content_type, "application/linkset+json");
  const auto& link = r.body["linkset"][0];
  EXPECT_EQ(link["anchor"], "http://nongsan.test/01/0" + kGtin + "/10/L-OK");
  EXPECT_EQ(link["https://gs1.org/voc/pip"][0]["href"], link["anchor"]);
  EXPECT_TRUE(link.contains("https://gs1.org/voc/traceability"));
}

TEST_P(TraceApi, TheQrCodeIsRefusedForAHeldLotAndOutsideScope) {
  auto ok = call("GET", "/api/v1/trace/qr.svg?gtin=" + kGtin + "&lot=L-OK", "n1o");
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.raw.content_type, "image/svg+xml");
  EXPECT_EQ(ok.raw.body.rfind("<svg", 0), 0u);
  EXPECT_EQ(call("GET", "/api/v1/trace/qr.svg?gtin=" + kGtin + "&lot=L-HELD", "n1o").status, 409);
  // L-N2 lies in another commune: for n1o it does not exist.
  auto other = call("GET", "/api/v1/trace/qr.svg?gtin=" + kGtin + "&lot=L-N2", "n1o");
  auto none = call("GET", "/api/v1/trace/qr.svg?gtin=" + kGtin + "&lot=L-NONE", "n1o");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(none.status, 404);
  auto bad = call("GET", "/api/v1/trace/label?gtin=8930000000018&lot=L-OK", "n1o");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("gtin"));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, TraceApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, TraceApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
