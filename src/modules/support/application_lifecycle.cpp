#include "modules/support/application_lifecycle.hpp"

#include <algorithm>

namespace nongsan::support {

using identity::Permission;
using S = ApplicationStatus;

namespace {

const std::vector<StepRule>& rules() {
  static const std::vector<StepRule> r = {
      {Step::verify, {S::submitted}, S::verified, Permission::support_verify},
      {Step::appraise, {S::verified}, S::appraised, Permission::support_appraise},
      {Step::accept, {S::appraised}, S::accepted, Permission::support_verify},
      {Step::approve, {S::accepted}, S::approved, Permission::support_approve, false, true},
      {Step::pay, {S::approved}, S::paid, Permission::support_pay},
      {Step::reject, {S::submitted, S::verified, S::appraised, S::accepted, S::approved}, S::rejected,
       Permission::support_verify, true},
      {Step::recover, {S::approved, S::paid}, S::recovered, Permission::support_pay, true, true},
  };
  return r;
}

constexpr std::pair<Step, std::string_view> kNames[] = {{Step::verify, "verify"},   {Step::appraise, "appraise"},
                                                        {Step::accept, "accept"},   {Step::approve, "approve"},
                                                        {Step::pay, "pay"},         {Step::reject, "reject"},
                                                        {Step::recover, "recover"}};

}  // namespace

std::string_view to_string(Step s) {
  for (const auto& [x, n] : kNames)
    if (x == s) return n;
  return "?";
}

std::optional<Step> parse_step(std::string_view s) {
  for (const auto& [x, n] : kNames)
    if (n == s) return x;
  return std::nullopt;
}

const StepRule& rule_of(Step s) {
  for (const auto& r : rules())
    if (r.step == s) return r;
  return rules().front();
}

std::vector<Step> next_steps(ApplicationStatus s) {
  std::vector<Step> out;
  for (const auto& r : rules())
    if (std::find(r.from.begin(), r.from.end(), s) != r.from.end()) out.push_back(r.step);
  return out;
}

Status check_step(Step step, ApplicationStatus status, const std::string& actor, const History& history,
                  bool four_eyes, bool has_reason, bool has_amount) {
  const StepRule& r = rule_of(step);
  if (std::find(r.from.begin(), r.from.end(), status) == r.from.end())
    return Error::conflict("the step " + std::string(to_string(step)) + " is not possible for an application that is " +
                           std::string(to_string(status)));
  if (r.needs_reason && !has_reason)
    return Error::invalid("a reason is required to " + std::string(to_string(step)), {{"reason", "is required"}});
  if (r.needs_amount && !has_amount)
    return Error::invalid("the amount is required to " + std::string(to_string(step)), {{"amount", "is required"}});
  if (four_eyes) {
    auto did = [&](Step s) {
      return std::any_of(history.steps.begin(), history.steps.end(),
                         [&](const auto& p) { return p.first == s && p.second == actor; });
    };
    if (step == Step::approve && (history.entered_by == actor || did(Step::verify) || did(Step::appraise)))
      return Error::forbidden(
          "four eyes: whoever entered, verified or appraised an application may not approve it (docs/rules.md §3)");
    if (step == Step::pay && did(Step::approve))
      return Error::forbidden("four eyes: whoever approved an application may not pay it (docs/rules.md §3)");
  }
  return {};
}

}  // namespace nongsan::support
