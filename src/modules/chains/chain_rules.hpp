// The small validation rules of the chains module, shared by the imports and the
// service: codes, dates, who may lead a contract, the enumerations. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/civil_date.hpp"

namespace nongsan::chains {

// The largest quantity a contract or delivery may name: 10⁹ t, far beyond a province.
inline constexpr double kMaxKilograms = 1e12;

// "" when `code` is a valid record code (1 to 64 characters of UTF-8), else the problem.
std::string check_code(const std::string& code);
// A date of record between 1945 and 2100, ISO or dd/mm/yyyy.
std::optional<CivilDate> plausible_date(const std::string& text);
// Decree 98/2018/NĐ-CP Art. 3: a chain is led by an enterprise or a cooperative
// (a cooperative group or farm takes part as a participant).
bool may_lead(std::string_view producer_kind);
bool is_price_mechanism(std::string_view s);  // "", fixed, floor, market_linked
bool is_technology(std::string_view s);       // manual, semi_mechanised, automated
bool is_market(std::string_view s);           // domestic, export
bool is_investment_kind(std::string_view s);  // plant, industrial_cluster
bool is_investment_status(std::string_view s);  // proposed, approved, under_construction, operating, suspended

}  // namespace nongsan::chains
