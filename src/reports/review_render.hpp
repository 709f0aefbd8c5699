// The one entry point through which a review becomes a file: render_review turns the
// review JSON of modules/targets (shape: docs/review-json.md) into the bytes of a
// document — JSON itself, HTML, PDF, DOCX or XLSX — and says what they are. Nothing
// here writes a file (the CLI does) or reads a database: `nongsan report render` calls
// it on a saved review, and the targets module's issue_review (the API and
// `nongsan report review`) calls it through the renderer the composition root gives it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "reports/charts.hpp"
#include "reports/review_report.hpp"

namespace nongsan::reports {

struct RenderedFile {
  std::string bytes;
  std::string content_type;  // MIME type, for a download
  std::string extension;     // ".pdf"
};

// `format`: json, html, pdf, docx or xlsx (anything else: invalid_input on "format").
// The review is checked against its contract first (validate_review), every problem
// named by its JSON path; text goes out in NFC; `options` carry the layout profile and
// what the document says beyond the review; `shapes` the boundaries of the units of the
// per-unit table (empty: no map).
Result<RenderedFile> render_review(const nlohmann::json& review, const std::string& format,
                                   const RenderOptions& options = {}, const std::vector<UnitShape>& shapes = {});

}  // namespace nongsan::reports
