#include "modules/registry/registry_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text.hpp"
#include "geo/adjacency.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"
#include "modules/registry/land_control.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

namespace {
json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json opt_date(const std::optional<CivilDate>& d) { return d ? json(d->iso()) : json(nullptr); }
double round2(double v) { return std::round(v * 100.0) / 100.0; }
json ha(const std::optional<double>& m2) { return m2 ? json(round2(*m2 / 10000.0)) : json(nullptr); }

std::string citizen_hash(storage::Connection& c, const std::string& citizen_id) {
  std::string n;
  for (char ch : citizen_id)
    if (ch != ' ' && ch != '-' && ch != '.') n += ch;
  return n.empty() ? "" : identity::digest_hex(n, identity::pii_hash_key(c));
}

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

// A parcel belongs to a zone when most of it lies inside.
bool mostly_inside(const storage::Geometry& parcel, double parcel_area, const storage::Geometry& zone) {
  auto a = geo::intersection_area_m2(parcel, zone);
  return a && parcel_area > 0 && *a >= 0.5 * parcel_area;
}
}  // namespace

RegistryService::Scope RegistryService::scope_of(const Actor& a) {
  Scope s;
  auto g = admin_.graph();
  s.units = AccessPolicy(g).unit_filter(a);
  if (a.role == identity::Role::producer) {
    std::unordered_set<std::int64_t> mine;
    if (a.producer) {
      mine.insert(a.producer->value);
      auto members = db_.read([&](storage::Connection& c) {
        return RegistryRepository::members_of(c, *a.producer, CivilDate::today());
      });
      for (auto m : members) mine.insert(m.value);
    }
    s.producers = std::move(mine);
  }
  return s;
}

json RegistryService::unit_ref(std::optional<UnitId> u) const {
  if (!u) return nullptr;
  auto g = admin_.graph();
  const admin::AdminUnit* au = g->find(*u);
  return au ? admin::AdminService::ref_json(*au) : json(nullptr);
}

