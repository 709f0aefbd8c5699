// Targets commands: import programmes|indicators|targets|observations, report
// review, check observations. The files are read by geo::read_features (CSV and
// XLSX alike); the rules live in modules/targets.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "modules/targets/targets_import.hpp"
#include "modules/targets/targets_service.hpp"
#include "cli/output_file.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

void add_import(CLI::App& import, GlobalOptions& g, Actions& actions, const char* name, const char* help) {
  auto* cmd = import.add_subcommand(name, help);
  auto file = std::make_shared<std::string>();
  cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
  add_encoding_option(*cmd);
  std::string kind_name = name;
  actions.push_back([&g, cmd, file, kind_name]() -> int {
    if (!*cmd) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto read_options = import_read_options(*c);
    if (!read_options) return report_error(read_options.error());
    auto app = g.open(*c);
    auto r = app->targets().import_file(cli_actor(), *targets::parse_import_kind(kind_name), *file, "", *read_options);
    if (!r) return report_error(r.error());
    std::cout << kind_name << ": created " << r->created << ", updated " << r->updated << ", unchanged "
              << r->unchanged;
    if (kind_name == "targets") std::cout << ", revisions " << r->revisions;
    std::cout << "\n";
    // Check flags on the imported observations (outliers, bounds, registry): warnings, not errors.
    for (std::size_t i = 0; i < r->warnings.size() && i < 20; ++i) std::cerr << "warning: " << r->warnings[i] << "\n";
    if (r->warnings.size() > 20) std::cerr << "… and " << r->warnings.size() - 20 << " more warnings\n";
    return 0;
  });
}

struct ReviewArgs {
  std::string programme, as_of, unit, format = "json", out, profile = "state", lang = "vi";
  int milestone = 0;
  bool timing = false;
};

