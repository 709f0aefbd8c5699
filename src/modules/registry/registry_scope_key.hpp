// What RecordScope::of (registry_scope.hpp) reads of an actor, as a key: two actors
// with the same key have the same registry scope on the same day and data. The API's
// read cache shares the kept answers of a registry read between them
// (docs/adr/0017-read-cache.md): the officers of one commune, or the province-wide
// roles, who ask for the same page. Implemented next to RecordScope::of, which must
// change with it.
#pragma once

#include <string>

#include "modules/identity/actor.hpp"

namespace nongsan::registry {

std::string record_scope_key(const identity::Actor& actor);

}  // namespace nongsan::registry
