#include "modules/areacodes/code_health.hpp"

#include <cmath>
#include <cstdio>

namespace nongsan::areacodes {

using nlohmann::json;

namespace {
std::string ha(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f ha", v);
  return buf;
}
}  // namespace

const CropInfo* CropTable::find(const std::string& code) const {
  auto it = crops.find(code);
  return it == crops.end() ? nullptr : &it->second;
}

Result<CropTable> parse_crop_table(const json& doc) {
  std::vector<FieldError> errors;
  CropTable t;
  if (!doc.is_object()) return Error::invalid("the crop table is not a JSON object", {{"$", "must be an object"}});
  auto number_at = [&](const json& obj, const std::string& key, const std::string& path, double min, double max,
                       double& into) {
    if (!obj.contains(key)) return;
    if (!obj[key].is_number() || obj[key].get<double>() < min || obj[key].get<double>() > max)
      errors.push_back({path, "must be a number from " + std::to_string(min) + " to " + std::to_string(max)});
    else into = obj[key].get<double>();
  };
  if (doc.contains("settings")) {
    const json& s = doc["settings"];
    if (!s.is_object()) errors.push_back({"settings", "must be an object"});
    else {
      number_at(s, "area_tolerance_pct", "settings.area_tolerance_pct", 0, 100, t.defaults.area_tolerance_pct);
      number_at(s, "minimum_ha_perennial", "settings.minimum_ha_perennial", 0, 1000, t.defaults.minimum_ha_perennial);
      number_at(s, "minimum_ha_annual", "settings.minimum_ha_annual", 0, 1000, t.defaults.minimum_ha_annual);
      number_at(s, "diary_gap_days", "settings.diary_gap_days", 1, 3660, t.defaults.diary_gap_days);
      if (s.contains("serious")) {
        if (!s["serious"].is_array()) errors.push_back({"settings.serious", "must be an array of finding names"});
        else
          for (std::size_t i = 0; i < s["serious"].size(); ++i)
            if (!s["serious"][i].is_string()) errors.push_back({"settings.serious[" + std::to_string(i) + "]", "must be a text"});
            else t.defaults.serious.insert(s["serious"][i].get<std::string>());
      }
    }
  }
  if (!doc.contains("crops") || !doc["crops"].is_array()) {
    errors.push_back({"crops", "must be an array"});
  } else {
    for (std::size_t i = 0; i < doc["crops"].size(); ++i) {
      const json& c = doc["crops"][i];
      const std::string path = "crops[" + std::to_string(i) + "]";
      if (!c.is_object() || !c.contains("code") || !c["code"].is_string() || c["code"].get<std::string>().empty()) {
        errors.push_back({path + ".code", "must be a non-empty text"});
        continue;
      }
      CropInfo info;
      info.code = c["code"].get<std::string>();
      info.name_vi = c.value("name_vi", info.code);
      if (!c.contains("perennial") || !c["perennial"].is_boolean()) errors.push_back({path + ".perennial", "must be true or false"});
      else info.perennial = c["perennial"].get<bool>();
      if (c.contains("max_yield_kg_per_ha") && !c["max_yield_kg_per_ha"].is_null()) {
        double v = 0;
        number_at(c, "max_yield_kg_per_ha", path + ".max_yield_kg_per_ha", 0, 1e6, v);
        info.max_yield_kg_per_ha = v;
      }
      info.yield_basis = c.value("yield_basis", "");
      info.source = c.value("source", "");
      info.illustrative = c.value("illustrative", true);
      if (t.crops.count(info.code)) errors.push_back({path + ".code", "appears twice"});
      t.crops[info.code] = info;
    }
  }
  if (!errors.empty()) return Error::invalid("the crop table of the area codes is not valid", errors);
  return t;
}

double minimum_ha(const CropTable& crops, const HealthSettings& s, const std::string& crop) {
  const CropInfo* c = crops.find(crop);
  return c && c->perennial ? s.minimum_ha_perennial : s.minimum_ha_annual;
}

void rule_below_minimum(const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) {
  if (f.kind != CodeKind::area) return;
  const double min = minimum_ha(ctx.crops, ctx.settings, f.crop);
  if (f.registry_area_ha + 1e-9 < min) {
    const CropInfo* c = ctx.crops.find(f.crop);
    out.push_back({"below_minimum", f.code, "",
                   "registry area " + ha(f.registry_area_ha) + " < minimum " + ha(min) + " for " +
                       (c && c->perennial ? "a perennial" : "an annual") + " crop (" + f.crop + ")",
                   false, f.id, {}});
  }
}

void rule_area_mismatch(const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) {
  if (f.kind != CodeKind::area) return;
  for (const auto& s : f.seasons) {
    const double base = f.registry_area_ha;
    const double diff = std::fabs(s.area_ha - base);
    // The registry area is the base: the declaration is what is checked against it.
    bool mismatch = base <= 0 ? s.area_ha > 0 : diff > base * ctx.settings.area_tolerance_pct / 100.0 + 1e-9;
    if (!mismatch) continue;
    char pct[32] = "";
    if (base > 0) std::snprintf(pct, sizeof pct, "%.1f", 100.0 * diff / base);
    out.push_back({"area_mismatch", f.code, s.season,
                   "declared " + ha(s.area_ha) + " vs registry " + ha(base) +
                       (base > 0 ? " (" + std::string(pct) + " % of the registry area)" : std::string(" (no registry area)")),
                   false, f.id, {}});
  }
}

std::vector<CodeRule> standard_rules() { return {rule_below_minimum, rule_area_mismatch}; }

std::vector<Finding> check_codes(const std::vector<CodeFacts>& codes, const HealthContext& ctx,
                                 const std::vector<CodeRule>& rules) {
  std::vector<Finding> out;
  for (const auto& f : codes) {
    if (f.status != CodeStatus::issued && f.status != CodeStatus::suspended) continue;
    for (const auto& rule : rules) rule(f, ctx, out);
  }
  for (auto& x : out) x.serious = ctx.settings.serious.count(x.finding) > 0;
  return out;
}

}  // namespace nongsan::areacodes
