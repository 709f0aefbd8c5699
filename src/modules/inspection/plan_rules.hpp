// The inspection plan of a year: which applicants to inspect (at least the share asked,
// rounded up; a fraction by highest risk, the rest at random from the seed —
// Regulation (EU) No 809/2014 Art. 34 as docs/rules.md §16 adopts it), and who inspects
// them (inspectors of the entry's commune, fewest open inspections first). Pure rules:
// the sampling is the support module's (support/risk.hpp), fed with the combined risk
// of risk.hpp; nothing here reads storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/inspection/risk.hpp"
#include "modules/support/risk.hpp"

namespace nongsan::inspection {

struct PlanPick {
  std::string subject_ref;
  std::string reason;  // "risk" or "random"
  double score = 0;
};

// The sample of `risks` (one per subject): at least ceil(share_pct % × n); of them
// round(risk_share × size) by highest score (ties by subject_ref), the rest drawn from the
// others in the order of a keyed hash of (seed, subject_ref). Entries by risk first (by
// score), then the random ones (in draw order). REQUIRES 0 ≤ share_pct ≤ 100,
// 0 ≤ risk_share ≤ 1.
std::vector<PlanPick> pick_subjects(const std::vector<SubjectRisk>& risks, double share_pct, double risk_share,
                                    std::uint64_t seed);

struct InspectorLoad {
  std::int64_t user_id = 0;
  std::string login;
  // The units the inspector works in (their unit's subtree); nullopt: the province.
  std::optional<std::unordered_set<UnitId>> scope;
  int open = 0;  // inspections assigned to them and not closed
};

// One inspector per entry (nullopt: nobody fits), in entry order: among the inspectors
// whose scope holds the entry's commune — those of a commune or district before the
// province's, who take an entry only when no local inspector fits, and entries without a
// commune go to the province's — the one with the fewest open inspections, ties by login.
// Each assignment adds one to that inspector's open count.
std::vector<std::optional<std::int64_t>> assign_inspectors(const std::vector<std::optional<UnitId>>& entry_units,
                                                           std::vector<InspectorLoad> inspectors);

}  // namespace nongsan::inspection
