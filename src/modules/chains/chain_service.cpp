#include "modules/chains/chain_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/chains/chain_repository.hpp"
#include "modules/chains/chain_documents.hpp"
#include "modules/chains/chain_rules.hpp"
#include "modules/chains/chain_scope.hpp"
#include "modules/chains/epcis_delivery.hpp"
#include "modules/chains/supply.hpp"
#include "modules/diary/diary_repository.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::chains {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

// The diary harvests of `year` as the linkage rate reads them (docs/chains.md "Linkage
// rate"): an amended entry counts through its amendment only; the crop is the planting
// in force on the harvest date, the producer the parcel's controller on it (the registry's
// rule: a lease or contribution in force, else the owner).
std::vector<HarvestFact> harvests_of(Connection& c, int year) {
  const auto entries = diary::DiaryRepository::entries(c, std::nullopt, CivilDate(year, 12, 31));
  std::set<std::string> amended;
  for (const auto& e : entries)
    if (!e.amends.empty()) amended.insert(e.amends);
  std::vector<diary::DiaryEntry> harvests;
  std::vector<std::int64_t> parcels;
  for (const auto& e : entries)
    if (e.kind == diary::EntryKind::harvest && e.date.year() == year && e.quantity_kg && !amended.count(e.code)) {
      harvests.push_back(e);
      parcels.push_back(e.parcel_id);
    }
  if (harvests.empty()) return {};
  const auto spans = diary::DiaryRepository::plantings(c, parcels);
  std::map<std::int64_t, std::vector<registry::LandRight>> rights;
  std::map<std::int64_t, std::string> external;
  std::vector<HarvestFact> out;
  for (const auto& h : harvests) {
    HarvestFact f;
    f.date = h.date;
    f.quantity_kg = *h.quantity_kg;
    for (const auto& p : spans)
      if (p.parcel_id == h.parcel_id && p.start <= h.date && (!p.end || h.date <= *p.end)) f.crop = p.crop;
    auto [it, fresh] = rights.try_emplace(h.parcel_id);
    if (fresh) it->second = registry::RegistryRepository::rights_of_parcel(c, registry::ParcelId{h.parcel_id});
    if (auto r = registry::controller_on(it->second, h.date)) {
      auto [name, unseen] = external.try_emplace(r->producer.value);
      if (unseen)
        if (auto p = registry::RegistryRepository::find_producer(c, r->producer)) name->second = p->external_id;
      f.producer = name->second;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Error no_contract() { return Error::not_found("no such contract"); }
Error no_facility() { return Error::not_found("no such facility"); }
Error no_investment() { return Error::not_found("no such investment project"); }

bool producer_visible(const AccessPolicy& policy, const Actor& a, const Party& p) {
  if (a.role == identity::Role::producer) return a.producer && a.producer->value == p.id;
  return unit_visible(policy, a, p.unit);
}

// How the report names a party: its external id, or "#<id>" for a producer entered
// without one (the API does not require it), so that two such parties never merge.
std::string party_key(const Party& p) { return p.external_id.empty() ? "#" + std::to_string(p.id) : p.external_id; }

json party_json(const Party& p) {
  return {{"id", p.id}, {"external_id", p.external_id}, {"name", p.name}, {"kind", p.kind}};
}

json contract_json(const ContractRecord& k) {
  json parts = json::array();
  for (const auto& p : k.participants) parts.push_back(party_json(p));
  return {{"id", k.id},
          {"code", k.code},
          {"lead", party_json(k.lead)},
          {"unit_id", k.unit ? json(k.unit->value) : json(nullptr)},
          {"commodity", k.commodity},
          {"start", k.start.iso()},
          {"end", k.end.iso()},
          {"committed_kg", k.committed_kg},
          {"quality", k.quality},
          {"price_mechanism", k.price_mechanism},
          {"price_note", k.price_note},
          {"inputs_services", k.inputs_services},
          {"documents", k.documents},
          {"illustrative", k.illustrative},
          {"source", k.source},
          {"participants", parts},
          {"parcel_ids", k.parcels},
          {"zone_ids", k.zones}};
}

ContractTerms terms_of(const ContractRecord& k) {
  ContractTerms t{k.code, party_key(k.lead), k.commodity, k.start, k.end, k.committed_kg, {}};
  for (const auto& p : k.participants) t.participants.push_back(party_key(p));
  return t;
}

std::vector<DeliveryFact> facts_of(const std::vector<DeliveryRecord>& ds) {
  std::vector<DeliveryFact> out;
  out.reserve(ds.size());
  for (const auto& d : ds) out.push_back({d.contract, party_key(d.participant), d.date, d.quantity_kg, d.refused_kg});
  return out;
}

json delivery_json(const DeliveryRecord& d) {
  return {{"id", d.id},
          {"contract_id", d.contract_id},
          {"date", d.date.iso()},
          {"participant", party_json(d.participant)},
          {"quantity_kg", d.quantity_kg},
          {"refused_kg", d.refused_kg},
          {"origin", d.origin},
          {"epcis_event_id", d.epcis_event_id},
          {"source", d.source},
          {"created_by", d.created_by}};
}

json opt_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json row_json(const LinkageRow& r) {
  return {{"contract", r.contract},
          {"participant", r.participant},
          {"committed_kg", r.committed_kg},
          {"delivered_kg", r.delivered_kg},
          {"fulfilment_pct", opt_number(r.fulfilment_pct)}};
}

json warning_json(const LinkageWarning& w) {
  return {{"kind", w.kind},
          {"contract", w.contract},
          {"party", w.party},
          {"expected_kg", w.expected_kg},
          {"delivered_kg", w.delivered_kg},
          {"refused_kg", w.refused_kg}};
}

CivilDate default_as_of(int year) {
  CivilDate today = CivilDate::today();
  CivilDate dec31(year, 12, 31);
  return today < dec31 ? today : dec31;
}

Status plausible_year(int year) {
  if (year < 1945 || year > 2100) return Error::invalid("the year is out of range", {{"year", "must be between 1945 and 2100"}});
  return {};
}

std::string str_field(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? trim(it->get<std::string>()) : std::string();
}

std::optional<double> num_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::vector<std::int64_t> id_list(const json& body, const char* key, std::vector<FieldError>& errors) {
  std::vector<std::int64_t> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    errors.push_back({key, "must be a list of ids"});
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& x = (*it)[i];
    if (!x.is_number_integer() || x.get<std::int64_t>() < 1) errors.push_back({std::string(key) + "[" + std::to_string(i) + "]", "must be an id"});
    else out.push_back(x.get<std::int64_t>());
  }
  return out;
}

std::vector<std::string> string_list(const json& body, const char* key, std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    errors.push_back({key, "must be a list of texts"});
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& x = (*it)[i];
    if (!x.is_string() || trim(x.get<std::string>()).empty())
      errors.push_back({std::string(key) + "[" + std::to_string(i) + "]", "must be a non-empty text"});
    else out.push_back(trim(x.get<std::string>()));
  }
  return out;
}

json facility_json(const FacilityRecord& f) {
  json caps = json::array();
  for (const auto& k : f.capacities)
    caps.push_back({{"commodity", k.commodity}, {"product", k.product}, {"capacity_t_per_season", k.capacity_t_per_season}});
  return {{"id", f.id},
          {"code", f.code},
          {"name", f.name},
          {"operator", f.operator_party ? party_json(*f.operator_party) : json(nullptr)},
          {"unit_id", f.unit ? json(f.unit->value) : json(nullptr)},
          {"technology", f.technology},
          {"certifications", f.certifications},
          {"longitude", opt_number(f.longitude)},
          {"latitude", opt_number(f.latitude)},
          {"illustrative", f.illustrative},
          {"capacities", caps},
          {"zone_ids", f.zones}};
}

json investment_json(const InvestmentRecord& i) {
  return {{"id", i.id},
          {"code", i.code},
          {"name", i.name},
          {"kind", i.kind},
          {"status", i.status},
          {"investor", i.investor},
          {"unit_id", i.unit ? json(i.unit->value) : json(nullptr)},
          {"commodity", i.commodity},
          {"land_ha", i.land_ha},
          {"raw_material_t", i.raw_material_t},
          {"illustrative", i.illustrative}};
}

std::vector<ZoneSupply> supply_zones(Connection& c) {
  std::vector<ZoneSupply> out;
  for (const auto& z : registry::RegistryRepository::list_zones(c, std::nullopt, "", false))
    out.push_back({z.id.value, z.code, z.name, z.commodity, z.unit, z.planned_area_ha.value_or(0)});
  return out;
}

}  // namespace