json RegistryService::producer_json(const Producer& p) const {
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

json RegistryService::zone_json(const Zone& z) const {
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

json RegistryService::parcel_json(storage::Connection& c, const Parcel& p, const CivilDate& as_of, bool detail) {
  auto rights = RegistryRepository::rights_of_parcel(c, p.id);
  auto plantings = RegistryRepository::plantings_of_parcel(c, p.id);
  json holder = nullptr;
  if (auto ctl = controller_on(rights, as_of))
    if (auto prod = RegistryRepository::find_producer(c, ctl->producer))
      holder = {{"producer_id", prod->id.value}, {"name", prod->name}, {"kind", to_string(prod->kind)},
                {"right", to_string(ctl->kind)}, {"since", ctl->valid_from.iso()}};
  json crops = json::array();
  for (const auto& pl : plantings)
    if (pl.active_on(as_of)) crops.push_back(pl.crop);
  json out = {{"id", p.id.value},
              {"external_id", p.external_id},
              {"sheet_no", p.sheet_no},
              {"parcel_no", p.parcel_no},
              {"commune", unit_ref(p.unit)},
              {"land_use_code", p.land_use_code},
              {"state", to_string(p.state)},
              {"official_area_m2", opt(p.official_area_m2)},
              {"area_m2", p.area_m2 ? json(round2(*p.area_m2)) : json(nullptr)},
              {"area_ha", ha(p.area_m2)},
              {"valid_from", p.valid_from.iso()},
              {"valid_to", opt_date(p.valid_to)},
              {"crops", crops},
              {"holder", holder},
              {"illustrative", p.illustrative},
              {"source", p.source}};
  if (!detail) return out;
  json jr = json::array();
  for (const auto& r : rights) {
    auto prod = RegistryRepository::find_producer(c, r.producer);
    jr.push_back({{"id", r.id.value},
                  {"producer", prod ? json{{"id", prod->id.value}, {"name", prod->name}, {"kind", to_string(prod->kind)}}
                                    : json(nullptr)},
                  {"kind", to_string(r.kind)},
                  {"valid_from", r.valid_from.iso()},
                  {"valid_to", opt_date(r.valid_to)},
                  {"document", r.document}});
  }
  out["rights"] = jr;
  json jp = json::array();
  for (const auto& pl : plantings)
    jp.push_back({{"id", pl.id.value}, {"crop", pl.crop}, {"variety", pl.variety}, {"perennial", pl.perennial},
                  {"season", pl.season}, {"planted_year", pl.planted_year ? json(*pl.planted_year) : json(nullptr)},
                  {"start_date", pl.start_date.iso()}, {"end_date", opt_date(pl.end_date)},
                  {"planted_area_m2", pl.planted_area_m2}, {"active", pl.active_on(as_of)}});
  out["plantings"] = jp;
  json jc = json::array();
  for (const auto& v : RegistryRepository::conversions_of_parcel(c, p.id))
    jc.push_back({{"id", v.id.value}, {"from_use", to_string(v.from_use)}, {"to_crop", v.to_crop},
                  {"date", v.date.iso()}, {"area_m2", v.area_m2}, {"note", v.note}});
  out["conversions"] = jc;
  json jh = json::array();
  for (const auto& h : RegistryRepository::geometry_history(c, p.id)) {
    auto gj = geo::to_geojson(h.geom, 7);
    jh.push_back({{"valid_from", h.valid_from.iso()}, {"valid_to", opt_date(h.valid_to)}, {"area_m2", opt(h.area_m2)},
                  {"geometry", gj ? json::parse(*gj) : json(nullptr)}});
  }
  out["geometry_history"] = jh;
  json jl = json::array();
  for (const auto& l : RegistryRepository::lineage_of(c, p.id)) {
    bool parent = l.child == p.id;
    auto other = RegistryRepository::find_parcel(c, parent ? l.parent : l.child, false);
    jl.push_back({{"relation", parent ? "from" : "into"}, {"event", l.event}, {"date", l.date.iso()},
                  {"parcel", other ? json{{"id", other->id.value}, {"external_id", other->external_id}} : json(nullptr)}});
  }
  out["lineage"] = jl;
  if (p.geom)
    if (auto gj = geo::to_geojson(*p.geom, 7)) out["geometry"] = json::parse(*gj);
  out["as_of"] = as_of.iso();
  return out;
}

Status RegistryService::require_parcel_access(storage::Connection& c, const Actor& a, const Parcel& p, bool write) {
  if (auto s = AccessPolicy::require(a, write ? Permission::registry_write : Permission::registry_read); !s) return s;
  Scope s = scope_of(a);
  if (s.units && (!p.unit || !s.units->contains(*p.unit))) return Error::forbidden("the parcel is outside your scope");
  if (s.producers) {
    bool held = false;
    for (const auto& r : RegistryRepository::rights_of_parcel(c, p.id))
      if (s.producers->contains(r.producer.value)) held = true;
    if (!held) return Error::forbidden("the parcel is not one of your organisation's");
  }
  return {};
}

// ---- producers ----------------------------------------------------------------

Result<Page> RegistryService::list_producers(const Actor& a, const ProducerQuery& q_in) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  ProducerQuery q = q_in;
  if (s.units) {
    if (q.units) {
      std::unordered_set<UnitId> both;
      for (auto u : *q.units)
        if (s.units->contains(u)) both.insert(u);
      q.units = both;
    } else {
      q.units = s.units;
    }
  }
  Page page;
  auto list = db_.read([&](storage::Connection& c) {
    if (s.producers) {
      std::vector<Producer> out;
      for (auto id : *s.producers)
        if (auto p = RegistryRepository::find_producer(c, ProducerId(id))) out.push_back(*p);
      return out;
    }
    return RegistryRepository::list_producers(c, q, &page.total);
  });
  if (s.producers) page.total = static_cast<std::int64_t>(list.size());
  for (const auto& p : list) page.items.push_back(producer_json(p));
  return page;
}

Result<json> RegistryService::get_producer(const Actor& a, ProducerId id) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_producer(c, id);
    if (!p) return Error::not_found("no producer with id " + std::to_string(id.value));
    if (s.units && (!p->unit || !s.units->contains(*p->unit))) return Error::forbidden("the producer is outside your scope");
    if (s.producers && !s.producers->contains(id.value)) return Error::forbidden("not your organisation's record");
    json out = producer_json(*p);
    CivilDate today = CivilDate::today();
    json members = json::array();
    for (auto m : RegistryRepository::members_of(c, id, today))
      if (auto mp = RegistryRepository::find_producer(c, m)) members.push_back({{"id", mp->id.value}, {"name", mp->name}});
    out["members"] = members;
    json orgs = json::array();
    for (auto o : RegistryRepository::organisations_of(c, id, today))
      if (auto op = RegistryRepository::find_producer(c, o)) orgs.push_back({{"id", op->id.value}, {"name", op->name}});
    out["organisations"] = orgs;
    json rights = json::array();
    for (const auto& r : RegistryRepository::rights_of_producer(c, id)) {
      auto parcel = RegistryRepository::find_parcel(c, r.parcel, false);
      rights.push_back({{"id", r.id.value}, {"kind", to_string(r.kind)}, {"valid_from", r.valid_from.iso()},
                        {"valid_to", opt_date(r.valid_to)},
                        {"parcel", parcel ? json{{"id", parcel->id.value}, {"external_id", parcel->external_id},
                                                 {"area_ha", ha(parcel->area_m2)}}
                                          : json(nullptr)}});
    }
    out["rights"] = rights;
    // Possible duplicates: the same citizen ID under another record.
    auto hash = c.query("SELECT citizen_id_hash FROM producer WHERE id = ?", {id.value}).rows.at(0).str("citizen_id_hash");
    json dups = json::array();
    for (auto d : RegistryRepository::producers_with_citizen_hash(c, hash))
      if (d != id) dups.push_back(d.value);
    out["possible_duplicates"] = dups;
    return out;
  });
}

