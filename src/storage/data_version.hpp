// The data version: a value that changes whenever committed data may have changed,
// read cheaply enough to be asked once per request (the API's read cache keys its
// answers by it; docs/adr/0017-read-cache.md). Kept out of database.hpp so that the
// repositories do not depend on it.
//
// `local` counts the transactions this process committed (each backend's
// Connection::commit bumps it after the commit returned), so that a request after a
// write in this process never sees the answer from before it. `external` is the
// backend's own marker of a commit by any connection of any process (SQLite's
// PRAGMA data_version on a connection that never writes, PostgreSQL's WAL insert
// position). Versions are only compared for equality: equal means no commit came
// between them.
#pragma once

#include <cstdint>
#include <optional>

namespace nongsan::storage {

class Database;

struct DataVersion {
  std::uint64_t local = 0;
  std::uint64_t external = 0;
  friend bool operator==(const DataVersion&, const DataVersion&) = default;
};

// What a backend's Database implements to have a data version.
class DataVersionSource {
 public:
  virtual ~DataVersionSource() = default;
  // The version now, or nothing when the backend cannot tell (a PostgreSQL replica
  // serves reads: what a read sees may lag behind any version of the primary).
  virtual std::optional<DataVersion> data_version() = 0;
};

// The data version of `db`, or nothing when it has none (see DataVersionSource): then
// nothing may be kept across requests.
std::optional<DataVersion> data_version(Database& db);

// Transactions committed by this process, all databases together (DataVersion::local).
void note_commit();
std::uint64_t local_commits();

}  // namespace nongsan::storage
