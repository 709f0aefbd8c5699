// Risk of an inspection subject (applicant, parcel, growing-area code, OCOP product,
// facility) from the findings of every module, each part shown with its weight
// (Notice 752-TB/TU §2.5; docs/inspection.md "Risk"; docs/rules.md §16). Pure rules, no
// I/O: the service gathers the facts (counts, the support score) and the weights (data
// the province sets in `inspection_weight`); this file only multiplies and adds.
// Must not depend on storage, the API or the CLI.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace nongsan::inspection {

// The kinds of subject an inspection can be about, in the order the UI lists them.
const std::vector<std::string>& subject_kinds();
bool is_subject_kind(std::string_view kind);

// The parts a subject of `kind` is scored on (docs/inspection.md "Risk"); empty for an
// unknown kind.
const std::vector<std::string>& parts_of(std::string_view kind);

// (subject_kind, part) → weight.
using Weights = std::map<std::pair<std::string, std::string>, double>;

// The shipped defaults (data/inspection-weights.csv holds the same numbers; the demo
// and `nongsan import inspection-weights` load that file). Used for a part the
// province has not set.
const Weights& default_weights();

struct ScorePart {
  std::string part;
  double weight = 0;  // as set for the subject's kind
  double value = 0;   // what was measured: a count, or the support module's score
  double points = 0;  // weight × value
};

struct SubjectRisk {
  std::string subject_kind, subject_ref;
  double score = 0;
  std::vector<ScorePart> parts;  // every part of the kind, in parts_of order, even at 0
};

// Score = Σ weight(kind, part) × value(part) over parts_of(kind); a part without a
// value counts 0, a part without a weight takes the default.
SubjectRisk score_subject(const std::string& kind, const std::string& ref,
                          const std::map<std::string, double>& values, const Weights& weights);

// Checks one weight row (import or API): a known kind, a part of that kind, a finite
// weight ≥ 0 and ≤ 1000. Errors name the field.
Status check_weight(const std::string& kind, const std::string& part, double weight);

}  // namespace nongsan::inspection
