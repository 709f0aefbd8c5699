// The life cycle of a code (Decision 3156/QĐ-BNN-TT: codes are issued, suspended,
// reinstated and cancelled; docs/area-codes.md): which action may follow which
// status, and what each requires. Pure; depends on the module's types only.
//
//   applied   --issue-->     issued       --suspend--> suspended --reinstate--> issued
//   applied   --refuse-->    refused      suspended --confirm--> suspended (an officer
//   issued|suspended --cancel--> cancelled                   upholds the system's suspension)
#pragma once

#include <optional>
#include <vector>

#include "modules/areacodes/area_code_types.hpp"

namespace nongsan::areacodes {

// The status after `action`, or nullopt when the action does not apply to `from`.
// `pending_review`: the code was suspended by the system and waits for an officer
// (only then is `confirm` possible).
std::optional<CodeStatus> after(CodeStatus from, CodeAction action, bool pending_review);
// The actions possible from a status, in the order the UI offers them.
std::vector<CodeAction> actions_from(CodeStatus from, bool pending_review);

}  // namespace nongsan::areacodes
