// Issuing a review document: one use case (TargetsService::issue_review) behind
// `nongsan report review`, POST /programmes/{code}/reports and GET
// /programmes/{code}/review/document — the review built, rendered by the renderer the
// composition root gives, delivered, then kept in the register with its data hash.
#include <gtest/gtest.h>

#include "app/app.hpp"
#include "modules/targets/review.hpp"
#include "modules/targets/targets_service.hpp"
#include "test_support/small_province.hpp"

namespace nongsan::targets {

using nlohmann::json;

class TargetsIssue : public ::testing::Test {
 protected:
  void SetUp() override {
    world = test_support::open_small_province_app();
    app = world.app.get();
    auto admin = identity::Actor::cli("test");
    ASSERT_TRUE(app->targets().create_programme(admin, {{"code", "T"}, {"name_vi", "Chương trình thử"},
                                                        {"start", "2021-01-01"}, {"end", "2025-12-31"},
                                                        {"baseline_year", 2020}}));
    ASSERT_TRUE(app->targets().create_indicator(admin, "T", {{"code", "A"}, {"name_vi", "Diện tích"},
                                                             {"kind", "stock"}, {"direction", "up"}}));
  }
  std::int64_t issued() {
    return app->db().read([](storage::Connection& c) { return c.scalar_i64("SELECT count(*) FROM report_issue"); });
  }
  test_support::SmallProvinceApp world;
  app::App* app = nullptr;
  identity::Actor actor = identity::Actor::cli("test");
};

TEST_F(TargetsIssue, RenderedDeliveredThenRegistered) {
  json seen_shapes;
  std::string seen_format, seen_profile;
  app->targets().set_review_renderer([&](const json& review, const json& shapes, const std::string& format,
                                         const std::string& profile) -> Result<RenderedReview> {
    seen_shapes = shapes;
    seen_format = format;
    seen_profile = profile;
    return RenderedReview{"%PDF-1.5 " + review["data_hash"].get<std::string>(), "application/pdf", ".pdf"};
  });
  ReviewDocumentRequest q;
  q.programme = "T";
  q.milestone = 2025;
  q.as_of = CivilDate(2023, 6, 30);
  q.format = "pdf";
  q.profile = "party";
  // A delivery that fails registers nothing.
  auto failed = app->targets().issue_review(actor, q, [](const IssuedReview&) -> Status {
    return Error::invalid("cannot write", {{"--out", "disk full"}});
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().fields.at(0).field, "--out");
  EXPECT_EQ(issued(), 0);
  std::string delivered;
  auto r = app->targets().issue_review(actor, q, [&](const IssuedReview& d) -> Status {
    delivered = d.file.bytes;
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(seen_format, "pdf");
  EXPECT_EQ(seen_profile, "party");
  EXPECT_EQ(seen_shapes["features"].size(), 2u);  // the districts of the per-unit table on 30/6/2023
  EXPECT_EQ(delivered, r->file.bytes);
  EXPECT_EQ(r->file_name, "bao-cao-T-2025-20230630-90.pdf");
  EXPECT_EQ(r->issue["format"], "pdf");
  EXPECT_EQ(r->issue["parameters"]["profile"], "party");
  EXPECT_EQ(r->issue["parameters"]["as_of"], "2023-06-30");
  EXPECT_EQ(r->issue["data_hash"], r->review["data_hash"]);
  EXPECT_EQ(r->issue["file_sha256"], sha256_hex(r->file.bytes));
  EXPECT_EQ(r->issue["file_name"], r->file_name);
  EXPECT_EQ(issued(), 1);
  // JSON needs no map; a name given by the caller (the CLI's --out) is kept.
  q.format = "json";
  q.file_name = "/tmp/review.json";
  q.lang = "en";
  auto j = app->targets().issue_review(actor, q);
  ASSERT_TRUE(j);
  EXPECT_TRUE(seen_shapes["features"].empty());
  EXPECT_EQ(j->issue["file_name"], "/tmp/review.json");
  EXPECT_EQ(j->issue["parameters"]["lang"], "en");
  EXPECT_FALSE(j->issue["parameters"].contains("profile"));
}

TEST_F(TargetsIssue, TheRealRendererRefusesUnknownFormatsAndProfilesByName) {
  ReviewDocumentRequest q;
  q.programme = "T";
  q.format = "odt";
  auto bad = app->targets().issue_review(actor, q);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "format");
  q.format = "html";
  q.profile = "royal";
  bad = app->targets().issue_review(actor, q);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "profile");
  EXPECT_EQ(issued(), 0);
  q.profile = "state";
  auto html = app->targets().issue_review(actor, q);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_EQ(html->file.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html->file.bytes.find("BÁO CÁO"), std::string::npos);
}

}  // namespace nongsan::targets
