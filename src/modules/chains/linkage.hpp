// The linkage report of a year (docs/chains.md §"The linkage report"): one row per
// contract and participant — every one, also those with no day in the year — with the
// committed quantity prorated by calendar days, the deliveries inside the year and the
// contract, and the fulfilment; and the warnings per party (behind, side-selling,
// non-purchase). Pure: no storage, no I/O; the service feeds it what it read.
// Must not depend on storage, the service or anything above it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.hpp"

namespace nongsan::chains {

struct ContractTerms {
  std::string contract;                   // the contract's code
  std::string lead;                       // the lead's external id
  std::string commodity;
  CivilDate start, end;                   // both included
  double committed_kg = 0;                // for the whole contract and period
  std::vector<std::string> participants;  // external ids, in the contract's order
};

struct DeliveryFact {
  std::string contract, participant;
  CivilDate date;
  double quantity_kg = 0;
  double refused_kg = 0;  // offered and not taken by the lead
};

struct LinkageRow {
  std::string contract, participant;
  double committed_kg = 0;
  double delivered_kg = 0;
  std::optional<double> fulfilment_pct;  // nullopt when nothing was committed in the year
};

struct LinkageThresholds {
  double behind_pct = 80;         // deliveries to date below this share of the commitment to date
  double side_selling_pct = 100;  // a finished period's deliveries below this share of the commitment
};

struct LinkageWarning {
  std::string kind;  // behind, side_selling, non_purchase
  std::string contract;
  std::string party;  // the participant, or the lead for non_purchase
  double expected_kg = 0, delivered_kg = 0, refused_kg = 0;
};

// A diary harvest as the linkage rate reads it: who controlled the parcel on the harvest
// date (external id; "" when nobody) and the crop in force on it.
struct HarvestFact {
  std::string producer, crop;
  CivilDate date;
  double quantity_kg = 0;
};

// The linkage rate of a commodity in the year (docs/chains.md "Linkage rate"): the
// deliveries the report counts for the commodity's contracts ÷ the diary harvests of the
// same commodity and year by the same participants, in per cent; nullopt when they
// harvested nothing in the diaries.
struct LinkageRate {
  std::string commodity;
  double delivered_kg = 0, harvested_kg = 0;
  std::optional<double> rate_pct;
  std::size_t participants = 0;
};

struct LinkageReport {
  int year = 0;
  CivilDate as_of;
  std::vector<LinkageRow> rows;
  std::vector<LinkageWarning> warnings;
  std::vector<LinkageRate> rates;  // per commodity, in commodity order (filled by linkage_rates)
};

// The rates of `r` (one per commodity of `contracts`, in commodity order). Commodities and
// crops compare without regard to case.
std::vector<LinkageRate> linkage_rates(const std::vector<ContractTerms>& contracts, const LinkageReport& r,
                                       const std::vector<HarvestFact>& harvests);
// The CSV of the rates: commodity,delivered_kg,harvested_kg,linkage_rate_pct.
std::string linkage_rate_csv(const LinkageReport& r);

// Calendar days of [start, end] that fall inside [from, to], both ends counted.
std::int64_t overlap_days(const CivilDate& start, const CivilDate& end, const CivilDate& from, const CivilDate& to);

// The committed quantity × the contract's days inside `year` ÷ the contract's days.
double committed_in_year(const ContractTerms& c, int year);

// The report of `year`; the warnings judge what is known on `as_of` (deliveries to that
// day; a period is finished when it ends on or before `as_of`). Rows are in the order
// of `contracts`, participants in their order; deliveries naming a contract or a
// participant not in `contracts` are ignored.
LinkageReport linkage_report(const std::vector<ContractTerms>& contracts, const std::vector<DeliveryFact>& deliveries,
                             int year, const CivilDate& as_of, const LinkageThresholds& t = {});

// A number as the report writes it: '.' as decimal point, no thousands separator, no
// exponent, rounded to ten decimals with the zeros after the second dropped
// (1000 → "1000.00", 629.1279999999999 → "629.128", 273.972602739726… → "273.9726027397").
std::string report_number(double v);

// The CSV of the report: contract,participant,committed_kg,delivered_kg,fulfilment_pct.
std::string linkage_csv(const LinkageReport& r);

}  // namespace nongsan::chains
