// The read cache of GET answers (api/read_cache.hpp, docs/adr/0017-read-cache.md):
// an answer is served again only to the principal it was computed for, and a commit
// of anyone — through the API, on another connection of another process, on either
// backend — makes it go. A kept answer is served on the server's I/O thread
// (Api::handle_inline), so it comes while the pool's threads wait on the database.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "api/api_fixture.hpp"
#include "api/openapi.hpp"
#include "api/router.hpp"
#include "api/services.hpp"
#include "modules/registry/registry_scope_key.hpp"
#include "storage/database.hpp"

namespace nongsan::api {

namespace {
std::string s(std::int64_t v) { return std::to_string(v); }
}  // namespace

class ReadCacheApi : public ApiTest {
 protected:
  std::int64_t parcel(const std::string& user, const std::string& ext, const char* unit, double x, double y) {
    auto r = call_json("POST", "/api/v1/parcels", user,
                       {{"external_id", ext}, {"commune_id", id(unit)}, {"land_use_code", "LUC"},
                        {"valid_from", "2025-07-01"}, {"geometry", square_polygon(x, y, 0.001)}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", std::int64_t{0});
  }
  // The answer of a GET asked again, expected from the cache. On SQLite the second ask
  // must be a hit. On PostgreSQL the data version includes the cluster's WAL position,
  // which the other tests' databases on the shared test cluster move as well: a miss
  // while the position moved is their doing (never a stale answer — the tests of
  // freshness check that), so the ask is repeated. A miss on an ask during which the
  // position did not move, right after an ask (a miss, which kept its answer) through
  // which it stood at that same position, is a real miss: returned for the test to
  // fail on.
  bool busy_ = false;
  Reply kept(Request r) {
    if (GetParam() == storage::Backend::sqlite) return raw(r);
    auto db = storage::open_database(tdb->location);
    auto conn = db->connect();
    auto lsn = [&] { return conn->query("SELECT pg_current_wal_insert_lsn()::text AS lsn").rows.at(0).str("lsn"); };
    std::string last_quiet;  // the position through the whole previous ask, if it stood still
    Reply out;
    for (int i = 0; i < 400; ++i) {
      const std::string before = lsn();
      out = raw(r);
      const std::string after = lsn();
      if (out.raw.from_cache) return out;
      if (before == after && before == last_quiet) return out;
      last_quiet = before == after ? after : std::string();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    busy_ = true;  // inconclusive: the test says so and skips (EXPECT_KEPT)
    return out;
  }
  Reply kept(const std::string& target, const std::string& user) {
    Request r;
    r.method = "GET";
    r.target = target;
    r.headers["authorization"] = "Bearer " + token(user);
    return kept(std::move(r));
  }
  std::vector<std::string> external_ids(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& p : r.body["items"]) out.push_back(p.value("external_id", ""));
    return out;
  }
};

// A kept answer expected; when the shared test cluster's WAL never stood still for two
// asks in a row (other tests writing the whole time), the test cannot tell and skips,
// saying so — it never passes on a miss.
#define EXPECT_KEPT(...)                                                                     \
  do {                                                                                       \
    auto kept_reply = kept(__VA_ARGS__);                                                     \
    if (busy_) GTEST_SKIP() << "the shared test cluster's WAL position never stood still"; \
    EXPECT_TRUE(kept_reply.raw.from_cache);                                                  \
  } while (0)

TEST_P(ReadCacheApi, AKeptAnswerGoesOnlyToThePrincipalItWasComputedFor) {
  parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  parcel("n2o", "P-N2", "N2", 103.11, 22.01);
  const std::string page = "/api/v1/parcels?page=1&page_size=50";
  auto first = call("GET", page, "n1o");
  ASSERT_EQ(first.status, 200) << first.body.dump();
  EXPECT_FALSE(first.raw.from_cache);
  auto again = kept(page, "n1o");
  if (busy_) GTEST_SKIP() << "the shared test cluster's WAL position never stood still";
  EXPECT_TRUE(again.raw.from_cache);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(external_ids(again), std::vector<std::string>{"P-N1"});
  // The same URL for another commune's officer, and for the province: their own answers.
  auto other = call("GET", page, "n2o");
  EXPECT_FALSE(other.raw.from_cache);
  EXPECT_EQ(external_ids(other), std::vector<std::string>{"P-N2"});
  auto province = call("GET", page, "prov");
  EXPECT_FALSE(province.raw.from_cache);
  EXPECT_EQ(province.body["total"], 2);
  // Without a login: no answer at all, kept or not.
  EXPECT_EQ(call("GET", page).status, 401);
  // Another language is another answer (the body may carry translated labels).
  Request en;
  en.method = "GET";
  en.target = page;
  en.headers["authorization"] = "Bearer " + token("n1o");
  en.headers["accept-language"] = "vi";
  EXPECT_FALSE(raw(en).raw.from_cache);
  EXPECT_KEPT(en);
}

// A page of parcels depends on the principal only through its registry scope
// (Route::cache_scope): the province's officer and administrator share it; a
// commune's officer, whose scope differs, gets an answer of its own.
TEST_P(ReadCacheApi, PrincipalsOfTheSameRegistryScopeShareAKeptPage) {
  parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  parcel("n2o", "P-N2", "N2", 103.11, 22.01);
  const std::string page = "/api/v1/parcels?page=1&page_size=50";
  token("admin");  // logged in first: a login is a write, which empties the cache
  auto prov = call("GET", page, "prov");
  ASSERT_EQ(prov.status, 200) << prov.body.dump();
  EXPECT_FALSE(prov.raw.from_cache);
  EXPECT_EQ(prov.body["total"], 2);
  auto admin = kept(page, "admin");
  if (busy_) GTEST_SKIP() << "the shared test cluster's WAL position never stood still";
  EXPECT_TRUE(admin.raw.from_cache);
  EXPECT_EQ(admin.body, prov.body);
  auto commune = call("GET", page, "n1o");
  EXPECT_FALSE(commune.raw.from_cache);
  EXPECT_EQ(external_ids(commune), std::vector<std::string>{"P-N1"});
  // The district above N1 is another scope than N1 itself, though it holds the same parcel.
  auto district = call("GET", page, "d1o");
  EXPECT_FALSE(district.raw.from_cache);
  // Without the permission, no answer, kept or not.
  EXPECT_EQ(call("GET", page).status, 401);
}

TEST(RecordScopeKey, NamesWhatTheScopeReadsOfThePrincipal) {
  identity::Actor officer, admin, n1, n1_again, n2, producer_a, producer_b;
  officer.role = identity::Role::province_officer;
  officer.user = UserId(1);
  officer.unit = UnitId(1);
  admin.role = identity::Role::province_admin;
  admin.user = UserId(2);
  EXPECT_EQ(registry::record_scope_key(officer), registry::record_scope_key(admin));
  n1.role = n1_again.role = n2.role = identity::Role::unit_officer;
  n1.user = UserId(3);
  n1_again.user = UserId(4);
  n2.user = UserId(5);
  n1.unit = n1_again.unit = UnitId(10);
  n2.unit = UnitId(11);
  EXPECT_EQ(registry::record_scope_key(n1), registry::record_scope_key(n1_again));
  EXPECT_NE(registry::record_scope_key(n1), registry::record_scope_key(n2));
  EXPECT_NE(registry::record_scope_key(n1), registry::record_scope_key(admin));
  producer_a.role = producer_b.role = identity::Role::producer;
  producer_a.unit = producer_b.unit = UnitId(10);
  producer_a.producer = ProducerId(7);
  producer_b.producer = ProducerId(8);
  EXPECT_NE(registry::record_scope_key(producer_a), registry::record_scope_key(producer_b));
  EXPECT_NE(registry::record_scope_key(producer_a), registry::record_scope_key(n1));
}

TEST_P(ReadCacheApi, TheETagOfAKeptAnswerAnswers304) {
  parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  auto first = call("GET", "/api/v1/parcels", "n1o");
  const std::string etag = first.header("ETag");
  ASSERT_FALSE(etag.empty());
  Request r;
  r.method = "GET";
  r.target = "/api/v1/parcels";
  r.headers["authorization"] = "Bearer " + token("n1o");
  r.headers["if-none-match"] = etag;
  auto not_modified = raw(r);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.raw.body.empty());
  r.headers["if-none-match"] = "\"something-else\"";
  EXPECT_EQ(raw(r).status, 200);
}

TEST_P(ReadCacheApi, AWriteThroughTheApiIsSeenByTheNextRead) {
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  EXPECT_EQ(call("GET", "/api/v1/parcels", "n1o").body["total"], 1);
  EXPECT_KEPT("/api/v1/parcels", "n1o");
  auto id = parcel("n1o", "P-2", "N1", 103.02, 22.02);
  auto after = call("GET", "/api/v1/parcels", "n1o");
  EXPECT_FALSE(after.raw.from_cache);
  EXPECT_EQ(after.body["total"], 2);
  // A change by another user of the same commune, too.
  ASSERT_EQ(call_json("PATCH", "/api/v1/parcels/" + s(id), "prov", {{"state", "idle"}}).status, 200);
  auto changed = call("GET", "/api/v1/parcels?state=idle", "n1o");
  EXPECT_EQ(changed.body["total"], 1);
}

// Another process (`nongsan import`, `psql`) writes on its own connection, never
// through this process's Database: a second Database on the same file or schema,
// written in autocommit, is the same to the server.
TEST_P(ReadCacheApi, AWriteOfAnotherProcessIsSeenByTheNextRead) {
  auto id = parcel("n1o", "P-1", "N1", 103.01, 22.01);
  EXPECT_EQ(external_ids(call("GET", "/api/v1/parcels", "n1o")), std::vector<std::string>{"P-1"});
  EXPECT_KEPT("/api/v1/parcels", "n1o");
  {
    auto other = storage::open_database(tdb->location);
    auto conn = other->connect();
    EXPECT_EQ(conn->execute("UPDATE parcel SET external_id = ? WHERE id = ?", {std::string("P-1-renamed"), id}), 1);
  }
  auto after = call("GET", "/api/v1/parcels", "n1o");
  EXPECT_FALSE(after.raw.from_cache);
  EXPECT_EQ(external_ids(after), std::vector<std::string>{"P-1-renamed"});
}

TEST_P(ReadCacheApi, ARoleChangeAndALogoutTakeEffectAtOnce) {
  parcel("n1o", "P-N1", "N1", 103.01, 22.01);
  parcel("n2o", "P-N2", "N2", 103.11, 22.01);
  EXPECT_EQ(external_ids(call("GET", "/api/v1/parcels", "n1o")), std::vector<std::string>{"P-N1"});
  EXPECT_KEPT("/api/v1/parcels", "n1o");
  // The administrator moves the officer to the other commune.
  auto users = call("GET", "/api/v1/users?q=n1o", "admin");
  ASSERT_EQ(users.status, 200) << users.body.dump();
  std::int64_t uid = 0;
  for (const auto& u : users.body["items"])
    if (u.value("username", "") == "n1o") uid = u.value("id", std::int64_t{0});
  ASSERT_GT(uid, 0);
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/" + s(uid), "admin", {{"unit_id", id("N2")}}).status, 200);
  EXPECT_EQ(external_ids(call("GET", "/api/v1/parcels", "n1o")), std::vector<std::string>{"P-N2"});
  // Logged out: the token no longer opens the kept answer.
  EXPECT_KEPT("/api/v1/parcels", "n1o");
  ASSERT_EQ(call("POST", "/api/v1/auth/logout", "n1o").status, 204);
  EXPECT_EQ(call("GET", "/api/v1/parcels", "n1o").status, 401);
}

TEST_P(ReadCacheApi, OffKeepsNothing) {
  auto services = app->services();
  services.settings.read_cache_bytes = 0;
  api = std::make_unique<Api>(services);
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  EXPECT_FALSE(call("GET", "/api/v1/parcels", "n1o").raw.from_cache);
  EXPECT_FALSE(call("GET", "/api/v1/parcels", "n1o").raw.from_cache);
}

// What handle_inline answers (on the server's I/O thread) and what it leaves to the
// pool: a kept answer, health and an unknown route inline; a miss and a write not.
TEST_P(ReadCacheApi, OnlyAKeptAnswerHealthAndErrorsBeforeAHandlerAreAnsweredInline) {
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  auto get = [&] {
    Request r;
    r.method = "GET";
    r.target = r.path = "/api/v1/parcels";
    r.headers["authorization"] = "Bearer " + token("n1o");
    r.client = "127.0.0.1";
    r.request_id = "inline";
    return r;
  };
  Request first = get();
  EXPECT_FALSE(api->handle_inline(first).has_value()) << "a miss needs the handler";
  EXPECT_EQ(first.client, "127.0.0.1");
  Request computed = get();
  EXPECT_EQ(api->handle(computed).status, 200);
  if (GetParam() == storage::Backend::sqlite) {  // (PostgreSQL: the shared cluster's WAL moves; see kept())
    Request again = get();
    auto hit = api->handle_inline(again);
    ASSERT_TRUE(hit.has_value());
    EXPECT_TRUE(hit->from_cache);
    EXPECT_EQ(reply(std::move(*hit)).body["total"], 1);
  }
  Request post;
  post.method = "POST";
  post.target = post.path = "/api/v1/parcels";
  post.headers["authorization"] = "Bearer " + token("n1o");
  post.headers["content-type"] = "application/json";
  post.body = "{}";
  post.client = "127.0.0.1";
  EXPECT_FALSE(api->handle_inline(post).has_value()) << "a write runs on the pool";
  Request health;
  health.method = "GET";
  health.target = health.path = "/api/health";
  auto h = api->handle_inline(health);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->status, 200);
  Request unknown;
  unknown.method = "GET";
  unknown.target = unknown.path = "/api/v1/no-such-route";
  auto u = api->handle_inline(unknown);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->status, 404);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ReadCacheApi, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ReadCacheApi, ::testing::Values(storage::Backend::postgres),
                         [](const auto&) { return std::string("Postgres"); });

