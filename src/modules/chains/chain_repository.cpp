#include "modules/chains/chain_repository.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace nongsan::chains {

using nlohmann::json;
using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

Value unit_value(const std::optional<UnitId>& u) { return u ? Value{u->value} : Value{Null{}}; }
Value opt_real(const std::optional<double>& v) { return v ? Value{*v} : Value{Null{}}; }

std::vector<std::string> string_array(const std::string& text) {
  std::vector<std::string> out;
  auto j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& x : j)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

Party party_from(const Row& r) {
  Party p;
  p.id = r.i64("id");
  p.external_id = r.opt_str("external_id").value_or("");
  p.name = r.str("name");
  p.kind = r.str("kind");
  if (auto u = r.opt_i64("unit_id")) p.unit = UnitId(*u);
  return p;
}

constexpr const char* kContractColumns =
    "k.id, k.code, k.lead_id, k.unit_id, k.commodity, k.start_date, k.end_date, k.committed_kg, k.quality, "
    "k.price_mechanism, k.price_note, k.inputs_services, k.documents, k.illustrative, k.source, k.created_at, "
    "k.updated_at, p.external_id AS lead_external_id, p.name AS lead_name, p.kind AS lead_kind, "
    "p.unit_id AS lead_unit_id";

ContractRecord contract_from(const Row& r) {
  ContractRecord k;
  k.id = r.i64("id");
  k.code = r.str("code");
  k.lead.id = r.i64("lead_id");
  k.lead.external_id = r.opt_str("lead_external_id").value_or("");
  k.lead.name = r.str("lead_name");
  k.lead.kind = r.str("lead_kind");
  if (auto u = r.opt_i64("lead_unit_id")) k.lead.unit = UnitId(*u);
  if (auto u = r.opt_i64("unit_id")) k.unit = UnitId(*u);
  k.commodity = r.str("commodity");
  k.start = *CivilDate::parse(r.str("start_date"));
  k.end = *CivilDate::parse(r.str("end_date"));
  k.committed_kg = r.f64("committed_kg");
  k.quality = r.str("quality");
  k.price_mechanism = r.str("price_mechanism");
  k.price_note = r.str("price_note");
  k.inputs_services = r.str("inputs_services");
  k.documents = string_array(r.str("documents"));
  k.illustrative = r.i64("illustrative") != 0;
  k.source = r.str("source");
  k.created_at = r.str("created_at");
  k.updated_at = r.str("updated_at");
  return k;
}

// Parties and coverage of the contracts, in one query each.
void attach(Connection& c, std::vector<ContractRecord>& ks) {
  if (ks.empty()) return;
  std::map<std::int64_t, ContractRecord*> by_id;
  for (auto& k : ks) by_id[k.id] = &k;
  const bool one = ks.size() == 1;
  std::vector<Value> params;
  if (one) params.emplace_back(ks.front().id);
  auto rs = c.query(std::string("SELECT cp.contract_id, p.id, p.external_id, p.name, p.kind, p.unit_id FROM "
                                "chain_participant cp JOIN producer p ON p.id = cp.producer_id") +
                        (one ? " WHERE cp.contract_id = ?" : "") + " ORDER BY cp.contract_id, cp.seq",
                    params);
  for (const auto& r : rs.rows)
    if (auto it = by_id.find(r.i64("contract_id")); it != by_id.end()) it->second->participants.push_back(party_from(r));
  auto cov = c.query(std::string("SELECT contract_id, parcel_id, zone_id FROM chain_coverage") +
                         (one ? " WHERE contract_id = ?" : "") + " ORDER BY id",
                     params);
  for (const auto& r : cov.rows) {
    auto it = by_id.find(r.i64("contract_id"));
    if (it == by_id.end()) continue;
    if (auto p = r.opt_i64("parcel_id")) it->second->parcels.push_back(*p);
    if (auto z = r.opt_i64("zone_id")) it->second->zones.push_back(*z);
  }
}

std::vector<ContractRecord> contracts_where(Connection& c, const std::string& where, const std::vector<Value>& params) {
  std::vector<ContractRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kContractColumns +
                                   " FROM chain_contract k JOIN producer p ON p.id = k.lead_id" + where +
                                   " ORDER BY k.code",
                               params)
                           .rows)
    out.push_back(contract_from(r));
  // Byte order of the codes, the same on both backends (a PostgreSQL collation may order
  // "HD-10" and "HD1" otherwise).
  std::sort(out.begin(), out.end(), [](const ContractRecord& x, const ContractRecord& y) { return x.code < y.code; });
  attach(c, out);
  return out;
}

