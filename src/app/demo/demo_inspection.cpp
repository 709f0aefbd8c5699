// The demo's inspections (docs/inspection.md "Demo"; all illustrative): three
// inspections of registry parcels assigned to the demo inspector; two synced from a
// device as the field app would (answers, a boundary walked a few metres inside the
// registered one, findings, a photo), the third left assigned for the field app; the
// boundary finding of the first decided (the parcel corrected from the measured
// boundary). Skipped when inspections exist already.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/demo/demo.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::app {

namespace {

using nlohmann::json;

// A 1×1 PNG: the photo the demo device "took" (illustrative).
constexpr const char* kPhotoPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

}  // namespace

int demo_inspection(App& app, const identity::Actor& actor, DemoReport& report) {
  auto existing = app.inspections().list(actor, std::nullopt);
  if (!existing) throw std::runtime_error("demo inspection: " + existing.error().message);
  if (!(*existing)["items"].empty()) return 0;
  // The first parcel is the one whose boundary the demo corrects 4 m inward: one whose
  // plantings cover at most 70 % of it, so that they still fit the corrected parcel.
  auto parcels = app.db().read([](storage::Connection& c) {
    registry::ParcelQuery q;
    q.with_geometry = true;
    q.page_size = 1000;  // the demo registry has unplanted parcels among its first thousand
    std::int64_t total = 0;
    auto all = registry::RegistryRepository::list_parcels(c, q, &total);
    for (std::size_t i = 0; i < all.size(); ++i) {
      bool fits = all[i].area_m2.has_value();
      for (const auto& pl : registry::RegistryRepository::plantings_of_parcel(c, all[i].id))
        if (!all[i].area_m2 || pl.planted_area_m2 > 0.7 * *all[i].area_m2) fits = false;
      if (fits) {
        std::rotate(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), all.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        break;
      }
    }
    if (all.size() > 3) all.resize(3);
    return all;
  });
  if (parcels.size() < 3) return 0;  // a registry too small for the demo's inspections
  const std::vector<std::string> checklists = {"registry", "support_claim", "pesticide"};
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < 3; ++i) {
    auto r = app.inspections().create(actor, {{"subject_kind", "parcel"},
                                              {"subject_ref", parcels[i].external_id},
                                              {"checklist_kind", checklists[i]},
                                              {"inspector", "inspector"},
                                              {"notes", "Kiểm tra minh họa (dữ liệu demo)"},
                                              {"illustrative", true}});
    if (!r) throw std::runtime_error("demo inspection: " + r.error().message);
    codes.push_back((*r)["code"].get<std::string>());
  }
  // The first: the boundary walked 4 m inside the registered one (the cadastre's line took
  // in a path along the parcel). Inside, not outside: the correction must not overlap the
  // neighbours (the registry's topology check, POST /api/v1/topology/checks).
  auto inside = geo::buffer_m(*parcels[0].geom, -4);
  if (!inside) throw std::runtime_error("demo inspection: " + inside.error().message);
  auto wgs = geo::transform(*inside, geo::kWgs84);
  if (!wgs) throw std::runtime_error("demo inspection: " + wgs.error().message);
  auto walked = geo::to_geojson(*wgs, 7);
  if (!walked) throw std::runtime_error("demo inspection: " + walked.error().message);
  const double registered = parcels[0].area_m2.value_or(0);
  const json items = json::array(
      {{{"kind", "inspection"}, {"code", codes[0]}, {"base_version", 1}, {"device_time", "2026-03-02T09:40:00+07:00"},
        {"fields", {{"status", "closed"},
                    {"answers", {{"boundary_matches", false}, {"land_use_matches", true}, {"holder_confirmed", true},
                                 {"remarks", "Ranh giới phía đông lệch so với bản đồ"}}},
                    {"measured_geojson", json::parse(*walked)},
                    {"measured_area_m2", std::round(registered * 1.02)},
                    {"measure_method", "walked"},
                    {"opened_at", "2026-03-02T08:30:00+07:00"},
                    {"closed_at", "2026-03-02T09:35:00+07:00"}}}},
       {{"kind", "finding"}, {"inspection", codes[0]}, {"client_id", "demo-" + codes[0] + "-f1"},
        {"device_time", "2026-03-02T09:40:00+07:00"},
        {"fields", {{"kind", "boundary_wrong"}, {"subject_kind", "parcel"}, {"subject_ref", parcels[0].external_id},
                    {"severity", "serious"}, {"detail", "Ranh giới đo thực địa hẹp hơn bản đồ địa chính khoảng 4 m (lối đi bị tính vào thửa)"},
                    {"recorded_at", "2026-03-02T09:20:00+07:00"}}}},
       {{"kind", "photo"}, {"inspection", codes[0]}, {"client_id", "demo-" + codes[0] + "-p1"},
        {"device_time", "2026-03-02T09:40:00+07:00"}, {"taken_at", "2026-03-02T09:05:00+07:00"},
        {"lon", nullptr}, {"lat", nullptr}, {"accuracy_m", 5}, {"mime", "image/png"}, {"data_base64", kPhotoPng}},
       {{"kind", "inspection"}, {"code", codes[1]}, {"base_version", 1}, {"device_time", "2026-03-03T10:10:00+07:00"},
        {"fields", {{"status", "open"},
                    {"answers", {{"applicant_present", true}, {"parcels_found", true}, {"crop_as_declared", false}}},
                    {"opened_at", "2026-03-03T09:30:00+07:00"}}}},
       {{"kind", "finding"}, {"inspection", codes[1]}, {"client_id", "demo-" + codes[1] + "-f1"},
        {"device_time", "2026-03-03T10:10:00+07:00"},
        {"fields", {{"kind", "not_cultivated"}, {"subject_kind", "parcel"}, {"subject_ref", parcels[1].external_id},
                    {"severity", "minor"}, {"detail", "Một phần thửa chưa trồng như kê khai"},
                    {"recorded_at", "2026-03-03T10:00:00+07:00"}}}}});
  auto synced = app.inspections().sync(actor, {{"device_id", "demo-phone-1"}, {"items", items}});
  if (!synced) throw std::runtime_error("demo inspection: " + synced.error().message);
  for (const auto& item : (*synced)["items"])
    if (item["outcome"] != "applied") throw std::runtime_error("demo inspection: sync: " + item.dump());
  // The boundary finding decided: the parcel corrected from the walked boundary.
  auto detail = app.inspections().get(actor, codes[0]);
  if (!detail) throw std::runtime_error("demo inspection: " + detail.error().message);
  const std::int64_t finding = (*detail)["findings"][0]["id"].get<std::int64_t>();
  auto decided = app.inspections().decide(actor, finding,
                                          {{"action", "correct_boundary"},
                                           {"reason", "Chỉnh lý ranh giới theo kết quả đo thực địa (minh họa)"},
                                           {"decision_no", "01/QĐ-VPĐKĐĐ (minh họa)"},
                                           {"date", "2026-03-10"}});
  if (!decided) throw std::runtime_error("demo inspection: " + decided.error().message);
  report.notes.push_back("inspections: 3 illustrative inspections for the login 'inspector' (" + codes[0] + ", " +
                         codes[1] + ", " + codes[2] + "), one finding decided");
  return 3;
}

}  // namespace nongsan::app