Result<json> RegistryService::create_producer(const Actor& a, Producer p, std::optional<ProducerId> organisation) {
  auto g = admin_.graph();
  std::vector<FieldError> errors;
  if (trim(p.name).empty()) errors.push_back({"name", "is required"});
  if (p.unit && !g->find(*p.unit)) errors.push_back({"unit_id", "no administrative unit with this id"});
  if (!p.unit) errors.push_back({"unit_id", "is required"});
  if (p.members_count && *p.members_count < 0) errors.push_back({"members_count", "must be 0 or more"});
  if ((p.kind == ProducerKind::cooperative || p.kind == ProducerKind::enterprise) && trim(p.tax_code).empty())
    errors.push_back({"tax_code", "is required for a cooperative or an enterprise"});
  if (!errors.empty()) return Error::invalid("the producer is not valid", errors);
  if (auto s = AccessPolicy(g).require_unit(a, Permission::registry_write, *p.unit); !s) return s.error();
  try {
    return db_.write([&](storage::Connection& c) -> Result<json> {
      if (!p.external_id.empty() && RegistryRepository::find_producer_by_external_id(c, p.external_id))
        return Error::invalid("the producer is not valid", {{"external_id", "is already used"}});
      p.id = RegistryRepository::insert_producer(c, p, citizen_hash(c, p.citizen_id));
      if (organisation) {
        if (!RegistryRepository::find_producer(c, *organisation))
          return Error::invalid("the producer is not valid", {{"organisation_id", "no such producer"}});
        RegistryRepository::add_membership(c, p.id, *organisation, CivilDate::today());
      }
      auto created = *RegistryRepository::find_producer(c, p.id);
      json after = producer_json(created);
      audit::record(c, a, "create", "producer", std::to_string(p.id.value), p.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the external id is already used");
    throw;
  }
}

Result<json> RegistryService::update_producer(const Actor& a, ProducerId id, const json& patch) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_producer(c, id);
    if (!p) return Error::not_found("no producer with id " + std::to_string(id.value));
    if (!p->unit) return Error::forbidden("the producer has no unit");
    if (auto s = AccessPolicy(g).require_unit(a, Permission::registry_write, *p->unit); !s) return s.error();
    json before = producer_json(*p);
    std::vector<FieldError> errors;
    if (patch.contains("name")) p->name = patch["name"].get<std::string>();
    if (trim(p->name).empty()) errors.push_back({"name", "is required"});
    if (patch.contains("unit_id")) {
      UnitId u(patch["unit_id"].get<std::int64_t>());
      if (!g->find(u)) errors.push_back({"unit_id", "no administrative unit with this id"});
      else if (!AccessPolicy(g).in_scope(a, u)) errors.push_back({"unit_id", "is outside your scope"});
      p->unit = u;
    }
    if (patch.contains("members_count")) {
      if (patch["members_count"].is_null()) p->members_count.reset();
      else p->members_count = patch["members_count"].get<int>();
    }
    for (auto [field, target] : {std::pair{"ethnicity", &p->ethnicity}, std::pair{"citizen_id", &p->citizen_id},
                                 std::pair{"tax_code", &p->tax_code}, std::pair{"phone", &p->phone},
                                 std::pair{"address", &p->address}})
      if (patch.contains(field)) *target = patch[field].get<std::string>();
    if (!errors.empty()) return Error::invalid("the producer is not valid", errors);
    RegistryRepository::update_producer(c, *p, citizen_hash(c, p->citizen_id));
    json after = producer_json(*RegistryRepository::find_producer(c, id));
    audit::record(c, a, "update", "producer", std::to_string(id.value), p->unit, before, after);
    return after;
  });
}

Result<std::string> RegistryService::reveal_producer(const Actor& a, ProducerId id, const std::string& field) {
  if (auto s = AccessPolicy::require(a, Permission::pii_reveal); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<std::string> {
    auto p = RegistryRepository::find_producer(c, id);
    if (!p) return Error::not_found("no producer with id " + std::to_string(id.value));
    audit::record(c, a, "reveal", "producer", std::to_string(id.value), p->unit, std::nullopt, json{{"field", field}});
    return field == "phone" ? p->phone : p->citizen_id;
  });
}

// ---- parcels ------------------------------------------------------------------

Result<Page> RegistryService::list_parcels(const Actor& a, const ParcelFilter& f) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  CivilDate as_of = f.as_of.value_or(CivilDate::today());
  Page page;
  Status status = db_.read([&](storage::Connection& c) -> Status {
    ParcelQuery q;
    q.units = s.units;
    q.include_unassigned = !s.units && !s.producers;
    if (f.commune) {
      if (s.units && !s.units->contains(*f.commune)) {
        q.units = std::unordered_set<UnitId>{};
      } else {
        q.units = std::unordered_set<UnitId>{*f.commune};
      }
      q.include_unassigned = false;
    }
    q.state = f.state;
    q.land_use_code = f.land_use_code;
    q.external_id = f.external_id;
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
    if (f.holder || s.producers) {
      std::map<std::int64_t, std::vector<LandRight>> by_parcel;
      for (const auto& r : RegistryRepository::rights_on(c, as_of)) by_parcel[r.parcel.value].push_back(r);
      if (f.holder) {
        std::unordered_set<std::int64_t> set;
        for (const auto& [pid, rights] : by_parcel)
          if (auto ctl = controller_on(rights, as_of); ctl && ctl->producer == *f.holder) set.insert(pid);
        restrict_to(std::move(set));
      }
      if (s.producers) {
        std::unordered_set<std::int64_t> set;
        for (const auto& [pid, rights] : by_parcel)
          for (const auto& r : rights)
            if (s.producers->contains(r.producer.value)) set.insert(pid);
        restrict_to(std::move(set));
      }
    }
    if (f.zone) {
      auto z = RegistryRepository::find_zone(c, *f.zone, true);
      if (!z) return Error::not_found("no zone with id " + std::to_string(f.zone->value));
      if (!z->geom) {
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
    for (const auto& p : RegistryRepository::list_parcels(c, q, &page.total))
      page.items.push_back(parcel_json(c, p, as_of, false));
    return {};
  });
  if (!status) return status.error();
  return page;
}

Result<json> RegistryService::get_parcel(const Actor& a, ParcelId id, std::optional<CivilDate> as_of) {
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_parcel(c, id, true);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(id.value));
    if (auto s = require_parcel_access(c, a, *p, false); !s) return s.error();
    CivilDate when = as_of.value_or(CivilDate::today());
    json out = parcel_json(c, *p, when, true);
    // The geometry on the date asked: the current one, or the version then in force.
    if (as_of)
      for (const auto& h : RegistryRepository::geometry_history(c, id))
        if (h.valid_from <= when && (!h.valid_to || when <= *h.valid_to))
          if (auto gj = geo::to_geojson(h.geom, 7)) out["geometry"] = json::parse(*gj), out["area_m2"] = opt(h.area_m2);
    out["valid_on_as_of"] = p->valid_from <= when && (!p->valid_to || when <= *p->valid_to);
    return out;
  });
}

