// Importing programmes, indicators, targets and observations (modules/targets/
// targets_import.hpp): exact headers, errors naming line and column, all or
// nothing, idempotent re-imports, revisions from later effective dates.
#include "modules/targets/targets_import.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "app/app.hpp"
#include "modules/targets/targets_repository.hpp"
#include "modules/targets/targets_service.hpp"
#include "test_support/small_province.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::targets {

namespace {
Table table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  Table t;
  t.headers = headers;
  int line = 1;
  for (const auto& r : rows) {
    TableRow row;
    row.line = ++line;
    for (std::size_t i = 0; i < headers.size() && i < r.size(); ++i) row.cells[headers[i]] = r[i];
    t.rows.push_back(row);
  }
  return t;
}

bool has(const Error& e, const std::string& field, const std::string& part) {
  for (const auto& f : e.fields)
    if (f.field == field && f.message.find(part) != std::string::npos) return true;
  return false;
}
}  // namespace

class TargetsImport : public ::testing::Test {
 protected:
  void SetUp() override {
    world = test_support::open_small_province_app();
    app = world.app.get();
    ASSERT_TRUE(run(ImportKind::programmes,
                    table({"code", "name_vi", "start", "end", "baseline_year", "milestones"},
                          {{"T", "Chương trình", "01/01/2021", "2025-12-31", "2020", "2025;2030"}})));
    ASSERT_TRUE(run(ImportKind::indicators,
                    table({"programme", "code", "name_vi", "name_en", "unit", "kind", "direction"},
                          {{"T", "A", "Diện tích", "Area", "ha", "stock", "up"},
                           {"T", "B", "Trồng mới", "New", "ha", "flow", "down"}})));
  }
  Result<ImportReport> run(ImportKind k, const Table& t) {
    return import_table(app->db(), app->admin(), identity::Actor::cli("test"), k, t, ImportSource{"file.csv", ""},
                        app->targets().settings());
  }
  std::int64_t count(const char* table) {
    return app->db().read([&](storage::Connection& c) { return c.scalar_i64(std::string("SELECT count(*) FROM ") + table); });
  }
  test_support::SmallProvinceApp world;
  app::App* app = nullptr;
};

TEST_F(TargetsImport, ProgrammesAndIndicators) {
  auto p = app->db().read([](storage::Connection& c) { return TargetsRepository::find_programme(c, "T"); });
  ASSERT_TRUE(p);
  EXPECT_EQ(p->start.iso(), "2021-01-01");
  EXPECT_EQ(p->milestones, (std::vector<int>{2025, 2030}));
  auto again = run(ImportKind::indicators, table({"programme", "code", "name_vi", "name_en", "unit", "kind", "direction"},
                                                 {{"T", "A", "Diện tích", "Area", "ha", "stock", "up"}}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 1);
  // The milestones column is optional: the end year by default.
  auto q = run(ImportKind::programmes,
               table({"code", "name_vi", "start", "end", "baseline_year"}, {{"U", "Khác", "2026-01-01", "2030-12-31", "2025"}}));
  ASSERT_TRUE(q);
  auto u = app->db().read([](storage::Connection& c) { return TargetsRepository::find_programme(c, "U"); });
  EXPECT_EQ(u->milestones, (std::vector<int>{2030}));
}

TEST_F(TargetsImport, HeadersMustMatch) {
  auto r = run(ImportKind::observations, table({"programme", "indicator", "unit_code", "year", "valeur"}, {}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error(), "line 1, column valeur", "unknown column"));
  EXPECT_TRUE(has(r.error(), "line 1, column value", "missing column"));
}

TEST_F(TargetsImport, ErrorsNameLineAndColumnAndNothingIsStored) {
  auto r = run(ImportKind::observations,
               table({"programme", "indicator", "unit_code", "year", "value", "status"},
                     {{"T", "A", "90", "2021", "12,5", ""},
                      {"T", "A", "90", "2022", "abc", ""},
                      {"T", "Z", "90", "2022", "1", ""},
                      {"T", "A", "77777", "2022", "1", ""},
                      {"T", "A", "90", "2019", "1", ""},
                      {"T", "A", "90", "2022", "-1", ""},
                      {"T", "A", "90", "2023", "1", "returned"},
                      {"X", "A", "90", "2023", "1", ""},
                      {"T", "A", "09002", "2026", "1", ""}}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error(), "line 3, column value", "is not a number"));
  EXPECT_TRUE(has(r.error(), "line 4, column indicator", "unknown indicator"));
  EXPECT_TRUE(has(r.error(), "line 5, column unit_code", "unknown administrative unit"));
  EXPECT_TRUE(has(r.error(), "line 6, column year", "before the baseline year"));
  EXPECT_TRUE(has(r.error(), "line 7, column value", "must not be negative"));
  EXPECT_TRUE(has(r.error(), "line 8, column status", "must be"));
  EXPECT_TRUE(has(r.error(), "line 9, column programme", "unknown programme"));
  EXPECT_TRUE(has(r.error(), "line 10, column unit_code", "did not exist in 2026"));
  EXPECT_EQ(count("observation"), 0);
}

TEST_F(TargetsImport, ObservationsAreIdempotentAndApprovedByDefault) {
  Table t = table({"programme", "indicator", "unit_code", "year", "value", "status"},
                  {{"T", "A", "90", "2021", "1.234,5", ""}, {"T", "A", "901", "2021", "7.5", "draft"}});
  auto r = run(ImportKind::observations, t);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 2);
  auto again = run(ImportKind::observations, t);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 2);
  auto obs = app->db().read([](storage::Connection& c) {
    return TargetsRepository::observations(c, {}, std::nullopt, nullptr);
  });
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_DOUBLE_EQ(obs[0].value, 1234.5);
  EXPECT_EQ(obs[0].status, ObservationStatus::approved);
  EXPECT_DOUBLE_EQ(obs[1].value, 7.5);
  EXPECT_EQ(obs[1].status, ObservationStatus::draft);
}

