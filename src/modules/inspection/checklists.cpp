#include "modules/inspection/checklists.hpp"

#include <cmath>

namespace nongsan::inspection {

using nlohmann::json;

namespace {
std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

Result<Checklists> parse_checklists(const json& doc) {
  if (!doc.is_object() || !doc.contains("kinds") || !doc["kinds"].is_object())
    return Error::invalid("the checklists file has no kinds", {{"kinds", "must be an object"}});
  Checklists out;
  for (const auto& [kind, k] : doc["kinds"].items()) {
    const std::string path = "kinds." + kind;
    if (!k.is_object() || !k.contains("items") || !k["items"].is_array())
      return Error::invalid("invalid checklist", {{path + ".items", "must be an array"}});
    Checklist c;
    c.kind = kind;
    c.label_vi = text_of(k, "label_vi");
    c.label_en = text_of(k, "label_en");
    c.source = text_of(k, "source");
    if (c.label_vi.empty()) return Error::invalid("invalid checklist", {{path + ".label_vi", "is required"}});
    std::size_t i = 0;
    for (const auto& it : k["items"]) {
      const std::string ipath = path + ".items[" + std::to_string(i++) + "]";
      ChecklistItem item{text_of(it, "item"), text_of(it, "label_vi"), text_of(it, "label_en"), text_of(it, "answer")};
      if (item.item.empty()) return Error::invalid("invalid checklist", {{ipath + ".item", "is required"}});
      if (item.label_vi.empty() || item.label_en.empty())
        return Error::invalid("invalid checklist", {{ipath + ".label_vi", "both labels are required"}});
      if (item.answer != "yes_no" && item.answer != "number" && item.answer != "text")
        return Error::invalid("invalid checklist", {{ipath + ".answer", "must be yes_no, number or text"}});
      c.items.push_back(std::move(item));
    }
    out.emplace(kind, std::move(c));
  }
  return out;
}

json checklists_json(const Checklists& c) {
  json out = json::object();
  for (const auto& [kind, list] : c) {
    json items = json::array();
    for (const auto& i : list.items)
      items.push_back({{"item", i.item}, {"label_vi", i.label_vi}, {"label_en", i.label_en}, {"answer", i.answer}});
    out[kind] = items;
  }
  return out;
}

Status check_answers(const Checklists& c, const std::string& kind, const json& answers, const std::string& field) {
  if (!answers.is_object()) return Error::invalid("invalid answers", {{field, "must be an object"}});
  auto list = c.find(kind);
  std::vector<FieldError> errors;
  for (const auto& [key, value] : answers.items()) {
    const ChecklistItem* item = nullptr;
    if (list != c.end())
      for (const auto& i : list->second.items)
        if (i.item == key) item = &i;
    const std::string f = field + "." + key;
    if (!item) {
      errors.push_back({f, "is not an item of the checklist " + kind});
      continue;
    }
    if (value.is_null()) continue;
    if (item->answer == "yes_no" && !value.is_boolean()) errors.push_back({f, "must be true or false"});
    if (item->answer == "number" && (!value.is_number() || !std::isfinite(value.get<double>())))
      errors.push_back({f, "must be a number"});
    if (item->answer == "text" && (!value.is_string() || value.get<std::string>().size() > 2000))
      errors.push_back({f, "must be a text of at most 2000 characters"});
  }
  if (!errors.empty()) return Error::invalid("invalid answers", std::move(errors));
  return Status::ok_status();
}

}  // namespace nongsan::inspection
