// The OpenAPI document against the answers the server really gives:
//   (a) every route of all_routes() declares a typed response (not the generic
//       object; files carry their media type; 204 has no body);
//   (b) over a small world built through the API itself (registry, targets with an
//       approved observation and an issued report, suitability with rasters and a
//       run, support with a policy, an application taken to payment and a check run,
//       a topology job), every GET route and the main POSTs are called as the
//       administrator and as a commune officer, and every answer is validated against
//       its declared schema; a mismatch names the route and the JSON path.
// The validator itself is tested in schema_validator_test.cpp.
#include <filesystem>
#include <fstream>
#include <regex>

#include "api/api_fixture.hpp"
#include "api/openapi.hpp"
#include "api/schema_validator.hpp"
#include "core/base64.hpp"
#include "geo/grid_image.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/support/support_import.hpp"

namespace nongsan::api {

namespace {

std::string s(std::int64_t v) { return std::to_string(v); }
std::string key(const Route& r) { return r.method + " " + r.path; }

json rect(double x, double y, double w, double h) {
  return {{"type", "Polygon"}, {"coordinates", {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}}}};
}
json square(double x, double y, double size) { return rect(x, y, size, size); }

bool matches(const std::string& pattern, const std::string& path) {
  std::regex re("^" + std::regex_replace(pattern, std::regex(R"(\{[^}]+\})"), "[^/]+") + "$");
  return std::regex_match(path, re);
}

// A response schema that says nothing: no type, no reference, no properties.
bool generic(const Schema& s) {
  const json& d = s.document();
  if (!d.is_object()) return true;
  if (d.contains("$ref") || d.contains("allOf")) return false;
  if (!d.contains("type")) return true;
  return d["type"] == "object" && d.value("properties", json::object()).empty() && !d.contains("additionalProperties");
}

json suitability_profile() {
  return {{"crop", "testcrop"},
          {"name_vi", "Cây thử"},
          {"method", "limiting"},
          {"commodity", "testcrop"},
          {"factors",
           {{{"layer", "elevation"}, {"type", "continuous"}, {"unit", "m a.s.l."}, {"S1", {{0, 500}}},
             {"S2", {{500, 600}}}, {"S3", {{600, 700}}}, {"source", "test"}},
            {{"layer", "soil"}, {"type", "categorical"}, {"S1", {1}}, {"S2", json::array()}, {"S3", {2}},
             {"legend", {{"1", "loam"}, {"2", "clay"}}}}}}};
}

json tea_policy() {
  return {{"code", "TEA"},        {"version", "2021-03-22"}, {"name_vi", "Hỗ trợ trồng mới chè"},
          {"content", "tea"},     {"item", "area"},          {"rate", 15000000},
          {"one_time", true},     {"requires", {{"controller", true}}},
          {"conditions", "claimed_ha >= 0.3"}, {"illustrative", true}};
}

}  // namespace

TEST(OpenApiConformance, EveryRouteDeclaresATypedResponse) {
  std::string problems;
  for (const auto& r : all_routes()) {
    if (!r.response.declared()) {
      problems += "  " + key(r) + ": no .response\n";
      continue;
    }
    if (r.success_status == 204) {
      if (!r.response.is_none()) problems += "  " + key(r) + ": a 204 carries no body (Schema::none())\n";
      continue;
    }
    if (r.response.is_none()) {
      problems += "  " + key(r) + ": Schema::none() on a " + s(r.success_status) + " route\n";
      continue;
    }
    if (r.response.content_type() == "application/json" || r.response.content_type().ends_with("+json")) {
      if (generic(r.response)) problems += "  " + key(r) + ": the generic object says nothing of the answer\n";
    } else if (r.response.document().value("format", "") != "binary") {
      problems += "  " + key(r) + ": " + r.response.content_type() + " should be a Schema::file\n";
    }
  }
  EXPECT_TRUE(problems.empty()) << "response schemas to write or fix:\n" << problems;
}

