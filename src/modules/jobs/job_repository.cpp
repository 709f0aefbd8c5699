#include "modules/jobs/job_repository.hpp"

#include "core/civil_date.hpp"

namespace nongsan::jobs {

using storage::Null;
using storage::Value;

namespace {
constexpr const char* kColumns =
    "id, kind, state, progress_done, progress_total, stage, params_json, started_by, created_at, started_at, "
    "ended_at, result_json, error";

Job job_from(const storage::Row& r) {
  Job j;
  j.id = JobId(r.i64("id"));
  j.kind = r.str("kind");
  auto state = parse_job_state(r.str("state"));
  if (!state) throw std::runtime_error("job " + std::to_string(j.id.value) + " has an unknown state: " + r.str("state"));
  j.state = *state;
  j.done = r.i64("progress_done");
  j.total = r.i64("progress_total");
  j.stage = r.str("stage");
  j.params = nlohmann::json::parse(r.str("params_json"), nullptr, false);
  j.started_by = r.str("started_by");
  j.created_at = r.str("created_at");
  j.started_at = r.opt_str("started_at");
  j.ended_at = r.opt_str("ended_at");
  if (auto res = r.opt_str("result_json")) j.result = nlohmann::json::parse(*res, nullptr, false);
  j.error = r.str("error");
  return j;
}
}  // namespace

JobId JobRepository::insert(storage::Connection& c, const std::string& kind, const nlohmann::json& params,
                            const std::string& started_by) {
  auto rs = c.query(
      "INSERT INTO job (kind, state, progress_done, progress_total, stage, params_json, started_by, created_at, error) "
      "VALUES (?, 'queued', 0, 0, '', ?, ?, ?, '') RETURNING id",
      {kind, params.dump(), started_by, utc_now_iso()});
  return JobId(rs.rows.at(0).i64("id"));
}

void JobRepository::mark_running(storage::Connection& c, JobId id) {
  c.execute("UPDATE job SET state = 'running', started_at = ? WHERE id = ?", {utc_now_iso(), id.value});
}

void JobRepository::set_progress(storage::Connection& c, JobId id, std::int64_t done, std::int64_t total,
                                 const std::string& stage) {
  c.execute("UPDATE job SET progress_done = ?, progress_total = ?, stage = ? WHERE id = ?",
            {done, total, stage, id.value});
}

void JobRepository::finish(storage::Connection& c, JobId id, JobState state, const nlohmann::json& result,
                           const std::string& error) {
  c.execute("UPDATE job SET state = ?, ended_at = ?, result_json = ?, error = ? WHERE id = ?",
            {std::string(to_string(state)), utc_now_iso(), result.is_null() ? Value{Null{}} : Value{result.dump()},
             error, id.value});
}

std::optional<Job> JobRepository::find(storage::Connection& c, JobId id) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM job WHERE id = ?", {id.value});
  if (rs.empty()) return std::nullopt;
  return job_from(rs.rows[0]);
}

std::optional<Job> JobRepository::active(storage::Connection& c, const std::string& kind) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM job WHERE kind = ? AND state IN ('queued', 'running')",
                    {kind});
  if (rs.empty()) return std::nullopt;
  return job_from(rs.rows[0]);
}

std::vector<Job> JobRepository::list(storage::Connection& c, const std::vector<std::string>& kinds, int page,
                                     int page_size, std::int64_t* total, const std::optional<std::string>& started_by) {
  if (total) *total = 0;
  if (kinds.empty()) return {};
  std::string where = " WHERE kind IN (";
  std::vector<Value> params;
  for (const auto& k : kinds) {
    where += params.empty() ? "?" : ", ?";
    params.emplace_back(k);
  }
  where += ")";
  if (started_by) {
    where += " AND started_by = ?";
    params.emplace_back(*started_by);
  }
  if (total) *total = c.scalar_i64("SELECT count(*) FROM job" + where, params);
  params.emplace_back(std::int64_t{page_size});
  params.emplace_back(std::int64_t{(page - 1) * page_size});
  std::vector<Job> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kColumns + " FROM job" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", params)
           .rows)
    out.push_back(job_from(r));
  return out;
}

std::int64_t JobRepository::interrupt_active(storage::Connection& c, const std::string& why) {
  return c.execute("UPDATE job SET state = 'interrupted', ended_at = ?, error = ? WHERE state IN ('queued', 'running')",
                   {utc_now_iso(), why});
}

}  // namespace nongsan::jobs