Status RegistryService::require_parcel_read(const Actor& a, ParcelId id) {
  return db_.read([&](storage::Connection& c) -> Status {
    auto p = RegistryRepository::find_parcel(c, id, false);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(id.value));
    return require_parcel_access(c, a, *p, false);
  });
}

Result<json> RegistryService::create_parcel(const Actor& a, Parcel p) {
  auto g = admin_.graph();
  std::vector<FieldError> errors;
  if (trim(p.external_id).empty()) errors.push_back({"external_id", "is required"});
  if (!p.geom) errors.push_back({"geometry", "is required"});
  else if (auto mp = polygon_geometry(*p.geom, "geometry"); !mp) {
    for (const auto& e : mp.error().fields) errors.push_back(e);
  } else {
    p.geom = *mp;
    if (auto area = geo::area_m2(*mp)) p.area_m2 = *area;
  }
  if (p.unit && !g->find(*p.unit)) errors.push_back({"commune_id", "no administrative unit with this id"});
  if (p.official_area_m2 && *p.official_area_m2 <= 0) errors.push_back({"official_area_m2", "must be positive"});
  if (!errors.empty()) return Error::invalid("the parcel is not valid", errors);
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  if (!p.unit && identity::role_is_unit_scoped(a.role)) return Error::invalid("the parcel is not valid", {{"commune_id", "is required"}});
  if (p.unit)
    if (auto s = AccessPolicy(g).require_unit(a, Permission::registry_write, *p.unit); !s) return s.error();
  try {
    return db_.write([&](storage::Connection& c) -> Result<json> {
      if (RegistryRepository::find_parcel_by_external_id(c, p.external_id, false))
        return Error::invalid("the parcel is not valid", {{"external_id", "is already used"}});
      p.id = RegistryRepository::insert_parcel(c, p);
      auto created = *RegistryRepository::find_parcel(c, p.id, false);
      json after = parcel_json(c, created, CivilDate::today(), false);
      audit::record(c, a, "create", "parcel", std::to_string(p.id.value), p.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the external id is already used");
    throw;
  }
}

Result<json> RegistryService::update_parcel(const Actor& a, ParcelId id, const ParcelPatch& patch) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_parcel(c, id, false);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(id.value));
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    if (p->valid_to) return Error::conflict("the parcel was retired on " + p->valid_to->vi() + " (split or merged)");
    CivilDate today = CivilDate::today();
    json before = parcel_json(c, *p, today, false);
    std::vector<FieldError> errors;
    if (patch.sheet_no) p->sheet_no = *patch.sheet_no;
    if (patch.parcel_no) p->parcel_no = *patch.parcel_no;
    if (patch.land_use_code) p->land_use_code = *patch.land_use_code;
    if (patch.state) p->state = *patch.state;
    if (patch.official_area_m2) {
      if (*patch.official_area_m2 && **patch.official_area_m2 <= 0) errors.push_back({"official_area_m2", "must be positive"});
      p->official_area_m2 = *patch.official_area_m2;
    }
    if (patch.unit) {
      if (*patch.unit && !g->find(**patch.unit)) errors.push_back({"commune_id", "no administrative unit with this id"});
      else if (*patch.unit && !AccessPolicy(g).in_scope(a, **patch.unit)) errors.push_back({"commune_id", "is outside your scope"});
      else if (!*patch.unit && identity::role_is_unit_scoped(a.role)) errors.push_back({"commune_id", "is required"});
      p->unit = *patch.unit;
    }
    std::optional<storage::Geometry> new_geom;
    if (patch.geom) {
      auto mp = polygon_geometry(*patch.geom, "geometry");
      if (!mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
      else new_geom = *mp;
    }
    if (!errors.empty()) return Error::invalid("the parcel is not valid", errors);
    RegistryRepository::update_parcel(c, *p);
    if (new_geom)
      RegistryRepository::replace_geometry(c, id, *new_geom, geo::area_m2(*new_geom).value_or(0),
                                           patch.effective.value_or(today));
    json after = parcel_json(c, *RegistryRepository::find_parcel(c, id, false), today, false);
    audit::record(c, a, "update", "parcel", std::to_string(id.value), p->unit, before, after);
    return after;
  });
}

Result<json> RegistryService::split_parcel(const Actor& a, ParcelId id, const CivilDate& date,
                                           const std::vector<SplitPart>& parts) {
  std::vector<FieldError> errors;
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
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto parent = RegistryRepository::find_parcel(c, id, false);
    if (!parent) return Error::not_found("no parcel with id " + std::to_string(id.value));
    if (auto s = require_parcel_access(c, a, *parent, true); !s) return s.error();
    if (parent->valid_to) return Error::conflict("the parcel was already retired");
    if (date <= parent->valid_from) return Error::invalid("the split is not valid", {{"date", "must be after the parcel's start"}});
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (RegistryRepository::find_parcel_by_external_id(c, parts[i].external_id, false))
        return Error::invalid("the split is not valid", {{"parts[" + std::to_string(i) + "].external_id", "is already used"}});
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
      RegistryRepository::add_lineage(c, {id, child.id, "split", date});
      // The rights in force carry over to each part.
      for (auto r : rights)
        if (!r.valid_to || *r.valid_to >= date) {
          r.parcel = child.id;
          r.valid_from = std::max(r.valid_from, date);
          RegistryRepository::insert_right(c, r);
        }
      children.push_back({{"id", child.id.value}, {"external_id", child.external_id}, {"area_ha", ha(child.area_m2)}});
    }
    for (const auto& r : rights)
      if (!r.valid_to || *r.valid_to >= date) RegistryRepository::end_right(c, r.id, last);
    for (const auto& pl : RegistryRepository::plantings_of_parcel(c, id))
      if (!pl.end_date || *pl.end_date >= date) RegistryRepository::end_planting(c, pl.id, last);
    RegistryRepository::retire_parcel(c, id, last);
    json after = {{"split_into", children}, {"date", date.iso()}};
    audit::record(c, a, "split", "parcel", std::to_string(id.value), parent->unit, std::nullopt, after);
    return json{{"parent", {{"id", id.value}, {"external_id", parent->external_id}, {"valid_to", last.iso()}}},
                {"children", children}};
  });
}

