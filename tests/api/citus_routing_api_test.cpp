// The hot paths' statements are routable by province on Citus (docs/scale-out.md,
// "Queries by province"): each use case a commune officer or a QR-code scan waits for
// is run through the API on PostgreSQL with the statements recorded
// (storage::StatementLog), and every statement that reads, changes or deletes rows of a
// distributed table (the list in `table_distribution`, migration 0029) must filter each
// of those tables by `province_code` equal to a parameter or a constant, and join two
// distributed tables on `province_code` as well. Citus sends such a statement to the one
// shard of that province (a router query); without the filter it asks every shard.
//
// The inspector reads SQL text, not a plan; its limits (docs/scale-out.md): it finds
// tables after FROM, JOIN, UPDATE and DELETE FROM (and comma lists after FROM), takes
// the word after a table as its alias unless it is a keyword, and looks for
// `alias.province_code = $n` (or `= '…'`) anywhere in the statement: it does not know
// which subquery a predicate belongs to, nor whether it is under an OR, nor that two
// filters name the same value. A CROSS JOIN (written where SQLite's join order must be
// forced) has no ON clause to check: it passes when each side is filtered, which Citus
// routes to one shard when the values are the same province. An INSERT's target and
// COPY need no filter: the row's province comes from the column's default.
#include <regex>
#include <set>

#include "api/api_fixture.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/targets/registry_reads.hpp"
#include "storage/statement_log.hpp"

namespace nongsan::api {

namespace {

std::string s(std::int64_t v) { return std::to_string(v); }

// Lower case outside string literals, literals reduced to '…', comments removed,
// white space collapsed.
std::string normalise(std::string_view sql) {
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (ch == '\'') {
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '\'' && j + 1 < sql.size() && sql[j + 1] == '\'') {
          j += 2;
        } else if (sql[j] == '\'') {
          break;
        } else {
          ++j;
        }
      }
      out += "'s'";
      i = j;
    } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      out += ' ';
    } else if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

struct TableRef {
  std::string table;
  std::string name;  // the alias, or the table's own name
  bool joined = false;
  bool cross = false;  // CROSS JOIN: no ON clause to check
  std::size_t at = 0;  // where the reference ends in the normalised text
};

bool is_keyword(const std::string& w) {
  static const std::set<std::string> k = {
      "where",     "join",      "left",   "right",  "inner", "outer", "full",    "cross",  "natural",
      "on",        "using",     "set",    "group",  "order", "limit", "offset",  "union",  "except",
      "intersect", "returning", "having", "window", "for",   "as",    "lateral", "values", "select",
      "and",       "or",        "not",    "is",     "in",    "when",  "then",    "else",   "end"};
  return k.count(w) > 0;
}

std::vector<TableRef> table_refs(const std::string& q) {
  std::vector<TableRef> refs;
  static const std::regex head(
      R"(\b(from|join|update|delete from)\s+([a-z_][a-z0-9_]*)(\s+(as\s+)?([a-z_][a-z0-9_]*))?)");
  static const std::regex more(R"(^\s*,\s*([a-z_][a-z0-9_]*)(\s+(as\s+)?([a-z_][a-z0-9_]*))?)");
  for (auto it = std::sregex_iterator(q.begin(), q.end(), head); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    TableRef r;
    r.table = m[2];
    std::string alias = m[5];
    r.name = !alias.empty() && !is_keyword(alias) ? alias : r.table;
    r.joined = m[1] == "join";
    const auto start = static_cast<std::size_t>(m.position(0));
    r.cross = r.joined && start >= 6 && q.compare(start - 6, 6, "cross ") == 0;
    r.at = static_cast<std::size_t>(m.position(0) +
                                    (alias.empty() || is_keyword(alias) ? m.position(3) - m.position(0) : m.length(0)));
    refs.push_back(r);
    if (m[1] != "from") continue;
    // FROM a x, b y: the comma list.
    std::size_t pos = static_cast<std::size_t>(m.position(0) + m.length(0));
    if (!alias.empty() && is_keyword(alias)) continue;
    std::smatch c;
    while (pos < q.size() && std::regex_search(q.cbegin() + static_cast<std::ptrdiff_t>(pos), q.cend(), c, more)) {
      TableRef extra;
      extra.table = c[1];
      std::string a = c[4];
      extra.name = !a.empty() && !is_keyword(a) ? a : extra.table;
      pos += static_cast<std::size_t>(c.length(0));
      extra.at = pos;
      refs.push_back(extra);
      if (!a.empty() && is_keyword(a)) break;
    }
  }
  return refs;
}

