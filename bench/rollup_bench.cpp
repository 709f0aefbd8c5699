// roll_up over a country-sized hierarchy: the kernel behind GET /api/v1/figures/rollup
// and the choropleth GET /api/v1/map/figures (one roll_up per unit shown).
//
// A synthetic country shaped like Viet Nam before and after 1 July 2025: 63
// provinces, ~700 districts and ~10,000 communes valid 2020-01-01..2025-06-30; on
// 2025-07-01 districts are abolished and communes merged three into one (~3,334 new
// communes directly under their province). Successions as the demo stores them:
// every old commune goes whole into its new commune, and every old district is
// shared out by area among the new communes that took its communes. Figures are
// stored against the old communes for 2020–2024, looked up the way FigureService
// does (std::map<UnitId, double> for one series and year).
//
//   BM_BuildGraph/N                 build the UnitGraph (done after every unit write)
//   BM_RollUpProvinces/N            2024 totals of every province (children path):
//                                   province -> districts -> communes
//   BM_RollUpNewCommunes/N          2023 value of every new commune as of 2025-07-01
//                                   (predecessors path): the choropleth of the new
//                                   communes for a year before the reform
//   BM_RollUpOneNewCommune/N        the same for one new commune (the rollup route)
// N is the number of old communes (1,000 / 3,000 / 10,000) so that the growth with
// the size of the country shows; districts and provinces scale with it.
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "modules/admin/rollup.hpp"
#include "modules/admin/unit_graph.hpp"

