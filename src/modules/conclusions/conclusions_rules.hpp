// The rules that write the committee's conclusions from the facts (docs/conclusions.md):
// which indicators are results (over 50 %, achieved and exceeded, converted land) and
// which facts are limitations (low, forecast to miss, zones on S3/N land, policies with
// low uptake or many findings, loose linkage and side-selling, OCOP products lapsing,
// pesticide violations, processing capacity short of supply), each limitation turned into
// a task for the responsible body from the rules' table. Every paragraph carries the
// numbers of its sources; the sources are an appendix with a link to the records' page.
// A kind of fact the modules hold no data for is said to have none. Pure: no I/O.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/conclusions/conclusions_types.hpp"

namespace nongsan::conclusions {

// The draft: {programme, programme_name, milestone, as_of, title, illustrative,
// sections: [{key: results|limitations|tasks, heading, paragraphs: [{id, kind, text,
// refs: [n…], edited}]}], sources: [{n, kind, label, figure, link}]}.
nlohmann::json write_draft(const Facts& f, const Rules& rules);

// Every paragraph has at least one reference, every reference names a source of the
// draft, and every source is referred to; the first problem by its JSON path.
Status check_references(const nlohmann::json& draft);

// The draft with the text of paragraph `id` replaced (the references stay, the paragraph
// is marked edited); invalid_input naming "text" or "paragraph" otherwise.
Result<nlohmann::json> edit_paragraph(const nlohmann::json& draft, const std::string& id, const std::string& text);

// A paragraph as printed: its text, then its references "[1], [4]".
std::string printed_text(const nlohmann::json& paragraph);

}  // namespace nongsan::conclusions
