// Reading and writing policy versions as JSON — the format of `nongsan import
// policies FILE.json` (an array of objects; a later object with the same code and a
// later `version` is an amendment) and of the API. Every mistake is named by its JSON
// path (`[2].requires.suitability[0]`), all at once; conditions are parsed and
// type-checked here, so a policy with a bad condition is never stored.
//
//   { "code": "NQ07-TEA", "version": "2021-03-22", "name_vi": "…", "name_en": "…",
//     "content": "tea_planting", "item": "area", "rate": 15000000, "one_time": true,
//     "cap_per_beneficiary_year": 30000000, "exclusive_with": ["NQ07-FRUIT"],
//     "requires": {"crop": "tea", "zone": true, "controller": true,
//                  "suitability": ["S1", "S2"], "profile": "tea"},
//     "conditions": "claimed_ha >= 0.3", "source": "Resolution 07/2021/NQ-HĐND Art. …",
//     "illustrative": true, "note": "…" }
//
// Pure: no I/O. Depends on core and nlohmann-json.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/support/support_types.hpp"

namespace nongsan::support {

// One object. `path` prefixes the fields in errors ("[3]").
Result<PolicyVersion> parse_policy(const nlohmann::json& j, const std::string& path = "");
// An array of objects (or one object). Two objects with the same code and version are
// refused (which one would hold?).
Result<std::vector<PolicyVersion>> parse_policies(const nlohmann::json& j);

nlohmann::json to_json(const PolicyVersion& p);

// The version of `code` in force on `date`: the latest one dated on or before it.
// REQUIRES: `versions` holds any policies (in any order).
std::optional<PolicyVersion> version_in_force(const std::vector<PolicyVersion>& versions, const std::string& code,
                                              const CivilDate& date);
// The same without a copy: a pointer into `versions`, null when none is in force.
const PolicyVersion* find_version_in_force(const std::vector<PolicyVersion>& versions, std::string_view code,
                                           const CivilDate& date);

}  // namespace nongsan::support
