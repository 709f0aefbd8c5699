#include "api/handlers/handlers.hpp"
#include "api/openapi.hpp"
#include "api/services.hpp"

#include <chrono>
#include <mutex>

namespace nongsan::api {

namespace {
// The body of /api/health, written at most once a second: whether the database
// answered `SELECT 1`, and where reads go. Probes come often (a load balancer's, a
// monitor's): one query and one JSON document a second prove the database answers as
// well as one per probe, without taking a pooled connection or building a JSON tree
// on every request. The schema version is the one the server checked at start
// (Settings), not read here.
std::string health_body(const Services& services) {
  using Clock = std::chrono::steady_clock;
  static std::mutex mutex;
  static const storage::Database* checked = nullptr;  // tests run several databases in one process
  static Clock::time_point checked_at;
  static std::string body;
  storage::Database& db = services.db;
  std::lock_guard lock(mutex);
  const auto now = Clock::now();
  if (checked == &db && now - checked_at < std::chrono::seconds(1)) return body;
  const bool ok = db.read([](storage::Connection& c) { return c.scalar_i64("SELECT 1"); }) == 1;
  // Where reads go (docs/operations.md): a replica that is not in use is not an
  // outage, the primary answers; the state and reason say why.
  auto replica = db.replica_status();
  body = nlohmann::json{{"status", ok ? "ok" : "degraded"},
                        {"version", services.settings.version},
                        {"database", db.backend() == storage::Backend::sqlite ? "sqlite" : "postgres"},
                        {"schema_version", services.settings.schema_version},
                        {"replica",
                         {{"state", replica.state},
                          {"reason", replica.reason},
                          {"lag_bytes", replica.lag_bytes},
                          {"reads_replica", replica.reads_replica},
                          {"reads_primary", replica.reads_primary}}}}
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  checked = &db;
  checked_at = now;
  return body;
}

Response health(RequestContext& ctx) {
  Response r;
  r.body = health_body(ctx.services);
  return r;
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
                                                               {"reads_primary", Schema::integer()}})}}),
       .inline_ok = true},  // one query a second at most: answered on the I/O thread
      {.method = "GET", .path = "/api/openapi.json", .is_public = true, .tag = "system",
       .summary = "This API's OpenAPI 3.0 document", .handler = openapi,
       .response = Schema::open_object({{"openapi", Schema::string()}, {"paths", Schema::any()}})},
  };
}

}  // namespace nongsan::api
