// One way to read a date column (storage::Row::date): a stored value that is not a
// date is an error naming the column, in every repository, never a made-up date
// (the targets repository used to read a bad date as 1900-01-01).
#include <gtest/gtest.h>

#include "modules/admin/admin_repository.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/targets/targets_repository.hpp"
#include "test_support/test_database.hpp"

namespace nongsan {

namespace {

class DateColumn : public ::testing::Test {
 protected:
  void SetUp() override { tdb = test_support::make_test_database(storage::Backend::sqlite); }
  std::unique_ptr<test_support::TestDatabase> tdb;
};

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_F(DateColumn, RowReadsIsoDatesAndRefusesAnythingElse) {
  auto rs = tdb->db->read([](storage::Connection& c) {
    return c.query("SELECT '2025-07-01' AS good, '01/07/2025' AS vietnamese, '2025-02-30' AS impossible, "
                   "'' AS empty, NULL AS missing");
  });
  const auto& r = rs.rows.at(0);
  EXPECT_EQ(r.date("good"), CivilDate(2025, 7, 1));
  EXPECT_EQ(r.opt_date("missing"), std::nullopt);
  for (const char* col : {"vietnamese", "impossible", "empty"}) {
    std::string m = message_of([&] { (void)r.date(col); });
    EXPECT_NE(m.find(col), std::string::npos) << col << ": " << m;
    EXPECT_NE(m.find("not a date"), std::string::npos) << col << ": " << m;
  }
  EXPECT_THROW((void)r.opt_date("impossible"), std::runtime_error);
}

TEST_F(DateColumn, ABadProgrammeDateIsAnErrorNotTheYear1900) {
  tdb->db->write([](storage::Connection& c) {
    c.execute("INSERT INTO programme (code, name_vi, start_date, end_date, baseline_year, milestones, created_at, "
              "updated_at) VALUES ('P', 'Chương trình', 'sometime', 'zzzz', 2020, '2025', '', '')");
  });
  std::string m = message_of([&] {
    tdb->db->read([](storage::Connection& c) { return targets::TargetsRepository::programmes(c); });
  });
  EXPECT_NE(m.find("start_date"), std::string::npos) << m;
}

TEST_F(DateColumn, RegistryAndUnitRepositoriesUseTheSameReader) {
  tdb->db->write([](storage::Connection& c) {
    c.execute("INSERT INTO admin_unit (code, name, name_folded, level, valid_from) "
              "VALUES ('90', 'Tỉnh', 'tinh', 'province', '2020-13-01')");
  });
  std::string m = message_of([&] { tdb->db->read([](storage::Connection& c) { return admin::AdminRepository::load_graph(c); }); });
  EXPECT_NE(m.find("valid_from"), std::string::npos) << m;
  tdb->db->write([](storage::Connection& c) {
    c.execute("DELETE FROM admin_unit");
    c.execute("INSERT INTO parcel (external_id, valid_from, created_at, updated_at) VALUES ('P-1', '2025-07-01', '', '')");
    c.execute("INSERT INTO planting (parcel_id, crop, start_date, planted_area_m2, created_at) "
              "VALUES ((SELECT id FROM parcel), 'tea', '31/12/2024', 1, '')");
  });
  m = message_of([&] {
    tdb->db->read([](storage::Connection& c) {
      return registry::RegistryRepository::plantings_of_parcel(c, registry::ParcelId(1));
    });
  });
  EXPECT_NE(m.find("start_date"), std::string::npos) << m;
}

}  // namespace nongsan
