// The predicates that let Citus route a statement to one province's shard
// (docs/scale-out.md, "Queries by province"; docs/adr/0018-citus-ready-schema.md): a
// distributed table filtered by `province_code = <parameter>`, two distributed tables
// joined on `province_code` as well as on their key.
//
// On PostgreSQL every distributed table carries the column (migration 0029); a
// GeoPackage holds one province and has it on none of the tables these predicates are
// used with, so on SQLite both functions give "" and add no parameter: the SQL stays
// the one text for both backends, with the predicate spliced in where the backend has
// the column.
//
// The caller places the returned text where its `?` falls in parameter order: the
// province is appended to `params` when the text is made.
//
// Depends on storage/database.hpp only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace nongsan::storage {

// " AND <column> = ?" with the connection's province appended to `params`
// (`column`: "province_code" or "p.province_code", written in the code, never input);
// "" where the backend has no such column.
std::string and_province(Connection& c, std::string_view column, std::vector<Value>& params);

// " AND <left> = <right>" for a join on the province ("p.province_code",
// "r.province_code"); "" where the backend has no such column.
std::string same_province(Connection& c, std::string_view left, std::string_view right);

}  // namespace nongsan::storage
