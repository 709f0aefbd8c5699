// Small pieces the suitability services share when they write answers: hectares
// and shares as text for tables, areas by class as JSON, the classes' colours, and
// the hash that says whether two runs read the same data. No I/O but the file
// sizes and times the hash reads.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "modules/suitability/grid_evaluation.hpp"
#include "modules/suitability/suitability_records.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

std::string fmt_ha(double m2);     // "12.34" (hectares, two decimals)
std::string fmt_share(double v);   // "0.250"
// {"S1": ha, "S2": ha, "S3": ha, "N": ha, "nodata": ha}
nlohmann::json ha_json(const ClassM2& m2);
ClassM2 to_m2(const ClassAreas& a);

// RGBA of the class map, by class code (0 nodata transparent, S1 dark green, S2
// light green, S3 orange, N red).
inline constexpr std::uint8_t kClassColours[5][4] = {
    {0, 0, 0, 0}, {0x1a, 0x7f, 0x37, 220}, {0x8b, 0xc3, 0x4a, 220}, {0xf5, 0xa6, 0x23, 220}, {0xd0, 0x3b, 0x2f, 220}};

// Hash (FNV-1a 64, hex) of the profile text and of the layers' names, paths, file
// sizes and times: two runs with the same hash read the same data.
std::string data_hash(const std::string& profile, const LayerSet& layers);

}  // namespace nongsan::suitability
