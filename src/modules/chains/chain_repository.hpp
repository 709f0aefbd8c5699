// SQL of the chains module, both backends (storage::Connection, `?` placeholders).
// Static functions only; the service holds the rules, the scope and the audit.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/chains/chain_records.hpp"
#include "modules/chains/linkage.hpp"
#include "modules/chains/supply.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

class ChainRepository {
 public:
  static std::optional<Party> producer(storage::Connection& c, const std::string& external_id);
  static std::optional<Party> producer(storage::Connection& c, std::int64_t id);
  static bool zone_exists(storage::Connection& c, std::int64_t id);
  static bool parcel_exists(storage::Connection& c, std::int64_t id);

  // Contracts with their parties and coverage, by code.
  static std::vector<ContractRecord> contracts(storage::Connection& c);
  static std::optional<ContractRecord> find_contract(storage::Connection& c, const std::string& code);
  static std::optional<ContractRecord> find_contract(storage::Connection& c, std::int64_t id);
  static std::int64_t insert_contract(storage::Connection& c, const ContractRecord& r);
  static void update_contract(storage::Connection& c, const ContractRecord& r);  // also parties and coverage
  static void delete_contract(storage::Connection& c, std::int64_t id);

  static std::vector<DeliveryRecord> deliveries(storage::Connection& c, std::optional<std::int64_t> contract_id = {});
  static std::int64_t insert_delivery(storage::Connection& c, const DeliveryRecord& d);
  // Deliveries stored from `source` with these values (the import's multiset match).
  static std::int64_t count_same_delivery(storage::Connection& c, const DeliveryRecord& d);
  static bool delete_delivery(storage::Connection& c, std::int64_t contract_id, std::int64_t id);
  // Whether a delivery was taken from the EPCIS event with this hash.
  static bool has_epcis_delivery(storage::Connection& c, const std::string& event_hash);
  // The events that named a contract and were not deliveries; insert keeps the first
  // record of an event hash.
  static void insert_unmatched(storage::Connection& c, const UnmatchedEventRecord& u);
  static std::vector<UnmatchedEventRecord> unmatched(storage::Connection& c);

  static LinkageThresholds thresholds(storage::Connection& c);
  static void set_threshold(storage::Connection& c, const std::string& key, double value, const std::string& by);

  // Facilities, buyers, trade events, investment projects.
  static std::vector<FacilityRecord> facilities(storage::Connection& c);
  static std::optional<FacilityRecord> find_facility(storage::Connection& c, std::int64_t id);
  static std::optional<FacilityRecord> find_facility(storage::Connection& c, const std::string& code);
  static std::int64_t insert_facility(storage::Connection& c, const FacilityRecord& r);
  static void update_facility(storage::Connection& c, const FacilityRecord& r);
  static void delete_facility(storage::Connection& c, std::int64_t id);
  static std::map<std::string, YieldEntry> yields(storage::Connection& c);

  static std::vector<BuyerRecord> buyers(storage::Connection& c, std::optional<std::int64_t> contract_id = {});
  static std::int64_t insert_buyer(storage::Connection& c, const BuyerRecord& b);
  static void update_buyer(storage::Connection& c, const BuyerRecord& b);  // market, country, note
  static bool delete_buyer(storage::Connection& c, std::int64_t contract_id, std::int64_t id);
  static std::vector<TradeEventRecord> trade_events(storage::Connection& c, std::optional<std::int64_t> contract_id = {});
  static std::int64_t insert_trade_event(storage::Connection& c, const TradeEventRecord& e);
  static void update_trade_event(storage::Connection& c, const TradeEventRecord& e);  // place, result
  static bool delete_trade_event(storage::Connection& c, std::int64_t contract_id, std::int64_t id);

  static std::vector<InvestmentRecord> investments(storage::Connection& c);
  static std::optional<InvestmentRecord> find_investment(storage::Connection& c, std::int64_t id);
  static std::optional<InvestmentRecord> find_investment(storage::Connection& c, const std::string& code);
  static std::int64_t insert_investment(storage::Connection& c, const InvestmentRecord& r);
  static void update_investment(storage::Connection& c, const InvestmentRecord& r);
  static void delete_investment(storage::Connection& c, std::int64_t id);
};

}  // namespace nongsan::chains
