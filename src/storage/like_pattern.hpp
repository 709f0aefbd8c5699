// "Contains" searches with SQL LIKE: the text a user types is matched literally, so
// `%` and `_` (LIKE's wildcards) and the escape character itself are escaped. Both
// backends take the same SQL:
//   where += " AND name_folded LIKE ?" + std::string(kLikeEscape);
//   params.emplace_back(like_contains(q));
// Repositories build every LIKE pattern from user input with this, never by hand.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::storage {

// The escape clause to write after `LIKE ?`. '!' rather than '\' so that no backend's
// string-literal rules (PostgreSQL's E'' strings, C++ escapes) can change it.
inline constexpr std::string_view kLikeEscape = " ESCAPE '!'";

// "%" + needle with %, _ and ! escaped + "%".
std::string like_contains(std::string_view needle);

}  // namespace nongsan::storage
