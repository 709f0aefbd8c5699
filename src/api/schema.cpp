#include "api/schema.hpp"

#include "api/schemas/components.hpp"

namespace nongsan::api {

using nlohmann::json;

Schema Schema::none() {
  Schema s;
  s.declared_ = true;
  s.none_ = true;
  s.json_ = nullptr;
  return s;
}

Schema Schema::any() {
  Schema s;
  s.declared_ = true;
  s.json_ = json::object();
  return s;
}

Schema Schema::typed(nlohmann::json document) {
  Schema s = any();
  s.json_ = std::move(document);
  return s;
}

Schema Schema::string() { return typed({{"type", "string"}}); }
Schema Schema::integer() { return typed({{"type", "integer"}, {"format", "int64"}}); }
Schema Schema::number() { return typed({{"type", "number"}}); }
Schema Schema::boolean() { return typed({{"type", "boolean"}}); }
Schema Schema::date() { return typed({{"type", "string"}, {"format", "date"}}); }
Schema Schema::date_time() { return typed({{"type", "string"}, {"format", "date-time"}}); }

Schema Schema::object(std::vector<std::pair<std::string, Schema>> properties) {
  Schema s = open_object(std::move(properties));
  s.json_["additionalProperties"] = false;
  return s;
}

Schema Schema::open_object(std::vector<std::pair<std::string, Schema>> properties) {
  Schema s = any();
  s.json_ = {{"type", "object"}, {"properties", json::object()}};
  json required = json::array();
  for (auto& [name, p] : properties) {
    s.json_["properties"][name] = p.json_;
    if (!p.optional_) required.push_back(name);
  }
  if (!required.empty()) s.json_["required"] = required;
  return s;
}

Schema Schema::array(const Schema& items) { return typed({{"type", "array"}, {"items", items.json_}}); }
Schema Schema::map(const Schema& values) {
  return typed({{"type", "object"}, {"additionalProperties", values.json_}});
}
Schema Schema::ref(const std::string& component) { return typed({{"$ref", "#/components/schemas/" + component}}); }

Schema Schema::page(const Schema& item) {
  return object({{"items", array(item)}, {"page", integer()}, {"page_size", integer()}, {"total", integer()}});
}

Schema Schema::file(std::string media_type) {
  Schema s = typed({{"type", "string"}, {"format", "binary"}});
  s.content_type_ = std::move(media_type);
  return s;
}

Schema& Schema::nullable() {
  if (json_.contains("$ref")) json_ = {{"allOf", json::array({json_})}};  // OpenAPI 3.0: siblings of $ref are ignored
  json_["nullable"] = true;
  return *this;
}
Schema& Schema::optional() {
  optional_ = true;
  return *this;
}
Schema& Schema::enumerate(std::vector<std::string> values) {
  json_["enum"] = std::move(values);
  return *this;
}
Schema& Schema::describe(std::string text) {
  if (json_.contains("$ref")) json_ = {{"allOf", json::array({json_})}};  // OpenAPI 3.0: siblings of $ref are ignored
  json_["description"] = std::move(text);
  return *this;
}
Schema& Schema::media_type(std::string type) {
  content_type_ = std::move(type);
  return *this;
}
Schema& Schema::or_file(std::string media_type) {
  alternatives_.emplace_back(std::move(media_type), file("").json_);
  return *this;
}
Schema& Schema::or_content(const Schema& other) {
  alternatives_.emplace_back(other.content_type_, other.json_);
  return *this;
}
std::vector<std::string> Schema::content_types() const {
  std::vector<std::string> all = {content_type_};
  for (const auto& [media, _] : alternatives_) all.push_back(media);
  return all;
}
const nlohmann::json* Schema::document_for(const std::string& media_type) const {
  if (media_type == content_type_) return &json_;
  for (const auto& [media, doc] : alternatives_)
    if (media == media_type) return &doc;
  return nullptr;
}

const std::map<std::string, Schema>& api_components() {
  static const std::map<std::string, Schema> components = [] {
    using S = Schema;
    std::map<std::string, Schema> c;
    const std::vector<std::string> levels = {"province", "district", "commune"};
    c["Error"] = S::object({{"code", S::string()},
                            {"message", S::string().describe("Vietnamese by default; English with Accept-Language: en")},
                            {"errors", S::array(S::object({{"field", S::string()}, {"message", S::string()}}))},
                            {"request_id", S::string()}});
    c["UnitRef"] = S::object(
        {{"id", S::integer()}, {"code", S::string()}, {"name", S::string()}, {"level", S::string().enumerate(levels)}});
    c["Unit"] = S::object({{"id", S::integer()},
                           {"code", S::string()},
                           {"name", S::string()},
                           {"level", S::string().enumerate(levels)},
                           {"kind", S::string()},
                           {"valid_from", S::date()},
                           {"valid_to", S::date().nullable()},
                           {"parent", S::ref("UnitRef").nullable()},
                           {"area_ha", S::number().nullable()},
                           {"geom_source", S::string().enumerate({"official", "illustrative", "imported", "none"})},
                           {"source", S::string()}});
    S succession = S::object({{"unit", S::ref("UnitRef")},
                              {"share", S::number()},
                              {"basis", S::string()},
                              {"effective_date", S::date()},
                              {"legal_basis", S::string()}});
    c["UnitDetail"] = S::object({{"id", S::integer()},
                                 {"code", S::string()},
                                 {"name", S::string()},
                                 {"level", S::string().enumerate(levels)},
                                 {"kind", S::string()},
                                 {"valid_from", S::date()},
                                 {"valid_to", S::date().nullable()},
                                 {"parent", S::ref("UnitRef").nullable()},
                                 {"area_ha", S::number().nullable()},
                                 {"geom_source", S::string().enumerate({"official", "illustrative", "imported", "none"})},
                                 {"source", S::string()},
                                 {"children", S::array(S::ref("Unit"))},
                                 {"ancestors", S::array(S::ref("UnitRef"))},
                                 {"predecessors", S::array(succession)},
                                 {"successors", S::array(succession)},
                                 {"valid_on_as_of", S::boolean()}});
    std::vector<std::pair<std::string, Schema>> user = {
        {"id", S::integer()},
        {"username", S::string()},
        {"display_name", S::string()},
        {"role", S::string().enumerate({"province_admin", "province_officer", "unit_officer", "producer", "inspector"})},
        {"role_name_vi", S::string()},
        {"unit", S::ref("UnitRef").nullable()},
        {"organisation", S::string()},
        {"producer_id", S::integer().nullable()},
        {"email", S::string()},
        {"phone", S::string().describe("personal data, masked")},
        {"citizen_id", S::string().describe("personal data, masked")},
        {"bank_account", S::string().describe("personal data, masked")},
        {"active", S::boolean()},
        {"must_change_password", S::boolean()},
        {"created_at", S::string()}};
    c["User"] = S::object(user);
    user.push_back({"possible_duplicates", S::array(S::integer()).describe("other accounts with the same citizen ID")});
    c["UserDetail"] = S::object(user);
    c["Series"] = S::object({{"code", S::string()},
                             {"name_vi", S::string()},
                             {"name_en", S::string()},
                             {"measure_unit", S::string()},
                             {"illustrative", S::boolean()},
                             {"source", S::string()}});
    c["Figure"] = S::object({{"id", S::integer()},
                             {"series", S::string()},
                             {"unit", S::ref("UnitRef").nullable()},
                             {"year", S::integer()},
                             {"value", S::number()},
                             {"note", S::string()},
                             {"created_at", S::string()},
                             {"updated_at", S::string()}});
    c["AuditEntry"] = S::object({{"id", S::integer()},
                                 {"at", S::string()},
                                 {"actor", S::string().describe("user:<username> or cli:<OS user>")},
                                 {"action", S::string()},
                                 {"entity", S::string()},
                                 {"entity_id", S::string()},
                                 {"unit_id", S::integer().nullable()},
                                 {"before", S::any().nullable()},
                                 {"after", S::any().nullable()},
                                 {"request_id", S::string()}});
    c["GeoJsonFeatureCollection"] =
        S::open_object({{"type", S::string().enumerate({"FeatureCollection"})},
                        {"features", S::array(S::open_object({{"type", S::string().enumerate({"Feature"})},
                                                              {"geometry", S::any().nullable()},
                                                              {"properties", S::any()}}))}});
    add_job_components(c);
    add_registry_components(c);
    add_target_components(c);
    add_suitability_components(c);
    add_support_components(c);
    add_diary_components(c);
    add_areacode_components(c);
    add_chain_components(c);
    add_epcis_components(c);
    return c;
  }();
  return components;
}

}  // namespace nongsan::api
