// Background jobs: start long work from the API, follow its progress, read what it
// found. A module declares each kind of job it runs once (register_kind: who may
// read such jobs) and submits work as a function; the work runs on this service's
// one worker thread, in the server process, and reports progress through its
// JobContext. Every job is a row of the `job` table (kind, state, progress, who,
// when, result summary, error), so a client polls GET /api/v1/jobs/{id}, and a
// job the server did not finish (it stopped or crashed) is found "interrupted"
// at the next start (recover_interrupted, called by `nongsan serve`).
//
// At most one job of a kind is queued or running at a time: a second submit is a
// conflict naming the job under way. Jobs run one after another (the machine is
// shared; a job may itself use every core). Who may start a job is decided by the
// module that submits it, before submit; submit records the start in the audit
// trail.
//
// Depends on storage, identity (Actor, Permission), access and audit. Must not
// depend on api, app, cli or on the modules that submit work.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/result.hpp"
#include "modules/identity/actor.hpp"
#include "modules/jobs/job.hpp"
#include "storage/database.hpp"

namespace nongsan::jobs {

// What running work sees.
class JobContext {
 public:
  JobContext(storage::Database& db, JobId id, const std::atomic<bool>& stopping) : db_(db), id_(id), stopping_(stopping) {}
  JobId id() const { return id_; }
  // `done` of `total` steps of `stage`. Written to the job's row when the stage
  // changes and then about every whole per cent, so calling it often is cheap.
  void progress(std::string_view stage, std::int64_t done, std::int64_t total);
  // True when the server is stopping: work that can stop early should, and return
  // an error (the job is then recorded as interrupted).
  bool stop_requested() const { return stopping_.load(); }

 private:
  storage::Database& db_;
  JobId id_;
  const std::atomic<bool>& stopping_;
  std::string stage_;
  std::int64_t last_pct_ = -1;
};

struct JobPage {
  std::vector<Job> items;
  std::int64_t total = 0;
};

class JobService {
 public:
  // The work: its summary (stored as the job's result), or an Error (the job fails
  // with its message).
  using Work = std::function<Result<nlohmann::json>(JobContext&)>;

  explicit JobService(storage::Database& db) : db_(db) {}
  // Stops the worker: queued jobs become interrupted; waits for the running one.
  // Call it before destroying what the submitted work uses (App does, first).
  void shutdown();
  ~JobService() { shutdown(); }
  JobService(const JobService&) = delete;
  JobService& operator=(const JobService&) = delete;

  // Declares a kind of job and the permission needed to read its jobs.
  void register_kind(const std::string& kind, identity::Permission read);

  // Queues `work` as a job of `kind` (REQUIRES: a registered kind). Conflict when a
  // job of this kind is queued or running. The caller has checked that the actor
  // may start it.
  Result<Job> submit(const identity::Actor& actor, const std::string& kind, nlohmann::json params, Work work);

  // A job, for an actor with the read permission of its kind; not found otherwise.
  Result<Job> get(const identity::Actor& actor, JobId id);
  // Newest first, of the registered kinds the actor may read; `kind` empty = all of them.
  Result<JobPage> list(const identity::Actor& actor, const std::string& kind, int page, int page_size);
  // The queued or running job of a kind, if any (no permission check: for services).
  std::optional<Job> active(const std::string& kind);

  // At server start: jobs left queued or running by a process that is gone become
  // interrupted. Returns how many.
  std::int64_t recover_interrupted();
  // Blocks until this process has no job queued or running (the demo, tests).
  void wait_idle();

 private:
  void run_worker();
  bool may_read(const identity::Actor& actor, const std::string& kind) const;
  // Sees the whole province: reads every job of the kinds it may read, not only its own.
  static bool province_wide(const identity::Actor& actor);

  storage::Database& db_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::pair<JobId, Work>> queue_;
  std::map<std::string, identity::Permission> kinds_;
  bool busy_ = false;
  std::atomic<bool> stopping_{false};
  std::thread worker_;  // started by the first submit
};

}  // namespace nongsan::jobs
