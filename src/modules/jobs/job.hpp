// Background jobs: the types. A job is long work a user starts from the API (the
// registry's whole-province topology check; later the support cross-checks and
// the inspection sampling) that runs on the server's worker thread while the
// client follows its progress. Types only; no storage, no threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/strong_id.hpp"

namespace nongsan::jobs {

using JobId = StrongId<struct JobTag>;

// queued → running → succeeded | failed; queued or running → interrupted when the
// server stopped before the job ended (found so at the next start).
enum class JobState { queued, running, succeeded, failed, interrupted };
std::string_view to_string(JobState s);
std::optional<JobState> parse_job_state(std::string_view s);
bool is_active(JobState s);  // queued or running

struct Job {
  JobId id;
  std::string kind;             // e.g. "topology_check"
  JobState state = JobState::queued;
  std::int64_t done = 0;        // progress: `done` of `total` steps of the current stage
  std::int64_t total = 0;
  std::string stage;            // what it is doing now, e.g. "overlaps"
  nlohmann::json params = nlohmann::json::object();  // what it was asked to do
  std::string started_by;       // the actor's name, as the audit trail writes it
  std::string created_at;       // UTC timestamps
  std::optional<std::string> started_at, ended_at;
  nlohmann::json result;        // the summary of what it found (null until it succeeds)
  std::string error;            // why it failed or was interrupted
};

nlohmann::json to_json(const Job& j);

}  // namespace nongsan::jobs
