#include "modules/registry/parcel_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/registry/parcel_overlaps.hpp"
#include "modules/registry/parcel_placement.hpp"
#include "storage/data_version.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

namespace {

// A parcel belongs to a zone when most of it lies inside.
bool mostly_inside(const storage::Geometry& parcel, double parcel_area, const storage::Geometry& zone) {
  auto a = geo::intersection_area_m2(parcel, zone);
  return a && parcel_area > 0 && *a >= 0.5 * parcel_area;
}

bool boxes_meet(const std::optional<geo::Bounds>& a, const std::optional<geo::Bounds>& b) {
  return a && b && a->max_x >= b->min_x && a->min_x <= b->max_x && a->max_y >= b->min_y && a->min_y <= b->max_y;
}

std::vector<FieldError> date_problems(const admin::PlausibleDates& dates,
                                      std::initializer_list<std::pair<const char*, std::optional<CivilDate>>> fields) {
  std::vector<FieldError> out;
  for (const auto& [name, d] : fields)
    if (auto e = dates.check(name, d)) out.push_back(*e);
  return out;
}

}  // namespace

Result<storage::Geometry> polygon_geometry(const storage::Geometry& g, const std::string& field) {
  auto mp = geo::as_multipolygon(g);
  if (!mp) return Error::invalid("the geometry is not valid", {{field, "must be a polygon or multipolygon"}});
  std::string reason;
  if (!geo::is_valid(*mp, &reason))
    return Error::invalid("the geometry is not valid", {{field, "is not a valid polygon: " + reason}});
  auto b = geo::bounds(*mp);
  if (!b || b->min_x < -180 || b->max_x > 180 || b->min_y < -90 || b->max_y > 90)
    return Error::invalid("the geometry is not valid", {{field, "must be WGS 84 longitude/latitude"}});
  return *mp;
}

ParcelFacts parcel_facts(storage::Connection& c, const Parcel& p, const CivilDate& as_of) {
  ParcelFacts f;
  if (auto ctl = controller_on(RegistryRepository::rights_of_parcel(c, p.id), as_of))
    if (auto prod = RegistryRepository::find_producer(c, ctl->producer)) {
      f.control = *ctl;
      f.controller = *prod;
    }
  for (const auto& pl : RegistryRepository::plantings_of_parcel(c, p.id))
    if (pl.active_on(as_of)) f.crops.push_back(pl.crop);
  return f;
}

namespace {
// parcel_facts of every parcel of a page, in three queries instead of three per parcel.
std::vector<ParcelFacts> page_facts(storage::Connection& c, const std::vector<Parcel>& parcels, const CivilDate& as_of) {
  std::vector<std::int64_t> ids;
  ids.reserve(parcels.size());
  for (const auto& p : parcels) ids.push_back(p.id.value);
  auto rights = RegistryRepository::rights_of_parcels(c, ids);
  auto plantings = RegistryRepository::plantings_of_parcels(c, ids);
  std::vector<std::optional<LandRight>> control(parcels.size());
  std::vector<std::int64_t> producer_ids;
  for (std::size_t i = 0; i < parcels.size(); ++i)
    if (auto it = rights.find(ids[i]); it != rights.end())
      if ((control[i] = controller_on(it->second, as_of))) producer_ids.push_back(control[i]->producer.value);
  auto producers = RegistryRepository::find_producers(c, producer_ids);
  std::vector<ParcelFacts> out(parcels.size());
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    if (control[i])
      if (auto it = producers.find(control[i]->producer.value); it != producers.end()) {
        out[i].control = *control[i];
        out[i].controller = it->second;
      }
    if (auto it = plantings.find(ids[i]); it != plantings.end())
      for (const auto& pl : it->second)
        if (pl.active_on(as_of)) out[i].crops.push_back(pl.crop);
  }
  return out;
}

