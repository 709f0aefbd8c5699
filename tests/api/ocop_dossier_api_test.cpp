// The OCOP dossier pre-filled from the other modules, lab results and the quality watch
// through the API (docs/ocop.md "The dossier", "Lab results", "Quality watch"): every
// section filled from its module on a seeded world; lab results imported all or nothing,
// pass or fail computed, scope of products; a failed test of a certified product and a
// lapsed certificate each raise one finding, however often the watch runs.
#include "api/api_fixture.hpp"

#include "modules/diary/diary_service.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
support::ImportTable table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  support::ImportTable t;
  t.headers = headers;
  int line = 1;
  for (const auto& r : rows) {
    support::ImportRow row;
    row.line = ++line;
    for (std::size_t i = 0; i < headers.size(); ++i) row.cells[headers[i]] = i < r.size() ? r[i] : "";
    t.rows.push_back(row);
  }
  return t;
}
const std::string kGtin = "8930000000019";  // illustrative (GS1 prefix 893, assigned to no one)
const std::vector<std::string> kLabHeaders = {"sample", "product", "laboratory", "date", "parameter", "category",
                                              "value", "unit", "limit", "lot", "standard"};
}  // namespace

class OcopDossierApi : public ApiTest {
 protected:
  // HTX-N1 (N1) holds P-N1 planted with tea, under a growing-area code; its diary has an
  // overdosed spray, a harvest before the interval (held lot) and one after; its product
  // TEA has a provincial 92 on 2023-08-31 (certified to 2026-08-31). HONEY of HTX-N2 (N2)
  // has nothing but its evaluation.
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
    ASSERT_TRUE(app->trace().set_gtin(cli, kGtin, "tea", "Chè búp tươi", "Fresh tea shoots", true));
    coop1 = producer("HTX-N1", "N1", "6200000001");
    coop2 = producer("HTX-N2", "N2", "6200000002");
    p1 = parcel("P-N1", "N1", 103.01);
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(p1) + "/rights", "prov",
                        {{"producer_id", coop1}, {"kind", "owner"}, {"valid_from", "2020-01-01"}})
                  .status,
              201);
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + s(p1) + "/plantings", "prov",
                        {{"crop", "tea"}, {"start_date", "2020-01-01"}, {"planted_area_m2", 1000}})
                  .status,
              201);
    auto code = call_json("POST", "/api/v1/codes", "admin",
                          {{"kind", "area"}, {"holder", coop1}, {"crop", "tea"}, {"standard", "VietGAP"}, {"parcels", {p1}}});
    ASSERT_EQ(code.status, 201) << code.body.dump();
    code_id = code.body["id"];
    for (const json& e : {json{{"parcel_id", p1}, {"date", "2025-04-05"}, {"kind", "spray"}, {"product", "ABA"},
                               {"dose_per_ha", 0.5}},
                          harvest("2025-04-08", "L-HELD", 100), harvest("2025-04-20", "L-OK", 250)}) {
      auto r = call_json("POST", "/api/v1/diary/entries", "prov", e);
      ASSERT_EQ(r.status, 201) << r.body.dump();
    }
    auto& o = app->ocop();
    ASSERT_TRUE(o.import_products(cli, table({"product", "name", "subject", "group"},
                                             {{"TEA", "Chè Shan tuyết", "HTX-N1", "2"}, {"HONEY", "Mật ong", "HTX-N2", "1"}}),
                                  "test"));
    ASSERT_TRUE(o.import_evaluations(cli, table({"product", "level", "date", "part_a", "part_b", "part_c", "decision"},
                                                {{"TEA", "province", "2023-08-31", "37", "23", "32", "1/QĐ"},
                                                 {"HONEY", "province", "2024-02-29", "30", "20", "25", "2/QĐ"}}),
                                     "test"));
  }
  std::int64_t producer(const std::string& ext, const char* unit, const char* tax) {
    auto r = call_json("POST", "/api/v1/producers", "prov",
                       {{"kind", "cooperative"}, {"name", "HTX " + ext}, {"external_id", ext}, {"tax_code", tax},
                        {"unit_id", id(unit)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t parcel(const std::string& ext, const char* unit, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"valid_from", "2020-01-01"},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  json harvest(const char* date, const char* lot, double kg) const {
    return {{"parcel_id", p1}, {"date", date}, {"kind", "harvest"}, {"quantity_kg", kg}, {"lot", lot}};
  }
  static std::set<std::string> gap_keys(const json& dossier) {
    std::set<std::string> out;
    for (const auto& g : dossier["gaps"]) out.insert(g["key"]);
    return out;
  }
  std::int64_t coop1 = 0, coop2 = 0, p1 = 0, code_id = 0;
};

TEST_P(OcopDossierApi, EverySectionIsFilledFromItsModule) {
  auto cli = identity::Actor::cli("test");
  ASSERT_TRUE(app->ocop().import_lab_results(
      cli, table(kLabHeaders, {{"S-1", "TEA", "Trung tâm KN", "2025-04-25", "Chì (Pb)", "heavy_metal", "0.1", "mg/kg", "0.3", "L-OK", "QCVN 8-2:2011/BYT"}}),
      "test"));
  json cert = {{"code", "VG-1"},        {"kind", "vietgap"},          {"holder", "HTX-N1"},
               {"issuer", "Tổ chức X"}, {"valid_from", "2024-01-01"}, {"valid_to", "2026-12-31"},
               {"scope", json::array({{{"kind", "parcel"}, {"target", "P-N1"}}})}};
  ASSERT_EQ(call_json("POST", "/api/v1/certificates", "prov", cert).status, 200);
  auto k = call_json("POST", "/api/v1/chains/contracts", "prov",
                     {{"code", "HD-1"}, {"lead_id", coop1}, {"participant_ids", {coop1}}, {"commodity", "tea"},
                      {"start", "2025-01-01"}, {"end", "2025-12-31"}, {"committed_kg", 3650}});
  ASSERT_EQ(k.status, 201) << k.body.dump();

  auto r = call("GET", "/api/v1/ocop/products/TEA/dossier?on=2025-05-01", "n1o");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const json& sec = r.body["sections"];
  for (const char* key : {"area_codes", "diary", "lots", "volumes", "certificates", "linkage", "lab_results"})
    EXPECT_TRUE(sec[key]["filled"].get<bool>()) << key << ": " << sec[key].dump();
  EXPECT_TRUE(gap_keys(r.body).empty() || !gap_keys(r.body).count("area_codes")) << r.body["gaps"].dump();
  // The code over the parcel.
  ASSERT_EQ(sec["area_codes"]["items"].size(), 1u);
  EXPECT_EQ(sec["area_codes"]["items"][0]["id"], code_id);
  EXPECT_EQ(sec["area_codes"]["items"][0]["crop"], "tea");
  // The diary by kind over 12 months, with its findings as warnings.
  std::map<std::string, int> kinds;
  for (const auto& x : sec["diary"]["items"]) kinds[x["kind"]] = x["entries"];
  EXPECT_EQ(kinds["spray"], 1);
  EXPECT_EQ(kinds["harvest"], 2);
  std::set<std::string> warnings;
  for (const auto& w : sec["diary"]["warnings"]) warnings.insert(w["kind"]);
  EXPECT_TRUE(warnings.count("over_dose")) << sec["diary"].dump();
  EXPECT_TRUE(warnings.count("phi_not_passed")) << sec["diary"].dump();
  EXPECT_EQ(sec["diary"]["from"], "2024-05-02");
  // The lots: the good one with its Digital Link and events, the held one without a page.
  ASSERT_EQ(sec["lots"]["items"].size(), 2u);
  const json& held = sec["lots"]["items"][0];
  const json& ok = sec["lots"]["items"][1];
  EXPECT_EQ(held["lot"], "L-HELD");
  EXPECT_TRUE(held["held"].get<bool>());
  EXPECT_TRUE(held["uri"].is_null());
  EXPECT_EQ(ok["lot"], "L-OK");
  EXPECT_EQ(ok["path"], "/01/0" + kGtin + "/10/L-OK");
  EXPECT_GE(ok["epcis_events"].get<int>(), 1);
  // Volumes of the year, linkage, certificates over the parcel, the lab result.
  EXPECT_EQ(sec["volumes"]["items"][0]["harvested_kg"], 350.0);
  EXPECT_EQ(sec["linkage"]["items"][0]["code"], "HD-1");
  EXPECT_EQ(sec["linkage"]["items"][0]["role"], "lead");
  EXPECT_EQ(sec["certificates"]["items"][0]["covers"], "parcel:P-N1");
  EXPECT_TRUE(sec["lab_results"]["items"][0]["passed"].get<bool>());
  // HONEY's subject has no parcels: the reasons say so.
  auto honey = call("GET", "/api/v1/ocop/products/HONEY/dossier?on=2025-05-01", "prov");
  ASSERT_EQ(honey.status, 200);
  EXPECT_EQ(honey.body["sections"]["area_codes"]["gap_vi"], "Không có mã số vùng trồng: chủ thể không có thửa đất nào");
  EXPECT_TRUE(gap_keys(honey.body).count("linkage"));
}

TEST_P(OcopDossierApi, LabResultsImportAllOrNothingAndComputePassOrFail) {
  auto cli = identity::Actor::cli("test");
  auto& o = app->ocop();
  // A bad category, a negative value, an unknown product: nothing stored, each by line and column.
  auto bad = o.import_lab_results(
      cli, table(kLabHeaders, {{"S-1", "TEA", "KN", "2025-04-25", "Chì (Pb)", "heavy_metal", "0.1", "mg/kg", "0.3"},
                               {"S-2", "TEA", "KN", "2025-04-25", "E. coli", "germs", "-1", "CFU/g", "10"},
                               {"S-3", "NOPE", "KN", "2025-04-25", "Cd", "heavy_metal", "0.1", "mg/kg", "0.2"}}),
      "test");
  ASSERT_FALSE(bad);
  std::set<std::string> where;
  for (const auto& e : bad.error().fields) where.insert(e.field);
  EXPECT_TRUE(where.count("line 3, column category"));
  EXPECT_TRUE(where.count("line 3, column value"));
  EXPECT_TRUE(where.count("line 4, column product"));
  EXPECT_EQ(call("GET", "/api/v1/ocop/lab-results", "prov").body["items"].size(), 0u);
  // A good file: one pass, one fail (the result is never typed).
  auto rows = table(kLabHeaders, {{"S-1", "TEA", "KN", "2025-04-25", "Chì (Pb)", "heavy_metal", "0.1", "mg/kg", "0.3", "", "QCVN 8-2:2011/BYT"},
                                  {"S-1", "TEA", "KN", "2025-04-25", "Cadimi (Cd)", "heavy_metal", "0.5", "mg/kg", "0.2", "", "QCVN 8-2:2011/BYT"},
                                  {"S-9", "HONEY", "KN", "2025-04-25", "E. coli", "microbiological", "0", "CFU/g", "10"}});
  auto first = o.import_lab_results(cli, rows, "test");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->created, 3);
  EXPECT_EQ(first->findings, 1);  // the failed cadmium of a certified product
  auto again = o.import_lab_results(cli, rows, "test");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(again->findings, 0);
  auto list = call("GET", "/api/v1/ocop/lab-results?product=TEA", "n1o");
  ASSERT_EQ(list.status, 200) << list.body.dump();
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_FALSE(list.body["items"][0]["passed"].get<bool>());  // Cadimi sorts first
  EXPECT_TRUE(list.body["items"][1]["passed"].get<bool>());
  // Scope: N1's officer sees TEA's results only; HONEY answers like a missing product.
  EXPECT_EQ(call("GET", "/api/v1/ocop/lab-results", "n1o").body["items"].size(), 2u);
  EXPECT_EQ(call("GET", "/api/v1/ocop/lab-results?product=HONEY", "n1o").status, 404);
  auto tea = call("GET", "/api/v1/ocop/products/TEA?on=2025-05-01", "n1o");
  ASSERT_EQ(tea.body["findings"].size(), 1u);
  EXPECT_EQ(tea.body["findings"][0]["kind"], "lab_failed");
  EXPECT_NE(tea.body["findings"][0]["detail"].get<std::string>().find("Cadimi (Cd)"), std::string::npos);
}

TEST_P(OcopDossierApi, LabResultEnteredByHandWithScope) {
  json body = {{"sample", "S-5"}, {"product", "TEA"},      {"laboratory", "KN"}, {"date", "2025-05-02"},
               {"parameter", "E. coli"}, {"category", "microbiological"}, {"value", 20}, {"unit", "CFU/g"},
               {"limit", 10}, {"lot", "L-OK"}};
  auto r = call_json("POST", "/api/v1/ocop/lab-results", "n1o", body);
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_FALSE(r.body["passed"].get<bool>());
  ASSERT_EQ(r.body["findings"].size(), 1u);
  EXPECT_EQ(r.body["findings"][0]["origin"], "lab:" + s(r.body["id"]));
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/lab-results", "n1o", body).status, 409);
  // Another commune's product is refused like a missing one, naming the field.
  json other = body;
  other["sample"] = "S-6";
  other["product"] = "HONEY";
  auto foreign = call_json("POST", "/api/v1/ocop/lab-results", "n1o", other);
  ASSERT_EQ(foreign.status, 400);
  EXPECT_EQ(foreign.body["errors"][0]["field"], "product");
  // The inspector reads and does not write.
  other["product"] = "TEA";
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/lab-results", "insp", other).status, 403);
  // The watch raises nothing more for the same test.
  auto w = call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2025-06-01"}});
  ASSERT_EQ(w.status, 200) << w.body.dump();
  EXPECT_EQ(w.body["raised"].size(), 0u);
}

TEST_P(OcopDossierApi, TheWatchRaisesALapsedCertificateOnce) {
  json cert = {{"code", "OR-1"},        {"kind", "organic"},          {"holder", "HTX-N1"},
               {"issuer", "Tổ chức X"}, {"valid_from", "2024-01-01"}, {"valid_to", "2025-06-30"},
               {"scope", json::array({{{"kind", "product"}, {"target", "TEA"}}})}};
  ASSERT_EQ(call_json("POST", "/api/v1/certificates", "prov", cert).status, 200);
  // Before it lapses, nothing; after, one finding dated the day it lapsed; then never again.
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2025-06-30"}}).body["raised"].size(), 0u);
  auto w = call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2025-08-01"}});
  ASSERT_EQ(w.status, 200) << w.body.dump();
  ASSERT_EQ(w.body["raised"].size(), 1u);
  EXPECT_EQ(w.body["raised"][0]["kind"], "certificate_lapsed");
  EXPECT_EQ(w.body["raised"][0]["found_on"], "2025-07-01");
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2025-09-01"}}).body["raised"].size(), 0u);
  // A lapse after the OCOP certificate expired (2026-08-31) raises nothing.
  cert["code"] = "OR-2";
  cert["valid_to"] = "2026-10-01";
  ASSERT_EQ(call_json("POST", "/api/v1/certificates", "prov", cert).status, 200);
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2026-12-01"}}).body["raised"].size(), 0u);
  // A unit officer of another commune raises nothing on TEA; the inspector may not run it.
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/watch", "insp", {{"on", "2025-08-01"}}).status, 403);
  auto product = call("GET", "/api/v1/ocop/products/TEA?on=2025-08-01", "prov");
  EXPECT_EQ(product.body["findings"].size(), 1u);
}

// The watch's list (GET /api/v1/ocop/findings, docs/ocop.md "Quality watch"): every
// finding in scope with its origin and state, and the decision that closed it.
TEST_P(OcopDossierApi, TheFindingsListShowsOriginStateAndTheDecision) {
  json cert = {{"code", "OR-1"},        {"kind", "organic"},          {"holder", "HTX-N1"},
               {"issuer", "Tổ chức X"}, {"valid_from", "2024-01-01"}, {"valid_to", "2025-06-30"},
               {"scope", json::array({{{"kind", "product"}, {"target", "TEA"}}})}};
  ASSERT_EQ(call_json("POST", "/api/v1/certificates", "prov", cert).status, 200);
  auto w = call_json("POST", "/api/v1/ocop/watch", "prov", {{"on", "2025-08-01"}});
  ASSERT_EQ(w.body["raised"].size(), 1u) << w.body.dump();
  const auto id = w.body["raised"][0]["id"].get<std::int64_t>();
  ASSERT_EQ(call_json("POST", "/api/v1/ocop/products/TEA/findings", "n1o",
                      {{"kind", "complaint"}, {"date", "2025-08-05"}, {"detail", "Khách phản ánh chè ẩm"}})
                .status,
            201);
  auto open = call("GET", "/api/v1/ocop/findings?state=open", "n1o");
  ASSERT_EQ(open.status, 200) << open.body.dump();
  ASSERT_EQ(open.body["items"].size(), 2u) << open.body.dump();
  EXPECT_EQ(open.body["items"][0]["product"], "TEA");
  EXPECT_EQ(open.body["items"][0]["origin_kind"], "certificate");
  EXPECT_EQ(open.body["items"][0]["origin"], "certificate:OR-1:2025-07-01");
  EXPECT_EQ(open.body["items"][1]["origin_kind"], "entered");
  EXPECT_EQ(open.body["items"][1]["detail"], "Khách phản ánh chè ẩm");
  // The revocation decided on the lapse closes it; the list shows the decision.
  auto d = call_json("POST", "/api/v1/ocop/products/TEA/decisions", "admin",
                     {{"kind", "revoked"}, {"date", "2025-08-10"}, {"reason", "Chứng nhận hữu cơ hết hạn"}, {"finding", id}});
  ASSERT_EQ(d.status, 201) << d.body.dump();
  auto decided = call("GET", "/api/v1/ocop/findings?state=decided", "n1o");
  ASSERT_EQ(decided.body["items"].size(), 1u) << decided.body.dump();
  EXPECT_EQ(decided.body["items"][0]["state"], "decided");
  EXPECT_EQ(decided.body["items"][0]["decision"]["kind"], "revoked");
  EXPECT_EQ(decided.body["items"][0]["decision"]["date"], "2025-08-10");
  EXPECT_EQ(call("GET", "/api/v1/ocop/findings?state=open", "n1o").body["items"].size(), 1u);
  // The product page carries the same origin and state.
  auto tea = call("GET", "/api/v1/ocop/products/TEA?on=2025-08-20", "n1o");
  EXPECT_EQ(tea.body["findings"][0]["state"], "decided");
  // Another commune's officer does not see TEA's findings; a bad filter names the field.
  auto foreign = call("GET", "/api/v1/ocop/findings", "n2o");
  ASSERT_EQ(foreign.status, 200);
  for (const auto& f : foreign.body["items"]) EXPECT_NE(f["product"], "TEA");
  EXPECT_EQ(call("GET", "/api/v1/ocop/findings?state=closed", "n1o").status, 400);
}

// The watch as a background job (docs/ocop.md "On a schedule"): queued by an officer who
// may enter, followed through /api/v1/jobs, its result counting what it raised.
TEST_P(OcopDossierApi, TheWatchRunsAsABackgroundJob) {
  json cert = {{"code", "OR-1"},        {"kind", "organic"},          {"holder", "HTX-N1"},
               {"issuer", "Tổ chức X"}, {"valid_from", "2024-01-01"}, {"valid_to", "2025-06-30"},
               {"scope", json::array({{{"kind", "product"}, {"target", "TEA"}}})}};
  ASSERT_EQ(call_json("POST", "/api/v1/certificates", "prov", cert).status, 200);
  auto job = call_json("POST", "/api/v1/ocop/watch/jobs", "prov", {{"on", "2025-08-01"}});
  ASSERT_EQ(job.status, 202) << job.body.dump();
  EXPECT_EQ(job.body["kind"], "ocop_watch");
  app->jobs().wait_idle();
  auto done = call("GET", "/api/v1/jobs/" + s(job.body["id"]), "prov");
  ASSERT_EQ(done.status, 200) << done.body.dump();
  EXPECT_EQ(done.body["state"], "succeeded") << done.body.dump();
  EXPECT_EQ(done.body["result"]["raised"], 1);
  EXPECT_EQ(done.body["result"]["by_kind"]["certificate_lapsed"], 1);
  EXPECT_EQ(call("GET", "/api/v1/ocop/findings", "prov").body["items"].size(), 1u);
  EXPECT_EQ(call_json("POST", "/api/v1/ocop/watch/jobs", "insp", {{"on", "2025-08-01"}}).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, OcopDossierApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, OcopDossierApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
