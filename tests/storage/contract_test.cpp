// The storage contract: every backend must pass the same suite. Instantiated for
// SQLite always and for PostgreSQL when NONGSAN_TEST_PG_URL names a server.
#include <filesystem>
#include <fstream>
#include <atomic>
#include <optional>
#include <thread>
#include <tuple>

#include "core/result.hpp"
#include "storage/contract_fixture.hpp"
#include "storage/id_list.hpp"

namespace nongsan::storage {

INSTANTIATE_TEST_SUITE_P(Sqlite, StorageContract, ::testing::Values(Backend::sqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, StorageContract, ::testing::Values(Backend::postgres),
                         [](const auto&) { return std::string("postgres"); });

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

TEST_P(StorageContract, QuestionMarksInLiteralsAndCommentsAreNotPlaceholders) {
  auto row = db->read([](Connection& c) {
    return c.query("SELECT 'who?' AS q, 'it''s ?' AS quoted, CAST(? AS INTEGER) AS i /* why? */, ? AS t -- or?\n",
                   {std::int64_t{7}, std::string("a?b")})
        .rows.at(0);
  });
  EXPECT_EQ(row.str("q"), "who?");
  EXPECT_EQ(row.str("quoted"), "it's ?");
  EXPECT_EQ(row.i64("i"), 7);
  EXPECT_EQ(row.str("t"), "a?b");
}

TEST_P(StorageContract, ParameterCountMismatchIsAnError) {
  EXPECT_THROW(db->read([](Connection& c) { return c.query("SELECT ? AS a, ? AS b", {std::int64_t{1}}); }), DbError);
}

TEST_P(StorageContract, BlobsDoublesAndComparisonsKeepTheirValues) {
  Blob blob{{0x00, 0x01, 0x7f, 0x80, 0xff, 0x00, 0x5c}};
  auto row = db->read([&](Connection& c) {
    return c.query("SELECT ? AS b, CAST(? AS DOUBLE PRECISION) AS tenth, CAST(? AS DOUBLE PRECISION) AS tiny, "
                   "(2 > 1) AS yes, (2 < 1) AS no",
                   {blob, 0.1, -1.2345678901234567e-300})
        .rows.at(0);
  });
  ASSERT_TRUE(std::holds_alternative<Blob>(row.at("b")));
  EXPECT_EQ(std::get<Blob>(row.at("b")).bytes, blob.bytes);
  EXPECT_EQ(row.f64("tenth"), 0.1);  // bit for bit
  EXPECT_EQ(row.f64("tiny"), -1.2345678901234567e-300);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(row.at("yes")));
  EXPECT_EQ(row.i64("yes"), 1);
  EXPECT_EQ(row.i64("no"), 0);
}

TEST_P(StorageContract, NullGeometryStaysNull) {
  auto back = db->write([](Connection& c) {
    auto id = c.query("INSERT INTO admin_unit (code, name, name_folded, level, valid_from, geom) "
                      "VALUES ('97', 'x', 'x', 'province', '2021-01-01', ?) RETURNING id",
                      {Value{Null{}}})
                  .rows.at(0)
                  .i64("id");
    return c.query("SELECT geom FROM admin_unit WHERE id = ?", {id}).rows.at(0).opt_geometry("geom");
  });
  EXPECT_FALSE(back.has_value());
}

TEST_P(StorageContract, ExecuteReportsTheRowsChanged) {
  auto changed = db->write([](Connection& c) {
    for (const char* code : {"x1", "x2", "x3"})
      c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES (?, 'v', 'e', 'ha')",
                {std::string(code)});
    return c.execute("UPDATE figure_series SET measure_unit = 'tấn' WHERE code <> ?", {std::string("x2")});
  });
  EXPECT_EQ(changed, 2);
  EXPECT_EQ(db->read([](Connection& c) {
    return c.scalar_i64("SELECT count(*) FROM figure_series WHERE measure_unit = ?", {std::string("tấn")});
  }),
            2);
}

TEST_P(StorageContract, ConstraintViolationsHaveTheirKinds) {
  auto kind_of = [&](const char* sql) {
    try {
      db->write([&](Connection& c) { c.execute(sql); });
    } catch (const DbError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no error from " << sql;
    return DbError::Kind::other;
  };
  db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('s', 's', 's', 'ha')");
  });
  EXPECT_EQ(kind_of("INSERT INTO unit_figure (series, unit_id, year, value, created_at, updated_at) "
                    "VALUES ('s', 424242, 2024, 1, 'now', 'now')"),
            DbError::Kind::foreign_key_violation);
  EXPECT_EQ(kind_of("INSERT INTO admin_unit (code, name, name_folded, level, valid_from) "
                    "VALUES ('1', 'x', 'x', 'country', '2021-01-01')"),
            DbError::Kind::constraint_violation);
  EXPECT_EQ(kind_of("INSERT INTO figure_series (code, name_vi, name_en) VALUES ('n', 'n', 'n')"),
            DbError::Kind::constraint_violation);
  EXPECT_EQ(kind_of("SELECT * FROM no_such_table"), DbError::Kind::other);
}