// The page `q` asks for and the list's total: from the list's page marks
// (parcel_page_marks.hpp) when they are kept or this request computes them, otherwise
// by counting and OFFSET (RegistryRepository::list_parcels); the same rows either way.
std::vector<Parcel> page_of_parcels(RegistryContext& ctx, storage::Connection& c, const ParcelQuery& q,
                                    std::int64_t& total) {
  // A list narrowed to ids or a box (a zone, a crop, a holder, a producer account, the
  // map's view) is computed for the request and rarely asked again: no marks.
  if (q.page_size <= 0 || q.ids || q.bbox) return RegistryRepository::list_parcels(c, q, &total);
  const auto before = storage::data_version(ctx.db);  // none with a replica serving reads
  if (!before) return RegistryRepository::list_parcels(c, q, &total);
  const std::string key = parcel_list_key(c, q);
  auto found = ctx.page_marks->find_or_claim(key, *before);
  auto marks = found.marks;
  // Another request is computing this list's marks: this one does not wait for them.
  if (!marks && !found.claim) return RegistryRepository::list_parcels(c, q, &total);
  if (!marks) marks = std::make_shared<const ParcelPageMarks>(parcel_page_marks(c, q));
  std::vector<Parcel> parcels;
  const auto index = static_cast<std::size_t>(q.page - 1);
  if (index < marks->starts.size()) {
    const auto& start = marks->starts[index];
    parcels = start && q.sort == ParcelSort::external_id ? list_parcels_from(c, q, *start)
                                                         : RegistryRepository::list_parcels(c, q, nullptr);
  }
  // Each statement reads the data as committed when it runs: the marks (kept or just
  // computed) and the page agree only if no commit came between the version read before
  // and now. Otherwise the page is read again as it was without marks, none is kept.
  if (storage::data_version(ctx.db) != before) return RegistryRepository::list_parcels(c, q, &total);
  if (found.claim) ctx.page_marks->put(key, *before, marks);
  total = marks->total;
  return parcels;
}
}  // namespace

