#include "api/openapi_markdown.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace nongsan::api {

using nlohmann::json;

namespace {

const char* kOpen = "<!-- routes: ";
const char* kClose = "<!-- /routes -->";
const std::vector<std::string> kMethods = {"get", "post", "put", "patch", "delete"};

// A member of `j`, or an empty JSON value (never a temporary: loops hold references).
const json& member(const json& j, const char* key) {
  static const json empty;
  return j.is_object() && j.contains(key) ? j[key] : empty;
}

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string component_name(const std::string& ref) { return ref.substr(ref.rfind('/') + 1); }

// A short name for a schema: `Parcel`, `[Parcel]`, `page of Parcel`, `{a, b, c?}`.
std::string shape(const json& s, int depth = 0) {
  if (!s.is_object()) return "";
  if (s.contains("$ref")) return "`" + component_name(s["$ref"]) + "`";
  if (s.contains("allOf") && !s["allOf"].empty())
    return shape(s["allOf"][0], depth) + (s.value("nullable", false) ? " \\| null" : "");
  std::string type = s.value("type", "");
  if (type == "array") return "[" + shape(member(s, "items"), depth + 1) + "]";
  if (type == "object" && s.contains("properties")) {
    const json& p = s["properties"];
    std::set<std::string> required;
    for (const auto& r : member(s, "required")) required.insert(r.get<std::string>());
    std::vector<std::string> keys;
    for (const auto& [k, v] : p.items()) keys.push_back(k);
    // A page: {items, page, page_size, total}.
    if (p.contains("items") && p.contains("page") && p.contains("page_size") && p.contains("total")) {
      std::string out = "page of " + shape(p["items"].value("items", json::object()), depth + 1);
      for (const auto& k : keys)
        if (k != "items" && k != "page" && k != "page_size" && k != "total") out += ", " + k + (required.count(k) ? "" : "?");
      return out;
    }
    if (depth > 0) return "object";
    std::string out = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i) out += ", ";
      out += keys[i] + (required.count(keys[i]) ? "" : "?");
    }
    return out + "}";
  }
  if (type == "object" && s.contains("additionalProperties")) return "map";
  if (type == "string" && s.value("format", "") == "binary") return "file";
  return type.empty() ? "JSON" : type;
}

// The type of a member, short: `UnitRef | null`, `[string]`, `in_use | idle`, `{a, b?}`.
std::string member_type(const json& s) {
  if (!s.is_object()) return "any";
  std::string out;
  if (s.contains("$ref")) out = component_name(s["$ref"]);
  else if (s.contains("allOf") && !s["allOf"].empty()) out = member_type(s["allOf"][0]);
  else {
    const std::string type = s.value("type", "");
    const std::string format = s.value("format", "");
    if (s.contains("enum")) {
      for (const auto& e : s["enum"]) out += (out.empty() ? "" : " | ") + (e.is_string() ? e.get<std::string>() : e.dump());
    } else if (type == "array") {
      out = "[" + member_type(member(s, "items")) + "]";
    } else if (type == "object" && s.contains("properties")) {
      out = shape(s);
    } else if (type == "object" && s.contains("additionalProperties")) {
      out = "map of " + member_type(member(s, "additionalProperties"));
    } else if (type == "string" && (format == "date" || format == "date-time" || format == "binary")) {
      out = format;
    } else {
      out = type.empty() ? "any" : type;
    }
  }
  if (s.value("nullable", false)) out += " | null";
  return out;
}

std::string access(const json& op) {
  if (op.contains("security") && op["security"].empty()) return "**public**";
  if (op.contains("x-permission")) return op["x-permission"].get<std::string>();
  return "signed in";
}

std::string input(const json& op) {
  std::vector<std::string> parts;
  std::string query;
  for (const auto& p : member(op, "parameters")) {
    if (p.value("in", "") != "query") continue;
    query += (query.empty() ? "" : ", ") + p.value("name", "");
  }
  if (!query.empty()) parts.push_back("?" + query);
  if (op.contains("requestBody")) {
    const json& s = op["requestBody"]["content"]["application/json"]["schema"];
    std::set<std::string> required;
    for (const auto& r : member(s, "required")) required.insert(r.get<std::string>());
    std::string body = "{";
    bool first = true;
    for (const auto& [k, v] : member(s, "properties").items()) {
      body += (first ? "" : ", ") + k + (required.count(k) ? "" : "?");
      first = false;
    }
    parts.push_back("`" + body + "}`");
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::string answer(const json& op) {
  for (const auto& [status, r] : member(op, "responses").items()) {
    if (status.empty() || status[0] != '2') continue;
    if (!r.contains("content")) return status;
    std::string out = status;
    bool first = true;
    for (const auto& [media, c] : r["content"].items()) {
      std::string what = shape(member(c, "schema"));
      bool json_media = media == "application/json";
      out += first ? " " : "; or ";
      out += json_media ? what : (what == "file" ? media : what + " (" + media + ")");
      first = false;
    }
    return out;
  }
  return "";
}

}  // namespace

std::string markdown_route_table(const json& openapi, const std::string& tag) {
  std::string out = "| method | path | access | what it does | takes | answers |\n| --- | --- | --- | --- | --- | --- |\n";
  // The document's paths are sorted; the route table's order is kept by operation order
  // of appearance in x-order when present, else path order.
  struct Row {
    long order;
    std::string line;
  };
  std::vector<Row> rows;
  for (const auto& [path, item] : member(openapi, "paths").items())
    for (const auto& m : kMethods) {
      if (!item.contains(m)) continue;
      const json& op = item[m];
      const auto& tags = member(op, "tags");
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) continue;
      std::string method = m;
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
      rows.push_back({op.value("x-order", 0L), "| " + method + " | " + cell(path) + " | " + cell(access(op)) + " | " +
                                                   cell(op.value("summary", "")) + " | " + cell(input(op)) + " | " +
                                                   cell(answer(op)) + " |\n"});
    }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.order < b.order; });
  for (const auto& r : rows) out += r.line;
  return out;
}

