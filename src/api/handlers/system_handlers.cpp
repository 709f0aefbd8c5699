#include "api/handlers/handlers.hpp"
#include "api/openapi.hpp"
#include "api/services.hpp"

namespace nongsan::api {

namespace {
Response health(RequestContext& ctx) {
  // A cheap query proves the database answers.
  auto ok = ctx.services.db.read([](storage::Connection& c) { return c.scalar_i64("SELECT 1"); });
  // Where reads go (docs/operations.md): a replica that is not in use is not an
  // outage, the primary answers; the state and reason say why.
  auto replica = ctx.services.db.replica_status();
  return json_response(200, {{"status", ok == 1 ? "ok" : "degraded"},
                             {"version", ctx.services.settings.version},
                             {"database", ctx.services.db.backend() == storage::Backend::sqlite ? "sqlite" : "postgres"},
                             {"schema_version", ctx.services.settings.schema_version},
                             {"replica",
                              {{"state", replica.state},
                               {"reason", replica.reason},
                               {"lag_bytes", replica.lag_bytes},
                               {"reads_replica", replica.reads_replica},
                               {"reads_primary", replica.reads_primary}}}});
}

Response openapi(RequestContext&) {
  static const std::string doc = openapi_document(all_routes()).dump(1);
  Response r;
  r.body = doc;
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}
}  // namespace

std::vector<Route> system_routes() {
  return {
      {.method = "GET", .path = "/api/health", .is_public = true, .tag = "system",
       .summary = "Liveness and the database in use", .handler = health,
       .response = Schema::object({{"status", Schema::string().enumerate({"ok", "degraded"})},
                                   {"version", Schema::string()},
                                   {"database", Schema::string().enumerate({"sqlite", "postgres"})},
                                   {"schema_version", Schema::integer()},
                                   {"replica", Schema::object({{"state", Schema::string().enumerate({"none", "in_use", "behind",
                                                                                                  "paused", "down",
                                                                                                  "not_standby"})},
                                                               {"reason", Schema::string()},
                                                               {"lag_bytes", Schema::integer()},
                                                               {"reads_replica", Schema::integer()},
                                                               {"reads_primary", Schema::integer()}})}})},
      {.method = "GET", .path = "/api/openapi.json", .is_public = true, .tag = "system",
       .summary = "This API's OpenAPI 3.0 document", .handler = openapi,
       .response = Schema::open_object({{"openapi", Schema::string()}, {"paths", Schema::any()}})},
  };
}

}  // namespace nongsan::api
