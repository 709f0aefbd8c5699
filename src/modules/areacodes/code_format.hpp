// The text of a code (docs/rules.md, "Growing-area and packing-house codes";
// docs/adr/0015-growing-area-code-format.md). Pure; depends on core only.
//
// Domestic (Decision 3156/QĐ-BNN-TT): VN-PP-DDD-CCCCC-NNN-YY — province code (2
// digits), district code (3), commune code (5), the production unit's number within
// the commune and year (3 or more digits), the two-digit year of issue. A commune of
// the units in force from 1 July 2025 has no district: its district segment is 000.
// Export (Document 1776/BNN-BVTV): VN-DTOR-NNNN (growing area) and VN-DTPH-NNNN
// (packing house), four or more digits, as issued by the Plant Protection Department.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "modules/areacodes/area_code_types.hpp"

namespace nongsan::areacodes {

struct DomesticParts {
  std::string province, district, commune;  // digits; district "000" after the 2025 reform
  int number = 1;
  int year = 2025;
};

// The domestic code of the parts; nullopt when a part has the wrong number of digits.
std::optional<std::string> domestic_code(const DomesticParts& p);
// The parts of a domestic code; nullopt when the text is not one.
std::optional<DomesticParts> parse_domestic_code(std::string_view text);
// True when `text` is an export code of the kind (DTOR for areas, DTPH for packing houses).
bool is_export_code(std::string_view text, CodeKind kind);
// The scheme of a code as written for a kind; nullopt when it is neither a domestic
// code nor an export code of that kind.
std::optional<CodeScheme> scheme_of(std::string_view text, CodeKind kind);

}  // namespace nongsan::areacodes
