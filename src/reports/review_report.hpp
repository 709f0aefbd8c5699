// The review report: the review JSON of the targets module (the output of
// `nongsan report review --format json`; its shape is the contract of
// docs/review-json.md, checked by validate_review) laid out as a Vietnamese
// administrative document — BÁO CÁO with
// the narrative, the table of every indicator, the per-unit table, charts and a map —
// in HTML, PDF, DOCX, or as an XLSX workbook whose formulas an officer can check.
//
// A renderer formats; it decides nothing: every figure comes from the JSON. The data
// hash and generation time of the JSON are printed on every page (footer) so a quoted
// figure can be traced to the data it was computed from. The one entry point that turns
// a review into a file is render_review (review_render.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "reports/charts.hpp"
#include "reports/official_document.hpp"

namespace nongsan::reports {

enum class ReportFormat { html, pdf, docx, xlsx };
std::optional<ReportFormat> parse_report_format(std::string_view text);  // "html" | "pdf" | "docx" | "xlsx"
std::string_view to_string(ReportFormat f);
std::string_view content_type(ReportFormat f);    // MIME type for a download
std::string_view file_extension(ReportFormat f);  // ".pdf"

// Everything about the issued document that the review does not say. Empty fields take
// defaults for the profile: state — "UBND TỈNH LAI CHÂU" / "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
// BC-SNNMT, KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC; party — "TỈNH ỦY LAI CHÂU", BC/TU,
// T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ. Place "Lai Châu"; date: the date of generated_at.
struct RenderOptions {
  ProfileId profile = ProfileId::state_nd30;
  std::string superior_body;  // cơ quan chủ quản ("-" for none)
  std::string issuing_body;   // cơ quan ban hành ("\n" breaks lines)
  std::string number;         // "" leaves the blank the văn thư fills in
  std::string symbol;         // "BC-SNNMT" (state), "BC/TU" (party)
  std::string place;
  std::optional<CivilDate> date;
  std::string title;  // trích yếu; default "Kết quả thực hiện các chỉ tiêu của <programme> đến ngày <as_of>"
  Signature signature;
  std::vector<std::string> recipients;  // without "- " and line endings
  std::string archive_line;             // "Lưu: VT, KHTC"
  std::string map_indicator;            // map one indicator's achievement; "" = share of indicators ≥ 50 %
};

// The assessment of one indicator (of `indicators[]` or `units[].indicators[]`) as a
// label: "Đạt, vượt", "Trên 50%", "Thấp", or why there is none: "Chưa giao mục tiêu",
// "Chưa có số liệu", "Không tính được tỷ lệ".
std::string status_label_vi(const nlohmann::json& indicator);
// The kinds of findings of the support cross-checks in Vietnamese ("chồng lấn"), and a
// finding count object as one line ("chồng lấn 2; vượt mức trần 1"; "không" when empty).
std::string support_finding_vi(const std::string& kind);
std::string support_findings_text(const nlohmann::json& findings);

// Checks the review JSON against the contract; every problem is named by its JSON path.
Status validate_review(const nlohmann::json& review);

// The document of the review (for the DOCX, PDF and HTML writers).
Result<OfficialDocument> build_review_document(const nlohmann::json& review, const std::vector<UnitShape>& shapes,
                                               const RenderOptions& options);

// The XLSX workbook (review_xlsx.cpp): sheets "Chỉ tiêu" (values and formulas for % đạt,
// dự báo, % dự báo, đánh giá, checked against the system's figures), "Theo đơn vị" and
// "Tham số" (programme, dates, f as a formula, data hash). REQUIRES: validate_review ok.
std::vector<std::uint8_t> render_review_xlsx(const nlohmann::json& review, const RenderOptions& options);

}  // namespace nongsan::reports
