#include "modules/admin/admin_service.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"

namespace nongsan::admin {

using identity::Permission;
using nlohmann::json;

namespace {
constexpr auto kGraphTtl = std::chrono::seconds(3);

json area_ha(const AdminUnit& u) {
  if (!u.area_m2) return nullptr;
  return std::round(*u.area_m2 / 100.0) / 100.0;  // hectares, 2 decimals
}
}  // namespace

std::shared_ptr<const UnitGraph> AdminService::graph() {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (!cached_ || now - loaded_at_ > kGraphTtl) {
    cached_ = std::make_shared<const UnitGraph>(db_.read([](storage::Connection& c) {
      return AdminRepository::load_graph(c);
    }));
    loaded_at_ = now;
  }
  return cached_;
}

void AdminService::invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

json AdminService::ref_json(const AdminUnit& u) {
  return {{"id", u.id.value}, {"code", u.code}, {"name", u.name}, {"level", to_string(u.level)}};
}

json AdminService::unit_json(const UnitGraph& g, const AdminUnit& u, const CivilDate& as_of) const {
  json parent = nullptr;
  // The parent on the date asked, or for a unit no longer valid, on its last day.
  CivilDate when = u.valid_on(as_of) ? as_of : (u.valid_to ? *u.valid_to : u.valid_from);
  if (auto p = g.parent_on(u.id, when))
    if (const AdminUnit* pu = g.find(*p)) parent = ref_json(*pu);
  return {{"id", u.id.value},
          {"code", u.code},
          {"name", u.name},
          {"level", to_string(u.level)},
          {"kind", u.kind},
          {"valid_from", u.valid_from.iso()},
          {"valid_to", u.valid_to ? json(u.valid_to->iso()) : json(nullptr)},
          {"parent", parent},
          {"area_ha", area_ha(u)},
          {"geom_source", to_string(u.geom_source)},
          {"source", u.source}};
}

Result<UnitPage> AdminService::list(const identity::Actor& actor, const UnitFilter& f) {
  if (auto s = access::AccessPolicy::require(actor, Permission::units_read); !s) return s.error();
  if (auto e = dates_.check("as_of", f.as_of)) return Error::invalid("the request is not valid", {*e});
  auto g = graph();
  CivilDate as_of = f.as_of.value_or(CivilDate::today());
  std::string q = fold_vietnamese(trim(f.q));
  std::vector<const AdminUnit*> matches;
  for (const AdminUnit* u : g->valid_on(as_of)) {
    if (f.level && u->level != *f.level) continue;
    if (f.parent && g->parent_on(u->id, as_of) != f.parent) continue;
    if (!q.empty() && fold_vietnamese(u->name).find(q) == std::string::npos && u->code.find(q) == std::string::npos)
      continue;
    matches.push_back(u);
  }
  std::sort(matches.begin(), matches.end(), [](const AdminUnit* a, const AdminUnit* b) {
    if (a->level != b->level) return rank(a->level) < rank(b->level);
    return a->code < b->code;
  });
  UnitPage page;
  page.total = static_cast<std::int64_t>(matches.size());
  std::size_t start = static_cast<std::size_t>((f.page - 1) * f.page_size);
  for (std::size_t i = start; i < matches.size() && i < start + static_cast<std::size_t>(f.page_size); ++i)
    page.items.push_back(unit_json(*g, *matches[i], as_of));
  return page;
}

Result<json> AdminService::detail(const identity::Actor& actor, UnitId id, std::optional<CivilDate> as_of_opt) {
  if (auto s = access::AccessPolicy::require(actor, Permission::units_read); !s) return s.error();
  if (auto e = dates_.check("as_of", as_of_opt)) return Error::invalid("the request is not valid", {*e});
  auto g = graph();
  const AdminUnit* u = g->find(id);
  if (!u) return Error::not_found("no administrative unit with id " + std::to_string(id.value));
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  json out = unit_json(*g, *u, as_of);
  CivilDate when = u->valid_on(as_of) ? as_of : (u->valid_to ? *u->valid_to : u->valid_from);
  json children = json::array();
  for (UnitId c : g->children_on(id, when)) children.push_back(unit_json(*g, *g->find(c), when));
  out["children"] = children;
  json ancestors = json::array();
  for (UnitId a : g->ancestors_on(id, when)) ancestors.push_back(ref_json(*g->find(a)));
  out["ancestors"] = ancestors;
  auto links = [&](const std::vector<Succession>& list, bool pred) {
    json arr = json::array();
    for (const auto& s : list) {
      const AdminUnit* other = g->find(pred ? s.predecessor : s.successor);
      if (!other) continue;
      arr.push_back({{"unit", ref_json(*other)},
                     {"share", s.share},
                     {"basis", to_string(s.basis)},
                     {"effective_date", s.effective.iso()},
                     {"legal_basis", s.legal_basis}});
    }
    return arr;
  };
  out["predecessors"] = links(g->predecessors(id), true);
  out["successors"] = links(g->successors(id), false);
  out["valid_on_as_of"] = u->valid_on(as_of);
  return out;
}

Result<json> AdminService::map_layer(const identity::Actor& actor, std::optional<CivilDate> as_of_opt,
                                     std::optional<AdminLevel> level) {
  if (auto s = access::AccessPolicy::require(actor, Permission::units_read); !s) return s.error();
  if (auto e = dates_.check("as_of", as_of_opt)) return Error::invalid("the request is not valid", {*e});
  auto g = graph();
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  std::vector<UnitId> ids;
  for (const AdminUnit* u : g->valid_on(as_of))
    if (!level || u->level == *level) ids.push_back(u->id);
  auto geoms = db_.read([&](storage::Connection& c) { return AdminRepository::geometries(c, ids); });
  json features = json::array();
  for (UnitId id : ids) {
    auto it = geoms.find(id);
    if (it == geoms.end()) continue;
    auto gj = geo::to_geojson(it->second, 5);  // 5 decimals ≈ 1 m, plenty for a map of units
    if (!gj) continue;
    const AdminUnit* u = g->find(id);
    auto parent = g->parent_on(id, as_of);
    features.push_back({{"type", "Feature"},
                        {"id", id.value},
                        {"geometry", json::parse(*gj)},
                        {"properties",
                         {{"id", id.value},
                          {"code", u->code},
                          {"name", u->name},
                          {"level", to_string(u->level)},
                          {"kind", u->kind},
                          {"geom_source", to_string(u->geom_source)},
                          {"parent_id", parent ? json(parent->value) : json(nullptr)},
                          {"area_ha", area_ha(*u)}}}});
  }
  return json{{"type", "FeatureCollection"}, {"as_of", as_of.iso()}, {"features", features}};
}

}  // namespace nongsan::admin
