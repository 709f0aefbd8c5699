// The three writers of an OfficialDocument. Each lays out the same elements with the
// numbers of the document's LayoutProfile. They throw std::runtime_error only when a
// library fails (cairo, zlib); render_review turns that into an Error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/official_document.hpp"

namespace nongsan::reports {

// OOXML WordprocessingML package: Times New Roman, A4 with the profile's margins, header
// table without borders, page number in the header from page 2 (w:titlePg), tables with
// borders and repeated header rows, figures as PNG.
std::vector<std::uint8_t> render_docx(const OfficialDocument& doc);
// PDF by cairo and pango with Liberation Serif embedded (Times New Roman's metrics).
std::vector<std::uint8_t> render_pdf(const OfficialDocument& doc);
// One self-contained HTML page: inline CSS with an A4 print layout, figures as inline SVG.
std::string render_html(const OfficialDocument& doc);

}  // namespace nongsan::reports