bool filters_by_province(const std::string& q, const std::string& name, bool only_one) {
  const std::string qual = "(?:^|[^a-z0-9_.])" + name + R"(\.province_code)";
  const std::string value = R"((?:\$[0-9]+|'s'))";
  if (std::regex_search(q, std::regex(qual + R"(\s*=\s*)" + value)) ||
      std::regex_search(q, std::regex(value + R"(\s*=\s*)" + name + R"(\.province_code)")))
    return true;
  if (!only_one) return false;
  return std::regex_search(q, std::regex(R"((?:^|[^a-z0-9_.])province_code\s*=\s*)" + value)) ||
         std::regex_search(q, std::regex(value + R"(\s*=\s*province_code)"));
}

// The ON clause after a JOIN: up to the next JOIN, WHERE, GROUP, ORDER or LIMIT.
std::string on_clause(const std::string& q, std::size_t from) {
  static const std::regex stop(R"(\b(join|where|group by|order by|limit|union)\b)");
  std::smatch m;
  auto begin = q.cbegin() + static_cast<std::ptrdiff_t>(from);
  if (std::regex_search(begin, q.cend(), m, stop)) return std::string(begin, begin + m.position(0));
  return std::string(begin, q.cend());
}

}  // namespace

// What is wrong with `sql` for Citus (empty when nothing): each distributed table read,
// changed or deleted without `province_code = <parameter or constant>`, each JOIN of two
// distributed tables not on province_code.
std::vector<std::string> routing_problems(std::string_view sql, const std::set<std::string>& distributed) {
  std::vector<std::string> problems;
  std::string q = normalise(sql);
  if (q.rfind("copy ", 0) == 0) return problems;
  auto refs = table_refs(q);
  std::vector<TableRef> dist;
  for (auto& r : refs)
    if (distributed.count(r.table)) dist.push_back(r);
  for (const auto& r : dist) {
    if (!filters_by_province(q, r.name, dist.size() == 1))
      problems.push_back(r.table + (r.name != r.table ? " " + r.name : "") + ": no province_code filter");
    if (r.joined && !r.cross && dist.size() > 1 && on_clause(q, r.at).find("province_code") == std::string::npos)
      problems.push_back(r.table + (r.name != r.table ? " " + r.name : "") + ": joined without province_code");
  }
  return problems;
}

TEST(CitusRoutingInspector, FindsEachDistributedTableWithoutItsFilter) {
  std::set<std::string> d = {"parcel", "planting", "land_right"};
  EXPECT_TRUE(routing_problems("SELECT 1 FROM admin_unit WHERE id = $1", d).empty());
  EXPECT_TRUE(routing_problems("INSERT INTO parcel (a) VALUES ($1)", d).empty());
  EXPECT_TRUE(routing_problems("COPY parcel (a) FROM STDIN", d).empty());
  EXPECT_TRUE(routing_problems("SELECT * FROM parcel WHERE id = $1 AND province_code = $2", d).empty());
  EXPECT_TRUE(routing_problems("SELECT * FROM parcel p WHERE p.province_code = '12'", d).empty());
  EXPECT_EQ(routing_problems("SELECT * FROM parcel WHERE id = $1", d).size(), 1u);
  EXPECT_EQ(routing_problems("UPDATE parcel SET state = $1 WHERE id = $2", d).size(), 1u);
  EXPECT_EQ(routing_problems("DELETE FROM planting WHERE id = $1", d).size(), 1u);
  // A comment or a literal naming the column is not a filter.
  EXPECT_EQ(
      routing_problems("SELECT * FROM parcel WHERE note = 'province_code = $1' -- province_code = $1\n", d).size(), 1u);
  // Two tables: each needs its own filter, and the join its province_code.
  EXPECT_TRUE(routing_problems("SELECT * FROM parcel p JOIN planting t ON t.province_code = p.province_code AND "
                               "t.parcel_id = p.id WHERE p.province_code = $1 AND t.province_code = $1",
                               d)
                  .empty());
  auto join_on_id = routing_problems(
      "SELECT * FROM parcel p JOIN planting t ON t.parcel_id = p.id WHERE p.province_code = $1 AND t.province_code = "
      "$1",
      d);
  ASSERT_EQ(join_on_id.size(), 1u);
  EXPECT_EQ(join_on_id[0], "planting t: joined without province_code");
  EXPECT_EQ(routing_problems("SELECT * FROM parcel p, land_right r WHERE p.province_code = $1", d).size(), 1u);
  EXPECT_TRUE(routing_problems("SELECT * FROM (SELECT x.parcel_id FROM land_right x WHERE x.province_code = $1) ids "
                               "CROSS JOIN parcel p WHERE p.province_code = $2 AND p.id = ids.parcel_id",
                               d)
                  .empty());
  EXPECT_EQ(routing_problems("SELECT * FROM (SELECT x.parcel_id FROM land_right x) ids CROSS JOIN parcel p WHERE "
                             "p.province_code = $1 AND p.id = ids.parcel_id",
                             d)
                .size(),
            1u);
  EXPECT_EQ(routing_problems("SELECT * FROM parcel p WHERE p.province_code = $1 AND p.id IN (SELECT parcel_id FROM "
                             "land_right r WHERE r.producer_id = $2)",
                             d)
                .size(),
            1u);
}

class CitusRoutingApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!app) return;
    app->db().read([&](storage::Connection& c) {
      for (const auto& row : c.query("SELECT table_name FROM table_distribution WHERE kind = 'distributed'").rows)
        distributed.insert(row.str("table_name"));
    });
    ASSERT_GT(distributed.size(), 50u);
    for (const char* u : {"prov", "n1o", "admin"}) token(u);  // logins are not a hot path of a province's data
  }

  std::int64_t parcel(const std::string& ext, const char* unit, double x) {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext},
                        {"commune_id", id(unit)},
                        {"valid_from", "2020-01-01"},
                        {"land_use_code", "LUC"},
                        {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t producer(const std::string& name, const char* unit) {
    auto r =
        call_json("POST", "/api/v1/producers", "prov", {{"kind", "household"}, {"name", name}, {"unit_id", id(unit)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  void owner(std::int64_t parcel_id, std::int64_t producer_id) {
    auto r = call_json("POST", "/api/v1/parcels/" + s(parcel_id) + "/rights", "prov",
                       {{"producer_id", producer_id}, {"kind", "owner"}, {"valid_from", "2020-01-01"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
  void plant(std::int64_t parcel_id) {
    auto r = call_json("POST", "/api/v1/parcels/" + s(parcel_id) + "/plantings", "prov",
                       {{"crop", "tea"}, {"start_date", "2020-01-01"}, {"planted_area_m2", 1000}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }

  // Runs `use_case` with the statements recorded; fails naming each statement that
  // Citus could not route to one province's shard.
  template <typename Fn>
  void expect_routed(const std::string& what, Fn&& use_case) {
    std::vector<std::string> seen;
    {
      storage::StatementLog log;
      use_case();
      seen = log.statements();
    }
    ASSERT_FALSE(seen.empty()) << what;
    std::set<std::string> reported;
    int touching = 0;
    for (const auto& sql : seen) {
      auto refs = table_refs(normalise(sql));
      bool touches = false;
      for (const auto& r : refs) touches = touches || distributed.count(r.table) > 0;
      touching += touches ? 1 : 0;
      auto problems = routing_problems(sql, distributed);
      if (problems.empty() || !reported.insert(sql).second) continue;
      std::string all;
      for (const auto& p : problems) all += "\n  - " + p;
      ADD_FAILURE() << what << ": a statement Citus would send to every shard:\n" << sql << all;
    }
    EXPECT_GT(touching, 0) << what << ": no statement read a distributed table; the use case did not run";
  }

  std::set<std::string> distributed;
};

TEST_P(CitusRoutingApi, ThePageOfParcelsAndAParcelsDetail) {
  auto p = parcel("P-1", "N1", 103.01);
  owner(p, producer("Lò Văn Minh", "N1"));
  plant(p);
  expect_routed("the page of parcels", [&] {
    auto r = call("GET", "/api/v1/parcels?page_size=20", "n1o");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    ASSERT_EQ(r.body["items"].size(), 1u);
  });
  expect_routed("a parcel's detail", [&] {
    auto r = call("GET", "/api/v1/parcels/" + s(p), "n1o");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["holder"]["name"], "Lò Văn Minh");
  });
}

TEST_P(CitusRoutingApi, SavingAParcelCreatedAndEdited) {
  std::int64_t p = 0;
  expect_routed("a new parcel", [&] { p = parcel("P-2", "N1", 103.02); });
  expect_routed("a parcel's attributes edited", [&] {
    auto r = call_json("PATCH", "/api/v1/parcels/" + s(p), "n1o", {{"land_use_code", "CLN"}, {"sheet_no", "12"}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
  });
}

TEST_P(CitusRoutingApi, ADiaryEntry) {
  auto p = parcel("P-3", "N1", 103.03);
  plant(p);
  expect_routed("a diary entry", [&] {
    auto r = call_json(
        "POST", "/api/v1/diary/entries", "n1o",
        {{"parcel_id", p}, {"date", "2025-04-12"}, {"kind", "harvest"}, {"quantity_kg", 100}, {"lot", "L-1"}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  });
}

TEST_P(CitusRoutingApi, ASupportApplicationAndOneStepOfItsLifeCycle) {
  json policy = {{"code", "TEA"},
                 {"version", "2021-03-22"},
                 {"name_vi", "Hỗ trợ trồng mới chè"},
                 {"content", "tea"},
                 {"item", "area"},
                 {"rate", 15000000},
                 {"one_time", true},
                 {"requires", {{"controller", true}}},
                 {"conditions", "claimed_ha >= 0.3"},
                 {"illustrative", true}};
  ASSERT_EQ(call_json("POST", "/api/v1/support/policies", "prov", policy).status, 201);
  auto p = parcel("P-4", "N1", 103.04);
  auto h = producer("Lò Văn Minh", "N1");
  owner(p, h);
  std::int64_t application = 0;
  expect_routed("a support application's entry", [&] {
    auto r = call_json("POST", "/api/v1/support/applications", "n1o",
                       {{"code", "A-1"},
                        {"policy", "TEA"},
                        {"applicant_id", h},
                        {"filed", "2024-03-01"},
                        {"items", json::array({{{"parcel_id", p}, {"quantity", 1.0}}})}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
    application = r.body.value("id", std::int64_t{0});
  });
  expect_routed("a support application's verification", [&] {
    auto r =
        call_json("POST", "/api/v1/support/applications/" + s(application) + "/steps", "n1o", {{"step", "verify"}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
  });
}

TEST_P(CitusRoutingApi, ThePublicPageOfALot) {
  auto cli = identity::Actor::cli("test");
  diary::ImportTable products;
  products.headers = {"product", "name", "active_ingredients", "registered_from", "registered_to"};
  diary::ImportRow row;
  row.line = 2;
  row.cells = {{"product", "ABA"},
               {"name", "Abamectin"},
               {"active_ingredients", "abamectin"},
               {"registered_from", "2020-01-01"},
               {"registered_to", ""}};
  products.rows.push_back(row);
  ASSERT_TRUE(app->diary().import_products(cli, products, "test"));
  auto p = parcel("P-5", "N1", 103.05);
  plant(p);
  auto r =
      call_json("POST", "/api/v1/diary/entries", "prov",
                {{"parcel_id", p}, {"date", "2025-04-12"}, {"kind", "harvest"}, {"quantity_kg", 100}, {"lot", "L-OK"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  const std::string gtin = "8930000000019";  // illustrative (GS1 prefix 893, assigned to no one)
  ASSERT_TRUE(app->trace().set_gtin(cli, gtin, "tea", "Chè búp tươi", "Fresh tea shoots", true));
  expect_routed("the public page of a lot (a QR-code scan)", [&] {
    Request q;
    q.method = "GET";
    q.target = "/01/0" + gtin + "/10/L-OK";
    q.headers["accept-language"] = "vi";
    q.headers["host"] = "nongsan.test";
    auto page = raw(q);
    ASSERT_EQ(page.status, 200) << page.raw.body;
    EXPECT_NE(page.raw.body.find("L-OK"), std::string::npos);
  });
}

// Not a hot path as a whole (the review's other reads are batch reads, docs/scale-out.md
// "What is not done"), but its PostgreSQL-only read of the owners of leased land, a
// lookup of land_right in land_right and in producer, is routed to the province's shard
// with its lookups co-located; and gives the owner, their unit and both rights' dates.
TEST_P(CitusRoutingApi, TheReviewsReadOfTheOwnersOfLeasedLand) {
  auto p = parcel("P-6", "N1", 103.06);
  auto owner_id = producer("Lò Văn Minh", "N1"), lessee_id = producer("Tao Thị Lan", "N2");
  owner(p, owner_id);
  auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov",
                     {{"producer_id", lessee_id}, {"kind", "lessee"}, {"valid_from", "2022-03-01"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  std::vector<std::string> rows;
  expect_routed("the review's owners of leased land", [&] {
    app->db().read([&](storage::Connection& c) {
      targets::RegistryReads::each_owner_lease(c, CivilDate::parse("2025-12-31").value(),
                                               [&](const storage::RowView& row) {
                                                 auto day = [&](std::size_t i) {
                                                   auto d = row.opt_date(i);
                                                   return d ? d->iso() : std::string();
                                                 };
                                                 rows.push_back(std::to_string(row.i64(0)) + " " +
                                                                std::to_string(row.i64(1)) + " " + day(2) + " " +
                                                                day(3) + " " + day(4) + " " + day(5));
                                               });
    });
  });
  EXPECT_EQ(rows, std::vector<std::string>{s(owner_id) + " " + s(id("N1")) + " 2020-01-01  2022-03-01 "});
}

INSTANTIATE_TEST_SUITE_P(Postgres, CitusRoutingApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("Postgres"); });

}  // namespace nongsan::api