ChainService::ChainService(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}

// ---- contracts ---------------------------------------------------------------------------

Result<json> ChainService::list_contracts(const Actor& a, int year, const std::string& commodity) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    std::vector<ContractRecord> visible;
    for (auto& k : ChainRepository::contracts(c))
      if (contract_visible(policy, a, k) && (commodity.empty() || k.commodity == commodity)) visible.push_back(std::move(k));
    std::vector<ContractTerms> terms;
    for (const auto& k : visible) terms.push_back(terms_of(k));
    auto report = linkage_report(terms, facts_of(ChainRepository::deliveries(c)), year, default_as_of(year),
                                 ChainRepository::thresholds(c));
    json items = json::array();
    for (const auto& k : visible) {
      json j = contract_json(k);
      double committed = committed_in_year(terms_of(k), year), delivered = 0;
      for (const auto& r : report.rows)
        if (r.contract == k.code) delivered += r.delivered_kg;
      j["year_committed_kg"] = committed;
      j["year_delivered_kg"] = delivered;
      j["year_fulfilment_pct"] = committed > 0 ? json(100.0 * delivered / committed) : json(nullptr);
      j["warnings"] = static_cast<std::int64_t>(std::count_if(report.warnings.begin(), report.warnings.end(),
                                                              [&](const LinkageWarning& w) { return w.contract == k.code; }));
      items.push_back(std::move(j));
    }
    return json{{"year", year}, {"items", items}};
  });
}

