// The committee's conclusions (a draft from modules/conclusions, shape in
// docs/conclusions.md) laid out as a THÔNG BÁO of a provincial Party committee in the
// Party layout (HD 36-HD/VPTW, the profile the review documents use): the introduction,
// 1. results and limitations, 2. tasks, each paragraph followed by its references "[n]",
// then the appendix of numbered sources. In HTML each "[n]" links to its source and each
// source to the records' page. Nothing here decides content or reads a database.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"
#include "reports/review_render.hpp"

namespace nongsan::reports {

struct ConclusionsOptions {
  CivilDate date;             // of the document
  std::string number;         // "" leaves the blank the văn thư fills in
  bool draft = true;          // "DỰ THẢO" above the title until registered
  std::string footer;         // small line on every page (data hash, time)
  std::string link_base;      // prefix of the records' links in HTML ("" keeps them relative)
};

// `format`: html, pdf or docx (anything else: invalid_input on "format"). The draft's
// references are checked by the caller (conclusions::check_references).
Result<RenderedFile> render_conclusions(const nlohmann::json& draft, const std::string& format,
                                        const ConclusionsOptions& options);

}  // namespace nongsan::reports
