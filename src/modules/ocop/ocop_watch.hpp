// The quality watch's list and its background job (docs/ocop.md "Quality watch"; rules
// in docs/rules.md §8.9): every finding of the products within the caller's scope with
// its origin (a lab test, a lapsed certificate, entered by hand) and its state (open, or
// decided with the revocation or downgrade that closed it), and the watch
// (OcopService::watch) queued as the job `ocop_watch` of the jobs module. Must not depend
// on api, app or cli.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/jobs/job_service.hpp"
#include "modules/ocop/ocop_repository.hpp"
#include "modules/ocop/ocop_rules.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "storage/database.hpp"

namespace nongsan::ocop {

// A finding as the API gives it: id, found_on, kind, detail, origin ("lab:<id>",
// "certificate:<code>:<date>", "" when entered), origin_kind (lab, certificate, entered),
// state (open, decided), closed_by_event and the decision among `events` that closed it.
nlohmann::json finding_json(const Finding& f, const std::vector<Event>& events);

class OcopWatchList {
 public:
  OcopWatchList(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}
  // ocop.read. Oldest first, then by product code; `state` "open", "decided" or "" (both).
  Result<nlohmann::json> findings(const identity::Actor& a, const std::string& state);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
};

// Declares the job kind `ocop_watch` (read with ocop.read); the composition root calls it once.
void register_watch_job(jobs::JobService& jobs);
// The watch on `on` queued as a job (ocop.enter; one at a time): its result is
// {on, raised, by_kind}. The same use case as POST /api/v1/ocop/watch and `nongsan ocop watch`.
Result<jobs::Job> start_watch_job(jobs::JobService& jobs, OcopService& ocop, const identity::Actor& a,
                                  const CivilDate& on);

}  // namespace nongsan::ocop