Result<json> ChainService::get_contract(const Actor& a, std::int64_t id, int year) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, id);
    if (!k) return no_contract();
    auto ds = ChainRepository::deliveries(c, k->id);
    auto report = linkage_report({terms_of(*k)}, facts_of(ds), year, default_as_of(year), ChainRepository::thresholds(c));
    json j = contract_json(*k);
    j["year"] = year;
    j["as_of"] = report.as_of.iso();
    j["parties"] = json::array();
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
      json r = row_json(report.rows[i]);
      r["party"] = party_json(k->participants[i]);
      j["parties"].push_back(std::move(r));
    }
    j["warnings"] = json::array();
    for (const auto& w : report.warnings) j["warnings"].push_back(warning_json(w));
    j["deliveries"] = json::array();
    for (const auto& d : ds) j["deliveries"].push_back(delivery_json(d));
    j["buyers"] = json::array();
    for (const auto& b : ChainRepository::buyers(c, k->id))
      j["buyers"].push_back({{"id", b.id}, {"name", b.name}, {"market", b.market}, {"country", b.country}, {"note", b.note}});
    j["trade_events"] = json::array();
    for (const auto& e : ChainRepository::trade_events(c, k->id))
      j["trade_events"].push_back(
          {{"id", e.id}, {"name", e.name}, {"held_on", e.held_on.iso()}, {"place", e.place}, {"result", e.result}});
    return j;
  });
}

namespace {

// Reads a contract from a request body; every producer, parcel and zone named passes the
// scope check of reading it.
Result<ContractRecord> contract_from_body(Connection& c, const AccessPolicy& policy, const Actor& a, const json& body,
                                          std::optional<std::int64_t> id) {
  std::vector<FieldError> errors;
  ContractRecord k;
  k.code = str_field(body, "code");
  if (auto p = check_code(k.code); !p.empty()) errors.push_back({"code", p});
  else if (auto other = ChainRepository::find_contract(c, k.code); other && (!id || other->id != *id))
    errors.push_back({"code", "is already used by another contract"});
  auto lead_id = body.find("lead_id");
  std::optional<Party> lead;
  if (lead_id != body.end() && lead_id->is_number_integer()) lead = ChainRepository::producer(c, lead_id->get<std::int64_t>());
  if (!lead || !producer_visible(policy, a, *lead)) errors.push_back({"lead_id", "no such producer in your scope"});
  else if (!may_lead(lead->kind)) errors.push_back({"lead_id", "a lead is an enterprise or a cooperative"});
  else {
    k.lead = *lead;
    k.unit = lead->unit;
  }
  auto participant_ids = id_list(body, "participant_ids", errors);
  if (participant_ids.empty()) errors.push_back({"participant_ids", "must name at least one participant"});
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < participant_ids.size(); ++i) {
    const std::string f = "participant_ids[" + std::to_string(i) + "]";
    auto p = ChainRepository::producer(c, participant_ids[i]);
    if (!p || (a.role != identity::Role::producer && !producer_visible(policy, a, *p)))
      errors.push_back({f, "no such producer in your scope"});
    else if (!seen.insert(p->id).second) errors.push_back({f, "appears twice"});
    else k.participants.push_back(*p);
  }
  k.commodity = str_field(body, "commodity");
  if (k.commodity.empty() || k.commodity.size() > 64) errors.push_back({"commodity", "must be a commodity code (1 to 64 characters)"});
  auto start = plausible_date(str_field(body, "start"));
  auto end = plausible_date(str_field(body, "end"));
  if (!start) errors.push_back({"start", "must be a date between 1945 and 2100"});
  if (!end) errors.push_back({"end", "must be a date between 1945 and 2100"});
  if (start && end && *end < *start) errors.push_back({"end", "is before the start"});
  if (start) k.start = *start;
  if (end) k.end = *end;
  if (auto kg = num_field(body, "committed_kg"); kg && *kg >= 0 && *kg <= kMaxKilograms) k.committed_kg = *kg;
  else errors.push_back({"committed_kg", "must be a number of kilograms, 0 or more"});
  k.quality = str_field(body, "quality");
  k.price_mechanism = str_field(body, "price_mechanism");
  if (!is_price_mechanism(k.price_mechanism)) errors.push_back({"price_mechanism", "must be empty or one of: fixed, floor, market_linked"});
  k.price_note = str_field(body, "price_note");
  k.inputs_services = str_field(body, "inputs_services");
  k.documents = string_list(body, "documents", errors);
  k.illustrative = body.value("illustrative", false);
  k.source = "ui";
  auto parcel_ids = id_list(body, "parcel_ids", errors);
  if (!parcel_ids.empty()) {
    registry::ParcelQuery q;
    q.ids = std::unordered_set<std::int64_t>(parcel_ids.begin(), parcel_ids.end());
    q.page_size = 0;
    std::set<std::int64_t> found;
    for (const auto& p : registry::RegistryRepository::list_parcels(c, q, nullptr))
      if (unit_visible(policy, a, p.unit)) found.insert(p.id.value);
    for (std::size_t i = 0; i < parcel_ids.size(); ++i)
      if (!found.count(parcel_ids[i])) errors.push_back({"parcel_ids[" + std::to_string(i) + "]", "no such parcel in your scope"});
    k.parcels = parcel_ids;
  }
  auto zone_ids = id_list(body, "zone_ids", errors);
  for (std::size_t i = 0; i < zone_ids.size(); ++i) {
    auto z = registry::RegistryRepository::find_zone(c, registry::ZoneId(zone_ids[i]), false);
    if (!z || !unit_visible(policy, a, z->unit)) errors.push_back({"zone_ids[" + std::to_string(i) + "]", "no such zone in your scope"});
  }
  k.zones = zone_ids;
  if (!errors.empty()) return Error::invalid("the contract was not saved", errors);
  return k;
}

}  // namespace

