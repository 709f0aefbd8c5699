#include "api/handlers/handlers.hpp"
#include "api/services.hpp"
#include "modules/audit/audit_log.hpp"

namespace nongsan::api {

using identity::Permission;
using nlohmann::json;

namespace {
Response list_audit(RequestContext& ctx) {
  audit::AuditFilter f;
  f.entity = ctx.query_or("entity", "");
  f.entity_id = ctx.query_or("entity_id", "");
  f.actor = ctx.query_or("actor", "");
  f.action = ctx.query_or("action", "");
  if (auto d = ctx.query_date("from")) f.from = d->iso();
  if (auto d = ctx.query_date("to")) f.to = d->iso();
  f.page = ctx.page();
  f.page_size = ctx.page_size();
  auto page = ctx.services.db.read([&](storage::Connection& c) { return audit::list(c, f); });
  std::vector<json> items;
  for (const auto& e : page.items)
    items.push_back({{"id", e.id.value},
                     {"at", e.at},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"entity", e.entity},
                     {"entity_id", e.entity_id},
                     {"unit_id", e.unit ? json(e.unit->value) : json(nullptr)},
                     {"before", e.before ? *e.before : json(nullptr)},
                     {"after", e.after ? *e.after : json(nullptr)},
                     {"request_id", e.request_id}});
  return page_response(items, page.total, ctx);
}
}  // namespace

std::vector<Route> audit_routes() {
  using F = FieldType;
  return {
      {.method = "GET", .path = "/api/v1/audit", .permission = Permission::audit_read, .tag = "audit",
       .summary = "The audit trail, newest first",
       .query = {{"entity", F::string, "", {}}, {"entity_id", F::string, "", {}}, {"actor", F::string, "", {}},
                 {"action", F::string, "", {}}, {"from", F::date, "", {}}, {"to", F::date, "", {}}},
       .handler = list_audit, .list = true, .response = Schema::page(Schema::ref("AuditEntry"))},
  };
}

}  // namespace nongsan::api
