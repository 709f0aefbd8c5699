#include "modules/registry/zone_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/text.hpp"
#include "geo/adjacency.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/registry/parcel_service.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

Result<Page> ZoneService::list(const Actor& a, const std::string& commodity) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  Page page;
  ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    auto zones = RegistryRepository::list_zones(c, s.units(), commodity, false);
    for (const auto& z : zones) page.items.push_back(js.zone(z));
    page.total = static_cast<std::int64_t>(zones.size());
    if (page.total == 0)
      page.empty = RegistryContext::empty_reason(
          s, static_cast<std::int64_t>(RegistryRepository::list_zones(c, s.units(), "", false).size()));
  });
  return page;
}

Result<json> ZoneService::get(const Actor& a, ZoneId id, std::optional<CivilDate> as_of) {
  auto m = measures(a, id, as_of);
  if (!m) return m.error();
  RegistryJson js = ctx_.json();
  auto z = ctx_.db.read([&](storage::Connection& c) { return RegistryRepository::find_zone(c, id, true); });
  json out = js.zone(*z);
  out["measures"] = *m;
  if (z->geom) {
    json g = RegistryJson::geojson(*z->geom, 6);
    if (!g.is_null()) out["geometry"] = g;
  }
  return out;
}

Result<json> ZoneService::create(const Actor& a, Zone z) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  std::vector<FieldError> errors;
  if (trim(z.code).empty()) errors.push_back({"code", "is required"});
  if (trim(z.name).empty()) errors.push_back({"name", "is required"});
  if (trim(z.commodity).empty()) errors.push_back({"commodity", "is required"});
  if (z.planned_area_ha && *z.planned_area_ha <= 0) errors.push_back({"planned_area_ha", "must be positive"});
  if (z.period_from && z.period_to && *z.period_to < *z.period_from) errors.push_back({"period_to", "is before period_from"});
  for (const auto& [field, d] : {std::pair{"period_from", z.period_from}, std::pair{"period_to", z.period_to}})
    if (auto e = ctx_.settings.rules.dates.check(field, d)) errors.push_back(*e);
  if (!z.geom) errors.push_back({"geometry", "is required"});
  else if (auto mp = polygon_geometry(*z.geom, "geometry"); !mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
  else z.geom = *mp;
  try {
    return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
      RecordScope s = ctx_.scope(a, c);
      if (z.unit && !s.unit(*z.unit)) errors.push_back(no_such("unit_id", "administrative unit"));
      else if (!z.unit && s.units()) errors.push_back({"unit_id", "is required"});
      if (!errors.empty()) return Error::invalid("the zone is not valid", errors);
      if (RegistryRepository::find_zone_by_code(c, z.code)) return Error::invalid("the zone is not valid", {{"code", "is already used"}});
      z.id = RegistryRepository::insert_zone(c, z);
      json after = js.zone(*RegistryRepository::find_zone(c, z.id, false));
      audit::record(c, a, "create", "zone", std::to_string(z.id.value), z.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the zone code is already used");
    throw;
  }
}

Result<json> ZoneService::update(const Actor& a, ZoneId id, const json& patch, const std::optional<storage::Geometry>& geom) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto z = s.zone(c, id, true);
    if (!z) return no_record("zone", id.value);
    json before = js.zone(*z);
    std::vector<FieldError> errors;
    if (patch.contains("name")) z->name = patch["name"].get<std::string>();
    if (patch.contains("commodity")) z->commodity = patch["commodity"].get<std::string>();
    if (patch.contains("unit_id")) {
      if (patch["unit_id"].is_null()) {
        if (s.units()) errors.push_back({"unit_id", "is required"});
        z->unit.reset();
      } else {
        UnitId u(patch["unit_id"].get<std::int64_t>());
        if (!s.unit(u)) errors.push_back(no_such("unit_id", "administrative unit"));
        z->unit = u;
      }
    }
    if (patch.contains("decision")) z->decision = patch["decision"].get<std::string>();
    if (patch.contains("planned_area_ha"))
      z->planned_area_ha = patch["planned_area_ha"].is_null() ? std::nullopt : std::optional<double>(patch["planned_area_ha"].get<double>());
    if (patch.contains("status")) z->status = *parse_zone_status(patch["status"].get<std::string>());
    for (auto [field, target] : {std::pair{"period_from", &z->period_from}, std::pair{"period_to", &z->period_to}})
      if (patch.contains(field)) {
        *target = patch[field].is_null() ? std::nullopt : CivilDate::parse(patch[field].get<std::string>());
        if (auto e = ctx_.settings.rules.dates.check(field, *target)) errors.push_back(*e);
      }
    if (geom) {
      auto mp = polygon_geometry(*geom, "geometry");
      if (!mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
      else z->geom = *mp;
    }
    if (z->planned_area_ha && *z->planned_area_ha <= 0) errors.push_back({"planned_area_ha", "must be positive"});
    if (!errors.empty()) return Error::invalid("the zone is not valid", errors);
    RegistryRepository::update_zone(c, *z);
    json after = js.zone(*z);
    audit::record(c, a, "update", "zone", std::to_string(id.value), z->unit, before, after);
    return after;
  });
}

