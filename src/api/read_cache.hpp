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
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
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
  // entries were computed at empties the cache first.
  std::optional<Response> get(const std::string& key, const storage::DataVersion& version);
  // Keeps `response` (a 200 of a cacheable GET) for `key`, computed at `version` (read
  // before the answer was computed). Not kept when the version moved on meanwhile, or
  // when the answer alone is larger than the cache.
  void put(const std::string& key, const storage::DataVersion& version, const Response& response);

  struct Stats {
    std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
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
  void clear_locked();

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::optional<storage::DataVersion> generation_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace nongsan::api
