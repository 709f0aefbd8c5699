#include "modules/jobs/job_service.hpp"

#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/role.hpp"
#include "modules/jobs/job_repository.hpp"

namespace nongsan::jobs {

void JobContext::progress(std::string_view stage, std::int64_t done, std::int64_t total) {
  const std::int64_t pct = total > 0 ? done * 100 / total : 0;
  if (stage == stage_ && pct == last_pct_) return;
  stage_ = std::string(stage);
  last_pct_ = pct;
  db_.write([&](storage::Connection& c) { JobRepository::set_progress(c, id_, done, total, stage_); });
}

void JobService::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void JobService::register_kind(const std::string& kind, identity::Permission read) {
  std::lock_guard lock(mutex_);
  kinds_[kind] = read;
}

// Province-wide roles carry the province as their unit, which restricts nothing: the
// scope is the role's, as in AccessPolicy::unit_filter, not whether a unit is set.
bool JobService::province_wide(const identity::Actor& actor) {
  return !identity::role_is_unit_scoped(actor.role) && !actor.producer;
}

bool JobService::may_read(const identity::Actor& actor, const std::string& kind) const {
  std::lock_guard lock(mutex_);
  auto it = kinds_.find(kind);
  // A kind no module declares in this build is for administrators only.
  return access::AccessPolicy::allows(actor, it == kinds_.end() ? identity::Permission::system_admin : it->second);
}

Result<Job> JobService::submit(const identity::Actor& actor, const std::string& kind, nlohmann::json params, Work work) {
  {
    std::lock_guard lock(mutex_);
    if (!kinds_.count(kind)) return Error::internal("job kind '" + kind + "' is not registered");
    if (stopping_) return Error{ErrorCode::storage, "the server is stopping; start the job again later", {}};
  }
  std::optional<JobId> id;
  try {
    id = db_.write([&](storage::Connection& c) {
      JobId created = JobRepository::insert(c, kind, params, actor.name);
      audit::record(c, actor, "start", "job", std::to_string(created.value), std::nullopt, std::nullopt,
                    nlohmann::json{{"kind", kind}, {"params", params}});
      return created;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() != storage::DbError::Kind::unique_violation) throw;
    auto running = active(kind);
    return Error::conflict("a " + kind + " job is already " +
                           (running ? std::string(to_string(running->state)) + " (job " +
                                          std::to_string(running->id.value) + ")"
                                    : std::string("under way")) +
                           "; follow it or wait for it to end");
  }
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(*id, std::move(work));
    if (!worker_.joinable()) worker_ = std::thread([this] { run_worker(); });
  }
  wake_.notify_one();
  return db_.read([&](storage::Connection& c) { return *JobRepository::find(c, *id); });
}

void JobService::run_worker() {
  for (;;) {
    std::pair<JobId, Work> next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        // What was queued never started: the next server start must not think it runs.
        for (const auto& [id, w] : queue_)
          db_.write([&](storage::Connection& c) {
            JobRepository::finish(c, id, JobState::interrupted, nullptr, "the server stopped before the job started");
          });
        queue_.clear();
        busy_ = false;
        idle_.notify_all();
        return;
      }
      next = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    const JobId id = next.first;
    db_.write([&](storage::Connection& c) { JobRepository::mark_running(c, id); });
    JobContext ctx(db_, id, stopping_);
    JobState state = JobState::succeeded;
    nlohmann::json result;
    std::string error;
    try {
      auto r = next.second(ctx);
      if (r) {
        result = std::move(*r);
      } else {
        state = stopping_ ? JobState::interrupted : JobState::failed;
        error = r.error().message;
        for (const auto& f : r.error().fields) error += "; " + f.field + ": " + f.message;
      }
    } catch (const std::exception& e) {
      state = JobState::failed;
      error = std::string("internal error: ") + e.what();
    }
    try {
      db_.write([&](storage::Connection& c) { JobRepository::finish(c, id, state, result, error); });
    } catch (const std::exception&) {
      // The row stays running; the next start marks it interrupted.
    }
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
      if (queue_.empty()) idle_.notify_all();
    }
  }
}

Result<Job> JobService::get(const identity::Actor& actor, JobId id) {
  auto job = db_.read([&](storage::Connection& c) { return JobRepository::find(c, id); });
  // A job belongs to the one who started it: its summary counts what the whole run
  // saw, which may reach beyond a unit officer's scope. Others with the kind's
  // permission read it only when their scope is the whole province (a role not scoped to a unit,
  // not a producer account). A job the actor may not read answers as one that does not exist.
  const bool own = job && job->started_by == actor.name;
  if (!job || !may_read(actor, job->kind) || !(own || province_wide(actor)))
    return Error::not_found("no job with id " + std::to_string(id.value));
  return *job;
}

Result<JobPage> JobService::list(const identity::Actor& actor, const std::string& kind, int page, int page_size) {
  std::vector<std::string> kinds;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [k, permission] : kinds_)
      if ((kind.empty() || k == kind) && access::AccessPolicy::allows(actor, permission)) kinds.push_back(k);
  }
  // The same rule as get(): unit officers and producer accounts list their own jobs.
  std::optional<std::string> owner;
  if (!province_wide(actor)) owner = actor.name;
  JobPage out;
  out.items =
      db_.read([&](storage::Connection& c) { return JobRepository::list(c, kinds, page, page_size, &out.total, owner); });
  return out;
}

std::optional<Job> JobService::active(const std::string& kind) {
  return db_.read([&](storage::Connection& c) { return JobRepository::active(c, kind); });
}

std::int64_t JobService::recover_interrupted() {
  return db_.write([](storage::Connection& c) {
    return JobRepository::interrupt_active(c, "the server stopped before the job ended");
  });
}

void JobService::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

}  // namespace nongsan::jobs
