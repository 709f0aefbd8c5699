#include "modules/chains/chain_rules.hpp"

#include "core/text.hpp"

namespace nongsan::chains {

std::string check_code(const std::string& code) {
  if (code.empty()) return "is empty";
  if (code.size() > 64 || !is_valid_utf8(code)) return "must be a code of 1 to 64 characters";
  return "";
}

std::optional<CivilDate> plausible_date(const std::string& text) {
  auto d = CivilDate::parse(trim(text));
  if (!d || d->year() < 1945 || d->year() > 2100) return std::nullopt;
  return d;
}

bool may_lead(std::string_view kind) { return kind == "enterprise" || kind == "cooperative"; }
bool is_price_mechanism(std::string_view s) { return s.empty() || s == "fixed" || s == "floor" || s == "market_linked"; }
bool is_technology(std::string_view s) { return s == "manual" || s == "semi_mechanised" || s == "automated"; }
bool is_market(std::string_view s) { return s == "domestic" || s == "export"; }
bool is_investment_kind(std::string_view s) { return s == "plant" || s == "industrial_cluster"; }
bool is_investment_status(std::string_view s) {
  return s == "proposed" || s == "approved" || s == "under_construction" || s == "operating" || s == "suspended";
}

}  // namespace nongsan::chains
