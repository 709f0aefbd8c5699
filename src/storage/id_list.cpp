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
  if (backend == Backend::postgres) {
    // A long array is handed to the planner through a scalar subquery, which it plans
    // as a parameter of the statement (an InitPlan) instead of a constant: with the
    // constant it estimates the selectivity of each element in turn, 0.3–1.1 s of the
    // server's planning for the 265,000 parcels a province's year of support claims
    // (bench/README.md, "Support cross-checks"); with the parameter, 8–34 ms, and the
    // same index scan. A short list keeps the constant, whose estimate is exact.
    if (ids.size() > kIdsPlannedAsParameter)
      return {std::string(column) + " = ANY(CAST((SELECT CAST(? AS BIGINT[])) AS BIGINT[]))", std::move(list)};
    return {std::string(column) + " = ANY(CAST(? AS BIGINT[]))", std::move(list)};
  }
  return {std::string(column) + " IN (SELECT value FROM json_each(?))", std::move(list)};
}

}  // namespace nongsan::storage
