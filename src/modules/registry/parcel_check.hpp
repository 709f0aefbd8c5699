// Topology checks of the current parcels — overlapping parcels, parcels outside
// their commune (or outside every commune), invalid boundaries, slivers — done by
// geo/overlap_check, and the findings of the last check kept in topology_finding
// for the map (migration 0003), with when each kind last ran and what it found
// (topology_check_run, migration 0008: "no findings" is told apart from "never
// checked"). The reason (docs/rules.md §5, Regulation (EU) 2021/2116 Art. 65–68):
// the same land may not be claimed twice, so every parcel must be one piece of
// land that no other covers, in the commune it is registered in. The same check
// runs from `nongsan check parcels` and as a background job from the API
// (TopologyService). Nothing here prints; the CLI formats the report.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "geo/overlap_check.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::registry {

enum class CheckKind { overlap, outside, invalid, sliver };
std::string_view to_string(CheckKind k);  // as stored: "overlap", "outside", "invalid", "sliver"

struct ParcelCheckOptions {
  std::vector<CheckKind> kinds;  // the checks to run (REQUIRES: not empty)
  double min_overlap_m2 = 1.0;   // overlaps of at most this area are not reported
  // Replace the stored findings of the kinds run (one transaction; needs
  // registry.write). Otherwise only registry.read is needed.
  bool store = true;
  std::function<void(std::size_t done, std::size_t total)> progress;  // the overlap check's
  // A strip this wide across a commune's boundary is not "outside" (the setting
  // parcel_boundary_tolerance_m, the same rule writes obey: parcel_placement.hpp).
  double boundary_tolerance_m = 2.0;
  std::optional<std::int64_t> job_id;  // recorded with the run when it runs as a job
};

struct OutsideFinding {
  std::string parcel;        // external id
  std::string commune_code;  // the commune the parcel is registered in; "" = in none
  double outside_m2 = 0;     // the part beyond the tolerance strip (the whole parcel when in none)
};

struct ParcelCheckReport {
  std::string checked_at;  // UTC timestamp, as stored
  std::size_t parcels = 0;
  std::vector<geo::OverlapPair> overlaps;   // by external id, a < b, sorted
  std::vector<OutsideFinding> outside;      // sorted by parcel
  std::vector<geo::InvalidParcel> invalid;  // sorted by parcel
  std::vector<geo::Sliver> slivers;         // sorted by parcel
  std::vector<std::string> warnings;
  std::size_t stored = 0;  // findings written to topology_finding
};

Result<ParcelCheckReport> check_parcels(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                        const ParcelCheckOptions& options);

}  // namespace nongsan::registry