Result<json> ChainService::create_contract(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    auto k = contract_from_body(c, policy, a, body, std::nullopt);
    if (!k) return k.error();
    k->id = ChainRepository::insert_contract(c, *k);
    json after = contract_json(*ChainRepository::find_contract(c, k->id));
    audit::record(c, a, "create", "chain_contract", std::to_string(k->id), k->unit, std::nullopt, after);
    return after;
  });
}

Result<json> ChainService::update_contract(const Actor& a, std::int64_t id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    auto old = visible_contract(c, policy, a, id);
    if (!old) return no_contract();
    auto k = contract_from_body(c, policy, a, body, id);
    if (!k) return k.error();
    std::set<std::int64_t> kept;
    for (const auto& p : k->participants) kept.insert(p.id);
    for (const auto& d : ChainRepository::deliveries(c, id))
      if (!kept.count(d.participant.id))
        return Error::invalid("the contract was not saved",
                              {{"participant_ids", "'" + d.participant.external_id + "' has deliveries under this contract"}});
    k->id = id;
    ChainRepository::update_contract(c, *k);
    json after = contract_json(*ChainRepository::find_contract(c, id));
    audit::record(c, a, "update", "chain_contract", std::to_string(id), k->unit, contract_json(*old), after);
    return after;
  });
}

Status ChainService::delete_contract(const Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto k = visible_contract(c, policy, a, id);
    if (!k) return no_contract();
    ChainRepository::delete_contract(c, id);
    audit::record(c, a, "delete", "chain_contract", std::to_string(id), k->unit, contract_json(*k), std::nullopt);
    return {};
  });
}

// ---- deliveries ---------------------------------------------------------------------------

Result<json> ChainService::add_delivery(const Actor& a, std::int64_t contract_id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    std::vector<FieldError> errors;
    DeliveryRecord d;
    d.contract_id = k->id;
    d.contract = k->code;
    auto pid = body.find("participant_id");
    const Party* party = nullptr;
    if (pid != body.end() && pid->is_number_integer())
      for (const auto& p : k->participants)
        if (p.id == pid->get<std::int64_t>()) party = &p;
    if (!party) errors.push_back({"participant_id", "is not a participant of this contract"});
    else d.participant = *party;
    if (auto date = plausible_date(str_field(body, "date"))) d.date = *date;
    else errors.push_back({"date", "must be a date between 1945 and 2100"});
    if (auto kg = num_field(body, "quantity_kg"); kg && *kg >= 0 && *kg <= kMaxKilograms) d.quantity_kg = *kg;
    else errors.push_back({"quantity_kg", "must be a number of kilograms, 0 or more"});
    if (body.contains("refused_kg")) {
      if (auto kg = num_field(body, "refused_kg"); kg && *kg >= 0 && *kg <= kMaxKilograms) d.refused_kg = *kg;
      else errors.push_back({"refused_kg", "must be a number of kilograms, 0 or more"});
    }
    d.epcis_event_id = str_field(body, "epcis_event_id");
    d.origin = d.epcis_event_id.empty() ? "entered" : "epcis";
    d.source = d.origin == "epcis" ? "epcis" : "ui";
    d.created_by = a.name;
    if (!errors.empty()) return Error::invalid("the delivery was not saved", errors);
    d.id = ChainRepository::insert_delivery(c, d);
    json j = delivery_json(d);
    audit::record(c, a, "create", "chain_delivery", std::to_string(d.id), k->unit, std::nullopt, j);
    return j;
  });
}

Status ChainService::delete_delivery(const Actor& a, std::int64_t contract_id, std::int64_t delivery_id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    if (!ChainRepository::delete_delivery(c, contract_id, delivery_id)) return Error::not_found("no such delivery");
    audit::record(c, a, "delete", "chain_delivery", std::to_string(delivery_id), k->unit, std::nullopt, std::nullopt);
    return {};
  });
}

// ---- deliveries from EPCIS ------------------------------------------------------------------

std::string ChainService::take_epcis_event(Connection& c, const Actor& a, const json& event,
                                           const std::string& event_hash, const std::string& capture_id) {
  auto d = delivery_of_event(event);
  if (!d) return "";
  if (ChainRepository::has_epcis_delivery(c, event_hash)) return "delivery";
  UnmatchedEventRecord u;
  u.event_hash = event_hash;
  u.event_id = event.value("eventID", "");
  u.event_time = event.value("eventTime", "");
  u.contract_code = d->contract;
  u.participant = d->participant;
  if (d->problem.empty() || d->problem == "not_kilograms") u.quantity_kg = d->quantity_kg;
  u.capture_id = capture_id;
  u.reason = d->problem;
  AccessPolicy policy(admin_.graph());
  auto k = ChainRepository::find_contract(c, d->contract);
  if (!k || !contract_visible(policy, a, *k)) {
    u.reason = "no_contract";  // out of scope answers as missing
  } else {
    u.contract_id = k->id;
    u.unit = k->unit;
    if (u.reason.empty()) {
      auto p = std::find_if(k->participants.begin(), k->participants.end(),
                            [&](const Party& x) { return x.external_id == d->participant; });
      if (p == k->participants.end()) {
        u.reason = "not_participant";
      } else {
        DeliveryRecord r;
        r.contract_id = k->id;
        r.contract = k->code;
        r.participant = *p;
        r.date = *d->date;
        r.quantity_kg = d->quantity_kg;
        r.origin = "epcis";
        r.epcis_event_id = event_hash;
        r.source = "epcis capture " + capture_id;
        r.created_by = a.name;
        r.id = ChainRepository::insert_delivery(c, r);
        audit::record(c, a, "create", "chain_delivery", std::to_string(r.id), k->unit, std::nullopt, delivery_json(r));
        return "delivery";
      }
    }
  }
  ChainRepository::insert_unmatched(c, u);
  return u.reason;
}

