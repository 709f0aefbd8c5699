// Capture and query through the service on a real database: every GS1 example document
// is captured and queried back with every event's hash unchanged; a document with one
// bad event stores nothing and names it; capturing again changes nothing.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "modules/epcis/epcis_service.hpp"
#include "modules/epcis/event_hash.hpp"
#include "modules/epcis/event_index.hpp"
#include "test_support/test_database.hpp"

namespace nongsan::epcis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
const fs::path kData = fs::path(NONGSAN_DATA_DIR) / ".." / "tests" / "data" / "epcis";

json load(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::multiset<std::string> hashes_of(const json& doc) {
  std::multiset<std::string> out;
  auto ctx = hash_context(doc);
  for (const auto& e : *document_events(doc)) out.insert(event_hash(e, ctx));
  return out;
}

// Both backends: PostgreSQL when NONGSAN_TEST_PG_URL names a cluster (run by hand with
// scripts/pg-test-cluster.sh; skipped otherwise).
class EpcisCapture : public ::testing::TestWithParam<storage::Backend> {};

std::int64_t count(storage::Database& db) {
  return db.read([](storage::Connection& c) { return c.scalar_i64("SELECT COUNT(*) FROM epcis_event"); });
}

TEST_P(EpcisCapture, EveryGs1ExampleIsCapturedAndQueriedBackWithItsHashes) {
  auto t = test_support::make_test_database(GetParam());
  if (!t) GTEST_SKIP() << "PostgreSQL: NONGSAN_TEST_PG_URL is not set";
  EpcisService svc(*t->db);
  auto actor = identity::Actor::cli("test");
  int documents = 0;
  for (const auto& entry : fs::directory_iterator(kData / "gs1-examples")) {
    ++documents;
    json doc = load(entry.path());
    auto job = svc.capture(actor, doc, entry.path().filename().string());
    ASSERT_TRUE(job) << entry.path().filename() << ": " << job.error().message << " "
                     << (job.error().fields.empty() ? "" : job.error().fields[0].field + " " + job.error().fields[0].message);
    // Query back by event hash (EQ_eventID does not serve: the examples' eventIDs are not their hashes).
    auto want = hashes_of(doc);
    EventFilter all;
    all.per_page = 100000;
    auto page = svc.query(actor, all);
    ASSERT_TRUE(page);
    auto back = EpcisService::query_document(*page);
    auto stored = hashes_of(back);
    for (const auto& h : want) EXPECT_TRUE(stored.count(h)) << entry.path().filename() << " lost " << h;
  }
  EXPECT_GE(documents, 45);
}

TEST_P(EpcisCapture, QueryDocumentHashesAsTheCapturedEvents) {
  auto t = test_support::make_test_database(GetParam());
  if (!t) GTEST_SKIP() << "PostgreSQL: NONGSAN_TEST_PG_URL is not set";
  EpcisService svc(*t->db);
  auto actor = identity::Actor::cli("test");
  json doc = load(kData / "hash-vectors" / "epcisDocWithCustomSchemaInContext.jsonld");
  ASSERT_TRUE(svc.capture(actor, doc, "x"));
  EventFilter all;
  auto page = svc.query(actor, all);
  ASSERT_TRUE(page);
  EXPECT_EQ(hashes_of(EpcisService::query_document(*page)), hashes_of(doc));  // with the user's namespace
}

TEST_P(EpcisCapture, CapturingAgainChangesNothing) {
  auto t = test_support::make_test_database(GetParam());
  if (!t) GTEST_SKIP() << "PostgreSQL: NONGSAN_TEST_PG_URL is not set";
  EpcisService svc(*t->db);
  auto actor = identity::Actor::cli("test");
  json doc = load(kData / "gs1-examples" / "Example_9.6.1-ObjectEvent.jsonld");
  auto first = svc.capture(actor, doc, "a");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->captured, 2);
  auto second = svc.capture(actor, doc, "a");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->captured, 0);
  EXPECT_EQ(second->already_present, 2);
  EXPECT_EQ(count(*t->db), 2);
}

TEST_P(EpcisCapture, OneBadEventStoresNothingAndIsNamed) {
  auto t = test_support::make_test_database(GetParam());
  if (!t) GTEST_SKIP() << "PostgreSQL: NONGSAN_TEST_PG_URL is not set";
  EpcisService svc(*t->db);
  auto actor = identity::Actor::cli("test");
  json doc = load(kData / "gs1-examples" / "Example_9.6.1-ObjectEvent.jsonld");
  auto& events = doc["epcisBody"]["eventList"];
  events[1]["eventTime"] = "2005-04-04T20:33:31";  // no time zone
  events[1]["eventID"] = "urn:uuid:bad-one";
  auto job = svc.capture(actor, doc, "bad");
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, ErrorCode::invalid_input);
  bool named = false;
  for (const auto& f : job.error().fields) named = named || (f.field.find("event 1 (eventID urn:uuid:bad-one)") != std::string::npos);
  EXPECT_TRUE(named);
  EXPECT_EQ(count(*t->db), 0);
  // An aggregation that adds without its parent (EPCIS 2.0 §7.4.3) is refused too.
  json agg = load(kData / "gs1-examples" / "Example_9.6.3-AggregationEvent.jsonld");
  agg["epcisBody"]["eventList"][0].erase("parentID");
  agg["epcisBody"]["eventList"][0]["action"] = "ADD";
  EXPECT_FALSE(svc.capture(actor, agg, "agg"));
  EXPECT_EQ(count(*t->db), 0);
}