Result<Page> ParcelService::list(const Actor& a, const ParcelFilter& f) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  if (auto e = ctx_.settings.rules.dates.check("as_of", f.as_of))
    return Error::invalid("the request is not valid", {*e});
  CivilDate as_of = f.as_of.value_or(CivilDate::today());
  RegistryJson js = ctx_.json();
  Page page;
  ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    ParcelQuery q;
    q.units = s.units();
    q.include_unassigned = s.province_wide();
    if (f.commune) {
      q.units = s.unit(*f.commune) ? std::unordered_set<UnitId>{*f.commune} : std::unordered_set<UnitId>{};
      q.include_unassigned = false;
    }
    q.state = f.state;
    q.land_use_code = f.land_use_code;
    q.external_id = f.external_id;
    q.sheet_no = f.sheet_no;
    q.parcel_no = f.parcel_no;
    q.q = f.q;
    q.sort = f.sort;
    q.bbox = f.bbox;
    q.valid_on = f.as_of;
    std::optional<std::unordered_set<std::int64_t>> ids;
    auto restrict_to = [&](std::unordered_set<std::int64_t> set) {
      if (!ids) {
        ids = std::move(set);
        return;
      }
      std::unordered_set<std::int64_t> both;
      for (auto i : *ids)
        if (set.contains(i)) both.insert(i);
      ids = std::move(both);
    };
    if (!f.crop.empty()) {
      std::unordered_set<std::int64_t> set;
      for (const auto& p : RegistryRepository::plantings_on(c, as_of, f.crop)) set.insert(p.parcel.value);
      restrict_to(std::move(set));
    }
    if (f.holder && !s.producer(c, *f.holder)) restrict_to({});
    else if (f.holder || s.producers()) {
      std::map<std::int64_t, std::vector<LandRight>> by_parcel;
      for (const auto& r : RegistryRepository::rights_on(c, as_of)) by_parcel[r.parcel.value].push_back(r);
      if (f.holder) {
        std::unordered_set<std::int64_t> set;
        for (const auto& [pid, rights] : by_parcel)
          if (auto ctl = controller_on(rights, as_of); ctl && ctl->producer == *f.holder) set.insert(pid);
        restrict_to(std::move(set));
      }
      if (s.producers()) {
        std::unordered_set<std::int64_t> set;
        for (const auto& [pid, rights] : by_parcel)
          for (const auto& r : rights)
            if (s.producers()->contains(r.producer.value)) set.insert(pid);
        restrict_to(std::move(set));
      }
    }
    if (f.zone) {
      auto z = s.zone(c, *f.zone, true);
      if (!z || !z->geom) {
        restrict_to({});
      } else {
        auto b = geo::bounds(*z->geom);
        ParcelQuery zq = q;
        zq.bbox = BBox{b->min_x, b->min_y, b->max_x, b->max_y};
        zq.with_geometry = true;
        zq.page_size = 0;
        std::unordered_set<std::int64_t> set;
        for (const auto& p : RegistryRepository::list_parcels(c, zq, nullptr))
          if (p.geom && mostly_inside(*p.geom, p.area_m2.value_or(0), *z->geom)) set.insert(p.id.value);
        restrict_to(std::move(set));
      }
    }
    q.ids = ids;
    q.page = f.page;
    q.page_size = f.page_size;
    const auto parcels = page_of_parcels(ctx_, c, q, page.total);
    const auto facts = page_facts(c, parcels, as_of);
    for (std::size_t i = 0; i < parcels.size(); ++i) page.items.push_back(js.parcel(parcels[i], facts[i]));
    if (page.total == 0) {
      // What the scope holds, today, without any filter.
      std::int64_t in_scope = 0;
      ParcelQuery all;
      all.units = s.units();
      all.include_unassigned = s.province_wide();
      all.page_size = 1;
      if (s.producers()) {
        std::unordered_set<std::int64_t> held;
        for (const auto& r : RegistryRepository::rights_on(c, CivilDate::today()))
          if (s.producers()->contains(r.producer.value)) held.insert(r.parcel.value);
        all.ids = std::move(held);
      }
      RegistryRepository::list_parcels(c, all, &in_scope);
      page.empty = RegistryContext::empty_reason(s, in_scope);
    }
  });
  return page;
}

Status ParcelService::require_read(const Actor& a, ParcelId id) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  return ctx_.db.read([&](storage::Connection& c) -> Status {
    RecordScope s = ctx_.scope(a, c);
    if (!s.parcel(c, id, false)) return no_record("parcel", id.value);
    return {};
  });
}

Result<json> ParcelService::get(const Actor& a, ParcelId id, std::optional<CivilDate> as_of) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  if (auto e = ctx_.settings.rules.dates.check("as_of", as_of)) return Error::invalid("the request is not valid", {*e});
  RegistryJson js = ctx_.json();
  return ctx_.db.read([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.parcel(c, id, true);
    if (!p) return no_record("parcel", id.value);
    CivilDate when = as_of.value_or(CivilDate::today());
    ParcelDetailFacts d;
    d.facts = parcel_facts(c, *p, when);
    for (const auto& r : RegistryRepository::rights_of_parcel(c, id))
      d.rights.emplace_back(r, RegistryRepository::find_producer(c, r.producer));
    d.plantings = RegistryRepository::plantings_of_parcel(c, id);
    d.conversions = RegistryRepository::conversions_of_parcel(c, id);
    d.history = RegistryRepository::geometry_history(c, id);
    for (const auto& l : RegistryRepository::lineage_of(c, id))
      d.lineage.emplace_back(l, RegistryRepository::find_parcel(c, l.child == id ? l.parent : l.child, false));
    // The boundary on the date asked: the current one, or the version then in force.
    std::optional<storage::Geometry> geom_then = p->geom;
    std::optional<double> area_then = p->area_m2;
    if (as_of)
      for (const auto& h : d.history)
        if (h.valid_from <= when && (!h.valid_to || when <= *h.valid_to)) geom_then = h.geom, area_then = h.area_m2;
    if (geom_then && area_then && *area_then > 0) {
      auto pb = geo::bounds(*geom_then);
      for (auto& z : RegistryRepository::list_zones(c, s.units(), "", true)) {
        if (!z.geom || !boxes_meet(pb, geo::bounds(*z.geom))) continue;
        auto inside = geo::intersection_area_m2(*geom_then, *z.geom);
        if (!inside || *inside <= 0) continue;
        d.zones.push_back({std::move(z), *inside, std::min(1.0, *inside / *area_then)});
      }
      std::sort(d.zones.begin(), d.zones.end(), [](const auto& x, const auto& y) { return x.share > y.share; });
    }
    json out = js.parcel_detail(*p, d, when);
    if (as_of) {
      for (const auto& h : d.history)
        if (h.valid_from <= when && (!h.valid_to || when <= *h.valid_to)) {
          json g = RegistryJson::geojson(h.geom);
          if (!g.is_null()) out["geometry"] = g, out["area_m2"] = RegistryJson::opt(h.area_m2);
        }
    }
    out["valid_on_as_of"] = p->valid_from <= when && (!p->valid_to || when <= *p->valid_to);
    return out;
  });
}

