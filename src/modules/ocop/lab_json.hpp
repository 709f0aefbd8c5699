// The JSON of a lab result, `passed` computed (docs/rules.md §8.8): one shape for the
// list, the entry and the dossier. Kept out of lab_results.hpp so that the service's
// header does not carry the JSON library's weight for what only three files use.
#pragma once

#include <nlohmann/json.hpp>

#include "modules/ocop/lab_results.hpp"

namespace nongsan::ocop {

nlohmann::json lab_json(const LabResult& r);

}  // namespace nongsan::ocop
