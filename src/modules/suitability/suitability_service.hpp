// The planning side of land suitability: crop profiles stored and edited with
// history, raster layers registered in the raster folder, the registry's parcels
// and zones evaluated (hectares by class), unit summaries, the two planning
// reports, one parcel's suitability, and the map (class tiles, the click on a
// point, re-evaluating an area with an unsaved profile). The rules themselves are
// the engine's (evaluate.hpp); these services only read, store and sum.
//
// SuitabilityService builds one service per responsibility and hands them out; the
// server and the CLI call the same ones.
//
// Permissions: suitability.read for every signed-in role; suitability.write
// (profiles, layers, runs) for the province officer and the admin — the planners.
// One parcel's suitability needs what reading that parcel needs (its scope).
#pragma once

#include <filesystem>

#include "modules/admin/admin_service.hpp"
#include "modules/registry/registry_service.hpp"
#include "modules/suitability/layer_service.hpp"
#include "modules/suitability/map_service.hpp"
#include "modules/suitability/parcel_suitability.hpp"
#include "modules/suitability/profile_service.hpp"
#include "modules/suitability/report_service.hpp"
#include "modules/suitability/run_service.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

class SuitabilityService {
 public:
  // `raster_dir`: the folder raster layers must lie in (setting raster_dir).
  SuitabilityService(storage::Database& db, admin::AdminService& admin, registry::RegistryService& registry,
                     const std::filesystem::path& raster_dir)
      : profiles_(db),
        layers_(db, RasterFolder(raster_dir)),
        runs_(db, admin, RasterFolder(raster_dir)),
        reports_(db, admin),
        parcels_(db, registry),
        map_(db, admin, RasterFolder(raster_dir)) {}

  ProfileService& profiles() { return profiles_; }
  LayerService& layers() { return layers_; }
  RunService& runs() { return runs_; }
  ReportService& reports() { return reports_; }
  ParcelSuitabilityService& parcels() { return parcels_; }
  MapService& map() { return map_; }
  const std::filesystem::path& raster_dir() const { return layers_.folder().path(); }

 private:
  ProfileService profiles_;
  LayerService layers_;
  RunService runs_;
  ReportService reports_;
  ParcelSuitabilityService parcels_;
  MapService map_;
};

}  // namespace nongsan::suitability
