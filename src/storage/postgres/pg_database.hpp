// PostgreSQL 15 + PostGIS backend over libpq (libpqxx 7 is not in Debian 12).
// `?` placeholders are rewritten to $n; geometry parameters are sent as hex EWKB
// and geometry results decoded from the hex EWKB text PostGIS returns.
// Selected by a postgresql:// URL, never by a rebuild.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace nongsan::storage {

std::unique_ptr<Database> open_postgres(const std::string& url, const ReplicaOptions& replica = {});

// The province a PostgreSQL connection's rows belong to: what the column default
// nongsan_province_code() (migration 0029) gives them, read once per connection (the
// installation's province is fixed when 0029 runs). nullopt for another backend's
// connection. For storage/province_filter.hpp.
std::optional<std::string> postgres_province_code(Connection& c);

}  // namespace nongsan::storage
