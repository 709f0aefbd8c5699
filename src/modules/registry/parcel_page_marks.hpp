// The page marks of the lists of parcels officials page through (ParcelPageMarks: how
// many parcels a list holds and where each of its pages begins), kept between requests
// so that a page is read without counting the whole list and walking OFFSET rows to it:
// the cold read of a page of parcels (bench/README.md, "Pages of parcels from their
// marks").
//
// Kept as the API's read cache keeps its answers (docs/adr/0017-read-cache.md, rules 4,
// 5 and 7): by the database's data version (storage::DataVersion), read before the
// marks are computed, one generation at a time (a lookup at another version empties
// the cache), bounded by bytes with the least recently used out. The caller reads the
// version again once its page is read and keeps the marks, or uses them, only when no
// commit came in between (ParcelService::list).
//
// One computation per key: the first request to miss a key claims it and computes the
// marks; a request that misses it while the claim is held is told so and reads its page
// as if there were no marks (counting and OFFSET), without waiting.
//
// One per database, owned by RegistryContext. Any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "modules/registry/registry_repository.hpp"
#include "storage/data_version.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

// A parcel's place in the order by external id (ParcelSort::external_id): its natural
// sort key, then the external id itself (unique within a province).
struct ParcelKey {
  std::string external_id_key, external_id;
  bool operator==(const ParcelKey&) const = default;
};

// How many parcels a list holds and where each of its pages begins, from one walk over
// the list's keys in order (parcel_page_marks below).
struct ParcelPageMarks {
  std::int64_t total = 0;
  int page_size = 0;
  // The key of each page's first parcel, page 1 first. Nothing where the key cannot mark
  // the page's start: equal to the key of the parcel before it, or missing (a parcel
  // whose sort key is not yet filled; then no page has one, as PostgreSQL and SQLite
  // place such keys at opposite ends). Such a page is read with OFFSET.
  std::vector<std::optional<ParcelKey>> starts;
  std::size_t bytes() const;  // memory held, roughly (for the cache's bound)
};

// The SQL of the marks, beside the list's own in registry_repository.cpp (one WHERE
// clause for both):
//
// The total and the start of every page of `q` in the order by external id (q.page and
// q.sort are not read). REQUIRES: q.page_size > 0.
ParcelPageMarks parcel_page_marks(storage::Connection& c, const ParcelQuery& q);
// The page of `q` (in its sort order, q.page_size parcels) that begins at the first
// parcel whose key is not below `start`, found through the index on the order
// (parcel_page_order) instead of after (q.page - 1) × q.page_size rows walked with
// OFFSET; with ParcelSort::sheet, whose order the key is not, the page at q.page with
// OFFSET. Counts nothing. REQUIRES: q.page_size > 0.
std::vector<Parcel> list_parcels_from(storage::Connection& c, const ParcelQuery& q, const ParcelKey& start);
// A text naming the parcels `q` selects (its filters and scope, as the SQL states them
// with their values) and its page size: equal for two queries whose totals and page
// starts are equal. Not the page nor the sort.
std::string parcel_list_key(storage::Connection& c, const ParcelQuery& q);

class ParcelPageMarksCache {
 public:
  // 16 MiB holds the marks of some 200 lists of 35,000 parcels at 50 a page (about
  // 80 KB each), or of ten lists of a million.
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{16} << 20;
  explicit ParcelPageMarksCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  struct Found {
    std::shared_ptr<const ParcelPageMarks> marks;  // kept for the key at this version
    // Otherwise, when no one else is computing the key's marks: this caller's claim to
    // compute them, let go when its last copy is destroyed (after put, or not).
    std::shared_ptr<void> claim;
  };
  Found find_or_claim(const std::string& key, const storage::DataVersion& version);
  // Keeps `marks` for `key`, computed at `version` (read before they were computed).
  // Not kept when the cache has moved to another version meanwhile, or when they alone
  // are larger than the bound.
  void put(const std::string& key, const storage::DataVersion& version, std::shared_ptr<const ParcelPageMarks> marks);

  struct Stats {
    std::uint64_t hits = 0, misses = 0, busy = 0;  // busy: missed while another computed
    std::size_t entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Claim {
    ParcelPageMarksCache* cache = nullptr;
    std::string key;
    std::uint64_t generation = 0;
    ~Claim();
  };
  struct Entry {
    std::string key;
    std::shared_ptr<const ParcelPageMarks> marks;
    std::size_t bytes = 0;
  };
  void clear_locked();
  void at_version_locked(const storage::DataVersion& version);

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::optional<storage::DataVersion> generation_;
  std::uint64_t generation_no_ = 0;  // counts generations, so a claim of an old one lets go of nothing
  std::list<Entry> lru_;             // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::unordered_set<std::string> claimed_;  // keys being computed in this generation
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0, busy_ = 0;
};

}  // namespace nongsan::registry
