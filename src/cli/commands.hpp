// Command registration for the CLI, by group. Each group adds CLI11 subcommands
// and an action that runs when its subcommand was given (returns -1 otherwise).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/app.hpp"
#include "core/result.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::cli {

struct GlobalOptions {
  std::string db, db_replica, config, log_level;
  Result<app::Config> resolve() const;
  std::unique_ptr<app::App> open(const app::Config& c, bool quiet = false) const;
};

std::string os_user();
inline identity::Actor cli_actor() { return identity::Actor::cli(os_user()); }
int report_error(const Error& e);

using Actions = std::vector<std::function<int()>>;
void register_server_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
void register_data_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
void register_user_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
// openapi [--format json|markdown] [--update FILE]: the API document, or docs/api.md's route tables.
void register_openapi_command(CLI::App& cli, GlobalOptions& g, Actions& actions);
// Registry: import parcels|producers|zones|plantings, export parcels, check parcels.
// `import` and `export` are the subcommands created by register_data_commands.
// Land suitability: evaluate, profiles (no database).
void register_suitability_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
// Land suitability, planning: import/export profiles, layers, parcels/zones/units,
// report zone-suitability|candidate-land. Joins existing `suitability`/`report` subcommands.
void register_suitability_planning_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
void register_registry_commands(CLI::App& cli, CLI::App& import, CLI::App& exp, GlobalOptions& g, Actions& actions);
// Targets: import programmes|indicators|targets|observations, report review, check observations.
// Registered after the registry commands (it adds to their `check`).
void register_target_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// Support: import policies|applications|payments, check claims, support evaluate.
// Registered after the registry commands (it adds to their `check`).
void register_support_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// Diary: import pesticide-products|pesticide-status|pesticide-labels|diary, check diaries,
// lot status|clear. Registered after the registry commands (it adds to their `check`).
void register_diary_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// Area codes: import area-codes|code-seasons, check codes.
void register_areacode_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// Chains: import contracts|deliveries, report linkage.
void register_chain_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// OCOP: import ocop-products|ocop-evaluations|ocop-events, ocop status|calendar|notices.
void register_ocop_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
// EPCIS: epcis hash|capture|query.
void register_epcis_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
// Traceability labels: trace gtin set|list, trace resolver, trace qr.
void register_trace_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
// Inspections: inspection list|create|decide (joins the `inspection` group if it exists).
void register_inspection_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);

// Inspection planning: inspection plan|quality-sample|quality, import
// inspection-weights|quality-measurements. Joins an `inspection` group another file may
// have created (inspection_group).
void register_inspection_plan_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions);
inline CLI::App& inspection_group(CLI::App& cli) {
  for (CLI::App* sc : cli.get_subcommands([](CLI::App* a) { return a->get_name() == "inspection"; })) return *sc;
  CLI::App* group = cli.add_subcommand(
      "inspection", "Inspection and supervision: plans, registry quality, field inspections, decisions on findings");
  group->require_subcommand(1);
  return *group;
}
// report conclusions (the THÔNG BÁO draft from the data), report conclusions-register.
void register_conclusions_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);

// The `report` command group. Several files register subcommands in it (report render
// here, report review in the targets commands): the first caller creates it, later
// callers get the same one, so the order of the register_* calls does not matter.
inline CLI::App& report_group(CLI::App& cli) {
  for (CLI::App* sc : cli.get_subcommands([](CLI::App* a) { return a->get_name() == "report"; })) return *sc;
  CLI::App* report = cli.add_subcommand("report", "Reports as documents: HTML, PDF, DOCX, XLSX");
  report->require_subcommand(1);
  return *report;
}
// report render: a review JSON file to HTML, PDF, DOCX or XLSX, without a database.
void register_report_render(CLI::App& report, GlobalOptions& g, Actions& actions);

}  // namespace nongsan::cli
