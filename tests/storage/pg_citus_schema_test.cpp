// The PostgreSQL schema against the rules Citus sets for distributing tables
// (docs/scale-out.md, "What was checked"). Citus itself cannot be installed on the
// development machine, so the rules are read from PostgreSQL's catalogs of a migrated
// database: every table classified once (table_distribution, migration 0029) as
// reference, distributed (by province_code) or local; a distributed table's
// province_code NOT NULL and in every primary key, unique constraint and unique index;
// foreign keys between distributed tables on province_code on both sides; none from a
// reference or local table to a distributed one, none from a distributed or reference
// table to a local one; no exclusion constraint, user trigger or inheritance on a
// distributed table. The same check run on the schema before 0029 must find violations
// (the check is not empty). Named Postgres* so that ctest runs it in the pg group.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "storage/migrator.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::storage {
namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) out.push_back(part);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  for (const auto& e : v)
    if (e == x) return true;
  return false;
}

// Column names of a constraint's or index's key, comma-separated, in key order.
const char* kConstraints =
    "SELECT t.relname AS tbl, c.conname AS name, c.contype AS type, "
    "  COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n) "
    "            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att), '') AS cols, "
    "  COALESCE(r.relname, '') AS reftbl, "
    "  COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n) "
    "            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att), '') AS refcols, "
    "  COALESCE((SELECT string_agg(a.attname, ',') FROM unnest(c.confdelsetcols) k(att) "
    "            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att), '') AS setcols, "
    "  c.confdeltype AS deltype "
    "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid "
    "WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f', 'x') "
    "ORDER BY 1, 2";

