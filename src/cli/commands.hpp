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
  std::string db, config, log_level;
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
// Registry: import parcels|producers|zones|plantings, export parcels, check parcels.
// `import` and `export` are the subcommands created by register_data_commands.
// Land suitability: evaluate, profiles (no database).
void register_suitability_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
// Land suitability, planning: import/export profiles, layers, parcels/zones/units,
// report zone-suitability|candidate-land. Joins existing `suitability`/`report` subcommands.
void register_suitability_planning_commands(CLI::App& cli, GlobalOptions& g, Actions& actions);
void register_registry_commands(CLI::App& cli, CLI::App& import, CLI::App& exp, GlobalOptions& g, Actions& actions);

}  // namespace nongsan::cli
