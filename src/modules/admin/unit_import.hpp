// Importing administrative units from feature files (GeoPackage, GeoJSON,
// Shapefile, KML, CSV, XLSX — read by geo::read_features). Columns:
//   code (required), name, level, kind, parent_code, valid_from, valid_to,
//   predecessors ("03386;03389" or "03386:1;105:0.25" — code[:share], effective
//   on valid_from; share 1 is a whole merge, a fraction a share by area).
// A row whose code is valid on its valid_from (default: --as-of, else today)
// updates that unit: its boundary (then marked `imported`, replacing an
// illustrative one), name and kind. Other rows create units. Every problem is
// reported with its feature number; a file with any problem stores nothing.
// Refused besides: a code twice in the file with overlapping validity (both
// features named); in a file with geometries, a feature without one (null,
// unreadable, an unknown type); a boundary implausible for the province — larger
// than options.max_area_km2, or outside the province's stored boundary box grown
// by options.extent_margin_m (Vietnam's extent while the province has none); a
// date outside options.dates.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/admin/plausible_dates.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::admin {

struct UnitImportOptions {
  std::optional<CivilDate> as_of;  // date used to match codes when a row has no valid_from
  bool dry_run = false;
  // Plausibility (settings date_min/date_max, unit_max_area_km2, unit_extent_margin_m).
  PlausibleDates dates;
  double max_area_km2 = 25000;
  double extent_margin_m = 1000;
};

struct UnitImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int successions = 0;
  std::vector<std::string> warnings;
};

Result<UnitImportReport> import_units(storage::Database& db, AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& features, const UnitImportOptions& options);

}  // namespace nongsan::admin
