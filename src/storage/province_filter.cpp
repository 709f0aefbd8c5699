#include "storage/province_filter.hpp"

#include "storage/postgres/pg_database.hpp"

namespace nongsan::storage {

std::string and_province(Connection& c, std::string_view column, std::vector<Value>& params) {
  auto province = postgres_province_code(c);
  if (!province) return "";
  params.emplace_back(*province);
  return " AND " + std::string(column) + " = ?";
}

std::string same_province(Connection& c, std::string_view left, std::string_view right) {
  if (c.backend() != Backend::postgres) return "";
  return " AND " + std::string(left) + " = " + std::string(right);
}

}  // namespace nongsan::storage
