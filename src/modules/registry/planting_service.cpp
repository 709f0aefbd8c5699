#include "modules/registry/planting_service.hpp"

#include <map>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/audit/audit_log.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

namespace {
// A planted or converted area larger than the parcel, beyond this measurement
// tolerance, is an error.
constexpr double kAreaTolerance = 1.05;
}  // namespace

Result<json> PlantingService::add_planting(const Actor& a, Planting pl) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.parcel(c, pl.parcel);
    if (!p) return no_record("parcel", pl.parcel.value);
    std::vector<FieldError> errors;
    if (trim(pl.crop).empty()) errors.push_back({"crop", "is required"});
    if (pl.planted_area_m2 <= 0) errors.push_back({"planted_area_m2", "must be positive"});
    if (p->area_m2 && pl.planted_area_m2 > *p->area_m2 * kAreaTolerance)
      errors.push_back({"planted_area_m2", "is larger than the parcel (" + format_number_vi(*p->area_m2, 0) + " m²)"});
    for (const auto& [field, d] : {std::pair{"start_date", std::optional<CivilDate>(pl.start_date)},
                                   std::pair{"end_date", pl.end_date}})
      if (auto e = ctx_.settings.rules.dates.check(field, d)) errors.push_back(*e);
    if (pl.end_date && *pl.end_date < pl.start_date) errors.push_back({"end_date", "is before start_date"});
    if (pl.start_date < p->valid_from) errors.push_back({"start_date", "is before the parcel existed"});
    if (!errors.empty()) return Error::invalid("the planting is not valid", errors);
    pl.id = RegistryRepository::insert_planting(c, pl);
    json after = js.planting(pl);
    audit::record(c, a, "create", "planting", std::to_string(pl.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> PlantingService::end_planting(const Actor& a, PlantingId id, const CivilDate& last_day) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto found = s.planting(c, id);
    if (!found) return no_record("planting", id.value);
    const auto& [planting, parcel] = *found;
    if (auto e = ctx_.settings.rules.dates.check("end_date", last_day)) return Error::invalid("the date is not valid", {*e});
    if (last_day < planting.start_date)
      return Error::invalid("the date is not valid", {{"end_date", "is before the planting's start"}});
    RegistryRepository::end_planting(c, id, last_day);
    json after = {{"id", id.value}, {"end_date", last_day.iso()}};
    audit::record(c, a, "update", "planting", std::to_string(id.value), parcel.unit, std::nullopt, after);
    return after;
  });
}