Result<json> RegistryService::merge_parcels(const Actor& a, const std::vector<ParcelId>& ids, const CivilDate& date,
                                            const std::string& external_id) {
  if (ids.size() < 2) return Error::invalid("the merge is not valid", {{"parcel_ids", "a merge needs at least two parcels"}});
  if (trim(external_id).empty()) return Error::invalid("the merge is not valid", {{"external_id", "is required"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    std::vector<Parcel> parents;
    std::vector<storage::Geometry> geoms;
    for (auto pid : ids) {
      auto p = RegistryRepository::find_parcel(c, pid, true);
      if (!p) return Error::not_found("no parcel with id " + std::to_string(pid.value));
      if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
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
    return json{{"parcel", {{"id", child.id.value}, {"external_id", external_id}, {"area_ha", ha(child.area_m2)}}},
                {"merged_from", from},
                {"rights_carried_over", same}};
  });
}

Result<json> RegistryService::parcel_map(const Actor& a, const ParcelFilter& f_in, int limit) {
  ParcelFilter f = f_in;
  f.page = 1;
  f.page_size = limit;
  auto page = list_parcels(a, f);
  if (!page) return page.error();
  std::unordered_set<std::int64_t> ids;
  for (const auto& item : page->items) ids.insert(item["id"].get<std::int64_t>());
  auto zones = db_.read([&](storage::Connection& c) { return RegistryRepository::list_zones(c, std::nullopt, "", true); });
  json features = json::array();
  db_.read([&](storage::Connection& c) {
    ParcelQuery q;
    q.ids = ids;
    q.with_geometry = true;
    q.page_size = 0;
    q.valid_on = f.as_of;
    std::map<std::int64_t, json> props;
    for (const auto& item : page->items) props[item["id"].get<std::int64_t>()] = item;
    for (const auto& p : RegistryRepository::list_parcels(c, q, nullptr)) {
      if (!p.geom) continue;
      auto gj = geo::to_geojson(*p.geom, 6);
      if (!gj) continue;
      const json& item = props[p.id.value];
      json zone = nullptr;
      auto pb = geo::bounds(*p.geom);
      for (const auto& z : zones) {
        if (!z.geom) continue;
        auto zb = geo::bounds(*z.geom);
        if (!pb || !zb || pb->max_x < zb->min_x || pb->min_x > zb->max_x || pb->max_y < zb->min_y || pb->min_y > zb->max_y)
          continue;
        if (mostly_inside(*p.geom, p.area_m2.value_or(0), *z.geom)) {
          zone = z.code;
          break;
        }
      }
      features.push_back({{"type", "Feature"},
                          {"id", p.id.value},
                          {"geometry", json::parse(*gj)},
                          {"properties",
                           {{"id", p.id.value},
                            {"external_id", p.external_id},
                            {"crop", item["crops"].empty() ? json(nullptr) : item["crops"][0]},
                            {"zone", zone},
                            {"state", to_string(p.state)},
                            {"land_use_code", p.land_use_code},
                            {"holder", item["holder"].is_null() ? json(nullptr) : item["holder"]["name"]},
                            {"area_ha", ha(p.area_m2)}}}});
    }
  });
  return json{{"type", "FeatureCollection"}, {"total", page->total}, {"truncated", page->total > limit},
              {"features", features}};
}

// ---- rights -------------------------------------------------------------------

Result<json> RegistryService::add_right(const Actor& a, LandRight r) {
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_parcel(c, r.parcel, false);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(r.parcel.value));
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    if (!RegistryRepository::find_producer(c, r.producer))
      return Error::invalid("the right is not valid", {{"producer_id", "no such producer"}});
    if (r.valid_to && *r.valid_to < r.valid_from)
      return Error::invalid("the right is not valid", {{"valid_to", "is before valid_from"}});
    auto all = RegistryRepository::rights_of_parcel(c, r.parcel);
    all.push_back(r);
    if (auto conflicts = right_conflicts(all); !conflicts.empty())
      return Error::invalid("the right overlaps another one of the same kind; end that one first", conflicts);
    r.id = RegistryRepository::insert_right(c, r);
    json after = {{"id", r.id.value}, {"parcel_id", r.parcel.value}, {"producer_id", r.producer.value},
                  {"kind", to_string(r.kind)}, {"valid_from", r.valid_from.iso()}, {"valid_to", opt_date(r.valid_to)},
                  {"document", r.document}};
    audit::record(c, a, "create", "land_right", std::to_string(r.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> RegistryService::end_right(const Actor& a, LandRightId id, const CivilDate& last_day) {
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto rs = c.query("SELECT parcel_id, valid_from FROM land_right WHERE id = ?", {id.value});
    if (rs.empty()) return Error::not_found("no land right with id " + std::to_string(id.value));
    auto p = RegistryRepository::find_parcel(c, ParcelId(rs.rows[0].i64("parcel_id")), false);
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    if (last_day < *CivilDate::parse(rs.rows[0].str("valid_from")))
      return Error::invalid("the date is not valid", {{"valid_to", "is before the right's start"}});
    RegistryRepository::end_right(c, id, last_day);
    json after = {{"id", id.value}, {"valid_to", last_day.iso()}};
    audit::record(c, a, "update", "land_right", std::to_string(id.value), p->unit, std::nullopt, after);
    return after;
  });
}

// ---- zones --------------------------------------------------------------------

Result<Page> RegistryService::list_zones(const Actor& a, const std::string& commodity) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  auto zones = db_.read([&](storage::Connection& c) { return RegistryRepository::list_zones(c, s.units, commodity, false); });
  Page page;
  for (const auto& z : zones) page.items.push_back(zone_json(z));
  page.total = static_cast<std::int64_t>(zones.size());
  return page;
}

Result<json> RegistryService::get_zone(const Actor& a, ZoneId id, std::optional<CivilDate> as_of) {
  auto m = zone_measures(a, id, as_of);
  if (!m) return m.error();
  auto z = db_.read([&](storage::Connection& c) { return RegistryRepository::find_zone(c, id, true); });
  json out = zone_json(*z);
  out["measures"] = *m;
  if (z->geom)
    if (auto gj = geo::to_geojson(*z->geom, 6)) out["geometry"] = json::parse(*gj);
  return out;
}

Result<json> RegistryService::create_zone(const Actor& a, Zone z) {
  auto g = admin_.graph();
  std::vector<FieldError> errors;
  if (trim(z.code).empty()) errors.push_back({"code", "is required"});
  if (trim(z.name).empty()) errors.push_back({"name", "is required"});
  if (trim(z.commodity).empty()) errors.push_back({"commodity", "is required"});
  if (z.planned_area_ha && *z.planned_area_ha <= 0) errors.push_back({"planned_area_ha", "must be positive"});
  if (z.period_from && z.period_to && *z.period_to < *z.period_from) errors.push_back({"period_to", "is before period_from"});
  if (z.unit && !g->find(*z.unit)) errors.push_back({"unit_id", "no administrative unit with this id"});
  if (!z.geom) errors.push_back({"geometry", "is required"});
  else if (auto mp = polygon_geometry(*z.geom, "geometry"); !mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
  else z.geom = *mp;
  if (!errors.empty()) return Error::invalid("the zone is not valid", errors);
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  if (identity::role_is_unit_scoped(a.role) && (!z.unit || !AccessPolicy(g).in_scope(a, *z.unit)))
    return Error::forbidden("a zone outside your scope");
  try {
    return db_.write([&](storage::Connection& c) -> Result<json> {
      if (RegistryRepository::find_zone_by_code(c, z.code)) return Error::invalid("the zone is not valid", {{"code", "is already used"}});
      z.id = RegistryRepository::insert_zone(c, z);
      json after = zone_json(*RegistryRepository::find_zone(c, z.id, false));
      audit::record(c, a, "create", "zone", std::to_string(z.id.value), z.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the zone code is already used");
    throw;
  }
}

Result<json> RegistryService::update_zone(const Actor& a, ZoneId id, const json& patch,
                                          const std::optional<storage::Geometry>& geom) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto z = RegistryRepository::find_zone(c, id, true);
    if (!z) return Error::not_found("no zone with id " + std::to_string(id.value));
    if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
    if (identity::role_is_unit_scoped(a.role) && (!z->unit || !AccessPolicy(g).in_scope(a, *z->unit)))
      return Error::forbidden("the zone is outside your scope");
    json before = zone_json(*z);
    std::vector<FieldError> errors;
    if (patch.contains("name")) z->name = patch["name"].get<std::string>();
    if (patch.contains("commodity")) z->commodity = patch["commodity"].get<std::string>();
    if (patch.contains("unit_id")) {
      if (patch["unit_id"].is_null()) {
        if (identity::role_is_unit_scoped(a.role)) errors.push_back({"unit_id", "is required"});
        z->unit.reset();
      } else {
        UnitId u(patch["unit_id"].get<std::int64_t>());
        if (!g->find(u)) errors.push_back({"unit_id", "no administrative unit with this id"});
        else if (!AccessPolicy(g).in_scope(a, u)) errors.push_back({"unit_id", "is outside your scope"});
        z->unit = u;
      }
    }
    if (patch.contains("decision")) z->decision = patch["decision"].get<std::string>();
    if (patch.contains("planned_area_ha"))
      z->planned_area_ha = patch["planned_area_ha"].is_null() ? std::nullopt : std::optional<double>(patch["planned_area_ha"].get<double>());
    if (patch.contains("status")) z->status = *parse_zone_status(patch["status"].get<std::string>());
    for (auto [field, target] : {std::pair{"period_from", &z->period_from}, std::pair{"period_to", &z->period_to}})
      if (patch.contains(field)) *target = patch[field].is_null() ? std::nullopt : CivilDate::parse(patch[field].get<std::string>());
    if (geom) {
      auto mp = polygon_geometry(*geom, "geometry");
      if (!mp) errors.insert(errors.end(), mp.error().fields.begin(), mp.error().fields.end());
      else z->geom = *mp;
    }
    if (z->planned_area_ha && *z->planned_area_ha <= 0) errors.push_back({"planned_area_ha", "must be positive"});
    if (!errors.empty()) return Error::invalid("the zone is not valid", errors);
    RegistryRepository::update_zone(c, *z);
    json after = zone_json(*z);
    audit::record(c, a, "update", "zone", std::to_string(id.value), z->unit, before, after);
    return after;
  });
}

Result<json> RegistryService::zone_measures(const Actor& a, ZoneId id, std::optional<CivilDate> as_of_opt) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  Scope s = scope_of(a);
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto z = RegistryRepository::find_zone(c, id, true);
    if (!z) return Error::not_found("no zone with id " + std::to_string(id.value));
    if (s.units && (!z->unit || !s.units->contains(*z->unit))) return Error::forbidden("the zone is outside your scope");
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
    out["zone_area_ha"] = round2(zone_area / 10000.0);
    out["planned_area_ha"] = opt(z->planned_area_ha);
    out["planted_area_ha"] = round2(planted_ha);
    out["share_of_planned_pct"] =
        z->planned_area_ha && *z->planned_area_ha > 0 ? json(round2(100.0 * planted_ha / *z->planned_area_ha)) : json(nullptr);
    out["parcels_in_zone"] = parcels_in_zone;
    out["commodity_parcels"] = static_cast<int>(commodity_geoms.size());
    out["producers"] = static_cast<int>(producers.size());
    out["mean_parcel_size_ha"] =
        commodity_geoms.empty() ? json(nullptr) : json(round2(commodity_area / 10000.0 / commodity_geoms.size()));
    out["parcels_per_ha"] =
        commodity_area > 0 ? json(std::round(1000.0 * commodity_geoms.size() / (commodity_area / 10000.0)) / 1000.0) : json(nullptr);
    out["blocks"] = blocks;
    out["largest_block_ha"] = round2(largest / 10000.0);
    out["largest_block_share_pct"] = commodity_area > 0 ? json(round2(100.0 * largest / commodity_area)) : json(nullptr);
    out["method"] =
        "Parcels belong to the zone when at least half of their area lies inside; planted area counts the part inside. "
        "Contiguous blocks join commodity parcels that touch or lie within 2 m of each other (digitising gaps).";
    return out;
  });
}

