#include "modules/jobs/job.hpp"

namespace nongsan::jobs {

std::string_view to_string(JobState s) {
  switch (s) {
    case JobState::queued: return "queued";
    case JobState::running: return "running";
    case JobState::succeeded: return "succeeded";
    case JobState::failed: return "failed";
    case JobState::interrupted: return "interrupted";
  }
  return "";
}

std::optional<JobState> parse_job_state(std::string_view s) {
  for (auto st : {JobState::queued, JobState::running, JobState::succeeded, JobState::failed, JobState::interrupted})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

bool is_active(JobState s) { return s == JobState::queued || s == JobState::running; }

nlohmann::json to_json(const Job& j) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"id", j.id.value},
          {"kind", j.kind},
          {"state", to_string(j.state)},
          {"progress", {{"done", j.done}, {"total", j.total}, {"stage", j.stage}}},
          {"params", j.params},
          {"started_by", j.started_by},
          {"created_at", j.created_at},
          {"started_at", opt(j.started_at)},
          {"ended_at", opt(j.ended_at)},
          {"result", j.result},
          {"error", j.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(j.error)}};
}

}  // namespace nongsan::jobs
