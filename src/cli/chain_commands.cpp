// Value-chain commands: import contracts|deliveries|buyers|trade-events|facilities|investments, report linkage. The files are read
// by geo::read_features (CSV and XLSX alike) into the shared table shape; the rules live
// in modules/chains (docs/chains.md).
#include <functional>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "geo/vector_io.hpp"
#include "modules/chains/chain_import.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/targets/review.hpp"

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

}  // namespace

void register_chain_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  // import contracts|deliveries|buyers|trade-events|facilities|investments FILE: one
  // command shape, the importer and its help text per kind.
  using Importer = std::function<Result<chains::ChainImportReport>(app::App&, const support::ImportTable&,
                                                                   const std::string&)>;
  struct ChainImport {
    const char* kind;
    const char* help;
    Importer run;
  };
  const std::vector<ChainImport> imports = {
      {"contracts",
       "Linkage contracts from CSV/XLSX, one row per participant: "
       "contract,lead,participant,commodity,start,end,committed_kg (for the whole contract)",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_contracts(app.db(), cli_actor(), t, source);
       }},
      {"deliveries",
       "Deliveries against linkage contracts from CSV/XLSX: contract,participant,date,quantity_kg "
       "(every row a delivery of its own)",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_deliveries(app.db(), cli_actor(), t, source);
       }},
      {"buyers",
       "Buyers of the chains from CSV/XLSX, one row per buyer: contract,name,market[,country,note] "
       "(contract the linkage contract's code; market domestic|export)",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_buyers(app.db(), cli_actor(), t, source);
       }},
      {"trade-events", "Trade-promotion events the chains attended from CSV/XLSX: contract,name,date[,place,result]",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_trade_events(app.db(), cli_actor(), t, source);
       }},
      {"facilities",
       "Processing facilities from CSV/XLSX, one row per facility and product: "
       "facility,name,technology,commodity,product,capacity_t_per_season "
       "[,operator,commune,certifications,longitude,latitude] (technology manual|semi_mechanised|automated; "
       "operator a producer's external id; certifications separated by ';')",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_facilities(app.db(), *app.admin().graph(), cli_actor(), t, source);
       }},
      {"investments",
       "Investment projects for processing plants and industrial clusters from CSV/XLSX, one row per "
       "project: project,name,kind,status[,investor,commodity,land_ha,raw_material_t,commune] "
       "(kind plant|industrial_cluster; status proposed|approved|under_construction|operating|suspended; "
       "raw material in tonnes per season)",
       [](app::App& app, const support::ImportTable& t, const std::string& source) {
         return chains::import_investments(app.db(), *app.admin().graph(), cli_actor(), t, source);
       }},
  };
  for (const auto& spec : imports) {
    auto* cmd = import.add_subcommand(spec.kind, spec.help);
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    actions.push_back([&g, cmd, file, kind = std::string(spec.kind), run = spec.run]() -> int {
      if (!*cmd) return -1;
      auto bytes = read_bytes(*file);
      if (!bytes) return report_error(bytes.error());
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto table = read_import_table(*file, *c);
      if (!table) return report_error(table.error());
      auto app = g.open(*c);
      auto r = run(*app, *table, *file + " (sha256 " + targets::sha256_hex(*bytes) + ")");
      if (!r) return report_error(r.error());
      std::cout << kind << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged
                << "\n";
      return 0;
    });
  }

  // report linkage --year Y --format csv|json [--as-of D] [--out F]
  CLI::App& report = report_group(cli);
  auto* linkage = report.add_subcommand(
      "linkage", "Fulfilment of the linkage contracts in a year, one row per contract and participant: "
                 "contract,participant,committed_kg,delivered_kg,fulfilment_pct; warnings on standard error");
  static int lk_year = 0;
  static std::string lk_format = "csv", lk_out, lk_as_of;
  linkage->add_option("--year", lk_year, "The calendar year")->required();
  linkage->add_option("--format", lk_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  linkage->add_option("--as-of", lk_as_of, "The day the warnings judge (default today, or the year's last day)");
  linkage->add_option("--out", lk_out, "Write to this file instead of standard output");
  static bool lk_rates = false;
  linkage->add_flag("--rates", lk_rates,
                    "Instead of the rows, the linkage rate per commodity: "
                    "commodity,delivered_kg,harvested_kg,linkage_rate_pct (deliveries ÷ the diary harvests)");
  actions.push_back([&g, linkage]() -> int {
    if (!*linkage) return -1;
    std::optional<CivilDate> as_of;
    if (!lk_as_of.empty()) {
      as_of = CivilDate::parse(lk_as_of);
      if (!as_of) return report_error(Error::invalid("bad option", {{"--as-of", "is not a date"}}));
    }
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->chains().linkage(cli_actor(), lk_year, as_of);
    if (!r) return report_error(r.error());
    const std::string text = lk_format == "json" ? chains::ChainService::to_json(*r).dump(2) + "\n"
                             : lk_rates         ? chains::linkage_rate_csv(*r)
                                                : chains::linkage_csv(*r);
    for (const auto& w : r->warnings)
      std::cerr << "warning: " << w.kind << " " << w.contract << " " << w.party << " expected "
                << chains::report_number(w.expected_kg) << " kg, delivered " << chains::report_number(w.delivered_kg)
                << " kg" << (w.refused_kg > 0 ? ", refused " + chains::report_number(w.refused_kg) + " kg" : "") << "\n";
    std::cerr << r->rows.size() << " rows for " << lk_year << ", " << r->warnings.size() << " warnings (as of "
              << r->as_of.iso() << ")\n";
    if (lk_out.empty()) {
      std::cout << text;
      return 0;
    }
    std::ofstream f(lk_out, std::ios::binary);
    if (!f) return report_error(Error::invalid("cannot write " + lk_out, {{"--out", "cannot be written"}}));
    f << text;
    return 0;
  });
}

}  // namespace nongsan::cli
