// The public portal (Notice 752-TB/TU §2.1, communication of the programme; docs/portal.md):
// what anyone may see without logging in — the programme's progress by indicator and by
// unit, the zones and the certified growing areas on a map, the OCOP products with their
// stars, open data downloads (CSV, GeoJSON, licence CC BY 4.0). It reads through the
// modules' services as a read-only province-wide actor and keeps only the fields named
// here (a whitelist): never a household's name, citizen id or phone. Answers are cached
// for `ttl_seconds` so that the public routes stay cheap under load.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/registry/registry_service.hpp"
#include "modules/targets/targets_service.hpp"
#include "modules/trace/trace_service.hpp"
#include "storage/database.hpp"

namespace nongsan::portal {

inline constexpr const char* kLicence = "CC BY 4.0";
inline constexpr const char* kLicenceUrl = "https://creativecommons.org/licenses/by/4.0/deed.vi";

class PortalService {
 public:
  PortalService(storage::Database& db, admin::AdminService& admin, targets::TargetsService& targets,
                registry::RegistryService& registry, areacodes::AreaCodeService& areacodes, ocop::OcopService& ocop,
                int ttl_seconds = 300)
      : db_(db), admin_(admin), targets_(targets), registry_(registry), areacodes_(areacodes), ocop_(ocop), ttl_(ttl_seconds) {}

  // {programmes: [{code, name_vi}], programme, milestone, as_of, indicators: [{code, name_vi,
  //  measure_unit, baseline, target, actual, achievement_pct, status}], units: [{code, name,
  //  indicators: [{code, achievement_pct, band}]}], licence, illustrative}
  Result<nlohmann::json> progress(const std::string& programme, std::optional<CivilDate> as_of);
  // FeatureCollections with whitelisted properties.
  Result<nlohmann::json> zones();
  Result<nlohmann::json> growing_areas();
  // {items: [{code, name, stars, status, expires, unit}]}: products certified on `on`.
  Result<nlohmann::json> ocop_products(std::optional<CivilDate> on);
  // CSV of the progress and of the OCOP products (UTF-8 with BOM).
  static std::string progress_csv(const nlohmann::json& progress);
  static std::string ocop_csv(const nlohmann::json& products);
  // Links to the public lot pages (the trace module's; [] without it): the newest lots.
  Result<nlohmann::json> lots();
  void set_trace(trace::TraceService& t) { trace_ = &t; }
  // The default programme: the first stored (by code); "" when none.
  Result<std::string> default_programme();

 private:
  identity::Actor reader() const;
  Result<nlohmann::json> cached(const std::string& key, const std::function<Result<nlohmann::json>()>& make);

  storage::Database& db_;
  admin::AdminService& admin_;
  targets::TargetsService& targets_;
  registry::RegistryService& registry_;
  trace::TraceService* trace_ = nullptr;
  areacodes::AreaCodeService& areacodes_;
  ocop::OcopService& ocop_;
  int ttl_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::chrono::steady_clock::time_point, nlohmann::json>> cache_;
};

}  // namespace nongsan::portal
