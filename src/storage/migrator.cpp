#include "storage/migrator.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/civil_date.hpp"

namespace nongsan::storage {

namespace {
constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

bool has_migrations_table(Connection& c) {
  if (c.backend() == Backend::sqlite)
    return c.scalar_i64("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'") > 0;
  return c.scalar_i64("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                      "AND table_name = 'schema_migrations'") > 0;
}
}  // namespace

int Migrator::current_version() {
  return db_.read([](Connection& c) -> int {
    if (!has_migrations_table(c)) return 0;
    return static_cast<int>(c.scalar_i64("SELECT max(version) FROM schema_migrations"));
  });
}

int Migrator::latest_version() const {
  const auto& all = embedded_migrations(db_.backend());
  return all.empty() ? 0 : all.back().version;
}

std::vector<Migration> Migrator::pending() {
  // Every embedded migration not yet recorded, not only those above the highest
  // recorded version: two branches may add migrations in either order.
  std::set<std::int64_t> applied = db_.read([](Connection& c) {
    std::set<std::int64_t> out;
    if (!has_migrations_table(c)) return out;
    for (const auto& r : c.query("SELECT version FROM schema_migrations").rows) out.insert(r.i64("version"));
    return out;
  });
  std::vector<Migration> out;
  for (const auto& m : embedded_migrations(db_.backend()))
    if (!applied.contains(m.version)) out.push_back(m);
  return out;
}

MigrationReport Migrator::migrate() {
  MigrationReport report;
  bool existing = db_.read([](Connection& c) { return has_migrations_table(c); });
  report.from_version = current_version();
  auto todo = pending();
  if (!todo.empty() && existing) {
    std::filesystem::create_directories(backup_dir_);
    std::string stamp = utc_now_iso();
    std::erase(stamp, ':');
    std::string ext = db_.backend() == Backend::sqlite ? ".gpkg" : ".dump";
    auto path = std::filesystem::path(backup_dir_) /
                ("pre-migration-v" + std::to_string(report.from_version) + "-" + stamp + ext);
    report.backup_path = db_.backup(path.string()).path;
  }
  for (const auto& m : todo) {
    db_.write([&](Connection& c) {
      c.execute_script(kCreateTable);
      c.execute_script(m.sql);
      c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, m.name, utc_now_iso()});
    });
    report.applied.push_back(m.name);
  }
  if (todo.empty()) db_.write([](Connection& c) { c.execute_script(kCreateTable); });
  report.to_version = current_version();
  return report;
}

}  // namespace nongsan::storage
