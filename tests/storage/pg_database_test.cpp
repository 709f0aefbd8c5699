// PostgreSQL-only behaviour beyond the contract: the wire codecs, the password
// kept out of sight, and backup/restore of a database that lives in `public`
// (the usual production layout; the contract suite uses a schema per test).
// Named Postgres* so that ctest runs them in the pg group.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/contract_fixture.hpp"
#include "storage/postgres/pg_codec.hpp"
#include "storage/postgres/pg_database.hpp"

namespace nongsan::storage {
namespace {

std::string rewrite(std::string_view sql) {
  std::size_t n = 0;
  return pg::rewrite_placeholders(sql, n);
}

TEST(PostgresCodec, RewritesPlaceholdersOutsideLiteralsIdentifiersAndComments) {
  struct Case {
    const char* sql;
    const char* expected;
  } cases[] = {
      {"SELECT ?, ?", "SELECT $1, $2"},
      {"WHERE a = '?' AND b = ?", "WHERE a = '?' AND b = $1"},
      {"WHERE a = 'it''s?' AND b = ?", "WHERE a = 'it''s?' AND b = $1"},
      {"WHERE a = E'\\'?' AND b = ?", "WHERE a = E'\\'?' AND b = $1"},
      {"SELECT \"odd?name\" FROM t WHERE x = ?", "SELECT \"odd?name\" FROM t WHERE x = $1"},
      {"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2"},
      {"SELECT /* a /* nested? */ ? */ ?", "SELECT /* a /* nested? */ ? */ $1"},
      {"SELECT $$?$$, $tag$ it's ? $tag$, ?", "SELECT $$?$$, $tag$ it's ? $tag$, $1"},
      {"SELECT a$b, ?", "SELECT a$b, $1"},
      {"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
  };
  for (const auto& c : cases) EXPECT_EQ(rewrite(c.sql), c.expected) << c.sql;
  std::size_t n = 0;
  pg::rewrite_placeholders("INSERT INTO t VALUES (?, '?', ?)", n);
  EXPECT_EQ(n, 2u);
}

TEST(PostgresCodec, ByteaHexRoundTrips) {
  std::vector<std::uint8_t> bytes = {0x00, 0x10, 0xab, 0xff};
  EXPECT_EQ(pg::bytea_hex(bytes), "\\x0010abff");
  EXPECT_EQ(pg::from_bytea_hex("\\x0010ABff"), bytes);
  EXPECT_THROW(pg::from_bytea_hex("0010"), std::runtime_error);
  EXPECT_THROW(pg::from_bytea_hex("\\x001"), std::runtime_error);
}

TEST(PostgresCodec, EwkbCarriesTheSridAndComesBackAsIsoWkb) {
  Geometry g{square_multipolygon_wkb(103.0, 22.0, 0.01), 9205};
  std::string hex = pg::ewkb_hex(g);
  // little-endian, MultiPolygon (6) with the SRID flag, SRID 9205 = 0x23f5
  EXPECT_EQ(hex.substr(0, 18), "0106000020f5230000");
  EXPECT_EQ(pg::geometry_from_ewkb_hex(hex), g);
}

TEST(PostgresCodec, ThreeDimensionalEwkbBecomesIsoTypeCodes) {
  // POINT Z (1 2 3), SRID 4326, as PostGIS prints it: type 0xA0000001.
  std::string ewkb = "01010000a0e6100000000000000000f03f00000000000000400000000000000840";
  Geometry g = pg::geometry_from_ewkb_hex(ewkb);
  EXPECT_EQ(g.srid, 4326);
  ASSERT_EQ(g.wkb.size(), 1u + 4 + 24);
  EXPECT_EQ(g.wkb[1], 0xE9);  // 1001 = Point Z, little-endian
  EXPECT_EQ(g.wkb[2], 0x03);
  EXPECT_EQ(pg::ewkb_hex(g), ewkb);
  EXPECT_THROW(pg::geometry_from_ewkb_hex("0101000020e6100000000000"), std::runtime_error);
}

// ---- against the server named by NONGSAN_TEST_PG_URL ---------------------------

const char* pg_url() {
  const char* url = std::getenv("NONGSAN_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

// The same URL with a password (the test cluster trusts loopback, so any will do).
std::string with_password(const std::string& url, const std::string& password) {
  auto scheme = url.find("://") + 3;
  auto at = url.find('@', scheme);
  if (at == std::string::npos) return url;
  return url.substr(0, at) + ":" + password + url.substr(at);
}

// A database of its own, so that the test can use its public schema.
std::string with_database(const std::string& url, const std::string& name) {
  auto slash = url.find('/', url.find("://") + 3);
  auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

TEST(PostgresDatabase, DescriptionAndToolsKeepThePasswordOutOfSight) {
  if (!pg_url()) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto t = test_support::make_test_database(Backend::postgres, /*migrate=*/false);
  auto db = open_database(with_password(t->location, "pa ss'word"));
  EXPECT_EQ(db->describe().find("pa ss"), std::string::npos) << db->describe();
  EXPECT_NE(db->describe().find("schema " + t->pg_schema), std::string::npos) << db->describe();
  Migrator(*db, t->scratch_dir).migrate();
  auto backup = db->backup(t->scratch_dir + "/with-password.dump");  // pg_dump gets it via PGPASSWORD
  EXPECT_GT(backup.bytes, 0);
  db->restore(backup.path);
}

TEST(PostgresDatabase, IsoWkbWithZAndNestedPartsRoundTripsThroughPostgis) {
  if (!pg_url()) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  // MULTIPOINT Z ((1 2 3), (4 5 6)) in ISO WKB: type 1004, parts of type 1001.
  std::vector<std::uint8_t> wkb = {1, 0xEC, 0x03, 0, 0, 2, 0, 0, 0};
  auto point = [&](double x, double y, double z) {
    wkb.insert(wkb.end(), {1, 0xE9, 0x03, 0, 0});
    for (double d : {x, y, z}) {
      auto* p = reinterpret_cast<const std::uint8_t*>(&d);
      wkb.insert(wkb.end(), p, p + 8);
    }
  };
  point(1, 2, 3);
  point(4, 5, 6);
  Geometry g{wkb, 9205};
  auto t = test_support::make_test_database(Backend::postgres, /*migrate=*/false);
  auto row = t->db->read([&](Connection& c) {
    return c.query("SELECT CAST(? AS geometry) AS g, ST_AsText(CAST(? AS geometry)) AS wkt", {g, g}).rows.at(0);
  });
  EXPECT_EQ(row.str("wkt"), "MULTIPOINT Z ((1 2 3),(4 5 6))");
  EXPECT_EQ(row.opt_geometry("g"), g);
}

TEST(PostgresDatabase, RestoreCutShortMidDataRollsBack) {
  if (!pg_url()) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto t = test_support::make_test_database(Backend::postgres);
  auto& db = *t->db;
  db.write([](Connection& c) {
    for (int i = 0; i < 500; ++i)
      c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES (?, 'v', 'e', 'ha')",
                {"c" + std::to_string(i)});
  });
  auto backup = db.backup(t->scratch_dir + "/full.dump");
  // The table of contents is whole but the data ends early: pg_restore fails
  // after psql has already dropped the schema in its (uncommitted) transaction.
  std::filesystem::resize_file(backup.path, static_cast<std::uintmax_t>(backup.bytes) - 16);
  db.write([](Connection& c) { c.execute("DELETE FROM figure_series WHERE code <> 'c7'"); });
  EXPECT_THROW(db.restore(backup.path), DbError);
  auto codes = db.read([](Connection& c) { return c.query("SELECT code FROM figure_series"); });
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes.rows[0].str("code"), "c7");
}

// The province statements filter by (storage/province_filter.hpp) is read once per
// connection, but a restore may bring another installation's province: read again after
// one, or every filtered read would find nothing.
TEST(PostgresDatabase, TheProvinceOfAConnectionIsReadAgainAfterARestore) {
  if (!pg_url()) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto t = test_support::make_test_database(Backend::postgres);
  auto& db = *t->db;
  auto set_province = [&](const char* code) {
    db.write([&](Connection& c) { c.execute("UPDATE app_setting SET value = ? WHERE key = 'province_code'", {code}); });
  };
  auto province = [&] { return db.read([](Connection& c) { return postgres_province_code(c); }); };
  set_province("12");
  auto backup = db.backup(t->scratch_dir + "/province-12.dump");
  set_province("00");
  EXPECT_EQ(province(), "00");
  db.restore(backup.path);
  EXPECT_EQ(province(), "12");
}

TEST(PostgresDatabase, BackupAndRestoreOfThePublicSchema) {
  if (!pg_url()) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto admin = open_database(pg_url());
  std::string name = "nongsan_public_" + std::to_string(::getpid());
  auto conn = admin->connect();  // one statement at a time: CREATE DATABASE refuses to run in a transaction
  conn->execute_script("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  conn->execute_script("CREATE DATABASE " + name);
  auto scratch = std::filesystem::temp_directory_path() / name;
  std::filesystem::create_directories(scratch);
  {
    auto db = open_database(with_database(pg_url(), name));
    EXPECT_EQ(db->describe().find("schema"), std::string::npos) << db->describe();
    Migrator(*db, scratch.string()).migrate();
    Geometry g{square_multipolygon_wkb(103.2, 22.3, 0.02), 4326};
    db->write([&](Connection& c) {
      c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('kept', 'k', 'k', 'ha')");
      c.execute("INSERT INTO admin_unit (code, name, name_folded, level, valid_from, geom) "
                "VALUES ('12', 'Lai Châu', 'lai chau', 'province', '2004-01-01', ?)",
                {g});
      // VN-2000 / TM-3 103-00 is not among the SRIDs PostGIS 3.3 ships: a user row
      // of an extension configuration table, which pg_dump includes.
      c.execute("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, proj4text) "
                "VALUES (9205, 'EPSG', 9205, '+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0')");
    });
    auto backup = db->backup((scratch / "public.dump").string());
    db->write([](Connection& c) {
      c.execute("DELETE FROM figure_series");
      c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('later', 'l', 'l', 'ha')");
      c.execute("DELETE FROM spatial_ref_sys WHERE srid = 9205");
      c.execute("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid) VALUES (990001, 'TEST', 1)");
      c.execute_script("CREATE TABLE added_after_backup (x INTEGER); CREATE VIEW v AS SELECT * FROM figure_series");
    });
    db->restore(backup.path);
    db->read([&](Connection& c) {
      auto codes = c.query("SELECT code FROM figure_series ORDER BY code");
      ASSERT_EQ(codes.size(), 1u);
      EXPECT_EQ(codes.rows[0].str("code"), "kept");
      EXPECT_EQ(c.query("SELECT geom FROM admin_unit WHERE code = '12'").rows.at(0).opt_geometry("geom"), g);
      EXPECT_EQ(c.scalar_i64("SELECT count(*) FROM spatial_ref_sys WHERE srid IN (9205, 990001)"), 1);
      EXPECT_EQ(c.scalar_i64("SELECT count(*) FROM spatial_ref_sys WHERE srid = 9205"), 1);
      EXPECT_EQ(c.scalar_i64("SELECT count(*) FROM pg_class WHERE relname IN ('added_after_backup', 'v')"), 0);
      EXPECT_GT(c.scalar_i64("SELECT count(*) FROM spatial_ref_sys"), 8000);  // PostGIS's own rows stay
    });
    // Identity sequences come back where they were: new rows get fresh ids.
    db->write([](Connection& c) {
      c.execute("INSERT INTO admin_unit (code, name, name_folded, level, valid_from) "
                "VALUES ('13', 'x', 'x', 'province', '2004-01-01')");
    });
    Migrator m(*db, scratch.string());
    EXPECT_EQ(m.current_version(), m.latest_version());
  }
  conn->execute_script("DROP DATABASE " + name + " WITH (FORCE)");
  std::filesystem::remove_all(scratch);
}

}  // namespace
}  // namespace nongsan::storage
