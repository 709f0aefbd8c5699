// The live overlap check of a parcel as it is saved (docs/rules.md §5: the same land
// may not be registered twice). Creating or redrawing a parcel answers which current
// parcels the new boundary overlaps and by how much, from an in-memory index of the
// current parcels (geo::OverlapIndex) instead of a check over the whole registry: a
// few milliseconds whatever the size of the province. The write is not refused (two
// neighbours digitised separately overlap by slivers; the topology check lists every
// overlap for the officials to settle), the answer warns.
//
// One index per database, owned by the RegistryContext: loaded from the current
// parcels on first use, then kept in step write by write.
//  - A write reads the registry's fingerprint at its start and at its end, inside its
//    transaction, and hands both to `written` after its commit. If the index was in
//    step with the first, it applies the write (re-reading the parcels it touched) and
//    takes the second; otherwise someone else wrote in between and the index reloads
//    on the next check. A rolled-back write never calls `written`: the index never
//    holds what the database does not.
//  - Every check first compares the fingerprint with the index's; a difference (an
//    import by the CLI, another server process) reloads the index.
//  - The fingerprint is the largest parcel id and the largest id of the boundary
//    history: every parcel inserted (create, split, merge, import) and every boundary
//    replaced moves one of them.
// Threads: any number of checks and writes at once; the index's own lock orders them.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "geo/overlap_index.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/registry/registry_types.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

class ParcelOverlaps {
 public:
  explicit ParcelOverlaps(storage::Database& db) : db_(db) {}

  static RegistryFingerprint fingerprint(storage::Connection& c);

  // Current parcels other than `self` (an external id) that `geom` overlaps by more
  // than min_overlap_m2, sorted by external id. Errors: a geometry that cannot be
  // checked (not a valid polygon in the province's CRS), a bad threshold.
  Result<std::vector<geo::ParcelOverlap>> check(const storage::Geometry& geom, double min_overlap_m2,
                                                const std::string& self = "");

  // After the commit of a write that touched `parcels` (created, redrawn, retired):
  // `before` and `after` are the fingerprints read inside its transaction.
  void written(const RegistryFingerprint& before, const RegistryFingerprint& after, const std::vector<ParcelId>& parcels);

  std::size_t size() const { return index_.size(); }
  std::size_t loads() const;  // how many times the index was (re)loaded, for tests

 private:
  void reload_locked(storage::Connection& c);

  storage::Database& db_;
  mutable std::mutex mutex_;  // orders loads and applied writes (checks read the index under its own lock)
  std::optional<RegistryFingerprint> synced_;  // what the index holds; nullopt: not loaded or stale
  std::size_t loads_ = 0;
  geo::OverlapIndex index_;
};

}  // namespace nongsan::registry
