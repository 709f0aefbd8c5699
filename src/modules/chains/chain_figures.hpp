// Linkage figures for the targets module (docs/chains.md "Linkage as computed
// indicators"): chains, households and hectares under contract on a date, per
// commodity, each figure with the contract behind it so that a value drills down to
// its records. The linkage rate is not here: it needs the diary harvests of the
// traceability work (docs/chains.md says what it will be).
//
// Reads storage through ChainRepository; no scope (the targets module decides who reads
// a figure); must not depend on targets, api, app or cli.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"
#include "storage/database.hpp"

namespace nongsan::chains {

enum class LinkageMeasure {
  chains,      // contracts in force on the date: 1 each, under the lead's commune
  households,  // distinct household participants of those contracts: 1 each, under the household's commune
  hectares,    // distinct parcels (current area) and zones (planned area) they cover, under their commune
};
std::optional<LinkageMeasure> parse_linkage_measure(std::string_view s);  // linkage_chains, linkage_households, linkage_hectares

struct LinkageFigure {
  std::int64_t contract = 0;  // the contract behind the figure (the first by code for shared records)
  std::string code;
  std::optional<UnitId> unit;
  double value = 0;
};

// `commodity` empty: every commodity.
std::vector<LinkageFigure> linkage_figures(storage::Connection& c, LinkageMeasure m, const std::string& commodity,
                                           const CivilDate& date);

}  // namespace nongsan::chains
