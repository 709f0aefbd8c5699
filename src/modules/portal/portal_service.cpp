#include "modules/portal/portal_service.hpp"

#include "core/csv.hpp"

namespace nongsan::portal {

using nlohmann::json;

namespace {
json pick(const json& from, std::initializer_list<const char*> keys) {
  json out = json::object();
  for (const char* k : keys) out[k] = from.contains(k) ? from[k] : json(nullptr);
  return out;
}
}  // namespace

identity::Actor PortalService::reader() const {
  // Reads province-wide, writes nothing (the inspector's permissions); the whitelist below decides what is shown.
  identity::Actor a;
  a.name = "portal";
  a.role = identity::Role::inspector;
  a.client = "portal";
  return a;
}

Result<json> PortalService::cached(const std::string& key, const std::function<Result<json>()>& make) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end() && now - it->second.first < std::chrono::seconds(ttl_)) return it->second.second;
  }
  auto r = make();
  if (!r) return r;
  std::lock_guard lock(mutex_);
  if (cache_.size() > 256) cache_.clear();  // bounded: keys come from query parameters
  cache_[key] = {now, *r};
  return r;
}

Result<std::string> PortalService::default_programme() {
  auto list = cached("programmes", [&]() { return targets_.list_programmes(reader()); });
  if (!list) return list.error();
  std::string best;
  for (const auto& p : *list)
    if (p.contains("code") && (best.empty() || p["code"].get<std::string>() < best)) best = p["code"].get<std::string>();
  return best;
}

Result<json> PortalService::progress(const std::string& programme_in, std::optional<CivilDate> as_of) {
  std::string programme = programme_in;
  if (programme.empty()) {
    auto d = default_programme();
    if (!d) return d.error();
    programme = *d;
  }
  if (programme.empty()) return Error::not_found("no programme is published");
  const CivilDate date = as_of.value_or(CivilDate::today());
  return cached("progress:" + programme + ":" + date.iso(), [&]() -> Result<json> {
    auto review = targets_.review(reader(), programme, std::nullopt, date, "", "vi");
    if (!review) return review.error();
    auto programmes = targets_.list_programmes(reader());
    if (!programmes) return programmes.error();
    json progs = json::array();
    for (const auto& p : *programmes) progs.push_back(pick(p, {"code", "name_vi"}));
    json inds = json::array();
    bool illustrative = false;
    for (const auto& i : (*review)["indicators"]) {
      json x = pick(i, {"name_vi", "measure_unit", "baseline", "target", "actual", "achievement_pct", "status"});
      x["code"] = i["indicator"];
      illustrative = illustrative || i.value("illustrative", false);
      inds.push_back(std::move(x));
    }
    json units = json::array();
    for (const auto& u : (*review).value("units", json::array())) {
      json items = json::array();
      for (const auto& i : u["indicators"]) items.push_back({{"code", i.value("indicator", "")}, {"achievement_pct", i.value("achievement_pct", json(nullptr))}, {"band", i.value("band", json(nullptr))}});
      units.push_back({{"code", u["unit_code"]}, {"name", u["unit_name"]}, {"indicators", items}});
    }
    return json{{"programmes", progs},
                {"programme", pick((*review)["programme"], {"code", "name_vi"})},
                {"milestone", (*review)["milestone"]},
                {"as_of", date.iso()},
                {"indicators", inds},
                {"units", units},
                {"licence", kLicence},
                {"illustrative", illustrative}};
  });
}

Result<json> PortalService::zones() {
  return cached("zones", [&]() -> Result<json> {
    auto fc = registry_.zones().map(reader());
    if (!fc) return fc.error();
    json features = json::array();
    for (const auto& f : (*fc)["features"])
      features.push_back({{"type", "Feature"}, {"geometry", f["geometry"]},
                          {"properties", pick(f["properties"], {"code", "name", "commodity", "status", "unit", "illustrative"})}});
    return json{{"type", "FeatureCollection"}, {"licence", kLicence}, {"features", features}};
  });
}

Result<json> PortalService::growing_areas() {
  return cached("areas", [&]() -> Result<json> {
    areacodes::CodeQuery q;
    q.status = areacodes::CodeStatus::issued;
    auto fc = areacodes_.map(reader(), q);
    if (!fc) return fc.error();
    json features = json::array();
    for (const auto& f : (*fc)["features"])  // the parcel's external id is left out: it leads to its holder
      features.push_back({{"type", "Feature"}, {"geometry", f["geometry"]}, {"properties", pick(f["properties"], {"code", "crop", "status"})}});
    return json{{"type", "FeatureCollection"}, {"licence", kLicence}, {"features", features}};
  });
}

Result<json> PortalService::lots() {
  if (!trace_) return json::array();
  return cached("lots", [&]() -> Result<json> { return trace_->public_lots(20); });
}

Result<json> PortalService::ocop_products(std::optional<CivilDate> on_in) {
  const CivilDate on = on_in.value_or(CivilDate::today());
  return cached("ocop:" + on.iso(), [&]() -> Result<json> {
    auto rows = ocop_.status(reader(), on);
    if (!rows) return rows.error();
    auto g = admin_.graph();
    json items = json::array();
    for (const auto& r : *rows) {
      if (r.standing.stars <= 0 || (r.standing.status != "valid" && r.standing.status != "expiring")) continue;
      const admin::AdminUnit* u = r.unit ? g->find(*r.unit) : nullptr;
      items.push_back({{"code", r.product}, {"name", r.name}, {"stars", r.standing.stars}, {"status", r.standing.status},
                       {"expires", r.standing.expires ? json(r.standing.expires->iso()) : json(nullptr)},
                       {"unit", u ? json(u->name) : json(nullptr)}});
    }
    return json{{"as_of", on.iso()}, {"licence", kLicence}, {"items", items}};
  });
}

std::string PortalService::progress_csv(const json& p) {
  auto cell = [](const json& v) { return v.is_null() ? std::string() : v.is_string() ? csv::field(v.get<std::string>()) : v.dump(); };
  std::string out = "\xEF\xBB\xBF" "programme,as_of,indicator,name_vi,measure_unit,baseline,target,actual,achievement_pct,status\n";
  for (const auto& i : p["indicators"])
    out += cell(p["programme"]["code"]) + "," + cell(p["as_of"]) + "," + cell(i["code"]) + "," + cell(i["name_vi"]) + "," +
           cell(i["measure_unit"]) + "," + cell(i["baseline"]) + "," + cell(i["target"]) + "," + cell(i["actual"]) + "," +
           cell(i["achievement_pct"]) + "," + cell(i["status"]) + "\n";
  return out;
}

std::string PortalService::ocop_csv(const json& products) {
  auto cell = [](const json& v) { return v.is_null() ? std::string() : v.is_string() ? csv::field(v.get<std::string>()) : v.dump(); };
  std::string out = "\xEF\xBB\xBF" "code,name,stars,status,expires,unit\n";
  for (const auto& i : products["items"])
    out += cell(i["code"]) + "," + cell(i["name"]) + "," + cell(i["stars"]) + "," + cell(i["status"]) + "," + cell(i["expires"]) + "," + cell(i["unit"]) + "\n";
  return out;
}

}  // namespace nongsan::portal
