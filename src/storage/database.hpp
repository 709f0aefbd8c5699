// The one storage interface. Repositories write SQL in the common subset of
// SQLite and PostgreSQL with `?` placeholders; the PostgreSQL backend rewrites them
// to $n (as Drogon's ORM does). Backend-specific SQL is selected with
// `backend()` and kept to a minimum; schema DDL lives in per-backend migrations.
//
// Threading: a Database is shared by all threads; each Connection is used by one
// thread at a time (borrow one with `connect()` or use `read`/`write`).
// Every write goes through `write()`, which runs the function in one transaction:
// either all of it is committed or none of it is.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result_set.hpp"
#include "storage/row_view.hpp"
#include "storage/value.hpp"

namespace nongsan::storage {

enum class Backend { sqlite, postgres };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  virtual ResultSet query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Calls `fn` for each row of the result, read in place (see RowView): for reads of
  // hundreds of thousands of rows. The default goes through `query`.
  virtual void each_row(std::string_view sql, const std::vector<Value>& params,
                        const std::function<void(const RowView&)>& fn);
  // Returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  virtual void begin(bool immediate) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Appends many rows to one table: the fastest way each backend has (COPY on
  // PostgreSQL, one prepared multi-row INSERT after another on SQLite). `table` and
  // `columns` are names written in the code, never input; every row has one value per
  // column. Returns the number of rows written.
  virtual std::int64_t insert_rows(std::string_view table, const std::vector<std::string>& columns,
                                   const std::vector<std::vector<Value>>& rows);
  // Convenience: first row's first column as integer, or `fallback` when no row.
  std::int64_t scalar_i64(std::string_view sql, const std::vector<Value>& params = {}, std::int64_t fallback = 0);
};

// Where read transactions go when a PostgreSQL streaming replica is configured
// (docs/adr/0016-replica-reads.md). `state`: "none" (no replica configured), "in_use",
// "behind" (further behind the primary than the allowed lag), "paused" (its replay is
// paused), "down" (it cannot be reached; tried again after the retry interval) or
// "not_standby" (it answers but is not in recovery: never read from).
struct ReplicaStatus {
  std::string state = "none";
  std::string reason;             // why it is not in use, for the log and the health check
  std::int64_t lag_bytes = 0;     // primary's last known WAL position minus the replica's replay position
  std::int64_t reads_replica = 0; // read transactions the replica served since start
  std::int64_t reads_primary = 0; // read transactions the primary served instead
};

// Options of open_database for a PostgreSQL primary with a streaming replica.
struct ReplicaOptions {
  std::string url;                               // empty: no replica, every read goes to the primary
  std::int64_t max_lag_bytes = 16 * 1024 * 1024; // a replica further behind is not read from
  int retry_s = 10;                              // a replica that could not be reached is tried again after this
};

struct BackupResult {
  std::string path;
  std::int64_t bytes = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  // A description safe to print (no password).
  virtual std::string describe() const = 0;

  // Borrows a connection from the pool; returned when the handle is destroyed.
  virtual std::shared_ptr<Connection> connect() = 0;
  // A connection for a read transaction (`read`): the primary's unless a replica is
  // configured, caught up with every write this process made and within the allowed
  // lag. Never write through it.
  virtual std::shared_ptr<Connection> connect_for_read() { return connect(); }
  virtual ReplicaStatus replica_status() { return {}; }

  // Consistent copy while other connections keep working (SQLite online backup API,
  // pg_dump for PostgreSQL). Writes to `path`.
  virtual BackupResult backup(const std::string& path) = 0;
  // Replaces the whole database with a backup made by `backup`.
  // REQUIRES: no other process is writing.
  virtual void restore(const std::string& path) = 0;

  // Runs `fn` in one transaction on a pooled connection; commits if it returns
  // (unless it returns a Result/Status holding an error), rolls back and rethrows
  // if it throws.
  template <typename Fn>
  auto write(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));
  template <typename Fn>
  auto read(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));
};

// Opens a database from a `.gpkg` path or a `postgresql://` URL. A path that does not
// exist yet is created. Does not migrate (see Migrator). A replica is for a PostgreSQL
// primary only.
std::unique_ptr<Database> open_database(const std::string& location, const ReplicaOptions& replica = {});
bool is_postgres_url(std::string_view location);

template <typename Fn>
auto Database::write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  auto conn = connect();
  conn->begin(/*immediate=*/true);
  try {
    if constexpr (std::is_void_v<decltype(fn(*conn))>) {
      fn(*conn);
      conn->commit();
    } else {
      auto result = fn(*conn);
      // A Result/Status that carries an error rolls the transaction back: nothing
      // half-written survives a failed validation deep inside a write.
      if constexpr (requires { result.ok(); }) {
        if (!result.ok()) {
          conn->rollback();
          return result;
        }
      }
      conn->commit();
      return result;
    }
  } catch (...) {
    conn->rollback();
    throw;
  }
}

template <typename Fn>
auto Database::read(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  auto conn = connect_for_read();
  return fn(*conn);
}

}  // namespace nongsan::storage
