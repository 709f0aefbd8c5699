// Route handlers, one file per area. Each turns a checked request into service
// calls and the service's result into a response; no business rules here.
#pragma once

#include <vector>

#include "api/router.hpp"
#include "api/schemas/components.hpp"

namespace nongsan::api {

std::vector<Route> system_routes();
std::vector<Route> auth_routes();
std::vector<Route> unit_routes();
std::vector<Route> figure_routes();
std::vector<Route> user_routes();
std::vector<Route> audit_routes();
std::vector<Route> registry_routes();
std::vector<Route> target_routes();
std::vector<Route> suitability_routes();
std::vector<Route> job_routes();
std::vector<Route> support_routes();
std::vector<Route> inspection_plan_routes();
std::vector<Route> diary_routes();
std::vector<Route> areacode_routes();
std::vector<Route> chain_routes();
std::vector<Route> ocop_routes();
std::vector<Route> certificate_routes();
std::vector<Route> epcis_routes();  // the EPCIS 2.0 REST binding, outside /api
std::vector<Route> trace_routes();
std::vector<Route> inspection_routes();
std::vector<Route> conclusions_routes();
std::vector<Route> portal_routes();  // the public portal /cong-khai and its open data, no login

}  // namespace nongsan::api
