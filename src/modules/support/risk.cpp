#include "modules/support/risk.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace nongsan::support {

std::vector<ApplicationRisk> score_applications(const ClaimResult& checked,
                                                const std::map<std::string, std::string>& applicant_of,
                                                const std::map<std::string, ApplicantHistory, std::less<>>& history,
                                                const RiskWeights& w) {
  std::map<std::string, std::set<std::string>> kinds;  // application → finding kinds
  for (const auto& f : checked.findings) kinds[f.application].insert(f.finding);
  Dong largest = 0;
  for (const auto& t : checked.amounts)
    if (t.status != "rejected") largest = std::max(largest, std::max(t.amount, t.before_cap));
  std::vector<ApplicationRisk> out;
  for (const auto& t : checked.amounts) {
    if (t.status == "rejected") continue;
    ApplicationRisk r;
    r.application = t.application;
    auto a = applicant_of.find(t.application);
    r.applicant = a == applicant_of.end() ? "" : a->second;
    for (const auto& kind : kinds[t.application]) {
      auto it = w.finding.find(kind);
      double points = it == w.finding.end() ? 0 : it->second;
      r.parts.push_back({kind, 1, points});
    }
    if (largest > 0) {
      // What the applicant asks for, before the cap: a large claim is worth a visit.
      double share = static_cast<double>(std::max(t.amount, t.before_cap)) / static_cast<double>(largest);
      r.parts.push_back({"amount", share, w.amount * share});
    }
    if (auto h = history.find(r.applicant); h != history.end()) {
      if (h->second.earlier_findings > 0)
        r.parts.push_back({"history", static_cast<double>(h->second.earlier_findings),
                           std::min(w.history_max, w.history_per_finding * h->second.earlier_findings)});
      if (h->second.recovered) r.parts.push_back({"recovered", 1, w.recovered});
    }
    for (const auto& p : r.parts) r.score += p.points;
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// SplitMix64 (Steele, Lea and Flood 2014): a fixed, portable mix, so that a seed gives
// the same sample on every machine and in every version.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t keyed(std::uint64_t seed, const std::string& id) {
  std::uint64_t h = mix(seed);
  for (unsigned char ch : id) h = mix(h ^ ch);
  return h;
}

}  // namespace

std::vector<SampleEntry> sample_applicants(const std::vector<ApplicationRisk>& risks, double share_pct,
                                           double risk_share, std::uint64_t seed) {
  std::map<std::string, SampleEntry> by_applicant;
  for (const auto& r : risks) {
    auto& e = by_applicant[r.applicant];
    e.applicant = r.applicant;
    e.score = std::max(e.score, r.score);
    e.applications.push_back(r.application);
  }
  std::vector<SampleEntry> all;
  for (auto& [id, e] : by_applicant) all.push_back(std::move(e));
  const std::size_t total = all.size();
  std::size_t n = static_cast<std::size_t>(std::ceil(share_pct / 100.0 * static_cast<double>(total) - 1e-9));
  n = std::min(n, total);
  std::size_t by_risk = static_cast<std::size_t>(std::floor(risk_share * static_cast<double>(n) + 0.5));
  by_risk = std::min(by_risk, n);

  std::stable_sort(all.begin(), all.end(), [](const SampleEntry& a, const SampleEntry& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.applicant < b.applicant;
  });
  std::vector<SampleEntry> out(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(by_risk));
  for (auto& e : out) e.reason = "risk";
  std::vector<SampleEntry> rest(all.begin() + static_cast<std::ptrdiff_t>(by_risk), all.end());
  std::sort(rest.begin(), rest.end(), [&](const SampleEntry& a, const SampleEntry& b) {
    auto ka = keyed(seed, a.applicant), kb = keyed(seed, b.applicant);
    return ka != kb ? ka < kb : a.applicant < b.applicant;
  });
  for (std::size_t i = 0; i < n - by_risk && i < rest.size(); ++i) {
    rest[i].reason = "random";
    out.push_back(std::move(rest[i]));
  }
  return out;
}

}  // namespace nongsan::support
