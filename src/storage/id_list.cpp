#include "storage/id_list.hpp"

namespace nongsan::storage {

IdList id_in(Backend backend, std::string_view column, const std::vector<std::int64_t>& ids) {
  // "{1,2,3}" is PostgreSQL's array literal, "[1,2,3]" a JSON array: the same digits.
  std::string list;
  list.reserve(ids.size() * 8 + 2);
  list += backend == Backend::postgres ? '{' : '[';
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) list += ',';
    list += std::to_string(ids[i]);
  }
  list += backend == Backend::postgres ? '}' : ']';
  if (backend == Backend::postgres) return {std::string(column) + " = ANY(CAST(? AS BIGINT[]))", std::move(list)};
  return {std::string(column) + " IN (SELECT value FROM json_each(?))", std::move(list)};
}

}  // namespace nongsan::storage
