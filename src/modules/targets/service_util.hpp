// JSON shapes and small helpers shared by the two halves of TargetsService
// (targets_service.cpp: records and workflow; review_service.cpp: the review).
#pragma once

#include <nlohmann/json.hpp>

#include "modules/admin/unit_graph.hpp"
#include "modules/targets/targets_types.hpp"

namespace nongsan::targets::detail {

nlohmann::json programme_json(const Programme& p);  // the stored record (audit)
// The record as readers get it: `illustrative` when the programme or any indicator is.
nlohmann::json programme_view(const Programme& p, const std::vector<Indicator>& indicators);
nlohmann::json indicator_json(const Indicator& i);
nlohmann::json target_json(const admin::UnitGraph& g, const Target& t, const std::string& indicator);
nlohmann::json unit_ref(const admin::UnitGraph& g, UnitId id);
Error programme_not_found(const std::string& code);
Error indicator_not_found(const std::string& programme, const std::string& code);

}  // namespace nongsan::targets::detail