Result<json> ChainService::unmatched_events(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& u : ChainRepository::unmatched(c)) {
      std::optional<ContractRecord> k;
      if (u.contract_id) k = ChainRepository::find_contract(c, *u.contract_id);
      // Visible with its contract; one naming no contract in reach is the province's.
      if (k ? !contract_visible(policy, a, *k) : (a.role == identity::Role::producer || !unit_visible(policy, a, u.unit)))
        continue;
      items.push_back({{"event_hash", u.event_hash},
                       {"event_id", u.event_id},
                       {"event_time", u.event_time},
                       {"contract", u.contract_code},
                       {"contract_id", u.contract_id ? json(*u.contract_id) : json(nullptr)},
                       {"participant", u.participant},
                       {"quantity_kg", opt_number(u.quantity_kg)},
                       {"reason", u.reason},
                       {"capture_id", u.capture_id}});
    }
    return json{{"items", items}};
  });
}

// ---- the linkage report ---------------------------------------------------------------------

Result<LinkageReport> ChainService::linkage(const Actor& a, int year, std::optional<CivilDate> as_of) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  if (auto s = plausible_year(year); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<LinkageReport> {
    std::vector<ContractTerms> terms;
    for (const auto& k : ChainRepository::contracts(c))
      if (contract_visible(policy, a, k)) terms.push_back(terms_of(k));
    auto report = linkage_report(terms, facts_of(ChainRepository::deliveries(c)), year,
                                 as_of ? *as_of : default_as_of(year), ChainRepository::thresholds(c));
    report.rates = linkage_rates(terms, report, harvests_of(c, year));
    return report;
  });
}

json ChainService::to_json(const LinkageReport& r) {
  json rows = json::array(), warnings = json::array();
  for (const auto& x : r.rows) rows.push_back(row_json(x));
  for (const auto& w : r.warnings) warnings.push_back(warning_json(w));
  json rates = json::array();
  for (const auto& x : r.rates)
    rates.push_back({{"commodity", x.commodity},
                     {"delivered_kg", x.delivered_kg},
                     {"harvested_kg", x.harvested_kg},
                     {"linkage_rate_pct", x.rate_pct ? json(*x.rate_pct) : json(nullptr)},
                     {"participants", x.participants}});
  return {{"year", r.year}, {"as_of", r.as_of.iso()}, {"rows", rows}, {"warnings", warnings}, {"rates", rates}};
}

// ---- the chain view -------------------------------------------------------------------------

Result<json> ChainService::chain_view(const Actor& a, std::int64_t contract_id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    json nodes = json::array(), edges = json::array(), features = json::array();
    auto node = [&](const std::string& id, const std::string& layer, const std::string& label, const std::string& kind) {
      nodes.push_back({{"id", id}, {"layer", layer}, {"label", label}, {"kind", kind}});
    };
    const std::string lead = "producer:" + std::to_string(k->lead.id);
    node(lead, "lead", k->lead.name, k->lead.kind);
    // Participants: households and others deliver to a cooperative participant when the
    // lead is an enterprise and the contract has one; otherwise straight to the lead.
    std::string coop_hub;
    for (const auto& p : k->participants)
      if (p.kind == "cooperative" && p.id != k->lead.id) coop_hub = "producer:" + std::to_string(p.id);
    for (const auto& p : k->participants) {
      const std::string id = "producer:" + std::to_string(p.id);
      if (p.id == k->lead.id) continue;
      const bool coop = p.kind == "cooperative" || p.kind == "cooperative_group";
      node(id, coop ? "cooperative" : "household", p.name, p.kind);
      edges.push_back({{"from", id}, {"to", !coop && !coop_hub.empty() ? coop_hub : lead}});
    }
    const std::string first_target = coop_hub.empty() ? lead : coop_hub;
    if (!k->parcels.empty()) {
      registry::ParcelQuery q;
      q.ids = std::unordered_set<std::int64_t>(k->parcels.begin(), k->parcels.end());
      q.with_geometry = true;
      q.page_size = 0;
      for (const auto& p : registry::RegistryRepository::list_parcels(c, q, nullptr)) {
        if (!unit_visible(policy, a, p.unit) && a.role != identity::Role::producer) continue;
        const std::string id = "parcel:" + std::to_string(p.id.value);
        node(id, "land", p.external_id, "parcel");
        edges.push_back({{"from", id}, {"to", first_target}});
        if (p.geom)
          if (auto gj = geo::to_geojson(*p.geom, 6))
            features.push_back({{"type", "Feature"},
                                {"geometry", json::parse(*gj)},
                                {"properties", {{"kind", "parcel"}, {"label", p.external_id}}}});
      }
    }
    for (auto zid : k->zones) {
      auto z = registry::RegistryRepository::find_zone(c, registry::ZoneId(zid), true);
      if (!z) continue;
      const std::string id = "zone:" + std::to_string(zid);
      node(id, "land", z->name, "zone");
      edges.push_back({{"from", id}, {"to", first_target}});
      if (z->geom)
        if (auto gj = geo::to_geojson(*z->geom, 6))
          features.push_back(
              {{"type", "Feature"}, {"geometry", json::parse(*gj)}, {"properties", {{"kind", "zone"}, {"label", z->name}}}});
    }
    for (const auto& f : ChainRepository::facilities(c)) {
      if (!f.operator_party || f.operator_party->id != k->lead.id) continue;
      const std::string id = "facility:" + std::to_string(f.id);
      node(id, "processor", f.name, f.technology);
      edges.push_back({{"from", lead}, {"to", id}});
      if (f.longitude && f.latitude)
        features.push_back({{"type", "Feature"},
                            {"geometry", {{"type", "Point"}, {"coordinates", {*f.longitude, *f.latitude}}}},
                            {"properties", {{"kind", "facility"}, {"label", f.name}}}});
    }
    for (const auto& b : ChainRepository::buyers(c, k->id)) {
      const std::string id = "buyer:" + std::to_string(b.id);
      node(id, "buyer", b.name, b.market);
      edges.push_back({{"from", lead}, {"to", id}});
    }
    return json{{"contract", contract_json(*k)},
                {"nodes", nodes},
                {"edges", edges},
                {"map", {{"type", "FeatureCollection"}, {"features", features}}}};
  });
}

