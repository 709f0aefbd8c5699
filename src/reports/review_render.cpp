#include "reports/review_render.hpp"

#include "reports/document_writers.hpp"
#include "reports/nfc.hpp"
#include "reports/official_document.hpp"

namespace nongsan::reports {

using nlohmann::json;

namespace {

// What a document may say beyond the review (issuer, signer, recipients …): a line each.
constexpr std::size_t kOptionChars = 500, kMaxRecipients = 60;

std::size_t chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Status normalize_options(RenderOptions& o) {
  std::vector<FieldError> errs;
  const std::pair<const char*, std::string*> fields[] = {
      {"superior", &o.superior_body},  {"issuer", &o.issuing_body},        {"number", &o.number},
      {"symbol", &o.symbol},           {"place", &o.place},                {"title", &o.title},
      {"authority", &o.signature.authority}, {"position", &o.signature.position}, {"signer", &o.signature.name},
      {"archive", &o.archive_line},    {"map_indicator", &o.map_indicator}};
  for (const auto& [name, s] : fields) {
    auto n = to_nfc(*s);
    if (!n) errs.push_back({name, "is not valid UTF-8"});
    else if (chars(*n) > kOptionChars) errs.push_back({name, "is longer than 500 characters"});
    else *s = std::move(*n);
  }
  if (o.recipients.size() > kMaxRecipients) errs.push_back({"recipients", "more than 60 recipients"});
  for (auto& s : o.recipients) {
    auto n = to_nfc(s);
    if (!n) errs.push_back({"recipients", "a recipient is not valid UTF-8"});
    else if (chars(*n) > kOptionChars) errs.push_back({"recipients", "a recipient is longer than 500 characters"});
    else s = std::move(*n);
  }
  if (!errs.empty()) return Error::invalid("the document options are not valid", std::move(errs));
  return {};
}

}  // namespace

Result<RenderedFile> render_review(const json& review_in, const std::string& format, const RenderOptions& options_in,
                                   const std::vector<UnitShape>& shapes) {
  if (format == "json") {
    if (auto st = validate_review(review_in); !st) return st.error();
    return RenderedFile{review_in.dump(2) + "\n", "application/json; charset=utf-8", ".json"};
  }
  auto fmt = parse_report_format(format);
  if (!fmt) return Error::invalid("unknown format", {{"format", "must be json, html, pdf, docx or xlsx"}});
  // Checked whole before anything is read, then every text in NFC, whatever form it was typed in.
  if (auto st = validate_review(review_in); !st) return st.error();
  json review = review_in;
  if (auto bad = normalize_json_nfc(review); !bad.empty())
    return Error::invalid("the review JSON has text that is not UTF-8", {{bad, "not valid UTF-8"}});
  RenderOptions options = options_in;
  if (auto st = normalize_options(options); !st) return st.error();
  RenderedFile out{"", std::string(content_type(*fmt)), std::string(file_extension(*fmt))};
  try {
    std::vector<std::uint8_t> bytes;
    if (*fmt == ReportFormat::xlsx) {
      bytes = render_review_xlsx(review, options);
    } else {
      auto doc = build_review_document(review, shapes, options);
      if (!doc) return doc.error();
      if (*fmt == ReportFormat::docx) bytes = render_docx(*doc);
      else if (*fmt == ReportFormat::pdf) bytes = render_pdf(*doc);
      else {
        out.bytes = render_html(*doc);
        return out;
      }
    }
    out.bytes.assign(bytes.begin(), bytes.end());
  } catch (const std::exception& e) {
    return Error::internal(std::string("rendering the review: ") + e.what());
  }
  return out;
}

}  // namespace nongsan::reports
