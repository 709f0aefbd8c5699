// Writing and reading the audit trail. `record` takes the connection of the
// current write transaction.
#pragma once

#include <vector>

#include "modules/audit/audit_entry.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::audit {

void record(storage::Connection& c, const identity::Actor& actor, std::string action, std::string entity,
            std::string entity_id, std::optional<UnitId> unit, std::optional<nlohmann::json> before,
            std::optional<nlohmann::json> after);

struct AuditPage {
  std::vector<AuditEntry> items;
  std::int64_t total = 0;
};
AuditPage list(storage::Connection& c, const AuditFilter& filter);

}  // namespace nongsan::audit
