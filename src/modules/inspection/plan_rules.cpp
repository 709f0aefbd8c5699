#include "modules/inspection/plan_rules.hpp"

#include <algorithm>

namespace nongsan::inspection {

std::vector<PlanPick> pick_subjects(const std::vector<SubjectRisk>& risks, double share_pct, double risk_share,
                                    std::uint64_t seed) {
  // The support module's sampling, one "application" per subject, so that the rule (the
  // rounding, the ties, the keyed draw) has one home.
  std::vector<support::ApplicationRisk> as_support;
  as_support.reserve(risks.size());
  for (const auto& r : risks) {
    support::ApplicationRisk a;
    a.application = r.subject_ref;
    a.applicant = r.subject_ref;
    a.score = r.score;
    as_support.push_back(std::move(a));
  }
  std::vector<PlanPick> out;
  for (auto& e : support::sample_applicants(as_support, share_pct, risk_share, seed))
    out.push_back({e.applicant, e.reason, e.score});
  return out;
}

std::vector<std::optional<std::int64_t>> assign_inspectors(const std::vector<std::optional<UnitId>>& entry_units,
                                                           std::vector<InspectorLoad> inspectors) {
  std::vector<std::optional<std::int64_t>> out;
  out.reserve(entry_units.size());
  for (const auto& unit : entry_units) {
    InspectorLoad* best = nullptr;
    bool best_local = false;
    for (auto& i : inspectors) {
      bool local = i.scope.has_value();
      if (local && (!unit || !i.scope->contains(*unit))) continue;
      if (best) {
        if (best_local != local) {
          if (best_local) continue;  // a local inspector before the province's
        } else if (i.open != best->open ? i.open > best->open : i.login >= best->login) {
          continue;
        }
      }
      best = &i;
      best_local = local;
    }
    if (best) {
      ++best->open;
      out.emplace_back(best->user_id);
    } else {
      out.emplace_back(std::nullopt);
    }
  }
  return out;
}

}  // namespace nongsan::inspection
