#include "modules/areacodes/code_evidence_source.hpp"

#include "modules/access/access_policy.hpp"

namespace nongsan::areacodes {

using nlohmann::json;

double event_quantity_kg(const json& event) {
  double kg = 0;
  for (const char* list : {"quantityList", "childQuantityList", "outputQuantityList"}) {
    auto it = event.find(list);
    if (it == event.end() || !it->is_array()) continue;
    for (const auto& q : *it) {
      if (!q.is_object() || !q.contains("quantity") || !q["quantity"].is_number()) continue;
      const std::string uom = q.value("uom", "");
      const double v = q["quantity"].get<double>();
      if (uom == "KGM") kg += v;
      else if (uom == "TNE") kg += v * 1000;
    }
  }
  return kg;
}

namespace {
// The civil date of an eventTime in Asia/Ho_Chi_Minh (UTC+7), as seasons are dated.
std::optional<CivilDate> local_date(const std::string& event_time) {
  auto secs = parse_utc_seconds(event_time);
  if (!secs) return CivilDate::parse(event_time.substr(0, 10));
  return CivilDate::from_days((*secs + 7 * 3600) / 86400);
}
}  // namespace

Result<CodeEvidence> gather_evidence(const identity::Actor& a, diary::DiaryService& diary, epcis::EpcisService& epcis,
                                     const std::vector<std::string>& codes) {
  CodeEvidence ev;
  ev.today = CivilDate::today();
  // What the actor may not read is not evidence for them: the rules see nothing there.
  if (!access::AccessPolicy::allows(a, identity::Permission::diary_read)) return ev;
  auto entries = diary.entries(a, std::nullopt, std::nullopt, std::nullopt);
  if (!entries) return entries.error();
  for (const auto& e : *entries) {
    const bool harvest = e.kind == diary::EntryKind::harvest;
    ev.entries.push_back({e.parcel_id, e.date, e.code, harvest, harvest ? e.quantity_kg.value_or(0) : 0});
  }
  auto findings = diary.findings(a, std::nullopt, std::nullopt);
  if (!findings) return findings.error();
  for (const auto& f : *findings)
    if (f.kind == diary::FindingKind::banned) ev.banned.push_back({f.parcel_id, f.date, f.entry, f.product});
  if (codes.empty() || !access::AccessPolicy::allows(a, identity::Permission::epcis_read)) return ev;
  for (const char* scope : {"ilmd", "event"}) {
    epcis::EventFilter filter;
    filter.fields.push_back({scope, kAreaCodeField, codes});
    filter.per_page = 10000;
    while (true) {
      auto page = epcis.query(a, filter);
      if (!page) return page.error();
      for (const auto& e : page->events) {
        const json& doc = e.document;
        std::string code;
        const json* holder = scope == std::string("ilmd") ? (doc.contains("ilmd") ? &doc["ilmd"] : nullptr) : &doc;
        if (holder && holder->is_object()) {
          for (const auto& [k, v] : holder->items()) {
            // "ns:areaCode" with a prefix, or the field's full IRI.
            if (!v.is_string()) continue;
            if ((k.size() >= 9 && k.compare(k.size() - 9, 9, ":areaCode") == 0) || k == kAreaCodeField)
              code = v.get<std::string>();
          }
        }
        auto date = local_date(e.event_time);
        if (code.empty() || !date) continue;
        ev.events.push_back({code, *date, e.hash, event_quantity_kg(doc)});
      }
      if (page->next_page_token.empty()) break;
      filter.after = page->next_page_token;
    }
  }
  return ev;
}

}  // namespace nongsan::areacodes
