// Writing CSV the way officials open it: RFC 4180 quoting (a field with a comma,
// quote or line break is quoted, quotes doubled), CRLF line ends, and a UTF-8
// byte-order mark first so that Excel shows Vietnamese. The one CSV writer of the
// project. Depends on the standard library only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nongsan::csv {

// One field, quoted when it must be.
std::string field(std::string_view text);
// One line: the fields joined by commas, ending in CRLF.
std::string row(const std::vector<std::string>& fields);
// A whole table: the byte-order mark, the header row, then the rows.
std::string table(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows);

}  // namespace nongsan::csv
