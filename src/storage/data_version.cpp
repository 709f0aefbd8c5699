#include "storage/data_version.hpp"

#include <atomic>

#include "storage/database.hpp"

namespace nongsan::storage {

namespace {
std::atomic<std::uint64_t> g_commits{0};
}  // namespace

void note_commit() { g_commits.fetch_add(1, std::memory_order_acq_rel); }
std::uint64_t local_commits() { return g_commits.load(std::memory_order_acquire); }

std::optional<DataVersion> data_version(Database& db) {
  auto* source = dynamic_cast<DataVersionSource*>(&db);
  if (!source) return std::nullopt;
  return source->data_version();
}

}  // namespace nongsan::storage
