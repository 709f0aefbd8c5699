// Crop profiles as stored data: listed, read with their history, imported (one or
// many, all or nothing), saved as new versions, deleted and exported. Every change
// is audited; the profile JSON is validated by crop_profile.hpp, whose errors name
// the JSON path. Also the loading of one profile with the layers it reads, which
// the evaluation and the map share.
//
// Permissions: suitability.read to read, suitability.write to change.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/suitability_records.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

// Commodity code a profile plans for (zone.commodity): the profile's own
// "commodity" key, else "rice" for rice_paddy, else the crop code.
std::string commodity_of(const CropProfile& p);

// A stored profile, parsed, with the registered layers.
struct LoadedProfile {
  ProfileRecord record;
  CropProfile profile;
  LayerSet layers;
};
Result<LoadedProfile> load_profile(storage::Database& db, const std::string& crop, const RasterFolder& folder);

class ProfileService {
 public:
  explicit ProfileService(storage::Database& db) : db_(db) {}

  Result<nlohmann::json> list(const identity::Actor& a);
  Result<nlohmann::json> get(const identity::Actor& a, const std::string& crop);
  Result<nlohmann::json> history(const identity::Actor& a, const std::string& crop);
  // One profile object or an array; all or nothing; each saved profile gets a new version.
  Result<nlohmann::json> import(const identity::Actor& a, const nlohmann::json& doc, const std::string& note);
  // Saves `doc` as the profile of `crop` (creating it when `create`).
  Result<nlohmann::json> save(const identity::Actor& a, const std::string& crop, const nlohmann::json& doc,
                              const std::string& note, bool create);
  Status remove(const identity::Actor& a, const std::string& crop);
  Result<nlohmann::json> export_all(const identity::Actor& a);

 private:
  storage::Database& db_;
};

}  // namespace nongsan::suitability