// The routes that declare themselves cacheable are reads of logged-in users, never
// the session's own routes.
TEST(RouteTable, CacheableRoutesAreLoggedInReadsOutsideAuthentication) {
  int cacheable = 0;
  for (const auto& r : all_routes()) {
    if (!r.cacheable) {
      EXPECT_FALSE(r.cache_scope) << r.path << ": a scope key without the cache";
      continue;
    }
    ++cacheable;
    EXPECT_EQ(r.method, "GET") << r.path;
    EXPECT_FALSE(r.is_public) << r.path;
    EXPECT_TRUE(r.permission.has_value()) << r.path;
    EXPECT_EQ(r.path.rfind("/api/v1/auth", 0), std::string::npos) << r.path;
  }
  EXPECT_GE(cacheable, 2);
}

TEST(ReadCache, KeepsWithinItsBoundDroppingTheLeastRecentlyUsed) {
  Response r;
  r.body = std::string(1000, 'x');
  ReadCache cache(3 * 1300);
  const storage::DataVersion v{1, 1};
  for (const char* k : {"a", "b", "c"}) {
    EXPECT_FALSE(cache.get(k, v));
    cache.put(k, v, r);
  }
  EXPECT_TRUE(cache.get("a", v));  // now the most recently used
  EXPECT_FALSE(cache.get("d", v));
  cache.put("d", v, r);            // "b" goes
  EXPECT_FALSE(cache.get("b", v));
  EXPECT_TRUE(cache.get("a", v));
  EXPECT_LE(cache.stats().bytes, 3u * 1300u);
  // Another version: nothing kept is served; an answer computed at the old one is not kept.
  const storage::DataVersion w{2, 1};
  EXPECT_FALSE(cache.get("a", w));
  cache.put("a", v, r);
  EXPECT_FALSE(cache.get("a", w));
  EXPECT_EQ(cache.stats().entries, 0u);
}