class OpenApiConformance : public ApiTest {
 protected:
  struct Ids {
    std::int64_t producer = 0, parcel = 0, parcel2 = 0, right = 0, planting = 0, zone = 0, observation = 0,
                 report = 0, application = 0, job = 0, contract = 0, facility = 0, investment = 0;
    std::int64_t area_code = 0;  // a growing-area code, issued, with a season
  } ids;

  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    build_world();
  }

  // Calls the route as `user`; when it answers its success status, checks the answer
  // against the route's declared schema (each mismatch names the route and the JSON
  // path) and counts the route as covered. Returns the reply.
  Reply ask(const std::string& method, const std::string& target, const std::string& user, const json& body = nullptr) {
    const Route* route = nullptr;
    const std::string path = target.substr(0, target.find('?'));
    for (const auto& r : routes)  // the first route that matches, as the router takes it
      if (!route && r.method == method && matches(r.path, path)) route = &r;
    Reply rep = call(method, target, user, body.is_null() ? "" : body.dump());
    if (!route) {
      ADD_FAILURE() << method << " " << target << ": no route";
      return rep;
    }
    const std::string who = method + " " + target + " as " + user;
    if (rep.status >= 200 && rep.status < 300 && rep.status != route->success_status)
      ADD_FAILURE() << who << ": answered " << rep.status << " where " << key(*route) << " declares " << route->success_status;
    if (rep.status != route->success_status) return rep;  // the caller checks the status
    covered.insert(key(*route));
    if (!route->response.declared()) {
      ADD_FAILURE() << key(*route) << " declares no response";
      return rep;
    }
    if (route->response.is_none()) {
      EXPECT_TRUE(rep.raw.body.empty()) << who;
      return rep;
    }
    const std::string media = media_type_of(rep.raw.content_type);
    auto alternatives = route->response.content_types();
    EXPECT_TRUE(std::find(alternatives.begin(), alternatives.end(), media) != alternatives.end())
        << who << ": answered " << media << ", which " << key(*route) << " does not declare";
    const json* schema = route->response.document_for(media);
    if (!schema || schema->value("format", "") == "binary") return rep;  // a file
    auto errors = testing_schema::validate(*schema, rep.body, components);
    std::string list;
    for (const auto& e : errors) list += "  " + e + "\n";
    EXPECT_TRUE(errors.empty()) << key(*route) << " (" << who << ") does not match its schema:\n" << list;
    return rep;
  }

  // Writes a record as `user`, checks the status and the answer, returns the answer.
  json made(const std::string& method, const std::string& target, const json& body, int status = 201,
            const std::string& user = "admin") {
    auto r = ask(method, target, user, body);
    EXPECT_EQ(r.status, status) << method << " " << target << " as " << user << ": " << r.body.dump().substr(0, 400);
    return r.body;
  }

  const std::vector<Route> routes = all_routes();
  const json components = openapi_document(routes)["components"]["schemas"];
  std::set<std::string> covered;

  void write_rasters() {
    rasters = std::filesystem::path(tdb->scratch_dir) / "rasters";
    std::filesystem::create_directories(rasters);
    geo::GeoTiffSpec spec;
    spec.x0 = 103.0, spec.y0 = 22.03, spec.dx = 0.001, spec.dy = -0.001;
    spec.width = spec.height = 40;
    spec.epsg = 4326;
    std::vector<float> e, soil;
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 40; ++c) e.push_back(10.0f + 20.0f * static_cast<float>(c)), soil.push_back(r < 20 ? 1.0f : 2.0f);
    ASSERT_TRUE(geo::write_geotiff(rasters / "elev.tif", spec, e).ok());
    spec.nodata = 0;
    ASSERT_TRUE(geo::write_geotiff(rasters / "soil.tif", spec, soil, true).ok());
  }

  void build_world() {
    // Registry: a producer holding two parcels of commune N1, one with tea planted
    // after a conversion from rice; a tea zone over them.
    ids.producer = made("POST", "/api/v1/producers",
                        {{"kind", "household"}, {"name", "Lò Văn Thử"}, {"unit_id", id("N1")}, {"ethnicity", "Thái"},
                         {"citizen_id", "011223344556"}, {"phone", "0912345678"}})
                       .value("id", std::int64_t{0});
    ids.parcel = made("POST", "/api/v1/parcels",
                      {{"external_id", "T-1"}, {"sheet_no", "12"}, {"parcel_no", "345"}, {"commune_id", id("N1")},
                       {"land_use_code", "LUC"}, {"valid_from", "2020-01-01"}, {"geometry", square(103.005, 22.005, 0.002)}})
                     .value("id", std::int64_t{0});
    // Idle land where the rasters say S1 for the test crop: candidate land.
    ids.parcel2 = made("POST", "/api/v1/parcels",
                       {{"external_id", "T-2"}, {"commune_id", id("N1")}, {"land_use_code", "BHK"}, {"state", "idle"},
                        {"valid_from", "2020-01-01"}, {"geometry", square(103.008, 22.02, 0.002)}})
                      .value("id", std::int64_t{0});
    ids.right = made("POST", "/api/v1/parcels/" + s(ids.parcel) + "/rights",
                     {{"producer_id", ids.producer}, {"kind", "owner"}, {"valid_from", "2020-01-01"}})
                    .value("id", std::int64_t{0});
    made("POST", "/api/v1/parcels/" + s(ids.parcel) + "/conversions",
         {{"from_use", "rice"}, {"to_crop", "tea"}, {"date", "2023-03-01"}, {"area_m2", 20000}, {"note", "thử"}});
    ids.planting = made("POST", "/api/v1/parcels/" + s(ids.parcel) + "/plantings",
                        {{"crop", "tea"}, {"variety", "Shan tuyết"}, {"perennial", true}, {"planted_year", 2023},
                         {"start_date", "2023-03-01"}, {"planted_area_m2", 20000}})
                       .value("id", std::int64_t{0});
    ids.zone = made("POST", "/api/v1/zones",
                    {{"code", "Z-TEA"}, {"name", "Vùng chè thử"}, {"commodity", "tea"}, {"unit_id", id("N1")},
                     {"planned_area_ha", 10}, {"period_from", "2021-01-01"}, {"period_to", "2025-12-31"},
                     {"geometry", square(103.004, 22.004, 0.008)}})
                   .value("id", std::int64_t{0});
    made("POST", "/api/v1/zones",
         {{"code", "Z-TEST"}, {"name", "Vùng cây thử"}, {"commodity", "testcrop"}, {"unit_id", id("N1")},
          {"geometry", square(103.006, 22.018, 0.006)}});
    // A parcel half over T-1: the topology check, run to its end, finds the overlap.
    made("POST", "/api/v1/parcels",
         {{"external_id", "T-7"}, {"commune_id", id("N1")}, {"valid_from", "2020-01-01"},
          {"geometry", square(103.006, 22.005, 0.002)}});
    ids.job = made("POST", "/api/v1/topology/checks", json::object(), 202).value("id", std::int64_t{0});
    app->jobs().wait_idle();

    // Targets: a programme with two indicators, a target, an approved observation
    // (four eyes: entered by the officer, approved by the province), a submitted one.
    made("POST", "/api/v1/programmes",
         {{"code", "T"}, {"name_vi", "Chương trình thử"}, {"start", "2021-01-01"}, {"end", "2025-12-31"},
          {"baseline_year", 2020}, {"milestones", {2025}}});
    for (const char* code : {"AREA", "NEWP"})
      made("POST", "/api/v1/programmes/T/indicators",
           {{"code", code}, {"name_vi", std::string("Chỉ tiêu ") + code}, {"measure_unit", "ha"},
            {"kind", std::string(code) == "AREA" ? "stock" : "flow"}, {"direction", "up"}});
    made("POST", "/api/v1/programmes/T/targets", {{"indicator", "AREA"}, {"unit_id", id("P")}, {"year", 2025}, {"value", 500}});
    ids.observation = made("POST", "/api/v1/programmes/T/observations",
                           {{"indicator", "AREA"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 120}}, 201, "n1o")
                          .value("id", std::int64_t{0});
    made("POST", "/api/v1/observations/" + s(ids.observation) + "/submit", nullptr, 200, "n1o");
    made("POST", "/api/v1/observations/" + s(ids.observation) + "/approve", nullptr, 200, "prov");
    auto waiting = made("POST", "/api/v1/programmes/T/observations",
                        {{"indicator", "NEWP"}, {"unit_id", id("N1")}, {"year", 2025}, {"value", 7}, {"note", "ước"}}, 201,
                        "n1o");
    const std::int64_t returned = waiting.value("id", std::int64_t{0});
    made("POST", "/api/v1/observations/" + s(returned) + "/submit", nullptr, 200, "n1o");
    made("POST", "/api/v1/observations/" + s(returned) + "/return", {{"reason", "thiếu số liệu xã"}}, 200, "prov");
    made("POST", "/api/v1/observations/" + s(returned) + "/submit", nullptr, 200, "n1o");
    json issued = made("POST", "/api/v1/programmes/T/reports", {{"milestone", 2025}, {"as_of", "2025-12-31"}, {"format", "json"}});
    if (issued.contains("issue")) ids.report = issued["issue"].value("id", std::int64_t{0});

    // Suitability: two raster layers, a profile, a run over the registry.
    write_rasters();
    made("POST", "/api/v1/suitability/layers",
         {{"name", "elevation"}, {"path", (rasters / "elev.tif").string()}, {"kind", "continuous"}});
    made("POST", "/api/v1/suitability/layers",
         {{"name", "soil"}, {"path", (rasters / "soil.tif").string()}, {"kind", "categorical"},
          {"codes", {{"1", "loam"}, {"2", "clay"}}}});
    made("POST", "/api/v1/suitability/profiles", {{"profile", suitability_profile()}});
    made("POST", "/api/v1/suitability/runs", {{"crop", "testcrop"}}, 200);

    // Support: a policy, an application taken to payment, a budget, a check run.
    made("POST", "/api/v1/support/policies", tea_policy());
    ids.application = made("POST", "/api/v1/support/applications",
                           {{"code", "HS-1"}, {"policy", "TEA"}, {"applicant_id", ids.producer}, {"filed", "2024-03-01"},
                            {"items", json::array({{{"parcel_id", ids.parcel}, {"quantity", 1.5}}})}})
                          .value("id", std::int64_t{0});
    const std::string steps = "/api/v1/support/applications/" + s(ids.application) + "/steps";
    made("POST", steps, {{"step", "verify"}}, 200, "n1o");
    made("POST", steps, {{"step", "appraise"}}, 200, "n1o");
    made("POST", steps, {{"step", "accept"}, {"date", "2024-10-01"}}, 200, "n1o");
    made("POST", steps, {{"step", "approve"}, {"amount", 15000000}}, 200, "prov");
    // A layer and a profile made only to be removed.
    made("POST", "/api/v1/suitability/layers",
         {{"name", "spare"}, {"path", (rasters / "elev.tif").string()}, {"kind", "continuous"}});
    made("DELETE", "/api/v1/suitability/layers/spare", nullptr, 204);
    json spare = suitability_profile();
    spare["crop"] = "sparecrop";
    made("POST", "/api/v1/suitability/profiles", {{"profile", spare}});
    made("DELETE", "/api/v1/suitability/profiles/sparecrop", nullptr, 204);
    // Two neighbouring parcels merged into one.
    const std::int64_t left = made("POST", "/api/v1/parcels",
                                   {{"external_id", "T-5"}, {"commune_id", id("N1")}, {"valid_from", "2020-01-01"},
                                    {"geometry", square(103.020, 22.020, 0.001)}})
                                  .value("id", std::int64_t{0});
    const std::int64_t right = made("POST", "/api/v1/parcels",
                                    {{"external_id", "T-6"}, {"commune_id", id("N1")}, {"valid_from", "2020-01-01"},
                                     {"geometry", square(103.021, 22.020, 0.001)}})
                                   .value("id", std::int64_t{0});
    made("POST", "/api/v1/parcels/merge", {{"parcel_ids", {left, right}}, {"date", "2025-01-01"}, {"external_id", "T-56"}});

    // A second application, for land its applicant does not hold: the check run finds it.
    made("POST", "/api/v1/support/applications",
         {{"code", "HS-2"}, {"policy", "TEA"}, {"applicant_id", ids.producer}, {"filed", "2024-04-01"},
          {"items", json::array({{{"parcel_id", ids.parcel2}, {"quantity", 9.5}}})}});
    made("PUT", "/api/v1/support/budget",
         {{"policy", "TEA"}, {"year", 2024}, {"funding_source", "provincial_budget"}, {"planned", 500000000}}, 200);
    made("POST", "/api/v1/support/checks", {{"year", 2024}});
    made("POST", "/api/v1/support/checks/jobs", {{"year", 2024}}, 202);
    app->jobs().wait_idle();

    // Diary: a product labelled for tea, a spray above its dose and a harvest too soon
    // after it (lot LOT-T held; the writes clear it).
    diary::ImportTable products, labels;
    products.headers = {"product", "name", "active_ingredients", "registered_from", "registered_to"};
    products.rows = {{2, {{"product", "ABA"}, {"name", "Abamectin"}, {"active_ingredients", "abamectin"},
                          {"registered_from", "2020-01-01"}, {"registered_to", ""}}}};
    labels.headers = {"product", "crop", "max_dose_per_ha", "phi_days"};
    labels.rows = {{2, {{"product", "ABA"}, {"crop", "tea"}, {"max_dose_per_ha", "0.3"}, {"phi_days", "7"}}}};
    EXPECT_TRUE(app->diary().import_products(identity::Actor::cli("test"), products, "test"));
    EXPECT_TRUE(app->diary().import_labels(identity::Actor::cli("test"), labels, "test"));
    made("POST", "/api/v1/diary/entries",
         {{"parcel_id", ids.parcel}, {"date", "2025-05-01"}, {"kind", "spray"}, {"product", "ABA"}, {"dose_per_ha", 0.5}},
         201, "n1o");
    made("POST", "/api/v1/diary/entries",
         {{"parcel_id", ids.parcel}, {"date", "2025-05-03"}, {"kind", "harvest"}, {"quantity_kg", 120}, {"lot", "LOT-T"}},
         201, "n1o");
    // Area codes: a growing area over a parcel of its own (≈ 1.14 ha of tea), and a packing house.
    const std::int64_t code_parcel = made("POST", "/api/v1/parcels",
                                          {{"external_id", "T-AC"}, {"commune_id", id("N1")}, {"valid_from", "2020-01-01"},
                                           {"geometry", square(103.030, 22.030, 0.001)}})
                                         .value("id", std::int64_t{0});
    ids.area_code = made("POST", "/api/v1/codes",
                         {{"kind", "area"}, {"holder", ids.producer}, {"crop", "tea"}, {"standard", "VietGAP"},
                          {"parcels", {code_parcel}}})
                        .value("id", std::int64_t{0});
    made("POST", "/api/v1/codes",
         {{"kind", "packing_house"}, {"holder", ids.producer}, {"facility", "Xưởng sơ chế"}, {"lon", 103.03}, {"lat", 22.03}});
    // Chains: a cooperative leading a contract over the test parcel and zone, a delivery
    // (and a refused offer), a buyer, an event, a facility drawing on the zone, a project.
    const std::int64_t coop = made("POST", "/api/v1/producers", {{"kind", "cooperative"}, {"name", "HTX Thử"}, {"unit_id", id("N1")}, {"tax_code", "6200000092"}})
                                  .value("id", std::int64_t{0});
    ids.contract = made("POST", "/api/v1/chains/contracts",
                        {{"code", "HD-1"}, {"lead_id", coop}, {"participant_ids", {ids.producer}}, {"commodity", "tea"},
                         {"start", "2024-10-01"}, {"end", "2025-09-30"}, {"committed_kg", 12000}, {"price_mechanism", "floor"},
                         {"documents", {"HĐ 01/2024"}}, {"parcel_ids", {ids.parcel}}, {"zone_ids", {ids.zone}}})
                       .value("id", std::int64_t{0});
    const std::string k = "/api/v1/chains/contracts/" + s(ids.contract);
    made("POST", k + "/deliveries", {{"participant_id", ids.producer}, {"date", "2025-03-01"}, {"quantity_kg", 800}});
    made("POST", k + "/deliveries",
         {{"participant_id", ids.producer}, {"date", "2025-04-01"}, {"quantity_kg", 0}, {"refused_kg", 200},
          {"epcis_event_id", "urn:uuid:6f1c0e2a-0000-4000-8000-000000000001"}});
    made("POST", k + "/buyers", {{"name", "Công ty Xuất khẩu Thử"}, {"market", "export"}, {"country", "JP"}});
    made("POST", k + "/events", {{"name", "Hội chợ nông sản"}, {"held_on", "2025-05-10"}, {"result", "2 hợp đồng"}});
    made("POST", k + "/documents",
         {{"file", {{"name", "HĐ 01-2024.pdf"}, {"media_type", "application/pdf"}, {"content_base64", "JVBERi0xLjQKJSVFT0YK"}}}});
    ids.facility = made("POST", "/api/v1/chains/facilities",
                        {{"code", "CS-1"}, {"name", "Xưởng chè Thử"}, {"operator_id", coop}, {"technology", "semi_mechanised"},
                         {"certifications", {"VietGAP"}}, {"longitude", 103.005}, {"latitude", 22.025},
                         {"capacities", {{{"commodity", "tea"}, {"product", "chè xanh"}, {"capacity_t_per_season", 50}}}},
                         {"zone_ids", {ids.zone}}})
                       .value("id", std::int64_t{0});
    ids.investment = made("POST", "/api/v1/chains/investments",
                          {{"code", "DA-1"}, {"name", "Nhà máy chè Thử"}, {"kind", "plant"}, {"status", "approved"},
                           {"unit_id", id("N1")}, {"land_ha", 2.5}, {"raw_material_t", 3000}})
                         .value("id", std::int64_t{0});
    // OCOP: a cooperative's product (imported: there is no route to create one), a
    // provincial evaluation of 92 (4★ and a proposal), a self-assessment, a finding and
    // the downgrade decided on it; a standard, a mark, certificates over the product.
    made("POST", "/api/v1/producers",
         {{"kind", "cooperative"}, {"name", "HTX Thử"}, {"external_id", "HTX-T"}, {"tax_code", "6200000009"}, {"unit_id", id("N1")}});
    support::ImportTable ocop_products;
    ocop_products.headers = {"product", "name", "subject", "group"};
    ocop_products.rows.push_back({2, {{"product", "OC-1"}, {"name", "Chè thử"}, {"subject", "HTX-T"}, {"group", "2"}}});
    ASSERT_TRUE(app->ocop().import_products(identity::Actor::cli("test"), ocop_products, "test").ok());
    made("POST", "/api/v1/ocop/products/OC-1/evaluations",
         {{"level", "province"}, {"date", "2024-02-29"}, {"part_a", 37}, {"part_b", 23}, {"part_c", 32}, {"decision", "1/QĐ"}}, 201);
    made("POST", "/api/v1/ocop/products/OC-1/evaluations",
         {{"level", "self"}, {"date", "2024-01-15"}, {"part_a", 30}, {"part_b", 20}, {"part_c", 25}}, 201);
    auto finding = made("POST", "/api/v1/ocop/products/OC-1/findings",
                        {{"kind", "complaint"}, {"date", "2025-01-10"}, {"detail", "Khiếu nại bao bì"}}, 201);
    made("POST", "/api/v1/ocop/products/OC-1/decisions",
         {{"kind", "downgraded"}, {"stars", 3}, {"date", "2025-02-01"}, {"reason", "Khiếu nại"},
          {"finding", finding["findings"][0]["id"]}},
         201);
    // A failed lab result of the certified product (it raises its finding) and the watch.
    made("POST", "/api/v1/ocop/lab-results",
         {{"sample", "KN-T1"}, {"product", "OC-1"}, {"lot", "L-T"}, {"laboratory", "Trung tâm thử"}, {"date", "2025-03-01"},
          {"parameter", "Chì (Pb)"}, {"category", "heavy_metal"}, {"value", 0.5}, {"unit", "mg/kg"}, {"limit", 0.3},
          {"standard", "QCVN 8-2:2011/BYT"}},
         201);
    made("POST", "/api/v1/ocop/watch", {{"on", "2025-06-01"}}, 200);
    made("POST", "/api/v1/ocop/watch/jobs", {{"on", "2025-06-02"}}, 202);
    app->jobs().wait_idle();
    made("POST", "/api/v1/standards", {{"code", "TCVN-T"}, {"kind", "vietgap"}, {"name", "VietGAP thử"}}, 200);
    made("POST", "/api/v1/marks", {{"code", "GI-T"}, {"kind", "geographical_indication"}, {"name", "Chỉ dẫn thử"},
                                   {"holder", "Sở"}, {"area", "Xã thử"}, {"granted", "2020-05-05"}},
         200);
    for (const char* code : {"VG-T", "VG-SPARE"})
      made("POST", "/api/v1/certificates",
           {{"code", code}, {"kind", "vietgap"}, {"holder", "HTX-T"}, {"issuer", "Tổ chức thử"},
            {"valid_from", "2024-01-01"}, {"valid_to", "2026-12-31"}, {"standard", "TCVN-T"}, {"mark", "GI-T"},
            {"scope", json::array({{{"kind", "product"}, {"target", "OC-1"}}, {{"kind", "parcel"}, {"target", "T-1"}}})}},
           200);
    // EPCIS: a GS1 example captured over the REST binding, and a refused document (its job has errors).
    std::ifstream example(std::filesystem::path(NONGSAN_DOCS_DIR) / ".." / "tests" / "data" / "epcis" /
                          "gs1-examples" / "Example_9.6.1-ObjectEvent.jsonld");
    json epcis_doc = json::parse(example);
    epcis_capture = made("POST", "/epcis/capture", epcis_doc, 202).value("captureID", "");
    epcis_doc["epcisBody"]["eventList"][0]["action"] = "SOMETIMES";
    epcis_refused = made("POST", "/epcis/capture", epcis_doc, 202).value("captureID", "");
  }
  std::string epcis_capture, epcis_refused;

  std::filesystem::path rasters;
};

