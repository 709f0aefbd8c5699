// The one entry point through which an issued review becomes a file: the CLI
// (`nongsan report review`) and the API call it with the review JSON of
// modules/targets (shape: docs/review-json.md). JSON is written here; the document
// formats (html, pdf, docx, xlsx) are produced by the report writers, which the
// lead connects in review_render.cpp — until then they return a clear error.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace nongsan::reports {

// The bytes of the review in `format` (json, html, pdf, docx, xlsx).
Result<std::string> render_review(const nlohmann::json& review, const std::string& format);
// Writes them to `out_path` too; returns the bytes (for the register's hash and size).
Result<std::string> render_review(const nlohmann::json& review, const std::string& format, const std::string& out_path);

bool is_review_format(const std::string& format);

}  // namespace nongsan::reports
