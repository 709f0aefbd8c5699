#include "modules/registry/parcel_check.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/polygonal_intersection.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/registry/topology_repository.hpp"

namespace nongsan::registry {

namespace {

std::string m2(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

bool runs(const ParcelCheckOptions& o, CheckKind k) {
  return std::find(o.kinds.begin(), o.kinds.end(), k) != o.kinds.end();
}

}  // namespace

std::string_view to_string(CheckKind k) {
  switch (k) {
    case CheckKind::overlap: return "overlap";
    case CheckKind::outside: return "outside";
    case CheckKind::invalid: return "invalid";
    case CheckKind::sliver: return "sliver";
  }
  return "";
}

Result<ParcelCheckReport> check_parcels(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                        const ParcelCheckOptions& o) {
  using identity::Permission;
  if (auto s = access::AccessPolicy::require(actor, o.store ? Permission::registry_write : Permission::registry_read);
      !s)
    return s.error();
  if (o.kinds.empty())
    return Error::invalid("no check chosen", {{"what", "choose overlaps, outside, invalid or slivers"}});
  if (!(o.min_overlap_m2 >= 0)) return Error::invalid("bad option", {{"min_overlap_m2", "must be 0 or more"}});

  ParcelCheckReport report;
  report.checked_at = utc_now_iso();
  std::vector<Parcel> parcels = db.read([](storage::Connection& c) {
    ParcelQuery q;
    q.page_size = 0;
    q.with_geometry = true;
    return RegistryRepository::list_parcels(c, q, nullptr);
  });
  report.parcels = parcels.size();
  std::vector<geo::ParcelShape> shapes;
  shapes.reserve(parcels.size());
  std::unordered_map<std::string, const Parcel*> by_id;
  std::size_t without_geometry = 0;
  for (const auto& p : parcels) {
    by_id.emplace(p.external_id, &p);
    if (!p.geom) {
      ++without_geometry;
      continue;
    }
    shapes.push_back({p.external_id, *p.geom});
  }
  if (without_geometry)
    report.warnings.push_back(std::to_string(without_geometry) + " parcel(s) without a boundary were not checked");

  if (runs(o, CheckKind::overlap)) {
    geo::OverlapOptions oo;
    oo.min_overlap_m2 = o.min_overlap_m2;
    oo.progress = o.progress;
    auto r = geo::find_overlaps(shapes, oo);
    if (!r) return r.error();
    report.overlaps = std::move(*r);
  }
  if (runs(o, CheckKind::invalid)) {
    auto r = geo::find_invalid(shapes);
    if (!r) return r.error();
    report.invalid = std::move(*r);
  }
  if (runs(o, CheckKind::sliver)) {
    auto r = geo::find_slivers(shapes);
    if (!r) return r.error();
    report.slivers = std::move(*r);
  }
  auto graph = admin.graph();
  if (runs(o, CheckKind::outside)) {
    // Against the boundary of the commune each parcel is registered in (of any
    // period: a parcel imported before the 2025 reform keeps its old commune).
    // Communes are named by code, with the start date where a code was reused.
    std::vector<UnitId> units;
    for (const auto& p : parcels)
      if (p.geom && p.unit) units.push_back(*p.unit);
    std::sort(units.begin(), units.end(), [](UnitId a, UnitId b) { return a.value < b.value; });
    units.erase(std::unique(units.begin(), units.end()), units.end());
    std::map<std::string, int> code_uses;
    for (UnitId u : units)
      if (const auto* au = graph->find(u)) ++code_uses[au->code];
    std::unordered_map<std::int64_t, std::string> label;
    for (UnitId u : units) {
      const auto* au = graph->find(u);
      std::string l = au ? au->code : "unit " + std::to_string(u.value);
      if (au && code_uses[au->code] > 1) l += " (from " + au->valid_from.iso() + ")";
      label[u.value] = l;
    }
    auto boundaries = db.read([&](storage::Connection& c) { return admin::AdminRepository::geometries(c, units); });
    std::vector<geo::CommuneShape> communes;
    std::unordered_map<std::int64_t, std::string> unusable;  // unit id -> why its boundary cannot be used
    for (auto& [id, g] : boundaries) {
      // The check measures in EPSG:9205, where a boundary drawn in degrees can turn
      // invalid (near-coincident vertices); such a commune is left out, not the check.
      std::string reason;
      auto projected = geo::transform(g, geo::kProvinceCrs);
      if (!projected) reason = projected.error().message;
      else if (!geo::is_valid(*projected, &reason)) reason = "not valid: " + reason;
      // The tolerance strip along the boundary (docs/rules.md §5), as for writes.
      std::optional<storage::Geometry> grown;
      if (reason.empty()) {
        auto b = geo::buffer_m(*projected, std::max(0.0, o.boundary_tolerance_m));
        if (!b) reason = b.error().message;
        else grown = std::move(*b);
      }
      if (!reason.empty()) unusable[id.value] = reason;
      else communes.push_back({label[id.value], std::move(*grown)});
    }
    std::vector<geo::ParcelShape> registered;
    std::size_t no_boundary = 0;
    std::map<std::int64_t, std::size_t> left_out;
    for (const auto& p : parcels) {
      if (!p.geom) continue;
      if (!p.unit) {
        report.outside.push_back({p.external_id, "", p.area_m2.value_or(0)});
      } else if (!boundaries.count(*p.unit)) {
        ++no_boundary;
      } else if (unusable.count(p.unit->value)) {
        ++left_out[p.unit->value];
      } else {
        registered.push_back({p.external_id, *p.geom, label[p.unit->value]});
      }
    }
    if (no_boundary)
      report.warnings.push_back(std::to_string(no_boundary) +
                                " parcel(s) are in communes without a boundary and were not checked for lying outside");
    for (const auto& [unit, n] : left_out)
      report.warnings.push_back("the boundary of commune " + label[unit] + " is " + unusable[unit] + "; its " +
                                std::to_string(n) + " parcel(s) were not checked for lying outside it");
    geo::OutsideOptions oo;
    oo.tolerance_m2 = 0.01;  // the strip is the tolerance; what is left is rounding, not land
    auto r = geo::find_outside(registered, communes, oo);
    if (!r) return r.error();
    for (const auto& f : *r) report.outside.push_back({f.id, f.commune_id, f.outside_m2});
    std::sort(report.outside.begin(), report.outside.end(),
              [](const auto& a, const auto& b) { return a.parcel < b.parcel; });
  }
  if (!o.store) return report;

  // The map shows the overlap itself, or the parcel.
  auto parcel_geom = [&](const std::string& id) -> std::optional<storage::Geometry> {
    auto it = by_id.find(id);
    if (it == by_id.end() || !it->second->geom) return std::nullopt;
    auto mp = geo::as_multipolygon(*it->second->geom);
    return mp ? std::optional<storage::Geometry>(*mp) : std::nullopt;
  };
  auto finding = [&](CheckKind k, std::string a, std::string b, std::optional<double> value, std::string message,
                     std::optional<storage::Geometry> g) {
    return Finding{0, std::string(to_string(k)), std::move(a), std::move(b), std::move(message), report.checked_at,
                   value, std::move(g)};
  };
  std::vector<Finding> rows;
  std::map<std::string, std::int64_t> found;
  for (const auto& p : report.overlaps) {
    std::optional<storage::Geometry> g;
    auto pa = by_id.find(p.a), pb = by_id.find(p.b);
    if (pa != by_id.end() && pb != by_id.end() && pa->second->geom && pb->second->geom)
      if (auto common = geo::polygonal_intersection(*pa->second->geom, *pb->second->geom)) g = *common;
    rows.push_back(finding(CheckKind::overlap, p.a, p.b, p.overlap_m2,
                           p.a + " and " + p.b + " overlap by " + m2(p.overlap_m2) + " m²", std::move(g)));
  }
  // An outside finding's value is the share of the parcel outside (0..1), as the
  // table says (migration 0003); the message gives the area.
  auto share_outside = [&](const OutsideFinding& f) -> std::optional<double> {
    if (f.commune_code.empty()) return 1.0;
    auto it = by_id.find(f.parcel);
    if (it == by_id.end() || !it->second->area_m2 || !(*it->second->area_m2 > 0)) return std::nullopt;
    return std::min(1.0, f.outside_m2 / *it->second->area_m2);
  };
  for (const auto& f : report.outside)
    rows.push_back(finding(
        CheckKind::outside, f.parcel, "", share_outside(f),
        f.commune_code.empty() ? "in no commune" : m2(f.outside_m2) + " m² outside commune " + f.commune_code,
        parcel_geom(f.parcel)));
  for (const auto& f : report.invalid)
    rows.push_back(finding(CheckKind::invalid, f.id, "", std::nullopt, f.reason, parcel_geom(f.id)));
  for (const auto& f : report.slivers) {
    char thin[32];
    std::snprintf(thin, sizeof thin, "%.3f", f.thinness);
    rows.push_back(finding(CheckKind::sliver, f.id, "", f.area_m2, "area " + m2(f.area_m2) + " m², thinness " + thin,
                           parcel_geom(f.id)));
  }
  for (const auto& r : rows) ++found[r.kind];

  db.write([&](storage::Connection& c) {
    std::vector<std::string> kinds;
    for (auto k : o.kinds) kinds.emplace_back(to_string(k));
    TopologyRepository::replace_findings(c, kinds, rows);
    for (const auto& k : kinds)
      TopologyRepository::record_run(
          c, {k, report.checked_at, actor.name, static_cast<std::int64_t>(report.parcels), found[k],
              k == "overlap" ? std::optional<double>(o.min_overlap_m2) : std::nullopt, o.job_id});
    nlohmann::json after = {{"parcels", report.parcels},        {"overlaps", report.overlaps.size()},
                            {"outside", report.outside.size()}, {"invalid", report.invalid.size()},
                            {"slivers", report.slivers.size()}, {"min_overlap_m2", o.min_overlap_m2}};
    after["kinds"] = kinds;
    audit::record(c, actor, "check", "topology_finding", "", std::nullopt, std::nullopt, after);
  });
  report.stored = rows.size();
  return report;
}

}  // namespace nongsan::registry
