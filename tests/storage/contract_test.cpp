// The storage contract: every backend must pass the same suite. Instantiated for
// SQLite always and for PostgreSQL when NONGSAN_TEST_PG_URL names a server.
#include "core/result.hpp"
#include "storage/contract_fixture.hpp"

namespace nongsan::storage {

TEST_P(StorageContract, MigratesToLatestVersionAndIsIdempotent) {
  Migrator m(*db, backup_dir);
  EXPECT_EQ(m.current_version(), m.latest_version());
  auto again = m.migrate();
  EXPECT_TRUE(again.applied.empty());
  EXPECT_TRUE(again.backup_path.empty());
}

TEST_P(StorageContract, InsertReturnsIdAndRoundTripsValues) {
  auto id = db->write([](Connection& c) {
    auto rs = c.query(
        "INSERT INTO admin_unit (code, name, name_folded, level, valid_from) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {std::string("99"), std::string("Tỉnh Thử"), std::string("tinh thu"), std::string("province"),
         std::string("2021-01-01")});
    return rs.rows.at(0).i64("id");
  });
  EXPECT_GT(id, 0);
  auto row = db->read([&](Connection& c) {
    return c.query("SELECT code, name, valid_from, valid_to, area_m2 FROM admin_unit WHERE id = ?", {id}).rows.at(0);
  });
  EXPECT_EQ(row.str("name"), "Tỉnh Thử");
  EXPECT_EQ(row.str("valid_from"), "2021-01-01");
  EXPECT_TRUE(row.is_null("valid_to"));
  EXPECT_FALSE(row.opt_f64("area_m2").has_value());
}

TEST_P(StorageContract, GeometryRoundTripsExactly) {
  Geometry g{square_multipolygon_wkb(103.0, 22.0, 0.01), 4326};
  auto id = db->write([&](Connection& c) {
    return c.query("INSERT INTO admin_unit (code, name, name_folded, level, valid_from, geom) "
                   "VALUES ('98', 'x', 'x', 'province', '2021-01-01', ?) RETURNING id",
                   {g})
        .rows.at(0)
        .i64("id");
  });
  auto back = db->read([&](Connection& c) {
    return c.query("SELECT geom FROM admin_unit WHERE id = ?", {id}).rows.at(0).opt_geometry("geom");
  });
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->srid, 4326);
  EXPECT_EQ(back->wkb, g.wkb);
}

TEST_P(StorageContract, FailedWriteLeavesNothingBehind) {
  EXPECT_THROW(db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('a', 'a', 'a', 'ha')");
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('a', 'b', 'b', 'ha')");
  }),
               DbError);
  EXPECT_EQ(db->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM figure_series"); }), 0);
}

TEST_P(StorageContract, UniqueViolationIsReportedAsSuch) {
  db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('a', 'a', 'a', 'ha')");
  });
  try {
    db->write([](Connection& c) {
      c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('a', 'a', 'a', 'ha')");
    });
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation);
  }
}

TEST_P(StorageContract, ErrorResultRollsBackTheTransaction) {
  Status s = db->write([](Connection& c) -> Status {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('b', 'b', 'b', 'ha')");
    return Error::invalid("validation failed after the first write");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(db->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM figure_series"); }), 0);
}

TEST_P(StorageContract, BackupAndRestoreBringBackTheData) {
  db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('kept', 'k', 'k', 'ha')");
  });
  auto backup = db->backup(backup_dir + "/copy" + backup_extension());
  EXPECT_GT(backup.bytes, 0);
  db->write([](Connection& c) {
    c.execute("DELETE FROM figure_series");
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('later', 'l', 'l', 'ha')");
  });
  db->restore(backup.path);
  auto codes = db->read([](Connection& c) { return c.query("SELECT code FROM figure_series ORDER BY code"); });
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes.rows[0].str("code"), "kept");
}

TEST_P(StorageContract, NullsAndNumbersKeepTheirTypes) {
  auto row = db->read([](Connection& c) {
    return c.query("SELECT CAST(? AS INTEGER) AS i, CAST(? AS DOUBLE PRECISION) AS d, ? AS t",
                   {std::int64_t{42}, 2.5, Value{Null{}}})
        .rows.at(0);
  });
  EXPECT_EQ(row.i64("i"), 42);
  EXPECT_DOUBLE_EQ(row.f64("d"), 2.5);
  EXPECT_TRUE(row.is_null("t"));
}

}  // namespace nongsan::storage
