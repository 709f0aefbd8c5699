#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_suitability_components(Components&) {}

}  // namespace nongsan::api
