// Risk of a support application, and the sample of applicants for on-the-spot checks
// (docs/rules.md §5: at least 5 % of applicants, chosen partly at random and partly by
// risk — Commission Implementing Regulation (EU) No 809/2014 Art. 30 and 34). Pure
// rules, no I/O. The weights are data the province sets (RiskWeights), and every score
// comes with its parts, so an inspector can see why an applicant was chosen.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "modules/support/claim_checks.hpp"

namespace nongsan::support {

struct RiskWeights {
  // Points for each kind of finding on the application (once per kind).
  std::map<std::string, double, std::less<>> finding = {
      {"overlap", 30},        {"exclusive_policies", 25},      {"over_declared", 20},
      {"not_controlled", 30}, {"outside_zone", 10},            {"wrong_crop", 20},
      {"unsuitable", 5},      {"duplicate_person", 35},        {"cap_exceeded", 5},
      {"paid_without_acceptance", 25}, {"paid_over_approved", 30}};
  double amount = 10;          // × the amount's share of the year's largest amount
  double history_per_finding = 5;  // per finding of the applicant in earlier years
  double history_max = 20;
  double recovered = 10;       // the applicant had money recovered before
};

struct RiskPart {
  std::string part;    // a finding's kind, "amount", "history", "recovered"
  double value = 0;    // what was measured: 1 for a finding, the share, the count
  double points = 0;
};

struct ApplicationRisk {
  std::string application, applicant;
  double score = 0;
  std::vector<RiskPart> parts;
};

// The applicant's record before the year: findings counted in earlier check runs, and
// whether money was recovered from them.
struct ApplicantHistory {
  int earlier_findings = 0;
  bool recovered = false;
};

// One score per application filed in the year that is not rejected.
std::vector<ApplicationRisk> score_applications(const ClaimResult& checked,
                                                const std::map<std::string, std::string>& applicant_of,
                                                const std::map<std::string, ApplicantHistory, std::less<>>& history,
                                                const RiskWeights& w);

struct SampleEntry {
  std::string applicant;
  std::string reason;  // "risk" or "random"
  double score = 0;    // the applicant's highest application score
  std::vector<std::string> applications;
};

// At least `share_pct` % of the applicants (rounded up); round(risk_share × n) of them
// by highest score (ties by applicant id), the rest drawn from the others in the order
// of a keyed hash of (seed, applicant id): the same seed gives the same sample, another
// seed another random part. REQUIRES: 0 ≤ share_pct ≤ 100, 0 ≤ risk_share ≤ 1.
std::vector<SampleEntry> sample_applicants(const std::vector<ApplicationRisk>& risks, double share_pct,
                                           double risk_share, std::uint64_t seed);

}  // namespace nongsan::support
