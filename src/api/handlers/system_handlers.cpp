#include "api/handlers/handlers.hpp"
#include "api/openapi.hpp"
#include "api/services.hpp"

#include <chrono>
#include <mutex>

namespace nongsan::api {

namespace {
// Whether the database answered `SELECT 1` within the last second. Probes come often
// (a load balancer's, a monitor's): one query a second proves the database answers as
// well as one per probe, without taking a pooled connection on every request. The
// schema version is the one the server checked at start (Settings), not read here.
bool database_answers(storage::Database& db) {
  using Clock = std::chrono::steady_clock;
  static std::mutex mutex;
  static const storage::Database* checked = nullptr;  // tests run several databases in one process
  static Clock::time_point checked_at;
  static bool answered = false;
  std::lock_guard lock(mutex);
  const auto now = Clock::now();
  if (checked == &db && now - checked_at < std::chrono::seconds(1)) return answered;
  answered = db.read([](storage::Connection& c) { return c.scalar_i64("SELECT 1"); }) == 1;
  checked = &db;
  checked_at = now;
  return answered;
}

Response health(RequestContext& ctx) {
  const bool ok = database_answers(ctx.services.db);
  // Where reads go (docs/operations.md): a replica that is not in use is not an
  // outage, the primary answers; the state and reason say why.
  auto replica = ctx.services.db.replica_status();
  return json_response(200, {{"status", ok ? "ok" : "degraded"},
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
