#include "reports/review_render.hpp"

#include <fstream>

namespace nongsan::reports {

bool is_review_format(const std::string& f) {
  return f == "json" || f == "html" || f == "pdf" || f == "docx" || f == "xlsx";
}

Result<std::string> render_review(const nlohmann::json& review, const std::string& format) {
  if (format == "json") return review.dump(2) + "\n";
  if (!is_review_format(format))
    return Error::invalid("unknown format", {{"format", "must be json, html, pdf, docx or xlsx"}});
  // html, pdf, docx, xlsx: the document writers (branch review-docs) plug in here.
  return Error::invalid("format " + format + " is produced by the report writers, which are not part of this build",
                        {{"format", "use json"}});
}

Result<std::string> render_review(const nlohmann::json& review, const std::string& format, const std::string& out_path) {
  auto bytes = render_review(review, format);
  if (!bytes) return bytes;
  std::ofstream out(out_path, std::ios::binary);
  if (!out) return Error::invalid("cannot write the report", {{"--out", "cannot open " + out_path + " for writing"}});
  out << *bytes;
  if (!out) return Error::invalid("cannot write the report", {{"--out", "write to " + out_path + " failed"}});
  return bytes;
}

}  // namespace nongsan::reports
