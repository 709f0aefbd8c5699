// Read routing to a PostgreSQL streaming replica, and a primary that restarts under
// a running process (docs/adr/0016-replica-reads.md). Needs two clusters, a primary
// and its streaming replica, which tests/faults/pg_replica.sh starts on loopback ports
// and passes as NONGSAN_TEST_PG_URL, NONGSAN_TEST_PG_REPLICA_URL and the ports; named
// PgReplica* so that neither the SQLite nor the single-cluster pg groups run them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "storage/database.hpp"

namespace nongsan::storage {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Runs scripts/pg-test-cluster.sh ACTION PORT (halt, resume, restart).
void cluster(const std::string& action, const std::string& port) {
  std::string cmd = env("NONGSAN_TEST_PG_CLUSTER_SCRIPT") + " " + action + " " + port + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// Whether the server that served a read transaction is the replica.
bool read_on_replica(Database& db) {
  return db.read([](Connection& c) { return c.scalar_i64("SELECT pg_is_in_recovery()::int"); }) == 1;
}

// Polls `pred` for up to `seconds` (the replica's replay and its retry are asynchronous).
bool eventually(const std::function<bool()>& pred, int seconds = 20) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

class PgReplica : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_url = env("NONGSAN_TEST_PG_URL");
    replica_url = env("NONGSAN_TEST_PG_REPLICA_URL");
    if (primary_url.empty() || replica_url.empty())
      GTEST_SKIP() << "run by tests/faults/pg_replica.sh, which starts a primary and a replica";
    db = open_database(primary_url, {replica_url, 16 * 1024 * 1024, /*retry_s=*/1});
    db->write([](Connection& c) {
      c.execute_script("DROP TABLE IF EXISTS replica_probe; CREATE TABLE replica_probe (n integer NOT NULL)");
    });
  }
  void TearDown() override {
    if (db) db->write([](Connection& c) { c.execute_script("DROP TABLE IF EXISTS replica_probe"); });
  }
  std::int64_t count() {
    return db->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM replica_probe"); });
  }
  void insert(int n) {
    db->write([n](Connection& c) { c.execute("INSERT INTO replica_probe (n) VALUES (?)", {std::int64_t{n}}); });
  }

  std::string primary_url, replica_url;
  std::unique_ptr<Database> db;
};

TEST_F(PgReplica, ReadsGoToTheReplicaOnceItHasReplayedTheWrites) {
  EXPECT_TRUE(eventually([&] { return read_on_replica(*db); })) << db->replica_status().reason;
  auto s = db->replica_status();
  EXPECT_EQ(s.state, "in_use");
  EXPECT_GT(s.reads_replica, 0);
  // Writes never go to the replica (it would refuse them).
  EXPECT_NO_THROW(insert(1));
}

TEST_F(PgReplica, AReadRightAfterAWriteSeesTheWrite) {
  ASSERT_TRUE(eventually([&] { return read_on_replica(*db); }));
  for (int i = 1; i <= 100; ++i) {
    insert(i);
    ASSERT_EQ(count(), i) << "read right after write " << i;
  }
  // Once the replica has replayed them, it serves the reads again.
  EXPECT_TRUE(eventually([&] { return read_on_replica(*db) && count() == 100; }));
}

TEST_F(PgReplica, APausedReplicaIsNotReadFromUntilResumed) {
  ASSERT_TRUE(eventually([&] { return read_on_replica(*db); }));
  auto direct = open_database(replica_url);
  direct->read([](Connection& c) { c.query("SELECT pg_wal_replay_pause()"); });
  insert(1);
  EXPECT_FALSE(read_on_replica(*db));
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(db->replica_status().state, "paused");
  direct->read([](Connection& c) { c.query("SELECT pg_wal_replay_resume()"); });
  EXPECT_TRUE(eventually([&] { return read_on_replica(*db); }));
  EXPECT_EQ(db->replica_status().state, "in_use");
  EXPECT_EQ(count(), 1);
}

TEST_F(PgReplica, AStoppedReplicaLeavesReadsToThePrimaryAndIsUsedWhenBack) {
  ASSERT_TRUE(eventually([&] { return read_on_replica(*db); }));
  const std::string port = env("NONGSAN_TEST_PG_REPLICA_PORT");
  cluster("halt", port);
  EXPECT_FALSE(read_on_replica(*db));
  insert(1);
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(db->replica_status().state, "down");
  EXPECT_GT(db->replica_status().reads_primary, 0);
  cluster("resume", port);
  EXPECT_TRUE(eventually([&] { return read_on_replica(*db); })) << db->replica_status().reason;
  EXPECT_EQ(db->replica_status().state, "in_use");
  EXPECT_EQ(count(), 1);
}

// The primary restarted under a running process: a request during the outage fails
// with DbError::Kind::unavailable, and the pool's connections, all dead, are replaced
// on the next request without reopening the database.
TEST_F(PgReplica, APrimaryRestartFailsCleanlyAndThePoolReconnects) {
  insert(1);
  const std::string port = env("NONGSAN_TEST_PG_PRIMARY_PORT");
  cluster("halt", port);
  try {
    insert(2);
    ADD_FAILURE() << "a write while the primary is down succeeded";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unavailable) << e.what();
  }
  cluster("resume", port);
  EXPECT_NO_THROW(insert(3));
  cluster("restart", port);
  // Straight after a restart: the idle connections are dead, none of them is used.
  EXPECT_NO_THROW(insert(4));
  auto direct = open_database(primary_url);
  EXPECT_EQ(direct->read([](Connection& c) { return c.scalar_i64("SELECT count(*) FROM replica_probe"); }), 3);
}

}  // namespace
}  // namespace nongsan::storage
