// The checks of one observation against what is stored (checks.hpp has the rules).
#include "modules/targets/observation_flags.hpp"

#include <algorithm>

#include "modules/targets/checks.hpp"
#include "modules/targets/computed.hpp"
#include "modules/targets/evaluation.hpp"
#include "modules/targets/targets_repository.hpp"

namespace nongsan::targets {

using nlohmann::json;

json observation_flags(storage::Connection& c, const admin::UnitGraph& g, const Programme& p,
                                 const Indicator& ind, const Observation& o) {
  json out = json::array();
  auto add = [&](const std::optional<Flag>& f) {
    if (f) out.push_back({{"code", f->code}, {"message", f->message}});
  };
  if (o.period == 0) {
    std::vector<double> history;
    for (const auto& [y, v] : TargetsRepository::unit_history(c, ind.id, o.unit))
      if (y != o.year) history.push_back(v);
    add(outlier_flag(o.value, history));
  }
  if (!ind.not_above.empty()) {
    if (auto other = TargetsRepository::find_indicator(c, p.id, ind.not_above)) {
      auto ob = TargetsRepository::find_observation(c, other->id, o.unit, o.year, o.period);
      add(exceeds_flag(o.value, ind.not_above, ob ? std::optional(ob->value) : std::nullopt));
    }
  }
  if (ind.source == Source::reported && !ind.computed.empty() && o.period == 0) {
    CivilDate as_of = std::min(CivilDate(o.year, 12, 31), CivilDate::today());
    auto table = computed_values(c, g, p, ind, as_of);
    if (!table.empty()) add(differs_flag(o.value, unit_value(g, table, o.unit, o.year, as_of)));
  }
  return out;
}

}  // namespace nongsan::targets
