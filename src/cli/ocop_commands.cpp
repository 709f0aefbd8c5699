// OCOP commands: import ocop-products|ocop-evaluations|ocop-events|lab-results, ocop
// status, ocop calendar, ocop notices, ocop watch, ocop lab-results. The rules live in modules/ocop (docs/ocop.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "modules/certificates/certificate_service.hpp"
#include "modules/ocop/ocop_service.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

Result<std::string> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot be read"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<CivilDate> date_option(const std::string& text, const char* option) {
  auto d = CivilDate::parse(text);
  if (!d) return Error::invalid("bad option", {{option, "must be a date (YYYY-MM-DD), not '" + text + "'"}});
  return *d;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

void register_ocop_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  struct Kind {
    const char* name;
    const char* help;
    int which;
  };
  for (Kind k : {Kind{"ocop-products", "OCOP products from CSV/XLSX: product,name,subject,group[,commune] (subject: the "
                                       "producer's external id; group 1-6 in Decision 148/QĐ-TTg's order)", 0},
                 Kind{"ocop-evaluations", "OCOP council evaluations from CSV/XLSX: "
                                          "product,level,date,part_a,part_b,part_c,decision (level province or central)", 1},
                 Kind{"ocop-events", "OCOP revocations and downgrades from CSV/XLSX: product,date,kind,stars "
                                     "(kind revoked or downgraded; stars after a downgrade)", 2},
                 Kind{"certificates", "Certificates from CSV/XLSX, one row per scope item: certificate,kind,holder,"
                                      "issuer,valid_from,valid_to[,standard,mark,scope_kind,scope,illustrative]", 3},
                 Kind{"lab-results", "OCOP lab results from CSV/XLSX: sample,product,laboratory,date,parameter,category,"
                                     "value,unit,limit[,lot,standard,illustrative] (category pesticide_residue, "
                                     "heavy_metal, microbiological or other; pass = value <= limit)", 4}}) {
    auto* cmd = import.add_subcommand(k.name, k.help);
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    const int which = k.which;
    const std::string name = k.name;
    actions.push_back([&g, cmd, file, which, name]() -> int {
      if (!*cmd) return -1;
      auto bytes = read_bytes(*file);
      if (!bytes) return report_error(bytes.error());
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto table = read_import_table(*file, *c);
      if (!table) return report_error(table.error());
      auto app = g.open(*c);
      auto source = import_source(*file, *bytes);
      auto& svc = app->ocop();
      if (which == 3) {
        auto r = app->certificates().import_certificates(cli_actor(), *table, source);
        if (!r) return report_error(r.error());
        std::cout << name << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged
                  << "\n";
        return 0;
      }
      auto r = which == 0   ? svc.import_products(cli_actor(), *table, source)
               : which == 1 ? svc.import_evaluations(cli_actor(), *table, source)
               : which == 2 ? svc.import_events(cli_actor(), *table, source)
                            : svc.import_lab_results(cli_actor(), *table, source);
      if (!r) return report_error(r.error());
      std::cout << name << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged;
      if (which == 4) std::cout << ", findings raised " << r->findings;
      std::cout << "\n";
      return 0;
    });
  }

  auto* ocop = cli.add_subcommand("ocop", "OCOP certificates: status on a date, the expiry calendar, owners' notices");
  ocop->require_subcommand(1);

  // ocop status --on D --format csv|json
  auto* status = ocop->add_subcommand(
      "status", "One row per product: product,stars,decision_date,expires,status (none, revoked, expired, expiring, "
                "valid) on the date");
  static std::string st_on, st_format = "csv";
  status->add_option("--on", st_on, "the date (YYYY-MM-DD)")->required();
  status->add_option("--format", st_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  actions.push_back([&g, status]() -> int {
    if (!*status) return -1;
    auto on = date_option(st_on, "--on");
    if (!on) return report_error(on.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto rows = app->ocop().status(cli_actor(), *on);
    if (!rows) return report_error(rows.error());
    auto iso = [](const std::optional<CivilDate>& d) { return d ? d->iso() : std::string(); };
    if (st_format == "json") {
      json out = json::array();
      for (const auto& r : *rows)
        out.push_back({{"product", r.product},
                       {"stars", r.standing.stars},
                       {"decision_date", r.standing.decision_date ? json(iso(r.standing.decision_date)) : json(nullptr)},
                       {"expires", r.standing.expires ? json(iso(r.standing.expires)) : json(nullptr)},
                       {"status", r.standing.status}});
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    std::cout << "product,stars,decision_date,expires,status\n";
    for (const auto& r : *rows)
      std::cout << csv_cell(r.product) << ',' << r.standing.stars << ',' << iso(r.standing.decision_date) << ','
                << iso(r.standing.expires) << ',' << r.standing.status << "\n";
    return 0;
  });

  // ocop calendar --from D --to D  /  ocop notices --on D
  auto* calendar = ocop->add_subcommand("calendar", "Certificates expiring between two dates, with the day the owner is "
                                                    "notified (JSON)");
  static std::string ca_from, ca_to;
  calendar->add_option("--from", ca_from, "first day (YYYY-MM-DD)")->required();
  calendar->add_option("--to", ca_to, "last day (YYYY-MM-DD)")->required();
  actions.push_back([&g, calendar]() -> int {
    if (!*calendar) return -1;
    auto from = date_option(ca_from, "--from");
    if (!from) return report_error(from.error());
    auto to = date_option(ca_to, "--to");
    if (!to) return report_error(to.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->ocop().calendar(cli_actor(), *from, *to);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });
  auto* notices = ocop->add_subcommand("notices", "The owners to notify on a date: certificates expiring within the "
                                                  "notice period (JSON)");
  static std::string no_on;
  notices->add_option("--on", no_on, "the date (YYYY-MM-DD)")->required();
  actions.push_back([&g, notices]() -> int {
    if (!*notices) return -1;
    auto on = date_option(no_on, "--on");
    if (!on) return report_error(on.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->ocop().notices(cli_actor(), *on);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });

  // ocop watch --on D: the quality watch (failed lab tests, lapsed certificates) → findings.
  auto* watch = ocop->add_subcommand("watch", "Raise the quality-watch findings due on a date: failed lab tests of "
                                              "certified products, certificates lapsed while the OCOP certificate is "
                                              "valid; each once (JSON)");
  static std::string wa_on;
  watch->add_option("--on", wa_on, "the date (YYYY-MM-DD)")->required();
  actions.push_back([&g, watch]() -> int {
    if (!*watch) return -1;
    auto on = date_option(wa_on, "--on");
    if (!on) return report_error(on.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->ocop().watch(cli_actor(), *on);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });

  // ocop lab-results [--product P]: the stored results (JSON).
  auto* labs = ocop->add_subcommand("lab-results", "Lab results with pass or fail computed from value and limit (JSON)");
  static std::string la_product;
  labs->add_option("--product", la_product, "one OCOP product's code");
  actions.push_back([&g, labs]() -> int {
    if (!*labs) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->ocop().lab_results(cli_actor(), la_product);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });

  // certificates covering --kind K --target T --on D  /  certificates notices --on D
  auto* certs = cli.add_subcommand("certificates", "Certificates: which cover a record on a date; expiry notices");
  certs->require_subcommand(1);
  auto* covering = certs->add_subcommand("covering", "Certificates valid on a date whose scope names the record (JSON)");
  static std::string co_kind, co_target, co_on;
  covering->add_option("--kind", co_kind, "parcel, code, facility, product or lot")->required();
  covering->add_option("--target", co_target, "the record's external id or code")->required();
  covering->add_option("--on", co_on, "the date (YYYY-MM-DD)")->required();
  actions.push_back([&g, covering]() -> int {
    if (!*covering) return -1;
    auto on = date_option(co_on, "--on");
    if (!on) return report_error(on.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->certificates().covering(cli_actor(), co_kind, co_target, *on);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });
  auto* cnotices = certs->add_subcommand("notices", "Certificates expiring within the notice period on a date (JSON)");
  static std::string cn_on;
  cnotices->add_option("--on", cn_on, "the date (YYYY-MM-DD)")->required();
  actions.push_back([&g, cnotices]() -> int {
    if (!*cnotices) return -1;
    auto on = date_option(cn_on, "--on");
    if (!on) return report_error(on.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->certificates().notices(cli_actor(), *on);
    if (!r) return report_error(r.error());
    std::cout << r->dump(2) << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