// CPU seconds of this process (all its threads) so far.
double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The same use case as the API's review document (TargetsService::issue_review); the
// CLI only adds where the file goes: --out (written before the register entry), or
// stdout for JSON.
int report_review(GlobalOptions& g, const ReviewArgs& a) {
  std::vector<FieldError> errs;
  if (a.out.empty() && a.format != "json") errs.push_back({"--out", "is required for format " + a.format});
  targets::ReviewDocumentRequest q;
  q.programme = a.programme;
  if (a.milestone) q.milestone = a.milestone;
  if (!a.as_of.empty()) {
    q.as_of = CivilDate::parse(a.as_of);
    if (!q.as_of) errs.push_back({"--as-of", "'" + a.as_of + "' is not a date"});
  }
  if (!errs.empty()) return report_error(Error::invalid("bad option", errs));
  q.unit = a.unit;
  q.format = a.format;
  q.profile = a.profile;
  q.lang = a.lang;
  q.file_name = a.out;
  auto c = g.resolve();
  if (!c) return report_error(c.error());
  auto app = g.open(*c);
  // --timing: the review and its rendering in process, as the server's GET computes it
  // (no process start, no opening of the database, no register entry), for the bench.
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu_s();
  auto issued = app->targets().issue_review(cli_actor(), q, [&](const targets::IssuedReview& r) -> Status {
    if (a.timing) {
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char line[128];
      std::snprintf(line, sizeof line, "timing: review %.3f s wall, %.3f s CPU in process\n", wall,
                    process_cpu_s() - cpu0);
      std::cerr << line;
    }
    if (a.out.empty()) {
      std::cout << r.file.bytes;
      return {};
    }
    return write_output_file(a.out, r.file.bytes);
  });
  if (!issued) return report_error(issued.error());
  std::cerr << "issued report #" << issued->issue["id"].get<std::int64_t>() << " (data hash "
            << issued->review["data_hash"].get<std::string>().substr(0, 16) << "…)"
            << (a.out.empty() ? "" : " written to " + a.out) << "\n";
  return 0;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

void register_target_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  add_import(import, g, actions, "programmes",
             "Programmes from CSV/XLSX: code,name_vi,start,end,baseline_year[,milestones] (milestones ';'-separated, "
             "default the end year)");
  add_import(import, g, actions, "indicators",
             "Indicators from CSV/XLSX: programme,code,name_vi,name_en,unit,kind,direction "
             "[,source,computed,not_above,illustrative,note]");
  add_import(import, g, actions, "targets",
             "Targets from CSV/XLSX: programme,indicator,unit_code,year,value[,decision,effective_date]; a later "
             "effective date for the same target is a revision");
  add_import(import, g, actions, "observations",
             "Observations from CSV/XLSX: programme,indicator,unit_code,year,value[,status,period,note]; status "
             "defaults to approved");

  // Shared with `report render` (report_commands.cpp); every issued report is kept in
  // the register with a hash of its data.
  auto* report = &report_group(cli);
  auto* review = report->add_subcommand("review", "Mid-term review of a programme's indicators for a unit");
  static ReviewArgs ra;
  review->add_option("--programme", ra.programme, "Programme code")->required();
  review->add_option("--milestone", ra.milestone, "Milestone year (default: the first not yet passed)");
  review->add_option("--as-of", ra.as_of, "Date of the review, YYYY-MM-DD or dd/mm/yyyy (default today)");
  review->add_option("--unit", ra.unit, "Code of the unit (default: the province)");
  review->add_option("--format", ra.format, "json (default), html, pdf, docx or xlsx");
  review->add_option("--out", ra.out, "File to write (default: stdout, json only)");
  review->add_option("--profile", ra.profile,
                     "Document layout: state (Nghị định 30/2020/NĐ-CP, default) or party (Hướng dẫn 36-HD/VPTW)");
  review->add_option("--lang", ra.lang, "Language of the narrative and assessments: vi (default) or en");
  review->add_flag("--timing", ra.timing,
                   "Print on stderr the time the review and its rendering took in this process (wall and CPU)");
  actions.push_back([&g, review]() -> int {
    if (!*review) return -1;
    return report_review(g, ra);
  });

  auto* list = report->add_subcommand("list", "The register of issued reports (newest first)");
  static std::string rl_programme;
  list->add_option("--programme", rl_programme, "Only this programme");
  actions.push_back([&g, list]() -> int {
    if (!*list) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->targets().list_issues(cli_actor(), rl_programme);
    if (!r) return report_error(r.error());
    std::cout << "id,kind,programme,milestone,as_of,unit,format,data_hash,file_name,issued_by,issued_at\n";
    for (const auto& i : *r) {
      const json& p = i["parameters"];
      auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); };
      std::cout << i["id"] << "," << csv_cell(i["kind"]) << "," << csv_cell(i["programme"]) << ","
                << text(p.value("milestone", json())) << "," << text(p.value("as_of", json())) << ","
                << csv_cell(text(p.value("unit", json()))) << "," << csv_cell(i["format"]) << ","
                << csv_cell(i["data_hash"]) << "," << csv_cell(i["file_name"]) << "," << csv_cell(i["issued_by"]) << ","
                << csv_cell(i["issued_at"]) << "\n";
    }
    return 0;
  });
  auto* verify = report->add_subcommand(
      "verify", "Recompute an issued report's data hash on today's data: exit 0 when unchanged, 1 when the data changed");
  static std::int64_t rv_id = 0;
  verify->add_option("id", rv_id, "Id in the register (report list)")->required();
  actions.push_back([&g, verify]() -> int {
    if (!*verify) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->targets().verify_issue(cli_actor(), targets::ReportIssueId(rv_id));
    if (!r) return report_error(r.error());
    bool changed = (*r)["data_changed"].get<bool>();
    std::cout << (changed ? "changed" : "unchanged") << ": issued " << (*r)["data_hash_then"].get<std::string>()
              << ", now " << (*r)["data_hash_now"].get<std::string>() << "\n";
    return changed ? 1 : 0;
  });

  auto* check = cli.get_subcommand("check");
  auto* cobs = check->add_subcommand(
      "observations",
      "Checks every observation of a programme: robust outliers over the unit's history, values above the "
      "indicator they must not exceed, reported values that differ from the registry");
  static std::string co_programme, co_format = "csv";
  cobs->add_option("--programme", co_programme, "Programme code")->required();
  cobs->add_option("--format", co_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  actions.push_back([&g, cobs]() -> int {
    if (!*cobs) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->targets().flags(cli_actor(), co_programme);
    if (!r) return report_error(r.error());
    if (co_format == "json") {
      std::cout << r->dump(2) << "\n";
    } else {
      std::cout << "indicator,unit_code,year,period,value,status,flag,message\n";
      for (const auto& item : (*r)["items"])
        for (const auto& f : item["flags"])
          std::cout << csv_cell(item["indicator"]) << "," << csv_cell(item["unit_code"]) << "," << item["year"]
                    << "," << item["period"] << "," << item["value"] << "," << item["status"].get<std::string>()
                    << "," << f["code"].get<std::string>() << "," << csv_cell(f["message"]) << "\n";
    }
    std::cerr << "checked " << (*r)["checked"] << " observations, " << (*r)["flagged"] << " flagged\n";
    return 0;
  });
}

}  // namespace nongsan::cli