Result<json> RegistryService::zone_map(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  auto zones = db_.read([&](storage::Connection& c) { return RegistryRepository::list_zones(c, s.units, "", true); });
  json features = json::array();
  for (const auto& z : zones) {
    if (!z.geom) continue;
    auto gj = geo::to_geojson(*z.geom, 6);
    if (!gj) continue;
    json props = zone_json(z);
    props["unit"] = props["unit"].is_null() ? json(nullptr) : props["unit"]["name"];
    features.push_back({{"type", "Feature"}, {"id", z.id.value}, {"geometry", json::parse(*gj)}, {"properties", props}});
  }
  return json{{"type", "FeatureCollection"}, {"features", features}};
}

// ---- plantings and conversions -----------------------------------------------

Result<json> RegistryService::add_planting(const Actor& a, Planting pl) {
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_parcel(c, pl.parcel, false);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(pl.parcel.value));
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    std::vector<FieldError> errors;
    if (trim(pl.crop).empty()) errors.push_back({"crop", "is required"});
    if (pl.planted_area_m2 <= 0) errors.push_back({"planted_area_m2", "must be positive"});
    // A planted area larger than the parcel (with 5 % tolerance for measurement) is an error.
    if (p->area_m2 && pl.planted_area_m2 > *p->area_m2 * 1.05)
      errors.push_back({"planted_area_m2", "is larger than the parcel (" + format_number_vi(*p->area_m2, 0) + " m²)"});
    if (pl.end_date && *pl.end_date < pl.start_date) errors.push_back({"end_date", "is before start_date"});
    if (pl.start_date < p->valid_from) errors.push_back({"start_date", "is before the parcel existed"});
    if (!errors.empty()) return Error::invalid("the planting is not valid", errors);
    pl.id = RegistryRepository::insert_planting(c, pl);
    json after = {{"id", pl.id.value}, {"parcel_id", pl.parcel.value}, {"crop", pl.crop}, {"variety", pl.variety},
                  {"perennial", pl.perennial}, {"season", pl.season},
                  {"planted_year", pl.planted_year ? json(*pl.planted_year) : json(nullptr)},
                  {"start_date", pl.start_date.iso()}, {"end_date", opt_date(pl.end_date)},
                  {"planted_area_m2", pl.planted_area_m2}};
    audit::record(c, a, "create", "planting", std::to_string(pl.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> RegistryService::end_planting(const Actor& a, PlantingId id, const CivilDate& last_day) {
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto rs = c.query("SELECT parcel_id, start_date FROM planting WHERE id = ?", {id.value});
    if (rs.empty()) return Error::not_found("no planting with id " + std::to_string(id.value));
    auto p = RegistryRepository::find_parcel(c, ParcelId(rs.rows[0].i64("parcel_id")), false);
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    if (last_day < *CivilDate::parse(rs.rows[0].str("start_date")))
      return Error::invalid("the date is not valid", {{"end_date", "is before the planting's start"}});
    RegistryRepository::end_planting(c, id, last_day);
    json after = {{"id", id.value}, {"end_date", last_day.iso()}};
    audit::record(c, a, "update", "planting", std::to_string(id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> RegistryService::add_conversion(const Actor& a, CropConversion v) {
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = RegistryRepository::find_parcel(c, v.parcel, false);
    if (!p) return Error::not_found("no parcel with id " + std::to_string(v.parcel.value));
    if (auto s = require_parcel_access(c, a, *p, true); !s) return s.error();
    std::vector<FieldError> errors;
    if (trim(v.to_crop).empty()) errors.push_back({"to_crop", "is required"});
    if (v.area_m2 <= 0) errors.push_back({"area_m2", "must be positive"});
    if (p->area_m2 && v.area_m2 > *p->area_m2 * 1.05)
      errors.push_back({"area_m2", "is larger than the parcel (" + format_number_vi(*p->area_m2, 0) + " m²)"});
    if (!errors.empty()) return Error::invalid("the conversion is not valid", errors);
    v.id = RegistryRepository::insert_conversion(c, v);
    json after = {{"id", v.id.value}, {"parcel_id", v.parcel.value}, {"from_use", to_string(v.from_use)},
                  {"to_crop", v.to_crop}, {"date", v.date.iso()}, {"area_m2", v.area_m2}, {"note", v.note}};
    audit::record(c, a, "create", "crop_conversion", std::to_string(v.id.value), p->unit, std::nullopt, after);
    return after;
  });
}

Result<json> RegistryService::conversion_summary(const Actor& a, std::optional<CivilDate> from, std::optional<CivilDate> to) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    std::map<std::string, double> by_from, by_crop;
    std::map<std::int64_t, double> by_unit;
    double total = 0, from_inefficient_rice = 0;
    int count = 0;
    for (const auto& v : RegistryRepository::conversions(c, from, to)) {
      auto p = RegistryRepository::find_parcel(c, v.parcel, false);
      if (!p) continue;
      if (s.units && (!p->unit || !s.units->contains(*p->unit))) continue;
      if (s.producers) continue;  // producer accounts see their parcels' conversions on the parcels
      double h = v.area_m2 / 10000.0;
      by_from[std::string(to_string(v.from_use))] += h;
      by_crop[v.to_crop] += h;
      if (p->unit) by_unit[p->unit->value] += h;
      total += h;
      if (v.from_use == FromUse::inefficient_rice) from_inefficient_rice += h;
      ++count;
    }
    json units = json::array();
    for (const auto& [uid, h] : by_unit) {
      const auto* u = g->find(UnitId(uid));
      units.push_back({{"unit", u ? admin::AdminService::ref_json(*u) : json(nullptr)}, {"hectares", round2(h)}});
    }
    json jf = json::object(), jc = json::object();
    for (const auto& [k, h] : by_from) jf[k] = round2(h);
    for (const auto& [k, h] : by_crop) jc[k] = round2(h);
    return json{{"from", from ? json(from->iso()) : json(nullptr)},
                {"to", to ? json(to->iso()) : json(nullptr)},
                {"conversions", count},
                {"total_ha", round2(total)},
                {"from_inefficient_rice_ha", round2(from_inefficient_rice)},
                {"by_from_use_ha", jf},
                {"by_crop_ha", jc},
                {"by_commune", units}};
  });
}

