// Illustrative statistics by unit and year, so the map, the roll-up and the
// permissions have something to show. The figures and their sources are in
// data/demo/figures.json: province tea totals for 2021 and ~2023 are sourced;
// how they split by district and every other value is illustrative and the
// series say so.
#include <cmath>

#include "app/demo/demo.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/figures/figure_repository.hpp"

namespace nongsan::app {

using nlohmann::json;


int demo_figures(App& app, const identity::Actor& actor, DemoReport& report) {
  auto g = app.admin().graph();
  int created = 0;
  app.db().write([&](storage::Connection& c) {
    if (c.scalar_i64("SELECT count(*) FROM unit_figure") > 0) {
      report.notes.push_back("figures already present: left as they are");
      return;
    }
    const json data = demo_data("demo/figures.json");
    for (const auto& sr : data["series"])
      figures::FigureRepository::upsert_series(c, {sr["code"], sr["name_vi"], sr["name_en"], sr["measure_unit"],
                                                   sr["illustrative"].get<bool>(), sr["source"]});
    auto add = [&](const std::string& series, UnitId unit, int year, double value) {
      figures::FigureRepository::insert(c, {series, unit, year, value, "minh họa (demo)"});
      ++created;
    };
    for (const auto& t : data["tea_province_ha"]) {
      const int year = t["year"];
      const double total = t["ha"];
      for (const auto& sh : data["tea_share_by_district"])
        if (const auto* d = g->find_by_code(sh["district"].get<std::string>(), CivilDate(year, 12, 31)); d && year <= 2024)
          add("tea_area_ha", d->id, year, std::round(total * sh["share"].get<double>()));
    }
    // Households by old commune 2021–2024, by new commune from 2025.
    const json& hh = data["households"];
    const double base_lo = hh["base_between"][0], base_hi = hh["base_between"][1], growth = hh["yearly_growth"];
    const int first_year = hh["first_year"], last_year = hh["last_year"];
    DemoRandom rnd(4242);
    for (const auto* u : g->valid_on(CivilDate(last_year, 12, 31))) {
      if (u->level != admin::AdminLevel::commune) continue;
      double base = std::round(rnd.uniform(base_lo, base_hi));
      for (int year = first_year; year <= last_year; ++year)
        add("farming_households", u->id, year, std::round(base * (1 + growth * (year - first_year))));
    }
    for (const auto* u : g->valid_on(CivilDate(2025, 12, 31))) {
      if (u->level != admin::AdminLevel::commune) continue;
      double sum = 0;
      for (const auto& s : g->predecessors(u->id)) {
        auto rs = c.query("SELECT value FROM unit_figure WHERE series = 'farming_households' AND unit_id = ? AND year = ?",
                          {s.predecessor.value, static_cast<std::int64_t>(last_year)});
        if (!rs.empty()) sum += rs.rows[0].f64("value") * s.share;
      }
      if (sum > 0) add("farming_households", u->id, 2025, std::round(sum * hh["reform_year_factor"].get<double>()));
    }
    audit::record(c, actor, "import", "unit_figure", "", std::nullopt, std::nullopt,
                  json{{"source", "demo"}, {"figures", created}, {"illustrative", true}});
  });
  return created;
}

}  // namespace nongsan::app
