// OCOP and certificates through the API: status on a date with the provincial ceiling
// and its proposal, the expiry calendar and notices, the product page and its dossier,
// findings and decisions with their permissions, certificates with their scope and the
// covering query; another commune's records answer like missing ones (docs/ocop.md).
#include "api/api_fixture.hpp"
#include "modules/support/support_import.hpp"

namespace nongsan::api {

namespace {
support::ImportTable table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  support::ImportTable t;
  t.headers = std::move(headers);
  int line = 2;
  for (const auto& r : rows) {
    support::ImportRow row;
    row.line = line++;
    for (std::size_t i = 0; i < r.size(); ++i) row.cells[t.headers[i]] = r[i];
    t.rows.push_back(std::move(row));
  }
  return t;
}
}  // namespace

class OcopApi : public ApiTest {
 protected:
  void producer(const std::string& ext, const char* unit) {
    auto r = call_json("POST", "/api/v1/producers", "prov",
                       {{"kind", "cooperative"}, {"name", "HTX " + ext}, {"external_id", ext}, {"tax_code", ext == "HTX-N1" ? "6200000001" : "6200000002"}, {"unit_id", id(unit)}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  // Two products: TEA of a cooperative in N1 (a provincial 92 on 2023-08-31), HONEY of
  // one in N2 (a provincial 75 on 2024-02-29).
  void world() {
    producer("HTX-N1", "N1");
    producer("HTX-N2", "N2");
    auto cli = identity::Actor::cli("test");
    auto& o = app->ocop();
    ASSERT_TRUE(o.import_products(cli, table({"product", "name", "subject", "group"},
                                             {{"TEA", "Chè Shan tuyết", "HTX-N1", "2"}, {"HONEY", "Mật ong", "HTX-N2", "1"}}),
                                  "test")
                    .ok());
    auto ev = o.import_evaluations(cli, table({"product", "level", "date", "part_a", "part_b", "part_c", "decision"},
                                              {{"TEA", "province", "2023-08-31", "37", "23", "32", "1/QĐ"},
                                               {"HONEY", "province", "2024-02-29", "30", "20", "25", "2/QĐ"}}),
                                  "test");
    ASSERT_TRUE(ev.ok()) << ev.error().message;
  }
};

TEST_P(OcopApi, StatusOnADateWithTheProvincialCeiling) {
  world();
  auto r = call("GET", "/api/v1/ocop/status?on=2026-08-01", "prov");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 2u);
  const json& honey = r.body["items"][0];
  const json& tea = r.body["items"][1];
  EXPECT_EQ(tea["product"], "TEA");
  EXPECT_EQ(tea["stars"], 4);
  EXPECT_TRUE(tea["proposed_to_centre"].get<bool>());
  EXPECT_EQ(tea["expires"], "2026-08-31");
  EXPECT_EQ(tea["status"], "expiring");
  EXPECT_EQ(tea["days_left"], 30);
  EXPECT_EQ(honey["expires"], "2027-02-28");
  EXPECT_EQ(honey["status"], "valid");
  EXPECT_EQ(call("GET", "/api/v1/ocop/status?on=2026-09-01", "prov").body["items"][1]["status"], "expired");
  EXPECT_EQ(call("GET", "/api/v1/ocop/status?on=2023-08-30", "prov").body["items"][1]["status"], "none");
  EXPECT_EQ(call("GET", "/api/v1/ocop/status?on=2026-13-01", "prov").status, 400);
  // The calendar and the notices.
  auto cal = call("GET", "/api/v1/ocop/calendar?from=2026-08-01&to=2027-03-31", "prov");
  ASSERT_EQ(cal.status, 200) << cal.body.dump();
  ASSERT_EQ(cal.body["items"].size(), 2u);
  EXPECT_EQ(cal.body["items"][0]["notify_on"], "2026-08-01");
  EXPECT_EQ(cal.body["items"][1]["notify_on"], "2027-01-29");
  auto notices = call("GET", "/api/v1/ocop/notices?on=2026-08-01", "prov");
  ASSERT_EQ(notices.body["items"].size(), 1u);
  EXPECT_EQ(notices.body["items"][0]["product"], "TEA");
}

TEST_P(OcopApi, ScopeOfProductsAndIds) {
  world();
  // A commune officer sees its commune's product only; another commune's answers as missing.
  auto mine = call("GET", "/api/v1/ocop/status?on=2025-01-01", "n1o");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.body["items"].size(), 1u);
  EXPECT_EQ(mine.body["items"][0]["product"], "TEA");
  auto other = call("GET", "/api/v1/ocop/products/HONEY", "n1o");
  auto missing = call("GET", "/api/v1/ocop/products/NOPE", "n1o");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(other.body["message"].get<std::string>().find("HONEY") != std::string::npos,
            missing.body["message"].get<std::string>().find("NOPE") != std::string::npos);
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/products/HONEY/findings", "n1o",
                      {{"kind", "complaint"}, {"date", "2025-01-01"}, {"detail", "x"}})
                .status,
            404);
  // The inspector reads everything and writes nothing.
  EXPECT_EQ(call("GET", "/api/v1/ocop/products/HONEY?on=2025-01-01", "insp").status, 200);
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/products/HONEY/findings", "insp",
                      {{"kind", "complaint"}, {"date", "2025-01-01"}, {"detail", "x"}})
                .status,
            403);
}

