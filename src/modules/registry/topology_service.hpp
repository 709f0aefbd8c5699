// The parcel topology check seen from the API: start the whole-registry check as
// a background job (one at a time), follow it through the jobs routes, and read
// its findings — for parcels in the reader's scope — with when each kind of check
// last ran and how many it found in that scope, so that "no errors" can be told
// apart from "never checked". The check itself is parcel_check.hpp (the CLI's
// `nongsan check parcels` runs the same function).
#pragma once

#include "core/result.hpp"
#include "modules/jobs/job_service.hpp"
#include "modules/registry/registry_context.hpp"

namespace nongsan::registry {

struct FindingsPage {
  Page page;
  // [{kind, checked_at, checked_by, findings_in_scope, parcels_checked}] per kind that ever ran.
  nlohmann::json last_checks = nlohmann::json::array();
  nlohmann::json running = nullptr;  // the check job under way, if any
};

class TopologyService {
 public:
  // The kind of job the check runs as.
  static constexpr const char* kJobKind = "topology_check";

  explicit TopologyService(RegistryContext& ctx);

  // Starts every kind of check over all current parcels as a job (needs
  // registry.write). Conflict when one is already under way.
  Result<jobs::Job> start_check(const identity::Actor& a, double min_overlap_m2);
  Result<FindingsPage> findings(const identity::Actor& a, const std::string& kind, int page, int page_size);
  Result<nlohmann::json> map(const identity::Actor& a, const std::string& kind, int limit);

 private:
  std::vector<Finding> visible(storage::Connection& c, const RecordScope& s, const std::string& kind, bool with_geom);
  RegistryContext& ctx_;
};

}  // namespace nongsan::registry
