// Audit facts are rows: who, when, what, before and after. Recorded in the same
// transaction as the change they describe, so there is never a change without
// its audit row or the other way round.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/strong_id.hpp"

namespace nongsan::audit {

struct AuditEntry {
  AuditId id;
  std::string at;  // UTC timestamp
  std::string actor;
  std::string action;  // create, update, delete, login, login_failed, logout, reveal, import, backup, ...
  std::string entity;  // table-like name: admin_unit, unit_figure, app_user, session, ...
  std::string entity_id;
  std::optional<UnitId> unit;
  std::optional<nlohmann::json> before;
  std::optional<nlohmann::json> after;
  std::string request_id;
};

struct AuditFilter {
  std::string entity, entity_id, actor, action;
  std::string from, to;  // civil dates or timestamps; inclusive
  int page = 1, page_size = 50;
};

}  // namespace nongsan::audit
