#include "modules/audit/audit_log.hpp"

#include "core/civil_date.hpp"

namespace nongsan::audit {

using storage::Null;
using storage::Value;

void record(storage::Connection& c, const identity::Actor& actor, std::string action, std::string entity,
            std::string entity_id, std::optional<UnitId> unit, std::optional<nlohmann::json> before,
            std::optional<nlohmann::json> after) {
  c.execute(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_id, before_json, after_json, request_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {utc_now_iso(), actor.name, std::move(action), std::move(entity), std::move(entity_id),
       unit ? Value{unit->value} : Value{Null{}}, before ? Value{before->dump()} : Value{Null{}},
       after ? Value{after->dump()} : Value{Null{}}, actor.request_id});
}

AuditPage list(storage::Connection& c, const AuditFilter& f) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  auto add = [&](const std::string& value, const char* clause) {
    if (value.empty()) return;
    where += clause;
    params.emplace_back(value);
  };
  add(f.entity, " AND entity = ?");
  add(f.entity_id, " AND entity_id = ?");
  add(f.actor, " AND actor = ?");
  add(f.action, " AND action = ?");
  add(f.from, " AND at >= ?");
  // A bare date as the upper bound includes that whole day.
  add(f.to.size() == 10 ? f.to + "T23:59:59Z" : f.to, " AND at <= ?");
  AuditPage page;
  page.total = c.scalar_i64("SELECT count(*) FROM audit_log" + where, params);
  auto list_params = params;
  list_params.emplace_back(std::int64_t{f.page_size});
  list_params.emplace_back(std::int64_t{(f.page - 1) * f.page_size});
  auto rs = c.query("SELECT id, at, actor, action, entity, entity_id, unit_id, before_json, after_json, request_id "
                    "FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                    list_params);
  for (const auto& r : rs.rows) {
    AuditEntry e;
    e.id = AuditId(r.i64("id"));
    e.at = r.str("at");
    e.actor = r.str("actor");
    e.action = r.str("action");
    e.entity = r.str("entity");
    e.entity_id = r.str("entity_id");
    if (auto u = r.opt_i64("unit_id")) e.unit = UnitId(*u);
    if (auto b = r.opt_str("before_json")) e.before = nlohmann::json::parse(*b, nullptr, false);
    if (auto a = r.opt_str("after_json")) e.after = nlohmann::json::parse(*a, nullptr, false);
    e.request_id = r.str("request_id");
    page.items.push_back(std::move(e));
  }
  return page;
}

}  // namespace nongsan::audit