void write_parties(Connection& c, const ContractRecord& r) {
  c.execute("DELETE FROM chain_participant WHERE contract_id = ?", {r.id});
  c.execute("DELETE FROM chain_coverage WHERE contract_id = ?", {r.id});
  std::int64_t seq = 0;
  for (const auto& p : r.participants)
    c.execute("INSERT INTO chain_participant (contract_id, producer_id, seq) VALUES (?, ?, ?)", {r.id, p.id, ++seq});
  for (auto p : r.parcels)
    c.execute("INSERT INTO chain_coverage (contract_id, parcel_id, zone_id) VALUES (?, ?, NULL)", {r.id, p});
  for (auto z : r.zones)
    c.execute("INSERT INTO chain_coverage (contract_id, parcel_id, zone_id) VALUES (?, NULL, ?)", {r.id, z});
}

std::vector<Value> contract_values(const ContractRecord& r) {
  std::vector<Value> v;
  v.reserve(14);
  v.emplace_back(r.code);
  v.emplace_back(r.lead.id);
  v.push_back(unit_value(r.unit));
  v.emplace_back(r.commodity);
  v.emplace_back(r.start.iso());
  v.emplace_back(r.end.iso());
  v.emplace_back(r.committed_kg);
  v.emplace_back(r.quality);
  v.emplace_back(r.price_mechanism);
  v.emplace_back(r.price_note);
  v.emplace_back(r.inputs_services);
  v.emplace_back(json(r.documents).dump());
  v.emplace_back(std::int64_t{r.illustrative ? 1 : 0});
  v.emplace_back(r.source);
  return v;
}

constexpr const char* kDeliveryColumns =
    "d.id, d.contract_id, k.code AS contract_code, d.producer_id, p.external_id, p.name, p.kind, p.unit_id, "
    "d.delivered_on, d.quantity_kg, d.refused_kg, d.origin, d.epcis_event_id, d.source, d.created_by, d.created_at";

DeliveryRecord delivery_from(const Row& r) {
  DeliveryRecord d;
  d.id = r.i64("id");
  d.contract_id = r.i64("contract_id");
  d.contract = r.str("contract_code");
  d.participant.id = r.i64("producer_id");
  d.participant.external_id = r.opt_str("external_id").value_or("");
  d.participant.name = r.str("name");
  d.participant.kind = r.str("kind");
  if (auto u = r.opt_i64("unit_id")) d.participant.unit = UnitId(*u);
  d.date = *CivilDate::parse(r.str("delivered_on"));
  d.quantity_kg = r.f64("quantity_kg");
  d.refused_kg = r.f64("refused_kg");
  d.origin = r.str("origin");
  d.epcis_event_id = r.str("epcis_event_id");
  d.source = r.str("source");
  d.created_by = r.str("created_by");
  d.created_at = r.str("created_at");
  return d;
}

constexpr const char* kFacilityColumns =
    "id, code, name, operator_id, unit_id, technology, certifications, longitude, latitude, illustrative";

FacilityRecord facility_from(Connection& c, const Row& r) {
  FacilityRecord f;
  f.id = r.i64("id");
  f.code = r.str("code");
  f.name = r.str("name");
  if (auto o = r.opt_i64("operator_id")) f.operator_party = ChainRepository::producer(c, *o);
  if (auto u = r.opt_i64("unit_id")) f.unit = UnitId(*u);
  f.technology = r.str("technology");
  f.certifications = string_array(r.str("certifications"));
  f.longitude = r.opt_f64("longitude");
  f.latitude = r.opt_f64("latitude");
  f.illustrative = r.i64("illustrative") != 0;
  for (const auto& x : c.query("SELECT commodity, product, capacity_t_per_season FROM chain_facility_capacity "
                               "WHERE facility_id = ? ORDER BY id",
                               {f.id})
                           .rows)
    f.capacities.push_back({x.str("commodity"), x.str("product"), x.f64("capacity_t_per_season")});
  for (const auto& x : c.query("SELECT zone_id FROM chain_facility_zone WHERE facility_id = ? ORDER BY zone_id", {f.id}).rows)
    f.zones.push_back(x.i64("zone_id"));
  return f;
}