Result<json> PlantingService::add_conversion(const Actor& a, CropConversion v) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.parcel(c, v.parcel);
    if (!p) return no_record("parcel", v.parcel.value);
    std::vector<FieldError> errors;
    if (trim(v.to_crop).empty()) errors.push_back({"to_crop", "is required"});
    if (v.area_m2 <= 0) errors.push_back({"area_m2", "must be positive"});
    if (p->area_m2 && v.area_m2 > *p->area_m2 * kAreaTolerance)
      errors.push_back({"area_m2", "is larger than the parcel (" + format_number_vi(*p->area_m2, 0) + " m²)"});
    if (auto e = ctx_.settings.rules.dates.check("date", v.date)) errors.push_back(*e);
    if (!errors.empty()) return Error::invalid("the conversion is not valid", errors);
    v.id = RegistryRepository::insert_conversion(c, v);
    json after = js.conversion(v);
    audit::record(c, a, "create", "crop_conversion", std::to_string(v.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<Page> PlantingService::list_conversions(const Actor& a, const ConversionFilter& f) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  std::vector<FieldError> errors;
  for (const auto& [field, d] : {std::pair{"from", f.from}, std::pair{"to", f.to}})
    if (auto e = ctx_.settings.rules.dates.check(field, d)) errors.push_back(*e);
  if (!errors.empty()) return Error::invalid("the request is not valid", errors);
  RegistryJson js = ctx_.json();
  auto graph = ctx_.admin.graph();
  Page page;
  ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    ConversionQuery q;
    q.from = f.from;
    q.to = f.to;
    q.from_use = f.from_use;
    q.to_crop = f.to_crop;
    q.units = s.units();
    q.include_unassigned = s.province_wide();
    // Producer accounts see their parcels' conversions on the parcels, not the province's list.
    if (s.producers()) q.units = std::unordered_set<UnitId>{};
    auto narrow = [&](std::unordered_set<UnitId> wanted) {
      std::unordered_set<UnitId> both;
      for (UnitId u : wanted)
        if (s.unit(u) && (!q.units || q.units->contains(u))) both.insert(u);
      q.units = std::move(both);
      q.include_unassigned = false;
    };
    if (f.commune) narrow({*f.commune});
    if (f.unit) narrow(s.unit(*f.unit) ? graph->scope_of(*f.unit) : std::unordered_set<UnitId>{});
    q.page = f.page;
    q.page_size = f.page_size;
    for (const auto& [v, p] : RegistryRepository::list_conversions(c, q, &page.total))
      page.items.push_back(js.conversion_item(v, p));
    if (page.total == 0) {
      ConversionQuery all;
      all.units = s.producers() ? std::optional<std::unordered_set<UnitId>>(std::unordered_set<UnitId>{}) : s.units();
      all.include_unassigned = s.province_wide();
      all.page_size = 1;
      std::int64_t in_scope = 0;
      RegistryRepository::list_conversions(c, all, &in_scope);
      page.empty = RegistryContext::empty_reason(s, in_scope);
    }
  });
  return page;
}

Result<json> PlantingService::conversion_summary(const Actor& a, std::optional<CivilDate> from,
                                                 std::optional<CivilDate> to) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  std::vector<FieldError> errors;
  for (const auto& [field, d] : {std::pair{"from", from}, std::pair{"to", to}})
    if (auto e = ctx_.settings.rules.dates.check(field, d)) errors.push_back(*e);
  if (!errors.empty()) return Error::invalid("the request is not valid", errors);
  auto g = ctx_.admin.graph();
  return ctx_.db.read([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    std::map<std::string, double> by_from, by_crop;
    std::map<std::int64_t, double> by_unit;
    double total = 0, from_inefficient_rice = 0;
    int count = 0;
    ConversionQuery q;
    q.from = from;
    q.to = to;
    q.units = s.producers() ? std::optional<std::unordered_set<UnitId>>(std::unordered_set<UnitId>{}) : s.units();
    q.include_unassigned = !s.units() && !s.producers();
    q.page_size = 0;
    for (const auto& [v, p] : RegistryRepository::list_conversions(c, q, nullptr)) {
      double h = v.area_m2 / 10000.0;
      by_from[std::string(to_string(v.from_use))] += h;
      by_crop[v.to_crop] += h;
      if (p.unit) by_unit[p.unit->value] += h;
      total += h;
      if (v.from_use == FromUse::inefficient_rice) from_inefficient_rice += h;
      ++count;
    }
    json units = json::array();
    for (const auto& [uid, h] : by_unit) {
      const auto* u = g->find(UnitId(uid));
      units.push_back({{"unit", u ? admin::AdminService::ref_json(*u) : json(nullptr)}, {"hectares", RegistryJson::round2(h)}});
    }
    json jf = json::object(), jc = json::object();
    for (const auto& [k, h] : by_from) jf[k] = RegistryJson::round2(h);
    for (const auto& [k, h] : by_crop) jc[k] = RegistryJson::round2(h);
    return json{{"from", from ? json(from->iso()) : json(nullptr)},
                {"to", to ? json(to->iso()) : json(nullptr)},
                {"conversions", count},
                {"total_ha", RegistryJson::round2(total)},
                {"from_inefficient_rice_ha", RegistryJson::round2(from_inefficient_rice)},
                {"by_from_use_ha", jf},
                {"by_crop_ha", jc},
                {"by_commune", units}};
  });
}

}  // namespace nongsan::registry
