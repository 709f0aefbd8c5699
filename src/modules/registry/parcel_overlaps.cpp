#include "modules/registry/parcel_overlaps.hpp"

#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

RegistryFingerprint ParcelOverlaps::fingerprint(storage::Connection& c) {
  return RegistryRepository::parcel_fingerprint(c);
}

void ParcelOverlaps::reload_locked(storage::Connection& c) {
  // The fingerprint first: a write committed while the parcels are read moves it, and
  // the next check reloads again rather than miss that write.
  const RegistryFingerprint f = fingerprint(c);
  ParcelQuery q;
  q.page_size = 0;
  q.with_geometry = true;
  std::vector<geo::ParcelShape> shapes;
  for (auto& p : RegistryRepository::list_parcels(c, q, nullptr)) {
    if (p.geom) shapes.push_back({std::move(p.external_id), std::move(*p.geom)});
  }
  auto loaded = index_.load(shapes);
  if (!loaded) throw std::runtime_error("the overlap index could not be loaded: " + loaded.error().message);
  synced_ = f;
  ++loads_;
}

Result<std::vector<geo::ParcelOverlap>> ParcelOverlaps::check(const storage::Geometry& geom, double min_overlap_m2,
                                                               const std::string& self) {
  {
    std::lock_guard lock(mutex_);
    db_.read([&](storage::Connection& c) {
      if (!synced_ || *synced_ != fingerprint(c)) reload_locked(c);
    });
  }
  return index_.overlaps(geom, min_overlap_m2, self);
}

void ParcelOverlaps::written(const RegistryFingerprint& before, const RegistryFingerprint& after,
                             const std::vector<ParcelId>& parcels) {
  std::lock_guard lock(mutex_);
  if (!synced_) return;  // not loaded yet: the first check reads the committed state
  if (*synced_ != before) {
    synced_.reset();  // another write came in between: reload on the next check
    return;
  }
  db_.read([&](storage::Connection& c) {
    for (ParcelId id : parcels) {
      auto p = RegistryRepository::find_parcel(c, id, true);
      if (!p) continue;
      if (p->valid_to || !p->geom) index_.erase(p->external_id);
      else index_.put(p->external_id, *p->geom);
    }
  });
  synced_ = after;
}

std::size_t ParcelOverlaps::loads() const {
  std::lock_guard lock(mutex_);
  return loads_;
}

}  // namespace nongsan::registry
