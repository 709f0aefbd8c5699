// Registry commands: import parcels|producers|zones|plantings, export parcels,
// check parcels. (Filled in by the registry import work.)
#include "cli/commands.hpp"

namespace nongsan::cli {

void register_registry_commands(CLI::App&, CLI::App&, CLI::App&, GlobalOptions&, Actions&) {}

}  // namespace nongsan::cli
