#include "modules/areacodes/code_lifecycle.hpp"

namespace nongsan::areacodes {

std::optional<CodeStatus> after(CodeStatus from, CodeAction action, bool pending_review) {
  switch (action) {
    case CodeAction::issue: return from == CodeStatus::applied ? std::optional(CodeStatus::issued) : std::nullopt;
    case CodeAction::refuse: return from == CodeStatus::applied ? std::optional(CodeStatus::refused) : std::nullopt;
    case CodeAction::suspend: return from == CodeStatus::issued ? std::optional(CodeStatus::suspended) : std::nullopt;
    case CodeAction::confirm:
      return from == CodeStatus::suspended && pending_review ? std::optional(CodeStatus::suspended) : std::nullopt;
    case CodeAction::reinstate:
      return from == CodeStatus::suspended ? std::optional(CodeStatus::issued) : std::nullopt;
    case CodeAction::cancel:
      return from == CodeStatus::issued || from == CodeStatus::suspended ? std::optional(CodeStatus::cancelled)
                                                                          : std::nullopt;
  }
  return std::nullopt;
}

std::vector<CodeAction> actions_from(CodeStatus from, bool pending_review) {
  std::vector<CodeAction> out;
  for (auto a : {CodeAction::issue, CodeAction::refuse, CodeAction::suspend, CodeAction::confirm, CodeAction::reinstate,
                 CodeAction::cancel})
    if (after(from, a, pending_review)) out.push_back(a);
  return out;
}

}  // namespace nongsan::areacodes