// ---- buyers and trade events ----------------------------------------------------------------

Result<json> ChainService::add_buyer(const Actor& a, std::int64_t contract_id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    std::vector<FieldError> errors;
    BuyerRecord b{0, k->id, str_field(body, "name"), str_field(body, "market"), str_field(body, "country"),
                  str_field(body, "note")};
    if (b.name.empty()) errors.push_back({"name", "is required"});
    if (!is_market(b.market)) errors.push_back({"market", "must be domestic or export"});
    if (!errors.empty()) return Error::invalid("the buyer was not saved", errors);
    b.id = ChainRepository::insert_buyer(c, b);
    json j = {{"id", b.id}, {"name", b.name}, {"market", b.market}, {"country", b.country}, {"note", b.note}};
    audit::record(c, a, "create", "chain_buyer", std::to_string(b.id), k->unit, std::nullopt, j);
    return j;
  });
}

Status ChainService::delete_buyer(const Actor& a, std::int64_t contract_id, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    if (!ChainRepository::delete_buyer(c, contract_id, id)) return Error::not_found("no such buyer");
    audit::record(c, a, "delete", "chain_buyer", std::to_string(id), k->unit, std::nullopt, std::nullopt);
    return {};
  });
}

Result<json> ChainService::add_trade_event(const Actor& a, std::int64_t contract_id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    std::vector<FieldError> errors;
    TradeEventRecord e{0, k->id, str_field(body, "name"), {}, str_field(body, "place"), str_field(body, "result")};
    if (e.name.empty()) errors.push_back({"name", "is required"});
    if (auto d = plausible_date(str_field(body, "held_on"))) e.held_on = *d;
    else errors.push_back({"held_on", "must be a date between 1945 and 2100"});
    if (!errors.empty()) return Error::invalid("the trade-promotion event was not saved", errors);
    e.id = ChainRepository::insert_trade_event(c, e);
    json j = {{"id", e.id}, {"name", e.name}, {"held_on", e.held_on.iso()}, {"place", e.place}, {"result", e.result}};
    audit::record(c, a, "create", "chain_trade_event", std::to_string(e.id), k->unit, std::nullopt, j);
    return j;
  });
}

Status ChainService::delete_trade_event(const Actor& a, std::int64_t contract_id, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto k = visible_contract(c, policy, a, contract_id);
    if (!k) return no_contract();
    if (!ChainRepository::delete_trade_event(c, contract_id, id)) return Error::not_found("no such trade-promotion event");
    audit::record(c, a, "delete", "chain_trade_event", std::to_string(id), k->unit, std::nullopt, std::nullopt);
    return {};
  });
}

// ---- facilities -------------------------------------------------------------------------------

Result<json> ChainService::list_facilities(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& f : ChainRepository::facilities(c))
      if (unit_visible(policy, a, f.unit) || a.role == identity::Role::producer) items.push_back(facility_json(f));
    return json{{"items", items}};
  });
}

Result<json> ChainService::get_facility(const Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    auto f = ChainRepository::find_facility(c, id);
    if (!f || !(unit_visible(policy, a, f->unit) || a.role == identity::Role::producer)) return no_facility();
    return facility_json(*f);
  });
}

