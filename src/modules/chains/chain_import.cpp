#include "modules/chains/chain_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/chains/chain_repository.hpp"
#include "modules/chains/chain_rules.hpp"
#include "modules/registry/import_support.hpp"

namespace nongsan::chains {

using identity::Permission;
using nlohmann::json;
using storage::Connection;
using support::ImportRow;
using support::ImportTable;

namespace {

// The column check shared by every import of an official's table (support_import.hpp).
using Columns = support::ImportColumns;
constexpr auto check_columns = &support::check_import_columns;
constexpr auto cell = &support::import_cell;
constexpr auto at = &support::import_at;

std::optional<double> kilograms(const std::string& text) {
  auto v = parse_real(text, NumberRange::real(0, kMaxKilograms), "kg");
  if (!v) return std::nullopt;
  return *v;
}

// Tonnes or hectares: a plain number, 0 or more.
std::optional<double> amount(const std::string& text, double max, const char* unit) {
  auto v = parse_real(text, NumberRange::real(0, max), unit);
  if (!v) return std::nullopt;
  return *v;
}

// "a; b;c" → {"a", "b", "c"} (empty parts dropped, the order kept, repeats once).
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    std::size_t to = text.find(';', from);
    if (to == std::string::npos) to = text.size();
    std::string part = trim(text.substr(from, to - from));
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) out.push_back(part);
    from = to + 1;
  }
  return out;
}

// The commune a row names: nullopt with an error when the code is unknown; `fallback`
// when the cell is empty.
std::optional<UnitId> commune_of(const admin::UnitGraph& graph, const ImportRow& row, const Columns& cols,
                                 std::optional<UnitId> fallback, std::vector<FieldError>& errors) {
  const std::string code = cell(row, cols, "commune");
  if (code.empty()) return fallback;
  if (const auto* u = registry::import::commune_on(graph, code, CivilDate::today())) return u->id;
  errors.push_back({at(row, "commune"), "no commune has the code '" + code + "'"});
  return std::nullopt;
}

bool same_facility(const FacilityRecord& a, const FacilityRecord& b) {
  auto op = [](const FacilityRecord& f) { return f.operator_party ? f.operator_party->id : 0; };
  if (a.name != b.name || op(a) != op(b) || a.unit != b.unit || a.technology != b.technology ||
      a.certifications != b.certifications || a.longitude != b.longitude || a.latitude != b.latitude ||
      a.capacities.size() != b.capacities.size())
    return false;
  for (std::size_t i = 0; i < a.capacities.size(); ++i)
    if (a.capacities[i].commodity != b.capacities[i].commodity || a.capacities[i].product != b.capacities[i].product ||
        a.capacities[i].capacity_t_per_season != b.capacities[i].capacity_t_per_season)
      return false;
  return true;
}

}  // namespace

