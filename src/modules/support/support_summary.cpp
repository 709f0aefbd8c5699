#include "modules/support/support_summary.hpp"

#include <map>

#include "modules/support/policy_file.hpp"
#include "modules/support/support_figures.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::support {

using nlohmann::json;

namespace {
struct Line {
  std::int64_t applications = 0, unchecked = 0;
  double payable = 0;
  Dong approved = 0, paid = 0;
  std::optional<Dong> planned;
  std::map<std::string, std::int64_t> findings;
};
}  // namespace

json support_section(storage::Connection& c, int year, const std::function<bool(const std::optional<UnitId>&)>& in_unit,
                     bool with_budget) {
  auto records = SupportRepository::policies(c);
  if (records.empty()) return nullptr;
  const CivilDate last(year, 12, 31);
  // Each code as its version in force at the end of the year (else its first version).
  std::map<std::string, PolicyVersion> current;
  for (const auto& r : records) {
    auto it = current.find(r.policy.code);
    if (it == current.end()) current.emplace(r.policy.code, r.policy);
    else if ((r.policy.version <= last && (it->second.version > last || r.policy.version > it->second.version)))
      it->second = r.policy;
  }
  std::map<std::string, Line> lines;
  for (const auto& [code, p] : current) lines[code];

  ApplicationFilter f;
  f.year = year;
  std::vector<ApplicationRecord> apps;
  for (auto& a : SupportRepository::applications(c, f))
    if (a.status != ApplicationStatus::rejected && in_unit(a.unit)) apps.push_back(std::move(a));
  std::map<std::string, std::string> policy_of;  // application code → policy code
  std::vector<std::string> code_list;
  for (const auto& a : apps) {
    policy_of[a.code] = a.policy;
    code_list.push_back(a.code);
  }
  auto run = SupportRepository::latest_check_run(c, year);
  std::map<std::string, double> payable;
  if (run) payable = stored_payable(c, run->id, code_list);
  for (const auto& a : apps) {
    Line& l = lines[a.policy];
    ++l.applications;
    if (auto it = payable.find(a.code); it != payable.end()) {
      l.payable += it->second;
    } else {
      ++l.unchecked;
      for (const auto& i : a.items) l.payable += i.quantity;
    }
    if (a.approved_amount && (a.status == ApplicationStatus::approved || a.status == ApplicationStatus::paid))
      l.approved += *a.approved_amount;
  }
  // Paid: payments minus recoveries dated in the year, of applications in the review's units.
  for (const auto& p : SupportRepository::payments_between(c, "", CivilDate(year, 1, 1), last))
    if (in_unit(p.unit)) lines[p.policy].paid += p.kind == PaymentKind::payment ? p.amount : -p.amount;
  if (run)
    for (const auto& fnd : SupportRepository::run_findings(c, run->id))
      if (auto it = policy_of.find(fnd.application); it != policy_of.end()) ++lines[it->second].findings[fnd.finding];
  if (with_budget)
    for (const auto& b : SupportRepository::budgets(c, year)) lines[b.policy].planned = lines[b.policy].planned.value_or(0) + b.planned;

  json policies = json::array();
  bool illustrative = false;
  Line total;
  for (const auto& [code, l] : lines) {
    auto it = current.find(code);
    json findings = json::object();
    for (const auto& [k, n] : l.findings) {
      findings[k] = n;
      total.findings[k] += n;
    }
    const bool ill = it != current.end() && it->second.illustrative;
    illustrative = illustrative || ill;
    json line = {{"policy", code},
                 {"name_vi", it != current.end() ? it->second.name_vi : code},
                 {"name_en", it != current.end() ? it->second.name_en : ""},
                 {"item", it != current.end() ? std::string(to_string(it->second.item)) : "area"},
                 {"illustrative", ill},
                 {"applications", l.applications},
                 {"unchecked", l.unchecked},
                 {"payable", l.payable},
                 {"approved", l.approved},
                 {"paid", l.paid},
                 {"planned", l.planned ? json(*l.planned) : json(nullptr)},
                 {"remaining", l.planned ? json(*l.planned - l.approved) : json(nullptr)},
                 {"findings", findings}};
    policies.push_back(std::move(line));
    total.applications += l.applications;
    total.unchecked += l.unchecked;
    total.approved += l.approved;
    total.paid += l.paid;
    if (l.planned) total.planned = total.planned.value_or(0) + *l.planned;
  }
  json total_findings = json::object();
  for (const auto& [k, n] : total.findings) total_findings[k] = n;
  return json{{"year", year},
              {"illustrative", illustrative},
              {"check_run", run ? json{{"id", run->id}, {"run_at", run->run_at}, {"run_by", run->run_by}} : json(nullptr)},
              {"policies", policies},
              {"total",
               {{"applications", total.applications},
                {"unchecked", total.unchecked},
                {"approved", total.approved},
                {"paid", total.paid},
                {"planned", total.planned ? json(*total.planned) : json(nullptr)},
                {"remaining", total.planned ? json(*total.planned - total.approved) : json(nullptr)},
                {"findings", total_findings}}}};
}

}  // namespace nongsan::support