void write_facility_parts(Connection& c, const FacilityRecord& f) {
  c.execute("DELETE FROM chain_facility_capacity WHERE facility_id = ?", {f.id});
  c.execute("DELETE FROM chain_facility_zone WHERE facility_id = ?", {f.id});
  for (const auto& k : f.capacities)
    c.execute("INSERT INTO chain_facility_capacity (facility_id, commodity, product, capacity_t_per_season) "
              "VALUES (?, ?, ?, ?)",
              {f.id, k.commodity, k.product, k.capacity_t_per_season});
  for (auto z : f.zones) c.execute("INSERT INTO chain_facility_zone (facility_id, zone_id) VALUES (?, ?)", {f.id, z});
}

std::vector<Value> facility_values(const FacilityRecord& f) {
  std::vector<Value> v;
  v.reserve(9);
  v.emplace_back(f.code);
  v.emplace_back(f.name);
  v.push_back(f.operator_party ? Value{f.operator_party->id} : Value{Null{}});
  v.push_back(unit_value(f.unit));
  v.emplace_back(f.technology);
  v.emplace_back(json(f.certifications).dump());
  v.push_back(opt_real(f.longitude));
  v.push_back(opt_real(f.latitude));
  v.emplace_back(std::int64_t{f.illustrative ? 1 : 0});
  return v;
}

constexpr const char* kInvestmentColumns =
    "id, code, name, kind, status, investor, unit_id, commodity, land_ha, raw_material_t, illustrative";

InvestmentRecord investment_from(const Row& r) {
  InvestmentRecord i;
  i.id = r.i64("id");
  i.code = r.str("code");
  i.name = r.str("name");
  i.kind = r.str("kind");
  i.status = r.str("status");
  i.investor = r.str("investor");
  if (auto u = r.opt_i64("unit_id")) i.unit = UnitId(*u);
  i.commodity = r.str("commodity");
  i.land_ha = r.f64("land_ha");
  i.raw_material_t = r.f64("raw_material_t");
  i.illustrative = r.i64("illustrative") != 0;
  return i;
}

std::vector<Value> investment_values(const InvestmentRecord& i) {
  std::vector<Value> v;
  v.reserve(10);
  v.emplace_back(i.code);
  v.emplace_back(i.name);
  v.emplace_back(i.kind);
  v.emplace_back(i.status);
  v.emplace_back(i.investor);
  v.push_back(unit_value(i.unit));
  v.emplace_back(i.commodity);
  v.emplace_back(i.land_ha);
  v.emplace_back(i.raw_material_t);
  v.emplace_back(std::int64_t{i.illustrative ? 1 : 0});
  return v;
}

}  // namespace

std::optional<Party> ChainRepository::producer(Connection& c, const std::string& external_id) {
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE external_id = ?", {external_id});
  if (rs.empty()) return std::nullopt;
  return party_from(rs.rows.front());
}
std::optional<Party> ChainRepository::producer(Connection& c, std::int64_t id) {
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return party_from(rs.rows.front());
}
bool ChainRepository::zone_exists(Connection& c, std::int64_t id) {
  return c.scalar_i64("SELECT count(*) FROM zone WHERE id = ?", {id}) > 0;
}
bool ChainRepository::parcel_exists(Connection& c, std::int64_t id) {
  return c.scalar_i64("SELECT count(*) FROM parcel WHERE id = ?", {id}) > 0;
}

