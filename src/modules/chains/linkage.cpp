#include "modules/chains/linkage.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/csv.hpp"

namespace nongsan::chains {

std::int64_t overlap_days(const CivilDate& start, const CivilDate& end, const CivilDate& from, const CivilDate& to) {
  const std::int64_t a = std::max(start.days_since_epoch(), from.days_since_epoch());
  const std::int64_t b = std::min(end.days_since_epoch(), to.days_since_epoch());
  return b < a ? 0 : b - a + 1;
}

double committed_in_year(const ContractTerms& c, int year) {
  const std::int64_t days = c.end.days_since_epoch() - c.start.days_since_epoch() + 1;
  if (days <= 0) return 0;
  const std::int64_t inside = overlap_days(c.start, c.end, CivilDate(year, 1, 1), CivilDate(year, 12, 31));
  return c.committed_kg * static_cast<double>(inside) / static_cast<double>(days);
}

LinkageReport linkage_report(const std::vector<ContractTerms>& contracts, const std::vector<DeliveryFact>& deliveries,
                             int year, const CivilDate& as_of, const LinkageThresholds& t) {
  LinkageReport r;
  r.year = year;
  r.as_of = as_of;
  const CivilDate jan1(year, 1, 1), dec31(year, 12, 31);
  std::map<std::string, const ContractTerms*> by_code;
  for (const auto& c : contracts) by_code[c.contract] = &c;

  // Sums per (contract, participant): inside the year and the contract; to as_of; refused.
  struct Sums {
    double year = 0, to_date = 0, refused_to_date = 0;
  };
  std::map<std::pair<std::string, std::string>, Sums> sums;
  for (const auto& d : deliveries) {
    auto it = by_code.find(d.contract);
    if (it == by_code.end()) continue;
    const ContractTerms& c = *it->second;
    if (d.date < c.start || d.date > c.end || d.date < jan1 || d.date > dec31) continue;
    Sums& s = sums[{d.contract, d.participant}];
    s.year += d.quantity_kg;
    if (d.date <= as_of) {
      s.to_date += d.quantity_kg;
      s.refused_to_date += d.refused_kg;
    }
  }

  for (const auto& c : contracts) {
    const double committed = committed_in_year(c, year);
    const std::int64_t days = c.end.days_since_epoch() - c.start.days_since_epoch() + 1;
    // The part of the year's period that has passed on as_of.
    const CivilDate period_end = std::min(c.end, dec31);
    const std::int64_t passed = overlap_days(c.start, std::min(period_end, as_of), jan1, dec31);
    const double expected_to_date = days > 0 ? c.committed_kg * static_cast<double>(passed) / static_cast<double>(days) : 0;
    const bool finished = overlap_days(c.start, c.end, jan1, dec31) > 0 && period_end <= as_of;
    double refused_total = 0;
    // The warnings judge a participant against its share of the commitment (the
    // contract's divided equally among its participants): the report's committed_kg is
    // the contract's, and against it every participant of a shared contract would look
    // like a side-seller (docs/chains.md).
    const double share = c.participants.empty() ? 1.0 : 1.0 / static_cast<double>(c.participants.size());
    for (const auto& p : c.participants) {
      Sums s;
      if (auto it = sums.find({c.contract, p}); it != sums.end()) s = it->second;
      LinkageRow row{c.contract, p, committed, s.year, std::nullopt};
      if (committed > 0) row.fulfilment_pct = 100.0 * s.year / committed;
      r.rows.push_back(row);
      refused_total += s.refused_to_date;
      if (committed <= 0) continue;
      if (finished) {
        if (100.0 * s.year < t.side_selling_pct * committed * share)
          r.warnings.push_back({"side_selling", c.contract, p, committed * share, s.year, s.refused_to_date});
      } else if (passed > 0 && 100.0 * s.to_date < t.behind_pct * expected_to_date * share) {
        r.warnings.push_back({"behind", c.contract, p, expected_to_date * share, s.to_date, s.refused_to_date});
      }
    }
    if (refused_total > 0) r.warnings.push_back({"non_purchase", c.contract, c.lead, 0, 0, refused_total});
  }
  return r;
}

std::string report_number(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) v = 0;  // no "-0.00"
  // Ten decimals, then the zeros after the second dropped: sums of kilograms written
  // with three decimals come out as written (629.128, not 629.1279999999999), and a
  // prorated commitment keeps ten.
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 10);
  std::string s(buf, res.ptr);
  const auto dot = s.find('.');
  while (s.size() > dot + 3 && s.back() == '0') s.pop_back();
  if (s == "-0.00") s = "0.00";
  return s;
}

// Plain LF lines without a byte-order mark, as the other reports of the CLI print them.
std::vector<LinkageRate> linkage_rates(const std::vector<ContractTerms>& contracts, const LinkageReport& r,
                                       const std::vector<HarvestFact>& harvests) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  };
  struct Acc {
    std::string name;
    std::set<std::string> contracts, participants;
  };
  std::map<std::string, Acc> by;
  for (const auto& k : contracts) {
    auto& a = by[lower(k.commodity)];
    if (a.name.empty()) a.name = k.commodity;
    a.contracts.insert(k.contract);
    a.participants.insert(k.participants.begin(), k.participants.end());
  }
  std::vector<LinkageRate> out;
  for (const auto& [key, a] : by) {
    LinkageRate x;
    x.commodity = a.name;
    x.participants = a.participants.size();
    for (const auto& row : r.rows)
      if (a.contracts.count(row.contract)) x.delivered_kg += row.delivered_kg;
    for (const auto& h : harvests)
      if (h.date.year() == r.year && lower(h.crop) == key && a.participants.count(h.producer))
        x.harvested_kg += h.quantity_kg;
    if (x.harvested_kg > 0) x.rate_pct = 100.0 * x.delivered_kg / x.harvested_kg;
    out.push_back(std::move(x));
  }
  return out;
}

std::string linkage_rate_csv(const LinkageReport& r) {
  std::string out = "commodity,delivered_kg,harvested_kg,linkage_rate_pct\n";
  for (const auto& x : r.rates)
    out += csv::field(x.commodity) + "," + report_number(x.delivered_kg) + "," + report_number(x.harvested_kg) + "," +
           (x.rate_pct ? report_number(*x.rate_pct) : std::string()) + "\n";
  return out;
}

std::string linkage_csv(const LinkageReport& r) {
  std::string out = "contract,participant,committed_kg,delivered_kg,fulfilment_pct\n";
  for (const auto& row : r.rows)
    out += csv::field(row.contract) + "," + csv::field(row.participant) + "," + report_number(row.committed_kg) + "," +
           report_number(row.delivered_kg) + "," + (row.fulfilment_pct ? report_number(*row.fulfilment_pct) : "") + "\n";
  return out;
}

}  // namespace nongsan::chains
