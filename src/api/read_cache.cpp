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

void ReadCache::clear_locked() {
  index_.clear();
  lru_.clear();
  bytes_ = 0;
}

std::optional<Response> ReadCache::get(const std::string& key, const storage::DataVersion& version) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mu_);
  if (generation_ != version) {
    clear_locked();
    generation_ = version;
  }
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->response;
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
  return {hits_, misses_, static_cast<std::uint64_t>(lru_.size()), static_cast<std::uint64_t>(bytes_)};
}

}  // namespace nongsan::api
