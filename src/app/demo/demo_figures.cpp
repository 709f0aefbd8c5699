// Illustrative statistics by unit and year, so the map, the roll-up and the
// permissions have something to show. Province tea totals for 2021 and ~2023 are
// sourced (laichau-known-figures.json); how they split by district and every
// other value here is illustrative and the series say so.
#include <cmath>

#include "app/demo/demo.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/figures/figure_repository.hpp"

namespace nongsan::app {

using nlohmann::json;

namespace {
// Illustrative share of the province's tea area by district (Tam Đường and Tân Uyên
// are the main tea districts); sums to 1.
const std::pair<const char*, double> kTeaShare[] = {
    {"105", 0.03}, {"106", 0.36}, {"107", 0.04}, {"108", 0.09},
    {"109", 0.12}, {"110", 0.10}, {"111", 0.24}, {"112", 0.02},
};
// Province tea area (ha): 7,770 in May 2021 and nearly 9,000 around 2023 are sourced;
// 2022 and 2024 are interpolated / extrapolated (illustrative).
const std::pair<int, double> kTeaProvince[] = {{2021, 7770}, {2022, 8400}, {2023, 9000}, {2024, 9350}};
}  // namespace

int demo_figures(App& app, const identity::Actor& actor, DemoReport& report) {
  auto g = app.admin().graph();
  int created = 0;
  app.db().write([&](storage::Connection& c) {
    if (c.scalar_i64("SELECT count(*) FROM unit_figure") > 0) {
      report.notes.push_back("figures already present: left as they are");
      return;
    }
    figures::FigureRepository::upsert_series(
        c, {"tea_area_ha", "Diện tích chè", "Tea area", "ha", true,
            "Tổng toàn tỉnh 2021 (7.770 ha) và ~2023 (gần 9.000 ha) theo báo chí (laichau-known-figures.json); "
            "phân theo huyện và các năm khác là minh họa"});
    figures::FigureRepository::upsert_series(
        c, {"farming_households", "Số hộ sản xuất nông nghiệp", "Farming households", "hộ", true,
            "Minh họa (illustrative): không có nguồn số liệu theo xã"});
    auto add = [&](const std::string& series, UnitId unit, int year, double value) {
      figures::FigureRepository::insert(c, {series, unit, year, value, "minh họa (demo)"});
      ++created;
    };
    for (const auto& [year, total] : kTeaProvince)
      for (const auto& [code, share] : kTeaShare)
        if (const auto* d = g->find_by_code(code, CivilDate(year, 12, 31)); d && year <= 2024)
          add("tea_area_ha", d->id, year, std::round(total * share));
    // Households by old commune 2021–2024, by new commune from 2025.
    DemoRandom rnd(4242);
    for (const auto* u : g->valid_on(CivilDate(2024, 12, 31))) {
      if (u->level != admin::AdminLevel::commune) continue;
      double base = std::round(rnd.uniform(450, 2200));
      for (int year = 2021; year <= 2024; ++year) add("farming_households", u->id, year, std::round(base * (1 + 0.012 * (year - 2021))));
    }
    for (const auto* u : g->valid_on(CivilDate(2025, 12, 31))) {
      if (u->level != admin::AdminLevel::commune) continue;
      double sum = 0;
      for (const auto& s : g->predecessors(u->id)) {
        auto rs = c.query("SELECT value FROM unit_figure WHERE series = 'farming_households' AND unit_id = ? AND year = 2024",
                          {s.predecessor.value});
        if (!rs.empty()) sum += rs.rows[0].f64("value") * s.share;
      }
      if (sum > 0) add("farming_households", u->id, 2025, std::round(sum * 1.01));
    }
    audit::record(c, actor, "import", "unit_figure", "", std::nullopt, std::nullopt,
                  json{{"source", "demo"}, {"figures", created}, {"illustrative", true}});
  });
  return created;
}

}  // namespace nongsan::app