// ---- topology findings ---------------------------------------------------------

namespace {
struct Finding {
  std::int64_t id;
  std::string kind, a, b, message, checked_at;
  std::optional<double> value;
  std::optional<storage::Geometry> geom;
};
}  // namespace

static std::vector<Finding> load_findings(storage::Connection& c, const std::string& kind, bool with_geom,
                                          const RegistryService::Scope& s) {
  std::string sql = std::string("SELECT id, kind, parcel_a, parcel_b, value, message, checked_at") +
                    (with_geom ? ", geom" : "") + " FROM topology_finding";
  std::vector<storage::Value> params;
  if (!kind.empty()) {
    sql += " WHERE kind = ?";
    params.emplace_back(kind);
  }
  // Findings name parcels by external id; scope is decided on the parcels' communes.
  std::unordered_map<std::string, std::optional<UnitId>> unit_of;
  if (s.units || s.producers) {
    for (const auto& r : c.query("SELECT external_id, unit_id FROM parcel WHERE valid_to IS NULL").rows)
      unit_of[r.str("external_id")] = r.opt_i64("unit_id") ? std::optional<UnitId>(UnitId(*r.opt_i64("unit_id"))) : std::nullopt;
  }
  auto visible = [&](const std::string& ext) {
    if (!s.units) return true;
    auto it = unit_of.find(ext);
    return it != unit_of.end() && it->second && s.units->contains(*it->second);
  };
  std::vector<Finding> out;
  for (const auto& r : c.query(sql + " ORDER BY kind, parcel_a, parcel_b", params).rows) {
    Finding f{r.i64("id"), r.str("kind"), r.str("parcel_a"), r.opt_str("parcel_b").value_or(""), r.str("message"),
              r.str("checked_at"), r.opt_f64("value"), with_geom ? r.opt_geometry("geom") : std::nullopt};
    if (s.producers) continue;  // producer accounts see their own parcels, not the province's checks
    if (!visible(f.a) && (f.b.empty() || !visible(f.b))) continue;
    out.push_back(std::move(f));
  }
  return out;
}

