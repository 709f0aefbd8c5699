// Administrative units for the API and the CLI: lists and details at a date,
// the map layer, and the cached hierarchy other services use for scope and
// roll-up. Reads need units.read; units are not personal data, so every
// logged-in role may read all of them.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/plausible_dates.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::admin {

struct UnitFilter {
  std::optional<CivilDate> as_of;  // default: today
  std::optional<AdminLevel> level;
  std::optional<UnitId> parent;
  std::string q;  // diacritic-insensitive name or code search
  int page = 1, page_size = 50;
};

struct UnitPage {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
};

class AdminService {
 public:
  // `dates`: the range of dates a read may ask for (settings date_min, date_max).
  explicit AdminService(storage::Database& db, PlausibleDates dates = {}) : db_(db), dates_(dates) {}

  // The hierarchy, cached; reloaded after `invalidate()` or after a few seconds so
  // that changes made by another process (the CLI) are seen.
  std::shared_ptr<const UnitGraph> graph();
  void invalidate();

  Result<UnitPage> list(const identity::Actor& actor, const UnitFilter& filter);
  Result<nlohmann::json> detail(const identity::Actor& actor, UnitId id, std::optional<CivilDate> as_of);
  // GeoJSON FeatureCollection of the units valid on `as_of` (optionally one level).
  Result<nlohmann::json> map_layer(const identity::Actor& actor, std::optional<CivilDate> as_of,
                                   std::optional<AdminLevel> level);

  // {id, code, name, level} of a unit, for references in other modules' JSON.
  static nlohmann::json ref_json(const AdminUnit& u);
  nlohmann::json unit_json(const UnitGraph& g, const AdminUnit& u, const CivilDate& as_of) const;

 private:
  storage::Database& db_;
  PlausibleDates dates_;
  std::mutex mu_;
  std::shared_ptr<const UnitGraph> cached_;
  std::chrono::steady_clock::time_point loaded_at_;
};

}  // namespace nongsan::admin
