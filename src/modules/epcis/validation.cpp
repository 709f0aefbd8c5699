#include "modules/epcis/validation.hpp"

#include <map>
#include <memory>
#include <set>
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
// or a full IRI: a user extension). Those rules are taken out of the schema into a table
// (definition → names) and checked by `name_problems` below at the places the schema
// applies them. Written as valijson's "patternProperties" they were exact but slow:
// valijson compiles a pattern property's std::regex afresh for every object it visits
// (about 100 µs), which made schema validation three quarters of capture time
// (bench/README.md, EPCIS).
struct NameRule {
  std::set<std::string> names;
  bool uri = false;  // any absolute URI is allowed too
};

// The names a "propertyNames" schema allows: its enums (through $ref and anyOf), and
// whether any absolute URI is allowed too.
void allowed_names(const json& alt, const json& root, NameRule& rule, int depth = 0) {
  if (depth > 8 || !alt.is_object()) return;
  if (auto r = alt.find("$ref"); r != alt.end() && r->is_string()) {
    std::string ref = r->get<std::string>();
    if (ref.rfind("#/", 0) == 0) allowed_names(root.at(json::json_pointer(ref.substr(1))), root, rule, depth + 1);
  }
  if (auto e = alt.find("enum"); e != alt.end() && e->is_array())
    for (const auto& n : *e)
      if (n.is_string()) rule.names.insert(n.get<std::string>());
  if (auto f = alt.find("format"); f != alt.end() && f->is_string() && *f == "uri") rule.uri = true;
  if (auto any = alt.find("anyOf"); any != alt.end() && any->is_array())
    for (const auto& a : *any) allowed_names(a, root, rule, depth + 1);
}

// Moves every "propertyNames" under a definition into `rules` (by definition name),
// with the names of the properties declared beside it.
void take_property_names(json& node, const json& root, NameRule* rule, std::map<std::string, NameRule>& rules) {
  if (node.is_array()) {
    for (auto& e : node) take_property_names(e, root, rule, rules);
    return;
  }
  if (!node.is_object()) return;
  for (auto& [k, v] : node.items())
    if (k != "enum" && k != "const") take_property_names(v, root, rule, rules);
  auto pn = node.find("propertyNames");
  if (pn == node.end() || rule == nullptr) return;
  allowed_names(*pn, root, *rule);
  if (auto props = node.find("properties"); props != node.end() && props->is_object())
    for (const auto& [name, _] : props->items()) rule->names.insert(name);
  node.erase("propertyNames");
}

// valijson checks "format": "date-time" with a std::regex it compiles for every value.
// The same check as a "pattern" is compiled once per validation: the syntax of
// valijson's date-time (RFC 3339 with its time zone) and its day limits (February up to
// 29, 30 for April, June, September and November).
constexpr const char* kDateTimePattern =
    "^[0-9]+-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|"
    "02-(?:0[1-9]|[12][0-9]))[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$";
constexpr const char* kDateTimeMessage =
    "must be a date and time with a time zone (YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm))";

void date_time_as_pattern(json& node) {
  if (node.is_array()) {
    for (auto& e : node) date_time_as_pattern(e);
    return;
  }
  if (!node.is_object()) return;
  // As guard_formats: a "properties" object maps names to schemas (a property may be
  // called "format"), so only its values are schemas.
  for (auto& [k, v] : node.items())
    if (k != "enum" && k != "const" && k != "properties") date_time_as_pattern(v);
  if (auto p = node.find("properties"); p != node.end() && p->is_object())
    for (auto& [k, v] : p->items()) date_time_as_pattern(v);
  if (auto f = node.find("format"); f != node.end() && f->is_string() && *f == "date-time") {
    node.erase("format");
    node["pattern"] = kDateTimePattern;
  }
}

struct PreparedSchema {
  valijson::Schema schema;
  std::map<std::string, NameRule> names;  // by definition: epcisDocument, ObjectEvent, ilmd, …
};

const PreparedSchema& prepared() {
  static std::once_flag once;
  static std::unique_ptr<PreparedSchema> s;
  std::call_once(once, [] {
    std::string_view text;
    for (const auto& f : embedded_schema_files())
      if (f.path == "/EPCIS-JSON-Schema.json") text = std::string_view(reinterpret_cast<const char*>(f.data), f.size);
    json doc = json::parse(text);
    const json original = doc;
    s = std::make_unique<PreparedSchema>();
    for (auto& [name, def] : doc["definitions"].items()) {
      NameRule rule;
      take_property_names(def, original, &rule, s->names);
      if (!rule.names.empty() || rule.uri) s->names[name] = std::move(rule);
    }
    date_time_as_pattern(doc);
    guard_formats(doc);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, s->schema);
  });
  return *s;
}

// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
bool absolute_uri_name(const std::string& name) {
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (name.empty() || !alpha(name[0])) return false;
  for (std::size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    if (c == ':') return true;
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::string pointer_token(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

// The property names of `obj`, checked against the rule of schema definition `def`.
void check_names(const json& obj, const char* def, const std::string& path, std::optional<std::size_t> event,
                 std::vector<Problem>& out) {
  if (!obj.is_object()) return;
  const auto& rules = prepared().names;
  auto rule = rules.find(def);
  if (rule == rules.end()) return;
  for (const auto& [name, _] : obj.items())
    if (!rule->second.names.count(name) && !(rule->second.uri && absolute_uri_name(name)))
      out.push_back({event, "", path + "/" + pointer_token(name),
                     "'" + name + "' is not a property of " + def +
                         (rule->second.uri ? " (a user extension is named by an absolute URI, e.g. example:field)" : "")});
}

void event_names(const json& ev, const std::string& path, std::optional<std::size_t> event, std::vector<Problem>& out) {
  if (!ev.is_object()) return;
  const std::string type = ev.value("type", "");
  check_names(ev, type.c_str(), path, event, out);
  if (auto d = ev.find("errorDeclaration"); d != ev.end()) check_names(*d, "errorDeclaration", path + "/errorDeclaration", event, out);
  if (auto i = ev.find("ilmd"); i != ev.end()) check_names(*i, "ilmd", path + "/ilmd", event, out);
  if (auto list = ev.find("sensorElementList"); list != ev.end() && list->is_array())
    for (std::size_t k = 0; k < list->size(); ++k) {
      const auto& el = (*list)[k];
      const std::string at = path + "/sensorElementList/" + std::to_string(k);
      check_names(el, "sensorElement", at, event, out);
      if (!el.is_object()) continue;
      if (auto m = el.find("sensorMetadata"); m != el.end()) check_names(*m, "sensorMetadata", at + "/sensorMetadata", event, out);
      if (auto r = el.find("sensorReport"); r != el.end() && r->is_array())
        for (std::size_t j = 0; j < r->size(); ++j)
          check_names((*r)[j], "sensorReport", at + "/sensorReport/" + std::to_string(j), event, out);
    }
}

// The property-name rules of the schema, at the places the schema applies them: the
// document, its header and body, and every event (by its type) with its error
// declaration, ILMD and sensor elements.
std::vector<Problem> name_problems(const json& document) {
  std::vector<Problem> out;
  if (!document.is_object()) return out;
  const std::string type = document.value("type", "");
  const json* events = nullptr;
  if (type == "EPCISDocument") {
    check_names(document, "epcisDocument", "", std::nullopt, out);
    if (auto h = document.find("epcisHeader"); h != document.end()) check_names(*h, "epcisHeader", "/epcisHeader", std::nullopt, out);
    events = document_events(document);
  } else if (type == "EPCISQueryDocument") {
    check_names(document, "epcisQueryDocument", "", std::nullopt, out);
    if (auto b = document.find("epcisBody"); b != document.end() && b->is_object()) {
      check_names(*b, "epcisQueryDocumentBody", "/epcisBody", std::nullopt, out);
      if (auto q = b->find("queryResults"); q != b->end() && q->is_object()) {
        check_names(*q, "queryResults", "/epcisBody/queryResults", std::nullopt, out);
        if (auto r = q->find("resultsBody"); r != q->end())
          check_names(*r, "resultsBody", "/epcisBody/queryResults/resultsBody", std::nullopt, out);
      }
    }
    events = document_events(document);
  } else {
    event_names(document, "", std::nullopt, out);  // a bare event (the schema's root allows one)
  }
  if (events != nullptr && events->is_array())
    for (std::size_t i = 0; i < events->size(); ++i) event_names((*events)[i], "", i, out);
  return out;
}

// The properties the schema types as date-times (its "time" definition).
bool time_property(const std::string& path) {
  static const std::set<std::string> names = {"eventTime",  "recordTime", "declarationTime", "creationDate",
                                              "time",       "startTime",  "endTime"};
  auto slash = path.rfind('/');
  return names.count(slash == std::string::npos ? path : path.substr(slash + 1)) > 0;
}

// The value a problem names: `path` inside event `event` of the document, or inside the document.
const json* at_pointer(const json& document, std::optional<std::size_t> event, const std::string& path) {
  const json* base = &document;
  if (event) {
    const json* events = document_events(document);
    if (events == nullptr || !events->is_array() || *event >= events->size()) return nullptr;
    base = &(*events)[*event];
  }
  try {
    json::json_pointer ptr(path == "/" ? "" : path);
    return base->contains(ptr) ? &base->at(ptr) : nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
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
  if (!validator.validate(prepared().schema, target, &results)) {
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
      // A failed date-time pattern says what a time must be (valijson's says "pattern").
      if (er.description.find("'pattern'") != std::string::npos && time_property(p.path))
        if (const json* at = at_pointer(document, p.event, p.path); at != nullptr && at->is_string())
          p.message = std::string(kDateTimeMessage) + ": '" + at->get<std::string>() + "'";
      bool dup = false;
      for (const auto& q : out)
        if (q.event == p.event && q.path == p.path && q.message == p.message) dup = true;
      if (!dup) out.push_back(std::move(p));
    }
  }
  for (auto& p : name_problems(document)) out.push_back(std::move(p));
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
