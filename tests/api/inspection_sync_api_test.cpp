// The device sync contract through the API (docs/inspection.md "Inspections and sync"):
// assignments of the inspector, items applied one by one, conflicts on a stale version
// and their resolution, findings and photos stored once by client_id, a bad item never
// losing the good ones, photos checked against their type, the measured area recomputed
// in VN-2000 with the device's figure noted, and the scope of everything.
#include "api/api_fixture.hpp"
#include "core/base64.hpp"

namespace nongsan::api {

namespace {
// The smallest files of each type (magic bytes and a little more).
std::string png_bytes() { return std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8) + "rest"; }
std::string jpeg_bytes() { return std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF-data"; }
}  // namespace

class InspectionSyncApi : public ApiTest {
 protected:
  // A parcel in N1 and one 260 m away; two more in N1 beyond 500 m (one east, one
  // diagonally, inside the box around P-1's 500 m but outside the round buffer);
  // another far in N2; inspection A (parcel in N1)
  // assigned to insp, inspection B (parcel in N2) assigned to nobody.
  void world() {
    for (auto [ext, unit, x, y] :
         {std::tuple{"P-1", "N1", 103.01, 22.01}, std::tuple{"P-2", "N1", 103.0135, 22.01},
          std::tuple{"P-3", "N1", 103.0166, 22.01}, std::tuple{"P-4", "N1", 103.0145, 22.0145},
          std::tuple{"P-9", "N2", 103.15, 22.01}}) {
      auto r = call_json("POST", "/api/v1/parcels", "prov",
                         {{"external_id", ext}, {"commune_id", id(unit)}, {"land_use_code", "LUC"},
                          {"valid_from", "2025-07-01"}, {"geometry", square_polygon(x, y, 0.001)}});
      ASSERT_EQ(r.status, 201) << r.body.dump();
    }
    auto a = call_json("POST", "/api/v1/inspections", "prov",
                       {{"subject_kind", "parcel"}, {"subject_ref", "P-1"}, {"checklist_kind", "registry"},
                        {"inspector", "insp"}});
    ASSERT_EQ(a.status, 201) << a.body.dump();
    code_a = a.body["code"];
    auto b = call_json("POST", "/api/v1/inspections", "prov",
                       {{"subject_kind", "parcel"}, {"subject_ref", "P-9"}, {"checklist_kind", "registry"}});
    ASSERT_EQ(b.status, 201) << b.body.dump();
    code_b = b.body["code"];
  }
  Reply sync(const json& items, const std::string& user = "insp") {
    return call_json("POST", "/api/field/sync", user, {{"device_id", "phone-1"}, {"items", items}});
  }
  json inspection_item(std::int64_t base, json fields) {
    return {{"kind", "inspection"}, {"code", code_a}, {"base_version", base}, {"device_time", "2026-03-01T08:15:00.123+07:00"},
            {"fields", std::move(fields)}};
  }
  json finding_item(const std::string& client_id, const std::string& inspection) {
    return {{"kind", "finding"}, {"inspection", inspection}, {"client_id", client_id},
            {"device_time", "2026-03-01T08:20:00Z"},
            {"fields", {{"kind", "boundary_wrong"}, {"subject_kind", "parcel"}, {"subject_ref", "P-1"},
                        {"severity", "serious"}, {"detail", "Ranh giới lệch"}, {"recorded_at", "2026-03-01T08:19:00Z"}}}};
  }
  json photo_item(const std::string& client_id, const std::string& mime, const std::string& bytes) {
    return {{"kind", "photo"}, {"inspection", code_a}, {"client_id", client_id}, {"device_time", "2026-03-01T08:21:00Z"},
            {"taken_at", "2026-03-01T08:20:30Z"}, {"lon", 103.0105}, {"lat", 22.0105}, {"accuracy_m", 4.5},
            {"mime", mime}, {"data_base64", base64_encode(bytes)}};
  }
  std::string code_a, code_b;
};

TEST_P(InspectionSyncApi, AssignmentsAreTheInspectorsOwnWithTheMapAndChecklists) {
  world();
  auto r = call("GET", "/api/field/assignments", "insp");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["inspector"], "insp");
  ASSERT_EQ(r.body["inspections"].size(), 1u);
  EXPECT_EQ(r.body["inspections"][0]["code"], code_a);
  EXPECT_EQ(r.body["inspections"][0]["version"], 1);
  EXPECT_EQ(r.body["inspections"][0]["parcel"], "P-1");
  EXPECT_EQ(r.body["checklists"].size(), 5u);
  EXPECT_EQ(r.body["checklists"]["registry"][0]["answer"], "yes_no");
  // The subject's parcel and its neighbour 260 m away; not those beyond 500 m (P-3
  // 575 m east, P-4 about 530 m diagonally), nor the one in N2.
  std::set<std::string> parcels;
  for (const auto& f : r.body["map"]["parcels"]["features"]) parcels.insert(f["properties"]["external_id"]);
  EXPECT_EQ(parcels, (std::set<std::string>{"P-1", "P-2"}));
  // Officers see all of their scope; n2o only B's commune; producers nothing.
  EXPECT_EQ(call("GET", "/api/field/assignments", "prov").body["inspections"].size(), 2u);
  auto n2 = call("GET", "/api/field/assignments", "n2o");
  ASSERT_EQ(n2.body["inspections"].size(), 1u);
  EXPECT_EQ(n2.body["inspections"][0]["code"], code_b);
  EXPECT_EQ(call("GET", "/api/field/assignments", "coop").status, 403);
  EXPECT_EQ(call("GET", "/api/field/assignments").status, 401);
}

