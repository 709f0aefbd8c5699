// The land-type codes of the cadastre (LUC, LUK, CLN …) with their Vietnamese and
// English names, read from data/land-use-codes.json (sources in its _meta:
// Circular 25/2014/TT-BTNMT Art. 8; the groups of the Land Law 2024 Art. 9). A
// parcel's land_use_code is shown with its names; a code the catalogue does not
// know is kept as the cadastre wrote it. Types and parsing only; no storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan::registry {

struct LandUseCode {
  std::string code, group, name_vi, name_en;
  std::string source;   // a key of the file's _meta.sources; "" when not sourced
  bool sourced = false;  // false: not found in the sources read (to be checked)
};

class LandUseCatalogue {
 public:
  LandUseCatalogue() = default;
  // The text of data/land-use-codes.json; errors name the entry and field.
  static Result<LandUseCatalogue> from_json(std::string_view text);

  // Case-insensitive; nullptr for an unknown or empty code.
  const LandUseCode* find(std::string_view code) const;
  const std::vector<LandUseCode>& codes() const { return codes_; }
  // {code, name_vi, name_en, group, sourced} of a code, or null.
  nlohmann::json ref(std::string_view code) const;
  // The whole catalogue with its sources, for GET /api/v1/land-use-codes.
  nlohmann::json to_json() const;

 private:
  std::vector<LandUseCode> codes_;
  nlohmann::json meta_ = nlohmann::json::object();
};

}  // namespace nongsan::registry