Result<json> ChainService::save_facility(const Actor& a, std::optional<std::int64_t> id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    std::optional<FacilityRecord> old;
    if (id) {
      old = ChainRepository::find_facility(c, *id);
      if (!old || !unit_visible(policy, a, old->unit)) return no_facility();
    }
    std::vector<FieldError> errors;
    FacilityRecord f;
    f.code = str_field(body, "code");
    if (auto p = check_code(f.code); !p.empty()) errors.push_back({"code", p});
    else if (auto other = ChainRepository::find_facility(c, f.code); other && (!id || other->id != *id))
      errors.push_back({"code", "is already used by another facility"});
    f.name = str_field(body, "name");
    if (f.name.empty()) errors.push_back({"name", "is required"});
    if (auto op = body.find("operator_id"); op != body.end() && !op->is_null()) {
      std::optional<Party> p;
      if (op->is_number_integer()) p = ChainRepository::producer(c, op->get<std::int64_t>());
      if (!p || !producer_visible(policy, a, *p)) errors.push_back({"operator_id", "no such producer in your scope"});
      else {
        f.operator_party = p;
        f.unit = p->unit;
      }
    }
    if (auto u = body.find("unit_id"); u != body.end() && u->is_number_integer()) {
      UnitId unit(u->get<std::int64_t>());
      if (!admin_.graph()->find(unit) || !unit_visible(policy, a, unit)) errors.push_back({"unit_id", "no such unit in your scope"});
      else f.unit = unit;
    }
    if (!unit_visible(policy, a, f.unit)) errors.push_back({"unit_id", "is required: the facility must lie in your scope"});
    f.technology = str_field(body, "technology");
    if (!is_technology(f.technology)) errors.push_back({"technology", "must be manual, semi_mechanised or automated"});
    f.certifications = string_list(body, "certifications", errors);
    f.longitude = num_field(body, "longitude");
    f.latitude = num_field(body, "latitude");
    if (f.longitude.has_value() != f.latitude.has_value()) errors.push_back({"latitude", "longitude and latitude go together"});
    f.illustrative = body.value("illustrative", false);
    if (auto caps = body.find("capacities"); caps != body.end() && caps->is_array()) {
      for (std::size_t i = 0; i < caps->size(); ++i) {
        const json& x = (*caps)[i];
        const std::string at = "capacities[" + std::to_string(i) + "]";
        CapacityRecord k{str_field(x, "commodity"), str_field(x, "product"), 0};
        if (k.commodity.empty()) errors.push_back({at + ".commodity", "is required"});
        if (k.product.empty()) errors.push_back({at + ".product", "is required"});
        if (auto t = num_field(x, "capacity_t_per_season"); t && *t >= 0 && *t <= 1e9) k.capacity_t_per_season = *t;
        else errors.push_back({at + ".capacity_t_per_season", "must be a number of tonnes, 0 or more"});
        f.capacities.push_back(k);
      }
    }
    f.zones = id_list(body, "zone_ids", errors);
    for (std::size_t i = 0; i < f.zones.size(); ++i) {
      auto z = registry::RegistryRepository::find_zone(c, registry::ZoneId(f.zones[i]), false);
      if (!z || !unit_visible(policy, a, z->unit)) errors.push_back({"zone_ids[" + std::to_string(i) + "]", "no such zone in your scope"});
    }
    if (!errors.empty()) return Error::invalid("the facility was not saved", errors);
    if (id) {
      f.id = *id;
      ChainRepository::update_facility(c, f);
    } else {
      f.id = ChainRepository::insert_facility(c, f);
    }
    json after = facility_json(*ChainRepository::find_facility(c, f.id));
    audit::record(c, a, id ? "update" : "create", "chain_facility", std::to_string(f.id), f.unit,
                  old ? std::optional<json>(facility_json(*old)) : std::nullopt, after);
    return after;
  });
}

Status ChainService::delete_facility(const Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_write); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto f = ChainRepository::find_facility(c, id);
    if (!f || !unit_visible(policy, a, f->unit)) return no_facility();
    ChainRepository::delete_facility(c, id);
    audit::record(c, a, "delete", "chain_facility", std::to_string(id), f->unit, facility_json(*f), std::nullopt);
    return {};
  });
}

Result<json> ChainService::supply(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    std::vector<FacilityRecord> facilities;
    for (auto& f : ChainRepository::facilities(c))
      if (unit_visible(policy, a, f.unit) || a.role == identity::Role::producer) facilities.push_back(std::move(f));
    auto yields = ChainRepository::yields(c);
    json rows = json::array();
    for (const auto& r : capacity_against_supply(facilities, supply_zones(c), yields))
      rows.push_back({{"commodity", r.commodity},
                      {"capacity_t", r.capacity_t},
                      {"drawn_supply_t", r.drawn_supply_t},
                      {"zones_supply_t", r.zones_supply_t},
                      {"balance_t", r.balance_t},
                      {"status", r.status},
                      {"t_per_ha", r.t_per_ha},
                      {"yield_illustrative", r.yield_illustrative},
                      {"facilities", r.facilities},
                      {"zones", r.zones}});
    json table = json::array();
    for (const auto& [commodity, y] : yields)
      table.push_back({{"commodity", commodity}, {"t_per_ha", y.t_per_ha}, {"source", y.source}, {"illustrative", y.illustrative}});
    return json{{"rows", rows}, {"yields", table}};
  });
}

// ---- investment projects ------------------------------------------------------------------

Result<json> ChainService::list_investments(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& i : ChainRepository::investments(c))
      if (unit_visible(policy, a, i.unit) || a.role == identity::Role::producer) items.push_back(investment_json(i));
    return json{{"items", items}};
  });
}