Result<ChainImportReport> import_contracts(storage::Database& db, const identity::Actor& actor, const ImportTable& table,
                                           const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"contract", "lead", "participant", "commodity", "start", "end", "committed_kg"},
                            {"quality", "price_mechanism", "inputs_services"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::map<std::string, ContractRecord> contracts;
    std::vector<std::string> order;
    std::map<std::string, int> first_line;
    std::map<std::string, std::optional<Party>> producers;
    auto party = [&](const std::string& id) -> const std::optional<Party>& {
      if (!producers.count(id)) producers[id] = ChainRepository::producer(c, id);
      return producers[id];
    };
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      ContractRecord k;
      k.code = cell(row, *cols, "contract");
      if (auto p = check_code(k.code); !p.empty()) errors.push_back({at(row, "contract"), p});
      std::string lead = cell(row, *cols, "lead");
      if (const auto& p = party(lead); !p) errors.push_back({at(row, "lead"), "no producer has the id '" + lead + "'"});
      else if (!may_lead(p->kind))
        errors.push_back({at(row, "lead"), "'" + lead + "' is a " + p->kind + "; a lead is an enterprise or a cooperative"});
      else {
        k.lead = *p;
        k.unit = p->unit;
      }
      std::string participant = cell(row, *cols, "participant");
      std::optional<Party> member = party(participant);
      if (!member) errors.push_back({at(row, "participant"), "no producer has the id '" + participant + "'"});
      k.commodity = cell(row, *cols, "commodity");
      if (k.commodity.empty() || k.commodity.size() > 64 || !is_valid_utf8(k.commodity))
        errors.push_back({at(row, "commodity"), "must be a commodity code (1 to 64 characters)"});
      auto start = plausible_date(cell(row, *cols, "start"));
      auto end = plausible_date(cell(row, *cols, "end"));
      if (!start) errors.push_back({at(row, "start"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      if (!end) errors.push_back({at(row, "end"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      if (start && end && *end < *start) errors.push_back({at(row, "end"), "is before the start"});
      if (start) k.start = *start;
      if (end) k.end = *end;
      if (auto kg = kilograms(cell(row, *cols, "committed_kg"))) k.committed_kg = *kg;
      else errors.push_back({at(row, "committed_kg"), "must be a number of kilograms, 0 or more ('.' as decimal point)"});
      k.quality = cell(row, *cols, "quality");
      k.price_mechanism = cell(row, *cols, "price_mechanism");
      if (!is_price_mechanism(k.price_mechanism))
        errors.push_back({at(row, "price_mechanism"), "must be empty or one of: fixed, floor, market_linked"});
      k.inputs_services = cell(row, *cols, "inputs_services");
      if (errors.size() != before) continue;
      auto [it, fresh] = contracts.try_emplace(k.code, k);
      if (fresh) {
        order.push_back(k.code);
        first_line[k.code] = row.line;
      } else {
        const ContractRecord& b = it->second;
        auto differs = [&](const char* column, bool d) {
          if (d)
            errors.push_back({at(row, column), "differs from line " + std::to_string(first_line[k.code]) +
                                                   " of the same contract"});
        };
        differs("lead", k.lead.id != b.lead.id);
        differs("commodity", k.commodity != b.commodity);
        differs("start", !(k.start == b.start));
        differs("end", !(k.end == b.end));
        differs("committed_kg", k.committed_kg != b.committed_kg);
        differs("quality", k.quality != b.quality);
        differs("price_mechanism", k.price_mechanism != b.price_mechanism);
        differs("inputs_services", k.inputs_services != b.inputs_services);
      }
      auto& parts = it->second.participants;
      if (std::any_of(parts.begin(), parts.end(), [&](const Party& p) { return p.id == member->id; }))
        errors.push_back({at(row, "participant"), "'" + participant + "' appears twice in contract " + k.code});
      else parts.push_back(*member);
    }
    // A participant dropped from a stored contract must have no deliveries.
    for (const auto& code : order) {
      auto existing = ChainRepository::find_contract(c, code);
      if (!existing) continue;
      const auto& now = contracts[code].participants;
      std::set<std::int64_t> kept;
      for (const auto& p : now) kept.insert(p.id);
      for (const auto& d : ChainRepository::deliveries(c, existing->id))
        if (!kept.count(d.participant.id)) {
          errors.push_back({"line " + std::to_string(first_line[code]) + ", column participant",
                            "contract " + code + " has deliveries from '" + d.participant.external_id +
                                "', who is not among its participants in the file"});
          break;
        }
    }
    if (!errors.empty()) return Error::invalid("the contracts were not imported; nothing was changed", errors);

    ChainImportReport report;
    for (const auto& code : order) {
      ContractRecord& k = contracts[code];
      k.source = source;
      auto existing = ChainRepository::find_contract(c, code);
      if (!existing) {
        k.id = ChainRepository::insert_contract(c, k);
        ++report.created;
        continue;
      }
      auto same_parties = [&] {
        if (existing->participants.size() != k.participants.size()) return false;
        for (std::size_t i = 0; i < k.participants.size(); ++i)
          if (existing->participants[i].id != k.participants[i].id) return false;
        return true;
      };
      if (existing->lead.id == k.lead.id && existing->commodity == k.commodity && existing->start == k.start &&
          existing->end == k.end && existing->committed_kg == k.committed_kg && existing->quality == k.quality &&
          existing->price_mechanism == k.price_mechanism && existing->inputs_services == k.inputs_services &&
          same_parties()) {
        ++report.unchanged;
        continue;
      }
      k.id = existing->id;
      k.price_note = existing->price_note;
      k.documents = existing->documents;
      k.parcels = existing->parcels;
      k.zones = existing->zones;
      k.illustrative = existing->illustrative;
      ChainRepository::update_contract(c, k);
      ++report.updated;
    }
    audit::record(c, actor, "import", "chain_contract", source, std::nullopt, std::nullopt,
                  json{{"file", source},
                       {"created", report.created},
                       {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

Result<ChainImportReport> import_deliveries(storage::Database& db, const identity::Actor& actor,
                                            const ImportTable& table, const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"contract", "participant", "date", "quantity_kg"}, {"refused_kg"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::vector<DeliveryRecord> rows;
    std::map<std::string, std::optional<ContractRecord>> contracts;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      DeliveryRecord d;
      d.contract = cell(row, *cols, "contract");
      if (!contracts.count(d.contract)) contracts[d.contract] = ChainRepository::find_contract(c, d.contract);
      const auto& k = contracts[d.contract];
      if (!k) errors.push_back({at(row, "contract"), "no contract has the code '" + d.contract + "'"});
      else d.contract_id = k->id;
      std::string participant = cell(row, *cols, "participant");
      if (k) {
        auto p = std::find_if(k->participants.begin(), k->participants.end(),
                              [&](const Party& x) { return x.external_id == participant; });
        if (p == k->participants.end())
          errors.push_back({at(row, "participant"), "'" + participant + "' is not a participant of contract " + d.contract});
        else d.participant = *p;
      }
      if (auto date = plausible_date(cell(row, *cols, "date"))) d.date = *date;
      else errors.push_back({at(row, "date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      if (auto kg = kilograms(cell(row, *cols, "quantity_kg"))) d.quantity_kg = *kg;
      else errors.push_back({at(row, "quantity_kg"), "must be a number of kilograms, 0 or more ('.' as decimal point)"});
      if (std::string refused = cell(row, *cols, "refused_kg"); !refused.empty()) {
        if (auto kg = kilograms(refused)) d.refused_kg = *kg;
        else errors.push_back({at(row, "refused_kg"), "must be empty or a number of kilograms, 0 or more"});
      }
      d.origin = "imported";
      d.source = source;
      d.created_by = actor.name;
      if (errors.size() == before) rows.push_back(std::move(d));
    }
    if (!errors.empty()) return Error::invalid("the deliveries were not imported; nothing was changed", errors);
    // A multiset match within the file: the k-th identical row is the k-th identical
    // delivery stored from the same file.
    std::map<std::tuple<std::int64_t, std::int64_t, std::string, double, double>, std::int64_t> seen;
    ChainImportReport report;
    for (const auto& d : rows) {
      auto key = std::make_tuple(d.contract_id, d.participant.id, d.date.iso(), d.quantity_kg, d.refused_kg);
      std::int64_t nth = ++seen[key];
      if (nth <= ChainRepository::count_same_delivery(c, d)) {
        ++report.unchanged;
        continue;
      }
      ChainRepository::insert_delivery(c, d);
      ++report.created;
    }
    audit::record(c, actor, "import", "chain_delivery", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"unchanged", report.unchanged}});
    return report;
  });
}

Result<ChainImportReport> import_facilities(storage::Database& db, const admin::UnitGraph& graph,
                                            const identity::Actor& actor, const ImportTable& table,
                                            const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"facility", "name", "technology", "commodity", "product", "capacity_t_per_season"},
                            {"operator", "commune", "certifications", "longitude", "latitude"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::map<std::string, FacilityRecord> facilities;
    std::vector<std::string> order;
    std::map<std::string, int> first_line;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      FacilityRecord f;
      f.code = cell(row, *cols, "facility");
      if (auto p = check_code(f.code); !p.empty()) errors.push_back({at(row, "facility"), p});
      f.name = cell(row, *cols, "name");
      if (f.name.empty() || f.name.size() > 300 || !is_valid_utf8(f.name))
        errors.push_back({at(row, "name"), "must be a name of 1 to 300 characters"});
      if (std::string op = cell(row, *cols, "operator"); !op.empty()) {
        if (auto p = ChainRepository::producer(c, op)) {
          f.operator_party = p;
          f.unit = p->unit;
        } else {
          errors.push_back({at(row, "operator"), "no producer has the id '" + op + "'"});
        }
      }
      f.unit = commune_of(graph, row, *cols, f.unit, errors);
      f.technology = cell(row, *cols, "technology");
      if (!is_technology(f.technology))
        errors.push_back({at(row, "technology"), "must be manual, semi_mechanised or automated"});
      f.certifications = split_list(cell(row, *cols, "certifications"));
      const std::string lon = cell(row, *cols, "longitude"), lat = cell(row, *cols, "latitude");
      if (!lon.empty() || !lat.empty()) {
        auto x = parse_real(lon, NumberRange::real(-180, 180), "longitude");
        auto y = parse_real(lat, NumberRange::real(-90, 90), "latitude");
        if (!x) errors.push_back({at(row, "longitude"), "must be a longitude in degrees (-180 to 180), with the latitude"});
        if (!y) errors.push_back({at(row, "latitude"), "must be a latitude in degrees (-90 to 90), with the longitude"});
        if (x && y) {
          f.longitude = *x;
          f.latitude = *y;
        }
      }
      CapacityRecord k{cell(row, *cols, "commodity"), cell(row, *cols, "product"), 0};
      if (k.commodity.empty() || k.commodity.size() > 64 || !is_valid_utf8(k.commodity))
        errors.push_back({at(row, "commodity"), "must be a commodity code (1 to 64 characters)"});
      if (k.product.empty() || k.product.size() > 300 || !is_valid_utf8(k.product))
        errors.push_back({at(row, "product"), "must be a product name of 1 to 300 characters"});
      if (auto t = amount(cell(row, *cols, "capacity_t_per_season"), 1e9, "t")) k.capacity_t_per_season = *t;
      else errors.push_back({at(row, "capacity_t_per_season"), "must be a number of tonnes, 0 or more ('.' as decimal point)"});
      if (errors.size() != before) continue;
      auto [it, fresh] = facilities.try_emplace(f.code, f);
      if (fresh) {
        order.push_back(f.code);
        first_line[f.code] = row.line;
      } else {
        const FacilityRecord& b = it->second;
        auto differs = [&](const char* column, bool d) {
          if (d)
            errors.push_back({at(row, column), "differs from line " + std::to_string(first_line[f.code]) +
                                                   " of the same facility"});
        };
        differs("name", f.name != b.name);
        differs("operator", (f.operator_party ? f.operator_party->id : 0) != (b.operator_party ? b.operator_party->id : 0));
        differs("commune", f.unit != b.unit);
        differs("technology", f.technology != b.technology);
        differs("certifications", f.certifications != b.certifications);
        differs("longitude", f.longitude != b.longitude || f.latitude != b.latitude);
      }
      auto& caps = it->second.capacities;
      if (std::any_of(caps.begin(), caps.end(),
                      [&](const CapacityRecord& x) { return x.commodity == k.commodity && x.product == k.product; }))
        errors.push_back({at(row, "product"), "'" + k.product + "' of " + k.commodity + " appears twice for facility " + f.code});
      else caps.push_back(k);
    }
    if (!errors.empty()) return Error::invalid("the facilities were not imported; nothing was changed", errors);
    ChainImportReport report;
    for (const auto& code : order) {
      FacilityRecord& f = facilities[code];
      auto existing = ChainRepository::find_facility(c, code);
      if (!existing) {
        f.id = ChainRepository::insert_facility(c, f);
        ++report.created;
        continue;
      }
      if (same_facility(*existing, f)) {
        ++report.unchanged;
        continue;
      }
      f.id = existing->id;
      f.zones = existing->zones;
      f.illustrative = existing->illustrative;
      ChainRepository::update_facility(c, f);
      ++report.updated;
    }
    audit::record(c, actor, "import", "chain_facility", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

namespace {

// The contract a row names by code (cached), or an error at its `contract` column.
std::optional<ContractRecord> row_contract(Connection& c, const ImportRow& row, const Columns& cols,
                                          std::map<std::string, std::optional<ContractRecord>>& cache,
                                          std::vector<FieldError>& errors) {
  const std::string code = cell(row, cols, "contract");
  if (!cache.count(code)) cache[code] = ChainRepository::find_contract(c, code);
  if (!cache[code]) errors.push_back({at(row, "contract"), "no contract has the code '" + code + "'"});
  return cache[code];
}

}  // namespace

Result<ChainImportReport> import_buyers(storage::Database& db, const identity::Actor& actor, const ImportTable& table,
                                        const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"contract", "name", "market"}, {"country", "note"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::vector<BuyerRecord> rows;
    std::map<std::string, std::optional<ContractRecord>> contracts;
    std::map<std::pair<std::int64_t, std::string>, int> seen;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      BuyerRecord b;
      auto k = row_contract(c, row, *cols, contracts, errors);
      if (k) b.contract_id = k->id;
      b.name = cell(row, *cols, "name");
      if (b.name.empty() || b.name.size() > 300 || !is_valid_utf8(b.name))
        errors.push_back({at(row, "name"), "must be a name of 1 to 300 characters"});
      else if (k && seen.count({k->id, b.name}))
        errors.push_back({at(row, "name"), "repeats line " + std::to_string(seen[{k->id, b.name}])});
      else if (k) seen[{k->id, b.name}] = row.line;
      b.market = cell(row, *cols, "market");
      if (!is_market(b.market)) errors.push_back({at(row, "market"), "must be domestic or export"});
      b.country = cell(row, *cols, "country");
      b.note = cell(row, *cols, "note");
      if (errors.size() == before) rows.push_back(std::move(b));
    }
    if (!errors.empty()) return Error::invalid("the buyers were not imported; nothing was changed", errors);
    ChainImportReport report;
    std::map<std::int64_t, std::vector<BuyerRecord>> stored;
    for (auto& b : rows) {
      if (!stored.count(b.contract_id)) stored[b.contract_id] = ChainRepository::buyers(c, b.contract_id);
      const auto& have = stored[b.contract_id];
      auto old = std::find_if(have.begin(), have.end(), [&](const BuyerRecord& x) { return x.name == b.name; });
      if (old == have.end()) {
        ChainRepository::insert_buyer(c, b);
        ++report.created;
      } else if (old->market == b.market && old->country == b.country && old->note == b.note) {
        ++report.unchanged;
      } else {
        b.id = old->id;
        ChainRepository::update_buyer(c, b);
        ++report.updated;
      }
    }
    audit::record(c, actor, "import", "chain_buyer", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

Result<ChainImportReport> import_trade_events(storage::Database& db, const identity::Actor& actor,
                                              const ImportTable& table, const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"contract", "name", "date"}, {"place", "result"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::vector<TradeEventRecord> rows;
    std::map<std::string, std::optional<ContractRecord>> contracts;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      TradeEventRecord e;
      auto k = row_contract(c, row, *cols, contracts, errors);
      if (k) e.contract_id = k->id;
      e.name = cell(row, *cols, "name");
      if (e.name.empty() || e.name.size() > 300 || !is_valid_utf8(e.name))
        errors.push_back({at(row, "name"), "must be a name of 1 to 300 characters"});
      if (auto d = plausible_date(cell(row, *cols, "date"))) e.held_on = *d;
      else errors.push_back({at(row, "date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      e.place = cell(row, *cols, "place");
      e.result = cell(row, *cols, "result");
      if (errors.size() == before) rows.push_back(std::move(e));
    }
    if (!errors.empty()) return Error::invalid("the trade-promotion events were not imported; nothing was changed", errors);
    ChainImportReport report;
    std::map<std::int64_t, std::vector<TradeEventRecord>> stored;
    for (auto& e : rows) {
      if (!stored.count(e.contract_id)) stored[e.contract_id] = ChainRepository::trade_events(c, e.contract_id);
      auto& have = stored[e.contract_id];
      auto old = std::find_if(have.begin(), have.end(),
                              [&](const TradeEventRecord& x) { return x.name == e.name && x.held_on == e.held_on; });
      if (old == have.end()) {
        e.id = ChainRepository::insert_trade_event(c, e);
        have.push_back(e);  // a row repeated in the file is the same event
        ++report.created;
      } else if (old->place == e.place && old->result == e.result) {
        ++report.unchanged;
      } else {
        e.id = old->id;
        ChainRepository::update_trade_event(c, e);
        *old = e;
        ++report.updated;
      }
    }
    audit::record(c, actor, "import", "chain_trade_event", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

Result<ChainImportReport> import_investments(storage::Database& db, const admin::UnitGraph& graph,
                                             const identity::Actor& actor, const ImportTable& table,
                                             const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::chains_manage); !s) return s.error();
  auto cols = check_columns(table, {"project", "name", "kind", "status"},
                            {"investor", "commodity", "land_ha", "raw_material_t", "commune"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<ChainImportReport> {
    std::vector<FieldError> errors;
    std::vector<InvestmentRecord> rows;
    std::map<std::string, int> seen;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      InvestmentRecord i;
      i.code = cell(row, *cols, "project");
      if (auto p = check_code(i.code); !p.empty()) errors.push_back({at(row, "project"), p});
      else if (seen.count(i.code)) errors.push_back({at(row, "project"), "repeats line " + std::to_string(seen[i.code])});
      else seen[i.code] = row.line;
      i.name = cell(row, *cols, "name");
      if (i.name.empty() || i.name.size() > 300 || !is_valid_utf8(i.name))
        errors.push_back({at(row, "name"), "must be a name of 1 to 300 characters"});
      i.kind = cell(row, *cols, "kind");
      if (!is_investment_kind(i.kind)) errors.push_back({at(row, "kind"), "must be plant or industrial_cluster"});
      i.status = cell(row, *cols, "status");
      if (!is_investment_status(i.status))
        errors.push_back({at(row, "status"), "must be proposed, approved, under_construction, operating or suspended"});
      i.investor = cell(row, *cols, "investor");
      i.commodity = cell(row, *cols, "commodity");
      if (std::string v = cell(row, *cols, "land_ha"); !v.empty()) {
        if (auto x = amount(v, 1e6, "ha")) i.land_ha = *x;
        else errors.push_back({at(row, "land_ha"), "must be empty or a number of hectares, 0 or more"});
      }
      if (std::string v = cell(row, *cols, "raw_material_t"); !v.empty()) {
        if (auto x = amount(v, 1e9, "t")) i.raw_material_t = *x;
        else errors.push_back({at(row, "raw_material_t"), "must be empty or a number of tonnes, 0 or more"});
      }
      i.unit = commune_of(graph, row, *cols, std::nullopt, errors);
      if (errors.size() == before) rows.push_back(std::move(i));
    }
    if (!errors.empty()) return Error::invalid("the investment projects were not imported; nothing was changed", errors);
    ChainImportReport report;
    for (auto& i : rows) {
      auto existing = ChainRepository::find_investment(c, i.code);
      if (!existing) {
        i.id = ChainRepository::insert_investment(c, i);
        ++report.created;
        continue;
      }
      if (existing->name == i.name && existing->kind == i.kind && existing->status == i.status &&
          existing->investor == i.investor && existing->commodity == i.commodity && existing->unit == i.unit &&
          existing->land_ha == i.land_ha && existing->raw_material_t == i.raw_material_t) {
        ++report.unchanged;
        continue;
      }
      i.id = existing->id;
      i.illustrative = existing->illustrative;
      ChainRepository::update_investment(c, i);
      ++report.updated;
    }
    audit::record(c, actor, "import", "chain_investment", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

}  // namespace nongsan::chains
