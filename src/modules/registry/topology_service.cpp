#include "modules/registry/topology_service.hpp"

#include <map>

#include "modules/access/access_policy.hpp"
#include "modules/registry/parcel_check.hpp"
#include "modules/registry/topology_repository.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

TopologyService::TopologyService(RegistryContext& ctx) : ctx_(ctx) {
  ctx_.jobs.register_kind(kJobKind, Permission::registry_read);
}

Result<jobs::Job> TopologyService::start_check(const Actor& a, double min_overlap_m2) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  if (!(min_overlap_m2 >= 0)) return Error::invalid("the request is not valid", {{"min_overlap_m2", "must be 0 or more"}});
  RegistryContext& ctx = ctx_;
  Actor actor = a;
  const double tolerance = ctx_.settings.rules.boundary_tolerance_m;
  return ctx_.jobs.submit(a, kJobKind, json{{"min_overlap_m2", min_overlap_m2}},
                          [&ctx, actor, min_overlap_m2, tolerance](jobs::JobContext& job) -> Result<json> {
                            ParcelCheckOptions o;
                            o.kinds = {CheckKind::overlap, CheckKind::outside, CheckKind::invalid, CheckKind::sliver};
                            o.min_overlap_m2 = min_overlap_m2;
                            o.boundary_tolerance_m = tolerance;
                            o.job_id = job.id().value;
                            o.progress = [&job](std::size_t done, std::size_t total) {
                              job.progress("overlaps", static_cast<std::int64_t>(done),
                                           static_cast<std::int64_t>(total));
                            };
                            job.progress("reading", 0, 0);
                            auto r = check_parcels(ctx.db, ctx.admin, actor, o);
                            if (!r) return r.error();
                            return json{{"checked_at", r->checked_at},     {"parcels", r->parcels},
                                        {"overlaps", r->overlaps.size()},  {"outside", r->outside.size()},
                                        {"invalid", r->invalid.size()},    {"slivers", r->slivers.size()},
                                        {"stored", r->stored},             {"warnings", r->warnings}};
                          });
}

std::vector<Finding> TopologyService::visible(storage::Connection& c, const RecordScope& s, const std::string& kind,
                                              bool with_geom) {
  // Producer accounts see their own parcels, not the province's checks.
  if (s.producers()) return {};
  auto all = TopologyRepository::findings(c, kind, with_geom);
  if (!s.units()) return all;
  // Findings name parcels by external id; scope is decided on the parcels' communes.
  auto unit_of = TopologyRepository::current_parcel_units(c);
  auto in_scope = [&](const std::string& ext) {
    auto it = unit_of.find(ext);
    return it != unit_of.end() && s.includes_unit(it->second);
  };
  std::vector<Finding> out;
  for (auto& f : all)
    if (in_scope(f.a) || (!f.b.empty() && in_scope(f.b))) out.push_back(std::move(f));
  return out;
}

Result<FindingsPage> TopologyService::findings(const Actor& a, const std::string& kind, int page, int page_size) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  FindingsPage out;
  ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    auto all = visible(c, s, "", false);
    std::map<std::string, std::int64_t> per_kind;
    for (const auto& f : all) ++per_kind[f.kind];
    for (const auto& run : TopologyRepository::runs(c))
      out.last_checks.push_back(js.check_run(run, per_kind[run.kind]));
    std::size_t start = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(page_size);
    std::size_t n = 0;
    for (const auto& f : all) {
      if (!kind.empty() && f.kind != kind) continue;
      if (n >= start && n < start + static_cast<std::size_t>(page_size)) out.page.items.push_back(js.finding(f));
      ++n;
    }
    out.page.total = static_cast<std::int64_t>(n);
    if (n == 0) out.page.empty = RegistryContext::empty_reason(s, static_cast<std::int64_t>(all.size()));
  });
  if (auto job = ctx_.jobs.active(kJobKind)) out.running = jobs::to_json(*job);
  return out;
}

Result<json> TopologyService::map(const Actor& a, const std::string& kind, int limit) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  auto all = ctx_.db.read([&](storage::Connection& c) { return visible(c, ctx_.scope(a, c), kind, true); });
  json features = json::array();
  for (const auto& f : all) {
    if (static_cast<int>(features.size()) >= limit) break;
    if (!f.geom) continue;
    if (auto feature = RegistryJson::feature(f.id, *f.geom, js.finding(f), 7)) features.push_back(std::move(*feature));
  }
  return json{{"type", "FeatureCollection"}, {"total", all.size()}, {"features", features}};
}

}  // namespace nongsan::registry
