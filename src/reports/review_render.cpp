#include "reports/review_render.hpp"

#include <cstdio>
#include <fstream>

#include "reports/official_document.hpp"
#include "reports/review_report.hpp"

namespace nongsan::reports {

bool is_review_format(const std::string& f) { return f == "json" || parse_report_format(f).has_value(); }

bool is_review_profile(const std::string& p) { return parse_profile(p).has_value(); }

std::string review_content_type(const std::string& format) {
  if (format == "json") return "application/json; charset=utf-8";
  auto f = parse_report_format(format);
  return f ? std::string(content_type(*f)) : "application/octet-stream";
}

std::string review_file_extension(const std::string& format) {
  if (format == "json") return ".json";
  auto f = parse_report_format(format);
  return f ? std::string(file_extension(*f)) : "";
}

Result<std::string> render_review(const nlohmann::json& review, const std::string& format,
                                  const ReviewFileOptions& options) {
  if (format == "json") return review.dump(2) + "\n";
  auto fmt = parse_report_format(format);
  if (!fmt) return Error::invalid("unknown format", {{"format", "must be json, html, pdf, docx or xlsx"}});
  auto profile = parse_profile(options.profile);
  if (!profile) return Error::invalid("unknown layout", {{"profile", "must be state or party"}});
  RenderOptions ro;
  ro.profile = *profile;
  auto bytes = render_review_bytes(review, options.shapes, ro, *fmt);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

Result<std::string> write_review(const nlohmann::json& review, const std::string& format,
                                 const ReviewFileOptions& options, const std::string& out_path) {
  auto bytes = render_review(review, format, options);
  if (!bytes) return bytes;
  // Through a temporary file renamed into place: a failed write leaves the old file or none.
  const std::string tmp = out_path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error::invalid("cannot write the report", {{"--out", "cannot open " + out_path + " for writing"}});
    out << *bytes;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error::invalid("cannot write the report", {{"--out", "write to " + out_path + " failed"}});
    }
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error::invalid("cannot write the report", {{"--out", "cannot move the file into " + out_path}});
  }
  return bytes;
}

}  // namespace nongsan::reports