TEST_P(StorageContract, ConcurrentWritersAllLand) {
  constexpr int kThreads = 6, kWrites = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        try {
          db->write([&](Connection& c) {
            c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES (?, 'v', 'e', 'ha')",
                      {std::to_string(t) + "-" + std::to_string(i)});
          });
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(db->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM figure_series"); }),
            kThreads * kWrites);
}

TEST_P(StorageContract, RestoreFromABrokenBackupChangesNothing) {
  db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('old', 'o', 'o', 'ha')");
  });
  auto backup = db->backup(backup_dir + "/good" + backup_extension());
  db->write([](Connection& c) {
    c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit) VALUES ('new', 'n', 'n', 'ha')");
  });
  // A backup cut short, e.g. by a full disk while copying it.
  std::string cut = backup_dir + "/cut" + backup_extension();
  std::filesystem::copy_file(backup.path, cut);
  std::filesystem::resize_file(cut, static_cast<std::uintmax_t>(backup.bytes) * 2 / 3);
  std::string garbage = backup_dir + "/garbage" + backup_extension();
  std::ofstream(garbage) << "this is not a backup";
  EXPECT_THROW(db->restore(cut), DbError);
  EXPECT_THROW(db->restore(garbage), DbError);
  EXPECT_THROW(db->restore(backup_dir + "/missing" + backup_extension()), DbError);
  auto codes = db->read([](Connection& c) { return c.query("SELECT code FROM figure_series ORDER BY code"); });
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes.rows[0].str("code"), "new");
  EXPECT_EQ(codes.rows[1].str("code"), "old");
}

TEST_P(StorageContract, InsertRowsWritesEveryValueAsGiven) {
  // Text with the characters COPY's text format escapes, NULLs, doubles and geometry;
  // more rows than one multi-row INSERT takes.
  Geometry g{square_multipolygon_wkb(103.0, 22.0, 0.01), 4326};
  const std::string tricky = "tab\there, line\nbreak, back\\slash \\N, cr\r, Lai Châu";
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 1234; ++i)
    rows.push_back({std::string("B") + std::to_string(i), i == 7 ? tricky : std::string("đơn vị ") + std::to_string(i),
                    std::string("x"), std::string("commune"), std::string("2025-07-01"),
                    i % 2 ? Value{Null{}} : Value{0.1 * i}, i == 7 ? Value{g} : Value{Null{}}});
  auto written = db->write([&](Connection& c) {
    return c.insert_rows("admin_unit", {"code", "name", "name_folded", "level", "valid_from", "area_m2", "geom"}, rows);
  });
  EXPECT_EQ(written, 1234);
  auto back = db->read([](Connection& c) {
    return c.query("SELECT code, name, area_m2, geom FROM admin_unit WHERE code LIKE 'B%' ORDER BY id");
  });
  ASSERT_EQ(back.rows.size(), 1234u);
  EXPECT_EQ(back.rows[7].str("name"), tricky);
  ASSERT_TRUE(back.rows[7].opt_geometry("geom").has_value());
  EXPECT_EQ(back.rows[7].opt_geometry("geom")->wkb, g.wkb);
  EXPECT_EQ(back.rows[7].opt_geometry("geom")->srid, 4326);
  EXPECT_FALSE(back.rows[8].opt_geometry("geom").has_value());
  EXPECT_FALSE(back.rows[1].opt_f64("area_m2").has_value());
  EXPECT_EQ(back.rows[1000].opt_f64("area_m2"), 0.1 * 1000);  // bit for bit
  EXPECT_EQ(back.rows[1233].str("code"), "B1233");
}

TEST_P(StorageContract, InsertRowsWithABadRowWritesNothing) {
  std::vector<std::vector<Value>> rows(600, std::vector<Value>{std::string("a"), std::string("b"), std::string("b"),
                                                               std::string("ha")});
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i][0] = std::string("s") + std::to_string(i);
  rows[550] = {std::string("short")};  // one value for three columns
  EXPECT_THROW(db->write([&](Connection& c) {
    return c.insert_rows("figure_series", {"code", "name_vi", "name_en", "measure_unit"}, rows);
  }),
               DbError);
  rows[550] = {std::string("s0"), std::string("b"), std::string("b"), std::string("ha")};  // a duplicate code: the constraint refuses
  EXPECT_THROW(db->write([&](Connection& c) {
    return c.insert_rows("figure_series", {"code", "name_vi", "name_en", "measure_unit"}, rows);
  }),
               DbError);
  EXPECT_EQ(db->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM figure_series"); }), 0);
}

