#include "modules/epcis/diary_bridge.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "modules/access/access_policy.hpp"
#include "modules/areacodes/areacode_repository.hpp"
#include "modules/diary/diary_repository.hpp"
#include "modules/epcis/epcis_repository.hpp"
#include "modules/epcis/event_index.hpp"
#include "modules/epcis/gs1.hpp"

namespace nongsan::epcis {

using diary::DiaryEntry;
using diary::EntryKind;
using nlohmann::json;

namespace {

constexpr const char* kLotUrn = "urn:nongsan:lot:";
// The diary records dates, not times: an entry's event is at 00:00 Vietnam time.
constexpr const char* kZone = "+07:00";

std::string time_of(const CivilDate& d) { return d.iso() + "T00:00:00.000" + kZone; }

json context() { return json::array({json{{"nongsan", kNongsanNamespace}}}); }

// Every identifier field of an event that may name a lot, as (role, value).
std::vector<std::pair<std::string, std::string>> identifiers(const json& ev) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* k : {"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
    if (auto it = ev.find(k); it != ev.end() && it->is_array())
      for (const auto& v : *it)
        if (v.is_string()) out.emplace_back("epc", v.get<std::string>());
  for (const char* k : {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
    if (auto it = ev.find(k); it != ev.end() && it->is_array())
      for (const auto& q : *it)
        if (q.is_object() && q.contains("epcClass") && q["epcClass"].is_string())
          out.emplace_back("class", q["epcClass"].get<std::string>());
  if (auto it = ev.find("parentID"); it != ev.end() && it->is_string()) out.emplace_back("parent", it->get<std::string>());
  return out;
}

std::optional<std::string> lot_of(const std::string& id) {
  if (id.rfind(kLotUrn, 0) == 0) return gs1::dl_decode(id.substr(std::string(kLotUrn).size()));
  auto dl = gs1::canonical_digital_link(id);
  if (!dl) return std::nullopt;
  auto parsed = gs1::parse_digital_link(*dl);
  if (!parsed || parsed->key_ai != "01") return std::nullopt;
  for (const auto& [ai, v] : parsed->qualifiers)
    if (ai == "10") return v;
  return std::nullopt;
}

std::string canonical(const std::string& id) { return canonical_epc(id).first; }

// The actor the held-lot rule reads lots as: a held lot is refused whatever the
// capturer's own scope, so the rule sees every lot.
identity::Actor rule_reader() {
  identity::Actor r;
  r.name = "system:epcis-held-lot-rule";
  r.role = identity::Role::province_admin;
  r.client = "internal";
  return r;
}

}  // namespace

std::string parcel_uri(const std::string& id) { return "urn:nongsan:parcel:" + gs1::dl_encode(id); }
std::string entry_event_id(const std::string& code) { return "urn:nongsan:diary:" + gs1::dl_encode(code); }

std::string lot_class(const std::string& gtin, const std::string& lot) {
  if (auto dl = gs1::lot_digital_link(gtin, lot)) return *dl;
  return kLotUrn + gs1::dl_encode(lot);
}

std::optional<json> entry_event(const DiaryEntry& e, const EntryPlace& place) {
  if (e.kind != EntryKind::harvest && e.kind != EntryKind::spray) return std::nullopt;
  json ev = {{"type", "ObjectEvent"},
             {"eventID", entry_event_id(e.code)},
             {"eventTime", time_of(e.date)},
             {"eventTimeZoneOffset", kZone},
             {"readPoint", {{"id", parcel_uri(e.parcel)}}},
             {"bizLocation", {{"id", parcel_uri(e.parcel)}}},
             {"nongsan:diaryEntry", e.code}};
  if (e.kind == EntryKind::harvest) {
    json q = {{"epcClass", lot_class(place.gtin, e.lot)}};
    if (e.quantity_kg) {
      q["quantity"] = *e.quantity_kg;
      q["uom"] = "KGM";
    }
    ev["action"] = "ADD";
    ev["bizStep"] = "commissioning";
    ev["disposition"] = "active";
    ev["epcList"] = json::array();
    ev["quantityList"] = json::array({q});
    json ilmd = {{"cbvmda:harvestStartDate", e.date.iso()}, {"cbvmda:harvestEndDate", e.date.iso()}};
    if (!place.area_code.empty()) ilmd["nongsan:growingAreaCode"] = place.area_code;
    ev["ilmd"] = ilmd;
  } else {
    ev["action"] = "OBSERVE";
    ev["bizStep"] = kTreatingStep;
    ev["epcList"] = json::array();
    ev["nongsan:product"] = e.product;
    if (e.dose_per_ha) ev["nongsan:dosePerHa"] = *e.dose_per_ha;
    if (e.quantity_kg) ev["nongsan:quantityKg"] = *e.quantity_kg;
  }
  return ev;
}

json declared_in_error(json original, const DiaryEntry& by) {
  json decl = {{"declarationTime", time_of(by.date)}, {"reason", "incorrect_data"}};
  if (by.kind == EntryKind::harvest || by.kind == EntryKind::spray)
    decl["correctiveEventIDs"] = json::array({entry_event_id(by.code)});
  decl["nongsan:amendedBy"] = by.code;
  original["errorDeclaration"] = decl;
  return original;
}

std::vector<std::string> lots_named(const json& event) {
  std::vector<std::string> out;
  for (const auto& [role, id] : identifiers(event))
    if (auto lot = lot_of(id); lot && std::find(out.begin(), out.end(), *lot) == out.end()) out.push_back(*lot);
  return out;
}

DiaryBridge::DiaryBridge(storage::Database& db, diary::DiaryService& diary, EpcisService& epcis, GtinSource gtins)
    : db_(db), diary_(diary), epcis_(epcis), gtins_(std::move(gtins)) {}

void DiaryBridge::attach() {
  diary_.on_entries_stored([this](const identity::Actor& a, const std::vector<DiaryEntry>& entries) {
    // The entry is stored whatever happens here; a failed capture stays in its job.
    (void)record(a, entries);
  });
  epcis_.add_capture_rule([this](const identity::Actor& a, const json& ev) { return held_lot_problems(a, ev); });
}

EntryPlace DiaryBridge::place_of(storage::Connection& c, const GtinTable& gtins, const DiaryEntry& e) {
  EntryPlace p;
  for (const auto& s : diary::DiaryRepository::plantings(c, std::vector<std::int64_t>{e.parcel_id}))
    if (s.start <= e.date && (!s.end || e.date <= *s.end))
      if (auto it = gtins.find(s.crop); it != gtins.end()) p.gtin = it->second;
  if (e.kind == EntryKind::harvest)
    for (const auto& code : areacodes::AreaCodeRepository::live(c))
      if (code.kind == areacodes::CodeKind::area && code.code && code.status == areacodes::CodeStatus::issued &&
          std::find(code.parcel_ids.begin(), code.parcel_ids.end(), e.parcel_id) != code.parcel_ids.end()) {
        p.area_code = *code.code;
        break;
      }
  return p;
}

Result<std::optional<CaptureJob>> DiaryBridge::record(const identity::Actor& a, const std::vector<DiaryEntry>& entries) {
  std::vector<json> events = db_.read([&](storage::Connection& c) {
    std::vector<json> out;
    const GtinTable gtins = gtins_(c);
    for (const auto& e : entries) {
      if (auto ev = entry_event(e, place_of(c, gtins, e))) out.push_back(std::move(*ev));
      if (e.amends.empty()) continue;
      auto amended = diary::DiaryRepository::entry(c, e.amends);
      if (!amended) continue;
      if (auto orig = entry_event(*amended, place_of(c, gtins, *amended))) {
        out.push_back(*orig);  // the original first, should it predate the bridge
        out.push_back(declared_in_error(std::move(*orig), e));
      }
    }
    return out;
  });
  if (events.empty()) return std::optional<CaptureJob>();
  auto job = epcis_.capture_derived(a, events, context(), "diary");
  if (!job) return job.error();
  return std::optional<CaptureJob>(std::move(*job));
}

std::vector<Problem> DiaryBridge::held_lot_problems(const identity::Actor&, const json& ev) {
  std::vector<Problem> out;
  const std::string step = ev.value("bizStep", "");
  auto is = [&](const char* word) {
    return step == word || step == std::string("https://ref.gs1.org/cbv/BizStep-") + word ||
           step == std::string("urn:epcglobal:cbv:bizstep:") + word;
  };
  if (!is("shipping") && !is("departing")) return out;
  std::vector<std::string> lots = lots_named(ev);
  // The lots packed into the containers the event ships (an AggregationEvent ADD of the
  // lot into an SSCC, captured before).
  std::vector<std::string> containers;
  for (const auto& [role, id] : identifiers(ev))
    if (role == "epc" || role == "parent") containers.push_back(canonical(id));
  if (!containers.empty()) {
    EventFilter f;
    f.event_types = {"AggregationEvent"};
    f.actions = {"ADD"};
    f.matches.push_back({{"parent"}, containers});
    auto packed = db_.read([&](storage::Connection& c) { return EpcisRepository::events(c, f, 10000); });
    for (const auto& p : packed)
      for (const auto& lot : lots_named(p.document))
        if (std::find(lots.begin(), lots.end(), lot) == lots.end()) lots.push_back(lot);
  }
  const auto reader = rule_reader();
  for (const auto& lot : lots) {
    auto s = diary_.lot_status(reader, lot);
    if (s && s->held)
      out.push_back({std::nullopt, "", "/bizStep",
                     "lot " + lot + " is held (a harvest too soon after a spray, not cleared: docs/rules.md §14); "
                     "it gets no " + ev.value("bizStep", "") + " event until an officer clears it"});
  }
  return out;
}

std::vector<std::string> DiaryBridge::classes_of(storage::Connection& c, const diary::LotStatus& s) {
  std::vector<std::string> out;
  auto add = [&](const std::string& v) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  };
  const GtinTable gtins = gtins_(c);
  for (const auto& h : s.harvests) add(lot_class(place_of(c, gtins, h).gtin, s.lot));
  add(lot_class("", s.lot));
  return out;
}

Result<std::vector<std::string>> DiaryBridge::lot_classes(const identity::Actor& a, const std::string& lot) {
  auto status = diary_.lot_status(a, lot);
  if (!status) return status.error();
  return db_.read([&](storage::Connection& c) { return classes_of(c, *status); });
}

Result<std::vector<JourneyStep>> DiaryBridge::journey(const identity::Actor& a, const std::string& lot) {
  auto status = diary_.lot_status(a, lot);  // diary.read, and the lot in scope
  if (!status) return status.error();
  return db_.read([&](storage::Connection& c) -> Result<std::vector<JourneyStep>> {
    std::set<std::string> classes;
    for (const auto& k : classes_of(c, *status)) classes.insert(canonical(k));
    const std::vector<std::string> class_list(classes.begin(), classes.end());
    EventFilter f;
    f.matches.push_back({{"class", "child_class", "input_class", "output_class"}, class_list});
    std::vector<StoredEvent> found = EpcisRepository::events(c, f, 10000);
    // Then the events of the containers the lot was packed into.
    std::vector<std::string> containers;
    for (const auto& e : found)
      if (e.document.value("type", "") == "AggregationEvent" && e.document.value("action", "") == "ADD" &&
          e.document.contains("parentID") && e.document["parentID"].is_string())
        containers.push_back(canonical(e.document["parentID"].get<std::string>()));
    if (!containers.empty()) {
      EventFilter g;
      g.matches.push_back({{"epc", "child", "parent"}, containers});
      for (auto& e : EpcisRepository::events(c, g, 10000))
        if (std::none_of(found.begin(), found.end(), [&](const StoredEvent& x) { return x.id == e.id; }))
          found.push_back(std::move(e));
    }
    std::stable_sort(found.begin(), found.end(), [](const StoredEvent& x, const StoredEvent& y) {
      return std::tie(x.event_time, x.id) < std::tie(y.event_time, y.id);
    });
    std::vector<JourneyStep> out;
    for (const auto& e : found) {
      const json& d = e.document;
      JourneyStep s;
      s.event_time = d.value("eventTime", e.event_time);
      s.type = d.value("type", "");
      s.action = d.value("action", "");
      s.biz_step = d.value("bizStep", "");
      for (const char* k : {"bizLocation", "readPoint"})
        if (s.place.empty() && d.contains(k) && d[k].is_object()) s.place = d[k].value("id", "");
      s.event_id = d.value("eventID", "");
      s.hash = e.hash;
      s.declared_in_error = d.contains("errorDeclaration");
      for (const char* k : {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
        if (d.contains(k) && d[k].is_array())
          for (const auto& q : d[k])
            if (q.is_object() && q.contains("epcClass") && q["epcClass"].is_string() &&
                classes.count(canonical(q["epcClass"].get<std::string>())) && q.contains("quantity") &&
                q["quantity"].is_number()) {
              s.quantity = s.quantity.value_or(0) + q["quantity"].get<double>();
              s.uom = q.value("uom", "");
            }
      out.push_back(std::move(s));
    }
    return out;
  });
}

json to_json(const JourneyStep& s) {
  return {{"eventTime", s.event_time},
          {"type", s.type},
          {"action", s.action},
          {"bizStep", s.biz_step},
          {"place", s.place},
          {"quantity", s.quantity ? json(*s.quantity) : json(nullptr)},
          {"uom", s.uom},
          {"eventID", s.event_id},
          {"hash", s.hash},
          {"declaredInError", s.declared_in_error}};
}

}  // namespace nongsan::epcis
