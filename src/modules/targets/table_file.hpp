// Reads a CSV or XLSX file into the Table the targets import takes (through
// geo::read_features, so both formats behave alike). Line numbers count the header
// as line 1; blank rows are skipped.
#pragma once

#include <string>

#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/targets/targets_import.hpp"

namespace nongsan::targets {

// `options`: the text encoding (nullopt: detected) and the size limits; the layer
// and CRS are not used.
Result<Table> read_table_file(const std::string& path, const geo::ReadOptions& options = {});

}  // namespace nongsan::targets
