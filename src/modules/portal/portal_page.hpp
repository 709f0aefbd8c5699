// The public portal as one light HTML page: no script, inline CSS, readable on a 390 px
// phone (like the trace module's public lot page), Vietnamese. The maps are inline SVG
// drawn from the GeoJSON (no tiles, nothing fetched). Pure: no storage, no I/O.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace nongsan::portal {

// `progress`, `zones`, `areas`, `ocop` as PortalService gives them.
// `lots`: links to the public lot pages (PortalService::lots), [] for none.
std::string portal_html(const nlohmann::json& progress, const nlohmann::json& zones, const nlohmann::json& areas,
                        const nlohmann::json& ocop, const nlohmann::json& lots = nlohmann::json::array());
// The zones (green) and growing areas (orange) as an SVG of `width` × `height` px.
std::string map_svg(const nlohmann::json& zones, const nlohmann::json& areas, int width, int height);

}  // namespace nongsan::portal
