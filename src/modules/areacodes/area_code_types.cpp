#include "modules/areacodes/area_code_types.hpp"

namespace nongsan::areacodes {

namespace {
template <typename E, std::size_t N>
std::optional<E> parse_in(const std::pair<E, std::string_view> (&table)[N], std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}
template <typename E, std::size_t N>
std::string_view name_in(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

constexpr std::pair<CodeKind, std::string_view> kKinds[] = {{CodeKind::area, "area"},
                                                            {CodeKind::packing_house, "packing_house"}};
constexpr std::pair<CodeScheme, std::string_view> kSchemes[] = {{CodeScheme::domestic, "domestic"},
                                                                {CodeScheme::export_, "export"}};
constexpr std::pair<CodeStatus, std::string_view> kStatuses[] = {{CodeStatus::applied, "applied"},
                                                                 {CodeStatus::issued, "issued"},
                                                                 {CodeStatus::suspended, "suspended"},
                                                                 {CodeStatus::cancelled, "cancelled"},
                                                                 {CodeStatus::refused, "refused"}};
constexpr std::pair<CodeAction, std::string_view> kActions[] = {
    {CodeAction::issue, "issue"},       {CodeAction::refuse, "refuse"},       {CodeAction::suspend, "suspend"},
    {CodeAction::confirm, "confirm"},   {CodeAction::reinstate, "reinstate"}, {CodeAction::cancel, "cancel"}};
}  // namespace

std::string_view to_string(CodeKind k) { return name_in(kKinds, k); }
std::string_view to_string(CodeScheme s) { return name_in(kSchemes, s); }
std::string_view to_string(CodeStatus s) { return name_in(kStatuses, s); }
std::string_view to_string(CodeAction a) { return name_in(kActions, a); }
std::optional<CodeKind> parse_code_kind(std::string_view t) { return parse_in(kKinds, t); }
std::optional<CodeScheme> parse_code_scheme(std::string_view t) { return parse_in(kSchemes, t); }
std::optional<CodeStatus> parse_code_status(std::string_view t) { return parse_in(kStatuses, t); }
std::optional<CodeAction> parse_code_action(std::string_view t) { return parse_in(kActions, t); }

}  // namespace nongsan::areacodes
