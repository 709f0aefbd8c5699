// Decisions on inspection findings through the API (docs/inspection.md "Decisions"):
// each action taken through the module it acts on by the role that may take it,
// refused (403) to the others and answered as missing outside scope; a boundary
// corrected from the inspection's measured boundary; an OCOP product downgraded; a
// decision linked to its inspection, photos and measurement, shown on the target.
#include <map>

#include "api/api_fixture.hpp"
#include "core/base64.hpp"
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

class InspectionDecisionApi : public ApiTest {
 protected:
  // An inspection of parcel `ext` (in `unit`), measured at `measured`, with one finding
  // of `kind` about (`subject_kind`, `subject_ref`) and one photo; the finding's id.
  std::int64_t inspected(const std::string& ext, const char* unit, double x, const json& measured,
                         const std::string& subject_kind, const std::string& subject_ref) {
    auto p = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-07-01"}, {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(p.status, 201) << p.body.dump();
    auto ins = call_json("POST", "/api/v1/inspections", "prov",
                         {{"subject_kind", "parcel"}, {"subject_ref", ext}, {"checklist_kind", "registry"},
                          {"inspector", "insp"}});
    EXPECT_EQ(ins.status, 201) << ins.body.dump();
    const std::string code = ins.body["code"];
    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "x";
    auto s = call_json(
        "POST", "/api/field/sync", "insp",
        {{"device_id", "d"},
         {"items", json::array({json{{"kind", "inspection"}, {"code", code}, {"base_version", 1},
                                     {"device_time", "2026-03-01T08:00:00Z"},
                                     {"fields", {{"measured_geojson", measured}, {"measure_method", "walked"}}}},
                                json{{"kind", "finding"}, {"inspection", code}, {"client_id", code + "-f"},
                                     {"device_time", "2026-03-01T08:05:00Z"},
                                     {"fields", {{"kind", "boundary_wrong"}, {"subject_kind", subject_kind},
                                                 {"subject_ref", subject_ref}, {"severity", "serious"},
                                                 {"recorded_at", "2026-03-01T08:05:00Z"}}}},
                                json{{"kind", "photo"}, {"inspection", code}, {"client_id", code + "-p"},
                                     {"device_time", "2026-03-01T08:06:00Z"}, {"taken_at", "2026-03-01T08:06:00Z"},
                                     {"lon", x}, {"lat", 22.01}, {"mime", "image/png"},
                                     {"data_base64", base64_encode(png)}}})}});
    for (const auto& item : s.body["items"]) EXPECT_EQ(item["outcome"], "applied") << s.body.dump();
    auto detail = call("GET", "/api/v1/inspections/" + code, "prov");
    return detail.body["findings"][0]["id"].get<std::int64_t>();
  }
  Reply decide(std::int64_t finding, const std::string& user, const json& body) {
    return call_json("POST", "/api/v1/inspections/findings/" + std::to_string(finding) + "/decisions", user, body);
  }
};

