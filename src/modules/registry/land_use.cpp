#include "modules/registry/land_use.hpp"

#include <set>

#include "core/json_input.hpp"

namespace nongsan::registry {

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}
}  // namespace

Result<LandUseCatalogue> LandUseCatalogue::from_json(std::string_view text) {
  auto doc = parse_json_input(text, "land-use-codes.json");
  if (!doc) return doc.error();
  if (!doc->is_object() || !doc->contains("codes") || !(*doc)["codes"].is_array())
    return Error::invalid("land-use-codes.json is not valid", {{"codes", "must be an array"}});
  LandUseCatalogue out;
  if (doc->contains("_meta") && (*doc)["_meta"].is_object()) out.meta_ = (*doc)["_meta"];
  const auto& sources = out.meta_.contains("sources") ? out.meta_["sources"] : nlohmann::json::object();
  const auto& groups = out.meta_.contains("groups") ? out.meta_["groups"] : nlohmann::json::object();
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*doc)["codes"].size(); ++i) {
    const auto& e = (*doc)["codes"][i];
    const std::string at = "codes[" + std::to_string(i) + "]";
    auto text_of = [&](const char* k) { return e.is_object() && e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : ""; };
    LandUseCode c{upper(text_of("code")), text_of("group"), text_of("name_vi"), text_of("name_en"), text_of("source"),
                  e.is_object() && e.value("sourced", false)};
    if (c.code.empty()) errors.push_back({at + ".code", "is required"});
    else if (!seen.insert(c.code).second) errors.push_back({at + ".code", "'" + c.code + "' is listed twice"});
    if (c.name_vi.empty()) errors.push_back({at + ".name_vi", "is required"});
    if (!groups.contains(c.group)) errors.push_back({at + ".group", "is not one of _meta.groups"});
    if (c.sourced && !sources.contains(c.source)) errors.push_back({at + ".source", "is not one of _meta.sources"});
    out.codes_.push_back(std::move(c));
  }
  if (!errors.empty()) return Error::invalid("land-use-codes.json is not valid", errors);
  return out;
}

const LandUseCode* LandUseCatalogue::find(std::string_view code) const {
  if (code.empty()) return nullptr;
  const std::string key = upper(code);
  for (const auto& c : codes_)
    if (c.code == key) return &c;
  return nullptr;
}

nlohmann::json LandUseCatalogue::ref(std::string_view code) const {
  const LandUseCode* c = find(code);
  if (!c) return nullptr;
  return {{"code", c->code}, {"name_vi", c->name_vi}, {"name_en", c->name_en}, {"group", c->group},
          {"sourced", c->sourced}};
}

nlohmann::json LandUseCatalogue::to_json() const {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : codes_) {
    nlohmann::json item = ref(c.code);
    item["source"] = c.source.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.source);
    items.push_back(std::move(item));
  }
  return {{"items", items},
          {"groups", meta_.value("groups", nlohmann::json::object())},
          {"sources", meta_.value("sources", nlohmann::json::object())},
          {"note", meta_.value("note", std::string())}};
}

}  // namespace nongsan::registry
