#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace nongsan::storage {

std::int64_t Connection::scalar_i64(std::string_view sql, const std::vector<Value>& params, std::int64_t fallback) {
  auto rs = query(sql, params);
  if (rs.empty() || std::holds_alternative<Null>(rs.rows[0].at(0))) return fallback;
  return rs.rows[0].i64(std::size_t{0});
}

bool is_postgres_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Database> open_database(const std::string& location) {
  if (is_postgres_url(location)) return open_postgres(location);
  return open_sqlite(location);
}

}  // namespace nongsan::storage
