// Reads a CSV or XLSX file into the Table the targets import takes (through
// geo::read_features, so both formats behave alike). Line numbers count the header
// as line 1; blank rows are skipped.
#pragma once

#include <string>

#include "core/result.hpp"
#include "modules/targets/targets_import.hpp"

namespace nongsan::targets {

Result<Table> read_table_file(const std::string& path);

}  // namespace nongsan::targets