TEST_P(OcopApi, FindingThenDecisionDowngradesAndIsAudited) {
  world();
  auto f = call_json("POST", "/api/v1/ocop/products/TEA/findings", "n1o",
                     {{"kind", "lab_failed"}, {"date", "2025-03-01"}, {"detail", "Vi sinh không đạt"}});
  ASSERT_EQ(f.status, 201) << f.body.dump();
  std::int64_t finding = f.body["findings"][0]["id"];
  // A unit officer records findings; only the province decides.
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/products/TEA/decisions", "n1o",
                      {{"kind", "downgraded"}, {"stars", 3}, {"date", "2025-03-10"}, {"reason", "x"}})
                .status,
            403);
  // No certificate in force before the decision date: refused naming the date.
  auto early = call_json("POST", "/api/v1/ocop/products/TEA/decisions", "prov",
                         {{"kind", "revoked"}, {"date", "2023-08-30"}, {"reason", "x"}});
  ASSERT_EQ(early.status, 400);
  EXPECT_EQ(early.body["errors"][0]["field"], "date");
  auto d = call_json("POST", "/api/v1/ocop/products/TEA/decisions", "prov",
                     {{"kind", "downgraded"}, {"stars", 3}, {"date", "2025-03-10"}, {"reason", "Kết quả kiểm nghiệm"},
                      {"finding", finding}});
  ASSERT_EQ(d.status, 201) << d.body.dump();
  EXPECT_EQ(d.body["standing"]["stars"], 3);
  EXPECT_EQ(d.body["findings"][0]["closed_by_event"], d.body["events"][0]["id"]);
  EXPECT_EQ(call("GET", "/api/v1/ocop/status?on=2025-03-09", "prov").body["items"][1]["stars"], 4);
  EXPECT_EQ(call("GET", "/api/v1/ocop/status?on=2025-03-10", "prov").body["items"][1]["stars"], 3);
  EXPECT_GE(app->db().read([](storage::Connection& c) {
    return c.scalar_i64("SELECT count(*) FROM audit_log WHERE entity = 'ocop_event' AND action = 'decide'");
  }),
            1);
}

