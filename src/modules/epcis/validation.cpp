#include "modules/epcis/validation.hpp"

#include <memory>
#include <mutex>
#include <string_view>

// Errors inside valijson are exceptions (caught below), never an abort.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "modules/epcis/embedded_schema.hpp"

namespace nongsan::epcis {
namespace {

using nlohmann::json;

// valijson 1.0 applies "format" to values of any type and aborts on a non-string (JSON
// Schema applies it to strings only), and the EPCIS schema puts "format" beside other
// branches; so each {"format": F} becomes {"allOf": [{"if": {"type": "string"}, "then":
// {"format": F}}]}, which means the same.
void guard_formats(json& node) {
  if (node.is_array()) {
    for (auto& e : node) guard_formats(e);
    return;
  }
  if (!node.is_object()) return;
  for (auto& [k, v] : node.items())
    if (k != "enum" && k != "const" && k != "properties") guard_formats(v);
  if (auto p = node.find("properties"); p != node.end() && p->is_object())
    for (auto& [k, v] : p->items()) guard_formats(v);
  auto f = node.find("format");
  if (f == node.end() || !f->is_string()) return;
  json guard = {{"if", {{"type", "string"}}}, {"then", {{"format", *f}}}};
  node.erase("format");
  node["allOf"].push_back(std::move(guard));
}

// valijson 1.0 also gets "propertyNames" wrong where it sits under allOf (it fails
// documents that satisfy it). In the EPCIS schema every "propertyNames" says: a name is one
// of the object's own properties, or an absolute URI (a CURIE such as "example:myField",
// or a full IRI: a user extension). That is written here as "patternProperties" for
// names with a URI scheme and "additionalProperties": false, which means the same.
// The names a "propertyNames" schema allows: its enums (through $ref and anyOf), and
// whether any absolute URI is allowed too.
void allowed_names(const json& alt, const json& root, json& names, bool& uri, int depth = 0) {
  if (depth > 8 || !alt.is_object()) return;
  if (auto r = alt.find("$ref"); r != alt.end() && r->is_string()) {
    std::string ref = r->get<std::string>();
    if (ref.rfind("#/", 0) == 0) allowed_names(root.at(json::json_pointer(ref.substr(1))), root, names, uri, depth + 1);
  }
  if (auto e = alt.find("enum"); e != alt.end() && e->is_array())
    for (const auto& n : *e) names.push_back(n);
  if (alt.value("format", "") == "uri") uri = true;
  if (auto any = alt.find("anyOf"); any != alt.end() && any->is_array())
    for (const auto& a : *any) allowed_names(a, root, names, uri, depth + 1);
}

void rewrite_property_names(json& node, const json& root) {
  if (node.is_array()) {
    for (auto& e : node) rewrite_property_names(e, root);
    return;
  }
  if (!node.is_object()) return;
  for (auto& [k, v] : node.items())
    if (k != "enum" && k != "const") rewrite_property_names(v, root);
  auto pn = node.find("propertyNames");
  if (pn == node.end()) return;
  json names = json::array();
  bool uri = false;
  allowed_names(*pn, root, names, uri);
  for (const auto& name : names)
    if (name.is_string() && !(node.contains("properties") && node["properties"].contains(name.get<std::string>())))
      node["properties"][name.get<std::string>()] = json::object();
  node.erase("propertyNames");
  if (uri) node["patternProperties"]["^[A-Za-z][A-Za-z0-9+.-]*:"] = json::object();
  node["additionalProperties"] = false;
}

const valijson::Schema& schema() {
  static std::once_flag once;
  static std::unique_ptr<valijson::Schema> s;
  std::call_once(once, [] {
    std::string_view text;
    for (const auto& f : embedded_schema_files())
      if (f.path == "/EPCIS-JSON-Schema.json") text = std::string_view(reinterpret_cast<const char*>(f.data), f.size);
    json doc = json::parse(text);
    const json original = doc;
    rewrite_property_names(doc, original);
    guard_formats(doc);
    s = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, *s);
  });
  return *s;
}

// valijson's context is a list like ["<root>", "[epcisBody]", "[eventList]", "[2]", "[readPoint]"].
std::string pointer(const std::vector<std::string>& context, std::optional<std::size_t>& event, std::size_t& consumed) {
  std::vector<std::string> parts;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    std::string p = c;
    if (p.size() >= 2 && p.front() == '[' && p.back() == ']') p = p.substr(1, p.size() - 2);
    if (p.size() >= 2 && p.front() == '"' && p.back() == '"') p = p.substr(1, p.size() - 2);
    parts.push_back(p);
  }
  // Where the event list is, the next part is the event's index.
  consumed = 0;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "eventList") {
      try {
        event = std::stoul(parts[i + 1]);
        consumed = i + 2;
      } catch (...) {
      }
      break;
    }
  }
  std::string out;
  for (std::size_t i = consumed; i < parts.size(); ++i) out += "/" + parts[i];
  return out.empty() ? "/" : out;
}

