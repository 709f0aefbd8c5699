// The named response schemas of each area ("#/components/schemas/<name>"), written
// from what the services really return (the shapes of modules/*/..._json.cpp and the
// services' answers); api_components() gathers them. Each area adds its own.
// Depends on api/schema.hpp only: no service, no storage.
#pragma once

#include <map>
#include <string>

#include "api/schema.hpp"

namespace nongsan::api {

using Components = std::map<std::string, Schema>;

void add_registry_components(Components& c);
void add_job_components(Components& c);
void add_target_components(Components& c);
void add_suitability_components(Components& c);
void add_support_components(Components& c);
void add_diary_components(Components& c);
void add_areacode_components(Components& c);
void add_chain_components(Components& c);
void add_epcis_components(Components& c);

// A registry list: a page, and when it is empty, why ("empty": the scope or the filter).
Schema registry_page(const Schema& item);

// A GeoJSON FeatureCollection (application/geo+json) whose features carry these
// properties; `extra` are members of the collection beside "features" (total, …).
Schema feature_collection(const Schema& properties, std::vector<std::pair<std::string, Schema>> extra = {});

// The response schemas of the support routes ("METHOD path" → schema); all_routes()
// gives them to the routes of support_handlers.cpp, which is owned by the support area.
const std::map<std::string, Schema>& support_responses();

}  // namespace nongsan::api
