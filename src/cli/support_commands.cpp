// Support commands: import policies|applications|payments, check claims, support
// evaluate. The files are read by geo::read_features (CSV and XLSX alike) or as JSON
// (policies); the rules live in modules/support.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "core/json_input.hpp"
#include "geo/vector_io.hpp"
#include "modules/support/support_import.hpp"
#include "modules/support/support_json.hpp"
#include "modules/support/support_service.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot be read"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes to --out, or to standard output.
int emit(const std::string& out, const std::string& text) {
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream f(out, std::ios::binary);
  if (!f) return report_error(Error::invalid("cannot write " + out, {{"--out", "cannot be written"}}));
  f << text;
  return 0;
}

std::string fixed2(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

void register_support_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  // import policies FILE.json
  auto* ipol = import.add_subcommand(
      "policies", "Support policies from JSON: an array of policy versions; a later version of a code is an amendment "
                  "(all or nothing)");
  static std::string pol_file;
  ipol->add_option("file", pol_file, "JSON file")->required()->check(CLI::ExistingFile);
  actions.push_back([&g, ipol]() -> int {
    if (!*ipol) return -1;
    auto text = read_file(pol_file);
    if (!text) return report_error(text.error());
    auto doc = parse_json_input(*text, pol_file);
    if (!doc) return report_error(doc.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->support().import_policies(cli_actor(), *doc, import_source(pol_file, *text));
    if (!r) return report_error(r.error());
    std::cout << "policies: created " << (*r)["created"] << ", unchanged " << (*r)["unchanged"] << "\n";
    return 0;
  });

  // import applications|payments FILE
  for (const char* kind : {"applications", "payments"}) {
    const bool apps = std::string(kind) == "applications";
    auto* cmd = import.add_subcommand(
        kind, apps ? "Support applications from CSV/XLSX, one row per item: "
                     "application,policy,applicant,filed,accepted,status,parcel,quantity,approved_amount"
                   : "Payments and recoveries from CSV/XLSX: application,date,amount,kind[,funding_source,reference]");
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    actions.push_back([&g, cmd, file, apps, kind]() -> int {
      if (!*cmd) return -1;
      auto bytes = read_file(*file);
      if (!bytes) return report_error(bytes.error());
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto table = read_import_table(*file, *c);
      if (!table) return report_error(table.error());
      auto app = g.open(*c);
      auto source = import_source(*file, *bytes);
      auto r = apps ? support::import_applications(app->db(), cli_actor(), *table, source)
                    : support::import_payments(app->db(), cli_actor(), *table, source);
      if (!r) return report_error(r.error());
      std::cout << kind << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged
                << "\n";
      return 0;
    });
  }

  // check claims --year Y
  auto* check = cli.get_subcommand("check");
  auto* claims = check->add_subcommand(
      "claims", "Cross-checks of the support applications filed in a year (overlaps, exclusive policies, "
                "over-declaration, control, zones, crops, suitability, duplicate persons, caps, payments); exits 0 "
                "whatever it finds");
  static int cc_year = 0;
  static double cc_overlap = -1;
  static std::string cc_format = "csv", cc_out;
  claims->add_option("--year", cc_year, "The year the applications were filed in")->required();
  claims->add_option("--min-overlap-m2", cc_overlap, "Smallest intersection that counts (default: the setting, 1 m²)");
  claims->add_option("--format", cc_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  claims->add_option("--out", cc_out, "Write to this file instead of standard output");

  // support evaluate --year Y
  auto* support_cmd = cli.add_subcommand("support", "Support policies and payments");
  support_cmd->require_subcommand(1);
  auto* evaluate = support_cmd->add_subcommand(
      "evaluate", "The amount of every application filed in a year, with the rule trace in JSON");
  static int ev_year = 0;
  static std::string ev_format = "csv", ev_out;
  evaluate->add_option("--year", ev_year, "The year the applications were filed in")->required();
  evaluate->add_option("--format", ev_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  evaluate->add_option("--out", ev_out, "Write to this file instead of standard output");

  // support sample --year Y [--share 5] [--risk-share 0.5] [--seed S] --format csv|gpkg [--out F]
  auto* sample = support_cmd->add_subcommand(
      "sample", "Applicants for on-the-spot checks: at least --share % of the year's applicants (rounded up), "
                "--risk-share of them by highest risk, the rest at random from --seed; CSV, or GeoPackage with "
                "the parcels to visit");
  static int sa_year = 0;
  static double sa_share = 5, sa_risk = 0.5;
  static std::uint64_t sa_seed = 1;
  static std::string sa_format = "csv", sa_out;
  sample->add_option("--year", sa_year, "The year the applications were filed in")->required();
  sample->add_option("--share", sa_share, "Percent of the applicants (default 5)");
  sample->add_option("--risk-share", sa_risk, "Fraction chosen by risk, 0 to 1 (default 0.5)");
  sample->add_option("--seed", sa_seed, "Seed of the random part (the same seed gives the same plan)");
  sample->add_option("--format", sa_format, "csv (default) or gpkg")->check(CLI::IsMember({"csv", "gpkg"}));
  sample->add_option("--out", sa_out, "Output file (required for gpkg)");
  actions.push_back([&g, sample]() -> int {
    if (!*sample) return -1;
    if (sa_format == "gpkg" && sa_out.empty())
      return report_error(Error::invalid("a GeoPackage needs a file", {{"--out", "is required for --format gpkg"}}));
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->support().sample(cli_actor(), sa_year, sa_share, sa_risk, sa_seed);
    if (!r) return report_error(r.error());
    std::cerr << r->entries.size() << " of " << r->applicants << " applicants of " << sa_year << " (seed " << sa_seed
              << ")\n";
    if (sa_format == "csv") {
      std::string text = "applicant,reason,score,applications\n";
      for (const auto& e : r->entries) {
        std::string apps;
        for (const auto& a : e.applications) apps += (apps.empty() ? "" : ";") + a;
        text += csv_cell(e.applicant) + "," + e.reason + "," + fixed2(e.score) + "," + csv_cell(apps) + "\n";
      }
      return emit(sa_out, text);
    }
    std::vector<geo::Feature> features;
    std::int64_t n = 0;
    for (const auto& p : r->parcels) {
      geo::Feature f;
      f.number = ++n;
      f.attributes = {{"applicant", p.applicant}, {"reason", p.reason}, {"score", fixed2(p.score)},
                      {"application", p.application}, {"parcel", p.parcel}};
      f.geometry = p.geometry;
      features.push_back(std::move(f));
    }
    auto s = geo::write_features(sa_out, geo::VectorFormat::gpkg, "inspection_sample",
                                 {{"applicant", geo::FieldType::string}, {"reason", geo::FieldType::string},
                                  {"score", geo::FieldType::real}, {"application", geo::FieldType::string},
                                  {"parcel", geo::FieldType::string}},
                                 features);
    if (!s) return report_error(s.error());
    std::cerr << features.size() << " parcels written to " << sa_out << "\n";
    return 0;
  });

  auto run = [&g](int year, std::optional<double> overlap) -> Result<support::CheckRunResult> {
    auto c = g.resolve();
    if (!c) return c.error();
    auto app = g.open(*c);
    return app->support().run_checks(cli_actor(), year, overlap, [](std::string_view stage, std::size_t done,
                                                                     std::size_t total) {
      // About every 10 %, and once at the end.
      static std::size_t last = static_cast<std::size_t>(-1);
      if (total == 0 || done == last) return;
      if (done == total || done % std::max<std::size_t>(1, total / 10) == 0) {
        std::cerr << "\r" << stage << ": " << done << " / " << total << (done == total ? "\n" : "") << std::flush;
        last = done;
      }
    });
  };

  actions.push_back([claims, run]() -> int {
    if (!*claims) return -1;
    auto r = run(cc_year, cc_overlap >= 0 ? std::optional<double>(cc_overlap) : std::nullopt);
    if (!r) return report_error(r.error());
    std::string text;
    if (cc_format == "json") {
      json items = json::array();
      for (const auto& f : r->result.findings) items.push_back(support::to_json(f));
      text = json{{"year", cc_year}, {"run_id", r->run_id}, {"findings", items}}.dump(2) + "\n";
    } else {
      text = "finding,application,other_application,parcel,detail\n";
      for (const auto& f : r->result.findings)
        text += csv_cell(f.finding) + "," + csv_cell(f.application) + "," + csv_cell(f.other_application) + "," +
                csv_cell(f.parcel) + "," + csv_cell(f.detail) + "\n";
    }
    std::cerr << "checked " << r->result.amounts.size() << " applications filed in " << cc_year << ": "
              << r->result.findings.size() << " findings (run " << r->run_id << "); read " << fixed2(r->load_seconds)
              << " s, rules " << fixed2(r->rules_seconds) << " s, stored " << fixed2(r->store_seconds) << " s\n";
    return emit(cc_out, text);
  });

  actions.push_back([evaluate, run]() -> int {
    if (!*evaluate) return -1;
    auto r = run(ev_year, std::nullopt);
    if (!r) return report_error(r.error());
    std::string text;
    Dong total = 0;
    if (ev_format == "json") {
      json items = json::array();
      for (const auto& t : r->result.amounts) {
        items.push_back(support::to_json(t));
        total += t.amount;
      }
      text = json{{"year", ev_year}, {"run_id", r->run_id}, {"total", total}, {"applications", items}}.dump(2) + "\n";
    } else {
      text = "application,amount,policy,status,payable,penalty_ha,before_cap,conditions_hold,note\n";
      for (const auto& t : r->result.amounts) {
        total += t.amount;
        text += csv_cell(t.application) + "," + std::to_string(t.amount) + "," + csv_cell(t.policy) + "," + t.status +
                "," + fixed2(t.payable) + "," + fixed2(t.penalty_ha) + "," + std::to_string(t.before_cap) + "," +
                (t.conditions_hold ? "true" : "false") + "," + csv_cell(t.note) + "\n";
      }
    }
    std::cerr << r->result.amounts.size() << " applications filed in " << ev_year << ", total " << total << " đồng\n";
    return emit(ev_out, text);
  });
}

}  // namespace nongsan::cli