TEST_P(InspectionDecisionApi, BoundaryCorrectedFromTheMeasuredBoundaryByTheRegistryRole) {
  const json measured = square_polygon(103.01, 22.01, 0.0012);
  auto f = inspected("P-1", "N1", 103.01, measured, "parcel", "P-1");
  const json body = {{"action", "correct_boundary"}, {"reason", "Ranh giới đo lại"}, {"decision_no", "12/QĐ-VPĐK"},
                     {"date", "2026-03-10"}};
  // The inspector records but never decides; the producer neither.
  EXPECT_EQ(decide(f, "insp", body).status, 403);
  EXPECT_EQ(decide(f, "coop", body).status, 403);
  // Another commune's officer: answered as a finding that does not exist.
  auto other = decide(f, "n2o", body);
  auto none = decide(999999, "n2o", body);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body["message"], none.body["message"]);
  auto r = decide(f, "n1o", body);
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["target_ref"], "parcel:P-1");
  EXPECT_EQ(r.body["result_ref"], "parcel:P-1");
  EXPECT_EQ(r.body["photos"].size(), 1u);
  EXPECT_TRUE(r.body["measured_boundary"].get<bool>());
  // The parcel's boundary is the measured one now, its old one in the history.
  auto parcels = call("GET", "/api/v1/parcels?q=P-1", "prov");
  const std::int64_t pid = parcels.body["items"][0]["id"];
  auto parcel = call("GET", "/api/v1/parcels/" + std::to_string(pid), "prov");
  EXPECT_GT(parcel.body["area_m2"].get<double>(), 16000);
  // Decided once: a second decision is a conflict; the decision shows on the target.
  EXPECT_EQ(decide(f, "prov", body).status, 409);
  auto on = call("GET", "/api/v1/inspection-decisions?target=parcel:P-1", "n1o");
  ASSERT_EQ(on.body["items"].size(), 1u);
  EXPECT_EQ(on.body["items"][0]["photos"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/inspection-decisions?target=parcel:P-1", "n2o").body["items"].size(), 0u);
  auto detail = call("GET", "/api/v1/inspections/" + on.body["items"][0]["inspection"].get<std::string>(), "prov");
  EXPECT_EQ(detail.body["findings"][0]["status"], "decided");
  EXPECT_EQ(detail.body["findings"][0]["decisions"][0]["action"], "correct_boundary");
}

TEST_P(InspectionDecisionApi, EachDecisionOnlyByItsRole) {
  auto f = inspected("P-2", "N1", 103.02, square_polygon(103.02, 22.01, 0.001), "application", "HS-1");
  // A commune officer may not recover money, suspend a code or touch OCOP stars.
  for (const json& body : {json{{"action", "recover"}, {"amount", 1000000}},
                           json{{"action", "reduce_amount"}, {"amount", 1000000}},
                           json{{"action", "suspend_code"}, {"target", "VN-X"}},
                           json{{"action", "downgrade_ocop"}, {"stars", 3}, {"target", "TEA"}},
                           json{{"action", "revoke_ocop"}, {"target", "TEA"}}}) {
    json b = body;
    b["reason"] = "Vi phạm";
    b["decision_no"] = "1/QĐ";
    auto r = decide(f, "n1o", b);
    EXPECT_EQ(r.status, 403) << b.dump() << " " << r.body.dump();
  }
  // The province's officer may, but the application must exist.
  auto missing = decide(f, "prov", {{"action", "recover"}, {"amount", 1000000}, {"reason", "x"}, {"decision_no", "1/QĐ"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(missing.names_field("target"));
  // Missing fields are named.
  auto bad = decide(f, "prov", {{"action", "downgrade_ocop"}, {"reason", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("stars"));
  EXPECT_TRUE(bad.names_field("decision_no"));
  // Dismissed by the commune's officer.
  auto d = decide(f, "n1o", {{"action", "dismiss"}, {"reason", "Không có căn cứ"}});
  ASSERT_EQ(d.status, 201) << d.body.dump();
  EXPECT_EQ(d.body["target_ref"], "");
}

TEST_P(InspectionDecisionApi, OcopProductDowngradedThroughTheOcopService) {
  auto cli = identity::Actor::cli("test");
  ASSERT_EQ(call_json("POST", "/api/v1/producers", "prov",
                      {{"kind", "cooperative"}, {"name", "HTX Chè"}, {"external_id", "HTX-1"}, {"tax_code", "6200000001"},
                       {"unit_id", id("N1")}})
                .status,
            201);
  ASSERT_TRUE(app->ocop().import_products(cli, table({"product", "name", "subject", "group"}, {{"TEA", "Chè", "HTX-1", "2"}}), "t").ok());
  ASSERT_TRUE(app->ocop()
                  .import_evaluations(cli, table({"product", "level", "date", "part_a", "part_b", "part_c", "decision"},
                                                 {{"TEA", "province", "2025-08-31", "37", "23", "32", "1/QĐ"}}),
                                      "t")
                  .ok());
  auto f = inspected("P-3", "N1", 103.03, square_polygon(103.03, 22.01, 0.001), "ocop_product", "TEA");
  auto r = decide(f, "prov", {{"action", "downgrade_ocop"}, {"stars", 3}, {"reason", "Nhãn sai"},
                              {"decision_no", "5/QĐ-UBND"}, {"date", "2026-03-15"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["result_ref"], "ocop_product:TEA");
  auto product = call("GET", "/api/v1/ocop/products/TEA?on=2026-03-20", "prov");
  ASSERT_EQ(product.body["events"].size(), 1u);
  EXPECT_EQ(product.body["events"][0]["kind"], "downgraded");
  EXPECT_NE(product.body["events"][0]["reason"].get<std::string>().find("inspection"), std::string::npos);
  EXPECT_EQ(product.body["standing"]["stars"], 3);
}

TEST_P(InspectionDecisionApi, GrowingAreaCodeSuspendedThroughTheAreaCodeService) {
  auto holder = call_json("POST", "/api/v1/producers", "prov",
                          {{"kind", "cooperative"}, {"name", "HTX Chè Hai"}, {"unit_id", id("N1")}, {"tax_code", "6299000111"}});
  ASSERT_EQ(holder.status, 201) << holder.body.dump();
  auto f = inspected("P-4", "N1", 103.04, square_polygon(103.04, 22.01, 0.001), "parcel", "P-4");
  auto parcel = call("GET", "/api/v1/parcels?q=P-4", "prov").body["items"][0]["id"].get<std::int64_t>();
  auto applied = call_json("POST", "/api/v1/codes", "prov",
                           {{"kind", "area"}, {"holder", holder.body["id"]}, {"crop", "tea"}, {"standard", "VietGAP"},
                            {"parcels", {parcel}}});
  ASSERT_EQ(applied.status, 201) << applied.body.dump();
  const std::string id_path = "/api/v1/codes/" + std::to_string(applied.body["id"].get<std::int64_t>());
  auto issued = call_json("POST", id_path + "/steps", "prov",
                          {{"action", "issue"}, {"reason", "Đủ điều kiện"}, {"decision_no", "1/QĐ-TTBVTV"},
                           {"decision_date", "2025-08-01"}});
  ASSERT_EQ(issued.status, 200) << issued.body.dump();
  const std::string code = issued.body["code"];
  const json body = {{"action", "suspend_code"}, {"target", code}, {"reason", "Dùng thuốc cấm"},
                     {"decision_no", "7/QĐ-TTBVTV"}, {"date", "2026-03-12"}};
  EXPECT_EQ(decide(f, "n1o", body).status, 403);  // the sub-department's decision, not a commune's
  auto r = decide(f, "prov", body);
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["result_ref"], "area_code:" + code);
  auto after = call("GET", id_path, "prov");
  EXPECT_EQ(after.body["status"], "suspended") << after.body.dump();
}

TEST_P(InspectionDecisionApi, SupportRecoveredAndReducedThroughTheSupportService) {
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov",
                      {{"code", "TEA"}, {"version", "2021-03-22"}, {"name_vi", "Hỗ trợ trồng mới chè"}, {"content", "tea"},
                       {"item", "area"}, {"rate", 15000000}})
                .status,
            201);
  auto f = inspected("P-5", "N1", 103.05, square_polygon(103.05, 22.01, 0.001), "application", "HS-1");
  auto g = inspected("P-6", "N1", 103.06, square_polygon(103.06, 22.01, 0.001), "application", "HS-2");
  auto h = call_json("POST", "/api/v1/producers", "prov", {{"kind", "household"}, {"name", "Lò Văn Minh"}, {"unit_id", id("N1")}});
  const std::int64_t holder = h.body["id"];
  std::map<std::string, std::int64_t> apps;
  for (const std::string ext : {"P-5", "P-6"}) {
    const std::int64_t parcel = call("GET", "/api/v1/parcels?q=" + ext, "prov").body["items"][0]["id"];
    ASSERT_EQ(call_json("POST", "/api/v1/parcels/" + std::to_string(parcel) + "/rights", "prov",
                        {{"producer_id", holder}, {"kind", "owner"}, {"valid_from", "2020-01-01"}})
                  .status,
              201);
    const std::string code = ext == "P-5" ? "HS-1" : "HS-2";
    auto a = call_json("POST", "/api/v1/support/applications", "n1o",
                       {{"code", code}, {"policy", "TEA"}, {"applicant_id", holder}, {"filed", "2024-03-01"},
                        {"items", json::array({{{"parcel_id", parcel}, {"quantity", 1.0}}})}});
    ASSERT_EQ(a.status, 201) << a.body.dump();
    apps[code] = a.body["id"];
    for (const auto& [step, extra] : std::vector<std::pair<std::string, json>>{
             {"verify", json::object()}, {"appraise", json::object()}, {"accept", {{"date", "2024-10-01"}}}}) {
      json b = extra;
      b["step"] = step;
      ASSERT_EQ(call_json("POST", "/api/v1/support/applications/" + std::to_string(apps[code]) + "/steps", "n1o", b).status, 200);
    }
  }
  // HS-1 approved and paid, then money recovered after the inspection (finance's decision).
  const std::string a1 = "/api/v1/support/applications/" + std::to_string(apps["HS-1"]);
  ASSERT_EQ(call_json("POST", a1 + "/steps", "prov", {{"step", "approve"}, {"amount", 15000000}}).status, 200);
  ASSERT_EQ(call_json("POST", a1 + "/steps", "admin", {{"step", "pay"}, {"date", "2024-11-01"}}).status, 200);
  auto r = decide(f, "admin", {{"action", "recover"}, {"amount", 5000000}, {"reason", "Diện tích thực tế nhỏ hơn"},
                               {"decision_no", "3/QĐ-STC"}, {"date", "2026-03-20"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["result_ref"], "application:HS-1");
  auto after = call("GET", a1, "prov");
  EXPECT_EQ(after.body["status"], "recovered");
  EXPECT_EQ(after.body["paid_net"], 10000000);
  // HS-2, awaiting approval: approved at the reduced amount.
  auto red = decide(g, "prov", {{"action", "reduce_amount"}, {"amount", 9000000}, {"reason", "Giảm theo kết quả kiểm tra"},
                                {"decision_no", "4/QĐ-SNN"}});
  ASSERT_EQ(red.status, 201) << red.body.dump();
  auto a2 = call("GET", "/api/v1/support/applications/" + std::to_string(apps["HS-2"]), "prov");
  EXPECT_EQ(a2.body["status"], "approved");
  EXPECT_EQ(a2.body["approved_amount"], 9000000);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, InspectionDecisionApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, InspectionDecisionApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
