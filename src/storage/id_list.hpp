// "The column is one of these ids" with every id in one parameter, whatever their
// number: an array on PostgreSQL (`= ANY(CAST(? AS BIGINT[]))`), a JSON array read by
// json_each on SQLite. For reads of a few hundred thousand known records (the parcels a
// year's applications claim), where `IN (?, ?, …)` would need a statement per few
// hundred ids and a subquery would be evaluated again by every read.
//   auto in = storage::id_in(c.backend(), "p.id", ids);
//   c.each_row("SELECT … FROM parcel p WHERE " + in.sql, {in.param}, …);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace nongsan::storage {

// Above this many ids, PostgreSQL is given the array as a parameter of the plan rather
// than a constant (see id_in).
inline constexpr std::size_t kIdsPlannedAsParameter = 500;

struct IdList {
  std::string sql;  // the condition, with one `?`
  Value param;      // its value
};

IdList id_in(Backend backend, std::string_view column, const std::vector<std::int64_t>& ids);

}  // namespace nongsan::storage