// The live overlap check of a saved boundary (parcel_overlaps.hpp), as the answer's
// "overlaps": the current parcels it overlaps by more than the setting
// parcel_min_overlap_m2, largest first. A parcel outside the caller's scope is
// counted with its area but not named (an id outside the scope answers as one that
// does not exist). null when the boundary cannot be checked.
json ParcelService::overlap_warnings(const Actor& a, const storage::Geometry& geom, const std::string& self) {
  auto found = ctx_.overlaps->check(geom, ctx_.settings.rules.min_overlap_m2, self);
  if (!found) return nullptr;
  std::vector<geo::ParcelOverlap> list = std::move(*found);
  std::stable_sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.overlap_m2 > y.overlap_m2; });
  return ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    json out = json::array();
    for (const auto& o : list) {
      json item = {{"id", nullptr}, {"external_id", nullptr}, {"overlap_m2", std::round(o.overlap_m2 * 1000) / 1000}};
      if (auto other = RegistryRepository::find_parcel_by_external_id(c, o.id, false)) {
        if (s.parcel(c, other->id, false)) item["id"] = other->id.value, item["external_id"] = o.id;
      }
      out.push_back(std::move(item));
    }
    return out;
  });
}

Result<json> ParcelService::create(const Actor& a, Parcel p) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  auto graph = ctx_.admin.graph();
  std::vector<FieldError> errors;
  if (trim(p.external_id).empty()) errors.push_back({"external_id", "is required"});
  if (!p.geom) errors.push_back({"geometry", "is required"});
  else if (auto mp = polygon_geometry(*p.geom, "geometry"); !mp) {
    for (const auto& e : mp.error().fields) errors.push_back(e);
    p.geom.reset();
  } else {
    p.geom = *mp;
    if (auto area = geo::area_m2(*mp)) p.area_m2 = *area;
  }
  if (p.official_area_m2 && *p.official_area_m2 <= 0) errors.push_back({"official_area_m2", "must be positive"});
  for (auto& e : date_problems(ctx_.settings.rules.dates, {{"valid_from", p.valid_from}})) errors.push_back(e);
  RegistryFingerprint fp_before, fp_after;
  std::optional<Result<json>> done;
  try {
    done = ctx_.db.write([&](storage::Connection& c) -> Result<json> {
      fp_before = ParcelOverlaps::fingerprint(c);
      RecordScope s = ctx_.scope(a, c);
      if (p.unit && !s.unit(*p.unit)) errors.push_back(no_such("commune_id", "administrative unit"));
      else if (!p.unit && !s.province_wide()) errors.push_back({"commune_id", "is required"});
      else if (p.unit && p.geom) {
        auto placed = check_placement(c, *graph, *p.geom, *p.unit, ctx_.settings.rules.boundary_tolerance_m, "geometry");
        if (!placed) return placed.error();
        errors.insert(errors.end(), placed->begin(), placed->end());
      }
      if (!errors.empty()) return Error::invalid("the parcel is not valid", errors);
      if (RegistryRepository::find_parcel_by_external_id(c, p.external_id, false))
        return Error::invalid("the parcel is not valid", {{"external_id", "is already used"}});
      p.id = RegistryRepository::insert_parcel(c, p);
      auto created = *RegistryRepository::find_parcel(c, p.id, false);
      json after = js.parcel(created, parcel_facts(c, created, CivilDate::today()));
      audit::record(c, a, "create", "parcel", std::to_string(p.id.value), p.unit, std::nullopt, after);
      fp_after = ParcelOverlaps::fingerprint(c);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the external id is already used");
    throw;
  }
  if (*done) {  // committed: the index learns the parcel, then answers for it
    ctx_.overlaps->written(fp_before, fp_after, {p.id});
    (**done)["overlaps"] = overlap_warnings(a, *p.geom, p.external_id);
  }
  return std::move(*done);
}

Result<json> ParcelService::update(const Actor& a, ParcelId id, const ParcelPatch& patch) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  auto graph = ctx_.admin.graph();
  RegistryFingerprint fp_before, fp_after;
  std::optional<storage::Geometry> redrawn;
  std::string external_id;
  auto done = ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    fp_before = ParcelOverlaps::fingerprint(c);
    RecordScope s = ctx_.scope(a, c);
    auto p = s.parcel(c, id, true);
    if (!p) return no_record("parcel", id.value);
    if (p->valid_to) return Error::conflict("the parcel was retired on " + p->valid_to->vi() + " (split or merged)");
    CivilDate today = CivilDate::today();
    json before = js.parcel(*p, parcel_facts(c, *p, today));
    std::vector<FieldError> errors;
    if (patch.sheet_no) p->sheet_no = *patch.sheet_no;
    if (patch.parcel_no) p->parcel_no = *patch.parcel_no;
    if (patch.land_use_code) p->land_use_code = *patch.land_use_code;
    if (patch.state) p->state = *patch.state;
    if (patch.official_area_m2) {
      if (*patch.official_area_m2 && **patch.official_area_m2 <= 0) errors.push_back({"official_area_m2", "must be positive"});
      p->official_area_m2 = *patch.official_area_m2;
    }
    bool unit_ok = true;
    if (patch.unit) {
      if (*patch.unit && !s.unit(**patch.unit)) errors.push_back(no_such("commune_id", "administrative unit")), unit_ok = false;
      else if (!*patch.unit && !s.province_wide()) errors.push_back({"commune_id", "is required"}), unit_ok = false;
      p->unit = *patch.unit;
    }
    std::optional<storage::Geometry> new_geom;
    if (patch.geom) {
      auto mp = polygon_geometry(*patch.geom, "geometry");
      if (!mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
      else new_geom = *mp;
    }
    for (auto& e : date_problems(ctx_.settings.rules.dates, {{"effective_date", patch.effective}})) errors.push_back(e);
    // A new boundary or a new commune: the parcel must lie in its commune.
    const std::optional<storage::Geometry>& shape = new_geom ? new_geom : p->geom;
    if (unit_ok && p->unit && shape && (new_geom || patch.unit)) {
      auto placed = check_placement(c, *graph, *shape, *p->unit, ctx_.settings.rules.boundary_tolerance_m,
                                    new_geom ? "geometry" : "commune_id");
      if (!placed) return placed.error();
      errors.insert(errors.end(), placed->begin(), placed->end());
    }
    if (!errors.empty()) return Error::invalid("the parcel is not valid", errors);
    RegistryRepository::update_parcel(c, *p);
    if (new_geom)
      RegistryRepository::replace_geometry(c, id, *new_geom, geo::area_m2(*new_geom).value_or(0),
                                           patch.effective.value_or(today));
    auto updated = *RegistryRepository::find_parcel(c, id, false);
    json after = js.parcel(updated, parcel_facts(c, updated, today));
    audit::record(c, a, "update", "parcel", std::to_string(id.value), p->unit, before, after);
    fp_after = ParcelOverlaps::fingerprint(c);
    redrawn = new_geom;
    external_id = updated.external_id;
    return after;
  });
  if (done) {  // committed
    ctx_.overlaps->written(fp_before, fp_after, {id});
    if (redrawn) (*done)["overlaps"] = overlap_warnings(a, *redrawn, external_id);
  }
  return done;
}

