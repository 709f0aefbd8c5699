#include "modules/targets/evaluation.hpp"

#include <algorithm>

namespace nongsan::targets {

std::string_view to_string(Band b) {
  switch (b) {
    case Band::achieved: return "achieved";
    case Band::over_half: return "over_half";
    case Band::low: return "low";
  }
  return "low";
}

std::string_view to_string(Assessment a) {
  switch (a) {
    case Assessment::achieved: return "achieved";
    case Assessment::over_half: return "over_half";
    case Assessment::low: return "low";
    case Assessment::no_target: return "no_target";
    case Assessment::no_data: return "no_data";
    case Assessment::not_evaluable: return "not_evaluable";
  }
  return "no_data";
}

Band band_of(double pct) {
  if (pct >= 100) return Band::achieved;
  if (pct >= 50) return Band::over_half;
  return Band::low;
}

std::optional<double> elapsed_fraction(const ReviewWindow& w) {
  auto total = days_between(w.start, w.end);
  if (total <= 0) return std::nullopt;
  double f = static_cast<double>(days_between(w.start, w.as_of)) / static_cast<double>(total);
  return std::min(f, 1.0);
}

const TargetRevision* revision_in_force(const Target& t, const CivilDate& date) {
  if (t.revisions.empty()) return nullptr;
  const TargetRevision* best = &t.revisions.front();  // the original is in force until a revision is
  for (std::size_t i = 1; i < t.revisions.size(); ++i) {
    const auto& r = t.revisions[i];
    if (!r.effective || *r.effective > date) continue;
    if (best == &t.revisions.front() || !best->effective || *r.effective > *best->effective ||
        (*r.effective == *best->effective && r.seq > best->seq))
      best = &r;
  }
  return best;
}

std::optional<double> unit_value(const admin::UnitGraph& g, const ValueTable& values, UnitId unit, int year,
                                 const CivilDate& as_of) {
  admin::OwnValueFn own = [&](UnitId u, int y) -> std::optional<double> {
    auto it = values.find({u, y});
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  return admin::roll_up(g, own, unit, year, as_of).value;
}

std::optional<double> percent_of_target(Direction d, double baseline, double value, double target) {
  if (d == Direction::up) {
    if (target == 0) return std::nullopt;
    return 100.0 * value / target;
  }
  if (baseline == target) return std::nullopt;
  return 100.0 * (baseline - value) / (baseline - target);
}

Evaluation evaluate(const admin::UnitGraph& g, Kind kind, Direction direction, const ReviewWindow& w, UnitId unit,
                    const ValueTable& values, const TargetTable& targets) {
  Evaluation e;
  const int year_d = w.as_of.year();

  // Targets: the hierarchy is read on D (reference_date of year(D) is D itself).
  auto own_target = [&](bool original) {
    return admin::OwnValueFn([&, original](UnitId u, int) -> std::optional<double> {
      auto it = targets.find(u);
      if (it == targets.end() || it->second.revisions.empty()) return std::nullopt;
      if (original) return it->second.revisions.front().value;
      return revision_in_force(it->second, w.as_of)->value;
    });
  };
  e.target = admin::roll_up(g, own_target(false), unit, year_d, w.as_of).value;
  e.target_original = admin::roll_up(g, own_target(true), unit, year_d, w.as_of).value;
  if (auto it = targets.find(unit); it != targets.end() && !it->second.revisions.empty()) {
    const TargetRevision* r = revision_in_force(it->second, w.as_of);
    if (r != &it->second.revisions.front()) {
      e.target_decision = r->decision;
      e.target_effective = r->effective;
    }
  }

  for (int y = std::min(w.baseline_year, w.start.year()); y <= year_d; ++y)
    if (auto v = unit_value(g, values, unit, y, w.as_of)) e.trend.emplace_back(y, *v);
  auto value_of = [&](int y) -> std::optional<double> {
    for (const auto& [ty, v] : e.trend)
      if (ty == y) return v;
    return std::nullopt;
  };

  if (kind == Kind::stock) {
    e.baseline = value_of(w.baseline_year).value_or(0.0);
    for (int y = year_d; y >= w.baseline_year; --y)
      if (auto v = value_of(y)) {
        e.actual = *v;
        e.actual_year = y;
        break;
      }
  } else {
    e.baseline = 0;
    double sum = 0;
    bool any = false;
    for (int y = w.start.year(); y <= year_d; ++y)
      if (auto v = value_of(y)) sum += *v, any = true;
    if (any) {
      e.actual = sum;
      e.actual_year = year_d;
    }
  }

  if (e.actual && e.target) {
    e.achievement_pct = percent_of_target(direction, e.baseline, *e.actual, *e.target);
    if (e.achievement_pct) e.band = band_of(*e.achievement_pct);
  }
  if (e.band) e.status = *e.band == Band::achieved ? Assessment::achieved
                        : *e.band == Band::over_half ? Assessment::over_half
                                                     : Assessment::low;
  else e.status = !e.target ? Assessment::no_target : !e.actual ? Assessment::no_data : Assessment::not_evaluable;
  if (kind == Kind::stock && e.actual) {
    e.change_since_baseline = *e.actual - e.baseline;
    if (e.baseline != 0) e.change_since_baseline_pct = 100.0 * *e.change_since_baseline / e.baseline;
  }
  auto f = elapsed_fraction(w);
  if (e.actual && f && *f > 0) {
    // A quantity is never forecast below zero (docs/rules.md §3): a fall extended past
    // nothing is nothing left.
    e.forecast = std::max(0.0, kind == Kind::flow ? *e.actual / *f : e.baseline + (*e.actual - e.baseline) / *f);
    if (e.target) {
      e.forecast_pct = percent_of_target(direction, e.baseline, *e.forecast, *e.target);
      if (e.forecast_pct) e.forecast_reached = *e.forecast_pct >= 100;
    }
  }
  return e;
}

}  // namespace nongsan::targets