TEST_P(InspectionSyncApi, ConflictChangesNothingAndIsResolvedAgainstTheServerVersion) {
  world();
  auto first = sync(json::array({inspection_item(1, {{"status", "open"}, {"answers", {{"boundary_matches", false}}},
                                         {"opened_at", "2026-03-01T08:00:00Z"}})}));
  ASSERT_EQ(first.status, 200) << first.body.dump();
  EXPECT_EQ(first.body["items"][0]["outcome"], "applied");
  EXPECT_EQ(first.body["items"][0]["version"], 2);
  // A second device still at version 1: a conflict, with the server's record; nothing changes.
  auto stale = sync(json::array({inspection_item(1, {{"notes", "from the other phone"}})}));
  ASSERT_EQ(stale.body["items"][0]["outcome"], "conflict");
  EXPECT_EQ(stale.body["items"][0]["version"], 2);
  EXPECT_EQ(stale.body["items"][0]["server"]["answers"]["boundary_matches"], false);
  auto detail = call("GET", "/api/v1/inspections/" + code_a, "prov");
  EXPECT_EQ(detail.body["notes"], "");
  EXPECT_EQ(detail.body["version"], 2);
  // Resolved against the version the inspector saw: applied, logged as resolved.
  auto resolved = call_json("POST", "/api/field/inspections/" + code_a + "/resolve", "insp",
                            {{"base_version", 2}, {"device_time", "2026-03-01T09:00:00Z"},
                             {"fields", {{"notes", "merged"}, {"status", "closed"}}}});
  ASSERT_EQ(resolved.status, 200) << resolved.body.dump();
  EXPECT_EQ(resolved.body["version"], 3);
  EXPECT_EQ(resolved.body["notes"], "merged");
  // Resolving against an older version again is a conflict.
  EXPECT_EQ(call_json("POST", "/api/field/inspections/" + code_a + "/resolve", "insp",
                      {{"base_version", 2}, {"device_time", "2026-03-01T09:00:00Z"}, {"fields", {{"notes", "x"}}}})
                .status,
            409);
  auto log = call("GET", "/api/v1/inspections/" + code_a, "prov").body["sync_log"];
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["outcome"], "applied");
  EXPECT_EQ(log[0]["device_time"], "2026-03-01T08:15:00.123+07:00");
  EXPECT_FALSE(log[0]["server_time"].get<std::string>().empty());
  EXPECT_EQ(log[1]["outcome"], "conflict");
  EXPECT_EQ(log[2]["outcome"], "resolved");
  // Another inspector's (or scope's) inspection answers as missing.
  EXPECT_EQ(call_json("POST", "/api/field/inspections/" + code_b + "/resolve", "insp",
                      {{"base_version", 1}, {"device_time", "2026-03-01T09:00:00Z"}, {"fields", json::object()}})
                .status,
            404);
}

