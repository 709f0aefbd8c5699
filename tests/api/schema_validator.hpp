// A validator for the subset of JSON Schema that api::Schema emits (OpenAPI 3.0):
// type, properties, required, additionalProperties false, items, enum, nullable,
// $ref to "#/components/schemas/<name>", allOf (a nullable $ref) and the formats
// date, date-time and int64. The API tests check real answers against the declared
// schemas with it; each problem names the JSON path where it is ("answer.items[3].unit").
// Test code only: it knows no route and no service.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

namespace nongsan::api::testing_schema {

using nlohmann::json;

inline void validate(const json& schema, const json& v, const json& components, const std::string& at,
                     std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    const std::string prefix = "#/components/schemas/";
    std::string ref = schema["$ref"].get<std::string>();
    std::string name = ref.rfind(prefix, 0) == 0 ? ref.substr(prefix.size()) : ref;
    if (!components.contains(name)) {
      errors.push_back(at + ": no component " + name);
      return;
    }
    return validate(components[name], v, components, at, errors);
  }
  if (v.is_null()) {
    bool typed = schema.contains("type") || schema.contains("allOf");
    if (typed && !schema.value("nullable", false)) errors.push_back(at + ": null where the schema does not allow it");
    return;
  }
  if (schema.contains("allOf"))
    for (const auto& s : schema["allOf"]) validate(s, v, components, at, errors);
  if (!schema.contains("type")) return;  // any value
  const std::string type = schema["type"];
  bool ok = (type == "object" && v.is_object()) || (type == "array" && v.is_array()) ||
            (type == "string" && v.is_string()) || (type == "integer" && v.is_number_integer()) ||
            (type == "number" && v.is_number()) || (type == "boolean" && v.is_boolean());
  if (!ok) {
    errors.push_back(at + ": expected " + type + ", got " + v.dump().substr(0, 60));
    return;
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
    errors.push_back(at + ": " + v.dump() + " is not one of " + schema["enum"].dump());
  const std::string format = schema.value("format", "");
  if (type == "string" && format == "date" &&
      !std::regex_match(v.get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{2})")))
    errors.push_back(at + ": not a date (YYYY-MM-DD): " + v.dump());
  if (type == "string" && format == "date-time" &&
      !std::regex_match(v.get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)")))
    errors.push_back(at + ": not a date-time: " + v.dump());
  if (type == "array" && schema.contains("items"))
    for (std::size_t i = 0; i < v.size(); ++i)
      validate(schema["items"], v[i], components, at + "[" + std::to_string(i) + "]", errors);
  if (type == "object") {
    const json props = schema.value("properties", json::object());
    for (const auto& r : schema.value("required", json::array()))
      if (!v.contains(r.get<std::string>())) errors.push_back(at + ": missing " + r.get<std::string>());
    const bool closed = schema.contains("additionalProperties") && schema["additionalProperties"] == false;
    for (const auto& [k, x] : v.items()) {
      if (props.contains(k)) validate(props[k], x, components, at + "." + k, errors);
      else if (closed) errors.push_back(at + ": unexpected property " + k);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
        validate(schema["additionalProperties"], x, components, at + "." + k, errors);
    }
  }
}

inline std::vector<std::string> validate(const json& schema, const json& v, const json& components) {
  std::vector<std::string> errors;
  validate(schema, v, components, "answer", errors);
  return errors;
}

}  // namespace nongsan::api::testing_schema
