// Value chains: linkage contracts and deliveries against them (Decree 98/2018/NĐ-CP;
// Notice 752-TB/TU §1, §2.3), the linkage report with its warnings, the chain view,
// processing facilities with capacity against supply, buyers and trade-promotion events,
// and investment projects (§2.4). Rules in docs/chains.md.
//
// Scope: a contract belongs to its lead's commune (the lead's unit when entered; none =
// the province's); deliveries, buyers and events belong to their contract. Unit officers
// read and write within their unit's subtree, province roles everywhere, a producer
// account reads the contracts it leads or takes part in. Every id a request names passes
// the scope check of reading that record; an id out of scope answers as a missing one.
// Facilities belong to their unit (the operator's when not given); investment projects
// to theirs. Every write is audited in its transaction.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/chains/chain_records.hpp"
#include "modules/chains/linkage.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

class ChainService {
 public:
  ChainService(storage::Database& db, admin::AdminService& admin);

  // Contracts. `year`: the fulfilment per party in that year (default this year).
  Result<nlohmann::json> list_contracts(const identity::Actor& a, int year, const std::string& commodity);
  Result<nlohmann::json> get_contract(const identity::Actor& a, std::int64_t id, int year);
  Result<nlohmann::json> create_contract(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> update_contract(const identity::Actor& a, std::int64_t id, const nlohmann::json& body);
  Status delete_contract(const identity::Actor& a, std::int64_t id);

  // Deliveries entered by hand (origin "entered"), or taken from an EPCIS event
  // (origin "epcis" with the event's id; the traceability work calls this).
  Result<nlohmann::json> add_delivery(const identity::Actor& a, std::int64_t contract_id, const nlohmann::json& body);
  Status delete_delivery(const identity::Actor& a, std::int64_t contract_id, std::int64_t delivery_id);

  // Deliveries from EPCIS (docs/chains.md "Deliveries from EPCIS"). The composition root
  // hooks this into the EPCIS capture: it is called inside the capture's write
  // transaction for every event the capture stores (after validation), so that the
  // delivery is stored with the event or not at all. A receiving or transaction event
  // naming a contract the actor may read, and one of its participants, with a quantity
  // in kilograms, becomes a delivery (origin "epcis", epcis_event_id = the event hash);
  // one that names a contract and is not a delivery is kept as unmatched with a reason
  // code. Answers "delivery", the reason code, or "" when the event is no candidate.
  // No chains.write asked: the delivery is a consequence of the capture (epcis.capture).
  std::string take_epcis_event(storage::Connection& c, const identity::Actor& a, const nlohmann::json& event,
                               const std::string& event_hash, const std::string& capture_id);
  // The unmatched events in scope (a unit officer: those of the contracts of its subtree).
  Result<nlohmann::json> unmatched_events(const identity::Actor& a);

  // The linkage report of a year over the contracts in scope; warnings judged on
  // `as_of` (default: today, or the year's last day for a past year).
  Result<LinkageReport> linkage(const identity::Actor& a, int year, std::optional<CivilDate> as_of = {});
  static nlohmann::json to_json(const LinkageReport& r);

  // The chain of a contract as a graph: parcels and zones → participants (households,
  // cooperatives) → the lead → its facilities → the buyers; with the map's geometry.
  Result<nlohmann::json> chain_view(const identity::Actor& a, std::int64_t contract_id);

  // Buyers and trade-promotion events of a chain (its contract).
  Result<nlohmann::json> add_buyer(const identity::Actor& a, std::int64_t contract_id, const nlohmann::json& body);
  Status delete_buyer(const identity::Actor& a, std::int64_t contract_id, std::int64_t id);
  Result<nlohmann::json> add_trade_event(const identity::Actor& a, std::int64_t contract_id, const nlohmann::json& body);
  Status delete_trade_event(const identity::Actor& a, std::int64_t contract_id, std::int64_t id);

  // Facilities and capacity against supply.
  Result<nlohmann::json> list_facilities(const identity::Actor& a);
  Result<nlohmann::json> get_facility(const identity::Actor& a, std::int64_t id);
  Result<nlohmann::json> save_facility(const identity::Actor& a, std::optional<std::int64_t> id, const nlohmann::json& body);
  Status delete_facility(const identity::Actor& a, std::int64_t id);
  Result<nlohmann::json> supply(const identity::Actor& a);

  // Investment projects for plants and industrial clusters.
  Result<nlohmann::json> list_investments(const identity::Actor& a);
  Result<nlohmann::json> save_investment(const identity::Actor& a, std::optional<std::int64_t> id,
                                         const nlohmann::json& body);
  Status delete_investment(const identity::Actor& a, std::int64_t id);

  // The warning thresholds (behind_pct, side_selling_pct).
  Result<nlohmann::json> settings(const identity::Actor& a);
  Result<nlohmann::json> save_settings(const identity::Actor& a, const nlohmann::json& body);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
};

}  // namespace nongsan::chains