// Single flight: while one request computes a key, another for the same key at the
// same version waits and then takes the kept answer; it computes nothing itself.
TEST(ReadCache, ASecondLookupOfAKeyBeingComputedWaitsForItsAnswer) {
  ReadCache cache(1 << 20);
  const storage::DataVersion v{1, 1};
  auto lead = cache.get_or_lead("k", v);
  ASSERT_FALSE(lead.response);
  ASSERT_TRUE(lead.lease);
  std::atomic<bool> returned{false};
  auto second = std::async(std::launch::async, [&] {
    auto found = cache.get_or_lead("k", v);
    returned = true;
    return found;
  });
  while (cache.stats().waits == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_FALSE(returned) << "it must wait while the answer is computed";
  Response r;
  r.body = "the answer";
  cache.put("k", v, r);
  lead.lease.reset();  // Api::finish lets the lease go once the answer is kept
  auto found = second.get();
  ASSERT_TRUE(found.response);
  EXPECT_EQ(found.response->body, "the answer");
  EXPECT_FALSE(found.lease);
  const auto st = cache.stats();
  EXPECT_EQ(st.misses, 1u);  // one computation
  EXPECT_EQ(st.waits, 1u);
  EXPECT_EQ(st.hits, 1u);
}

// The computation ended without keeping an answer (an error, or a commit meanwhile):
// the waiting request computes it in turn.
TEST(ReadCache, WhenTheComputedAnswerIsNotKeptTheWaiterComputesIt) {
  ReadCache cache(1 << 20);
  const storage::DataVersion v{1, 1};
  auto lead = cache.get_or_lead("k", v);
  ASSERT_TRUE(lead.lease);
  auto second = std::async(std::launch::async, [&] { return cache.get_or_lead("k", v); });
  while (cache.stats().waits == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  lead.lease.reset();
  auto found = second.get();
  EXPECT_FALSE(found.response);
  EXPECT_TRUE(found.lease) << "the waiter leads now";
  // While it leads, a third request waits for it in turn.
  auto third = std::async(std::launch::async, [&] { return cache.get_or_lead("k", v); });
  while (cache.stats().waits < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Response r;
  r.body = "second try";
  cache.put("k", v, r);
  found.lease.reset();
  auto t = third.get();
  ASSERT_TRUE(t.response);
  EXPECT_EQ(t.response->body, "second try");
}

// After a commit (another data version), a request never waits for a computation
// begun before it: it computes its own answer, and the older one is not kept.
TEST(ReadCache, ARequestAfterACommitDoesNotWaitForAComputationFromBefore) {
  ReadCache cache(1 << 20);
  const storage::DataVersion before{1, 1}, after{2, 1};
  auto old_lead = cache.get_or_lead("k", before);
  ASSERT_TRUE(old_lead.lease);
  auto new_lead = cache.get_or_lead("k", after);  // returns at once: it would hang here otherwise
  EXPECT_FALSE(new_lead.response);
  ASSERT_TRUE(new_lead.lease);
  Response stale, fresh;
  stale.body = "before";
  fresh.body = "after";
  cache.put("k", before, stale);
  old_lead.lease.reset();
  cache.put("k", after, fresh);
  new_lead.lease.reset();
  auto got = cache.get_or_lead("k", after);
  ASSERT_TRUE(got.response);
  EXPECT_EQ(got.response->body, "after");
}

// A request that waited at a version a commit has since left computes its own answer
// and leaves the newer generation's kept answers alone.
TEST(ReadCache, AWaiterOvertakenByACommitComputesWithoutEmptyingTheNewerAnswers) {
  ReadCache cache(1 << 20);
  const storage::DataVersion before{1, 1}, after{2, 1};
  auto lead = cache.get_or_lead("k", before);
  ASSERT_TRUE(lead.lease);
  auto waiter = std::async(std::launch::async, [&] { return cache.get_or_lead("k", before); });
  while (cache.stats().waits == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto other = cache.get_or_lead("other", after);  // a request after the commit
  Response fresh;
  fresh.body = "fresh";
  cache.put("other", after, fresh);
  other.lease.reset();
  lead.lease.reset();
  auto found = waiter.get();
  EXPECT_FALSE(found.response);
  EXPECT_FALSE(found.lease);
  auto kept = cache.get("other", after);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, "fresh");
}

}  // namespace nongsan::api

namespace nongsan::api {

// Single flight through the router, with the real page of parcels (SQLite): two
// identical requests at once compute the page once; a write between two requests
// still gives the later one a fresh answer. The page's handler is wrapped to count
// its calls and to hold the first one until the test lets it go. What Api::finish
// does with a computed answer (keep it, then let its lease go) is done here by hand.
class ReadCacheFlight : public ReadCacheApi {
 protected:
  struct Held {
    std::atomic<int> calls{0};
    std::promise<void> entered, release;
  };
  std::unique_ptr<Router> router_with(Held& held) {
    auto routes = all_routes();
    for (auto& r : routes)
      if (r.method == "GET" && r.path == "/api/v1/parcels") {
        r.handler = [&held, inner = r.handler](RequestContext& ctx) {
          if (held.calls.fetch_add(1) == 0) {
            held.entered.set_value();
            held.release.get_future().wait();
          }
          return inner(ctx);
        };
      }
    services_ = std::make_unique<Services>(app->services());
    return std::make_unique<Router>(std::move(routes), *services_);
  }
  Response ask(Router& router, const std::string& user) {
    Request r;
    r.method = "GET";
    r.target = r.path = "/api/v1/parcels";
    r.headers["authorization"] = "Bearer " + token(user);
    r.client = "127.0.0.1";
    r.request_id = "flight";
    Response out = router.handle(r);
    if (out.cache_ticket) {  // as Api::finish
      const auto ticket = std::move(*out.cache_ticket);
      out.cache_ticket.reset();
      router.cache().put(ticket.key, storage::DataVersion{ticket.local, ticket.external}, out);
    }
    return out;
  }
  std::unique_ptr<Services> services_;
};

TEST_P(ReadCacheFlight, TwoIdenticalRequestsAtOnceComputeThePageOnce) {
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  token("n1o");  // logged in before the threads start
  Held held;
  auto router = router_with(held);
  auto first = std::async(std::launch::async, [&] { return ask(*router, "n1o"); });
  held.entered.get_future().wait();
  auto second = std::async(std::launch::async, [&] { return ask(*router, "n1o"); });
  while (router->cache().stats().waits == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  held.release.set_value();
  auto a = first.get(), b = second.get();
  EXPECT_EQ(held.calls, 1);
  EXPECT_FALSE(a.from_cache);
  EXPECT_TRUE(b.from_cache);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(json::parse(b.body)["total"], 1);
}

TEST_P(ReadCacheFlight, AWriteWhileThePageIsComputedGivesTheNextRequestAFreshAnswer) {
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  token("n1o");
  Held held;
  auto router = router_with(held);
  auto first = std::async(std::launch::async, [&] { return ask(*router, "n1o"); });
  held.entered.get_future().wait();  // computing, at the version from before the write
  parcel("n1o", "P-2", "N1", 103.02, 22.02);
  auto second = ask(*router, "n1o");  // does not wait for the first: it computes its own
  EXPECT_EQ(held.calls, 2);
  EXPECT_FALSE(second.from_cache);
  EXPECT_EQ(json::parse(second.body)["total"], 2);
  held.release.set_value();
  first.get();
  auto third = ask(*router, "n1o");
  EXPECT_EQ(json::parse(third.body)["total"], 2);
  EXPECT_EQ(router->cache().stats().waits, 0u);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ReadCacheFlight, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("Sqlite"); });

// Through the real server, on SQLite: another connection holds the write lock, a write
// request waits for it on the pool's only thread, and meanwhile a kept answer and
// health still answer (inline); the write goes through once the lock is let go.
class ReadCacheServer : public ReadCacheApi {};

TEST_P(ReadCacheServer, AKeptAnswerComesWhileAWriteWaitsForTheLockOnThePool) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = asio::ip::tcp;
  parcel("n1o", "P-1", "N1", 103.01, 22.01);
  const std::string bearer = "Bearer " + token("n1o");
  std::promise<void> entered;
  HttpServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.pool_threads = 1;
  HttpServer server(
      o,
      [&](Request& r) {
        if (r.method == "POST") entered.set_value();
        return api->handle(r);
      },
      [&](Request& r) { return api->handle_inline(r); });
  const auto port = server.start();
  auto send = [port](http::verb verb, const std::string& target, const std::string& auth, const std::string& body) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "x");
    req.set(http::field::accept_language, "en");
    if (!auth.empty()) req.set(http::field::authorization, auth);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(s, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(s, buffer, res);
    return res;
  };
  EXPECT_EQ(send(http::verb::get, "/api/v1/parcels", bearer, "")["X-Cache"], "miss");
  EXPECT_EQ(send(http::verb::get, "/api/v1/parcels", bearer, "")["X-Cache"], "hit");

  auto other = storage::open_database(tdb->location);
  auto lock = other->connect();
  lock->begin(/*immediate=*/true);  // the write lock, as `nongsan import` holds it
  const std::string body = json{{"external_id", "P-2"}, {"commune_id", id("N1")}, {"land_use_code", "LUC"},
                                {"valid_from", "2025-07-01"}, {"geometry", square_polygon(103.02, 22.02, 0.001)}}
                               .dump();
  auto write = std::async(std::launch::async, [&] { return send(http::verb::post, "/api/v1/parcels", bearer, body); });
  entered.get_future().wait();  // the pool's one thread runs the write, which waits for the lock
  auto hit = send(http::verb::get, "/api/v1/parcels", bearer, "");
  EXPECT_EQ(hit.result_int(), 200u);
  EXPECT_EQ(hit["X-Cache"], "hit");
  EXPECT_EQ(send(http::verb::get, "/api/health", "", "").result_int(), 200u);
  lock->rollback();
  EXPECT_EQ(write.get().result_int(), 201u);
  auto after = send(http::verb::get, "/api/v1/parcels", bearer, "");
  EXPECT_EQ(after["X-Cache"], "miss");
  EXPECT_EQ(json::parse(after.body())["total"], 2);
  server.stop();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ReadCacheServer, ::testing::Values(storage::Backend::sqlite),
                         [](const auto&) { return std::string("Sqlite"); });

}  // namespace nongsan::api
