// Importing the land registry from the files officials hold: parcels from
// cadastral maps (Shapefile, GeoPackage, GeoJSON, KML, MicroStation DGN v7,
// CSV/XLSX with WKT or lon/lat — all read by geo::read_features, so geometry
// arrives in EPSG:4326), and producers, production zones, plantings and land
// rights from tables.
//
// Follows admin/unit_import: every problem is collected with its feature number
// and column ("feature 12, so_thua"); then either all is written in one
// transaction, or — by default, when any feature is bad — nothing. With
// `skip_invalid` the good features are written and the bad ones reported as
// skipped. A dry run does all the work in a transaction that is always rolled
// back, so its counts are exact. Importing the same file again changes nothing:
// records are matched by external id (zones by code, plantings by parcel + crop +
// start date, rights by parcel + producer + kind + start), and only columns the
// file has are compared and written (a file without `state` keeps the state an
// officer set).
//
// Column names are matched without regard to case; the common Vietnamese names
// of the cadastre are accepted (listed per import below). Numbers take a decimal
// point or a decimal comma ("1250.5", "1250,5", "1.250,5"); a lone separator
// before three digits is a decimal point, as GIS files write numbers. Dates are
// YYYY-MM-DD or dd/mm/yyyy, within the plausible range (options.rules.dates). Every
// text cell must be valid UTF-8 (the readers convert files in the legacy encodings;
// bytes that still are not UTF-8 are refused, each bad cell named): nothing invalid
// is ever stored. Nothing here prints: progress goes
// through the callback, warnings into the report. No CLI code here
// (cli/registry_commands.cpp). One importer per file: parcel_import.cpp,
// producer_import.cpp, zone_import.cpp, planting_import.cpp, right_import.cpp;
// what they share is import_support.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/registry/registry_settings.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

struct ImportOptions {
  // The import date: codes are matched on it and new records start on it. Default today.
  std::optional<CivilDate> as_of;
  bool skip_invalid = false;
  bool dry_run = false;
  std::string source;  // what the records came from, e.g. "to12.shp"; stored on parcels and audited
  // Called with (stage, done, total) about every 1 % of a stage ("checking", "storing").
  std::function<void(std::string_view, std::size_t, std::size_t)> progress;
  // The registry's rules (the settings): dates' range, and the boundary tolerance
  // of the rule that a parcel lies in its commune.
  RegistryRules rules;
};

struct ImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int skipped = 0;                           // bad features left out (skip_invalid)
  int links_added = 0;                       // producers: memberships of a cooperative added
  std::vector<FieldError> skipped_problems;  // why they were left out
  std::vector<std::string> warnings;
};

// Parcels. Required: the id column (`id_field`, default "id" — or, failing that,
// "external_id" as `export parcels` writes it), kept as the parcel's external id. Optional: sheet_no (to_ban_do, so_to,
// shbando), parcel_no (so_thua, shthua), land_use_code (loai_dat, mdsd), official_area_m2 (dien_tich, dientich), state
// (in_use, idle, inefficient_rice, or the Vietnamese words). The commune comes from `commune_field` (a commune code
// valid on the import date; an empty cell falls back to the location) or, without one, from the location: the commune
// valid on the import date whose boundary holds the parcel's interior point, or shares most of it
// (geo::locate_in_areas). Parcels in no commune — also when the database has no boundaries yet — are stored without one
// and listed in `unassigned`. Overlapping parcels are stored as they are (`check parcels` finds them). A MicroStation
// DGN sheet has no attribute for the parcel number: when the file has no id column but has DGN's `Text` column, each
// shape takes its id from the one text element placed inside it, and other elements (lines, texts outside every shape)
// are left aside with a warning. (A DGN v7 shape has no holes and no parts: a parcel with a hole arrives as two shapes,
// the hole one without text.) Bad features: no, empty, unreadable, non-polygonal or invalid geometry; missing id; an id
// used twice in the file (every use is bad); an unknown commune code; an unreadable state or area; the id of a parcel
// retired by a split or merge; a parcel reaching farther than options.rules.boundary_tolerance_m outside the commune
// it is registered in (parcel_placement.hpp, docs/rules.md §5). A changed geometry goes through replace_geometry (the old one is kept in the history up
// to the day before the import date); area_m2 is computed in EPSG:9205.
struct ParcelImportOptions : ImportOptions {
  std::string id_field = "id";
  std::string commune_field;  // empty: assign by location
};

struct UnassignedParcel {
  std::int64_t feature_number = 0;
  std::string external_id;
};

struct ParcelImportReport : ImportReport {
  int geometry_changed = 0;
  bool ids_from_labels = false;              // DGN: ids taken from text elements
  std::vector<UnassignedParcel> unassigned;  // stored without a commune
};

Result<ParcelImportReport> import_parcels(storage::Database& db, admin::AdminService& admin,
                                          const identity::Actor& actor, const geo::FeatureSet& features,
                                          const ParcelImportOptions& options);

// Producers (CSV/XLSX). Required: external_id (or id), and name for a new one.
// Optional: kind (household, cooperative, cooperative_group, enterprise, farm; or
// hộ, HTX, THT, DN, trang trại), commune_code (commune, unit_code, ma_xa),
// members_count, ethnicity (dan_toc), citizen_id (cccd; 9 or 12 digits),
// tax_code (mst), phone, address (dia_chi), organisation (the external id of the
// cooperative a household belongs to, in the file or already stored: a
// membership from the import date).
Result<ImportReport> import_producers(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& features, const ImportOptions& options);

// Production zones. Required: code, and name and commodity for a new one.
// Optional: unit_code (commune_code, commune, unit), planned_area_ha, decision,
// period_from, period_to, status (planned, active, closed), and a polygonal geometry.
// In a file with geometries, a feature without one (null, unreadable, an unknown
// type) is bad: a zone is never stored without the boundary its file meant to give.
Result<ImportReport> import_zones(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                  const geo::FeatureSet& features, const ImportOptions& options);

// Plantings (CSV/XLSX). Required: parcel (the parcel's external id; parcel_id,
// ma_thua), crop, start_date. Optional: variety, perennial (true/false, 1/0,
// có/không), season, planted_year, end_date, planted_area_m2 (default: the
// parcel's area). A planting already recorded may only gain an end date; other
// differences are problems (plantings are history, not rewritten by an import).
Result<ImportReport> import_plantings(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& features, const ImportOptions& options);

// Land rights (CSV/XLSX). Required: parcel, producer (external ids), kind (owner,
// lessee, contributed), valid_from. Optional: valid_to, document. A right that
// would make the parcel's controller ambiguous (registry::right_conflicts: two
// owners, or two leases/contributions at once) is a problem. A right already
// recorded may only gain an end date.
Result<ImportReport> import_rights(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                   const geo::FeatureSet& features, const ImportOptions& options);

}  // namespace nongsan::registry