std::vector<ContractRecord> ChainRepository::contracts(Connection& c) { return contracts_where(c, "", {}); }
std::optional<ContractRecord> ChainRepository::find_contract(Connection& c, const std::string& code) {
  auto v = contracts_where(c, " WHERE k.code = ?", {code});
  if (v.empty()) return std::nullopt;
  return v.front();
}
std::optional<ContractRecord> ChainRepository::find_contract(Connection& c, std::int64_t id) {
  auto v = contracts_where(c, " WHERE k.id = ?", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::int64_t ChainRepository::insert_contract(Connection& c, const ContractRecord& r) {
  auto v = contract_values(r);
  auto now = utc_now_iso();
  v.emplace_back(now);
  v.emplace_back(now);
  auto rs = c.query(
      "INSERT INTO chain_contract (code, lead_id, unit_id, commodity, start_date, end_date, committed_kg, quality, "
      "price_mechanism, price_note, inputs_services, documents, illustrative, source, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      v);
  ContractRecord stored = r;
  stored.id = rs.rows.front().i64("id");
  write_parties(c, stored);
  return stored.id;
}

void ChainRepository::update_contract(Connection& c, const ContractRecord& r) {
  auto v = contract_values(r);
  v.emplace_back(utc_now_iso());
  v.emplace_back(r.id);
  c.execute(
      "UPDATE chain_contract SET code = ?, lead_id = ?, unit_id = ?, commodity = ?, start_date = ?, end_date = ?, "
      "committed_kg = ?, quality = ?, price_mechanism = ?, price_note = ?, inputs_services = ?, documents = ?, "
      "illustrative = ?, source = ?, updated_at = ? WHERE id = ?",
      v);
  write_parties(c, r);
}

void ChainRepository::delete_contract(Connection& c, std::int64_t id) {
  c.execute("DELETE FROM chain_delivery WHERE contract_id = ?", {id});
  c.execute("DELETE FROM chain_buyer WHERE contract_id = ?", {id});
  c.execute("DELETE FROM chain_trade_event WHERE contract_id = ?", {id});
  c.execute("DELETE FROM chain_participant WHERE contract_id = ?", {id});
  c.execute("DELETE FROM chain_coverage WHERE contract_id = ?", {id});
  c.execute("DELETE FROM chain_contract WHERE id = ?", {id});
}

std::vector<DeliveryRecord> ChainRepository::deliveries(Connection& c, std::optional<std::int64_t> contract_id) {
  std::vector<Value> params;
  if (contract_id) params.emplace_back(*contract_id);
  std::vector<DeliveryRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kDeliveryColumns +
                                   " FROM chain_delivery d JOIN chain_contract k ON k.id = d.contract_id "
                                   "JOIN producer p ON p.id = d.producer_id" +
                                   (contract_id ? " WHERE d.contract_id = ?" : "") + " ORDER BY d.delivered_on, d.id",
                               params)
                           .rows)
    out.push_back(delivery_from(r));
  return out;
}

std::int64_t ChainRepository::insert_delivery(Connection& c, const DeliveryRecord& d) {
  std::vector<Value> v;
  v.reserve(10);
  v.emplace_back(d.contract_id);
  v.emplace_back(d.participant.id);
  v.emplace_back(d.date.iso());
  v.emplace_back(d.quantity_kg);
  v.emplace_back(d.refused_kg);
  v.emplace_back(d.origin);
  v.emplace_back(d.epcis_event_id);
  v.emplace_back(d.source);
  v.emplace_back(d.created_by);
  v.emplace_back(utc_now_iso());
  auto rs = c.query(
      "INSERT INTO chain_delivery (contract_id, producer_id, delivered_on, quantity_kg, refused_kg, origin, "
      "epcis_event_id, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      v);
  return rs.rows.front().i64("id");
}

bool ChainRepository::has_epcis_delivery(Connection& c, const std::string& event_hash) {
  return c.scalar_i64("SELECT count(*) FROM chain_delivery WHERE origin = 'epcis' AND epcis_event_id = ?", {event_hash}) > 0;
}

void ChainRepository::insert_unmatched(Connection& c, const UnmatchedEventRecord& u) {
  std::vector<Value> v;
  v.reserve(11);
  v.emplace_back(u.event_hash);
  v.emplace_back(u.event_id);
  v.emplace_back(u.event_time);
  v.emplace_back(u.contract_code);
  v.push_back(u.contract_id ? Value{*u.contract_id} : Value{Null{}});
  v.push_back(u.unit ? Value{u.unit->value} : Value{Null{}});
  v.emplace_back(u.participant);
  v.push_back(opt_real(u.quantity_kg));
  v.emplace_back(u.reason);
  v.emplace_back(u.capture_id);
  v.emplace_back(utc_now_iso());
  c.execute(
      "INSERT INTO chain_epcis_unmatched (event_hash, event_id, event_time, contract_code, contract_id, unit_id, "
      "participant, quantity_kg, reason, capture_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      v);
}

std::vector<UnmatchedEventRecord> ChainRepository::unmatched(Connection& c) {
  std::vector<UnmatchedEventRecord> out;
  for (const auto& r : c.query("SELECT id, event_hash, event_id, event_time, contract_code, contract_id, unit_id, "
                               "participant, quantity_kg, reason, capture_id, created_at FROM chain_epcis_unmatched "
                               "ORDER BY event_time, id",
                               {})
                           .rows) {
    UnmatchedEventRecord u;
    u.id = r.i64("id");
    u.event_hash = r.str("event_hash");
    u.event_id = r.str("event_id");
    u.event_time = r.str("event_time");
    u.contract_code = r.str("contract_code");
    u.contract_id = r.opt_i64("contract_id");
    if (auto x = r.opt_i64("unit_id")) u.unit = UnitId(*x);
    u.participant = r.str("participant");
    u.quantity_kg = r.opt_f64("quantity_kg");
    u.reason = r.str("reason");
    u.capture_id = r.str("capture_id");
    u.created_at = r.str("created_at");
    out.push_back(std::move(u));
  }
  return out;
}

std::int64_t ChainRepository::count_same_delivery(Connection& c, const DeliveryRecord& d) {
  return c.scalar_i64(
      "SELECT count(*) FROM chain_delivery WHERE contract_id = ? AND producer_id = ? AND delivered_on = ? AND "
      "quantity_kg = ? AND refused_kg = ? AND source = ?",
      {d.contract_id, d.participant.id, d.date.iso(), d.quantity_kg, d.refused_kg, d.source});
}

bool ChainRepository::delete_delivery(Connection& c, std::int64_t contract_id, std::int64_t id) {
  return c.execute("DELETE FROM chain_delivery WHERE id = ? AND contract_id = ?", {id, contract_id}) > 0;
}

LinkageThresholds ChainRepository::thresholds(Connection& c) {
  LinkageThresholds t;
  for (const auto& r : c.query("SELECT key, value FROM chain_setting").rows) {
    if (r.str("key") == "behind_pct") t.behind_pct = r.f64("value");
    if (r.str("key") == "side_selling_pct") t.side_selling_pct = r.f64("value");
  }
  return t;
}

void ChainRepository::set_threshold(Connection& c, const std::string& key, double value, const std::string& by) {
  c.execute("UPDATE chain_setting SET value = ?, updated_by = ?, updated_at = ? WHERE key = ?",
            {value, by, utc_now_iso(), key});
}

std::vector<FacilityRecord> ChainRepository::facilities(Connection& c) {
  std::vector<FacilityRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kFacilityColumns + " FROM chain_facility ORDER BY code").rows)
    out.push_back(facility_from(c, r));
  return out;
}
std::optional<FacilityRecord> ChainRepository::find_facility(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string("SELECT ") + kFacilityColumns + " FROM chain_facility WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return facility_from(c, rs.rows.front());
}
std::optional<FacilityRecord> ChainRepository::find_facility(Connection& c, const std::string& code) {
  auto rs = c.query(std::string("SELECT ") + kFacilityColumns + " FROM chain_facility WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return facility_from(c, rs.rows.front());
}
std::int64_t ChainRepository::insert_facility(Connection& c, const FacilityRecord& r) {
  auto v = facility_values(r);
  auto now = utc_now_iso();
  v.emplace_back(now);
  v.emplace_back(now);
  auto rs = c.query(
      "INSERT INTO chain_facility (code, name, operator_id, unit_id, technology, certifications, longitude, latitude, "
      "illustrative, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      v);
  FacilityRecord stored = r;
  stored.id = rs.rows.front().i64("id");
  write_facility_parts(c, stored);
  return stored.id;
}
void ChainRepository::update_facility(Connection& c, const FacilityRecord& r) {
  auto v = facility_values(r);
  v.emplace_back(utc_now_iso());
  v.emplace_back(r.id);
  c.execute(
      "UPDATE chain_facility SET code = ?, name = ?, operator_id = ?, unit_id = ?, technology = ?, certifications = ?, "
      "longitude = ?, latitude = ?, illustrative = ?, updated_at = ? WHERE id = ?",
      v);
  write_facility_parts(c, r);
}
void ChainRepository::delete_facility(Connection& c, std::int64_t id) {
  c.execute("DELETE FROM chain_facility_capacity WHERE facility_id = ?", {id});
  c.execute("DELETE FROM chain_facility_zone WHERE facility_id = ?", {id});
  c.execute("DELETE FROM chain_facility WHERE id = ?", {id});
}

std::map<std::string, YieldEntry> ChainRepository::yields(Connection& c) {
  std::map<std::string, YieldEntry> out;
  for (const auto& r : c.query("SELECT commodity, t_per_ha, source, illustrative FROM chain_yield").rows)
    out[r.str("commodity")] = {r.f64("t_per_ha"), r.str("source"), r.i64("illustrative") != 0};
  return out;
}

std::vector<BuyerRecord> ChainRepository::buyers(Connection& c, std::optional<std::int64_t> contract_id) {
  std::vector<Value> params;
  if (contract_id) params.emplace_back(*contract_id);
  std::vector<BuyerRecord> out;
  for (const auto& r : c.query(std::string("SELECT id, contract_id, name, market, country, note FROM chain_buyer") +
                                   (contract_id ? " WHERE contract_id = ?" : "") + " ORDER BY id",
                               params)
                           .rows)
    out.push_back({r.i64("id"), r.i64("contract_id"), r.str("name"), r.str("market"), r.str("country"), r.str("note")});
  return out;
}
std::int64_t ChainRepository::insert_buyer(Connection& c, const BuyerRecord& b) {
  return c
      .query("INSERT INTO chain_buyer (contract_id, name, market, country, note) VALUES (?, ?, ?, ?, ?) RETURNING id",
             {b.contract_id, b.name, b.market, b.country, b.note})
      .rows.front()
      .i64("id");
}
void ChainRepository::update_buyer(Connection& c, const BuyerRecord& b) {
  c.execute("UPDATE chain_buyer SET market = ?, country = ?, note = ? WHERE id = ?", {b.market, b.country, b.note, b.id});
}
bool ChainRepository::delete_buyer(Connection& c, std::int64_t contract_id, std::int64_t id) {
  return c.execute("DELETE FROM chain_buyer WHERE id = ? AND contract_id = ?", {id, contract_id}) > 0;
}

std::vector<TradeEventRecord> ChainRepository::trade_events(Connection& c, std::optional<std::int64_t> contract_id) {
  std::vector<Value> params;
  if (contract_id) params.emplace_back(*contract_id);
  std::vector<TradeEventRecord> out;
  for (const auto& r :
       c.query(std::string("SELECT id, contract_id, name, held_on, place, result FROM chain_trade_event") +
                   (contract_id ? " WHERE contract_id = ?" : "") + " ORDER BY held_on, id",
               params)
           .rows)
    out.push_back({r.i64("id"), r.i64("contract_id"), r.str("name"), *CivilDate::parse(r.str("held_on")),
                   r.str("place"), r.str("result")});
  return out;
}
std::int64_t ChainRepository::insert_trade_event(Connection& c, const TradeEventRecord& e) {
  return c
      .query("INSERT INTO chain_trade_event (contract_id, name, held_on, place, result) VALUES (?, ?, ?, ?, ?) "
             "RETURNING id",
             {e.contract_id, e.name, e.held_on.iso(), e.place, e.result})
      .rows.front()
      .i64("id");
}
void ChainRepository::update_trade_event(Connection& c, const TradeEventRecord& e) {
  c.execute("UPDATE chain_trade_event SET place = ?, result = ? WHERE id = ?", {e.place, e.result, e.id});
}
bool ChainRepository::delete_trade_event(Connection& c, std::int64_t contract_id, std::int64_t id) {
  return c.execute("DELETE FROM chain_trade_event WHERE id = ? AND contract_id = ?", {id, contract_id}) > 0;
}

std::vector<InvestmentRecord> ChainRepository::investments(Connection& c) {
  std::vector<InvestmentRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kInvestmentColumns + " FROM chain_investment ORDER BY code").rows)
    out.push_back(investment_from(r));
  return out;
}
std::optional<InvestmentRecord> ChainRepository::find_investment(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string("SELECT ") + kInvestmentColumns + " FROM chain_investment WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return investment_from(rs.rows.front());
}
std::optional<InvestmentRecord> ChainRepository::find_investment(Connection& c, const std::string& code) {
  auto rs = c.query(std::string("SELECT ") + kInvestmentColumns + " FROM chain_investment WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return investment_from(rs.rows.front());
}
std::int64_t ChainRepository::insert_investment(Connection& c, const InvestmentRecord& r) {
  auto v = investment_values(r);
  auto now = utc_now_iso();
  v.emplace_back(now);
  v.emplace_back(now);
  return c
      .query("INSERT INTO chain_investment (code, name, kind, status, investor, unit_id, commodity, land_ha, "
             "raw_material_t, illustrative, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "RETURNING id",
             v)
      .rows.front()
      .i64("id");
}
void ChainRepository::update_investment(Connection& c, const InvestmentRecord& r) {
  auto v = investment_values(r);
  v.emplace_back(utc_now_iso());
  v.emplace_back(r.id);
  c.execute(
      "UPDATE chain_investment SET code = ?, name = ?, kind = ?, status = ?, investor = ?, unit_id = ?, commodity = ?, "
      "land_ha = ?, raw_material_t = ?, illustrative = ?, updated_at = ? WHERE id = ?",
      v);
}
void ChainRepository::delete_investment(Connection& c, std::int64_t id) {
  c.execute("DELETE FROM chain_investment WHERE id = ?", {id});
}

}  // namespace nongsan::chains
