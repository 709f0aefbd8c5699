// Support figures for the targets module (Notice 752-TB/TU: support is followed like
// every other target): "hectares supported" and "money paid" per policy, filed under
// the application's unit (the applicant's commune), with the application behind each
// figure so that a value drills down to its records. The definitions are exact and
// written out in docs/support.md ("Support as computed indicators").
//
// Reads storage through SupportRepository; no scope (the targets module decides who
// reads a figure); must not depend on targets, api, app or cli.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "modules/support/support_records.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

enum class SupportMeasure {
  supported_area,  // payable hectares of area applications accepted in the window that are approved or paid
  support_paid,    // payments minus recoveries dated in the window, đồng
};
std::optional<SupportMeasure> parse_support_measure(std::string_view s);

struct SupportFigure {
  ApplicationId application;
  std::string code, policy;
  std::optional<UnitId> unit;  // the applicant's commune when filed; none = the province's
  double value = 0;            // hectares or đồng
  // Where a hectare figure comes from: "check_run" (the payable hectares of the latest
  // check run of the filing year, `run`), or "claimed" (no run has evaluated it yet: the
  // claimed hectares). Empty for money.
  std::string basis;
  std::optional<std::int64_t> run;
};

// The payable quantity (hectares or items, after the penalty) of each of `codes` as run
// `run` stored it in its amount trace; codes the run did not evaluate are absent.
std::map<std::string, double> stored_payable(storage::Connection& c, std::int64_t run,
                                             const std::vector<std::string>& codes);

// The figures of `measure` for `policy` ("" = every policy) in [from, to], one per
// application (its net payments for money), ordered by application code. Applications
// with a net payment of 0 in the window are left out.
std::vector<SupportFigure> support_figures(storage::Connection& c, SupportMeasure measure, const std::string& policy,
                                           const CivilDate& from, const CivilDate& to);

}  // namespace nongsan::support