Result<json> ParcelService::split(const Actor& a, ParcelId id, const CivilDate& date, const std::vector<SplitPart>& parts) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  auto graph = ctx_.admin.graph();
  std::vector<FieldError> errors = date_problems(ctx_.settings.rules.dates, {{"date", date}});
  if (parts.size() < 2) errors.push_back({"parts", "a split needs at least two parts"});
  std::vector<storage::Geometry> geoms;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string f = "parts[" + std::to_string(i) + "]";
    if (trim(parts[i].external_id).empty()) errors.push_back({f + ".external_id", "is required"});
    if (!ids.insert(parts[i].external_id).second) errors.push_back({f + ".external_id", "is repeated"});
    auto mp = polygon_geometry(parts[i].geom, f + ".geometry");
    if (!mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
    else geoms.push_back(*mp);
  }
  if (!errors.empty()) return Error::invalid("the split is not valid", errors);
  RegistryFingerprint fp_before, fp_after;
  std::vector<ParcelId> touched{id};
  auto done = ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    fp_before = ParcelOverlaps::fingerprint(c);
    RecordScope s = ctx_.scope(a, c);
    auto parent = s.parcel(c, id, false);
    if (!parent) return no_record("parcel", id.value);
    if (parent->valid_to) return Error::conflict("the parcel was already retired");
    if (date <= parent->valid_from) return Error::invalid("the split is not valid", {{"date", "must be after the parcel's start"}});
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (RegistryRepository::find_parcel_by_external_id(c, parts[i].external_id, false))
        return Error::invalid("the split is not valid", {{"parts[" + std::to_string(i) + "].external_id", "is already used"}});
    if (parent->unit) {
      std::vector<PlacedParcel> placed;
      for (std::size_t i = 0; i < geoms.size(); ++i)
        placed.push_back({"parts[" + std::to_string(i) + "].geometry", geoms[i], *parent->unit});
      auto outside = parcels_outside_commune(c, *graph, placed, ctx_.settings.rules.boundary_tolerance_m);
      if (!outside) return outside.error();
      for (const auto& m : *outside) errors.push_back({placed[m.index].label, m.message});
      if (!errors.empty()) return Error::invalid("the split is not valid", errors);
    }
    CivilDate last = CivilDate::from_days(date.days_since_epoch() - 1);
    auto rights = RegistryRepository::rights_of_parcel(c, id);
    json children = json::array();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      Parcel child = *parent;
      child.external_id = parts[i].external_id;
      child.geom = geoms[i];
      child.area_m2 = geo::area_m2(geoms[i]).value_or(0);
      child.official_area_m2.reset();
      child.valid_from = date;
      child.valid_to.reset();
      child.id = RegistryRepository::insert_parcel(c, child);
      touched.push_back(child.id);
      RegistryRepository::add_lineage(c, {id, child.id, "split", date});
      // The rights in force carry over to each part.
      for (auto r : rights)
        if (!r.valid_to || *r.valid_to >= date) {
          r.parcel = child.id;
          r.valid_from = std::max(r.valid_from, date);
          RegistryRepository::insert_right(c, r);
        }
      children.push_back({{"id", child.id.value}, {"external_id", child.external_id}, {"area_ha", RegistryJson::ha(child.area_m2)}});
    }
    for (const auto& r : rights)
      if (!r.valid_to || *r.valid_to >= date) RegistryRepository::end_right(c, r.id, last);
    for (const auto& pl : RegistryRepository::plantings_of_parcel(c, id))
      if (!pl.end_date || *pl.end_date >= date) RegistryRepository::end_planting(c, pl.id, last);
    RegistryRepository::retire_parcel(c, id, last);
    json after = {{"split_into", children}, {"date", date.iso()}};
    audit::record(c, a, "split", "parcel", std::to_string(id.value), parent->unit, std::nullopt, after);
    fp_after = ParcelOverlaps::fingerprint(c);
    return json{{"parent", {{"id", id.value}, {"external_id", parent->external_id}, {"valid_to", last.iso()}}},
                {"children", children}};
  });
  if (done) ctx_.overlaps->written(fp_before, fp_after, touched);  // committed
  return done;
}