TEST_F(TargetsImport, ImportedObservationsAreCheckedAndFlagged) {
  auto r = run(ImportKind::observations,
               table({"programme", "indicator", "unit_code", "year", "value"},
                     {{"T", "A", "901", "2024", "100"},  // checked against the rows after it too
                      {"T", "A", "901", "2020", "10"},
                      {"T", "A", "901", "2021", "11"},
                      {"T", "A", "901", "2022", "12"},
                      {"T", "A", "901", "2023", "13"}}));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0].rfind("line 2: outlier", 0), 0u) << r->warnings[0];
  auto flagged = app->db().read([](storage::Connection& c) {
    return c.scalar_i64("SELECT count(*) FROM observation WHERE flags LIKE '%outlier%'");
  });
  EXPECT_EQ(flagged, 1);
}

TEST_F(TargetsImport, TargetsWithRevisions) {
  std::vector<std::string> h = {"programme", "indicator", "unit_code", "year", "value", "decision", "effective_date"};
  auto r = run(ImportKind::targets, table(h, {{"T", "A", "90", "2025", "100", "", ""},
                                              {"T", "A", "90", "2025", "120", "NQ 15", "01/03/2023"},
                                              {"T", "A", "90", "2024", "1", "", ""}}));
  ASSERT_FALSE(r);  // 2024 is not a milestone
  EXPECT_TRUE(has(r.error(), "line 4, column year", "not a milestone year"));
  EXPECT_EQ(count("target"), 0);
  r = run(ImportKind::targets, table(h, {{"T", "A", "90", "2025", "100", "", ""},
                                         {"T", "A", "90", "2025", "120", "NQ 15", "01/03/2023"}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(r->revisions, 1);
  r = run(ImportKind::targets, table(h, {{"T", "A", "90", "2025", "100", "", ""},
                                         {"T", "A", "90", "2025", "120", "NQ 15", "2023-03-01"},
                                         {"T", "A", "90", "2025", "130", "NQ 20", "2024-06-01"}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->unchanged, 2);
  EXPECT_EQ(r->revisions, 1);
  auto t = app->db().read([](storage::Connection& c) {
    auto p = TargetsRepository::find_programme(c, "T");
    auto i = TargetsRepository::find_indicator(c, p->id, "A");
    return TargetsRepository::targets(c, i->id, 2025);
  });
  ASSERT_EQ(t.size(), 1u);
  ASSERT_EQ(t[0].revisions.size(), 3u);
  EXPECT_DOUBLE_EQ(t[0].revisions[0].value, 100);
  EXPECT_FALSE(t[0].revisions[0].effective);
  EXPECT_EQ(t[0].revisions[2].decision, "NQ 20");
}

// Bad files found by mutating good ones: each problem is named by its line and
// column, and nothing is stored (a programme ending before it starts used to reach
// the database as a raw "CHECK constraint failed").
TEST_F(TargetsImport, ImpossibleProgrammesAreRefusedByLineAndStoreNothing) {
  const std::vector<std::string> h = {"code", "name_vi", "start", "end", "baseline_year", "milestones"};
  auto r = run(ImportKind::programmes, table(h, {{"OK", "Tốt", "2021-01-01", "2025-12-31", "2020", "2025"},
                                                 {"BACK", "Ngược", "2025-01-01", "2021-12-31", "2020", ""},
                                                 {"FEB", "Ngày sai", "2021-01-01", "2025-12-31", "2020", "2023-02-30"},
                                                 {"OLD", "Năm lạ", "0001-01-01", "2025-12-31", "-1", ""},
                                                 {"FAR", "Xa", "2021-01-01", "2025-12-31", "2020", "2025;9999"}}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error(), "line 3, column end", "2021-12-31 is before the start 2025-01-01")) << r.error().message;
  EXPECT_TRUE(has(r.error(), "line 4, column milestones", "'2023-02-30' is not a year"));
  EXPECT_TRUE(has(r.error(), "line 5, column start", "'0001-01-01' is outside the years 1900–2100"));
  EXPECT_TRUE(has(r.error(), "line 5, column baseline_year", "-1 is outside the years 1900–2100"));
  EXPECT_TRUE(has(r.error(), "line 6, column milestones", "9999 is outside the years 1900–2100"));
  for (const auto& f : r.error().fields) EXPECT_EQ(f.message.find("CHECK"), std::string::npos) << f.message;
  EXPECT_EQ(count("programme"), 1);  // T from the set-up; not even line 2
}

TEST_F(TargetsImport, NotAboveMustNameAnIndicatorOfTheProgramme) {
  const std::vector<std::string> h = {"programme", "code", "name_vi", "name_en", "unit", "kind", "direction", "not_above"};
  auto r = run(ImportKind::indicators, table(h, {{"T", "H", "Thu hoạch", "", "ha", "stock", "up", "NOPE"},
                                                 {"T", "S", "Tự", "", "ha", "stock", "up", "S"}}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error(), "line 2, column not_above", "no indicator 'NOPE' in programme T"));
  EXPECT_TRUE(has(r.error(), "line 3, column not_above", "cannot name the indicator itself"));
  EXPECT_EQ(count("indicator"), 2);
  // An indicator of the database, or one the same file defines further down, is fine.
  r = run(ImportKind::indicators, table(h, {{"T", "H", "Thu hoạch", "", "ha", "stock", "up", "L"},
                                            {"T", "L", "Trồng", "", "ha", "stock", "up", "A"}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 2);
}

TEST_F(TargetsImport, YearsAndDatesOutsideThePlausibleYearsAreRefused) {
  auto r = run(ImportKind::observations, table({"programme", "indicator", "unit_code", "year", "value"},
                                               {{"T", "A", "90", "-1", "1"}, {"T", "A", "90", "2101", "1"}}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(has(r.error(), "line 2, column year", "-1 is outside the years 1900–2100"));
  EXPECT_TRUE(has(r.error(), "line 3, column year", "2101 is outside the years 1900–2100"));
  auto t = run(ImportKind::targets, table({"programme", "indicator", "unit_code", "year", "value", "decision", "effective_date"},
                                          {{"T", "A", "90", "2025", "1", "", ""}, {"T", "A", "90", "2025", "2", "QĐ", "0001-01-01"}}));
  ASSERT_FALSE(t);
  EXPECT_TRUE(has(t.error(), "line 3, column effective_date", "'0001-01-01' is outside the years 1900–2100"));
  EXPECT_EQ(count("observation") + count("target"), 0);
}

// An administrator's file is the administrator's own act: it is audited once as a
// whole, with the file's name and the SHA-256 of its bytes.
TEST_F(TargetsImport, TheFileIsAuditedWithItsNameAndHash) {
  const std::string path = world.db->scratch_dir + "/obs.csv";
  std::ofstream(path) << "programme,indicator,unit_code,year,value\nT,A,90,2021,5\n";
  auto r = app->targets().import_file(identity::Actor::cli("test"), ImportKind::observations, path);
  ASSERT_TRUE(r) << r.error().message;
  auto audit = app->db().read([&](storage::Connection& c) {
    return c.query("SELECT actor, entity_id, after_json FROM audit_log WHERE entity = 'targets_file' AND entity_id = ?",
                   {path}).rows;
  });
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].str("actor"), "cli:test");
  EXPECT_EQ(audit[0].str("entity_id"), path);
  auto after = nlohmann::json::parse(audit[0].str("after_json"));
  EXPECT_EQ(after["sha256"], sha256_hex("programme,indicator,unit_code,year,value\nT,A,90,2021,5\n"));
  EXPECT_EQ(after["kind"], "observations");
  EXPECT_EQ(after["created"], 1);
}

}  // namespace nongsan::targets
