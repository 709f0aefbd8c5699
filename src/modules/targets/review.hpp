// The mid-term review as JSON (the shape in docs/review-json.md, the contract with
// the report writers): every indicator of a programme evaluated for one unit, the
// counts per status, the narrative and assessments (Vietnamese first, English when
// asked), per-unit detail for the unit's
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
  // The support section of the review's unit and year (support_summary.hpp); null when
  // the province runs no support through nongsan. Part of the data hash when present.
  nlohmann::json support;
};

struct ReviewRequest {
  int milestone = 0;
  CivilDate as_of;
  UnitId unit;
  std::string lang = "vi";  // of the narrative and assessment texts: "vi" (default) or "en"
};

// The review without `data_hash` and `generated_at` (added by the caller).
nlohmann::json build_review(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r);

// SHA-256 (hex) of a canonical serialization of the inputs: the programme, the
// indicators, the target revisions in force on as_of (with the originals), the
// values used (approved observations up to year(as_of), computed values), and the
// units, parent links and successions. Unchanged data gives the same hash.
std::string data_hash(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r);
std::string sha256_hex(std::string_view bytes);

// The narrative {"title", "paragraphs"} written from a review's figures, in the
// review's `lang` (Vietnamese unless "en").
nlohmann::json narrative(const nlohmann::json& review);
// The assessment of one indicator as a reader reads it ("Trên 50%; dự báo khó đạt",
// "Chưa giao mục tiêu"; in English with lang "en").
std::string assessment_text(Assessment status, std::optional<bool> forecast_reached, const std::string& lang);

}  // namespace nongsan::targets