namespace {

using nongsan::CivilDate;
using nongsan::UnitId;
using namespace nongsan::admin;

struct Country {
  std::vector<AdminUnit> units;
  std::vector<UnitLink> links;
  std::vector<Succession> successions;
  std::unique_ptr<UnitGraph> graph;
  std::vector<UnitId> provinces, new_communes;
  std::map<int, std::map<UnitId, double>> values;  // year -> unit -> value
  int old_communes = 0, districts = 0;
};

Country make_country(int n_communes) {
  Country c;
  const CivilDate start(2020, 1, 1), last_old(2025, 6, 30), reform(2025, 7, 1);
  const int n_provinces = std::max(1, n_communes * 63 / 10000);
  const int n_districts = std::max(n_provinces, n_communes * 700 / 10000);
  std::int64_t next_id = 1;
  auto add = [&](std::string code, std::string name, AdminLevel level, std::string kind, CivilDate from,
                 std::optional<CivilDate> to) {
    AdminUnit u;
    u.id = UnitId(next_id++);
    u.code = std::move(code);
    u.name = std::move(name);
    u.level = level;
    u.kind = std::move(kind);
    u.valid_from = from;
    u.valid_to = to;
    u.area_m2 = 25e6;
    c.units.push_back(u);
    return u.id;
  };
  std::vector<UnitId> province(static_cast<std::size_t>(n_provinces)), district(static_cast<std::size_t>(n_districts)),
      commune(static_cast<std::size_t>(n_communes));
  std::vector<int> district_of(static_cast<std::size_t>(n_communes)),
      province_of(static_cast<std::size_t>(n_districts));
  std::vector<int> communes_in_district(static_cast<std::size_t>(n_districts), 0);
  for (int p = 0; p < n_provinces; ++p) {
    province[p] = add("P" + std::to_string(p), "Tỉnh " + std::to_string(p), AdminLevel::province, "Tỉnh", start, {});
    c.provinces.push_back(province[p]);
  }
  for (int d = 0; d < n_districts; ++d) {
    province_of[d] = static_cast<int>(static_cast<std::int64_t>(d) * n_provinces / n_districts);
    district[d] =
        add("D" + std::to_string(d), "Huyện " + std::to_string(d), AdminLevel::district, "Huyện", start, last_old);
    c.links.push_back({district[d], province[province_of[d]], start, last_old});
  }
  for (int k = 0; k < n_communes; ++k) {
    district_of[k] = static_cast<int>(static_cast<std::int64_t>(k) * n_districts / n_communes);
    ++communes_in_district[district_of[k]];
    commune[k] = add("C" + std::to_string(k), "Xã " + std::to_string(k), AdminLevel::commune, "Xã", start, last_old);
    c.links.push_back({commune[k], district[district_of[k]], start, last_old});
    for (int year = 2020; year <= 2024; ++year) c.values[year][commune[k]] = 100.0 + k % 17 + year % 5;
  }
  // The reform: three old communes make one new commune under the province of the first.
  for (int k = 0; k < n_communes; k += 3) {
    const int p = province_of[district_of[k]];
    UnitId n =
        add("N" + std::to_string(k / 3), "Xã mới " + std::to_string(k / 3), AdminLevel::commune, "Xã", reform, {});
    c.new_communes.push_back(n);
    c.links.push_back({n, province[p], reform, {}});
    std::map<int, int> taken;  // district -> communes taken from it
    for (int j = k; j < std::min(n_communes, k + 3); ++j) {
      c.successions.push_back({commune[j], n, reform, 1.0, ShareBasis::whole, "synthetic"});
      ++taken[district_of[j]];
    }
    for (auto [d, count] : taken)
      c.successions.push_back({district[d], n, reform, static_cast<double>(count) / communes_in_district[d],
                               ShareBasis::area, "synthetic"});
  }
  c.old_communes = n_communes;
  c.districts = n_districts;
  c.graph = std::make_unique<UnitGraph>(c.units, c.links, c.successions);
  return c;
}

// Built once per size and kept: building the 10,000-commune country is itself benchmarked.
const Country& country(int n_communes) {
  static std::map<int, Country> cache;
  auto it = cache.find(n_communes);
  if (it == cache.end()) it = cache.emplace(n_communes, make_country(n_communes)).first;
  return it->second;
}

// The country's total for `year`: every roll-up path must arrive at it, nothing
// counted twice or lost.
double expected_total(const Country& c, int year) {
  double t = 0;
  for (const auto& [unit, v] : c.values.at(year)) t += v;
  return t;
}

void check_total(benchmark::State& state, double total, double expected) {
  if (std::abs(total - expected) > 1e-6 * expected)
    state.SkipWithError(
        ("roll-up total " + std::to_string(total) + " differs from the stored total " + std::to_string(expected))
            .c_str());
}

OwnValueFn own_values(const Country& c, int year) {
  const std::map<UnitId, double>* values = &c.values.at(year);
  return [values](UnitId id, int) -> std::optional<double> {
    auto it = values->find(id);
    if (it == values->end()) return std::nullopt;
    return it->second;
  };
}

void BM_BuildGraph(benchmark::State& state) {
  const Country& c = country(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    UnitGraph g(c.units, c.links, c.successions);  // includes copying the three vectors
    benchmark::DoNotOptimize(g.find(UnitId(1)));
  }
  state.counters["units"] = static_cast<double>(c.units.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.units.size()));
}
BENCHMARK(BM_BuildGraph)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RollUpProvinces(benchmark::State& state) {
  const Country& c = country(static_cast<int>(state.range(0)));
  const OwnValueFn own = own_values(c, 2024);
  const CivilDate as_of(2024, 12, 31);
  double total = 0;
  for (auto _ : state) {
    total = 0;
    for (UnitId p : c.provinces) {
      auto r = roll_up(*c.graph, own, p, 2024, as_of);
      total += r.value.value_or(0);
    }
    benchmark::DoNotOptimize(total);
  }
  check_total(state, total, expected_total(c, 2024));
  state.counters["provinces"] = static_cast<double>(c.provinces.size());
  state.counters["total"] = total;
  // Items: old communes reached per iteration.
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * c.old_communes);
}
BENCHMARK(BM_RollUpProvinces)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RollUpNewCommunes(benchmark::State& state) {
  const Country& c = country(static_cast<int>(state.range(0)));
  const OwnValueFn own = own_values(c, 2023);
  const CivilDate as_of(2025, 7, 1);
  double total = 0;
  for (auto _ : state) {
    total = 0;
    for (UnitId n : c.new_communes) {
      auto r = roll_up(*c.graph, own, n, 2023, as_of);
      total += r.value.value_or(0);
    }
    benchmark::DoNotOptimize(total);
  }
  check_total(state, total, expected_total(c, 2023));
  state.counters["new_communes"] = static_cast<double>(c.new_communes.size());
  state.counters["total"] = total;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.new_communes.size()));
}
BENCHMARK(BM_RollUpNewCommunes)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RollUpOneNewCommune(benchmark::State& state) {
  const Country& c = country(static_cast<int>(state.range(0)));
  const OwnValueFn own = own_values(c, 2023);
  const CivilDate as_of(2025, 7, 1);
  const UnitId n = c.new_communes[c.new_communes.size() / 2];
  for (auto _ : state) benchmark::DoNotOptimize(roll_up(*c.graph, own, n, 2023, as_of));
}
BENCHMARK(BM_RollUpOneNewCommune)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