TEST_P(StorageContract, EachRowReadsWhatQueryReads) {
  Geometry g{square_multipolygon_wkb(103.0, 22.0, 0.01), 4326};
  db->write([&](Connection& c) {
    c.insert_rows("admin_unit", {"code", "name", "name_folded", "level", "valid_from", "valid_to", "area_m2", "geom"},
                  {{std::string("01"), std::string("Lai Châu"), std::string("lai chau"), std::string("province"),
                    std::string("2004-01-01"), Value{Null{}}, 9.07e9, g},
                   {std::string("0101"), std::string("Tam Đường"), std::string("tam duong"), std::string("district"),
                    std::string("2004-01-01"), std::string("2025-06-30"), Value{Null{}}, Value{Null{}}}});
  });
  const std::string sql =
      "SELECT id, code, valid_from, valid_to, area_m2, geom, (area_m2 > 1) AS big FROM admin_unit ORDER BY id";
  auto expected = db->read([&](Connection& c) { return c.query(sql); });
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::optional<std::string>, std::optional<double>,
                         std::optional<Geometry>, std::optional<std::int64_t>>>
      streamed;
  db->read([&](Connection& c) {
    c.each_row(sql, {}, [&](const RowView& r) {
      streamed.emplace_back(r.i64(0), r.str(1), r.date(2).iso(),
                            r.opt_date(3) ? std::optional<std::string>(r.date(3).iso()) : std::nullopt, r.opt_f64(4),
                            r.opt_geometry(5), r.opt_i64(6));
    });
  });
  ASSERT_EQ(streamed.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& row = expected.rows[i];
    EXPECT_EQ(std::get<0>(streamed[i]), row.i64("id"));
    EXPECT_EQ(std::get<1>(streamed[i]), row.str("code"));
    EXPECT_EQ(std::get<2>(streamed[i]), row.date("valid_from").iso());
    EXPECT_EQ(std::get<3>(streamed[i]), row.opt_date("valid_to") ? std::optional(row.date("valid_to").iso()) : std::nullopt);
    EXPECT_EQ(std::get<4>(streamed[i]), row.opt_f64("area_m2"));
    EXPECT_EQ(std::get<6>(streamed[i]), row.opt_i64("big"));
  }
  EXPECT_EQ(std::get<3>(streamed[1]), std::optional<std::string>("2025-06-30"));
  ASSERT_TRUE(std::get<5>(streamed[0]).has_value());
  EXPECT_EQ(std::get<5>(streamed[0])->wkb, g.wkb);
  EXPECT_EQ(std::get<5>(streamed[0])->srid, 4326);
  EXPECT_FALSE(std::get<5>(streamed[1]).has_value());
  EXPECT_EQ(std::get<6>(streamed[0]), std::optional<std::int64_t>(1));
  // A column read as what it is not is an error, never a made-up value.
  EXPECT_ANY_THROW(db->read([&](Connection& c) {
    c.each_row("SELECT code FROM admin_unit", {}, [](const RowView& r) { (void)r.date(0); });
  }));
}

TEST_P(StorageContract, IdListNamesExactlyTheGivenIds) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 3000; ++i)
    rows.push_back({std::string("c") + std::to_string(i), std::string("x"), std::string("x"), std::string("commune"),
                    std::string("2025-07-01")});
  db->write([&](Connection& c) {
    c.insert_rows("admin_unit", {"code", "name", "name_folded", "level", "valid_from"}, rows);
  });
  auto ids = db->read([](Connection& c) {
    std::vector<std::int64_t> all;
    c.each_row("SELECT id FROM admin_unit ORDER BY id", {}, [&](const RowView& r) { all.push_back(r.i64(0)); });
    return all;
  });
  ASSERT_EQ(ids.size(), 3000u);
  std::vector<std::int64_t> wanted;
  for (std::size_t i = 0; i < ids.size(); i += 3) wanted.push_back(ids[i]);
  wanted.push_back(-5);  // no such id: names nothing
  auto count = [&](const std::vector<std::int64_t>& list) {
    return db->read([&](Connection& c) {
      auto in = id_in(c.backend(), "id", list);
      return c.scalar_i64("SELECT count(*) FROM admin_unit WHERE " + in.sql, {in.param});
    });
  };
  static_assert(kIdsPlannedAsParameter < 1000, "the long list below must take the long form");
  EXPECT_EQ(count(wanted), 1000);
  EXPECT_EQ(count({ids[0], ids[7], -5}), 2);  // a short list: the other form
  EXPECT_EQ(count({}), 0);
}

}  // namespace nongsan::storage
