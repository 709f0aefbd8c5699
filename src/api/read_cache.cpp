#include "api/read_cache.hpp"

#include <cstdio>

namespace nongsan::api {

namespace {
// What an entry costs: its key, body and headers, and the bookkeeping around them.
std::size_t size_of(const std::string& key, const Response& r) {
  std::size_t n = 2 * key.size() + r.body.size() + r.content_type.size() + 160;
  for (const auto& [k, v] : r.headers) n += k.size() + v.size() + 64;
  return n;
}
}  // namespace

std::string ReadCache::etag_of(std::string_view body) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// The lease of a flight: letting it go (destroying its last copy) lands the flight.
struct ReadCache::Lease {
  ReadCache* cache;
  std::shared_ptr<Flight> flight;
  ~Lease() { cache->land(flight); }
};

void ReadCache::clear_locked() {
  index_.clear();
  lru_.clear();
  bytes_ = 0;
  flights_.clear();  // their leaders land them still; their waiters look again then
}

std::optional<Response> ReadCache::find_locked(const std::string& key, const storage::DataVersion& version) {
  if (generation_ != version) {
    clear_locked();
    generation_ = version;
  }
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->response;
}

std::optional<Response> ReadCache::get(const std::string& key, const storage::DataVersion& version) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto kept = find_locked(key, version);
  ++(kept ? hits_ : misses_);
  return kept;
}

ReadCache::Found ReadCache::get_or_lead(const std::string& key, const storage::DataVersion& version) {
  if (!enabled()) return {};
  std::unique_lock lock(mu_);
  for (;;) {
    if (auto kept = find_locked(key, version)) {
      ++hits_;
      return {std::move(kept), nullptr};
    }
    auto it = flights_.find(key);
    if (it == flights_.end()) {
      ++misses_;
      auto flight = std::make_shared<Flight>(Flight{key, false});
      flights_.emplace(key, flight);
      // Made in place: a temporary Lease would land the flight as it went.
      return {std::nullopt, std::shared_ptr<Lease>(new Lease{this, std::move(flight)})};
    }
    // Another request computes it at this generation: its answer, once put, is this
    // request's as well (the same key, the same version). Then look again; if it was
    // not kept (an error, or a commit came meanwhile), this request leads in turn.
    ++waits_;
    auto flight = it->second;
    landed_.wait(lock, [&] { return flight->done; });
    if (generation_ != version) {
      // A commit came while it waited, and a request that saw it began the new
      // generation: this request computes its answer without taking the cache back
      // to its older version (an answer computed now would not be kept anyway).
      ++misses_;
      return {};
    }
  }
}

void ReadCache::land(const std::shared_ptr<Flight>& flight) {
  {
    std::lock_guard lock(mu_);
    flight->done = true;
    if (auto it = flights_.find(flight->key); it != flights_.end() && it->second == flight) flights_.erase(it);
  }
  landed_.notify_all();
}

void ReadCache::put(const std::string& key, const storage::DataVersion& version, const Response& response) {
  if (!enabled()) return;
  const std::size_t bytes = size_of(key, response);
  if (bytes > max_bytes_) return;
  std::lock_guard lock(mu_);
  if (generation_ != version) return;  // computed before a commit another request has seen
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  while (bytes_ + bytes > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{key, response, bytes});
  index_.emplace(key, lru_.begin());
  bytes_ += bytes;
}

ReadCache::Stats ReadCache::stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, static_cast<std::uint64_t>(lru_.size()), static_cast<std::uint64_t>(bytes_), waits_};
}

}  // namespace nongsan::api
