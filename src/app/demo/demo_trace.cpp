// The demo's supply chain after harvest (docs/epcis.md "Demo"; data/demo/trace/, all
// illustrative): the harvests of the demo diary are already EPCIS events (the diary's
// own, through epcis::DiaryBridge); here each lot of data/demo/trace/trace.json is packed
// into an SSCC pallet (AggregationEvent ADD), shipped from the packing house and received
// by the buyer (ObjectEvents), captured as documents through the same service as
// `nongsan epcis capture`. The held lot is packed, and its shipping is refused by the
// capture (docs/rules.md §14), which the demo checks. Deterministic; skipped when packing
// events exist already.
#include <cstdio>
#include <map>
#include <stdexcept>

#include "app/demo/demo.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/epcis/diary_bridge.hpp"
#include "modules/epcis/gs1.hpp"

namespace nongsan::app {

namespace {

using nlohmann::json;

std::string at(const CivilDate& d, int days, const char* hour) {
  return CivilDate::from_days(d.days_since_epoch() + days).iso() + "T" + hour + ":00.000+07:00";
}

std::string gln_uri(const json& places, const std::string& key) {
  if (!places.contains(key)) throw std::runtime_error("demo trace: data/demo/trace/trace.json: no place " + key);
  const auto gln = places[key].at("gln").get<std::string>();
  if (!epcis::gs1::valid_gln(gln)) throw std::runtime_error("demo trace: GLN " + gln + " of " + key + " is not valid");
  return "https://id.gs1.org/414/" + gln;
}

}  // namespace

int demo_trace_gtins(App& app, const identity::Actor& actor, DemoReport& report) {
  auto added = app.trace().import_gtins(actor, demo_data("trace/gtins.json"));
  if (!added) throw std::runtime_error("demo trace: data/trace/gtins.json: " + added.error().message);
  if (*added > 0)
    report.notes.push_back(std::to_string(*added) + " GTINs per crop (illustrative) from data/trace/gtins.json");
  return static_cast<int>(*added);
}

int demo_trace(App& app, const identity::Actor& actor, DemoReport& report) {
  epcis::EventFilter packed;
  packed.biz_steps = {"https://ref.gs1.org/cbv/BizStep-packing"};  // canonical, as EventFilter holds it
  packed.per_page = 1;
  auto existing = app.epcis().query(actor, packed);
  if (!existing) throw std::runtime_error("demo trace: " + existing.error().message);
  if (!existing->events.empty()) return 0;

  const json doc = demo_data("demo/trace/trace.json");
  const json& places = doc.at("places");
  const int pack_days = doc.at("days").at("packing").get<int>(), ship_days = doc.at("days").at("shipping").get<int>(),
            receive_days = doc.at("days").at("receiving").get<int>();
  const auto prefix = doc.at("sscc_prefix").get<std::string>();
  // A lot row may name a demo linkage contract: its receiving event then carries the
  // contract, a participant as owning party and the lot's kilograms, and the chains module
  // takes it as a delivery (docs/chains.md "Deliveries from EPCIS"; illustrative).
  std::map<std::string, std::string> contract_party;
  if (auto ks = app.chains().list_contracts(actor, 2025, ""))
    for (const auto& k : (*ks)["items"])
      if (!k["participants"].empty())
        contract_party[k["code"].get<std::string>()] = k["participants"][0].value("external_id", "");
  int serial = 0, shipped = 0, captured = 0, delivered = 0;
  std::vector<std::string> held, pages;
  for (const auto& row : doc.at("lots")) {
    const auto lot = row.at("lot").get<std::string>();
    auto status = app.diary().lot_status(actor, lot);
    if (!status) continue;  // a smaller registry grew fewer lots
    auto classes = app.diary_bridge().lot_classes(actor, lot);
    if (!classes || classes->empty()) throw std::runtime_error("demo trace: lot " + lot + ": no class");
    CivilDate last = status->harvests.front().date;
    double kg = 0;
    for (const auto& h : status->harvests) {
      if (last < h.date) last = h.date;
      kg += h.quantity_kg.value_or(0);
    }
    char serial_text[16];
    std::snprintf(serial_text, sizeof serial_text, "%08d", ++serial);
    const std::string sscc = "https://id.gs1.org/00/" + epcis::gs1::with_check_digit(prefix + serial_text);
    const std::string packing = gln_uri(places, row.at("packing").get<std::string>()),
                      buyer = gln_uri(places, row.at("buyer").get<std::string>());
    const json pack = {{"type", "AggregationEvent"},
                       {"eventTime", at(last, pack_days, "08:00")},
                       {"eventTimeZoneOffset", "+07:00"},
                       {"action", "ADD"},
                       {"bizStep", "packing"},
                       {"disposition", "in_progress"},
                       {"parentID", sscc},
                       {"childEPCs", json::array()},
                       {"childQuantityList", json::array({{{"epcClass", classes->front()}, {"quantity", kg}, {"uom", "KGM"}}})},
                       {"readPoint", {{"id", packing}}},
                       {"bizLocation", {{"id", packing}}}};
    const json ship = {{"type", "ObjectEvent"},
                       {"eventTime", at(last, ship_days, "07:00")},
                       {"eventTimeZoneOffset", "+07:00"},
                       {"action", "OBSERVE"},
                       {"bizStep", "shipping"},
                       {"disposition", "in_transit"},
                       {"epcList", json::array({sscc})},
                       {"readPoint", {{"id", packing}}},
                       {"sourceList", json::array({{{"type", "location"}, {"source", packing}}})},
                       {"destinationList", json::array({{{"type", "location"}, {"destination", buyer}}})}};
    json receive = {{"type", "ObjectEvent"},
                    {"eventTime", at(last, receive_days, "09:00")},
                    {"eventTimeZoneOffset", "+07:00"},
                    {"action", "OBSERVE"},
                    {"bizStep", "receiving"},
                    {"disposition", "in_progress"},
                    {"epcList", json::array({sscc})},
                    {"readPoint", {{"id", buyer}}},
                    {"bizLocation", {{"id", buyer}}}};
    if (const auto contract = row.value("contract", ""); !contract.empty()) {
      auto party = contract_party.find(contract);
      if (party != contract_party.end() && !party->second.empty()) {
        receive["bizTransactionList"] = json::array({{{"type", "po"}, {"bizTransaction", "urn:nongsan:contract:" + contract}}});
        receive["sourceList"] = json::array({{{"type", "owning_party"}, {"source", "urn:nongsan:producer:" + party->second}}});
        receive["quantityList"] = json::array({{{"epcClass", classes->front()}, {"quantity", kg}, {"uom", "KGM"}}});
        if (!status->held) ++delivered;
      }
    }
    const std::string source = "demo: data/demo/trace/trace.json (minh họa)";
    auto p = app.epcis().capture_events(actor, {pack}, json::array(), source);
    if (!p) throw std::runtime_error("demo trace: packing " + lot + ": " + p.error().message);
    captured += static_cast<int>(p->captured);
    auto s = app.epcis().capture_events(actor, {ship, receive}, json::array(), source);
    if (status->held) {
      // The capture must refuse it (docs/rules.md §14); a shipped held lot is a broken demo.
      if (s) throw std::runtime_error("demo trace: the held lot " + lot + " was shipped");
      held.push_back(lot);
      continue;
    }
    if (!s) throw std::runtime_error("demo trace: shipping " + lot + ": " + s.error().message);
    captured += static_cast<int>(s->captured);
    ++shipped;
    // The lot's public page (its class is the LGTIN Digital Link when its crop has a GTIN).
    if (auto dl = classes->front(); dl.rfind("https://id.gs1.org", 0) == 0) pages.push_back(dl.substr(18));
  }
  std::string note = "trace: " + std::to_string(captured) + " EPCIS events (packing, shipping, receiving) over " +
                     std::to_string(shipped) + " lots (minh họa)";
  if (delivered > 0) note += "; " + std::to_string(delivered) + " receiving events name a demo contract (deliveries from EPCIS)";
  for (const auto& l : held) note += "; lot " + l + " held: its shipping event refused";
  if (!pages.empty()) {
    note += "; public pages (no login):";
    for (const auto& p : pages) note += " " + p;
  }
  report.notes.push_back(note);
  return captured;
}

}  // namespace nongsan::app
