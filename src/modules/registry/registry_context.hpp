// What every registry service shares: the database, the unit hierarchy, the job
// runner and the settings; and the two steps every call starts with — the
// actor's RecordScope and the JSON shaper on the current hierarchy.
#pragma once

#include <memory>

#include "modules/admin/admin_service.hpp"
#include "modules/jobs/job_service.hpp"
#include "modules/registry/parcel_overlaps.hpp"
#include "modules/registry/parcel_page_marks.hpp"
#include "modules/registry/registry_json.hpp"
#include "modules/registry/registry_page.hpp"
#include "modules/registry/registry_scope.hpp"
#include "modules/registry/registry_settings.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

struct RegistryContext {
  storage::Database& db;
  admin::AdminService& admin;
  jobs::JobService& jobs;
  RegistrySettings settings;
  // The live overlap index of this database's current parcels (parcel_overlaps.hpp).
  std::shared_ptr<ParcelOverlaps> overlaps = std::make_shared<ParcelOverlaps>(db);
  // The totals and page starts of the lists of parcels (parcel_page_marks.hpp).
  std::shared_ptr<ParcelPageMarksCache> page_marks = std::make_shared<ParcelPageMarksCache>();

  RecordScope scope(const identity::Actor& a, storage::Connection& c) { return RecordScope::of(a, admin.graph(), c); }
  RecordScope scope(const identity::Actor& a) {
    return db.read([&](storage::Connection& c) { return scope(a, c); });
  }
  RegistryJson json() { return RegistryJson(admin.graph(), settings.land_use); }

  // Page::empty for an empty list: `in_scope` counts the records the scope holds
  // without any filter.
  static nlohmann::json empty_reason(const RecordScope& s, std::int64_t in_scope) {
    const char* reason = in_scope > 0 ? "filter" : s.province_wide() ? "no_records" : "scope";
    return {{"reason", reason}, {"scope", s.describe()}};
  }
};

}  // namespace nongsan::registry