bool has_items(const json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_array() && !it->empty();
}

}  // namespace

std::vector<Problem> event_rule_problems(const json& e) {
  std::vector<Problem> out;
  if (!e.is_object()) return out;
  auto add = [&](std::string path, std::string message) { out.push_back({std::nullopt, "", std::move(path), std::move(message)}); };
  std::string type = e.value("type", "");
  // EPCIS 2.0 §7.3.1 / §7.4.1: every timestamp carries its time zone and is a real time.
  for (const char* k : {"eventTime", "recordTime"}) {
    auto it = e.find(k);
    if (it == e.end() || !it->is_string()) continue;
    auto t = it->get<std::string>();
    if (!valid_time(t))
      add(std::string("/") + k, "must be a date and time with a time zone (YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)): '" + t + "'");
  }
  // EPCIS 2.0 §7.4.3: an AggregationEvent that adds or deletes names its parent.
  if (type == "AggregationEvent") {
    std::string action = e.value("action", "");
    if ((action == "ADD" || action == "DELETE") && !e.contains("parentID"))
      add("/parentID", "an AggregationEvent with action " + action + " must name its parentID");
  }
  // EPCIS 2.0 §7.4.6: without a transformationID, a TransformationEvent has at least one
  // input and at least one output.
  if (type == "TransformationEvent" && !e.contains("transformationID")) {
    if (!has_items(e, "inputEPCList") && !has_items(e, "inputQuantityList"))
      add("/inputEPCList", "a TransformationEvent without transformationID needs at least one input");
    if (!has_items(e, "outputEPCList") && !has_items(e, "outputQuantityList"))
      add("/outputEPCList", "a TransformationEvent without transformationID needs at least one output");
  }
  return out;
}

std::vector<Problem> validate_document(const json& document) {
  std::vector<Problem> out;
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter target(document);
  valijson::ValidationResults results;
  if (!validator.validate(schema(), target, &results)) {
    // Keep the deepest error of each place: the outer ones only repeat "allOf failed".
    std::vector<valijson::ValidationResults::Error> errors;
    valijson::ValidationResults::Error err;
    while (results.popError(err)) errors.push_back(err);
    for (const auto& er : errors) {
      bool deeper_exists = false;
      for (const auto& other : errors)
        if (&other != &er && other.context.size() > er.context.size() &&
            std::equal(er.context.begin(), er.context.end(), other.context.begin())) {
          deeper_exists = true;
          break;
        }
      if (deeper_exists) continue;
      Problem p;
      std::size_t consumed = 0;
      p.path = pointer(er.context, p.event, consumed);
      p.message = er.description;
      bool dup = false;
      for (const auto& q : out)
        if (q.event == p.event && q.path == p.path && q.message == p.message) dup = true;
      if (!dup) out.push_back(std::move(p));
    }
  }
  const json* events = document_events(document);
  if (events == nullptr && out.empty())
    out.push_back({std::nullopt, "", "/epcisBody", "the document has no event list (epcisBody.eventList)"});
  if (events != nullptr) {
    for (std::size_t i = 0; i < events->size(); ++i) {
      for (auto& p : event_rule_problems((*events)[i])) {
        p.event = i;
        out.push_back(std::move(p));
      }
    }
    for (auto& p : out)
      if (p.event && *p.event < events->size()) {
        const auto& ev = (*events)[*p.event];
        if (ev.is_object() && ev.contains("eventID") && ev["eventID"].is_string()) p.event_id = ev["eventID"].get<std::string>();
      }
  }
  return out;
}

std::string describe(const Problem& p) {
  std::string s;
  if (p.event) {
    s = "event " + std::to_string(*p.event);
    if (!p.event_id.empty()) s += " (eventID " + p.event_id + ")";
  } else {
    s = "document";
  }
  return s + " at " + p.path + ": " + p.message;
}

}  // namespace nongsan::epcis