Result<json> ChainService::save_investment(const Actor& a, std::optional<std::int64_t> id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_manage); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Result<json> {
    std::optional<InvestmentRecord> old;
    if (id) {
      old = ChainRepository::find_investment(c, *id);
      if (!old || !unit_visible(policy, a, old->unit)) return no_investment();
    }
    std::vector<FieldError> errors;
    InvestmentRecord i;
    i.code = str_field(body, "code");
    if (auto p = check_code(i.code); !p.empty()) errors.push_back({"code", p});
    else if (auto other = ChainRepository::find_investment(c, i.code); other && (!id || other->id != *id))
      errors.push_back({"code", "is already used by another investment project"});
    i.name = str_field(body, "name");
    if (i.name.empty()) errors.push_back({"name", "is required"});
    i.kind = str_field(body, "kind");
    if (!is_investment_kind(i.kind)) errors.push_back({"kind", "must be plant or industrial_cluster"});
    i.status = str_field(body, "status");
    if (!is_investment_status(i.status))
      errors.push_back({"status", "must be proposed, approved, under_construction, operating or suspended"});
    i.investor = str_field(body, "investor");
    i.commodity = str_field(body, "commodity");
    if (auto u = body.find("unit_id"); u != body.end() && u->is_number_integer()) {
      UnitId unit(u->get<std::int64_t>());
      if (!admin_.graph()->find(unit) || !unit_visible(policy, a, unit)) errors.push_back({"unit_id", "no such unit in your scope"});
      else i.unit = unit;
    }
    if (auto v = num_field(body, "land_ha"); v && *v >= 0 && *v <= 1e6) i.land_ha = *v;
    else if (body.contains("land_ha")) errors.push_back({"land_ha", "must be a number of hectares, 0 or more"});
    if (auto v = num_field(body, "raw_material_t"); v && *v >= 0 && *v <= 1e9) i.raw_material_t = *v;
    else if (body.contains("raw_material_t")) errors.push_back({"raw_material_t", "must be a number of tonnes, 0 or more"});
    i.illustrative = body.value("illustrative", false);
    if (!errors.empty()) return Error::invalid("the investment project was not saved", errors);
    if (id) {
      i.id = *id;
      ChainRepository::update_investment(c, i);
    } else {
      i.id = ChainRepository::insert_investment(c, i);
    }
    json after = investment_json(i);
    audit::record(c, a, id ? "update" : "create", "chain_investment", std::to_string(i.id), i.unit,
                  old ? std::optional<json>(investment_json(*old)) : std::nullopt, after);
    return after;
  });
}

Status ChainService::delete_investment(const Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::chains_manage); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  return db_.write([&](Connection& c) -> Status {
    auto i = ChainRepository::find_investment(c, id);
    if (!i || !unit_visible(policy, a, i->unit)) return no_investment();
    ChainRepository::delete_investment(c, id);
    audit::record(c, a, "delete", "chain_investment", std::to_string(id), i->unit, investment_json(*i), std::nullopt);
    return {};
  });
}

// ---- settings -------------------------------------------------------------------------------

namespace {
json settings_json(Connection& c) {
  auto t = ChainRepository::thresholds(c);
  auto d = DocumentRepository::rules(c);
  return json{{"behind_pct", t.behind_pct},
              {"side_selling_pct", t.side_selling_pct},
              {"document_max_mb", d.max_mb},
              {"document_media_types", d.media_types}};
}
}  // namespace

Result<json> ChainService::settings(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::chains_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    return settings_json(c);
  });
}

Result<json> ChainService::save_settings(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::chains_manage); !s) return s.error();
  return db_.write([&](Connection& c) -> Result<json> {
    const json before = settings_json(c);
    std::vector<FieldError> errors;
    for (const char* key : {"behind_pct", "side_selling_pct"}) {
      if (!body.contains(key)) continue;
      auto v = num_field(body, key);
      if (!v || *v < 0 || *v > 100) errors.push_back({key, "must be a percentage between 0 and 100"});
    }
    if (body.contains("document_max_mb")) {
      auto v = num_field(body, "document_max_mb");
      if (!v || *v < 0.1 || *v > kMaxDocumentMb) errors.push_back({"document_max_mb", "must be between 0.1 and 40 MB"});
    }
    std::vector<std::string> types;
    std::string accepted;
    for (const auto& t : kDocumentMediaTypes) accepted += (accepted.empty() ? "" : ", ") + t;
    if (body.contains("document_media_types")) {
      const json& list = body["document_media_types"];
      if (!list.is_array() || list.empty()) errors.push_back({"document_media_types", "must list at least one media type"});
      else
        for (std::size_t i = 0; i < list.size(); ++i) {
          const std::string t = list[i].is_string() ? list[i].get<std::string>() : std::string();
          if (std::find(kDocumentMediaTypes.begin(), kDocumentMediaTypes.end(), t) == kDocumentMediaTypes.end())
            errors.push_back({"document_media_types[" + std::to_string(i) + "]", "must be one of: " + accepted});
          else if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
        }
    }
    if (!errors.empty()) return Error::invalid("the settings were not saved", errors);
    for (const char* key : {"behind_pct", "side_selling_pct", "document_max_mb"})
      if (body.contains(key)) ChainRepository::set_threshold(c, key, *num_field(body, key), a.name);
    if (body.contains("document_media_types")) DocumentRepository::set_media_types(c, types);
    json after = settings_json(c);
    audit::record(c, a, "update", "chain_setting", "thresholds", std::nullopt, before, after);
    return after;
  });
}

}  // namespace nongsan::chains
