#include "storage/postgres/pg_database.hpp"

#include <stdexcept>

namespace nongsan::storage {
// Replaced by the libpq implementation.
std::unique_ptr<Database> open_postgres(const std::string&) {
  throw DbError(DbError::Kind::other, "PostgreSQL backend not built yet");
}
}  // namespace nongsan::storage
