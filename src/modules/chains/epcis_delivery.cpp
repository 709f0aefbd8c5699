#include "modules/chains/epcis_delivery.hpp"

#include <algorithm>
#include <cctype>

namespace nongsan::chains {

using nlohmann::json;

namespace {

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "±hh:mm" or "Z" → minutes east of UTC; nullopt when unreadable.
std::optional<int> offset_minutes(const std::string& s) {
  if (s == "Z" || s == "z") return 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  for (int i : {1, 2, 4, 5})
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return std::nullopt;
  const int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
  if (h > 14 || m > 59) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

// A CBV standard vocabulary value in any of its three spellings (bare, Web URI, URN).
bool is_cbv(const std::string& value, const std::string& web_prefix, const std::string& urn_prefix,
            const std::string& word) {
  return value == word || value == web_prefix + word || value == urn_prefix + word;
}

}  // namespace

bool is_biz_step(const std::string& step, const std::string& word) {
  return is_cbv(step, "https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:", word);
}

std::optional<CivilDate> local_event_date(const std::string& t, const std::string& offset) {
  if (t.size() < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
  auto date = CivilDate::parse(t.substr(0, 10));
  if (!date) return std::nullopt;
  auto two = [&](std::size_t at) -> int {
    if (!std::isdigit(static_cast<unsigned char>(t[at])) || !std::isdigit(static_cast<unsigned char>(t[at + 1])))
      return -1;
    return (t[at] - '0') * 10 + (t[at + 1] - '0');
  };
  const int hh = two(11), mm = two(14);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
  std::size_t zone = 19;
  if (zone < t.size() && t[zone] == '.')
    for (++zone; zone < t.size() && std::isdigit(static_cast<unsigned char>(t[zone]));) ++zone;
  auto own = offset_minutes(t.substr(zone));
  if (!own) return std::nullopt;
  auto local = offset.empty() ? own : offset_minutes(offset);
  if (!local) return std::nullopt;
  // Minutes since the epoch in UTC, then in the local zone; floor division to days.
  const std::int64_t utc = date->days_since_epoch() * 1440 + hh * 60 + mm - *own;
  std::int64_t minutes = utc + *local;
  std::int64_t days = minutes / 1440;
  if (minutes % 1440 < 0) --days;
  return CivilDate::from_days(days);
}

std::optional<EventDelivery> delivery_of_event(const json& ev) {
  if (!ev.is_object()) return std::nullopt;
  const std::string type = text(ev, "type");
  const bool receiving = type == "ObjectEvent" && is_biz_step(text(ev, "bizStep"), "receiving");
  const bool transaction = type == "TransactionEvent" && text(ev, "action") == "ADD";
  if (!receiving && !transaction) return std::nullopt;
  EventDelivery d;
  if (auto list = ev.find("bizTransactionList"); list != ev.end() && list->is_array())
    for (const auto& b : *list) {
      const std::string v = b.is_object() ? text(b, "bizTransaction") : std::string();
      if (v.rfind(kContractUriPrefix, 0) == 0 && v.size() > std::string(kContractUriPrefix).size()) {
        d.contract = v.substr(std::string(kContractUriPrefix).size());
        break;
      }
    }
  if (d.contract.empty()) return std::nullopt;

  std::vector<std::string> parties;
  if (auto list = ev.find("sourceList"); list != ev.end() && list->is_array())
    for (const auto& s : *list) {
      if (!s.is_object() || !is_cbv(text(s, "type"), "https://ref.gs1.org/cbv/SDT-", "urn:epcglobal:cbv:sdt:", "owning_party"))
        continue;
      const std::string v = text(s, "source");
      if (v.rfind(kProducerUriPrefix, 0) == 0 && v.size() > std::string(kProducerUriPrefix).size()) {
        std::string id = v.substr(std::string(kProducerUriPrefix).size());
        if (std::find(parties.begin(), parties.end(), id) == parties.end()) parties.push_back(std::move(id));
      }
    }
  if (parties.size() == 1) d.participant = parties.front();

  bool any_quantity = false, other_unit = false;
  if (auto list = ev.find("quantityList"); list != ev.end() && list->is_array())
    for (const auto& q : *list) {
      if (!q.is_object() || !q.contains("quantity") || !q["quantity"].is_number()) continue;
      any_quantity = true;
      if (text(q, "uom") == "KGM") d.quantity_kg += q["quantity"].get<double>();
      else other_unit = true;
    }
  d.date = local_event_date(text(ev, "eventTime"), text(ev, "eventTimeZoneOffset"));

  if (parties.empty()) d.problem = "no_participant";
  else if (parties.size() > 1) d.problem = "several_participants";
  else if (!any_quantity) d.problem = "no_quantity";
  else if (other_unit) d.problem = "not_kilograms";
  else if (!d.date) d.problem = "bad_time";
  return d;
}

}  // namespace nongsan::chains
