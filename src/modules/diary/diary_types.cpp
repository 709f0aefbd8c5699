#include "modules/diary/diary_types.hpp"

namespace nongsan::diary {

std::string_view to_string(IngredientStatus s) { return s == IngredientStatus::banned ? "banned" : "permitted"; }

std::optional<IngredientStatus> parse_ingredient_status(std::string_view t) {
  if (t == "permitted") return IngredientStatus::permitted;
  if (t == "banned") return IngredientStatus::banned;
  return std::nullopt;
}

std::string_view to_string(EntryKind k) {
  switch (k) {
    case EntryKind::spray: return "spray";
    case EntryKind::fertiliser: return "fertiliser";
    case EntryKind::harvest: return "harvest";
    case EntryKind::observation: return "observation";
  }
  return "observation";
}

std::optional<EntryKind> parse_entry_kind(std::string_view t) {
  for (auto k : {EntryKind::spray, EntryKind::fertiliser, EntryKind::harvest, EntryKind::observation})
    if (to_string(k) == t) return k;
  return std::nullopt;
}

std::string_view to_string(FindingKind k) {
  switch (k) {
    case FindingKind::unregistered: return "unregistered";
    case FindingKind::banned: return "banned";
    case FindingKind::not_for_crop: return "not_for_crop";
    case FindingKind::over_dose: return "over_dose";
    case FindingKind::phi_not_passed: return "phi_not_passed";
  }
  return "unregistered";
}

std::optional<FindingKind> parse_finding_kind(std::string_view t) {
  for (auto k : {FindingKind::unregistered, FindingKind::banned, FindingKind::not_for_crop, FindingKind::over_dose,
                 FindingKind::phi_not_passed})
    if (to_string(k) == t) return k;
  return std::nullopt;
}

}  // namespace nongsan::diary
