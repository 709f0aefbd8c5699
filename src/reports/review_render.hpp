// The one entry point through which an issued review becomes a file: the CLI
// (`nongsan report review`) and the API (`GET /api/v1/programmes/{code}/review/document`,
// `POST /api/v1/programmes/{code}/reports`) call it with the review JSON of
// modules/targets (shape: docs/review-json.md). JSON is written here; HTML, PDF,
// DOCX and XLSX go to the document writers of review_report.hpp.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "reports/charts.hpp"

namespace nongsan::reports {

// What a document needs beyond the review: the layout profile ("state" — Nghị định
// 30/2020/NĐ-CP — or "party" — Hướng dẫn 36-HD/VPTW) and the boundaries of the units
// of the review's per-unit table, for its map (empty: the map is left out).
struct ReviewFileOptions {
  std::string profile = "state";
  std::vector<UnitShape> shapes;
};

bool is_review_format(const std::string& format);
bool is_review_profile(const std::string& profile);
// MIME type and file extension (".pdf") of a review format, for downloads.
std::string review_content_type(const std::string& format);
std::string review_file_extension(const std::string& format);

// The bytes of the review in `format` (json, html, pdf, docx, xlsx).
Result<std::string> render_review(const nlohmann::json& review, const std::string& format,
                                  const ReviewFileOptions& options = {});
// Writes them to `out_path` too (a failed render leaves no file); returns the bytes
// (for the register's hash and size).
Result<std::string> write_review(const nlohmann::json& review, const std::string& format,
                                 const ReviewFileOptions& options, const std::string& out_path);

}  // namespace nongsan::reports
