// Inspection planning in the demo: the shipped weights, a saved plan of 2025 over the
// demo's support applications (illustrative) assigned to the demo inspector, and a
// registry-quality sample of 2025 with illustrative measurements (the registered area
// changed by a fixed pattern of a few per cent — not field data). Loaded through the
// same service calls as the CLI; nothing is added twice.
#include <cmath>
#include <sstream>

#include "app/demo/demo.hpp"
#include "app/embedded_data.hpp"

namespace nongsan::app {

namespace {

// The shipped weight file as the import reads it (plain CSV: no quotes in it).
support::ImportTable weight_table() {
  auto text = embedded_file("inspection/weights.csv");
  if (!text) throw std::runtime_error("reference data missing from the binary: data/inspection/weights.csv");
  support::ImportTable t;
  std::istringstream in(*text);
  std::string line;
  int n = 0;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::stringstream s(l);
    std::string c;
    while (std::getline(s, c, ',')) cells.push_back(c);
    return cells;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto cells = split(line);
    if (n == 1) {
      t.headers = cells;
      continue;
    }
    support::ImportRow r;
    r.line = n;
    for (std::size_t i = 0; i < cells.size() && i < t.headers.size(); ++i) r.cells[t.headers[i]] = cells[i];
    t.rows.push_back(std::move(r));
  }
  return t;
}

}  // namespace

int demo_inspection_plan(App& app, const identity::Actor& actor, DemoReport& report) {
  auto& svc = app.inspection_plans();
  auto existing = svc.plans(actor, std::nullopt);
  if (!existing) throw std::runtime_error("demo inspection plans: " + existing.error().message);
  if (!(*existing)["items"].empty()) return 0;
  if (auto w = svc.import_weights(actor, weight_table(), "data/inspection/weights.csv"); !w)
    throw std::runtime_error("demo inspection weights: " + w.error().message);
  auto plan = svc.create(actor, {2025, 10, 0.5, 2025}, true);
  if (!plan) throw std::runtime_error("demo inspection plan: " + plan.error().message);
  const int entries = static_cast<int>((*plan)["items"].size());
  report.notes.push_back("inspection plan " + (*plan)["code"].get<std::string>() + " (illustrative): " +
                         std::to_string(entries) + " applicants of " + std::to_string((*plan)["population"].get<std::int64_t>()) +
                         ", " + std::to_string((*plan)["assigned"].get<std::int64_t>()) + " assigned");
  auto sample = svc.quality_sample(actor, 2025, 12, 2025, true);
  if (!sample) throw std::runtime_error("demo quality sample: " + sample.error().message);
  auto q = svc.quality(actor, 2025);
  if (!q) throw std::runtime_error("demo quality: " + q.error().message);
  // Eight of the twelve "measured" (illustrative): −4 % … +3 % of the registered area.
  static const double kFactor[] = {1.012, 0.985, 1.03, 0.96, 1.004, 0.993, 1.021, 0.978};
  support::ImportTable m;
  m.headers = {"parcel", "measured_on", "measured_area_m2"};
  int i = 0;
  for (const auto& p : (*q)["parcels"]) {
    if (i == 8) break;
    char area[32];
    std::snprintf(area, sizeof area, "%.1f", std::round(p["registered_area_m2"].get<double>() * kFactor[i] * 10) / 10);
    m.rows.push_back({i + 2, {{"parcel", p["parcel"].get<std::string>()}, {"measured_on", "2025-09-15"}, {"measured_area_m2", area}}});
    ++i;
  }
  if (auto r = svc.import_measurements(actor, m, "demo (illustrative)", true); !r)
    throw std::runtime_error("demo quality measurements: " + r.error().message);
  report.notes.push_back("registry quality 2025 (illustrative): 12 parcels sampled, " + std::to_string(i) + " measured");
  return entries;
}

}  // namespace nongsan::app
