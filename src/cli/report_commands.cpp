// report render: lays out a review JSON (the output of `report review --format json`)
// as a document. It needs no database, so a saved review can be re-rendered later and
// gives the same figures: the data hash printed in the document is the JSON's own.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/json_input.hpp"
#include "cli/output_file.hpp"
#include "reports/review_render.hpp"

namespace nongsan::cli {

namespace {

Result<nlohmann::json> read_json_file(const std::string& path, const std::string& field) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error::invalid("cannot read " + path, {{field, "cannot open " + path}});
  std::stringstream ss;
  ss << f.rdbuf();
  // A file from outside: limited depth (a renderer walks it recursively), duplicate
  // keys refused, errors by line and column.
  JsonLimits limits;
  limits.max_bytes = 64u * 1024 * 1024;
  return parse_json_input(ss.str(), path, limits);
}

}  // namespace

void register_report_render(CLI::App& report, GlobalOptions&, Actions& actions) {
  auto* render = report.add_subcommand("render", "Render a review JSON file as HTML, PDF, DOCX or XLSX (no database)");
  static std::string in, out, format, profile = "state", shapes_path, superior, issuer, number, symbol, place, date,
                                        title, authority, position, signer, archive, map_indicator;
  static std::vector<std::string> recipients;
  render->add_option("--in", in, "Review JSON (from `nongsan report review --format json`)")->required();
  render->add_option("--format", format, "html, pdf, docx or xlsx")->required();
  render->add_option("--out", out, "Output file")->required();
  render->add_option("--profile", profile, "Document layout: state (Nghị định 30/2020/NĐ-CP) or party (HD 36-HD/VPTW)");
  render->add_option("--shapes", shapes_path,
                     "GeoJSON FeatureCollection of unit boundaries (properties code, name) for the map");
  render->add_option("--superior", superior, "Cơ quan chủ quản, e.g. \"UBND TỈNH LAI CHÂU\" (\"-\" for none)");
  render->add_option("--issuer", issuer, "Cơ quan ban hành, e.g. \"SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\" (\\n breaks lines)");
  render->add_option("--number", number, "Document number (blank when not given, for the văn thư)");
  render->add_option("--symbol", symbol, "Symbol after the number: BC-SNNMT (state), BC/TU (party)");
  render->add_option("--place", place, "Place in the date line (default Lai Châu)");
  render->add_option("--date", date, "Date of the document, yyyy-mm-dd (default: the review's generated_at)");
  render->add_option("--title", title, "Trích yếu (default from the programme and the as-of date)");
  render->add_option("--authority", authority, "Signature authority line, e.g. \"KT. GIÁM ĐỐC\"");
  render->add_option("--position", position, "Signer's position, e.g. \"PHÓ GIÁM ĐỐC\"");
  render->add_option("--signer", signer, "Signer's full name");
  render->add_option("--recipient", recipients, "A recipient (repeat the option for each)");
  render->add_option("--archive", archive, "Archive line, e.g. \"Lưu: VT, KHTC\"");
  render->add_option("--map-indicator", map_indicator, "Map this indicator's achievement (default: share of indicators ≥ 50 %)");

  actions.push_back([render]() -> int {
    if (!*render) return -1;
    std::vector<FieldError> errs;
    if (!reports::parse_report_format(format)) errs.push_back({"--format", "must be html, pdf, docx or xlsx"});
    auto prof = reports::parse_profile(profile);
    if (!prof) errs.push_back({"--profile", "must be state or party"});
    reports::RenderOptions o;
    if (!date.empty()) {
      o.date = CivilDate::parse(date);
      if (!o.date) errs.push_back({"--date", "must be yyyy-mm-dd"});
    }
    if (!errs.empty()) return report_error(Error::invalid("invalid options", errs));
    auto review = read_json_file(in, "--in");
    if (!review) return report_error(review.error());
    std::vector<reports::UnitShape> shapes;
    if (!shapes_path.empty()) {
      auto fc = read_json_file(shapes_path, "--shapes");
      if (!fc) return report_error(fc.error());
      auto s = reports::shapes_from_feature_collection(*fc);
      if (!s) return report_error(s.error());
      shapes = std::move(*s);
    }
    auto unescape = [](std::string s) {  // "\n" typed on the command line breaks the line
      for (std::size_t p; (p = s.find("\\n")) != std::string::npos;) s.replace(p, 2, "\n");
      return s;
    };
    o.profile = *prof;
    o.superior_body = unescape(superior);
    o.issuing_body = unescape(issuer);
    o.number = number;
    o.symbol = symbol;
    o.place = place;
    o.title = title;
    o.signature = {authority, position, signer};
    o.recipients = recipients;
    o.archive_line = archive;
    o.map_indicator = map_indicator;
    auto file = reports::render_review(*review, format, o, shapes);
    if (!file) return report_error(file.error());
    if (auto st = write_output_file(out, file->bytes); !st) return report_error(st.error());
    std::cerr << "wrote " << out << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
