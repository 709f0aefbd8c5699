#include "api/schemas/components.hpp"

namespace nongsan::api {

void add_support_components(Components&) {}

const std::map<std::string, Schema>& support_responses() {
  static const std::map<std::string, Schema> responses;
  return responses;
}

}  // namespace nongsan::api