static json finding_json(const Finding& f) {
  return {{"id", f.id}, {"kind", f.kind}, {"parcel_a", f.a}, {"parcel_b", f.b.empty() ? json(nullptr) : json(f.b)},
          {"value", f.value ? json(*f.value) : json(nullptr)}, {"message", f.message}, {"checked_at", f.checked_at}};
}

Result<Page> RegistryService::topology_findings(const Actor& a, const std::string& kind, int page, int page_size) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  auto all = db_.read([&](storage::Connection& c) { return load_findings(c, kind, false, s); });
  Page out;
  out.total = static_cast<std::int64_t>(all.size());
  std::size_t start = static_cast<std::size_t>((page - 1)) * static_cast<std::size_t>(page_size);
  for (std::size_t i = start; i < all.size() && i < start + static_cast<std::size_t>(page_size); ++i)
    out.items.push_back(finding_json(all[i]));
  return out;
}

Result<json> RegistryService::topology_map(const Actor& a, const std::string& kind, int limit) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  Scope s = scope_of(a);
  auto all = db_.read([&](storage::Connection& c) { return load_findings(c, kind, true, s); });
  json features = json::array();
  for (const auto& f : all) {
    if (static_cast<int>(features.size()) >= limit) break;
    if (!f.geom) continue;
    auto gj = geo::to_geojson(*f.geom, 7);
    if (!gj) continue;
    features.push_back({{"type", "Feature"}, {"id", f.id}, {"geometry", json::parse(*gj)}, {"properties", finding_json(f)}});
  }
  return json{{"type", "FeatureCollection"}, {"total", all.size()}, {"features", features}};
}

}  // namespace nongsan::registry