TEST_P(InspectionSyncApi, FindingsAndPhotosAreStoredOnceAndABadItemLosesNothing) {
  world();
  auto r = sync(json::array({finding_item("f-1", code_a), photo_item("ph-1", "image/png", png_bytes()),
                 // bad: a JPEG's bytes sent as PNG; an unknown inspection; an answer of the wrong type
                 photo_item("ph-2", "image/png", jpeg_bytes()), finding_item("f-2", "INS-NOPE"),
                 inspection_item(1, {{"answers", {{"boundary_matches", "yes"}}}}),
                 photo_item("ph-3", "image/jpeg", jpeg_bytes())}));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const auto& items = r.body["items"];
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0]["outcome"], "applied");
  EXPECT_EQ(items[1]["outcome"], "applied");
  EXPECT_EQ(items[2]["outcome"], "error");
  EXPECT_EQ(items[2]["field"], "data_base64");
  EXPECT_EQ(items[3]["outcome"], "error");
  EXPECT_EQ(items[3]["field"], "inspection");
  EXPECT_EQ(items[4]["outcome"], "error");
  EXPECT_EQ(items[4]["field"], "fields.answers.boundary_matches");
  EXPECT_EQ(items[5]["outcome"], "applied");
  // The same items again: duplicates, nothing stored twice.
  auto again = sync(json::array({finding_item("f-1", code_a), photo_item("ph-1", "image/png", png_bytes())}));
  EXPECT_EQ(again.body["items"][0]["outcome"], "duplicate");
  EXPECT_EQ(again.body["items"][1]["outcome"], "duplicate");
  EXPECT_EQ(count("inspection_finding"), 1);
  EXPECT_EQ(count("inspection_photo"), 2);
  // A client_id of another inspection is refused, not counted as a duplicate.
  auto other = sync(json::array({finding_item("f-1", code_b)}), "prov");
  EXPECT_EQ(other.body["items"][0]["outcome"], "error");
  // The photo's bytes come back with their type, within scope only.
  auto photo = call("GET", "/api/field/photos/ph-1", "insp");
  ASSERT_EQ(photo.status, 200) << photo.raw.body;
  EXPECT_EQ(photo.raw.content_type, "image/png");
  EXPECT_EQ(photo.raw.body, png_bytes());
  EXPECT_EQ(call("GET", "/api/field/photos/ph-1", "n2o").status, 404);
  EXPECT_EQ(call("GET", "/api/field/photos/nope", "insp").status, 404);
  // Every item is in the sync log, the refused ones too; and in the audit trail.
  EXPECT_EQ(count("inspection_sync"), 9);
  EXPECT_GE(app->db().read([](storage::Connection& c) {
    return c.scalar_i64("SELECT count(*) FROM audit_log WHERE action LIKE 'sync_%'");
  }),
            9);
}

TEST_P(InspectionSyncApi, MeasuredAreaIsRecomputedInVn2000AndAMismatchNoted) {
  world();
  // About 103 m × 111 m: some 11,400 m²; the device says 9,000.
  auto r = sync(json::array({inspection_item(1, {{"measured_geojson", square_polygon(103.01, 22.01, 0.001)}, {"measured_area_m2", 9000},
                                     {"measure_method", "walked"}})}));
  ASSERT_EQ(r.body["items"][0]["outcome"], "applied") << r.body.dump();
  EXPECT_TRUE(r.body["items"][0]["area_mismatch"].get<bool>());
  const double server = r.body["items"][0]["measured_area_m2"];
  EXPECT_GT(server, 11000);
  EXPECT_LT(server, 12000);
  auto detail = call("GET", "/api/v1/inspections/" + code_a, "insp");
  EXPECT_DOUBLE_EQ(detail.body["measured_area_m2"].get<double>(), server);
  EXPECT_EQ(detail.body["sync_log"][0]["detail"]["device_area_m2"], 9000);
  EXPECT_TRUE(detail.body["registered_geojson"].is_object());
  // A boundary that crosses itself is refused naming the field.
  auto bowtie = json{{"type", "Polygon"},
                     {"coordinates", {{{103.0, 22.0}, {103.01, 22.01}, {103.01, 22.0}, {103.0, 22.01}, {103.0, 22.0}}}}};
  auto bad = sync(json::array({inspection_item(2, {{"measured_geojson", bowtie}})}));
  EXPECT_EQ(bad.body["items"][0]["outcome"], "error");
  EXPECT_EQ(bad.body["items"][0]["field"], "fields.measured_geojson");
}

TEST_P(InspectionSyncApi, BadBodiesNameTheField) {
  world();
  EXPECT_EQ(call_json("POST", "/api/field/sync", "insp", {{"items", json::array()}}).status, 400);
  auto r = sync(json::array({json{{"kind", "nonsense"}, {"device_time", "2026-03-01T08:00:00Z"}}}));
  EXPECT_EQ(r.body["items"][0]["field"], "kind");
  json late = finding_item("f-9", code_a);
  late["device_time"] = "yesterday";
  auto t = sync(json::array({late}));
  EXPECT_EQ(t.body["items"][0]["field"], "device_time") << t.body.dump();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, InspectionSyncApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return "Sqlite"; });
INSTANTIATE_TEST_SUITE_P(Postgres, InspectionSyncApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return "Postgres"; });

}  // namespace nongsan::api