std::string markdown_schema_table(const json& openapi) {
  std::string out = "| schema | members |\n| --- | --- |\n";
  for (const auto& [name, s] : member(member(openapi, "components"), "schemas").items()) {
    std::string members;
    if (s.contains("properties")) {
      std::set<std::string> required;
      for (const auto& r : member(s, "required")) required.insert(r.get<std::string>());
      for (const auto& [k, v] : s["properties"].items())
        members += (members.empty() ? "" : ", ") + k + (required.count(k) ? "" : "?") + ": " + member_type(v);
      if (!s.contains("additionalProperties")) members += ", …";
    } else {
      members = member_type(s);
    }
    if (s.contains("description")) members += " — " + s["description"].get<std::string>();
    out += "| " + cell(name) + " | " + cell(members) + " |\n";
  }
  return out;
}

namespace {
std::vector<std::string> tags_in_order(const json& openapi) {
  std::vector<std::pair<long, std::string>> first;
  for (const auto& [path, item] : member(openapi, "paths").items())
    for (const auto& [m, op] : item.items())
      for (const auto& t : member(op, "tags")) {
        std::string tag = t.get<std::string>();
        long order = op.value("x-order", 0L);
        auto it = std::find_if(first.begin(), first.end(), [&](const auto& p) { return p.second == tag; });
        if (it == first.end()) first.push_back({order, tag});
        else it->first = std::min(it->first, order);
      }
  std::sort(first.begin(), first.end());
  std::vector<std::string> out;
  for (const auto& [o, t] : first) out.push_back(t);
  return out;
}
}  // namespace

std::string markdown_route_tables(const json& openapi) {
  std::string out = "<!-- schemas -->\n" + markdown_schema_table(openapi) + "<!-- /schemas -->\n\n";
  for (const auto& tag : tags_in_order(openapi))
    out += std::string(kOpen) + tag + " -->\n" + markdown_route_table(openapi, tag) + kClose + "\n\n";
  return out;
}

Result<std::string> update_route_tables(const json& openapi, const std::string& markdown_in) {
  // The schemas' table first: the text between its markers is replaced.
  std::string markdown = markdown_in;
  const std::string open_schemas = "<!-- schemas -->\n", close_schemas = "<!-- /schemas -->";
  const std::size_t so = markdown.find(open_schemas);
  if (so == std::string::npos)
    return Error::invalid("the schemas have no table", {{"markdown", "needs a line <!-- schemas --> and a line <!-- /schemas -->"}});
  const std::size_t sc = markdown.find(close_schemas, so);
  if (sc == std::string::npos)
    return Error::invalid("a route table has no end", {{"markdown", "the table of the schemas needs <!-- /schemas -->"}});
  markdown.replace(so + open_schemas.size(), sc - so - open_schemas.size(), markdown_schema_table(openapi));
  const auto tags = tags_in_order(openapi);
  std::set<std::string> seen;
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = markdown.find(kOpen, pos);
    if (open == std::string::npos) break;
    std::size_t name_end = markdown.find(" -->", open);
    std::size_t line_end = markdown.find('\n', open);
    if (name_end == std::string::npos || line_end == std::string::npos || name_end > line_end)
      return Error::invalid("a route table marker is not closed", {{"markdown", "a line starting " + std::string(kOpen) + " must end with -->"}});
    std::string tag = markdown.substr(open + std::string(kOpen).size(), name_end - open - std::string(kOpen).size());
    if (std::find(tags.begin(), tags.end(), tag) == tags.end())
      return Error::invalid("a route table names no routes", {{"markdown", "no route has the tag '" + tag + "'"}});
    std::size_t close = markdown.find(kClose, line_end);
    if (close == std::string::npos)
      return Error::invalid("a route table has no end", {{"markdown", "the table of '" + tag + "' needs " + kClose}});
    out += markdown.substr(pos, line_end + 1 - pos);
    out += markdown_route_table(openapi, tag);
    pos = close;
    seen.insert(tag);
  }
  out += markdown.substr(pos);
  std::string missing;
  for (const auto& t : tags)
    if (!seen.count(t)) missing += (missing.empty() ? "" : ", ") + t;
  if (!missing.empty())
    return Error::invalid("routes without a table", {{"markdown", "no table for the routes tagged " + missing}});
  return out;
}

}  // namespace nongsan::api
