// Land suitability, planning side, through the API on SQLite and PostgreSQL:
// permissions, profile import with JSON-path errors (all or nothing) and history,
// raster layers on mixed grids and CRSs, the point route against the engine's
// evaluate_cell on the raster values, runs over parcels and zones, the reports,
// evaluate-area with an unsaved profile, and tiles.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "api/api_fixture.hpp"
#include "geo/grid_image.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/suitability_repository.hpp"

namespace nongsan::api {

namespace {

std::string s(std::int64_t v) { return std::to_string(v); }
json square(double x, double y, double size) {
  return {{"type", "Polygon"}, {"coordinates", {{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}}}};
}

// Elevation grid in EPSG:4326: 40 × 40 cells of 0.001° from (103.0, 22.03) down,
// inside commune N1 (parcels must lie in their commune: docs/rules.md §5);
// elevation rises 20 m per column: < 500 m (S1) west of column 25.
constexpr double kX0 = 103.0, kY0 = 22.03, kCell = 0.001;
constexpr int kSize = 40;
float elevation_at(int col, int /*row*/) { return 10.0f + 20.0f * static_cast<float>(col); }
// Soil codes (categorical): 1 in the north half, 2 in the south half.
float soil_at(int /*col*/, int row) { return row < 20 ? 1.0f : 2.0f; }

json rect(double x, double y, double w, double hgt) {
  return {{"type", "Polygon"}, {"coordinates", {{{x, y}, {x + w, y}, {x + w, y + hgt}, {x, y + hgt}, {x, y}}}}};
}

json test_profile() {
  return {{"crop", "testcrop"},
          {"name_vi", "Cây thử"},
          {"method", "limiting"},
          {"commodity", "testcrop"},
          {"factors",
           {{{"layer", "elevation"}, {"type", "continuous"}, {"unit", "m a.s.l."}, {"unit_vi", "m so với mực nước biển"},
             {"S1", {{0, 500}}}, {"S2", {{500, 600}}},
             {"S3", {{600, 700}}}, {"source", "test"}},
            {{"layer", "soil"}, {"type", "categorical"}, {"S1", {1}}, {"S2", json::array()}, {"S3", {2}},
             {"legend", {{"1", "loam"}, {"2", "clay"}}}, {"legend_vi", {{"1", "đất thịt"}, {"2", "đất sét"}}}}}}};
}

}  // namespace

class SuitabilityApi : public ApiTest {
 protected:
  void write_rasters() {
    rasters = std::filesystem::path(tdb->scratch_dir) / "rasters";
    std::filesystem::create_directories(rasters);
    geo::GeoTiffSpec spec;
    spec.x0 = kX0, spec.y0 = kY0, spec.dx = kCell, spec.dy = -kCell;
    spec.width = spec.height = kSize;
    spec.epsg = 4326;
    std::vector<float> e, soil;
    for (int r = 0; r < kSize; ++r)
      for (int c = 0; c < kSize; ++c) e.push_back(elevation_at(c, r)), soil.push_back(soil_at(c, r));
    ASSERT_TRUE(geo::write_geotiff(rasters / "elev.tif", spec, e).ok());
    spec.nodata = 0;
    ASSERT_TRUE(geo::write_geotiff(rasters / "soil.tif", spec, soil, true).ok());
  }
  void setup_layers_and_profile() {
    write_rasters();
    auto l1 = call_json("POST", "/api/v1/suitability/layers", "prov",
                        {{"name", "elevation"}, {"path", (rasters / "elev.tif").string()}, {"kind", "continuous"}});
    ASSERT_EQ(l1.status, 201) << l1.body.dump();
    auto l2 = call_json("POST", "/api/v1/suitability/layers", "prov",
                        {{"name", "soil"}, {"path", (rasters / "soil.tif").string()}, {"kind", "categorical"},
                         {"codes", {{"1", "loam"}, {"2", "clay"}}}});
    ASSERT_EQ(l2.status, 201) << l2.body.dump();
    auto p = call_json("POST", "/api/v1/suitability/profiles", "prov", {{"profile", test_profile()}});
    ASSERT_EQ(p.status, 201) << p.body.dump();
  }
  std::int64_t parcel(const std::string& ext, double x, double y, double size, const std::string& state = "in_use") {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id("N1")}, {"land_use_code", "LUC"}, {"state", state},
                        {"valid_from", "2025-07-01"}, {"geometry", square(x, y, size)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::filesystem::path rasters;
};

TEST_P(SuitabilityApi, PlannersEditOthersReadAndImportsAreAllOrNothing) {
  // Everyone signed in reads; only the province officer and the admin write.
  EXPECT_EQ(call("GET", "/api/v1/suitability/profiles", "insp").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/suitability/profiles").status, 401);
  EXPECT_EQ(call_json("POST", "/api/v1/suitability/profiles/import", "insp", {{"profiles", {test_profile()}}}).status, 403);
  EXPECT_EQ(call_json("POST", "/api/v1/suitability/profiles/import", "n1o", {{"profiles", {test_profile()}}}).status, 403);
  // A broken second profile: the error names its JSON path and nothing is stored.
  json broken = test_profile();
  broken["crop"] = "other";
  broken["factors"][0]["S1"] = {{500, 0}};
  auto r = call_json("POST", "/api/v1/suitability/profiles/import", "prov", {{"profiles", {test_profile(), broken}}});
  ASSERT_EQ(r.status, 400) << r.body.dump();
  EXPECT_EQ(r.body["errors"][0]["field"].get<std::string>().rfind("[1].factors[0].S1", 0), 0u) << r.body.dump();
  EXPECT_EQ(count("crop_profile"), 0);
  // Imported, then edited: the history keeps both versions.
  ASSERT_EQ(call_json("POST", "/api/v1/suitability/profiles/import", "prov", {{"profiles", {test_profile()}}}).status, 200);
  json edited = test_profile();
  edited["factors"][0]["S1"] = {{0, 400}};
  auto put = call_json("PUT", "/api/v1/suitability/profiles/testcrop", "admin", {{"profile", edited}, {"note", "lower"}});
  ASSERT_EQ(put.status, 200) << put.body.dump();
  EXPECT_EQ(put.body["version"], 2);
  auto hist = call("GET", "/api/v1/suitability/profiles/testcrop/history", "insp");
  ASSERT_EQ(hist.body["items"].size(), 2u);
  EXPECT_EQ(hist.body["items"][0]["note"], "lower");
  // The unsourced factor (soil) is flagged.
  auto got = call("GET", "/api/v1/suitability/profiles/testcrop", "insp");
  EXPECT_EQ(got.body["sourced"], false);
  EXPECT_EQ(got.body["unsourced_factors"][0], "soil");
  EXPECT_EQ(call_json("PUT", "/api/v1/suitability/profiles/testcrop", "insp", {{"profile", edited}}).status, 403);
}

TEST_P(SuitabilityApi, BrokenRastersGetClearErrors) {
  write_rasters();
  auto missing = call_json("POST", "/api/v1/suitability/layers", "prov",
                           {{"name", "elevation"}, {"path", "/nonexistent/elev.tif"}, {"kind", "continuous"}});
  ASSERT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["errors"][0]["field"], "path");
  std::filesystem::path junk = rasters / "junk.tif";
  { std::ofstream(junk) << "not a raster"; }
  auto bad = call_json("POST", "/api/v1/suitability/layers", "prov",
                       {{"name", "elevation"}, {"path", junk.string()}, {"kind", "continuous"}});
  EXPECT_EQ(bad.status, 400);
  // A categorical layer needs integer codes.
  auto cat = call_json("POST", "/api/v1/suitability/layers", "prov",
                       {{"name", "soil"}, {"path", (rasters / "elev.tif").string()}, {"kind", "categorical"}});
  ASSERT_EQ(cat.status, 400);
  EXPECT_EQ(cat.body["errors"][0]["field"], "kind");
  EXPECT_EQ(count("raster_layer"), 0);
  // A profile whose layer is not registered: the run names the factor.
  ASSERT_EQ(call_json("POST", "/api/v1/suitability/profiles", "prov", {{"profile", test_profile()}}).status, 201);
  auto run = call_json("POST", "/api/v1/suitability/runs", "prov", {{"crop", "testcrop"}});
  ASSERT_EQ(run.status, 400);
  EXPECT_EQ(run.body["errors"][0]["field"], "factors[0].layer");
}

TEST_P(SuitabilityApi, PointRouteEqualsEvaluateCellOnTheRasterValues) {
  setup_layers_and_profile();
  auto profile = suitability::parse_crop_profile(test_profile());
  ASSERT_TRUE(profile.ok());
  for (auto [col, row] : std::vector<std::pair<int, int>>{{3, 5}, {24, 10}, {25, 30}, {28, 2}, {33, 39}, {39, 21}}) {
    double lon = kX0 + (col + 0.5) * kCell, lat = kY0 - (row + 0.5) * kCell;
    auto r = call("GET", "/api/v1/suitability/testcrop/point?lon=" + std::to_string(lon) + "&lat=" + std::to_string(lat),
                  "insp");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    std::vector<double> values = {elevation_at(col, row), soil_at(col, row)};
    auto cell = suitability::evaluate_cell(*profile, profile->method, values);
    EXPECT_EQ(r.body["class"], std::string(suitability::class_name(cell.cls))) << col << "," << row;
    EXPECT_EQ(r.body["factors"][0]["value"].get<double>(), values[0]);
    EXPECT_EQ(r.body["factors"][1]["label"], values[1] == 1 ? "loam" : "clay");
    // Units and categories in Vietnamese beside the researched English (the UI shows them first).
    EXPECT_EQ(r.body["factors"][1]["label_vi"], values[1] == 1 ? "đất thịt" : "đất sét");
    EXPECT_EQ(r.body["factors"][0]["unit"], "m a.s.l.");
    EXPECT_EQ(r.body["factors"][0]["unit_vi"], "m so với mực nước biển");
    EXPECT_EQ(r.body["factors"][0]["class"], std::string(suitability::class_name(cell.factors[0].cls)));
    if (cell.limiting > 0)
      EXPECT_EQ(r.body["limiting_factor"], profile->factors[static_cast<std::size_t>(cell.limiting - 1)].layer);
    else
      EXPECT_TRUE(r.body["limiting_factor"].is_null());
  }
  // Registering the elevation derived its slope (degrees): 20 m per 0.001° (~103 m) east.
  auto layers = call("GET", "/api/v1/suitability/layers", "insp");
  json slope;
  for (const auto& l : layers.body["items"])
    if (l["name"] == "slope") slope = l;
  ASSERT_TRUE(slope.is_object()) << layers.body.dump();
  EXPECT_EQ(slope["derived_from"], "elevation");
  EXPECT_EQ(slope["file"]["ok"], true);
  auto outside = call("GET", "/api/v1/suitability/testcrop/point?lon=105&lat=10", "insp");
  EXPECT_EQ(outside.body["inside"], false);
  auto tile = call("GET", "/api/v1/suitability/testcrop/tiles/14/12878/7158.png", "insp");
  EXPECT_EQ(tile.status, 200);
  EXPECT_EQ(tile.raw.content_type, "image/png");
  EXPECT_EQ(tile.raw.body.substr(1, 3), "PNG");
}

TEST_P(SuitabilityApi, RunsGiveHectaresByClassAndTheReports) {
  setup_layers_and_profile();
  // Parcel A: columns 5–9, rows 2–6 → elevation < 500 (S1), soil 1 (S1): all S1.
  auto a = parcel("A", kX0 + 5 * kCell, kY0 - 7 * kCell, 5 * kCell);
  // Parcel B (idle): columns 30–34, rows 22–26 → elevation 610–690 (S3), soil 2 (S3).
  auto b = parcel("B", kX0 + 30 * kCell, kY0 - 27 * kCell, 5 * kCell, "idle");
  // Parcel C (idle): columns 10–14, rows 10–14: S1.
  parcel("C", kX0 + 10 * kCell, kY0 - 15 * kCell, 5 * kCell, "idle");
  // A zone for the crop over the east half (columns 20–39, rows 0–39): elevation from 410 m.
  auto z = call_json("POST", "/api/v1/zones", "prov",
                     {{"code", "VSX-T"}, {"name", "Vùng thử"}, {"commodity", "testcrop"}, {"unit_id", id("N1")},
                      {"geometry", rect(kX0 + 20 * kCell, kY0 - 40 * kCell, 20 * kCell, 40 * kCell)}});
  ASSERT_EQ(z.status, 201) << z.body.dump();
  EXPECT_EQ(call_json("POST", "/api/v1/suitability/runs", "insp", {{"crop", "testcrop"}}).status, 403);
  auto run = call_json("POST", "/api/v1/suitability/runs", "prov", {{"crop", "testcrop"}});
  ASSERT_EQ(run.status, 200) << run.body.dump();
  EXPECT_EQ(run.body["runs"][0]["parcels"], 3);
  EXPECT_EQ(run.body["runs"][0]["zones"], 1);

  auto parcels = call("GET", "/api/v1/suitability/parcels?crop=testcrop", "insp");
  ASSERT_EQ(parcels.status, 200);
  std::map<std::string, json> by;
  for (const auto& p : parcels.body["items"]) by[p["parcel"]] = p;
  EXPECT_EQ(by["A"]["dominant_class"], "S1");
  EXPECT_EQ(by["A"]["S2_ha"], "0.00");
  EXPECT_EQ(by["B"]["dominant_class"], "S3");
  EXPECT_EQ(by["B"]["limiting_factor"], "elevation");  // the first factor with the worst class
  // The hectares of a parcel add up to its area (exact cell shares).
  double total = 0;
  for (const char* c : {"S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha"}) total += std::stod(by["A"][c].get<std::string>());
  auto pa = call("GET", "/api/v1/parcels/" + s(a), "prov");
  EXPECT_NEAR(total, pa.body["area_m2"].get<double>() / 1e4, 0.011);
  (void)b;

  // The zone: in the north half (soil 1) columns 20–24 S1, 25–29 S2, 30–34 S3, 35–39 N; the
  // south half (soil 2) is S3 or N throughout: 30 of 40 column-halves are S3/N.
  auto zone = call("GET", "/api/v1/suitability/zones?crop=testcrop", "insp");
  ASSERT_EQ(zone.body["items"].size(), 1u);
  double share = std::stod(zone.body["items"][0]["S3_N_share"].get<std::string>());
  EXPECT_NEAR(share, 0.75, 0.02) << zone.body.dump();
  EXPECT_GT(share, 0.3);
  auto rep = call("GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&min_share=0.3", "insp");
  ASSERT_EQ(rep.body["items"].size(), 1u);
  EXPECT_NE(rep.body["items"][0]["limiting_factors"].get<std::string>().find("elevation"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&min_share=0.99", "insp")
                .body["items"].size(),
            0u);
  auto csv = call("GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&format=csv", "insp");
  EXPECT_NE(csv.raw.content_type.find("text/csv"), std::string::npos);
  EXPECT_NE(csv.raw.body.find("VSX-T"), std::string::npos);
  auto gpkg = call("GET", "/api/v1/suitability/reports/zone-suitability?crop=testcrop&format=gpkg", "insp");
  EXPECT_EQ(gpkg.status, 200);
  EXPECT_EQ(gpkg.raw.body.substr(0, 15), "SQLite format 3");

  // Candidate land: the idle S1 parcel C, not B (S3) nor A (in use).
  auto cand = call("GET", "/api/v1/suitability/reports/candidate-land", "insp");
  ASSERT_EQ(cand.status, 200) << cand.body.dump();
  ASSERT_EQ(cand.body["parcels"].size(), 1u);
  EXPECT_EQ(cand.body["parcels"][0]["parcel"], "C");
  EXPECT_EQ(cand.body["totals"][0]["parcels"], "1");
  // With S3 as well, B joins.
  EXPECT_EQ(call("GET", "/api/v1/suitability/reports/candidate-land?classes=S1,S2,S3", "insp").body["parcels"].size(), 2u);
  EXPECT_EQ(call("GET", "/api/v1/suitability/reports/candidate-land?classes=S5", "insp").status, 400);

  // Per unit: N1 and its parents.
  auto units = call("GET", "/api/v1/suitability/units?crop=testcrop", "insp");
  ASSERT_GE(units.body["items"].size(), 2u);
}

TEST_P(SuitabilityApi, EvaluateAreaWithAnUnsavedProfile) {
  setup_layers_and_profile();
  json bbox = {kX0 + 0.0005, kY0 - 0.0395, kX0 + 0.0395, kY0 - 0.0005};
  auto r = call_json("POST", "/api/v1/suitability/evaluate-area", "insp", {{"profile", test_profile()}, {"bbox", bbox}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  double s1 = r.body["hectares"]["S1"].get<double>();
  EXPECT_GT(s1, 0);
  EXPECT_EQ(r.body["image"].get<std::string>().rfind("data:image/png;base64,", 0), 0u);
  // Everything S1 below 900 m and any soil S1: more S1.
  json wider = test_profile();
  wider["factors"][0]["S1"] = {{0, 900}};
  wider["factors"][1]["S1"] = {1, 2};
  wider["factors"][1]["S3"] = json::array();
  auto r2 = call_json("POST", "/api/v1/suitability/evaluate-area", "insp", {{"profile", wider}, {"bbox", bbox}});
  ASSERT_EQ(r2.status, 200);
  EXPECT_GT(r2.body["hectares"]["S1"].get<double>(), s1 * 1.5);
  // Nothing was saved.
  EXPECT_EQ(call("GET", "/api/v1/suitability/profiles/testcrop", "insp").body["version"], 1);
  // A broken edit: the error names the path inside `profile`.
  json broken = test_profile();
  broken["method"] = "median";
  auto bad = call_json("POST", "/api/v1/suitability/evaluate-area", "insp", {{"profile", broken}, {"bbox", bbox}});
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["errors"][0]["field"], "profile.method");
}

// The error body without the request id: what tells one refusal from another.
std::string refusal(const Reply& r) {
  json b = r.body;
  b.erase("request_id");
  return b.dump();
}

TEST_P(SuitabilityApi, RasterLayersStayInTheRasterFolderAndOneAnswerServesEveryPathOutside) {
  write_rasters();
  const std::filesystem::path scratch(tdb->scratch_dir);
  std::filesystem::create_directories(scratch / "elsewhere");
  std::filesystem::copy_file(rasters / "elev.tif", scratch / "elsewhere" / "elev.tif");
  std::filesystem::create_symlink("/etc/passwd", rasters / "passwd.tif");
  std::filesystem::create_symlink(scratch / "elsewhere" / "elev.tif", rasters / "linked.tif");
  // Existing and missing files, a real raster outside, "..", links out of the folder:
  // one and the same refusal, so layer registration cannot probe the server's files.
  const std::vector<std::string> outside = {"/etc/passwd",
                                            "/etc/no-such-file.tif",
                                            (scratch / "elsewhere" / "elev.tif").string(),
                                            "../elsewhere/elev.tif",
                                            (rasters / ".." / "elsewhere" / "elev.tif").string(),
                                            "passwd.tif",
                                            "linked.tif",
                                            "/nonexistent/elev.tif"};
  std::string first;
  for (const auto& path : outside) {
    auto r = call_json("POST", "/api/v1/suitability/layers", "admin",
                       {{"name", "elevation"}, {"path", path}, {"kind", "continuous"}});
    ASSERT_EQ(r.status, 400) << path << ": " << r.body.dump();
    EXPECT_EQ(r.body["errors"][0]["field"], "path") << path;
    if (first.empty()) first = refusal(r);
    EXPECT_EQ(refusal(r), first) << path;
  }
  EXPECT_NE(first.find("inside the raster folder"), std::string::npos) << first;
  EXPECT_EQ(count("raster_layer"), 0);
  // Inside the folder, relative or absolute: registered, stored relative to it.
  auto ok = call_json("POST", "/api/v1/suitability/layers", "prov",
                      {{"name", "elevation"}, {"path", "elev.tif"}, {"kind", "continuous"}});
  ASSERT_EQ(ok.status, 201) << ok.body.dump();
  auto abs = call_json("POST", "/api/v1/suitability/layers", "prov",
                       {{"name", "soil"}, {"path", (rasters / "soil.tif").string()}, {"kind", "categorical"}});
  ASSERT_EQ(abs.status, 201) << abs.body.dump();
  auto stored = app->db().read([](storage::Connection& c) { return suitability::SuitabilityRepository::list_layers(c); });
  for (const auto& l : stored) EXPECT_FALSE(std::filesystem::path(l.path).is_absolute()) << l.name << " " << l.path;
  // A row that points outside (written before this rule) is not read: the error names the layer.
  app->db().write([](storage::Connection& c) {
    suitability::RasterLayerRecord l;
    l.name = "elevation";
    l.path = "/etc/passwd";
    suitability::SuitabilityRepository::upsert_layer(c, l);
  });
  ASSERT_EQ(call_json("POST", "/api/v1/suitability/profiles", "prov", {{"profile", test_profile()}}).status, 201);
  auto run = call_json("POST", "/api/v1/suitability/runs", "prov", {{"crop", "testcrop"}});
  ASSERT_EQ(run.status, 400) << run.body.dump();
  EXPECT_NE(run.body["message"].get<std::string>().find("'elevation' is not inside the raster folder"),
            std::string::npos)
      << run.body.dump();
}

TEST_P(SuitabilityApi, ServerPathsAreShownToAdministratorsOnly) {
  setup_layers_and_profile();
  ASSERT_EQ(call_json("POST", "/api/v1/suitability/runs", "prov", {{"crop", "testcrop"}}).status, 200);
  const std::string scratch = tdb->scratch_dir;
  for (const char* user : {"prov", "insp", "n1o"}) {
    auto layers = call("GET", "/api/v1/suitability/layers", user);
    ASSERT_EQ(layers.status, 200) << user;
    EXPECT_FALSE(layers.body.contains("folder")) << user;
    for (const auto& l : layers.body["items"]) EXPECT_FALSE(l.contains("path")) << user << " " << l.dump();
    EXPECT_EQ(layers.body.dump().find(scratch), std::string::npos) << user;
    auto runs = call("GET", "/api/v1/suitability/runs?crop=testcrop", user);
    ASSERT_EQ(runs.status, 200);
    EXPECT_EQ(runs.body.dump().find(".tif"), std::string::npos) << user << " " << runs.body.dump();
    EXPECT_EQ(runs.body["items"][0]["layers"][0]["name"], "elevation");
  }
  auto admin = call("GET", "/api/v1/suitability/layers", "admin");
  EXPECT_EQ(admin.body["folder"], (std::filesystem::path(scratch) / "rasters").string());
  json elevation;
  for (const auto& l : admin.body["items"])
    if (l["name"] == "elevation") elevation = l;
  EXPECT_EQ(elevation["path"], "elev.tif");
  // A layer whose file went missing: others read the layer's name, not the server's path.
  std::filesystem::remove(rasters / "soil.tif");
  auto point = call("GET", "/api/v1/suitability/testcrop/point?lon=103.005&lat=22.025", "insp");
  ASSERT_EQ(point.status, 400) << point.body.dump();
  EXPECT_NE(point.body["message"].get<std::string>().find("layer 'soil'"), std::string::npos) << point.body.dump();
  EXPECT_EQ(point.body.dump().find(scratch), std::string::npos) << point.body.dump();
  auto listed = call("GET", "/api/v1/suitability/layers", "insp");
  for (const auto& l : listed.body["items"])
    if (l["name"] == "soil") {
      EXPECT_EQ(l["file"]["ok"], false);
      EXPECT_EQ(l["file"]["error"].get<std::string>().find(scratch), std::string::npos) << l.dump();
    }
}

TEST_P(SuitabilityApi, ProfileTypesAreCheckedWithThePathNamed) {
  json p = test_profile();
  p["factors"][0]["S1"] = {{0, "500"}};
  p["factors"][1]["S3"] = {2.5};
  p["class_thresholds"] = {75, nullptr, 25};
  auto r = call_json("POST", "/api/v1/suitability/profiles", "prov", {{"profile", p}});
  ASSERT_EQ(r.status, 400) << r.body.dump();
  std::map<std::string, std::string> by_field;
  for (const auto& e : r.body["errors"]) by_field[e["field"]] = e["message"];
  EXPECT_EQ(by_field["factors[0].S1[0][1]"], "must be a finite number, not a text (\"500\")") << r.body.dump();
  EXPECT_EQ(by_field["class_thresholds[1]"], "must be a finite number, not null") << r.body.dump();
  EXPECT_NE(by_field["factors[1].S3[0]"].find("must be an integer code of the raster, not a number"), std::string::npos)
      << r.body.dump();
  EXPECT_EQ(count("crop_profile"), 0);
}

TEST_P(SuitabilityApi, OneParcelsSuitabilityWithTheParcelsScope) {
  setup_layers_and_profile();
  std::int64_t low = parcel("P-LOW", kX0 + 0.002, kY0 - 0.015, 0.004);  // columns 2–5, rows 11–14: S1
  ASSERT_GT(low, 0);
  // Before any run: the parcel has no result yet.
  auto none = call("GET", "/api/v1/parcels/" + s(low) + "/suitability", "n1o");
  ASSERT_EQ(none.status, 200) << none.body.dump();
  EXPECT_TRUE(none.body["items"].empty());
  ASSERT_EQ(call_json("POST", "/api/v1/suitability/runs", "prov", {{"crop", "testcrop"}}).status, 200);
  auto r = call("GET", "/api/v1/parcels/" + s(low) + "/suitability", "n1o");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["items"].size(), 1u) << r.body.dump();
  const json& item = r.body["items"][0];
  EXPECT_EQ(item["crop"], "testcrop");
  EXPECT_EQ(item["name_vi"], "Cây thử");
  EXPECT_EQ(item["dominant_class"], "S1");
  EXPECT_GT(item["hectares"]["S1"].get<double>(), 0);
  EXPECT_NEAR(item["total_ha"].get<double>(), item["hectares"]["S1"].get<double>() + item["hectares"]["S2"].get<double>() +
                                                  item["hectares"]["S3"].get<double>() + item["hectares"]["N"].get<double>() +
                                                  item["hectares"]["nodata"].get<double>(),
              1e-9);
  EXPECT_EQ(item["profile_version"], 1);
  // The same check as reading the parcel: another commune's officer (answered as an
  // unknown id, so that the answer does not tell the parcel exists), a producer whose
  // organisation holds no right on it, and nobody signed in.
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(low), "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(low) + "/suitability", "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(low) + "/suitability", "coop").status,
            call("GET", "/api/v1/parcels/" + s(low), "coop").status);
  EXPECT_EQ(call("GET", "/api/v1/parcels/999999/suitability", "prov").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(low) + "/suitability").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/parcels/" + s(low) + "/suitability", "insp").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SuitabilityApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, SuitabilityApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace nongsan::api
