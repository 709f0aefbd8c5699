// The registry's settings: thresholds an official may change, set in the
// configuration (app/config.cpp: parcel_boundary_tolerance_m, parcel_min_overlap_m2, date_min, date_max)
// and the land-type catalogue read from data/land-use-codes.json. Types only.
#pragma once

#include "modules/admin/plausible_dates.hpp"
#include "modules/registry/land_use.hpp"

namespace nongsan::registry {

// The rules every write and every import of the registry applies.
struct RegistryRules {
  // docs/rules.md §5: a parcel lies in the commune it is registered in; a strip
  // this wide across the commune's boundary is digitising noise, not land of
  // another commune.
  double boundary_tolerance_m = 2.0;
  // docs/rules.md §5: the same land may not be registered twice. Saving a boundary
  // that overlaps a current parcel by more than this area (m²) is answered with a
  // warning naming it (parcel_overlaps.hpp); smaller overlaps are digitising noise
  // between neighbours drawn separately. The topology check's default threshold.
  double min_overlap_m2 = 1.0;
  // Dates of record outside this range are refused (docs/rules.md §2).
  admin::PlausibleDates dates;
};

struct RegistrySettings {
  RegistryRules rules;
  LandUseCatalogue land_use;
};

}  // namespace nongsan::registry