TEST_P(OcopApi, SelfAssessmentCertifiesNothingAndDossierListsGaps) {
  world();
  auto self = call_json("POST", "/api/v1/ocop/products/TEA/evaluations", "n1o",
                        {{"level", "self"}, {"date", "2026-01-01"}, {"part_a", 40}, {"part_b", 25}, {"part_c", 35}});
  ASSERT_EQ(self.status, 201) << self.body.dump();
  EXPECT_EQ(self.body["standing"]["stars"], 4);  // still the council's certificate
  // A unit officer may not enter a council's evaluation; a part above its maximum is refused.
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/products/TEA/evaluations", "n1o",
                      {{"level", "province"}, {"date", "2026-01-02"}, {"part_a", 30}, {"part_b", 20}, {"part_c", 20}})
                .status,
            403);
  auto over = call_json("POST", "/api/v1/ocop/products/TEA/evaluations", "prov",
                        {{"level", "province"}, {"date", "2026-01-02"}, {"part_a", 30}, {"part_b", 25.5}, {"part_c", 20}});
  ASSERT_EQ(over.status, 400);
  EXPECT_EQ(over.body["errors"][0]["field"], "part_b");
  auto dossier = call("GET", "/api/v1/ocop/products/TEA/dossier?on=2026-01-05", "n1o");
  ASSERT_EQ(dossier.status, 200) << dossier.body.dump();
  EXPECT_EQ(dossier.body["producer"]["id"], "HTX-N1");
  std::set<std::string> gaps;
  for (const auto& g : dossier.body["gaps"]) gaps.insert(g["key"]);
  EXPECT_TRUE(gaps.count("parcels"));
  EXPECT_FALSE(gaps.count("self_assessment"));
  // With no parcels, each section the parcels feed is a gap that says so.
  for (const char* key : {"area_codes", "diary", "lots", "volumes"}) {
    EXPECT_TRUE(gaps.count(key)) << key;
    EXPECT_NE(dossier.body["sections"][key]["gap_vi"].get<std::string>().find("không có thửa đất"), std::string::npos)
        << dossier.body["sections"][key].dump();
  }
  EXPECT_TRUE(gaps.count("lab_results"));
}

TEST_P(OcopApi, CertificatesWithScopeAndTheCoveringQuery) {
  world();
  json cert = {{"code", "VG-1"},          {"kind", "vietgap"},         {"holder", "HTX-N1"},
               {"issuer", "Tổ chức X"},   {"valid_from", "2024-01-01"}, {"valid_to", "2026-12-31"},
               {"scope", json::array({{{"kind", "product"}, {"target", "TEA"}}, {{"kind", "code"}, {"target", "LC-01"}}})}};
  auto r = call_json("POST", "/api/v1/certificates", "n1o", cert);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  // Another commune's product in the scope, or another commune's holder: refused as missing.
  json other = cert;
  other["code"] = "VG-2";
  other["scope"] = json::array({{{"kind", "product"}, {"target", "HONEY"}}});
  auto bad = call_json("POST", "/api/v1/certificates", "n1o", other);
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["errors"][0]["field"], "scope");
  other["holder"] = "HTX-N2";
  other["scope"] = json::array();
  auto bad_holder = call_json("POST", "/api/v1/certificates", "n1o", other);
  ASSERT_EQ(bad_holder.status, 400);
  EXPECT_EQ(bad_holder.body["errors"][0]["field"], "holder");
  auto cov = call("GET", "/api/v1/certificate-coverage?kind=code&target=LC-01&on=2026-12-31", "prov");
  ASSERT_EQ(cov.status, 200) << cov.body.dump();
  ASSERT_EQ(cov.body["items"].size(), 1u);
  EXPECT_EQ(cov.body["items"][0]["status"], "expiring");
  EXPECT_EQ(call("GET", "/api/v1/certificate-coverage?kind=code&target=LC-01&on=2027-01-01", "prov").body["items"].size(),
            0u);
  EXPECT_EQ(call("GET", "/api/v1/certificates?on=2026-12-01&status=expiring", "prov").body["items"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/certificates/VG-1", "n2o").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/certificates/VG-1", "n2o").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/certificates/VG-1", "n1o").status, 200);
  EXPECT_EQ(count("certificate"), 0);
  // Standards and marks: the province manages them.
  EXPECT_EQ(call_json("POST", "/api/v1/standards", "n1o", {{"code", "S"}, {"kind", "vietgap"}, {"name", "x"}}).status, 403);
  EXPECT_EQ(call_json("POST", "/api/v1/standards", "prov", {{"code", "S"}, {"kind", "vietgap"}, {"name", "x"}}).status, 200);
  EXPECT_EQ(call_json("POST", "/api/v1/marks", "prov",
                      {{"code", "GI"}, {"kind", "geographical_indication"}, {"name", "x"}, {"granted", "2020-01-01"}})
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/marks", "insp").body["items"][0]["granted"], "2020-01-01");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, OcopApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, OcopApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
