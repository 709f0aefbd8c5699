#include "test_support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "storage/migrator.hpp"

namespace nongsan::test_support {

namespace {
std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}
}  // namespace

TestDatabase::~TestDatabase() {
  if (!pg_schema.empty() && db) {
    try {
      db->write([&](storage::Connection& c) { c.execute_script("DROP SCHEMA IF EXISTS " + pg_schema + " CASCADE"); });
    } catch (...) {
    }
  }
  db.reset();
  std::error_code ec;
  if (!scratch_dir.empty()) std::filesystem::remove_all(scratch_dir, ec);
}

std::unique_ptr<TestDatabase> make_test_database(storage::Backend backend, bool migrate) {
  auto t = std::make_unique<TestDatabase>();
  t->scratch_dir = (std::filesystem::temp_directory_path() / ("nongsan_test_" + unique_suffix())).string();
  std::filesystem::create_directories(t->scratch_dir);
  if (backend == storage::Backend::sqlite) {
    t->location = t->scratch_dir + "/test.gpkg";
  } else {
    const char* url = std::getenv("NONGSAN_TEST_PG_URL");
    if (!url || !*url) return nullptr;
    t->pg_schema = "t_" + unique_suffix();
    {
      auto admin = storage::open_database(url);
      admin->write([&](storage::Connection& c) { c.execute_script("CREATE SCHEMA " + t->pg_schema); });
    }
    std::string base = url;
    t->location = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
                  t->pg_schema + "%2Cpublic";
  }
  t->db = storage::open_database(t->location);
  if (migrate) storage::Migrator(*t->db, t->scratch_dir).migrate();
  return t;
}

}  // namespace nongsan::test_support
