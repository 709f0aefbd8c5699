// The route tables of docs/api.md, written from the OpenAPI document, so that the
// document people read cannot drift from the routes the server has. docs/api.md keeps
// its hand-written prose; each table sits between the markers
//   <!-- routes: TAG -->  …  <!-- /routes -->
// and lists the routes of that tag in the order of the route table: method, path, who
// may call it, what it does, what it takes and what it answers.
// Depends on nlohmann-json only (it reads the document, never the routes).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan::api {

// The table of the routes tagged `tag` (without the markers).
std::string markdown_route_table(const nlohmann::json& openapi, const std::string& tag);

// The named schemas (components) with their members: `name: type`, `name?` when it may
// be absent, `…` when an object may hold more. docs/api.md keeps it between the lines
// <!-- schemas --> and <!-- /schemas -->.
std::string markdown_schema_table(const nlohmann::json& openapi);

// The schemas' table and every tag's table with its markers, one after another (`nongsan openapi --format markdown`).
std::string markdown_route_tables(const nlohmann::json& openapi);

// `markdown` with the text between each pair of markers replaced by the table of its
// tag, and the schemas' table between its markers. An error names a marker without its
// end, a tag no route has, a tag whose routes have no table, or a missing schemas table.
Result<std::string> update_route_tables(const nlohmann::json& openapi, const std::string& markdown);

}  // namespace nongsan::api
