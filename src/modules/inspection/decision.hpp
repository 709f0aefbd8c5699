// The decisions an inspection finding leads to, as pure rules (docs/inspection.md
// "Decisions"; docs/rules.md §17): which actions exist, which record each acts on, the
// permission of the role that may take it, and what the request must hold. Pure: the
// service (decision.cpp) takes the decision through the other module's service.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "modules/identity/role.hpp"

namespace nongsan::inspection {

enum class Action { reduce_amount, recover, suspend_code, downgrade_ocop, revoke_ocop, correct_boundary, dismiss };
std::string_view to_string(Action a);
std::optional<Action> parse_action(std::string_view s);

struct ActionRule {
  Action action;
  std::string_view target_kind;  // application, area_code, ocop_product, parcel; "" for dismiss
  identity::Permission permission;  // besides inspection.decide
  std::string_view who;             // the body that takes it, for the refusal
};
const ActionRule& rule_of(Action a);

struct DecisionRequest {
  Action action = Action::dismiss;
  std::string target;  // the target record's code or external id ("" = from the finding)
  std::string reason, decision_no;
  CivilDate date = CivilDate::today();
  std::optional<std::int64_t> amount;  // đồng: reduce_amount (the approved amount), recover (taken back)
  std::optional<int> stars;            // downgrade_ocop: the stars after it
};

// Checks the body; errors name the field.
Result<DecisionRequest> parse_decision(const nlohmann::json& body);

// The record a decision acts on: the request's target, else the finding's subject when
// it is of the action's kind, else the inspection's parcel for a boundary; "" when none.
std::string decision_target(const DecisionRequest& r, const std::string& finding_subject_kind,
                            const std::string& finding_subject_ref, const std::string& inspection_parcel);

}  // namespace nongsan::inspection
