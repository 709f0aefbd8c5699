// Storage of background jobs (table `job`, migration 0008). Static functions over
// the caller's connection. At most one job of a kind is queued or running at a
// time: the table's partial unique index refuses a second one (DbError unique).
#pragma once

#include <optional>
#include <vector>

#include "modules/jobs/job.hpp"
#include "storage/database.hpp"

namespace nongsan::jobs {

class JobRepository {
 public:
  // A queued job. Throws DbError(unique_violation) when one of the kind is active.
  static JobId insert(storage::Connection& c, const std::string& kind, const nlohmann::json& params,
                      const std::string& started_by);
  static void mark_running(storage::Connection& c, JobId id);
  static void set_progress(storage::Connection& c, JobId id, std::int64_t done, std::int64_t total,
                           const std::string& stage);
  static void finish(storage::Connection& c, JobId id, JobState state, const nlohmann::json& result,
                     const std::string& error);
  static std::optional<Job> find(storage::Connection& c, JobId id);
  static std::optional<Job> active(storage::Connection& c, const std::string& kind);
  // Jobs of these kinds, newest first; only those `started_by` started when it is given.
  static std::vector<Job> list(storage::Connection& c, const std::vector<std::string>& kinds, int page, int page_size,
                               std::int64_t* total, const std::optional<std::string>& started_by = std::nullopt);
  // Every queued or running job becomes interrupted (the process that ran it is gone).
  static std::int64_t interrupt_active(storage::Connection& c, const std::string& why);
};

}  // namespace nongsan::jobs
