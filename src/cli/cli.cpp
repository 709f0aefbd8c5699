#include "cli/cli.hpp"

#include <iostream>

#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace nongsan::cli {
int run(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "migrate") {
    auto db = storage::open_database(argv[2]);
    storage::Migrator m(*db, "var/backups");
    auto r = m.migrate();
    std::cout << r.from_version << " -> " << r.to_version << "\n";
  }
  return 0;
}
}  // namespace nongsan::cli