Result<json> ParcelService::merge(const Actor& a, const std::vector<ParcelId>& ids, const CivilDate& date,
                                  const std::string& external_id) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  if (ids.size() < 2) return Error::invalid("the merge is not valid", {{"parcel_ids", "a merge needs at least two parcels"}});
  if (trim(external_id).empty()) return Error::invalid("the merge is not valid", {{"external_id", "is required"}});
  if (auto e = ctx_.settings.rules.dates.check("date", date)) return Error::invalid("the merge is not valid", {*e});
  auto graph = ctx_.admin.graph();
  RegistryFingerprint fp_before, fp_after;
  std::vector<ParcelId> touched(ids.begin(), ids.end());
  auto done = ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    fp_before = ParcelOverlaps::fingerprint(c);
    RecordScope s = ctx_.scope(a, c);
    std::vector<Parcel> parents;
    std::vector<storage::Geometry> geoms;
    for (auto pid : ids) {
      auto p = s.parcel(c, pid, true);
      if (!p) return no_record("parcel", pid.value);
      if (p->valid_to) return Error::conflict("parcel " + p->external_id + " was already retired");
      if (date <= p->valid_from)
        return Error::invalid("the merge is not valid", {{"date", "must be after the start of parcel " + p->external_id}});
      if (!parents.empty() && p->unit != parents.front().unit)
        return Error::invalid("the merge is not valid", {{"parcel_ids", "parcels of different communes cannot be merged"}});
      if (p->geom) geoms.push_back(*p->geom);
      parents.push_back(*p);
    }
    if (RegistryRepository::find_parcel_by_external_id(c, external_id, false))
      return Error::invalid("the merge is not valid", {{"external_id", "is already used"}});
    auto merged = geo::union_all(geoms);
    if (!merged) return Error::invalid("the merge is not valid", {{"parcel_ids", merged.error().message}});
    auto mp = geo::as_multipolygon(*merged);
    if (!mp) return Error::invalid("the merge is not valid", {{"parcel_ids", mp.error().message}});
    if (parents.front().unit) {
      auto placed = check_placement(c, *graph, *mp, *parents.front().unit, ctx_.settings.rules.boundary_tolerance_m,
                                    "parcel_ids");
      if (!placed) return placed.error();
      if (!placed->empty()) return Error::invalid("the merge is not valid", *placed);
    }
    CivilDate last = CivilDate::from_days(date.days_since_epoch() - 1);
    Parcel child = parents.front();
    child.external_id = external_id;
    child.geom = *mp;
    child.area_m2 = geo::area_m2(*mp).value_or(0);
    child.official_area_m2.reset();
    child.valid_from = date;
    child.valid_to.reset();
    child.id = RegistryRepository::insert_parcel(c, child);
    // Rights carry over when every parent had the same holders; otherwise they must be
    // entered for the new parcel (the response says so).
    std::set<std::pair<std::int64_t, std::string>> holders_first;
    bool same = true;
    for (std::size_t i = 0; i < parents.size(); ++i) {
      std::set<std::pair<std::int64_t, std::string>> h;
      for (const auto& r : RegistryRepository::rights_of_parcel(c, parents[i].id))
        if (r.valid_on(date)) h.insert({r.producer.value, std::string(to_string(r.kind))});
      if (i == 0) holders_first = h;
      else if (h != holders_first) same = false;
    }
    for (const auto& p : parents) {
      RegistryRepository::add_lineage(c, {p.id, child.id, "merge", date});
      for (const auto& r : RegistryRepository::rights_of_parcel(c, p.id)) {
        if (r.valid_to && *r.valid_to < date) continue;
        if (same && p.id == parents.front().id) {
          auto copy = r;
          copy.parcel = child.id;
          copy.valid_from = std::max(r.valid_from, date);
          RegistryRepository::insert_right(c, copy);
        }
        RegistryRepository::end_right(c, r.id, last);
      }
      for (const auto& pl : RegistryRepository::plantings_of_parcel(c, p.id))
        if (!pl.end_date || *pl.end_date >= date) RegistryRepository::end_planting(c, pl.id, last);
      RegistryRepository::retire_parcel(c, p.id, last);
    }
    json from = json::array();
    for (const auto& p : parents) from.push_back({{"id", p.id.value}, {"external_id", p.external_id}});
    json after = {{"merged_from", from}, {"date", date.iso()}, {"rights_carried_over", same}};
    audit::record(c, a, "merge", "parcel", std::to_string(child.id.value), child.unit, std::nullopt, after);
    touched.push_back(child.id);
    fp_after = ParcelOverlaps::fingerprint(c);
    return json{{"parcel", {{"id", child.id.value}, {"external_id", external_id}, {"area_ha", RegistryJson::ha(child.area_m2)}}},
                {"merged_from", from},
                {"rights_carried_over", same}};
  });
  if (done) ctx_.overlaps->written(fp_before, fp_after, touched);  // committed
  return done;
}

