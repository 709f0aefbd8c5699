// Demo: illustrative growing-area and packing-house codes over the demo registry's tea
// and macadamia zones (data/demo/areacodes/codes.json), issued through the same service
// calls as the API (application, issue) or imported as nationally issued export codes,
// with seasons, two planted violations and the code-health check run once.
#include <map>

#include "app/demo/demo.hpp"
#include "modules/areacodes/areacode_repository.hpp"

namespace nongsan::app {

using nlohmann::json;

namespace {

template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error("demo area codes: " + what + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

// The holder with the most planted area in the zone's commune, and its parcels in order
// until `target_ha`; a target under 1 ha stays under 1 ha (a planted below_minimum).
std::optional<DemoCodePick> demo_code_pick(storage::Database& db, const std::string& crop, const std::string& zone,
                                           double target_ha) {
  auto candidates = db.read([&](storage::Connection& c) { return areacodes::AreaCodeRepository::planted_parcels(c, crop, zone); });
  std::map<std::string, double> by_holder;
  for (const auto& k : candidates) by_holder[k.holder] += k.area_m2 / 1e4;
  std::string best;
  for (const auto& [h, a] : by_holder)
    if (best.empty() || a > by_holder[best]) best = h;
  if (best.empty()) return std::nullopt;
  DemoCodePick p;
  p.holder = best;
  const double limit = target_ha < 1 ? 1 : 1e9;
  for (const auto& k : candidates) {
    if (k.holder != best) continue;
    if (p.area_ha >= target_ha) break;
    if (p.area_ha + k.area_m2 / 1e4 >= limit) continue;
    p.parcels.push_back(k.parcel);
    p.area_ha += k.area_m2 / 1e4;
  }
  if (p.parcels.empty()) return std::nullopt;
  return p;
}

int demo_areacodes(App& app, const identity::Actor& actor, DemoReport& report) {
  auto& svc = app.areacodes();
  if (app.db().read([](storage::Connection& c) { return c.scalar_i64("SELECT count(*) FROM area_code"); }) > 0) {
    report.notes.push_back("area codes: already present: left as they are");
    return 0;
  }
  const json spec = demo_data("demo/areacodes/codes.json");
  int made = 0;
  geo::FeatureSet imported;
  imported.field_names = {"code", "kind", "holder", "crop", "standard", "parcels", "issued", "status", "facility",
                          "capacity_t_per_day"};
  std::vector<std::pair<std::string, json>> export_seasons;  // code text → spec
  for (const auto& c : spec["codes"]) {
    auto p = demo_code_pick(app.db(), c["crop"], c["zone"], c["target_ha"].get<double>());
    if (!p) {
      report.notes.push_back("area codes: no planted parcels for " + c["zone"].get<std::string>() + ": skipped");
      continue;
    }
    if (c.contains("export_code")) {
      std::string parcels;
      for (const auto& e : p->parcels) parcels += (parcels.empty() ? "" : ";") + e;
      geo::Feature f;
      f.number = static_cast<std::int64_t>(imported.features.size()) + 1;
      f.attributes = std::map<std::string, std::string>{
          {"code", c["export_code"]}, {"kind", "area"},         {"holder", p->holder},
          {"crop", c["crop"]},        {"standard", c["standard"]}, {"parcels", parcels},
          {"issued", c["issued"]},    {"status", "issued"},     {"facility", ""},
          {"capacity_t_per_day", ""}};
      imported.features.push_back(std::move(f));
      export_seasons.emplace_back(c["export_code"], c);
      continue;
    }
    auto ids = app.db().read([&](storage::Connection& cn) {
      json parcels = json::array();
      for (const auto& e : p->parcels) parcels.push_back(areacodes::AreaCodeRepository::parcel(cn, e)->id);
      return std::make_pair(areacodes::AreaCodeRepository::holder(cn, p->holder)->id, parcels);
    });
    auto applied = must(svc.apply(actor, {{"kind", "area"}, {"holder", ids.first}, {"crop", c["crop"]},
                                          {"standard", c["standard"]}, {"parcels", ids.second},
                                          {"note", "hồ sơ minh họa"}}),
                        "apply");
    const auto id = applied["id"].get<std::int64_t>();
    auto issued = must(svc.act(actor, id,
                               {{"action", "issue"}, {"reason", "đủ điều kiện (minh họa)"},
                                {"decision_no", c["issue"]["decision_no"]}, {"decision_date", c["issue"]["date"]}}),
                       "issue");
    export_seasons.emplace_back(issued["code"].get<std::string>(), c);
    ++made;
  }
  for (const auto& h : spec["packing_houses"]) {
    auto p = demo_code_pick(app.db(), "tea", h["zone"], 0.01);
    if (!p) continue;
    geo::Feature f;
    f.number = static_cast<std::int64_t>(imported.features.size()) + 1;
    f.attributes = std::map<std::string, std::string>{
        {"code", h["export_code"]}, {"kind", "packing_house"}, {"holder", p->holder},
        {"crop", "tea"},            {"standard", ""},           {"parcels", ""},
        {"issued", h["issued"]},    {"status", "issued"},       {"facility", h["facility"]},
        {"capacity_t_per_day", std::to_string(h["capacity_t_per_day"].get<double>())}};
    imported.features.push_back(std::move(f));
  }
  if (!imported.features.empty()) {
    auto r = must(svc.import_codes(actor, imported, "data/demo/areacodes/codes.json (minh họa)"), "import");
    made += r.created;
  }
  // Seasons: the declared area is the registry area × declared_factor (1.3: a planted area_mismatch).
  for (const auto& [text, c] : export_seasons) {
    auto id = app.db().read([&](storage::Connection& cn) { return areacodes::AreaCodeRepository::find_by_code(cn, text)->id; });
    const double reg = must(svc.get(actor, id), "read")["registry_area_ha"].get<double>();
    const double declared = std::round(reg * c["declared_factor"].get<double>() * 100) / 100;
    for (int year : {2024, 2025}) {
      json body = {{"season", std::to_string(year)},
                   {"variety", c["variety"]},
                   {"area_ha", year == 2025 ? declared : std::round(reg * 100) / 100},
                   {"expected_kg", std::round(reg * c["expected_kg_per_ha"].get<double>())},
                   {"harvest_from", std::to_string(year) + (c["crop"] == "tea" ? "-03-01" : "-08-15")},
                   {"harvest_to", std::to_string(year) + (c["crop"] == "tea" ? "-11-30" : "-10-31")}};
      if (year == 2024) body["actual_kg"] = std::round(reg * c["expected_kg_per_ha"].get<double>() * 0.9);
      must(svc.declare_season(actor, id, body), "season");
    }
  }
  auto check = must(svc.check(actor, true), "check");
  report.notes.push_back("area codes: " + std::to_string(made) + " codes (illustrative), " +
                         std::to_string(check.findings.size()) + " findings, " + std::to_string(check.suspended.size()) +
                         " suspended by the check");
  return made;
}

}  // namespace nongsan::app
