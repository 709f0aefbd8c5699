// The page of parcels gives each parcel its own holder and crops on the date asked:
// they are read for the whole page at once (three queries, not three per parcel), so
// this checks that nothing is mixed up between the parcels of a page.
//
// A page is read from its list's page marks (registry/parcel_page_marks.hpp) when they
// are kept: the same rows and total as counting and OFFSET give, and fresh after a write
// of this process or of another.
#include "api/api_fixture.hpp"

#include <algorithm>

#include "modules/registry/parcel_page_marks.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }

std::vector<std::string> external_ids(const std::vector<registry::Parcel>& parcels) {
  std::vector<std::string> out;
  for (const auto& p : parcels) out.push_back(p.external_id);
  return out;
}
}  // namespace

class ParcelPageApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& ext, double x, const std::string& commune = "N1",
                      const std::string& land_use = "LUC") {
    auto r = call_json("POST", "/api/v1/parcels", "prov",
                       {{"external_id", ext}, {"commune_id", id(commune)}, {"land_use_code", land_use},
                        {"valid_from", "2025-01-01"}, {"geometry", square_polygon(x, 22.01, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  std::int64_t producer(const std::string& name) {
    auto r = call_json("POST", "/api/v1/producers", "prov",
                       {{"kind", "household"}, {"name", name}, {"unit_id", id("N1")}, {"citizen_id", "012345678999"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  void right(std::int64_t p, std::int64_t holder, const char* from, const char* to = nullptr) {
    json b = {{"producer_id", holder}, {"kind", "owner"}, {"valid_from", from}};
    if (to) b["valid_to"] = to;
    auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/rights", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
  void planting(std::int64_t p, const char* crop, const char* from, const char* to = nullptr) {
    json b = {{"crop", crop}, {"start_date", from}, {"planted_area_m2", 100}};
    if (to) b["end_date"] = to;
    auto r = call_json("POST", "/api/v1/parcels/" + s(p) + "/plantings", "prov", b);
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
};

TEST_P(ParcelPageApi, EachParcelOfAPageHasItsOwnHolderAndCropsOnTheDate) {
  auto a = parcel("A", 103.01), b = parcel("B", 103.02), c = parcel("C", 103.03);
  auto first = producer("Lò Văn A"), second = producer("Tao Thị B");
  right(a, first, "2025-01-01", "2025-12-31");
  right(a, second, "2026-01-01");
  right(b, second, "2025-01-01");
  planting(a, "tea", "2025-01-01");
  planting(b, "rice", "2025-01-01", "2025-06-30");
  planting(b, "maize", "2025-07-01");
  planting(c, "cardamom", "2025-01-01");
  auto page_on = [&](const std::string& date) {
    std::map<std::string, json> by_ext;
    auto r = call("GET", "/api/v1/parcels?page_size=50&as_of=" + date, "prov");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    for (const auto& p : r.body["items"]) by_ext[p["external_id"].get<std::string>()] = p;
    return by_ext;
  };
  auto in2025 = page_on("2025-03-01");
  ASSERT_EQ(in2025.size(), 3u);
  EXPECT_EQ(in2025["A"]["holder"]["producer_id"], first);
  EXPECT_EQ(in2025["B"]["holder"]["producer_id"], second);
  EXPECT_TRUE(in2025["C"]["holder"].is_null());
  EXPECT_EQ(in2025["A"]["crops"], json::array({"tea"}));
  EXPECT_EQ(in2025["B"]["crops"], json::array({"rice"}));
  EXPECT_EQ(in2025["C"]["crops"], json::array({"cardamom"}));
  auto in2026 = page_on("2026-03-01");
  EXPECT_EQ(in2026["A"]["holder"]["producer_id"], second);
  EXPECT_EQ(in2026["B"]["crops"], json::array({"maize"}));
  // Each parcel as the detail shows it, one by one: the same holder.
  auto holder_of = [](const json& j) {
    return j.contains("holder") && j["holder"].is_object() ? j["holder"].value("producer_id", std::int64_t{0})
                                                           : std::int64_t{0};
  };
  for (auto [ext, pid] : {std::pair{"A", a}, std::pair{"B", b}, std::pair{"C", c}}) {
    auto detail = call("GET", "/api/v1/parcels/" + s(pid) + "?as_of=2026-03-01", "prov");
    EXPECT_EQ(holder_of(detail.body), holder_of(in2026[ext])) << ext;
  }
}

// Every page of a list read from the start its marks give is the page counting and
// OFFSET give, with the same total, whatever the page size, scope and filter; codes in
// natural order ("P-9" before "P-10"), upper and lower case, digits only.
TEST_P(ParcelPageApi, EveryPageFromItsMarksIsThePageAtItsOffset) {
  const std::vector<std::string> codes = {"P-10", "P-9", "P-1", "P-2", "a-3", "A-3", "B-1", "P-100", "P-20", "Z", "10", "9"};
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const bool n2 = i % 3 == 0;  // N2 lies east of N1
    parcel(codes[i], (n2 ? 103.11 : 103.0) + 0.002 * static_cast<double>(i), n2 ? "N2" : "N1", i % 4 == 0 ? "CLN" : "LUC");
  }
  app->db().read([&](storage::Connection& c) {
    std::vector<registry::ParcelQuery> lists(4);
    lists[1].units = std::unordered_set<UnitId>{UnitId(id("N1"))};
    lists[1].include_unassigned = false;
    lists[2].land_use_code = "LUC";
    lists[3].q = "p-";
    for (std::size_t l = 0; l < lists.size(); ++l)
      for (int size : {1, 2, 5, 50}) {
        auto q = lists[l];
        q.page_size = size;
        auto marks = registry::parcel_page_marks(c, q);
        std::int64_t total = -1;
        q.page = 1;
        registry::RegistryRepository::list_parcels(c, q, &total);
        ASSERT_GT(total, 0);
        EXPECT_EQ(marks.total, total) << "list " << l << ", size " << size;
        ASSERT_EQ(marks.starts.size(), static_cast<std::size_t>((total + size - 1) / size));
        for (std::size_t page = 0; page < marks.starts.size(); ++page) {
          ASSERT_TRUE(marks.starts[page]) << "list " << l << ", size " << size << ", page " << page + 1;
          q.page = static_cast<int>(page) + 1;
          auto at_offset = registry::RegistryRepository::list_parcels(c, q, nullptr);
          auto from_mark = registry::list_parcels_from(c, q, *marks.starts[page]);
          EXPECT_EQ(external_ids(from_mark), external_ids(at_offset))
              << "list " << l << ", size " << size << ", page " << page + 1;
          ASSERT_FALSE(at_offset.empty());
          EXPECT_EQ(marks.starts[page]->external_id, at_offset.front().external_id);
        }
      }
    // The start is for the order by external id only: the order by sheet pages by OFFSET.
    registry::ParcelQuery by_sheet;
    by_sheet.sort = registry::ParcelSort::sheet;
    by_sheet.page_size = 5;
    by_sheet.page = 2;
    auto at_offset = registry::RegistryRepository::list_parcels(c, by_sheet, nullptr);
    auto first = registry::parcel_page_marks(c, by_sheet).starts.at(0);
    ASSERT_TRUE(first);
    EXPECT_EQ(external_ids(registry::list_parcels_from(c, by_sheet, *first)), external_ids(at_offset));
  });
}

// Pages, a write, pages again: the total and the rows are the fresh ones, after a write
// through the API and after a write of another process (in autocommit, on a connection
// of its own) alike.
TEST_P(ParcelPageApi, APageAfterAWriteHasTheFreshTotalAndRows) {
  for (int i = 1; i <= 5; ++i) parcel("P-" + std::to_string(i), 103.0 + 0.002 * i);
  const auto before = app->registry().page_marks().stats();
  auto all_pages = [&](int size) {
    std::vector<std::string> ids;
    std::int64_t total = -1;
    for (int page = 1; page <= 4; ++page) {
      auto r = call("GET", "/api/v1/parcels?page=" + s(page) + "&page_size=" + s(size), "prov");
      EXPECT_EQ(r.status, 200) << r.body.dump();
      if (page == 1) total = r.body.value("total", std::int64_t{-1});
      EXPECT_EQ(r.body.value("total", std::int64_t{-1}), total) << "page " << page;
      for (const auto& p : r.body["items"]) ids.push_back(p["external_id"].get<std::string>());
    }
    return std::pair{total, ids};
  };
  using Pages = std::pair<std::int64_t, std::vector<std::string>>;
  EXPECT_EQ(all_pages(2), (Pages{5, {"P-1", "P-2", "P-3", "P-4", "P-5"}}));
  parcel("A-0", 103.03);
  EXPECT_EQ(all_pages(2), (Pages{6, {"A-0", "P-1", "P-2", "P-3", "P-4", "P-5"}}));
  {
    auto other = storage::open_database(tdb->location);
    auto conn = other->connect();
    EXPECT_EQ(conn->execute("UPDATE parcel SET valid_to = ? WHERE external_id = ?",
                            {std::string("2025-12-31"), std::string("P-2")}),
              1);
  }
  EXPECT_EQ(all_pages(2), (Pages{5, {"A-0", "P-1", "P-3", "P-4", "P-5"}}));
  EXPECT_EQ(all_pages(4), (Pages{5, {"A-0", "P-1", "P-3", "P-4", "P-5"}}));
  // The marks served pages 2 and 3 of each round (on PostgreSQL, whose data version is
  // the test cluster's, other suites' writes may move it between two reads and send a
  // page to counting and OFFSET instead: the answers are checked, not the count).
  const auto after = app->registry().page_marks().stats();
  if (GetParam() == storage::Backend::sqlite) {
    EXPECT_GE(after.hits - before.hits, 8u);
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ParcelPageApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ParcelPageApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("Postgres"); });

}  // namespace nongsan::api
