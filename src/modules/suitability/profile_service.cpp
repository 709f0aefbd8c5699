#include "modules/suitability/profile_service.hpp"

#include <set>

#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/suitability/suitability_repository.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

namespace {

json profile_summary(const ProfileRecord& r, const CropProfile* p) {
  json j = {{"crop", r.crop},         {"name_vi", r.name_vi},       {"commodity", r.commodity},
            {"method", r.method},     {"sourced", r.sourced},       {"version", r.version},
            {"updated_by", r.updated_by}, {"updated_at", r.updated_at}};
  if (p) {
    json uns = json::array();
    for (auto i : p->unsourced_factors()) uns.push_back(p->factors[i].layer);
    j["unsourced_factors"] = uns;
    json layers = json::array();
    for (const auto& f : p->factors) layers.push_back(f.layer);
    j["layers"] = layers;
    j["name_en"] = p->name_en;
  }
  return j;
}

ProfileRecord record_of(const CropProfile& p, const std::string& by) {
  ProfileRecord r;
  r.crop = p.crop;
  r.name_vi = p.name_vi;
  r.commodity = commodity_of(p);
  r.method = std::string(method_name(p.method));
  r.profile = to_json(p).dump();
  r.sourced = p.sourced();
  r.updated_by = by;
  return r;
}

}  // namespace

std::string commodity_of(const CropProfile& p) {
  if (p.extra.contains("commodity") && p.extra["commodity"].is_string()) return p.extra["commodity"].get<std::string>();
  if (p.crop == "rice_paddy") return "rice";  // zones plan "rice"; paddy is the profile that fits them
  return p.crop;
}

Result<LoadedProfile> load_profile(storage::Database& db, const std::string& crop, const RasterFolder& folder) {
  auto [rec, layers] = db.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityRepository::find_profile(c, crop), SuitabilityRepository::list_layers(c));
  });
  if (!rec) return Error::not_found("no crop profile for '" + crop + "'");
  auto p = parse_crop_profile(json::parse(rec->profile, nullptr, false));
  if (!p) return p.error();
  return LoadedProfile{*rec, std::move(*p), LayerSet{std::move(layers), folder}};
}

Result<json> ProfileService::list(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_profiles(c); });
  json out = json::array();
  for (const auto& r : rows) {
    auto p = parse_crop_profile(json::parse(r.profile, nullptr, false));
    out.push_back(profile_summary(r, p ? &*p : nullptr));
  }
  return json{{"items", out}};
}

Result<json> ProfileService::get(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto r = db_.read([&](storage::Connection& c) { return SuitabilityRepository::find_profile(c, crop); });
  if (!r) return Error::not_found("no crop profile for '" + crop + "'");
  auto doc = json::parse(r->profile, nullptr, false);
  auto p = parse_crop_profile(doc);
  json j = profile_summary(*r, p ? &*p : nullptr);
  j["profile"] = p ? to_json(*p) : doc;
  return j;
}

Result<json> ProfileService::history(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto v = db_.read([&](storage::Connection& c) { return SuitabilityRepository::profile_versions(c, crop); });
  if (v.empty()) return Error::not_found("no crop profile for '" + crop + "'");
  json items = json::array();
  for (const auto& x : v)
    items.push_back({{"version", x.version},
                     {"updated_by", x.updated_by},
                     {"updated_at", x.updated_at},
                     {"note", x.note},
                     {"profile", json::parse(x.profile, nullptr, false)}});
  return json{{"crop", crop}, {"items", items}};
}

Result<json> ProfileService::import(const identity::Actor& a, const json& doc, const std::string& note) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  auto parsed = parse_crop_profiles(doc);
  if (!parsed) return parsed.error();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < parsed->size(); ++i)
    if (!seen.insert((*parsed)[i].crop).second)
      return Error::invalid("the file holds a crop twice",
                            {{"[" + std::to_string(i) + "].crop", "crop '" + (*parsed)[i].crop + "' appears twice"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& p : *parsed) {
      auto before = SuitabilityRepository::find_profile(c, p.crop);
      auto saved = SuitabilityRepository::save_profile(c, record_of(p, a.name), note.empty() ? "import" : note);
      audit::record(c, a, before ? "update" : "create", "crop_profile", p.crop, std::nullopt,
                    before ? std::optional<json>(json{{"version", before->version}}) : std::nullopt,
                    json{{"version", saved.version}, {"sourced", saved.sourced}});
      items.push_back({{"crop", saved.crop}, {"version", saved.version}, {"sourced", saved.sourced}});
    }
    return json{{"imported", items}};
  });
}

Result<json> ProfileService::save(const identity::Actor& a, const std::string& crop, const json& doc_in,
                                  const std::string& note, bool create) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s.error();
  json doc = doc_in;
  if (doc.is_object() && !doc.contains("crop")) doc["crop"] = crop;
  auto p = parse_crop_profile(doc);
  if (!p) return p.error();
  if (p->crop != crop)
    return Error::invalid("the profile is for another crop", {{"crop", "'" + p->crop + "' is not '" + crop + "'"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto before = SuitabilityRepository::find_profile(c, crop);
    if (create && before) return Error::conflict("a profile for '" + crop + "' already exists; change that one");
    if (!create && !before) return Error::not_found("no crop profile for '" + crop + "'");
    auto saved = SuitabilityRepository::save_profile(c, record_of(*p, a.name), note);
    audit::record(c, a, before ? "update" : "create", "crop_profile", crop, std::nullopt,
                  before ? std::optional<json>(json::parse(before->profile, nullptr, false)) : std::nullopt,
                  json::parse(saved.profile, nullptr, false));
    json j = profile_summary(saved, &*p);
    j["profile"] = to_json(*p);
    return j;
  });
}

Status ProfileService::remove(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_write); !s) return s;
  return db_.write([&](storage::Connection& c) -> Status {
    auto before = SuitabilityRepository::find_profile(c, crop);
    if (!before) return Error::not_found("no crop profile for '" + crop + "'");
    SuitabilityRepository::delete_profile(c, crop);
    audit::record(c, a, "delete", "crop_profile", crop, std::nullopt, json::parse(before->profile, nullptr, false),
                  std::nullopt);
    return {};
  });
}

Result<json> ProfileService::export_all(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto rows = db_.read([](storage::Connection& c) { return SuitabilityRepository::list_profiles(c); });
  json out = json::array();
  for (const auto& r : rows) out.push_back(json::parse(r.profile, nullptr, false));
  return out;
}

}  // namespace nongsan::suitability
