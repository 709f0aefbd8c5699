// Importing linkage contracts and deliveries from the tables officials keep (CSV or
// XLSX; the CLI reads the file with geo::read_features into a support::ImportTable, the
// shared shape of the table imports).
//
//   contracts   contract,lead,participant,commodity,start,end,committed_kg
//               [,quality,price_mechanism,inputs_services]
//               one row per participant; `lead` and `participant` are registry external
//               ids; `committed_kg` is for the whole contract and its whole period, the
//               same on every row of the contract.
//   deliveries  contract,participant,date,quantity_kg[,refused_kg]
//               every row is a delivery of its own, repeats included; a delivery dated
//               outside its contract is stored and not counted by the report.
//   facilities  facility,name,technology,commodity,product,capacity_t_per_season
//               [,operator,commune,certifications,longitude,latitude]
//               one row per facility and product; `operator` a registry external id,
//               `commune` an administrative unit code (empty: the operator's commune, else
//               the province's), `certifications` separated by ';'. The facility's
//               columns are the same on every row of a facility; its capacities are the
//               file's rows (the zones it draws on are kept).
//   buyers      contract,name,market[,country,note]
//               one row per buyer of a chain (its contract's code); market domestic or
//               export; a buyer is matched by contract and name.
//   trade-events contract,name,date[,place,result]
//               one row per trade-promotion event a chain attended; matched by contract,
//               name and date.
//   investments project,name,kind,status[,investor,commodity,land_ha,raw_material_t,commune]
//               one row per project; kind plant or industrial_cluster; status proposed,
//               approved, under_construction, operating or suspended; land in hectares,
//               raw material in tonnes per season.
//
// Column names are matched without regard to case; other columns are an error naming
// them. All or nothing: every problem is "line N, column NAME: reason" (line 1 is the
// header) and a file with any problem stores nothing. Importing the same file again
// changes nothing: contracts are matched by code (a changed one is updated, its
// participants replaced); the deliveries of a file are matched against those stored from
// the same file (name and SHA-256), row for row, so repeats within a file stay repeats.
#pragma once

#include <string>

#include "core/result.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/identity/actor.hpp"
#include "modules/support/support_import.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

struct ChainImportReport {
  int created = 0, updated = 0, unchanged = 0;
};

Result<ChainImportReport> import_contracts(storage::Database& db, const identity::Actor& actor,
                                           const support::ImportTable& table, const std::string& source);
Result<ChainImportReport> import_deliveries(storage::Database& db, const identity::Actor& actor,
                                            const support::ImportTable& table, const std::string& source);

Result<ChainImportReport> import_facilities(storage::Database& db, const admin::UnitGraph& graph,
                                            const identity::Actor& actor, const support::ImportTable& table,
                                            const std::string& source);
Result<ChainImportReport> import_buyers(storage::Database& db, const identity::Actor& actor,
                                        const support::ImportTable& table, const std::string& source);
Result<ChainImportReport> import_trade_events(storage::Database& db, const identity::Actor& actor,
                                              const support::ImportTable& table, const std::string& source);
Result<ChainImportReport> import_investments(storage::Database& db, const admin::UnitGraph& graph,
                                             const identity::Actor& actor, const support::ImportTable& table,
                                             const std::string& source);

}  // namespace nongsan::chains
