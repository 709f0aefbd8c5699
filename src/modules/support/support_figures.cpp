#include "modules/support/support_figures.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "modules/support/policy_file.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::support {

std::optional<SupportMeasure> parse_support_measure(std::string_view s) {
  if (s == "supported_area") return SupportMeasure::supported_area;
  if (s == "support_paid") return SupportMeasure::support_paid;
  return std::nullopt;
}

namespace {

std::vector<SupportFigure> supported_area(storage::Connection& c, const std::string& policy, const CivilDate& from,
                                          const CivilDate& to) {
  auto rows = SupportRepository::accepted_applications(c, policy, from, to);
  if (rows.empty()) return {};
  // Only area policies give hectares: the version in force on the filing date decides.
  std::vector<PolicyVersion> versions;
  for (auto& r : SupportRepository::policies(c)) versions.push_back(std::move(r.policy));
  std::vector<const SupportRepository::AcceptedRow*> area_rows;
  std::map<int, std::vector<std::string>> codes_by_year;
  for (const auto& r : rows) {
    auto v = version_in_force(versions, r.policy, r.filed);
    if (!v || !is_area(v->item)) continue;
    area_rows.push_back(&r);
    codes_by_year[r.filed.year()].push_back(r.code);
  }
  // The payable hectares of the latest check run of each filing year.
  std::map<std::string, std::pair<double, std::int64_t>> payable;
  for (const auto& [year, codes] : codes_by_year) {
    auto run = SupportRepository::latest_check_run(c, year);
    if (!run) continue;
    for (const auto& [code, value] : stored_payable(c, run->id, codes)) payable[code] = {value, run->id};
  }
  std::vector<SupportFigure> out;
  for (const auto* r : area_rows) {
    SupportFigure f;
    f.application = r->id;
    f.code = r->code;
    f.policy = r->policy;
    f.unit = r->unit;
    if (auto it = payable.find(r->code); it != payable.end()) {
      f.value = it->second.first;
      f.basis = "check_run";
      f.run = it->second.second;
    } else {
      f.value = r->claimed;
      f.basis = "claimed";
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<SupportFigure> support_paid(storage::Connection& c, const std::string& policy, const CivilDate& from,
                                        const CivilDate& to) {
  std::vector<SupportFigure> out;
  for (const auto& p : SupportRepository::payments_between(c, policy, from, to)) {
    Dong signed_amount = p.kind == PaymentKind::payment ? p.amount : -p.amount;
    if (out.empty() || out.back().application != p.id) {
      SupportFigure f;
      f.application = p.id;
      f.code = p.code;
      f.policy = p.policy;
      f.unit = p.unit;
      out.push_back(std::move(f));
    }
    out.back().value += static_cast<double>(signed_amount);
  }
  std::erase_if(out, [](const SupportFigure& f) { return f.value == 0; });
  return out;
}

}  // namespace

std::map<std::string, double> stored_payable(storage::Connection& c, std::int64_t run,
                                             const std::vector<std::string>& codes) {
  std::map<std::string, double> out;
  for (const auto& [code, trace] : SupportRepository::run_traces(c, run, codes)) {
    auto t = nlohmann::json::parse(trace, nullptr, false);
    if (t.is_object() && t.contains("payable") && t["payable"].is_number()) out[code] = t["payable"].get<double>();
  }
  return out;
}

std::vector<SupportFigure> support_figures(storage::Connection& c, SupportMeasure measure, const std::string& policy,
                                           const CivilDate& from, const CivilDate& to) {
  return measure == SupportMeasure::supported_area ? supported_area(c, policy, from, to)
                                                   : support_paid(c, policy, from, to);
}

}  // namespace nongsan::support
