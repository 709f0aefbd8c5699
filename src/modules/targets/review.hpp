// The mid-term review as JSON (the shape in docs/review-json.md, the contract with
// the report writers): every indicator of a programme evaluated for one unit, the
// counts per band, the Vietnamese narrative, per-unit detail for the unit's
// children, standouts, and the hash of the data it was computed from. Pure: the
// data is loaded by TargetsService; nothing here reads storage or the clock.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/admin/unit_graph.hpp"
#include "modules/targets/evaluation.hpp"
#include "modules/targets/targets_types.hpp"

namespace nongsan::targets {

// Everything a review is computed from.
struct ReviewData {
  Programme programme;
  std::vector<Indicator> indicators;
  std::map<IndicatorId, ValueTable> values;    // approved annual observations, or computed own values
  std::map<IndicatorId, TargetTable> targets;  // own targets for the milestone year
  // For reported indicators that also have a computed definition: the computed own values.
  std::map<IndicatorId, ValueTable> computed;
};

struct ReviewRequest {
  int milestone = 0;
  CivilDate as_of;
  UnitId unit;
};

// The review without `data_hash` and `generated_at` (added by the caller).
nlohmann::json build_review(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r);

// SHA-256 (hex) of a canonical serialization of the inputs: the programme, the
// indicators, the target revisions in force on as_of (with the originals), the
// values used (approved observations up to year(as_of), computed values), and the
// units, parent links and successions. Unchanged data gives the same hash.
std::string data_hash(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r);
std::string sha256_hex(std::string_view bytes);

// The Vietnamese narrative {"title", "paragraphs"} written from a review's figures.
nlohmann::json narrative_vi(const nlohmann::json& review);

}  // namespace nongsan::targets
