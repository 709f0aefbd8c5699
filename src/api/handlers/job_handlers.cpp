// Background job routes: follow a job a route started (its state, progress,
// result summary or error), and list the recent jobs of the kinds the caller may
// read. Jobs are started by the routes of the module that owns the work (e.g.
// POST /api/v1/topology/checks).
#include "api/handlers/handlers.hpp"
#include "api/services.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
Response get_job(RequestContext& ctx) {
  auto r = ctx.services.jobs.get(ctx.actor, jobs::JobId(ctx.path_id("id")));
  if (!r) return error_response(r.error(), ctx.request.request_id);
  return json_response(200, jobs::to_json(*r));
}

Response list_jobs(RequestContext& ctx) {
  auto r = ctx.services.jobs.list(ctx.actor, ctx.query_or("kind", ""), ctx.page(), ctx.page_size());
  if (!r) return error_response(r.error(), ctx.request.request_id);
  std::vector<json> items;
  for (const auto& j : r->items) items.push_back(jobs::to_json(j));
  return page_response(items, r->total, ctx);
}
}  // namespace

std::vector<Route> job_routes() {
  using F = FieldType;
  // Any logged-in role reaches these routes; each job is shown only to roles with
  // the read permission its kind declares (JobService::register_kind).
  return {
      {.method = "GET", .path = "/api/v1/jobs", .permission = Permission::units_read, .tag = "jobs",
       .summary = "Recent background jobs, newest first, of the kinds the caller may read",
       .query = {{"kind", F::string, "e.g. topology_check", {}}}, .handler = list_jobs, .list = true,
       .response = Schema::page(Schema::ref("Job"))},
      {.method = "GET", .path = "/api/v1/jobs/{id}", .permission = Permission::units_read, .tag = "jobs",
       .summary = "A background job: state (queued, running, succeeded, failed, interrupted), progress, result "
                  "summary or error",
       .handler = get_job,
       .response = Schema::ref("Job")},
  };
}

}  // namespace nongsan::api
