// Area-code commands: import area-codes|code-seasons FILE (CSV or XLSX, read by the
// shared table reader geo::read_features) and check codes. The rules live in
// modules/areacodes (docs/area-codes.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "core/csv.hpp"
#include "geo/vector_io.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

// The file's name and the SHA-256 of its bytes, for the audit trail.
Result<std::string> file_source(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot be read"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return path + " (sha256 " + targets::sha256_hex(ss.str()) + ")";
}

}  // namespace

void register_areacode_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  for (const char* kind : {"area-codes", "code-seasons"}) {
    const bool codes = std::string(kind) == "area-codes";
    auto* cmd = import.add_subcommand(
        kind, codes ? "Growing-area and packing-house codes from CSV/XLSX: code,kind,holder,crop,standard,parcels,issued,"
                      "status[,facility,address,capacity_t_per_day,applied,decision_no] (parcels ;-separated registry "
                      "ids; all or nothing)"
                    : "Seasonal declarations of area codes from CSV/XLSX: code,season,crop,variety,area_ha,expected_kg,"
                      "harvest_from,harvest_to,actual_kg[,standard] (all or nothing)");
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    actions.push_back([&g, cmd, file, codes, kind]() -> int {
      if (!*cmd) return -1;
      auto source = file_source(*file);
      if (!source) return report_error(source.error());
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto options = import_read_options(*c);
      if (!options) return report_error(options.error());
      auto fs = geo::read_features(*file, *options);
      if (!fs) return report_error(fs.error());
      if (auto note = encoding_note(*fs); !note.empty()) std::cerr << *file << ": " << note << "\n";
      auto app = g.open(*c);
      auto r = codes ? app->areacodes().import_codes(cli_actor(), *fs, *source)
                     : app->areacodes().import_seasons(cli_actor(), *fs, *source);
      if (!r) return report_error(r.error());
      std::cout << kind << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged
                << "\n";
      return 0;
    });
  }

  // check codes --format csv|json [--out F] [--no-suspend]
  auto* check = cli.get_subcommand("check");
  auto* codes = check->add_subcommand(
      "codes", "Code health of the growing-area codes (below_minimum, area_mismatch); serious findings suspend the "
               "code until an officer decides; exits 0 whatever it finds");
  static std::string format = "csv", out;
  static bool no_suspend = false;
  codes->add_option("--format", format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  codes->add_option("--out", out, "Write to this file instead of standard output");
  codes->add_flag("--no-suspend", no_suspend, "Only list the findings; suspend nothing");
  actions.push_back([&g, codes]() -> int {
    if (!*codes) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->areacodes().check(cli_actor(), !no_suspend);
    if (!r) return report_error(r.error());
    std::string text;
    if (format == "json") {
      json items = json::array();
      for (const auto& f : r->findings) items.push_back(areacodes::finding_json(f));
      text = json{{"findings", items}, {"suspended", r->suspended}}.dump(2) + "\n";
    } else {
      // No byte-order mark and LF line ends, as the other check commands write: the
      // output is read by scripts as often as opened in a spreadsheet.
      text = "finding,code,season,detail,serious\n";
      for (const auto& f : r->findings)
        text += csv::field(f.finding) + "," + csv::field(f.code) + "," + csv::field(f.season) + "," +
                csv::field(f.detail) + "," + (f.serious ? "true" : "false") + "\n";
    }
    std::cerr << r->findings.size() << " findings; " << r->suspended.size() << " codes suspended by this check\n";
    if (out.empty()) {
      std::cout << text;
      return 0;
    }
    std::ofstream f(out, std::ios::binary);
    if (!f) return report_error(Error::invalid("cannot write " + out, {{"--out", "cannot be written"}}));
    f << text;
    return 0;
  });
}

}  // namespace nongsan::cli
