#include "modules/registry/parcel_page_marks.hpp"

#include <utility>

namespace nongsan::registry {

ParcelPageMarksCache::Claim::~Claim() {
  std::lock_guard lock(cache->mu_);
  // Only in its own generation: a new one starts with no claims.
  if (cache->generation_no_ == generation) cache->claimed_.erase(key);
}

void ParcelPageMarksCache::clear_locked() {
  lru_.clear();
  index_.clear();
  claimed_.clear();
  bytes_ = 0;
}

void ParcelPageMarksCache::at_version_locked(const storage::DataVersion& version) {
  if (generation_ && *generation_ == version) return;
  // Marks of another version may count parcels that are no longer there, or miss new
  // ones: none is kept across a commit (ADR 0017 rule 5).
  clear_locked();
  generation_ = version;
  ++generation_no_;
}

ParcelPageMarksCache::Found ParcelPageMarksCache::find_or_claim(const std::string& key,
                                                                const storage::DataVersion& version) {
  std::lock_guard lock(mu_);
  at_version_locked(version);
  if (auto it = index_.find(key); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return {it->second->marks, nullptr};
  }
  ++misses_;
  if (!claimed_.insert(key).second) {
    ++busy_;
    return {};
  }
  // The claim lets go of the key when the computing request is done with it, kept or
  // not (an exception, a commit meanwhile).
  auto claim = std::make_shared<Claim>();
  claim->cache = this;
  claim->key = key;
  claim->generation = generation_no_;
  return {nullptr, std::move(claim)};
}

void ParcelPageMarksCache::put(const std::string& key, const storage::DataVersion& version,
                               std::shared_ptr<const ParcelPageMarks> marks) {
  if (!marks) return;
  const std::size_t bytes = marks->bytes() + key.size() + sizeof(Entry);
  std::lock_guard lock(mu_);
  if (!generation_ || !(*generation_ == version) || bytes > max_bytes_) return;
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  while (!lru_.empty() && bytes_ + bytes > max_bytes_) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{key, std::move(marks), bytes});
  index_[key] = lru_.begin();
  bytes_ += bytes;
}

ParcelPageMarksCache::Stats ParcelPageMarksCache::stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, busy_, lru_.size(), bytes_};
}

}  // namespace nongsan::registry
