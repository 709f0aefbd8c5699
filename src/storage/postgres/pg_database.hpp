// PostgreSQL 15 + PostGIS backend over libpq (libpqxx 7 is not in Debian 12).
// `?` placeholders are rewritten to $n; geometry parameters are sent as hex EWKB
// and geometry results decoded from the hex EWKB text PostGIS returns.
// Selected by a postgresql:// URL, never by a rebuild.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace nongsan::storage {

std::unique_ptr<Database> open_postgres(const std::string& url, const ReplicaOptions& replica = {});

}  // namespace nongsan::storage