TEST_P(OpenApiConformance, AnswersMatchTheirDeclaredSchemas) {
  const std::string n1 = s(id("N1"));
  const std::string app_path = "/api/v1/support/applications/" + s(ids.application);
  struct Ask {
    std::string method, target;
    json body = nullptr;  // null: no body
  };
  // Reads, as both users.
  const std::vector<Ask> reads = {
      {"GET", "/epcis/events"},
      {"GET", "/epcis/events?EQ_bizStep=shipping&perPage=1"},
      {"GET", "/epcis/capture"},
      {"GET", "/epcis/capture/" + epcis_capture},
      {"GET", "/epcis/capture/" + epcis_refused},
      {"GET", "/api/v1/producers"},
      {"GET", "/api/v1/producers?q=thu&unit_id=" + n1},
      {"GET", "/api/v1/producers/" + s(ids.producer)},
      {"GET", "/api/v1/parcels"},
      {"GET", "/api/v1/parcels?crop=coffee"},
      {"GET", "/api/v1/parcels/" + s(ids.parcel)},
      {"GET", "/api/v1/parcels/" + s(ids.parcel) + "?as_of=2019-01-01"},
      {"GET", "/api/v1/conversions"},
      {"GET", "/api/v1/conversions/summary"},
      {"GET", "/api/v1/land-use-codes"},
      {"GET", "/api/v1/zones"},
      {"GET", "/api/v1/zones/" + s(ids.zone)},
      {"GET", "/api/v1/zones/" + s(ids.zone) + "/measures"},
      {"GET", "/api/v1/map/parcels"},
      {"GET", "/api/v1/map/zones"},
      {"GET", "/api/v1/topology/findings"},
      {"GET", "/api/v1/map/topology"},
      {"GET", "/api/v1/jobs"},
      {"GET", "/api/v1/jobs/" + s(ids.job)},
      {"GET", "/api/v1/programmes"},
      {"GET", "/api/v1/programmes/T"},
      {"GET", "/api/v1/programmes/T/indicators"},
      {"GET", "/api/v1/programmes/T/indicators/AREA/records?year=2025"},
      {"GET", "/api/v1/programmes/T/indicators/AREA/map"},
      {"GET", "/api/v1/programmes/T/indicators/AREA/trend"},
      {"GET", "/api/v1/programmes/T/targets"},
      {"GET", "/api/v1/programmes/T/observations/flags"},
      {"GET", "/api/v1/programmes/T/observations"},
      {"GET", "/api/v1/programmes/T/approvals"},
      {"GET", "/api/v1/programmes/T/review?milestone=2025&as_of=2025-12-31"},
      {"GET", "/api/v1/programmes/T/review/document?milestone=2025&as_of=2025-12-31&format=json"},
      {"GET", "/api/v1/programmes/T/review/document?milestone=2025&as_of=2025-12-31&format=html"},
      {"GET", "/api/v1/programmes/T/review/document?milestone=2025&as_of=2025-12-31&format=xlsx"},
      {"GET", "/api/v1/observations/" + s(ids.observation)},
      {"GET", "/api/v1/reports"},
      {"GET", "/api/v1/reports/" + s(ids.report)},
      {"GET", "/api/v1/reports/" + s(ids.report) + "/verify"},
      {"GET", "/api/v1/suitability/profiles"},
      {"GET", "/api/v1/suitability/profiles/export"},
      {"GET", "/api/v1/suitability/profiles/testcrop"},
      {"GET", "/api/v1/suitability/profiles/testcrop/history"},
      {"GET", "/api/v1/suitability/layers"},
      {"GET", "/api/v1/suitability/runs"},
      {"GET", "/api/v1/suitability/parcels?crop=testcrop"},
      {"GET", "/api/v1/suitability/parcels?crop=testcrop&format=csv"},
      {"GET", "/api/v1/suitability/zones?crop=testcrop"},
      {"GET", "/api/v1/suitability/units?crop=testcrop"},
      {"GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&min_share=0"},
      {"GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&format=csv"},
      {"GET", "/api/v1/suitability/reports/candidate-land?classes=S1,S2,S3"},
      {"GET", "/api/v1/parcels/" + s(ids.parcel) + "/suitability"},
      {"GET", "/api/v1/suitability/testcrop/map"},
      {"GET", "/api/v1/suitability/testcrop/tiles/14/12878/7158.png"},
      {"GET", "/api/v1/suitability/testcrop/point?lon=103.005&lat=22.025"},
      {"GET", "/api/v1/support/policies"},
      {"GET", "/api/v1/support/policies/TEA"},
      {"GET", "/api/v1/support/applications"},
      {"GET", "/api/v1/support/applications?year=2024"},
      {"GET", app_path},
      {"GET", "/api/v1/support/queues?year=2024"},
      {"GET", "/api/v1/support/findings?year=2024"},
      {"GET", "/api/v1/support/findings?year=2024&geometry=true"},
      {"GET", "/api/v1/support/risk?year=2024"},
      {"GET", "/api/v1/support/sample?year=2024&share=50"},
      {"GET", "/api/v1/support/settings"},
      {"GET", "/api/v1/support/budget?year=2024"},
      {"GET", "/api/v1/diary/entries"},
      {"GET", "/api/v1/diary/entries?parcel_id=" + s(ids.parcel) + "&from=2025-01-01&to=2025-12-31&with_amended=true"},
      {"GET", "/api/v1/diary/findings?from=2025-01-01"},
      {"GET", "/api/v1/diary/products?date=2025-05-01"},
      {"GET", "/api/v1/diary/lots/LOT-T"},
      {"GET", "/api/v1/diary/lots/LOT-T/journey"},
      {"GET", "/api/v1/codes"},
      {"GET", "/api/v1/codes?status=issued&crop=tea&commune=" + n1},
      {"GET", "/api/v1/codes/map"},
      {"GET", "/api/v1/codes/crops"},
      {"GET", "/api/v1/codes/findings"},
      {"GET", "/api/v1/codes/" + s(ids.area_code)},
      {"GET", "/api/v1/chains/contracts?year=2025"},
      {"GET", "/api/v1/chains/contracts/" + s(ids.contract) + "?year=2025"},
      {"GET", "/api/v1/chains/contracts/" + s(ids.contract) + "/chain"},
      {"GET", "/api/v1/chains/linkage?year=2025&as_of=2025-06-30"},
      {"GET", "/api/v1/chains/facilities"},
      {"GET", "/api/v1/chains/facilities/" + s(ids.facility)},
      {"GET", "/api/v1/chains/supply"},
      {"GET", "/api/v1/chains/investments"},
      {"GET", "/api/v1/chains/settings"},
      {"GET", "/api/v1/chains/epcis-unmatched"},
      {"GET", "/api/v1/ocop/scoring"},
      {"GET", "/api/v1/ocop/status?on=2026-02-01"},
      {"GET", "/api/v1/ocop/calendar?from=2026-01-01&to=2027-12-31"},
      {"GET", "/api/v1/ocop/notices?on=2027-02-01"},
      {"GET", "/api/v1/ocop/findings"},
      {"GET", "/api/v1/ocop/products/OC-1?on=2025-06-01"},
      {"GET", "/api/v1/ocop/products/OC-1/dossier?on=2025-06-01"},
      {"GET", "/api/v1/ocop/lab-results?product=OC-1"},
      {"GET", "/api/v1/certificates?on=2026-12-15"},
      {"GET", "/api/v1/certificates/VG-T?on=2025-01-01"},
      {"GET", "/api/v1/certificate-coverage?kind=product&target=OC-1&on=2025-01-01"},
      {"GET", "/api/v1/standards"},
      {"GET", "/api/v1/marks"},
  };
  // Writes, as the administrator, in an order that keeps each one valid.
  const std::vector<Ask> writes = {
      {"PATCH", "/api/v1/producers/" + s(ids.producer), {{"address", "Bản Thử"}}},
      {"POST", "/api/v1/producers/" + s(ids.producer) + "/reveal", {{"field", "phone"}}},
      {"PATCH", "/api/v1/parcels/" + s(ids.parcel2), {{"land_use_code", "CLN"}}},
      {"PATCH", "/api/v1/zones/" + s(ids.zone), {{"name", "Vùng chè thử (sửa)"}}},
      {"POST", "/api/v1/plantings/" + s(ids.planting) + "/end", {{"end_date", "2025-12-31"}}},
      {"POST", "/api/v1/rights/" + s(ids.right) + "/end", {{"valid_to", "2025-12-31"}}},
      {"POST", "/api/v1/parcels/" + s(ids.parcel2) + "/split",
       {{"date", "2026-01-01"},
        {"parts", {{{"external_id", "T-2a"}, {"geometry", rect(103.008, 22.02, 0.001, 0.002)}},
                   {{"external_id", "T-2b"}, {"geometry", rect(103.009, 22.02, 0.001, 0.002)}}}}}},
      {"PATCH", "/api/v1/programmes/T", {{"name_en", "Test programme"}}},
      {"PATCH", "/api/v1/programmes/T/indicators/NEWP", {{"illustrative", true}}},
      {"POST", "/api/v1/observations/" + s(ids.observation) + "/unlock", {{"reason", "sai đơn vị tính"}}},
      {"PATCH", "/api/v1/observations/" + s(ids.observation), {{"note", "sửa sau khi mở khoá"}}},
      {"POST", "/api/v1/suitability/profiles/import", {{"profiles", {suitability_profile()}}}},
      {"PUT", "/api/v1/suitability/profiles/testcrop", {{"profile", suitability_profile()}, {"note", "lại"}}},
      {"POST", "/api/v1/suitability/evaluate-area", {{"profile", suitability_profile()}, {"bbox", {103.0, 21.99, 103.04, 22.03}}}},
      {"POST", "/api/v1/support/policies/check", tea_policy()},
      {"POST", "/api/v1/support/policies/preview?year=2024", tea_policy()},
      {"POST", app_path + "/steps", {{"step", "pay"}, {"date", "2024-11-01"}}},
      {"POST", app_path + "/payments", {{"date", "2024-12-01"}, {"amount", 1000000}, {"kind", "recovery"}}},
      {"PATCH", "/api/v1/support/settings", {{"tolerance_pct", 5}}},
      {"POST", "/api/v1/diary/lots/LOT-T/clear", {{"reason", "mẫu dư lượng đạt"}}},
      {"POST", "/api/v1/codes/" + s(ids.area_code) + "/steps",
       {{"action", "issue"}, {"reason", "đủ điều kiện"}, {"decision_no", "1/QĐ"}, {"decision_date", "2025-08-01"}}},
      {"PUT", "/api/v1/codes/" + s(ids.area_code) + "/seasons",
       {{"season", "2025"}, {"area_ha", 2.0}, {"expected_kg", 1000}, {"harvest_from", "2025-03-01"},
        {"harvest_to", "2025-11-30"}, {"actual_kg", nullptr}}},
      {"POST", "/api/v1/codes/check", nullptr},
      {"PUT", "/api/v1/chains/contracts/" + s(ids.contract),
       {{"code", "HD-1"}, {"lead_id", ask("GET", "/api/v1/chains/contracts/" + s(ids.contract), "admin").body["lead"]["id"]},
        {"participant_ids", {ids.producer}}, {"commodity", "tea"}, {"start", "2024-10-01"}, {"end", "2025-09-30"},
        {"committed_kg", 12500}}},
      {"PUT", "/api/v1/chains/facilities/" + s(ids.facility),
       {{"code", "CS-1"}, {"name", "Xưởng chè Thử"}, {"technology", "automated"}, {"unit_id", id("N1")}}},
      {"PUT", "/api/v1/chains/investments/" + s(ids.investment),
       {{"code", "DA-1"}, {"name", "Nhà máy chè Thử"}, {"kind", "plant"}, {"status", "under_construction"}}},
      {"PATCH", "/api/v1/chains/settings", {{"behind_pct", 75}}},
      {"DELETE", "/api/v1/certificates/VG-SPARE"},
  };

  // The world holds what the optional parts of the schemas describe.
  EXPECT_GT(call("GET", "/api/v1/support/findings?year=2024", "admin").body["items"].size(), 0u);
  auto topology = call("GET", "/api/v1/topology/findings", "admin");
  EXPECT_GT(topology.body["items"].size(), 0u) << topology.body.dump();
  EXPECT_GT(topology.body["last_checks"].size(), 0u) << topology.body.dump();
  EXPECT_GT(call("GET", "/api/v1/suitability/reports/candidate-land?classes=S1,S2,S3", "admin").body["parcels"].size(), 0u);
  EXPECT_GT(call("GET", "/api/v1/suitability/zones?crop=testcrop", "admin").body["items"].size(), 0u);

  auto check = [&](const Ask& a, const std::string& user) {
    Reply rep = ask(a.method, a.target, user, a.body);
    if (user != "admin" && (rep.status == 403 || rep.status == 404)) return;  // the matrix test checks who may
    EXPECT_LT(rep.status, 300) << a.method << " " << a.target << " as " << user << ": " << rep.body.dump().substr(0, 400);
  };

  for (const auto& a : reads) {
    check(a, "admin");
    check(a, "n1o");
  }
  for (const auto& a : writes) check(a, "admin");

  // Traceability, once the writes cleared LOT-T (a held lot has no label): the public
  // Digital Link page (no login) and the label routes, with an illustrative GTIN.
  ASSERT_TRUE(app->trace().set_gtin(identity::Actor::cli("test"), "8930000000019", "tea", "Chè thử", "Test tea", true));
  for (const std::string user : {"admin", "n1o"}) {
    check({"GET", "/api/v1/trace/gtins"}, user);
    check({"GET", "/api/v1/trace/label?gtin=8930000000019&lot=LOT-T"}, user);
    check({"GET", "/api/v1/trace/qr.svg?gtin=8930000000019&lot=LOT-T"}, user);
    check({"GET", "/01/08930000000019/10/LOT-T?lang=en"}, user);
  }

  // Inspections: one by hand on T-1, a device's sync (an inspection, a finding, a photo),
  // a conflict resolved, the officer's pages and a decision on the finding.
  {
    const auto ins = made("POST", "/api/v1/inspections",
                          {{"subject_kind", "parcel"}, {"subject_ref", "T-1"}, {"checklist_kind", "registry"},
                           {"inspector", "insp"}});
    const std::string code = ins.value("code", "");
    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "data";
    made("POST", "/api/field/sync",
         {{"device_id", "d-1"},
          {"items", {{{"kind", "inspection"}, {"code", code}, {"base_version", 1}, {"device_time", "2026-03-01T08:00:00Z"},
                      {"fields", {{"status", "open"}, {"measured_geojson", square(103.005, 22.005, 0.002)},
                                  {"measured_area_m2", 40000}}}},
                     {{"kind", "inspection"}, {"code", code}, {"base_version", 1}, {"device_time", "2026-03-01T08:01:00Z"},
                      {"fields", {{"notes", "stale"}}}},
                     {{"kind", "finding"}, {"inspection", code}, {"client_id", "cf-1"}, {"device_time", "2026-03-01T08:02:00Z"},
                      {"fields", {{"kind", "boundary_wrong"}, {"subject_kind", "parcel"}, {"subject_ref", "T-1"},
                                  {"recorded_at", "2026-03-01T08:02:00Z"}}}},
                     {{"kind", "photo"}, {"inspection", code}, {"client_id", "cp-1"}, {"device_time", "2026-03-01T08:03:00Z"},
                      {"taken_at", "2026-03-01T08:03:00Z"}, {"mime", "image/png"}, {"data_base64", base64_encode(png)}},
                     {{"kind", "photo"}, {"inspection", code}, {"client_id", "cp-2"}, {"device_time", "2026-03-01T08:03:00Z"},
                      {"taken_at", "2026-03-01T08:03:00Z"}, {"mime", "image/jpeg"}, {"data_base64", base64_encode(png)}}}}},
         200, "insp");
    made("POST", "/api/field/inspections/" + code + "/resolve",
         {{"base_version", 2}, {"device_time", "2026-03-01T09:00:00Z"}, {"fields", {{"notes", "merged"}}}}, 200, "insp");
    for (const std::string user : {"admin", "n1o", "insp"}) {
      check({"GET", "/api/field/assignments"}, user);
      check({"GET", "/api/field/photos/cp-1"}, user);
      check({"GET", "/api/v1/inspections"}, user);
      check({"GET", "/api/v1/inspections?status=open"}, user);
      check({"GET", "/api/v1/inspections/" + code}, user);
      check({"GET", "/api/v1/inspection-decisions?target=parcel:T-1"}, user);
    }
    const auto detail = ask("GET", "/api/v1/inspections/" + code, "admin");
    const std::int64_t finding = detail.body["findings"][0].value("id", std::int64_t{0});
    made("POST", "/api/v1/inspections/findings/" + s(finding) + "/decisions",
         {{"action", "dismiss"}, {"reason", "Sai số đo trong giới hạn"}});
    check({"GET", "/api/v1/inspection-decisions?target=parcel:T-1"}, "admin");
  }
  // Inspection planning (docs/inspection.md): weights, a plan over the support world of
  // 2024 (the producer has no external id: its key is '#id'), the registry-quality sample.
  {
    made("PUT", "/api/v1/inspection/weights",
         {{"items", {{{"subject_kind", "applicant"}, {"part", "claim_risk"}, {"weight", 2}}}}}, 200);
    const std::string producer_ref = "%23" + s(ids.producer);
    for (const std::string user : {"admin", "n1o"}) {
      check({"GET", "/api/v1/inspection/weights"}, user);
      check({"GET", "/api/v1/inspection/risk?year=2024&kind=applicant&ref=" + producer_ref}, user);
      check({"GET", "/api/v1/inspection/risk?year=2024&kind=parcel&ref=T-1"}, user);
    }
    check({"GET", "/api/v1/inspection/plans/preview?year=2024&share=100&risk_share=0.5&seed=3"}, "admin");
    auto plan = made("POST", "/api/v1/inspection/plans", {{"year", 2024}, {"share", 100}, {"risk_share", 0.5}, {"seed", 3}});
    EXPECT_GT(plan["items"].size(), 0u) << plan.dump();
    made("POST", "/api/v1/inspection/quality/sample", {{"year", 2025}, {"size", 2}, {"seed", 4}});
    for (const std::string user : {"admin", "n1o"}) {
      check({"GET", "/api/v1/inspection/plans?year=2024"}, user);
      check({"GET", "/api/v1/inspection/plans/" + plan.value("code", std::string())}, user);
      check({"GET", "/api/v1/inspection/quality?year=2025"}, user);
    }
  }
  // The committee's conclusions (a draft of programme T, edited, rendered, registered)
  // and the public portal without login.
  {
    const auto d = made("POST", "/api/v1/conclusions", {{"programme", "T"}, {"as_of", "2025-06-30"}});
    const std::string c = "/api/v1/conclusions/" + s(d.value("id", std::int64_t{0}));
    check({"GET", "/api/v1/conclusions?programme=T"}, "admin");
    check({"GET", c}, "admin");
    made("PATCH", c, {{"paragraph", "results.1"}, {"text", "Đoạn văn đã sửa."}, {"base_version", 1}}, 200);
    for (const char* f : {"html", "pdf", "docx"}) check({"GET", c + "/document?format=" + f}, "admin");
    made("POST", c + "/register", {{"format", "html"}});
    for (const char* p : {"/cong-khai?programme=T", "/api/v1/public/progress?programme=T", "/api/v1/public/progress.csv?programme=T",
                          "/api/v1/public/zones.geojson", "/api/v1/public/growing-areas.geojson", "/api/v1/public/ocop",
                          "/api/v1/public/ocop.csv"})
      check({"GET", p}, "");
  }

  // The chains' deletes, last: a spare delivery, buyer, event, contract, facility, project.
  {
    const std::string k = "/api/v1/chains/contracts/" + s(ids.contract);
    const auto d = made("POST", k + "/deliveries", {{"participant_id", ids.producer}, {"date", "2025-05-01"}, {"quantity_kg", 1}});
    made("DELETE", k + "/deliveries/" + s(d.value("id", std::int64_t{0})), nullptr, 204);
    const auto b = made("POST", k + "/buyers", {{"name", "Tạm"}, {"market", "domestic"}});
    made("DELETE", k + "/buyers/" + s(b.value("id", std::int64_t{0})), nullptr, 204);
    const auto e = made("POST", k + "/events", {{"name", "Tạm"}, {"held_on", "2025-06-01"}});
    made("DELETE", k + "/events/" + s(e.value("id", std::int64_t{0})), nullptr, 204);
    const auto doc = made("GET", k + "/documents", nullptr, 200);
    check({"GET", k + "/documents/" + s(doc.at(0).value("id", std::int64_t{0}))}, "admin");
    made("DELETE", k + "/documents/" + s(doc.at(0).value("id", std::int64_t{0})), nullptr, 204);
    made("DELETE", "/api/v1/chains/investments/" + s(ids.investment), nullptr, 204);
    made("DELETE", "/api/v1/chains/facilities/" + s(ids.facility), nullptr, 204);
    made("DELETE", k, nullptr, 204);
  }

  // Every GET route was called; the writes that built the world were checked too.
  // Every route was called and its answer checked, but those of the areas
  // openapi_api_test.cpp covers (system, auth, units, figures, users, audit).
  std::string missed;
  static const std::regex other_test("^/api/(health|openapi\\.json|v1/(map/)?(units|figures|users|audit|auth)(/|$))");
  for (const auto& r : routes)
    if (!covered.count(key(r)) && !std::regex_search(r.path, other_test)) missed += "  " + key(r) + "\n";
  EXPECT_TRUE(missed.empty()) << "routes the conformance test does not call:\n" << missed;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, OpenApiConformance, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, OpenApiConformance, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
