// Validation of an EPCIS 2.0 document before capture: the EPCIS 2.0 JSON schema
// (embedded; through valijson) and the standard's rules the schema cannot express
// (docs/epcis.md "Rules checked", docs/rules.md §14). The order of events in a
// document is not checked. Pure: JSON in, problems out; no storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/epcis/event_hash.hpp"

namespace nongsan::epcis {

struct Problem {
  std::optional<std::size_t> event;  // index in the document's event list; nullopt = the document
  std::string event_id;              // the event's eventID when it has one
  std::string path;                  // JSON pointer inside the event (or the document)
  std::string message;
};

// Every problem of `document` (empty = valid): schema errors first (one per failing
// place, the deepest), then the standard's rules per event.
std::vector<Problem> validate_document(const nlohmann::json& document);
// The standard's rules for one event (also what capture from C++ checks).
std::vector<Problem> event_rule_problems(const nlohmann::json& event);

// "event 3 (eventID urn:uuid:…) at /readPoint/id: …" — how a problem is named to a user.
std::string describe(const Problem& p);

}  // namespace nongsan::epcis
