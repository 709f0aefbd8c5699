// Indicators computed from the land registry. An indicator's `computed` column
// holds a JSON definition; each measure yields records (the plantings, conversions
// or producers behind the figure), each filed under a unit in the registry (the
// parcel's commune; the producer's unit) and attributed on each reference date to the
// units valid then (`attribute`). A unit's value is the sum of the records attributed
// within it; the review reads it through the same roll-up as reported figures
// (evaluation.hpp), and a computed value drills down to its records.
//
// Measures (areas in hectares):
//  {"measure":"planted_area","crop":"tea"}        plantings of the crop active on the date
//  {"measure":"zone_area","commodity":"tea"}      plantings of the commodity active on the date on
//                                                  parcels at least half inside a zone of that
//                                                  commodity (the part inside counts, as in the
//                                                  registry's zone measures)
//  {"measure":"converted_from_rice","crop":"tea"} conversions from rice or inefficient rice (crop
//                                                  optional) dated from the programme start (stock)
//                                                  or from 1 January of the year (flow) to the date
//  {"measure":"linked_producers"}                 producers under linkage on the date: members of a
//                                                  cooperative or cooperative group, or owners whose
//                                                  land is leased or contributed to another producer
//  {"measure":"supported_area","policy":"P"}      support (docs/support.md): payable hectares of the area
//                                                  applications under policy P (optional: every policy)
//                                                  accepted in the window that are approved or paid
//  {"measure":"support_paid","policy":"P"}        support: payments minus recoveries (đồng) dated in the
//                                                  window; both filed under the applicant's commune
//  {"measure":"linkage_chains","commodity":"tea"}  linkage contracts in force on the date (commodity
//                                                  optional), 1 each under the lead's commune
//  {"measure":"linkage_households"}               distinct household participants of those contracts
//  {"measure":"linkage_hectares"}                 hectares of the distinct parcels and zones they cover
//                                                  (docs/chains.md; the records are the contracts)
// Windows (conversions, support): from the programme start (stock) or from 1 January
// of the year (flow) to the date.
// The date is 31 December of the year, or the as-of date in its own year.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/targets/targets_types.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

struct ComputedDefinition {
  std::string measure;  // planted_area, zone_area, converted_from_rice, linked_producers, supported_area, support_paid
  std::string crop;     // crop or commodity code; may be empty for converted_from_rice
  std::string policy;   // support measures: a policy code; empty = every policy
};

Result<ComputedDefinition> parse_computed(const std::string& json_text);

struct ComputedRecord {
  std::string kind;  // planting, conversion, producer, application, contract
  std::int64_t id = 0;
  std::int64_t parcel = 0;  // 0 for producers and applications
  std::optional<UnitId> unit;
  double value = 0;  // hectares, or 1 per producer, or đồng
  std::string code;   // applications: the application code
  std::string basis;  // supported_area: check_run or claimed (support_figures.hpp)
};

// The records behind the measure on `date` (window from `from` for conversions).
std::vector<ComputedRecord> computed_records(storage::Connection& c, const ComputedDefinition& d, Kind kind,
                                             const CivilDate& programme_start, const CivilDate& date);

// The units valid on `date` that a record filed under `unit` counts for, with weights
// summing to 1: the unit itself when it is valid then; otherwise (a parcel filed under
// a commune formed on 1 Jul 2025, asked about 2023) the finest units it was formed
// from, weighted by their area × successor share (by share when an area is missing);
// for a unit abolished before the date (a record filed under an old commune, asked
// about 2025), the units that replaced it, by successor share. Empty when the unit has
// no such history.
std::vector<std::pair<UnitId, double>> attribute(const admin::UnitGraph& g, UnitId unit, const CivilDate& date);

// Values of a computed indicator per (unit, year), for the years from the baseline
// (or start) year to year(as_of), each on its reference date: for every unit valid
// then, the whole of the records attributed to it or below it (so the roll-up takes
// them as the unit's own value and the history reaches across the 2025 reform).
struct RegistryReading;
// What the computed indicators of one review read from the registry, shared among them:
// the plantings of a crop are read once for its planted_area and its zone_area (with the
// parcels' geometries only when a zone_area of that crop is among `indicators`).
class SharedRegistryReading {
 public:
  explicit SharedRegistryReading(const std::vector<Indicator>& indicators);
  ~SharedRegistryReading();
  SharedRegistryReading(const SharedRegistryReading&) = delete;
  SharedRegistryReading& operator=(const SharedRegistryReading&) = delete;
  RegistryReading& state() { return *state_; }
  // PostgreSQL: reads what the computed indicators among `indicators` will ask for on
  // the review date `as_of` (each crop's plantings, the conversions, the linkage) before
  // they ask, on two connections at once in one exported snapshot (so both cores work:
  // the database on one read while this process takes the rows of another). SQLite:
  // nothing; the readings are made as they are asked for. The figures are the same.
  void prefetch(storage::Database& db, const std::vector<Indicator>& indicators, const CivilDate& as_of);

 private:
  std::unique_ptr<RegistryReading> state_;
};

std::map<std::pair<UnitId, int>, double> computed_values(storage::Connection& c, const admin::UnitGraph& g,
                                                         const Programme& p, const Indicator& ind,
                                                         const CivilDate& as_of,
                                                         SharedRegistryReading* shared = nullptr);

}  // namespace nongsan::targets
