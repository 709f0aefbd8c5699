// Test databases: a migrated SQLite GeoPackage in a temporary folder, or a fresh
// schema in the PostgreSQL server named by NONGSAN_TEST_PG_URL (dropped after).
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace nongsan::test_support {

struct TestDatabase {
  std::unique_ptr<storage::Database> db;
  std::string location;     // path or URL, for starting a server on the same data
  std::string scratch_dir;  // temporary folder, removed afterwards
  std::string pg_schema;    // PostgreSQL only
  ~TestDatabase();
};

// nullptr for PostgreSQL when NONGSAN_TEST_PG_URL is unset.
std::unique_ptr<TestDatabase> make_test_database(storage::Backend backend, bool migrate = true);

}  // namespace nongsan::test_support
