// Fixture for the storage contract suite: a fresh, migrated database per test on
// each backend. PostgreSQL tests use a fresh schema in the server named by
// NONGSAN_TEST_PG_URL and are skipped when it is unset.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::storage {

class StorageContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    test_db = test_support::make_test_database(GetParam());
    if (!test_db) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
    db = test_db->db.get();
    backup_dir = test_db->scratch_dir;
  }
  std::string backup_extension() const { return GetParam() == Backend::sqlite ? ".gpkg" : ".dump"; }

  std::unique_ptr<test_support::TestDatabase> test_db;
  Database* db = nullptr;
  std::string backup_dir;
};

inline std::vector<std::uint8_t> square_multipolygon_wkb(double x, double y, double size) {
  std::vector<std::uint8_t> out;
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto f64 = [&](double d) {
    std::uint64_t v;
    std::memcpy(&v, &d, 8);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  out.push_back(1);
  u32(6);
  u32(1);
  out.push_back(1);
  u32(3);
  u32(1);
  u32(5);
  double pts[5][2] = {{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}};
  for (auto& p : pts) {
    f64(p[0]);
    f64(p[1]);
  }
  return out;
}

}  // namespace nongsan::storage
