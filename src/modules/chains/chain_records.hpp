// The stored shapes of the chains module: contracts with their parties and coverage,
// deliveries, facilities with capacity and zones, buyers, trade events and investment
// projects. Plain data; the rules are in linkage.hpp and supply.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"

namespace nongsan::chains {

// A registry producer as a party of a chain.
struct Party {
  std::int64_t id = 0;
  std::string external_id, name, kind;
  std::optional<UnitId> unit;
};

struct ContractRecord {
  std::int64_t id = 0;
  std::string code;
  Party lead;
  std::optional<UnitId> unit;  // the lead's commune when entered; nullopt = the province's
  std::string commodity;
  CivilDate start, end;
  double committed_kg = 0;
  std::string quality, price_mechanism, price_note, inputs_services;
  std::vector<std::string> documents;
  bool illustrative = false;
  std::string source, created_at, updated_at;
  std::vector<Party> participants;
  std::vector<std::int64_t> parcels, zones;  // coverage
};

struct DeliveryRecord {
  std::int64_t id = 0;
  std::int64_t contract_id = 0;
  std::string contract;  // code
  Party participant;
  CivilDate date;
  double quantity_kg = 0, refused_kg = 0;
  std::string origin = "entered";  // entered, imported, epcis
  std::string epcis_event_id, source, created_by, created_at;
};

struct CapacityRecord {
  std::string commodity, product;
  double capacity_t_per_season = 0;
};

struct FacilityRecord {
  std::int64_t id = 0;
  std::string code, name;
  std::optional<Party> operator_party;
  std::optional<UnitId> unit;
  std::string technology;  // manual, semi_mechanised, automated
  std::vector<std::string> certifications;
  std::optional<double> longitude, latitude;
  bool illustrative = false;
  std::vector<CapacityRecord> capacities;
  std::vector<std::int64_t> zones;
};

struct BuyerRecord {
  std::int64_t id = 0, contract_id = 0;
  std::string name, market, country, note;  // market: domestic, export
};

struct TradeEventRecord {
  std::int64_t id = 0, contract_id = 0;
  std::string name;
  CivilDate held_on;
  std::string place, result;
};

struct InvestmentRecord {
  std::int64_t id = 0;
  std::string code, name, kind, status, investor, commodity;
  std::optional<UnitId> unit;
  double land_ha = 0, raw_material_t = 0;
  bool illustrative = false;
};

// A captured EPCIS event that names a contract but is not a delivery (docs/chains.md
// "Deliveries from EPCIS"); `reason` is a code the chains page translates.
struct UnmatchedEventRecord {
  std::int64_t id = 0;
  std::string event_hash, event_id, event_time, contract_code;
  std::optional<std::int64_t> contract_id;
  std::optional<UnitId> unit;  // the contract's; nullopt = the province's
  std::string participant;
  std::optional<double> quantity_kg;
  std::string reason, capture_id, created_at;
};

// A zone as the supply side sees it.
struct ZoneSupply {
  std::int64_t id = 0;
  std::string code, name, commodity;
  std::optional<UnitId> unit;
  double area_ha = 0;  // the planned area, else the area of its geometry
};

}  // namespace nongsan::chains
