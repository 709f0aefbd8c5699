// Support policies, applications, payments, budgets and the cross-checks: the shapes
// of modules/support/support_json.cpp, policy_file.cpp (to_json of a version) and the
// SupportService answers, and the response of each support route. The route table
// (api/handlers/support_handlers.cpp) belongs to the support area; all_routes() gives
// its routes these schemas.
#include "api/schemas/components.hpp"

namespace nongsan::api {

namespace {
using S = Schema;
const std::vector<std::string> kStatus = {"submitted", "verified", "appraised", "accepted",
                                          "approved",  "paid",     "rejected",  "recovered"};
const std::vector<std::string> kFundingSources = {"national_target_programme", "central_budget", "provincial_budget",
                                                  "credit", "other"};

std::vector<std::pair<std::string, Schema>> policy_version() {
  return {{"code", S::string()},
          {"version", S::date().describe("effective date")},
          {"name_vi", S::string()},
          {"name_en", S::string()},
          {"content", S::string()},
          {"item", S::string().describe("what the rate is paid for: area (ha) or a count")},
          {"rate", S::number().describe("đồng per item")},
          {"one_time", S::boolean()},
          {"cap_per_beneficiary_year", S::integer().nullable().describe("đồng")},
          {"exclusive_with", S::array(S::string()).describe("policy codes that cannot be paid for the same parcel")},
          {"requires", S::object({{"crop", S::string().optional()},
                                  {"zone", S::boolean().optional()},
                                  {"controller", S::boolean().optional()},
                                  {"suitability", S::array(S::string()).optional()},
                                  {"profile", S::string().optional()}})},
          {"conditions", S::string().describe("the condition, in the policy language")},
          {"source", S::string()},
          {"illustrative", S::boolean()},
          {"note", S::string()}};
}

std::vector<std::pair<std::string, Schema>> application() {
  return {{"id", S::integer()},
          {"code", S::string()},
          {"policy", S::string().describe("policy code")},
          {"applicant", S::object({{"id", S::integer()}, {"external_id", S::string()}, {"name", S::string()}})},
          {"unit", S::ref("UnitRef").nullable()},
          {"filed", S::date()},
          {"accepted", S::date().nullable()},
          {"status", S::string().enumerate(kStatus)},
          {"approved_amount", S::integer().nullable().describe("đồng")},
          {"note", S::string()},
          {"source", S::string()},
          {"items", S::array(S::object({{"seq", S::integer()},
                                        {"parcel", S::object({{"id", S::integer()}, {"external_id", S::string()}}).nullable()},
                                        {"quantity", S::number().describe("hectares or a count")}}))},
          {"created_at", S::date_time()},
          {"updated_at", S::date_time()}};
}

Schema run_settings() {
  return S::object({{"tolerance_pct", S::number()},
                    {"tolerance_ha", S::number()},
                    {"penalty_factor", S::number()},
                    {"min_overlap_m2", S::number()},
                    {"four_eyes", S::boolean()},
                    {"source", S::string()}});
}
}  // namespace

void add_support_components(Components& c) {
  c["PolicyVersion"] = S::object(policy_version());
  auto stored = policy_version();
  stored.push_back({"id", S::integer()});
  stored.push_back({"created_by", S::string()});
  stored.push_back({"created_at", S::date_time()});
  c["PolicyRecord"] = S::object(stored);
  stored.push_back({"result", S::string().enumerate({"created", "unchanged"}).describe("unchanged: this version was stored already")});
  c["PolicySaved"] = S::object(stored);
  c["Policy"] = S::object({{"code", S::string()},
                           {"current", S::ref("PolicyRecord").nullable().describe("the version in force today")},
                           {"versions", S::array(S::ref("PolicyRecord"))}});
  c["SupportApplication"] = S::object(application());
  auto listed = application();
  listed.push_back({"findings", S::array(S::string()).optional().describe("kinds found by the year's latest check run")});
  listed.push_back({"evaluated_amount", S::integer().optional().describe("đồng, by the year's latest check run")});
  c["SupportApplicationItem"] = S::object(listed);
  c["SupportFinding"] = S::object({{"finding", S::string()},
                                   {"application", S::string()},
                                   {"other_application", S::string()},
                                   {"parcel", S::string()},
                                   {"detail", S::string()}});
  c["AmountTrace"] = S::object(
      {{"application", S::string()},
       {"policy", S::string()},
       {"amount", S::integer().describe("đồng")},
       {"before_cap", S::integer()},
       {"payable", S::number().describe("hectares or count after the penalty")},
       {"penalty_ha", S::number()},
       {"rate", S::number()},
       {"policy_version", S::string().describe("date of the version in force, empty when none")},
       {"status", S::string()},
       {"conditions_hold", S::boolean()},
       {"conditions", S::array(S::object({{"text", S::string()},
                                          {"left", S::string()},
                                          {"op", S::string()},
                                          {"right", S::string()},
                                          {"result", S::boolean()}}))},
       {"items", S::array(S::object({{"parcel", S::string()},
                                     {"claimed", S::number()},
                                     {"area_ha", S::number()},
                                     {"counted", S::number()},
                                     {"excess_ha", S::number()},
                                     {"reasons", S::array(S::string())}}))},
       {"note", S::string().describe("why the amount is 0 when it is")}});
  c["SupportPayment"] = S::object({{"id", S::integer()},
                                   {"application", S::string()},
                                   {"date", S::date()},
                                   {"amount", S::integer().describe("đồng")},
                                   {"kind", S::string().enumerate({"payment", "recovery"})},
                                   {"funding_source", S::string()},
                                   {"reference", S::string()},
                                   {"source", S::string()}});
  auto detail = application();
  detail.push_back({"steps", S::array(S::object({{"from", S::string()},
                                                 {"to", S::string()},
                                                 {"date", S::date()},
                                                 {"reason", S::string()},
                                                 {"actor", S::string()},
                                                 {"at", S::date_time()}}))});
  detail.push_back({"payments", S::array(S::ref("SupportPayment"))});
  detail.push_back({"paid_net", S::integer().describe("payments less recoveries, đồng")});
  detail.push_back({"next_steps", S::array(S::string())});
  detail.push_back({"check_run", S::object({{"id", S::integer()}, {"run_at", S::date_time()}, {"run_by", S::string()}})
                                     .optional()
                                     .describe("the year's latest check run, when there is one")});
  detail.push_back({"findings", S::array(S::ref("SupportFinding")).optional()});
  detail.push_back({"evaluated_amount", S::integer().optional()});
  detail.push_back({"trace", S::ref("AmountTrace").optional().describe("how the check run reached the amount")});
  c["SupportApplicationDetail"] = S::object(detail);
  c["SupportSettings"] = run_settings();
}

const std::map<std::string, Schema>& support_responses() {
  static const std::map<std::string, Schema> responses = [] {
    std::map<std::string, Schema> r;
    r["GET /api/v1/support/policies"] = S::array(S::ref("Policy"));
    r["POST /api/v1/support/policies"] = S::ref("PolicySaved");
    r["POST /api/v1/support/policies/check"] = S::object(
        {{"result", S::string().enumerate({"new_policy", "amendment", "earlier_version", "unchanged"})}, {"policy", S::ref("PolicyVersion")}});
    r["POST /api/v1/support/policies/preview"] =
        S::object({{"policy", S::ref("PolicyVersion")},
                   {"year", S::integer()},
                   {"total_before", S::integer()},
                   {"total_after", S::integer()},
                   {"difference", S::integer()},
                   {"changed", S::integer()},
                   {"changes", S::array(S::object({{"application", S::string()},
                                                   {"before", S::integer()},
                                                   {"after", S::integer()},
                                                   {"difference", S::integer()}}))}});
    r["GET /api/v1/support/policies/{code}"] = S::ref("Policy");
    r["GET /api/v1/support/applications"] = S::page(S::ref("SupportApplicationItem"));
    r["POST /api/v1/support/applications"] = S::ref("SupportApplication");
    r["GET /api/v1/support/applications/{id}"] = S::ref("SupportApplicationDetail");
    r["POST /api/v1/support/applications/{id}/steps"] = S::ref("SupportApplication");
    r["POST /api/v1/support/applications/{id}/payments"] = S::ref("SupportPayment");
    std::vector<std::pair<std::string, Schema>> queues;
    for (const auto& s : kStatus) queues.push_back({s, S::integer()});
    r["GET /api/v1/support/queues"] = S::object(queues).describe("applications waiting at each status");
    r["POST /api/v1/support/checks"] = S::object({{"run_id", S::integer()},
                                                  {"applications", S::integer()},
                                                  {"findings", S::integer()},
                                                  {"counts", S::map(S::integer()).describe("findings by kind")},
                                                  {"total_amount", S::integer().describe("đồng")}});
    r["POST /api/v1/support/checks/jobs"] =
        S::ref("Job").describe("the queued run; follow GET /api/v1/jobs/{id}, whose result names the run (run_id)");
    auto finding = S::object({{"finding", S::string()},
                              {"application", S::string()},
                              {"other_application", S::string()},
                              {"parcel", S::string()},
                              {"detail", S::string()},
                              {"application_id", S::integer()},
                              {"applicant", S::string()},
                              {"parcel_id", S::integer().optional()},
                              {"geometry", S::any().optional().describe("with geometry=true: the parcel's GeoJSON")}});
    r["GET /api/v1/support/findings"] = S::object(
        {{"year", S::integer()},
         {"run", S::object({{"id", S::integer()},
                            {"run_at", S::date_time()},
                            {"run_by", S::string()},
                            {"applications", S::integer()},
                            {"findings", S::integer()},
                            {"total_amount", S::integer()},
                            {"settings", run_settings().describe("the settings the run used")}})
                     .nullable()
                     .describe("the year's latest check run; null before the first")},
         {"items", S::array(finding)},
         {"counts", S::map(S::integer()).describe("findings in scope by kind")},
         {"running", S::ref("Job").nullable().describe("a check of the findings' kind queued or running now")}});
    r["GET /api/v1/support/risk"] = S::object(
        {{"year", S::integer()},
         {"items", S::array(S::object({{"application", S::string()},
                                       {"application_id", S::integer()},
                                       {"applicant", S::string()},
                                       {"score", S::number()},
                                       {"parts", S::array(S::object({{"part", S::string()},
                                                                     {"value", S::number()},
                                                                     {"points", S::number()}}))}}))}});
    r["GET /api/v1/support/sample"] = S::object(
        {{"year", S::integer()},
         {"applicants", S::integer().describe("applicants of the year, the population sampled from")},
         {"items", S::array(S::object({{"applicant", S::string()},
                                       {"reason", S::string().enumerate({"risk", "random"})},
                                       {"score", S::number()},
                                       {"applications", S::array(S::string())}}))},
         {"parcels", S::array(S::object({{"applicant", S::string()}, {"application", S::string()}, {"parcel", S::string()}}))}});
    r["GET /api/v1/support/settings"] = S::ref("SupportSettings");
    r["PATCH /api/v1/support/settings"] = S::ref("SupportSettings");
    auto money = [](std::vector<std::pair<std::string, Schema>> extra) {
      std::vector<std::pair<std::string, Schema>> m = {
          {"planned", S::integer()}, {"committed", S::integer()}, {"paid", S::integer()}, {"remaining", S::integer()}};
      extra.insert(extra.end(), m.begin(), m.end());
      return extra;
    };
    r["PUT /api/v1/support/budget"] = S::object({{"policy", S::string()},
                                                  {"year", S::integer()},
                                                  {"funding_source", S::string().enumerate(kFundingSources)},
                                                  {"planned", S::integer()},
                                                  {"note", S::string()}});
    r["GET /api/v1/support/budget"] = S::object(
        {{"year", S::integer()},
         {"lines", S::array(S::object(money(
                       {{"policy", S::string()},
                        {"sources", S::array(S::object({{"source", S::string().enumerate(kFundingSources)},
                                                         {"planned", S::integer()},
                                                         {"paid", S::integer()}}))}})))},
         {"total", S::object(money({})).optional().describe("absent when the year has no line")}});
    return r;
  }();
  return responses;
}

}  // namespace nongsan::api