std::vector<std::string> citus_violations(Connection& c) {
  std::vector<std::string> bad;
  std::vector<std::string> tables;
  for (const auto& r :
       c.query("SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
               "AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
               "'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1")
           .rows)
    tables.push_back(r.str("name"));
  std::map<std::string, std::string> kind;
  if (c.scalar_i64("SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
                   "AND relname = 'table_distribution'") == 0) {
    bad.push_back("no table_distribution: the tables are not classified");
  } else {
    for (const auto& r : c.query("SELECT table_name, kind FROM table_distribution").rows)
      kind[r.str("table_name")] = r.str("kind");
  }
  for (const auto& t : tables)
    if (!kind.count(t)) bad.push_back(t + ": not classified in table_distribution (reference, distributed or local)");
  auto kind_of = [&](const std::string& t) { return kind.count(t) ? kind[t] : std::string("unclassified"); };

  // The distribution column.
  for (const auto& t : tables) {
    if (kind_of(t) != "distributed") continue;
    auto rs = c.query(
        "SELECT a.attnotnull AS notnull, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relname = ? AND a.attname = 'province_code' AND NOT a.attisdropped",
        {t});
    if (rs.empty()) {
      bad.push_back(t + ": distributed without a province_code column");
    } else {
      if (rs.rows[0].str("notnull") != "true" && rs.rows[0].str("notnull") != "1" && rs.rows[0].str("notnull") != "t")
        bad.push_back(t + ": province_code may be NULL");
      if (rs.rows[0].str("type") != "text") bad.push_back(t + ": province_code is " + rs.rows[0].str("type") + ", not text (co-location needs one type)");
    }
  }

  // Keys and foreign keys.
  for (const auto& r : c.query(kConstraints).rows) {
    std::string t = r.str("tbl"), name = r.str("name"), type = r.str("type");
    auto cols = split(r.str("cols"));
    std::string what = t + "." + name;
    if ((type == "p" || type == "u") && kind_of(t) == "distributed" && !contains(cols, "province_code"))
      bad.push_back(what + ": " + (type == "p" ? "primary key" : "unique constraint") + " (" + r.str("cols") +
                    ") without province_code");
    if (type == "x" && kind_of(t) == "distributed") bad.push_back(what + ": exclusion constraint on a distributed table");
    if (type != "f") continue;
    std::string ref = r.str("reftbl");
    std::string from = kind_of(t), to = kind_of(ref);
    if (from == "distributed" && to == "distributed") {
      auto refcols = split(r.str("refcols"));
      bool paired = false;
      for (std::size_t i = 0; i < cols.size() && i < refcols.size(); ++i)
        if (cols[i] == "province_code" && refcols[i] == "province_code") paired = true;
      if (!paired)
        bad.push_back(what + ": foreign key (" + r.str("cols") + ") -> " + ref + " (" + r.str("refcols") +
                      ") between distributed tables without province_code on both sides");
      if ((r.str("deltype") == "n" || r.str("deltype") == "d") &&
          (r.str("setcols").empty() || contains(split(r.str("setcols")), "province_code")))
        bad.push_back(what + ": ON DELETE SET NULL/DEFAULT would change province_code");
    } else if (to == "distributed") {
      bad.push_back(what + ": foreign key from " + from + " table " + t + " to distributed table " + ref);
    } else if (to == "local" && from != "local") {
      bad.push_back(what + ": foreign key from " + from + " table " + t + " to local table " + ref);
    }
  }

  // Unique indexes that no constraint stands for (CREATE UNIQUE INDEX, partial or not).
  for (const auto& r : c.query(
           "SELECT t.relname AS tbl, i.relname AS name, "
           "  COALESCE((SELECT string_agg(a.attname, ',') FROM unnest(x.indkey::int2[]) k(att) "
           "            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.att), '') AS cols "
           "FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
           "WHERE t.relnamespace = current_schema()::regnamespace AND x.indisunique "
           "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1, 2")
           .rows) {
    if (kind_of(r.str("tbl")) == "distributed" && !contains(split(r.str("cols")), "province_code"))
      bad.push_back(r.str("tbl") + "." + r.str("name") + ": unique index (" + r.str("cols") + ") without province_code");
  }

  // Constructs Citus restricts on distributed tables.
  for (const auto& r : c.query("SELECT c.relname AS tbl, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON "
                               "c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace "
                               "AND NOT t.tgisinternal ORDER BY 1, 2")
                           .rows)
    if (kind_of(r.str("tbl")) != "local") bad.push_back(r.str("tbl") + "." + r.str("name") + ": user trigger");
  for (const auto& r : c.query("SELECT c.relname AS child, p.relname AS parent FROM pg_inherits i JOIN pg_class c "
                               "ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                               "WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1")
                           .rows)
    bad.push_back(r.str("child") + ": inherits from " + r.str("parent"));
  return bad;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

void apply_migrations(Connection& c, Backend backend, int from, int to) {
  for (const auto& m : embedded_migrations(backend)) {
    if (m.version < from || m.version > to) continue;
    c.begin(false);
    try {
      c.execute_script(m.sql);
    } catch (...) {
      c.rollback();
      throw;
    }
    c.commit();
  }
}

TEST(PostgresCitusSchema, TheMigratedSchemaKeepsCitusRules) {
  auto tdb = test_support::make_test_database(Backend::postgres);
  if (!tdb) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto c = tdb->db->connect();
  auto bad = citus_violations(*c);
  EXPECT_TRUE(bad.empty()) << bad.size() << " violations of Citus's rules:\n" << joined(bad);
}

TEST(PostgresCitusSchema, TheCheckFindsTheViolationsOfTheSchemaBeforeMigration0029) {
  auto tdb = test_support::make_test_database(Backend::postgres, false);
  if (!tdb) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto c = tdb->db->connect();
  apply_migrations(*c, Backend::postgres, 1, 28);
  std::string all = joined(citus_violations(*c));
  EXPECT_NE(all.find("no table_distribution"), std::string::npos) << all;
  EXPECT_NE(all.find("parcel: not classified"), std::string::npos) << all;

  // Classified as 0029 classifies them, the old keys fail.
  c->execute_script(
      "CREATE TABLE table_distribution (table_name TEXT PRIMARY KEY, kind TEXT NOT NULL);"
      "INSERT INTO table_distribution VALUES ('parcel', 'distributed'), ('planting', 'distributed'),"
      "  ('app_user', 'reference'), ('job', 'distributed');");
  all = joined(citus_violations(*c));
  EXPECT_NE(all.find("parcel: distributed without a province_code column"), std::string::npos) << all;
  EXPECT_NE(all.find("parcel.parcel_pkey: primary key (id) without province_code"), std::string::npos) << all;
  EXPECT_NE(all.find("planting.planting_parcel_id_fkey: foreign key (parcel_id) -> parcel (id) between distributed "
                     "tables without province_code on both sides"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("job.job_one_active_per_kind: unique index (kind) without province_code"), std::string::npos)
      << all;

  // Rows written before 0029 get the installation's province: the province-level unit.
  c->execute_script(
      "DROP TABLE table_distribution;"
      "INSERT INTO admin_unit (code, name, name_folded, level, valid_from) VALUES ('12', 'Lai Châu', 'lai chau', "
      "'province', '2025-07-01');"
      "INSERT INTO job (kind, state, started_by, created_at) VALUES ('check', 'succeeded', 'test', "
      "'2026-12-06T00:00:00Z');");
  apply_migrations(*c, Backend::postgres, 29, 1000);
  all = joined(citus_violations(*c));
  EXPECT_EQ(all, "");
  auto rs = c->query("SELECT province_code FROM job");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs.rows[0].str("province_code"), "12");
  // New rows get it from the column's default, with no change to the INSERT.
  c->execute("INSERT INTO job (kind, state, started_by, created_at) VALUES ('other', 'queued', 'test', "
             "'2026-12-06T00:00:00Z')");
  EXPECT_EQ(c->scalar_i64("SELECT count(*) FROM job WHERE province_code = '12'"), 2);
}

// A table that a merged migration created but 0029's list does not classify would lose its
// foreign key to a distributed table without a word: the migration refuses, naming it.
TEST(PostgresCitusSchema, MigrationRefusesAnUnclassifiedTableThatReferencesADistributedOne) {
  auto tdb = test_support::make_test_database(Backend::postgres, false);
  if (!tdb) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto c = tdb->db->connect();
  apply_migrations(*c, Backend::postgres, 1, 28);
  c->execute_script("CREATE TABLE parcel_note (id BIGINT PRIMARY KEY, parcel_id BIGINT REFERENCES parcel(id));");
  try {
    apply_migrations(*c, Backend::postgres, 29, 29);
    FAIL() << "0029 applied with an unclassified table referencing parcel";
  } catch (const std::exception& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("table parcel_note is not classified in table_distribution"), std::string::npos) << what;
  }
}

// The rules themselves, each on a table made to break it.
TEST(PostgresCitusSchema, EachRuleNamesTheTableThatBreaksIt) {
  auto tdb = test_support::make_test_database(Backend::postgres);
  if (!tdb) GTEST_SKIP() << "NONGSAN_TEST_PG_URL not set";
  auto c = tdb->db->connect();
  c->execute_script(
      "CREATE TABLE stray (id BIGINT PRIMARY KEY);"
      "CREATE TABLE dist_a (id BIGINT PRIMARY KEY, province_code TEXT, code TEXT UNIQUE);"
      "CREATE TABLE dist_b (id BIGINT, province_code TEXT NOT NULL, a_id BIGINT REFERENCES dist_a(id),"
      "  PRIMARY KEY (province_code, id));"
      "CREATE UNIQUE INDEX dist_b_a ON dist_b(a_id);"
      "CREATE TABLE ref_c (id BIGINT PRIMARY KEY, province_code TEXT, b_id BIGINT);"
      "ALTER TABLE ref_c ADD CONSTRAINT ref_c_parcel FOREIGN KEY (province_code, b_id) "
      "  REFERENCES dist_b(province_code, id);"
      "INSERT INTO table_distribution VALUES ('dist_a', 'distributed'), ('dist_b', 'distributed'),"
      "  ('ref_c', 'reference');");
  auto all = joined(citus_violations(*c));
  EXPECT_NE(all.find("stray: not classified"), std::string::npos) << all;
  EXPECT_NE(all.find("dist_a: province_code may be NULL"), std::string::npos) << all;
  EXPECT_NE(all.find("dist_a.dist_a_pkey: primary key (id) without province_code"), std::string::npos) << all;
  EXPECT_NE(all.find("dist_a.dist_a_code_key: unique constraint (code) without province_code"), std::string::npos) << all;
  EXPECT_NE(all.find("dist_b.dist_b_a_id_fkey: foreign key (a_id) -> dist_a (id) between distributed tables"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("dist_b.dist_b_a: unique index (a_id) without province_code"), std::string::npos) << all;
  EXPECT_NE(all.find("ref_c.ref_c_parcel: foreign key from reference table ref_c to distributed table dist_b"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace nongsan::storage
