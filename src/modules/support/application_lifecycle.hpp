// The life cycle of a support application, as pure rules: which step leads from
// which status to which, who may take it, and what it must record.
//
//   submitted → verified (the commune checks the file)
//             → appraised (the district or province appraises it)
//             → accepted (nghiệm thu: the work was done and checked, with its date)
//             → approved (with the approved amount)
//             → paid (a payment is recorded)
//   any step before paid → rejected (with a reason)
//   approved or paid     → recovered (money taken back, with a reason)
//
// Four eyes (docs/rules.md §3; a setting, on by default): whoever approves must not
// have entered, verified or appraised the application, and whoever pays must not have
// approved it — public money needs two people. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "modules/identity/role.hpp"
#include "modules/support/support_types.hpp"

namespace nongsan::support {

enum class Step { verify, appraise, accept, approve, pay, reject, recover };
std::string_view to_string(Step s);
std::optional<Step> parse_step(std::string_view s);

struct StepRule {
  Step step;
  std::vector<ApplicationStatus> from;
  ApplicationStatus to;
  identity::Permission permission;
  bool needs_reason = false;
  bool needs_amount = false;  // approve: the approved amount; recover: the amount taken back
};
const StepRule& rule_of(Step s);

// The steps possible from a status, in the order of the life cycle.
std::vector<Step> next_steps(ApplicationStatus s);

// Who did what so far: actor names by step ("user:lan"), from the step history.
struct History {
  std::string entered_by;
  std::vector<std::pair<Step, std::string>> steps;
};

// Checks that `actor` may take `step` from `status` (the permission itself is the
// caller's check). Errors name the rule broken: a step not possible from the status
// (conflict), a missing reason or amount (invalid), four eyes (forbidden).
Status check_step(Step step, ApplicationStatus status, const std::string& actor, const History& history,
                  bool four_eyes, bool has_reason, bool has_amount);

}  // namespace nongsan::support
