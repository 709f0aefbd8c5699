// The checklist of each kind of inspection (data/inspection/checklists.json): the items
// an inspector answers in the field, in Vietnamese and English, and the check of the
// answers a device sends. Pure: the caller reads the file (the binary embeds it).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan::inspection {

struct ChecklistItem {
  std::string item, label_vi, label_en;
  std::string answer;  // yes_no, number, text
};

struct Checklist {
  std::string kind, label_vi, label_en, source;
  std::vector<ChecklistItem> items;
};

using Checklists = std::map<std::string, Checklist>;

// The file's "kinds"; errors name the JSON path.
Result<Checklists> parse_checklists(const nlohmann::json& doc);

// { kind: [ {item, label_vi, label_en, answer} ] }: the shape of the sync contract.
nlohmann::json checklists_json(const Checklists& c);

// Answers of a checklist kind: an object whose keys are items of the kind and whose
// values have the item's type (yes_no: boolean, number: a finite number, text: at most
// 2000 characters); null clears an answer. Errors name `field.item`.
Status check_answers(const Checklists& c, const std::string& kind, const nlohmann::json& answers,
                     const std::string& field);

}  // namespace nongsan::inspection
