#include "modules/support/support_json.hpp"

#include "modules/admin/admin_service.hpp"
#include "modules/support/policy_file.hpp"

namespace nongsan::support {

using nlohmann::json;

json policy_json(const PolicyRecord& r) {
  json j = to_json(r.policy);
  j["id"] = r.id.value;
  j["created_by"] = r.created_by;
  j["created_at"] = r.created_at;
  return j;
}

json application_json(const admin::UnitGraph& g, const ApplicationRecord& r) {
  json items = json::array();
  for (const auto& it : r.items)
    items.push_back({{"seq", it.seq},
                     {"parcel", it.parcel_id ? json{{"id", *it.parcel_id}, {"external_id", it.parcel}} : json(nullptr)},
                     {"quantity", it.quantity}});
  json unit = nullptr;
  if (r.unit)
    if (const auto* u = g.find(*r.unit)) unit = admin::AdminService::ref_json(*u);
  return {{"id", r.id.value},
          {"code", r.code},
          {"policy", r.policy},
          {"applicant", {{"id", r.applicant_id.value}, {"external_id", r.applicant}, {"name", r.applicant_name}}},
          {"unit", unit},
          {"filed", r.filed.iso()},
          {"accepted", r.accepted ? json(r.accepted->iso()) : json(nullptr)},
          {"status", std::string(to_string(r.status))},
          {"approved_amount", r.approved_amount ? json(*r.approved_amount) : json(nullptr)},
          {"note", r.note},
          {"source", r.source},
          {"items", items},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

json step_json(const StepRecord& s) {
  return {{"from", s.from_status}, {"to", s.to_status}, {"date", s.step_date.iso()}, {"reason", s.reason},
          {"actor", s.actor},      {"at", s.at}};
}

json payment_json(const PaymentRecord& p) {
  return {{"id", p.id.value},
          {"application", p.application},
          {"date", p.date.iso()},
          {"amount", p.amount},
          {"kind", std::string(to_string(p.kind))},
          {"funding_source", p.funding_source},
          {"reference", p.reference},
          {"source", p.source}};
}

json settings_json(const CheckSettings& s, bool four_eyes) {
  return {{"tolerance_pct", s.tolerance_pct},
          {"tolerance_ha", s.tolerance_ha},
          {"penalty_factor", s.penalty_factor},
          {"min_overlap_m2", s.min_overlap_m2},
          {"four_eyes", four_eyes},
          {"source", "Delegated Regulation (EU) No 640/2014 Art. 19a as the default (docs/rules.md §5); "
                     "the province sets its own"}};
}

json to_json(const Finding& f) {
  return {{"finding", f.finding},
          {"application", f.application},
          {"other_application", f.other_application},
          {"parcel", f.parcel},
          {"detail", f.detail}};
}

json to_json(const AmountTrace& t) {
  json steps = json::array();
  for (const auto& s : t.condition_steps)
    steps.push_back({{"text", s.text}, {"left", s.left}, {"op", s.op}, {"right", s.right}, {"result", s.result}});
  json items = json::array();
  for (const auto& it : t.items)
    items.push_back({{"parcel", it.parcel},
                     {"claimed", it.claimed},
                     {"area_ha", it.area_ha},
                     {"counted", it.counted},
                     {"excess_ha", it.excess_ha},
                     {"reasons", it.reasons}});
  return {{"application", t.application},
          {"policy", t.policy},
          {"amount", t.amount},
          {"before_cap", t.before_cap},
          {"payable", t.payable},
          {"penalty_ha", t.penalty_ha},
          {"rate", t.rate},
          {"policy_version", t.policy_version},
          {"status", t.status},
          {"conditions_hold", t.conditions_hold},
          {"conditions", steps},
          {"items", items},
          {"note", t.note}};
}

}  // namespace nongsan::support
