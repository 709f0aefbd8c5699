// SQL of the trace module: the GTIN table (trace_gtin) and the resolver setting
// (app_setting key trace.resolver). Must not depend on api, app or cli.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/trace/trace_types.hpp"
#include "storage/database.hpp"

namespace nongsan::trace {

class TraceRepository {
 public:
  static std::vector<GtinEntry> gtins(storage::Connection& c);
  static std::optional<GtinEntry> gtin(storage::Connection& c, const std::string& gtin14);
  static void save_gtin(storage::Connection& c, const GtinEntry& g);
  static bool delete_gtin(storage::Connection& c, const std::string& gtin14);
  // The Digital Link resolver base (scheme and host, no trailing '/'); "" when not set.
  static std::string resolver(storage::Connection& c);
  static void save_resolver(storage::Connection& c, const std::string& base);
};

}  // namespace nongsan::trace
