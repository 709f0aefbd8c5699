// A small builder of JSON Schemas (the OpenAPI 3.0 subset) for what a route
// answers, next to FieldSpec/ParamSpec for what it takes. A route declares its
// response with it; openapi_document() publishes it, and the API tests check real
// answers against it. Named shapes (User, Unit, Figure, …) live in
// `api_components()` and are referred to with Schema::ref("User").
//
//   Schema::object({{"id", Schema::integer()}, {"note", Schema::string().optional()}})
//
// Every property of an object is required unless marked optional(); objects accept
// no properties beyond those listed unless built with open_object().
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::api {

class Schema {
 public:
  // Not declared: every route declares one (tests/api/openapi_conformance_test.cpp fails otherwise).
  Schema() = default;

  // No body (204).
  static Schema none();
  static Schema string();
  static Schema integer();
  static Schema number();
  static Schema boolean();
  static Schema date();       // civil date YYYY-MM-DD
  static Schema date_time();  // UTC timestamp YYYY-MM-DDTHH:MM:SSZ
  static Schema object(std::vector<std::pair<std::string, Schema>> properties);
  // An object that may hold more properties than those listed (e.g. audit before/after).
  static Schema open_object(std::vector<std::pair<std::string, Schema>> properties = {});
  static Schema array(const Schema& items);
  // An object whose keys are data (e.g. hectares by class {"S1": 2.5, "N": 0.1}):
  // every value has the schema `values`.
  static Schema map(const Schema& values);
  static Schema ref(const std::string& component);
  // A page of a list route: {items, page, page_size, total}.
  static Schema page(const Schema& item);
  // A body that is not JSON (a file): its media type, e.g. "application/pdf".
  static Schema file(std::string media_type);
  // Any JSON value (documented where it is described, e.g. docs/review-json.md).
  static Schema any();

  Schema& nullable();
  Schema& optional();
  Schema& enumerate(std::vector<std::string> values);
  Schema& describe(std::string text);
  // The media type of a JSON body ("application/geo+json"); default application/json.
  Schema& media_type(std::string type);
  // The route may also answer a file of this media type (e.g. ?format=csv), or JSON of
  // another shape under another media type (e.g. ?format=geojson).
  Schema& or_file(std::string media_type);
  Schema& or_content(const Schema& other);

  bool declared() const { return declared_; }
  bool is_none() const { return none_; }
  bool is_optional() const { return optional_; }
  const std::string& content_type() const { return content_type_; }
  // The media types the route may answer: content_type() first, then those of
  // or_file() and or_content().
  std::vector<std::string> content_types() const;
  // The schema of the answer of this media type (nullptr when none is declared).
  const nlohmann::json* document_for(const std::string& media_type) const;
  const std::vector<std::pair<std::string, nlohmann::json>>& alternatives() const { return alternatives_; }
  const nlohmann::json& document() const { return json_; }

 private:
  static Schema typed(nlohmann::json document);
  nlohmann::json json_ = nlohmann::json::object();
  std::string content_type_ = "application/json";
  std::vector<std::pair<std::string, nlohmann::json>> alternatives_;
  bool declared_ = false;
  bool none_ = false;
  bool optional_ = false;
};

// The named schemas ("#/components/schemas/<name>").
const std::map<std::string, Schema>& api_components();

}  // namespace nongsan::api
