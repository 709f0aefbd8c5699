#include "modules/inspection/risk.hpp"

#include <algorithm>
#include <cmath>

namespace nongsan::inspection {

const std::vector<std::string>& subject_kinds() {
  static const std::vector<std::string> k = {"applicant", "parcel", "area_code", "ocop_product", "facility"};
  return k;
}

bool is_subject_kind(std::string_view kind) {
  const auto& k = subject_kinds();
  return std::find(k.begin(), k.end(), kind) != k.end();
}

const std::vector<std::string>& parts_of(std::string_view kind) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> parts = {
      {"applicant",
       {"claim_risk", "over_declared_history", "code_finding", "pesticide_finding", "ocop_finding",
        "inspection_finding", "inspection_decision"}},
      {"parcel",
       {"claim_finding", "over_declared_history", "pesticide_finding", "inspection_finding", "inspection_decision"}},
      {"area_code", {"code_finding", "inspection_finding", "inspection_decision"}},
      {"ocop_product", {"ocop_finding", "inspection_finding", "inspection_decision"}},
      {"facility", {"inspection_finding", "inspection_decision"}},
  };
  static const std::vector<std::string> none;
  auto it = parts.find(kind);
  return it == parts.end() ? none : it->second;
}

const Weights& default_weights() {
  // Keep equal to data/inspection-weights.csv (a unit test compares them).
  static const Weights w = {
      {{"applicant", "claim_risk"}, 1},          {{"applicant", "over_declared_history"}, 10},
      {{"applicant", "code_finding"}, 10},       {{"applicant", "pesticide_finding"}, 8},
      {{"applicant", "ocop_finding"}, 8},        {{"applicant", "inspection_finding"}, 15},
      {{"applicant", "inspection_decision"}, 20},
      {{"parcel", "claim_finding"}, 15},         {{"parcel", "over_declared_history"}, 10},
      {{"parcel", "pesticide_finding"}, 8},
      {{"parcel", "inspection_finding"}, 15},    {{"parcel", "inspection_decision"}, 20},
      {{"area_code", "code_finding"}, 15},
      {{"area_code", "inspection_finding"}, 15}, {{"area_code", "inspection_decision"}, 20},
      {{"ocop_product", "ocop_finding"}, 15},    {{"ocop_product", "inspection_finding"}, 15},
      {{"ocop_product", "inspection_decision"}, 20},
      {{"facility", "inspection_finding"}, 15},  {{"facility", "inspection_decision"}, 20},
  };
  return w;
}

SubjectRisk score_subject(const std::string& kind, const std::string& ref, const std::map<std::string, double>& values,
                          const Weights& weights) {
  SubjectRisk r;
  r.subject_kind = kind;
  r.subject_ref = ref;
  for (const auto& part : parts_of(kind)) {
    ScorePart p;
    p.part = part;
    auto key = std::make_pair(kind, part);
    if (auto w = weights.find(key); w != weights.end()) p.weight = w->second;
    else if (auto d = default_weights().find(key); d != default_weights().end()) p.weight = d->second;
    if (auto v = values.find(part); v != values.end()) p.value = v->second;
    p.points = p.weight * p.value;
    r.score += p.points;
    r.parts.push_back(std::move(p));
  }
  return r;
}

Status check_weight(const std::string& kind, const std::string& part, double weight) {
  std::vector<FieldError> errors;
  if (!is_subject_kind(kind)) {
    errors.push_back({"subject_kind", "must be one of applicant, parcel, area_code, ocop_product, facility"});
  } else {
    const auto& parts = parts_of(kind);
    if (std::find(parts.begin(), parts.end(), part) == parts.end())
      errors.push_back({"part", "is not a part of the risk of this kind of subject"});
  }
  if (!std::isfinite(weight) || weight < 0 || weight > 1000) errors.push_back({"weight", "must be between 0 and 1000"});
  if (!errors.empty()) return Error::invalid("the risk weight is not valid", errors);
  return {};
}

}  // namespace nongsan::inspection
