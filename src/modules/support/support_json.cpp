#include "modules/support/support_json.hpp"

#include <charconv>
#include <cmath>

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

namespace {

// The writers below give nlohmann::json's compact dump byte for byte: object keys in
// sorted order (its objects are std::map), integers in decimal, doubles through the
// library's own shortest round-trip formatting (nlohmann::detail::to_chars, which its
// serializer calls; "null" when not finite), strings escaped as it escapes them.
void put_string(std::string& out, const std::string& s) {
  bool plain = true;
  for (unsigned char ch : s)
    if (ch < 0x20 || ch >= 0x80 || ch == '"' || ch == '\\') {
      plain = false;
      break;
    }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += json(s).dump();  // escapes, and refuses invalid UTF-8, as the tree would
  }
}

void put_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void put_bool(std::string& out, bool v) { out += v ? "true" : "false"; }

}  // namespace

std::string trace_text(const AmountTrace& t) {
  std::string out;
  out.reserve(256 + 160 * t.items.size() + 128 * t.condition_steps.size());
  out += "{\"amount\":";
  put_int(out, t.amount);
  out += ",\"application\":";
  put_string(out, t.application);
  out += ",\"before_cap\":";
  put_int(out, t.before_cap);
  out += ",\"conditions\":[";
  for (std::size_t k = 0; k < t.condition_steps.size(); ++k) {
    const auto& s = t.condition_steps[k];
    out += k ? ",{\"left\":" : "{\"left\":";
    put_string(out, s.left);
    out += ",\"op\":";
    put_string(out, s.op);
    out += ",\"result\":";
    put_bool(out, s.result);
    out += ",\"right\":";
    put_string(out, s.right);
    out += ",\"text\":";
    put_string(out, s.text);
    out += '}';
  }
  out += "],\"conditions_hold\":";
  put_bool(out, t.conditions_hold);
  out += ",\"items\":[";
  for (std::size_t k = 0; k < t.items.size(); ++k) {
    const auto& it = t.items[k];
    out += k ? ",{\"area_ha\":" : "{\"area_ha\":";
    put_double(out, it.area_ha);
    out += ",\"claimed\":";
    put_double(out, it.claimed);
    out += ",\"counted\":";
    put_double(out, it.counted);
    out += ",\"excess_ha\":";
    put_double(out, it.excess_ha);
    out += ",\"parcel\":";
    put_string(out, it.parcel);
    out += ",\"reasons\":[";
    for (std::size_t r = 0; r < it.reasons.size(); ++r) {
      if (r) out += ',';
      put_string(out, it.reasons[r]);
    }
    out += "]}";
  }
  out += "],\"note\":";
  put_string(out, t.note);
  out += ",\"payable\":";
  put_double(out, t.payable);
  out += ",\"penalty_ha\":";
  put_double(out, t.penalty_ha);
  out += ",\"policy\":";
  put_string(out, t.policy);
  out += ",\"policy_version\":";
  put_string(out, t.policy_version);
  out += ",\"rate\":";
  put_double(out, t.rate);
  out += ",\"status\":";
  put_string(out, t.status);
  out += '}';
  return out;
}

}  // namespace nongsan::support
