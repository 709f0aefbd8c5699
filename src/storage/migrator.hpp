// Numbered schema migrations, embedded in the binary at build time from
// migrations/<backend>/NNNN_name.sql. Each runs in its own transaction and is
// recorded in schema_migrations. A database that already holds data is backed
// up before any pending migration runs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace nongsan::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations compiled into this binary for a backend, in version order.
const std::vector<Migration>& embedded_migrations(Backend backend);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // "0002_registry"
  std::string backup_path;           // empty when no backup was needed
};

class Migrator {
 public:
  // `backup_dir`: where pre-migration backups go (created if missing).
  Migrator(Database& db, std::string backup_dir) : db_(db), backup_dir_(std::move(backup_dir)) {}

  int current_version();
  int latest_version() const;
  std::vector<Migration> pending();
  // Applies every pending migration; throws DbError when one fails (that one is
  // rolled back, earlier ones stay applied and recorded).
  MigrationReport migrate();

 private:
  Database& db_;
  std::string backup_dir_;
};

}  // namespace nongsan::storage
