// The code findings that need the diary and the supply chain (docs/area-codes.md;
// docs/rules.md §6): diary_gap, banned_use and over_shipped, as CodeRules over the
// facts of a code and the evidence gathered before the check. Pure: the evidence
// comes in (gathered by code_evidence_source from the diary and EPCIS), findings
// come out. A season's window is its declared harvest window (harvest_from to
// harvest_to), cut at `today` for diary_gap (days still to come are not a gap).
// Depends on core and code_health only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/civil_date.hpp"
#include "modules/areacodes/code_health.hpp"

namespace nongsan::areacodes {

// A diary entry as the code rules read it.
struct EvidenceEntry {
  std::int64_t parcel_id = 0;
  CivilDate date;
  std::string entry;  // its code
  bool harvest = false;
  double quantity_kg = 0;  // of a harvest; 0 otherwise
};

// A `banned` finding of the diary (a spray of a banned active ingredient).
struct EvidenceBanned {
  std::int64_t parcel_id = 0;
  CivilDate date;
  std::string entry, product;
};

// An EPCIS event naming a code (ILMD or top-level extension field areaCode), with the
// quantity in kilograms of its quantity lists.
struct EvidenceEvent {
  std::string code;
  CivilDate date;  // of eventTime, in Asia/Ho_Chi_Minh
  std::string hash;
  double quantity_kg = 0;
};

struct CodeEvidence {
  std::vector<EvidenceEntry> entries;
  std::vector<EvidenceBanned> banned;
  std::vector<EvidenceEvent> events;
  CivilDate today;
};

// diary_gap: a season (its window cut at today) with more than diary_gap_days days
// in a row without a diary entry on the code's parcels, counted from the window's start,
// between entries and up to its end. One finding per season, the longest run.
void rule_diary_gap(const CodeEvidence& ev, const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out);
// banned_use: a `banned` diary finding on the code's parcels inside a season's window.
void rule_banned_use(const CodeEvidence& ev, const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out);
// over_shipped: the season's harvested quantity (diary harvests on its parcels inside
// the window) or the quantity of EPCIS events naming the code inside the window, the
// larger, above the season's declared area × the crop's max_yield_kg_per_ha.
void rule_over_shipped(const CodeEvidence& ev, const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out);

// The three rules over one gathered evidence, in the order their findings are listed.
std::vector<CodeRule> evidence_rules(std::shared_ptr<const CodeEvidence> ev);

}  // namespace nongsan::areacodes
