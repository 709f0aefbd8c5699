// Gathers the evidence of the code rules that need the diary and the supply chain
// (code_evidence): the diary entries and `banned` findings in the actor's scope
// (DiaryService::entries, ::findings) and the EPCIS events naming a code
// (EpcisService::query on the ILMD or top-level extension field
// https://nongsan.vn/epcis/areaCode, docs/area-codes.md). Installed into
// AreaCodeService as its rule source, so the CLI, the API and the demo run the same
// rules. Depends on the diary and epcis services; must not depend on api, app or cli.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/areacodes/code_evidence.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/epcis/epcis_service.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::areacodes {

// The extension field that names a growing-area code in an EPCIS event.
inline constexpr const char* kAreaCodeField = "https://nongsan.vn/epcis/areaCode";

// `codes`: the code texts whose EPCIS events are read.
Result<CodeEvidence> gather_evidence(const identity::Actor& a, diary::DiaryService& diary, epcis::EpcisService& epcis,
                                     const std::vector<std::string>& codes);

// Kilograms of an event's quantityList, childQuantityList and outputQuantityList
// (uom KGM, or TNE × 1000; other units are not weights and are left out).
double event_quantity_kg(const nlohmann::json& event);

}  // namespace nongsan::areacodes
