// Crop profiles for land suitability (FAO framework; docs/rules.md §4): for each crop, the factors (one raster layer each) with the
// value ranges or codes of the classes S1–S3, and the rating curves of the
// parametric methods. Profiles are data that planners edit and import as JSON; this
// file parses and validates that JSON and writes it back without losing anything.
//
// JSON (one object per crop; see docs/suitability.md):
//   { "crop": "macadamia", "name_vi": "Mắc ca", "method": "limiting",
//     "factors": [
//       { "layer": "elevation", "type": "continuous", "unit": "m",
//         "S1": [[600, 1000]], "S2": [[400, 600], [1000, 1300]], "S3": [[200, 400]],
//         "source": "...", "advisory": false },
//       { "layer": "soil_group", "type": "categorical", "S1": [3, 5], "S2": [2], "S3": [1, 7],
//         "N": [9], "legend": {"1": "sand", "2": "loamy sand"},
//         "legend_vi": {"1": "đất cát", "2": "đất cát pha"} } ],
//     "class_thresholds": [75, 50, 25],
//     "ratings": { "elevation": [[200, 30], [600, 100], [1000, 100], [1600, 30]] } }
// Unknown keys (notes, confidence, scientific, ...) are kept in `extra` and written
// back by to_json. Whatever a user reads is Vietnamese first: `unit_vi` and
// `legend_vi` give a factor's unit and category names in Vietnamese beside the
// researched English `unit` and `legend` (docs/suitability.md).
//
// Decisions (documented in docs/suitability.md):
// - A missing `ratings` curve for a continuous factor is not an error when the
//   profile is parsed, since `--method` may override the profile's method; it is an
//   error when a parametric method is actually used (check_method, compile).
// - `advisory: true` factors (docs/rules.md §4: "shown but do not limit the class") are
//   evaluated and reported per factor but take no part in the class, the limiting
//   factor or the index, and their layer is not required to evaluate a raster.
// - A layer may appear in only one factor (ratings and rasters are keyed by layer).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan::suitability {

// Raster class codes: 1=S1, 2=S2, 3=S3, 4=N, 0=nodata (a larger code is a worse class).
enum class SuitClass : uint8_t { nodata = 0, S1 = 1, S2 = 2, S3 = 3, N = 4 };
std::string_view class_name(SuitClass c);  // "S1", "S2", "S3", "N", "nodata"

enum class Method { limiting, storie, square_root };
std::optional<Method> parse_method(std::string_view name);  // "limiting", "storie", "square_root"
std::string_view method_name(Method m);
inline bool is_parametric(Method m) { return m != Method::limiting; }

enum class FactorType { continuous, categorical };
std::optional<FactorType> parse_factor_type(std::string_view name);
std::string_view factor_type_name(FactorType t);

struct Factor {
  std::string layer;  // raster layer name, [A-Za-z0-9_]+
  FactorType type = FactorType::continuous;
  // continuous: [low, high) intervals of S1, S2, S3 (index 0..2)
  std::array<std::vector<std::pair<double, double>>, 3> intervals;
  // categorical: the codes of S1, S2, S3; every other code is N
  std::array<std::vector<long long>, 3> codes;
  std::vector<long long> n_codes;  // categorical: codes listed as N (informative; unlisted codes are N too)
  std::vector<std::pair<long long, std::string>> legend;     // categorical: code -> label, e.g. 3 -> "loam"
  std::vector<std::pair<long long, std::string>> legend_vi;  // the same in Vietnamese, e.g. 3 -> "đất thịt"
  // continuous, parametric methods: (value, rating 0..100) breakpoints, value strictly increasing
  std::vector<std::pair<double, double>> ratings;
  bool advisory = false;
  std::string source;
  std::string unit;     // as researched (English), e.g. "m a.s.l."
  std::string unit_vi;  // the same in Vietnamese, e.g. "m so với mực nước biển"
  nlohmann::json extra = nlohmann::json::object();  // other keys (confidence, notes, ...)
};

struct CropProfile {
  std::string crop;  // identifier, e.g. "macadamia"
  std::string name_vi, name_en;
  Method method = Method::limiting;
  std::vector<Factor> factors;
  std::array<double, 3> class_thresholds{75, 50, 25};  // index >= [0] S1, >= [1] S2, >= [2] S3, else N
  nlohmann::json extra = nlohmann::json::object();     // other keys (scientific, notes, ...)

  // True when every factor cites a source (the UI flags unsourced profiles).
  bool sourced() const;
  // Positions (0-based) of the factors without a source.
  std::vector<std::size_t> unsourced_factors() const;
  // Index of the factor on `layer`, if any.
  std::optional<std::size_t> factor_index(std::string_view layer) const;
};

// Parses and validates one profile. Errors are invalid_input with one FieldError per
// problem, the field being the JSON path ("factors[1].S2[0]", "ratings.slope[2]").
Result<CropProfile> parse_crop_profile(const nlohmann::json& j);
// One profile object or an array of them (paths then start with "[i].").
Result<std::vector<CropProfile>> parse_crop_profiles(const nlohmann::json& j);
nlohmann::json to_json(const CropProfile& p);

// Can `p` be evaluated with method `m`? Parametric methods need a `ratings` curve for
// every continuous factor that is not advisory; there must be at least one factor
// that is not advisory.
Status check_method(const CropProfile& p, Method m);

}  // namespace nongsan::suitability
