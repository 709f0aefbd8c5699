// From an event to what the repository indexes, and from the standard's query
// parameters to an EventFilter. Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "modules/epcis/epcis_types.hpp"
#include "modules/epcis/event_hash.hpp"

namespace nongsan::epcis {

// `event` must have passed validation. `ctx` is the document's context.
EventIndex index_event(const nlohmann::json& event, const HashContext& ctx);

// An identifier as the index holds it: canonical Digital Link (or the text itself), and
// its base (the key without qualifiers).
std::pair<std::string, std::string> canonical_epc(const std::string& value);

// Query parameters (name, value) as the REST binding and the CLI give them; a value may
// list several alternatives separated by '|' and a parameter may repeat. Unknown
// parameters and bad values are errors naming the parameter.
Result<EventFilter> parse_event_filter(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace nongsan::epcis
