#include "modules/suitability/parcel_suitability.hpp"

#include <map>

#include "modules/access/access_policy.hpp"
#include "modules/suitability/crop_profile.hpp"
#include "modules/suitability/suitability_format.hpp"
#include "modules/suitability/suitability_repository.hpp"

namespace nongsan::suitability {

using nlohmann::json;

Result<json> ParcelSuitabilityService::of_parcel(const identity::Actor& a, registry::ParcelId id) {
  if (auto s = access::AccessPolicy::require(a, identity::Permission::suitability_read); !s) return s.error();
  // The same check as reading the parcel: an unknown id is not found, another
  // commune's parcel (or another organisation's, for a producer) is refused.
  if (auto s = registry_.parcels().require_read(a, id); !s) return s.error();
  auto [rows, profiles] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityRepository::parcel_results(c, id.value), SuitabilityRepository::list_profiles(c));
  });
  std::map<std::string, std::string> name_en;
  for (const auto& p : profiles)
    if (auto parsed = parse_crop_profile(json::parse(p.profile, nullptr, false))) name_en[p.crop] = parsed->name_en;
  json items = json::array();
  for (const auto& r : rows) {
    double total = 0;
    for (double v : r.m2) total += v;
    items.push_back({{"crop", r.crop},
                     {"name_vi", r.crop_name_vi},
                     {"name_en", name_en.count(r.crop) ? name_en[r.crop] : ""},
                     {"dominant_class", r.dominant_class},
                     {"limiting_factor", r.limiting_factor.empty() ? json(nullptr) : json(r.limiting_factor)},
                     {"hectares", ha_json(r.m2)},
                     {"total_ha", total / 1e4},
                     {"run_id", r.run_id},
                     {"profile_version", r.profile_version},
                     {"run_at", r.run_at}});
  }
  return json{{"parcel_id", id.value}, {"items", items}};
}

}  // namespace nongsan::suitability