TEST_P(EpcisCapture, FiltersWithTheStandardsNames) {
  auto t = test_support::make_test_database(GetParam());
  if (!t) GTEST_SKIP() << "PostgreSQL: NONGSAN_TEST_PG_URL is not set";
  EpcisService svc(*t->db);
  auto actor = identity::Actor::cli("test");
  ASSERT_TRUE(svc.capture(actor, load(kData / "hash-vectors" / "epcisDocWithVariousEventTypes.jsonld"), "v"));
  auto run = [&](std::vector<std::pair<std::string, std::string>> params) {
    auto f = parse_event_filter(params);
    EXPECT_TRUE(f) << (f ? "" : f.error().fields.at(0).field);
    auto p = svc.query(actor, *f);
    return p ? p->events.size() : 9999;
  };
  EXPECT_EQ(run({}), 13u);
  EXPECT_EQ(run({{"eventType", "AggregationEvent"}}), 4u);
  EXPECT_EQ(run({{"EQ_bizStep", "packing"}}), 2u);
  EXPECT_EQ(run({{"EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-packing"}}), 2u);       // full URI alike
  EXPECT_EQ(run({{"EQ_bizStep", "urn:epcglobal:cbv:bizstep:packing"}}), 2u);            // CBV 1.x URN alike
  EXPECT_EQ(run({{"MATCH_parentID", "urn:epc:id:sscc:4047023.0111111122"}}), 1u);
  EXPECT_EQ(run({{"MATCH_epc", "urn:epc:idpat:sgtin:4047023.077551.*"}}), 1u);        // pattern over childEPCs
  EXPECT_EQ(run({{"MATCH_anyEPCClass", "urn:epc:class:lgtin:4054739.099914.20160711"}}), 1u);
  EXPECT_EQ(run({{"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"}}), 2u);  // two events name it
  EXPECT_EQ(run({{"GE_eventTime", "2019-10-21T12:00:00Z"}, {"LT_eventTime", "2019-10-21T13:00:00Z"}}), 6u);  // counted independently from the document
  EXPECT_EQ(run({{"EQ_ILMD_https://ns.example.com/epcis/batch", "4711"}}), 1u);
  // Identifier filters together: the first drives the query, the others narrow it, and
  // the column filters apply on top (epcis_repository.cpp).
  EXPECT_EQ(run({{"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"}, {"eventType", "ObjectEvent"}}),
            run({{"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"}}) -
                run({{"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"},
                     {"eventType", "AggregationEvent|TransactionEvent|TransformationEvent|AssociationEvent"}}));
  EXPECT_EQ(run({{"MATCH_parentID", "urn:epc:id:sscc:4047023.0111111122"}, {"EQ_bizStep", "no-such-step"}}), 0u);
  EXPECT_EQ(run({{"MATCH_epc", "urn:epc:idpat:sgtin:4047023.077551.*"},
                 {"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"}}),
            0u);
  EXPECT_EQ(run({{"MATCH_anyEPCClass", "urn:epc:class:lgtin:4054739.099914.20160711"},
                 {"MATCH_anyEPCClass", "urn:epc:class:lgtin:4054739.099914.20160711"}}),
            1u);
  {
    // Paging through the events of one transaction, one a page: both, once each.
    auto g = parse_event_filter({{"EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4012345123456:RE1099"}, {"perPage", "1"}});
    ASSERT_TRUE(g);
    auto a = svc.query(actor, *g);
    ASSERT_TRUE(a);
    ASSERT_EQ(a->events.size(), 1u);
    ASSERT_FALSE(a->next_page_token.empty());
    g->after = a->next_page_token;
    auto b = svc.query(actor, *g);
    ASSERT_TRUE(b);
    ASSERT_EQ(b->events.size(), 1u);
    EXPECT_NE(a->events[0].hash, b->events[0].hash);
    EXPECT_TRUE(b->next_page_token.empty());
  }
  // Paging: two pages of 10 and 3, the token carries on where the first ended.
  auto f = parse_event_filter({{"perPage", "10"}});
  ASSERT_TRUE(f);
  auto p1 = svc.query(actor, *f);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->events.size(), 10u);
  ASSERT_FALSE(p1->next_page_token.empty());
  f->after = p1->next_page_token;
  auto p2 = svc.query(actor, *f);
  ASSERT_TRUE(p2);
  EXPECT_EQ(p2->events.size(), 3u);
  EXPECT_TRUE(p2->next_page_token.empty());
  EXPECT_FALSE(parse_event_filter({{"EQ_nonsense", "x"}}));
  EXPECT_FALSE(parse_event_filter({{"GE_eventTime", "yesterday"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, EpcisCapture, ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const auto& info) { return info.param == storage::Backend::sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace nongsan::epcis
