#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_target_components(Components&) {}

}  // namespace nongsan::api
