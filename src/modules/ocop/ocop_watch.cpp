#include "modules/ocop/ocop_watch.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "modules/access/access_policy.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::ocop {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {
constexpr const char* kWatchJobKind = "ocop_watch";

// What raised a finding: the origin key's first part ("lab:12" → lab), or "entered".
std::string origin_kind(const std::string& origin) {
  if (origin.rfind("lab:", 0) == 0) return "lab";
  if (origin.rfind("certificate:", 0) == 0) return "certificate";
  return "entered";
}
}  // namespace

json finding_json(const Finding& f, const std::vector<Event>& events) {
  json decision = nullptr;
  if (f.closed_by_event)
    for (const auto& e : events)
      if (e.id == *f.closed_by_event)
        decision = {{"id", e.id},
                    {"kind", to_string(e.kind)},
                    {"date", e.date.iso()},
                    {"stars", e.kind == EventKind::downgraded ? json(e.stars) : json(nullptr)},
                    {"reason", e.reason}};
  return {{"id", f.id},
          {"found_on", f.found_on.iso()},
          {"kind", f.kind},
          {"detail", f.detail},
          {"origin", f.origin},
          {"origin_kind", origin_kind(f.origin)},
          {"state", f.closed_by_event ? "decided" : "open"},
          {"closed_by_event", f.closed_by_event ? json(*f.closed_by_event) : json(nullptr)},
          {"decision", decision}};
}

Result<json> OcopWatchList::findings(const Actor& a, const std::string& state) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  if (!state.empty() && state != "open" && state != "decided")
    return Error::invalid("invalid filter", {{"state", "must be open or decided"}});
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    auto events = OcopRepository::all_events(c);
    std::vector<json> items;
    for (const auto& p : OcopRepository::products(c)) {
      if (!product_visible(scope, p)) continue;
      for (const auto& f : OcopRepository::findings(c, p.id)) {
        json j = finding_json(f, events[p.id]);
        if (!state.empty() && j["state"] != state) continue;
        j["product"] = p.code;
        j["product_name"] = p.name;
        j["illustrative"] = p.illustrative;
        items.push_back(std::move(j));
      }
    }
    // Oldest first, then by product code byte by byte (the same on both backends).
    std::stable_sort(items.begin(), items.end(), [](const json& x, const json& y) {
      return std::make_pair(x["found_on"].get<std::string>(), x["product"].get<std::string>()) <
             std::make_pair(y["found_on"].get<std::string>(), y["product"].get<std::string>());
    });
    return json{{"items", items}};
  });
}

void register_watch_job(jobs::JobService& jobs) { jobs.register_kind(kWatchJobKind, Permission::ocop_read); }

Result<jobs::Job> start_watch_job(jobs::JobService& jobs, OcopService& ocop, const Actor& a, const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  Actor actor = a;
  return jobs.submit(a, kWatchJobKind, json{{"on", on.iso()}}, [&ocop, actor, on](jobs::JobContext& job) -> Result<json> {
    job.progress("watch", 0, 1);
    auto r = ocop.watch(actor, on);
    if (!r) return r.error();
    std::map<std::string, int> by_kind;
    for (const auto& f : (*r)["raised"]) ++by_kind[f["kind"].get<std::string>()];
    job.progress("watch", 1, 1);
    return json{{"on", on.iso()}, {"raised", (*r)["raised"].size()}, {"by_kind", by_kind}};
  });
}

}  // namespace nongsan::ocop
