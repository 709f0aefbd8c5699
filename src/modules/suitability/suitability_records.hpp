// Records of the planning side of land suitability (migration 0006): stored crop
// profiles, registered raster layers, runs and their per-parcel / per-zone results.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nongsan::suitability {

struct ProfileRecord {
  std::int64_t id = 0;
  std::string crop, name_vi, commodity, method;
  std::string profile;  // JSON text
  bool sourced = false;
  int version = 1;
  std::string updated_by, updated_at;
};

struct ProfileVersionRecord {
  int version = 0;
  std::string profile, updated_by, updated_at, note;
};

enum class LayerKind { continuous, categorical };

struct RasterLayerRecord {
  std::int64_t id = 0;
  std::string name, path;
  LayerKind kind = LayerKind::continuous;
  std::string unit, description;
  std::map<std::string, std::string> codes;  // categorical: code -> label
  std::string derived_from;                  // e.g. slope from elevation
  bool illustrative = false;
  std::string source, created_at, updated_at;
};

struct RunRecord {
  std::int64_t id = 0;
  std::string crop;
  int profile_version = 0;
  std::string layers;  // JSON text
  std::string data_hash, scope;
  int parcels = 0, zones = 0;
  std::string run_by, run_at;
};

// Areas by class: index 0 nodata, 1 S1, 2 S2, 3 S3, 4 N (m²).
using ClassM2 = std::array<double, 5>;

struct ParcelResult {
  std::int64_t parcel_id = 0;
  ClassM2 m2{};
  std::string dominant_class, limiting_factor;
};

// One parcel's result for one crop, with the run that gave it.
struct ParcelCropResult {
  std::string crop, crop_name_vi;
  ClassM2 m2{};
  std::string dominant_class, limiting_factor;
  std::int64_t run_id = 0;
  int profile_version = 0;
  std::string run_at;
};

struct ZoneResult {
  std::int64_t zone_id = 0;
  ClassM2 m2{};
  std::string limiting;  // JSON text: [{factor, m2}]
};

}  // namespace nongsan::suitability
