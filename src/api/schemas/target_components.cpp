// Targets and the mid-term review: the shapes of modules/targets (targets_service.cpp,
// review_service.cpp, observation_flags.cpp) and the review JSON (docs/review-json.md,
// the contract the report writers check).
#include "api/schemas/components.hpp"

namespace nongsan::api {

namespace {
using S = Schema;
const std::vector<std::string> kObservationStatus = {"draft", "submitted", "approved", "returned"};
const std::vector<std::string> kBands = {"achieved", "over_half", "low"};
const std::vector<std::string> kStatus = {"achieved", "over_half", "low", "no_target", "no_data", "not_evaluable"};

std::vector<std::pair<std::string, Schema>> programme() {
  return {{"code", S::string()},
          {"name_vi", S::string()},
          {"name_en", S::string()},
          {"start", S::date()},
          {"end", S::date()},
          {"baseline_year", S::integer()},
          {"milestones", S::array(S::integer())},
          {"illustrative", S::boolean()},
          {"source", S::string()}};
}

std::vector<std::pair<std::string, Schema>> observation() {
  return {{"id", S::integer()},
          {"indicator", S::string().describe("indicator code")},
          {"unit", S::ref("UnitRef").nullable()},
          {"year", S::integer()},
          {"period", S::integer()},
          {"value", S::number()},
          {"status", S::string().enumerate(kObservationStatus)},
          {"counts", S::boolean().describe("approved: counts in the review")},
          {"editable", S::boolean()},
          {"entered_by", S::string()},
          {"submitted_by", S::string()},
          {"submitted_at", S::string()},
          {"approved_by", S::string()},
          {"approved_at", S::string()},
          {"returned_reason", S::string()},
          {"note", S::string()},
          {"flags", S::array(S::ref("ObservationFlag"))},
          {"created_at", S::date_time()},
          {"updated_at", S::date_time()}};
}
}  // namespace

void add_target_components(Components& c) {
  c["Programme"] = S::object(programme());
  auto view = programme();
  view.push_back({"illustrative_indicators", S::integer().describe("how many indicators are illustrative")});
  auto listed = view;
  listed.push_back({"indicators", S::integer().describe("how many")});
  c["ProgrammeItem"] = S::object(listed);
  c["ProgrammeView"] = S::object(view);
  view.push_back({"indicators", S::array(S::ref("Indicator"))});
  c["ProgrammeDetail"] = S::object(view);
  c["Indicator"] = S::object({{"code", S::string()},
                              {"name_vi", S::string()},
                              {"name_en", S::string()},
                              {"measure_unit", S::string()},
                              {"kind", S::string().enumerate({"stock", "flow"})},
                              {"direction", S::string().enumerate({"up", "down"})},
                              {"source", S::string().enumerate({"reported", "computed"})},
                              {"computed", S::any().nullable().describe("the definition of a computed indicator")},
                              {"not_above", S::string().nullable().describe("an indicator this one may not exceed")},
                              {"position", S::integer()},
                              {"illustrative", S::boolean()},
                              {"note", S::string()}});
  c["Target"] = S::object({{"id", S::integer()},
                           {"indicator", S::string()},
                           {"unit", S::ref("UnitRef").nullable()},
                           {"year", S::integer().describe("milestone year")},
                           {"original", S::number().nullable()},
                           {"in_force_today", S::number().nullable()},
                           {"revisions", S::array(S::object({{"seq", S::integer()},
                                                             {"value", S::number()},
                                                             {"decision", S::string()},
                                                             {"effective_date", S::date().nullable()},
                                                             {"original", S::boolean()},
                                                             {"created_by", S::string()},
                                                             {"created_at", S::date_time()}}))}});
  c["ObservationFlag"] = S::object({{"code", S::string().enumerate({"outlier", "exceeds", "reported_differs_from_computed"})},
                                    {"message", S::string()}});
  c["Observation"] = S::object(observation());
  auto changed = observation();
  changed.push_back({"reason", S::string().optional().describe("of a return or an unlock")});
  c["ObservationChanged"] = S::object(changed);
  auto waiting = observation();
  waiting.push_back({"indicator_name_vi", S::string()});
  waiting.push_back({"indicator_name_en", S::string()});
  waiting.push_back({"measure_unit", S::string()});
  waiting.push_back({"previous", S::object({{"id", S::integer()},
                                            {"year", S::integer()},
                                            {"value", S::number()},
                                            {"approved_by", S::string()},
                                            {"approved_at", S::string()}})
                                     .nullable()
                                     .describe("the unit's last approved value before this year")});
  waiting.push_back({"change", S::number().nullable()});
  waiting.push_back({"can_approve", S::boolean()});
  waiting.push_back({"cannot_approve_reason", S::string().nullable().describe("four_eyes: the caller entered it")});
  c["ApprovalInbox"] = S::object(
      {{"programme", S::string()},
       {"waiting", S::object({{"total", S::integer()},
                              {"by_unit", S::array(S::object({{"unit", S::ref("UnitRef").nullable()}, {"count", S::integer()}}))},
                              {"by_indicator", S::array(S::object({{"indicator", S::string()},
                                                                   {"name_vi", S::string()},
                                                                   {"name_en", S::string()},
                                                                   {"count", S::integer()}}))}})},
       {"items", S::array(S::object(waiting))},
       {"page", S::integer()},
       {"page_size", S::integer()},
       {"total", S::integer()},
       {"four_eyes", S::boolean()}});
  c["ObservationFlags"] = S::object(
      {{"programme", S::string()},
       {"checked", S::integer()},
       {"flagged", S::integer()},
       {"items", S::array(S::object({{"observation_id", S::integer()},
                                     {"indicator", S::string()},
                                     {"unit_code", S::string()},
                                     {"unit_name", S::string()},
                                     {"year", S::integer()},
                                     {"period", S::integer()},
                                     {"value", S::number()},
                                     {"status", S::string().enumerate(kObservationStatus)},
                                     {"flags", S::array(S::ref("ObservationFlag"))}}))},
       {"rules", S::map(S::string()).describe("each flag's rule")}});
  // docs/review-json.md
  auto review_unit_indicator = S::object({{"indicator", S::string()},
                                          {"target", S::number().nullable()},
                                          {"actual", S::number().nullable()},
                                          {"achievement_pct", S::number().nullable()},
                                          {"forecast_pct", S::number().nullable()},
                                          {"band", S::string().enumerate(kBands).nullable()},
                                          {"status", S::string().enumerate(kStatus)},
                                          {"forecast_reached", S::boolean().nullable()}});
  // The review's support section (modules/support/support_summary.cpp; docs/support.md).
  auto support_money = [](std::vector<std::pair<std::string, Schema>> extra) {
    std::vector<std::pair<std::string, Schema>> f = {
        {"applications", S::integer()},
        {"unchecked", S::integer().describe("applications no check run has evaluated")},
        {"approved", S::integer().describe("đồng")},
        {"paid", S::integer().describe("payments minus recoveries, đồng")},
        {"planned", S::integer().nullable().describe("the budget planned (province's review only)")},
        {"remaining", S::integer().nullable()},
        {"findings", S::map(S::integer()).describe("findings of the year's latest check run by kind")}};
    f.insert(f.end(), extra.begin(), extra.end());
    return f;
  };
  c["ReviewSupport"] = S::object(
      {{"year", S::integer()},
       {"illustrative", S::boolean()},
       {"check_run", S::object({{"id", S::integer()}, {"run_at", S::date_time()}, {"run_by", S::string()}}).nullable()},
       {"policies", S::array(S::object(support_money({{"policy", S::string()},
                                                       {"name_vi", S::string()},
                                                       {"name_en", S::string()},
                                                       {"item", S::string()},
                                                       {"illustrative", S::boolean()},
                                                       {"payable", S::number().describe("hectares or items")}})))},
       {"total", S::object(support_money({}))}});
  c["Review"] = S::object(
      {{"kind", S::string().enumerate({"review"})},
       {"lang", S::string().enumerate({"vi", "en"})},
       {"illustrative", S::boolean()},
       {"programme", S::object({{"code", S::string()},
                                {"name_vi", S::string()},
                                {"name_en", S::string()},
                                {"start", S::date()},
                                {"end", S::date()},
                                {"baseline_year", S::integer()},
                                {"milestones", S::array(S::integer())},
                                {"illustrative", S::boolean()}})},
       {"milestone", S::integer()},
       {"as_of", S::date()},
       {"elapsed_fraction", S::number().nullable()},
       {"unit", S::ref("UnitRef")},
       {"indicators", S::array(S::object({{"indicator", S::string()},
                                          {"name_vi", S::string()},
                                          {"name_en", S::string()},
                                          {"measure_unit", S::string()},
                                          {"kind", S::string().enumerate({"stock", "flow"})},
                                          {"direction", S::string().enumerate({"up", "down"})},
                                          {"source", S::string().enumerate({"reported", "computed"})},
                                          {"unit_code", S::string()},
                                          {"baseline", S::number()},
                                          {"target", S::number().nullable()},
                                          {"target_original", S::number().nullable()},
                                          {"target_decision", S::string().nullable()},
                                          {"target_effective", S::date().nullable()},
                                          {"actual", S::number().nullable()},
                                          {"actual_year", S::integer().nullable()},
                                          {"achievement_pct", S::number().nullable()},
                                          {"change_since_baseline", S::number().nullable()},
                                          {"change_since_baseline_pct", S::number().nullable()},
                                          {"forecast", S::number().nullable()},
                                          {"forecast_pct", S::number().nullable()},
                                          {"band", S::string().enumerate(kBands).nullable()},
                                          {"status", S::string().enumerate(kStatus)},
                                          {"forecast_reached", S::boolean().nullable()},
                                          {"assessment", S::string()},
                                          {"counted", S::boolean()},
                                          {"trend", S::array(S::object({{"year", S::integer()}, {"value", S::number()}}))},
                                          {"flags", S::array(S::string())},
                                          {"illustrative", S::boolean()}}))},
       {"counts", S::object({{"total", S::integer()},
                             {"achieved", S::integer()},
                             {"over_half", S::integer()},
                             {"low", S::integer()},
                             {"no_target", S::integer()},
                             {"no_data", S::integer()},
                             {"not_evaluable", S::integer()},
                             {"passed_half", S::integer()},
                             {"forecast_missed", S::integer()}})},
       {"narrative", S::object({{"title", S::string()}, {"paragraphs", S::array(S::string())}})},
       {"units", S::array(S::object({{"unit_code", S::string()},
                                     {"unit_name", S::string()},
                                     {"level", S::string().enumerate({"province", "district", "commune"})},
                                     {"indicators", S::array(review_unit_indicator)}}))},
       {"standouts", S::array(S::object({{"unit_code", S::string()},
                                         {"unit_name", S::string()},
                                         {"indicator", S::string()},
                                         {"name_vi", S::string()},
                                         {"name_en", S::string()},
                                         {"achievement_pct", S::number()},
                                         {"note", S::string().enumerate({"highest", "lowest"})}}))},
       {"support", S::ref("ReviewSupport").nullable().optional()},
       {"data_hash", S::string().describe("SHA-256 of the data the review was computed from")},
       {"generated_at", S::date_time()}})
                    .describe("docs/review-json.md");
  c["ReportIssue"] = S::object({{"id", S::integer()},
                                {"kind", S::string()},
                                {"programme", S::string()},
                                {"parameters", S::object({{"programme", S::string()},
                                                          {"milestone", S::integer()},
                                                          {"as_of", S::date()},
                                                          {"unit", S::string().nullable()},
                                                          {"profile", S::string().optional()},
                                                          {"lang", S::string().optional()}})},
                                {"format", S::string().enumerate({"json", "html", "pdf", "docx", "xlsx"})},
                                {"data_hash", S::string()},
                                {"file_name", S::string()},
                                {"size_bytes", S::integer()},
                                {"file_sha256", S::string()},
                                {"issued_by", S::string()},
                                {"issued_at", S::date_time()}});
}

}  // namespace nongsan::api