Result<json> ParcelService::map(const Actor& a, const ParcelFilter& f_in, int limit) {
  ParcelFilter f = f_in;
  f.page = 1;
  f.page_size = limit;
  auto page = list(a, f);
  if (!page) return page.error();
  std::unordered_set<std::int64_t> ids;
  for (const auto& item : page->items) ids.insert(item["id"].get<std::int64_t>());
  json features = json::array();
  ctx_.db.read([&](storage::Connection& c) {
    auto zones = RegistryRepository::list_zones(c, std::nullopt, "", true);
    ParcelQuery q;
    q.ids = ids;
    q.with_geometry = true;
    q.page_size = 0;
    q.valid_on = f.as_of;
    std::map<std::int64_t, json> props;
    for (const auto& item : page->items) props[item["id"].get<std::int64_t>()] = item;
    for (const auto& p : RegistryRepository::list_parcels(c, q, nullptr)) {
      if (!p.geom) continue;
      const json& item = props[p.id.value];
      json zone = nullptr;
      auto pb = geo::bounds(*p.geom);
      for (const auto& z : zones) {
        if (!z.geom || !boxes_meet(pb, geo::bounds(*z.geom))) continue;
        if (mostly_inside(*p.geom, p.area_m2.value_or(0), *z.geom)) {
          zone = z.code;
          break;
        }
      }
      auto feature = RegistryJson::feature(
          p.id.value, *p.geom,
          {{"id", p.id.value},
           {"external_id", p.external_id},
           {"crop", item["crops"].empty() ? json(nullptr) : item["crops"][0]},
           {"zone", zone},
           {"state", to_string(p.state)},
           {"land_use_code", p.land_use_code},
           {"holder", item["holder"].is_null() ? json(nullptr) : item["holder"]["name"]},
           {"area_ha", RegistryJson::ha(p.area_m2)}});
      if (feature) features.push_back(std::move(*feature));
    }
  });
  return json{{"type", "FeatureCollection"}, {"total", page->total}, {"truncated", page->total > limit},
              {"features", features}};
}

}  // namespace nongsan::registry
