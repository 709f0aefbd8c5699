#include "api/openapi.hpp"

#include <limits>

#include "api/handlers/handlers.hpp"
#include "api/schemas/components.hpp"

namespace nongsan::api {

using nlohmann::json;

std::vector<Route> all_routes() {
  std::vector<Route> all;
  for (auto group : {system_routes(), auth_routes(), unit_routes(), figure_routes(), user_routes(), audit_routes(),
                     registry_routes(), target_routes(), suitability_routes(), job_routes(),
                     support_routes(), diary_routes(), areacode_routes(), chain_routes(), ocop_routes(),
                     certificate_routes(), epcis_routes(), trace_routes(), inspection_routes(),
                     inspection_plan_routes(), conclusions_routes(), portal_routes()})
    all.insert(all.end(), group.begin(), group.end());
  for (auto& r : all)
    if (!r.response.declared())
      if (auto it = support_responses().find(r.method + " " + r.path); it != support_responses().end()) r.response = it->second;
  return all;
}

namespace {
json schema_of(FieldType t, const std::vector<std::string>& allowed, bool nullable,
               const std::optional<NumberRange>& range = std::nullopt, std::optional<FieldType> items = std::nullopt) {
  json s;
  switch (t) {
    case FieldType::string: s = {{"type", "string"}}; break;
    case FieldType::integer: s = {{"type", "integer"}, {"format", "int64"}}; break;
    case FieldType::number: s = {{"type", "number"}}; break;
    case FieldType::boolean: s = {{"type", "boolean"}}; break;
    case FieldType::date: s = {{"type", "string"}, {"format", "date"}}; break;
    case FieldType::object: s = {{"type", "object"}}; break;
    case FieldType::array: s = {{"type", "array"}, {"items", json::object()}}; break;
  }
  if (!allowed.empty()) s["enum"] = allowed;
  if (nullable) s["nullable"] = true;
  auto bounds = [&](json& target, FieldType type) {
    if (type != FieldType::integer && type != FieldType::number) return;
    NumberRange r = effective_range(type, range);
    if (type == FieldType::integer && r.kind == NumberRange::Kind::int32) target["format"] = "int32";
    if (r.lowest() > std::numeric_limits<double>::lowest()) target["minimum"] = r.lowest();
    if (r.highest() < std::numeric_limits<double>::max()) target["maximum"] = r.highest();
  };
  bounds(s, t);
  if (t == FieldType::array && items) {
    s["items"] = schema_of(*items, {}, false);
    bounds(s["items"], *items);
  }
  return s;
}

std::string operation_id(const Route& r) {
  std::string id = r.method;
  for (char c : r.path) id += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return id;
}

std::string status_text(int s) {
  switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No content";
    default: return "Success";
  }
}
}  // namespace

json openapi_document(const std::vector<Route>& routes) {
  json paths = json::object();
  long order = 0;
  for (const auto& r : routes) {
    // x-order: the place in the route table (the document's paths are sorted by name),
    // so that docs/api.md lists the routes as the code groups them.
    json op = {{"operationId", operation_id(r)}, {"summary", r.summary}, {"tags", {r.tag}}, {"x-order", ++order}};
    json params = json::array();
    for (std::size_t pos = r.path.find('{'); pos != std::string::npos; pos = r.path.find('{', pos + 1)) {
      std::string name = r.path.substr(pos + 1, r.path.find('}', pos) - pos - 1);
      // Ids are positive integers (the router checks names ending in "id"); codes are text.
      json schema = name == "id" || name.ends_with("_id")
                        ? json{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}, {"maximum", kMaxSafeInteger}}
                        : json{{"type", "string"}};
      params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}});
    }
    for (const auto& q : r.query)
      params.push_back({{"name", q.name}, {"in", "query"}, {"required", false}, {"description", q.description},
                        {"schema", schema_of(q.type, q.allowed, false, q.range)}});
    if (r.list) {
      params.push_back({{"name", "page"}, {"in", "query"},
                        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000}, {"default", 1}}}});
      params.push_back({{"name", "page_size"}, {"in", "query"},
                        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}}}});
    }
    if (!r.open_query_prefixes.empty()) {
      std::string prefixes;
      for (const auto& p : r.open_query_prefixes) prefixes += (prefixes.empty() ? "" : ", ") + p + "…";
      op["x-open-query-prefixes"] = r.open_query_prefixes;
      op["description"] = "Also takes the query parameters named " + prefixes + " (see the summary).";
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.document_media_types.empty()) {
      // A document the service checks (e.g. an EPCISDocument against the standard's JSON schema).
      json content = json::object();
      for (const auto& m : r.document_media_types) content[m] = {{"schema", {{"type", "object"}}}};
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    if (!r.body.empty()) {
      json props = json::object();
      json required = json::array();
      for (const auto& f : r.body) {
        json s = schema_of(f.type, f.allowed, f.nullable, f.range, f.items);
        if (!f.description.empty()) s["description"] = f.description;
        props[f.name] = s;
        if (f.required) required.push_back(f.name);
      }
      json schema = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
      if (!required.empty()) schema["required"] = required;
      op["requestBody"] = {{"required", !required.empty()}, {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    json responses = json::object();
    json ok = {{"description", status_text(r.success_status)}};
    if (r.response.declared()) {
      if (!r.response.is_none()) {
        ok["content"] = {{r.response.content_type(), {{"schema", r.response.document()}}}};
        for (const auto& [media, schema] : r.response.alternatives()) ok["content"][media] = {{"schema", schema}};
      }
    }  // every route declares its answer (tests/api/openapi_conformance_test.cpp)
    responses[std::to_string(r.success_status)] = ok;
    json err = {{"description", "Error"}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    if (r.problems)  // RFC 7807 problem details: the Error members with type, title, status and detail
      err = {{"description", "Error (" + r.problems->prefix + r.problems->invalid + ", …)"},
             {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    responses["400"] = err;
    if (!r.is_public) {
      responses["401"] = err;
      responses["403"] = err;
    }
    if (r.path.find('{') != std::string::npos) responses["404"] = err;
    op["responses"] = responses;
    if (r.is_public) op["security"] = json::array();
    else op["security"] = json::array({{{"cookieAuth", json::array()}}, {{"bearerAuth", json::array()}}});
    if (r.permission) op["x-permission"] = identity::to_string(*r.permission);
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    paths[r.path][method] = op;
  }
  json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "nongsan API"},
                 {"version", "1"},
                 {"description", "Concentrated commodity agriculture programme information system. Errors share one "
                                 "shape (components/schemas/Error); their messages are Vietnamese unless "
                                 "Accept-Language asks for English. Unsafe requests with the session cookie need "
                                 "the X-CSRF-Token header. Numbers are checked against the ranges given here."}};
  doc["servers"] = json::array({{{"url", "/"}}});
  doc["paths"] = paths;
  doc["components"]["securitySchemes"]["cookieAuth"] = {{"type", "apiKey"}, {"in", "cookie"}, {"name", "nongsan_session"}};
  doc["components"]["securitySchemes"]["bearerAuth"] = {{"type", "http"}, {"scheme", "bearer"}};
  for (const auto& [name, schema] : api_components()) doc["components"]["schemas"][name] = schema.document();
  return doc;
}

}  // namespace nongsan::api
