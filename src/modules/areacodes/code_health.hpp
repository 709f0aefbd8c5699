// Code health, computed, never typed (docs/area-codes.md; docs/rules.md,
// "Growing-area and packing-house codes"). Pure: the facts of each code come in,
// findings come out. The rules are a list of functions over the same facts, so
// that rules needing more inputs (diaries, EPCIS events) are added as further
// CodeRule values built by their service, without changing the ones here.
//
// Facts every rule may read: the code, its kind and crop, its parcels (ids and
// external ids) and their registry area (the computed VN-2000 area of the parcels
// in force), and its seasons (crop, declared area, expected and actual output,
// harvest window). The crop table (data/areacodes/crops.json) says which crops are
// perennial and their plausible maximum yield; the settings hold the thresholds.
// Depends on core and nlohmann-json.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/areacodes/area_code_types.hpp"

namespace nongsan::areacodes {

struct CropInfo {
  std::string code, name_vi;
  bool perennial = false;
  std::optional<double> max_yield_kg_per_ha;  // per season; for over_shipped
  std::string yield_basis, source;
  bool illustrative = true;
};

struct HealthSettings {
  double area_tolerance_pct = 10;   // area_mismatch above this share of the registry area
  double minimum_ha_perennial = 1;  // Decision 3156/QĐ-BNN-TT
  double minimum_ha_annual = 0.1;
  double diary_gap_days = 60;       // diary_gap: longest run without a diary entry in a season
  std::set<std::string> serious;    // findings that suspend the code until an officer decides
};

struct CropTable {
  HealthSettings defaults;
  std::map<std::string, CropInfo> crops;
  const CropInfo* find(const std::string& code) const;
};

// Reads data/areacodes/crops.json; an error names the JSON path of each mistake.
Result<CropTable> parse_crop_table(const nlohmann::json& doc);

struct CodeFacts {
  std::int64_t id = 0;
  std::string code;
  CodeKind kind = CodeKind::area;
  CodeStatus status = CodeStatus::issued;
  std::string crop;
  std::vector<std::int64_t> parcel_ids;
  std::vector<std::string> parcels;  // external ids
  double registry_area_ha = 0;
  std::vector<Season> seasons;
};

struct Finding {
  std::string finding, code, season, detail;
  bool serious = false;
  std::int64_t code_id = 0;
  std::vector<std::string> entries;  // the diary entries (codes) or EPCIS events (hashes) behind it
};

struct HealthContext {
  const CropTable& crops;
  const HealthSettings& settings;
};

using CodeRule = std::function<void(const CodeFacts&, const HealthContext&, std::vector<Finding>&)>;

// below_minimum: a growing-area code whose parcels' registry area is below the
// minimum for its crop (perennial or annual, from the crop table).
void rule_below_minimum(const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out);
// area_mismatch: a season whose declared area differs from the registry area of the
// code's parcels by more than area_tolerance_pct of the registry area.
void rule_area_mismatch(const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out);
// The rules of this module, in the order their findings are listed.
std::vector<CodeRule> standard_rules();

// Every rule over every code that is issued or suspended; each finding marked
// serious from the settings. Ordered by code, then rule order, then season.
std::vector<Finding> check_codes(const std::vector<CodeFacts>& codes, const HealthContext& ctx,
                                 const std::vector<CodeRule>& rules);

// The minimum area for a crop (hectares), from the table and the settings; an unknown
// crop counts as annual.
double minimum_ha(const CropTable& crops, const HealthSettings& s, const std::string& crop);

}  // namespace nongsan::areacodes
