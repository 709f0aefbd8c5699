#include "modules/registry/registry_json.hpp"

#include <cmath>

#include "geo/geometry_ops.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/credentials.hpp"

namespace nongsan::registry {

using nlohmann::json;

json RegistryJson::opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json RegistryJson::opt_date(const std::optional<CivilDate>& d) { return d ? json(d->iso()) : json(nullptr); }
double RegistryJson::round2(double v) { return std::round(v * 100.0) / 100.0; }
json RegistryJson::ha(const std::optional<double>& m2) { return m2 ? json(round2(*m2 / 10000.0)) : json(nullptr); }

json RegistryJson::geojson(const storage::Geometry& g, int decimals) {
  auto gj = geo::to_geojson(g, decimals);
  return gj ? json::parse(*gj) : json(nullptr);
}

std::optional<json> RegistryJson::feature(std::int64_t id, const storage::Geometry& g, json properties, int decimals) {
  auto gj = geo::to_geojson(g, decimals);
  if (!gj) return std::nullopt;
  return json{{"type", "Feature"}, {"id", id}, {"geometry", json::parse(*gj)}, {"properties", std::move(properties)}};
}

json RegistryJson::unit_ref(const std::optional<UnitId>& u) const {
  if (!u) return nullptr;
  const admin::AdminUnit* au = graph_->find(*u);
  return au ? admin::AdminService::ref_json(*au) : json(nullptr);
}

json RegistryJson::producer(const Producer& p) const {
  return {{"id", p.id.value},
          {"external_id", p.external_id},
          {"kind", to_string(p.kind)},
          {"name", p.name},
          {"unit", unit_ref(p.unit)},
          {"members_count", p.members_count ? json(*p.members_count) : json(nullptr)},
          {"ethnicity", p.ethnicity},
          {"citizen_id", identity::mask(p.citizen_id)},
          {"tax_code", p.tax_code},
          {"phone", identity::mask(p.phone)},
          {"address", p.address},
          {"illustrative", p.illustrative},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

json RegistryJson::producer_ref(const Producer& p) const {
  return {{"id", p.id.value}, {"name", p.name}, {"kind", to_string(p.kind)}};
}

json RegistryJson::producer_detail(const Producer& p, const ProducerDetailFacts& f) const {
  json out = producer(p);
  json members = json::array(), orgs = json::array(), rights = json::array();
  for (const auto& m : f.members) members.push_back({{"id", m.id.value}, {"name", m.name}});
  for (const auto& o : f.organisations) orgs.push_back({{"id", o.id.value}, {"name", o.name}});
  for (const auto& [r, parcel] : f.rights)
    rights.push_back({{"id", r.id.value}, {"kind", to_string(r.kind)}, {"valid_from", r.valid_from.iso()},
                      {"valid_to", opt_date(r.valid_to)},
                      {"parcel", parcel ? json{{"id", parcel->id.value}, {"external_id", parcel->external_id},
                                               {"area_ha", ha(parcel->area_m2)}}
                                        : json(nullptr)}});
  out["members"] = members;
  out["organisations"] = orgs;
  out["rights"] = rights;
  out["possible_duplicates"] = f.duplicates_in_scope;
  out["possible_duplicates_elsewhere"] = f.duplicates_elsewhere;
  return out;
}

json RegistryJson::zone(const Zone& z) const {
  return {{"id", z.id.value},
          {"code", z.code},
          {"name", z.name},
          {"commodity", z.commodity},
          {"unit", unit_ref(z.unit)},
          {"planned_area_ha", opt(z.planned_area_ha)},
          {"decision", z.decision},
          {"period_from", opt_date(z.period_from)},
          {"period_to", opt_date(z.period_to)},
          {"status", to_string(z.status)},
          {"illustrative", z.illustrative}};
}

json RegistryJson::parcel(const Parcel& p, const ParcelFacts& f) const {
  json holder = nullptr;
  if (f.control && f.controller)
    holder = {{"producer_id", f.controller->id.value}, {"name", f.controller->name},
              {"kind", to_string(f.controller->kind)}, {"right", to_string(f.control->kind)},
              {"since", f.control->valid_from.iso()}};
  return {{"id", p.id.value},
          {"external_id", p.external_id},
          {"sheet_no", p.sheet_no},
          {"parcel_no", p.parcel_no},
          {"commune", unit_ref(p.unit)},
          {"land_use_code", p.land_use_code},
          {"land_use", land_use_.ref(p.land_use_code)},
          {"state", to_string(p.state)},
          {"official_area_m2", opt(p.official_area_m2)},
          {"area_m2", p.area_m2 ? json(round2(*p.area_m2)) : json(nullptr)},
          {"area_ha", ha(p.area_m2)},
          {"valid_from", p.valid_from.iso()},
          {"valid_to", opt_date(p.valid_to)},
          {"crops", f.crops},
          {"holder", holder},
          {"illustrative", p.illustrative},
          {"source", p.source}};
}

json RegistryJson::parcel_detail(const Parcel& p, const ParcelDetailFacts& f, const CivilDate& as_of) const {
  json out = parcel(p, f.facts);
  json jr = json::array();
  for (const auto& [r, prod] : f.rights)
    jr.push_back({{"id", r.id.value},
                  {"producer", prod ? producer_ref(*prod) : json(nullptr)},
                  {"kind", to_string(r.kind)},
                  {"valid_from", r.valid_from.iso()},
                  {"valid_to", opt_date(r.valid_to)},
                  {"document", r.document}});
  out["rights"] = jr;
  json jp = json::array();
  for (const auto& pl : f.plantings) {
    json item = planting(pl);
    item.erase("parcel_id");
    item["active"] = pl.active_on(as_of);
    jp.push_back(std::move(item));
  }
  out["plantings"] = jp;
  json jc = json::array();
  for (const auto& v : f.conversions) {
    json item = conversion(v);
    item.erase("parcel_id");
    jc.push_back(std::move(item));
  }
  out["conversions"] = jc;
  json jh = json::array();
  for (const auto& h : f.history)
    jh.push_back({{"valid_from", h.valid_from.iso()}, {"valid_to", opt_date(h.valid_to)}, {"area_m2", opt(h.area_m2)},
                  {"geometry", geojson(h.geom)}});
  out["geometry_history"] = jh;
  json jl = json::array();
  for (const auto& [l, other] : f.lineage) {
    bool parent = l.child == p.id;
    jl.push_back({{"relation", parent ? "from" : "into"}, {"event", l.event}, {"date", l.date.iso()},
                  {"parcel", other ? json{{"id", other->id.value}, {"external_id", other->external_id}} : json(nullptr)}});
  }
  out["lineage"] = jl;
  json jz = json::array();
  for (const auto& z : f.zones)
    jz.push_back({{"id", z.zone.id.value}, {"code", z.zone.code}, {"name", z.zone.name},
                  {"commodity", z.zone.commodity}, {"unit", unit_ref(z.zone.unit)},
                  {"inside_m2", round2(z.inside_m2)}, {"share_pct", round2(100.0 * z.share)},
                  {"illustrative", z.zone.illustrative}});
  out["zones"] = jz;
  if (p.geom) {
    json g = geojson(*p.geom);
    if (!g.is_null()) out["geometry"] = g;
  }
  out["as_of"] = as_of.iso();
  return out;
}

json RegistryJson::right(const LandRight& r) const {
  return {{"id", r.id.value},          {"parcel_id", r.parcel.value},        {"producer_id", r.producer.value},
          {"kind", to_string(r.kind)}, {"valid_from", r.valid_from.iso()}, {"valid_to", opt_date(r.valid_to)},
          {"document", r.document}};
}

json RegistryJson::planting(const Planting& pl) const {
  return {{"id", pl.id.value},
          {"parcel_id", pl.parcel.value},
          {"crop", pl.crop},
          {"variety", pl.variety},
          {"perennial", pl.perennial},
          {"season", pl.season},
          {"planted_year", pl.planted_year ? json(*pl.planted_year) : json(nullptr)},
          {"start_date", pl.start_date.iso()},
          {"end_date", opt_date(pl.end_date)},
          {"planted_area_m2", pl.planted_area_m2}};
}

json RegistryJson::conversion(const CropConversion& v) const {
  return {{"id", v.id.value},      {"parcel_id", v.parcel.value}, {"from_use", to_string(v.from_use)},
          {"to_crop", v.to_crop},  {"date", v.date.iso()},        {"area_m2", v.area_m2},
          {"note", v.note}};
}

json RegistryJson::conversion_item(const CropConversion& v, const Parcel& p) const {
  json out = conversion(v);
  out["commune"] = unit_ref(p.unit);
  out["parcel"] = {{"id", p.id.value}, {"external_id", p.external_id}, {"commune", unit_ref(p.unit)},
                   {"illustrative", p.illustrative}};
  return out;
}

json RegistryJson::finding(const Finding& f) const {
  return {{"id", f.id},
          {"kind", f.kind},
          {"parcel_a", f.a},
          {"parcel_b", f.b.empty() ? json(nullptr) : json(f.b)},
          {"value", f.value ? json(*f.value) : json(nullptr)},
          {"message", f.message},
          {"checked_at", f.checked_at}};
}

json RegistryJson::check_run(const CheckRun& run, std::int64_t findings_in_scope) const {
  return {{"kind", run.kind},
          {"checked_at", run.checked_at},
          {"checked_by", run.checked_by},
          {"parcels_checked", run.parcels},
          {"findings_in_scope", findings_in_scope},
          {"job_id", run.job_id ? json(*run.job_id) : json(nullptr)}};
}

}  // namespace nongsan::registry