Result<json> ZoneService::measures(const Actor& a, ZoneId id, std::optional<CivilDate> as_of_opt) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  if (auto e = ctx_.settings.rules.dates.check("as_of", as_of_opt)) return Error::invalid("the request is not valid", {*e});
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  using R = RegistryJson;
  return ctx_.db.read([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto z = s.zone(c, id, true);
    if (!z) return no_record("zone", id.value);
    json out = {{"as_of", as_of.iso()}, {"commodity", z->commodity}};
    if (!z->geom) return out;
    double zone_area = geo::area_m2(*z->geom).value_or(0);
    auto b = geo::bounds(*z->geom);
    ParcelQuery q;
    q.bbox = BBox{b->min_x, b->min_y, b->max_x, b->max_y};
    q.with_geometry = true;
    q.page_size = 0;
    q.valid_on = as_of;
    std::map<std::int64_t, std::vector<Planting>> plantings;
    for (const auto& p : RegistryRepository::plantings_on(c, as_of, z->commodity)) plantings[p.parcel.value].push_back(p);
    std::map<std::int64_t, std::vector<LandRight>> rights;
    for (const auto& r : RegistryRepository::rights_on(c, as_of)) rights[r.parcel.value].push_back(r);
    double planted_m2 = 0;
    int parcels_in_zone = 0;
    std::vector<storage::Geometry> commodity_geoms;
    std::vector<double> commodity_areas;
    std::set<std::int64_t> producers;
    for (const auto& p : RegistryRepository::list_parcels(c, q, nullptr)) {
      if (!p.geom) continue;
      auto inside = geo::intersection_area_m2(*p.geom, *z->geom);
      if (!inside || *inside <= 0) continue;
      double area = p.area_m2.value_or(0);
      double fraction = area > 0 ? std::min(1.0, *inside / area) : 0;
      if (fraction >= 0.5) ++parcels_in_zone;
      auto it = plantings.find(p.id.value);
      if (it == plantings.end()) continue;
      double planted = 0;
      for (const auto& pl : it->second) planted += pl.planted_area_m2;
      planted_m2 += planted * fraction;
      if (fraction >= 0.5) {
        commodity_geoms.push_back(*p.geom);
        commodity_areas.push_back(area);
        if (auto ctl = controller_on(rights[p.id.value], as_of)) producers.insert(ctl->producer.value);
      }
    }
    double largest = 0;
    int blocks = 0;
    if (!commodity_geoms.empty()) {
      auto bl = geo::contiguous_blocks(commodity_geoms, 2.0);
      if (bl) {
        blocks = static_cast<int>(bl->block_area_m2.size());
        for (double v : bl->block_area_m2) largest = std::max(largest, v);
      }
    }
    double commodity_area = 0;
    for (double v : commodity_areas) commodity_area += v;
    double planted_ha = planted_m2 / 10000.0;
    out["zone_area_ha"] = R::round2(zone_area / 10000.0);
    out["planned_area_ha"] = R::opt(z->planned_area_ha);
    out["planted_area_ha"] = R::round2(planted_ha);
    out["share_of_planned_pct"] =
        z->planned_area_ha && *z->planned_area_ha > 0 ? json(R::round2(100.0 * planted_ha / *z->planned_area_ha)) : json(nullptr);
    out["parcels_in_zone"] = parcels_in_zone;
    out["commodity_parcels"] = static_cast<int>(commodity_geoms.size());
    out["producers"] = static_cast<int>(producers.size());
    out["mean_parcel_size_ha"] =
        commodity_geoms.empty() ? json(nullptr) : json(R::round2(commodity_area / 10000.0 / commodity_geoms.size()));
    out["parcels_per_ha"] =
        commodity_area > 0 ? json(std::round(1000.0 * commodity_geoms.size() / (commodity_area / 10000.0)) / 1000.0) : json(nullptr);
    out["blocks"] = blocks;
    out["largest_block_ha"] = R::round2(largest / 10000.0);
    out["largest_block_share_pct"] = commodity_area > 0 ? json(R::round2(100.0 * largest / commodity_area)) : json(nullptr);
    out["method"] =
        "Parcels belong to the zone when at least half of their area lies inside; planted area counts the part inside. "
        "Contiguous blocks join commodity parcels that touch or lie within 2 m of each other (digitising gaps).";
    return out;
  });
}

Result<json> ZoneService::map(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  auto zones = ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    return RegistryRepository::list_zones(c, s.units(), "", true);
  });
  json features = json::array();
  for (const auto& z : zones) {
    if (!z.geom) continue;
    json props = js.zone(z);
    props["unit"] = props["unit"].is_null() ? json(nullptr) : props["unit"]["name"];
    if (auto f = RegistryJson::feature(z.id.value, *z.geom, props)) features.push_back(std::move(*f));
  }
  return json{{"type", "FeatureCollection"}, {"features", features}};
}

}  // namespace nongsan::registry
