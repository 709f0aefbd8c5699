// The read cache: answers of GET routes that declare themselves cacheable
// (Route::cacheable), kept as the server sent them (compressed, with their headers)
// and served again to the same principal for the same request while the database's
// data version (storage::DataVersion) has not changed. docs/adr/0017-read-cache.md.
//
// The key is built by the router after authentication, the permission check and the
// input checks, so a cached answer is only ever served to a request that passed the
// same checks as the one it was computed for: it names the principal (user id, role,
// unit, producer), the method, the whole target with its query, and the headers that
// change the body (Accept, Accept-Language, Accept-Encoding).
//
// Bounded by bytes (least recently used first out). One generation: every entry was
// computed at the same data version; a request that sees another version empties
// the cache. Must not depend on routes, services or storage beyond DataVersion.
//
// One computation per key (single flight): while a request computes the answer of a
// key, another request for the same key at the same data version waits for it
// (get_or_lead) and then looks the answer up as any request does, instead of
// computing it a second time beside it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/http.hpp"
#include "storage/data_version.hpp"

namespace nongsan::api {

class ReadCache {
 public:
  // `max_bytes` 0: the cache is off (nothing is kept, every lookup misses).
  explicit ReadCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  bool enabled() const { return max_bytes_ > 0; }

  // The answer kept for `key` at `version`, if any. A version other than the one the
  // entries were computed at empties the cache first. Never waits (the I/O threads'
  // lookup).
  std::optional<Response> get(const std::string& key, const storage::DataVersion& version);

  // What get_or_lead found: a kept answer, or the lease of the one computation of
  // `key` (this caller computes the answer; requests for the same key wait until the
  // lease is let go, which happens when its last copy is destroyed: after the answer
  // was put, or was not kept). Neither when the cache is off.
  struct Found {
    std::optional<Response> response;
    std::shared_ptr<void> lease;
  };
  // get(), but when no answer is kept and another request holds the lease of `key` at
  // this generation, waits until it lets it go and looks again. May block: for the
  // threads that compute answers, never for an I/O thread.
  Found get_or_lead(const std::string& key, const storage::DataVersion& version);
  // Keeps `response` (a 200 of a cacheable GET) for `key`, computed at `version` (read
  // before the answer was computed). Not kept when the version moved on meanwhile, or
  // when the answer alone is larger than the cache.
  void put(const std::string& key, const storage::DataVersion& version, const Response& response);

  struct Stats {
    std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
    std::uint64_t waits = 0;  // lookups that waited for another request's computation
  };
  Stats stats() const;

  // A strong entity tag for a body: its 64-bit FNV-1a hash, quoted.
  static std::string etag_of(std::string_view body);

 private:
  struct Entry {
    std::string key;
    Response response;
    std::size_t bytes = 0;
  };
  // A computation in progress; `done` once its lease is let go.
  struct Flight {
    std::string key;
    bool done = false;
  };
  struct Lease;
  void clear_locked();
  std::optional<Response> find_locked(const std::string& key, const storage::DataVersion& version);
  void land(const std::shared_ptr<Flight>& flight);

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::condition_variable landed_;  // a flight is done
  std::optional<storage::DataVersion> generation_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  // The computations of this generation, by key (a new generation starts with none:
  // an answer computed at the old version would not be kept, so no one waits for it).
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0, waits_ = 0;
};

}  // namespace nongsan::api
