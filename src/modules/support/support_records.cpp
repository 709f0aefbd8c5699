#include "modules/support/support_records.hpp"

namespace nongsan::support {

namespace {
constexpr std::pair<FundingSource, std::string_view> kSources[] = {
    {FundingSource::national_target_programme, "national_target_programme"},
    {FundingSource::central_budget, "central_budget"},
    {FundingSource::provincial_budget, "provincial_budget"},
    {FundingSource::credit, "credit"},
    {FundingSource::other, "other"}};
}  // namespace

std::string_view to_string(FundingSource f) {
  for (const auto& [x, name] : kSources)
    if (x == f) return name;
  return "other";
}

std::optional<FundingSource> parse_funding_source(std::string_view s) {
  for (const auto& [x, name] : kSources)
    if (name == s) return x;
  return std::nullopt;
}

}  // namespace nongsan::support
