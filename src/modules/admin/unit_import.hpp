// Importing administrative units from feature files (GeoPackage, GeoJSON,
// Shapefile, KML, CSV, XLSX — read by geo::read_features). Columns:
//   code (required), name, level, kind, parent_code, valid_from, valid_to,
//   predecessors ("03386;03389" or "03386:1;105:0.25" — code[:share], effective
//   on valid_from; share 1 is a whole merge, a fraction a share by area).
// A row whose code is valid on its valid_from (default: --as-of, else today)
// updates that unit: its boundary (then marked `imported`, replacing an
// illustrative one), name and kind. Other rows create units. Every problem is
// reported with its feature number; a file with any problem stores nothing.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::admin {

struct UnitImportOptions {
  std::optional<CivilDate> as_of;  // date used to match codes when a row has no valid_from
  bool dry_run = false;
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
