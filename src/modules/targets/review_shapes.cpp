#include "modules/targets/review_shapes.hpp"

#include <set>
#include <string>

namespace nongsan::targets {

using nlohmann::json;

Result<json> review_unit_shapes(admin::AdminService& admin, const identity::Actor& actor, const json& review) {
  auto as_of = CivilDate::parse(review.value("as_of", std::string()));
  if (!as_of) return Error::invalid("review without a date", {{"as_of", "missing or not a date"}});
  std::set<std::string> codes;
  std::optional<admin::AdminLevel> level;
  if (review.contains("units") && review["units"].is_array() && !review["units"].empty()) {
    for (const auto& u : review["units"]) codes.insert(u.value("unit_code", std::string()));
    level = admin::parse_level(review["units"][0].value("level", std::string()));
  } else if (review.contains("unit") && review["unit"].is_object()) {
    codes.insert(review["unit"].value("code", std::string()));
    level = admin::parse_level(review["unit"].value("level", std::string()));
  }
  auto layer = admin.map_layer(actor, as_of, level);
  if (!layer) return layer.error();
  json features = json::array();
  for (const auto& f : (*layer)["features"])
    if (codes.count(f["properties"].value("code", std::string()))) features.push_back(f);
  return json{{"type", "FeatureCollection"}, {"as_of", as_of->iso()}, {"features", std::move(features)}};
}

}  // namespace nongsan::targets
