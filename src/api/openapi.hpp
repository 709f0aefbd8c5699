// The OpenAPI 3.0 document, generated from the route table so that it always
// matches the routes the server has.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "api/router.hpp"

namespace nongsan::api {

std::vector<Route> all_routes();
nlohmann::json openapi_document(const std::vector<Route>& routes);

}  // namespace nongsan::api
