// Land suitability, planning side: import/export crop profiles, register raster
// layers, evaluate the registry's parcels and zones, and the two planning reports.
//   nongsan import profiles FILE.json [--note TEXT]
//   nongsan export profiles [--out FILE]
//   nongsan suitability layers [--format csv|json]
//   nongsan suitability layer-add NAME FILE --kind continuous|categorical [--unit U] [--codes JSON] ...
//   nongsan suitability parcels --crop C [--commune CODE] [--all-crops] [--format csv|json] [--out F]
//   nongsan suitability zones|units --crop C [--format csv|json] [--out F]
//   nongsan report zone-suitability --crop C [--min-share 0.3] --format csv|gpkg|json --out F
//   nongsan report candidate-land [--classes S1,S2] --format csv|gpkg|json --out F
// `suitability` and `report` may also be created by other command groups (the
// engine's `suitability evaluate`, the targets' reports): this file takes the
// existing subcommand when there is one, so it is registered last.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/json_input.hpp"
#include "modules/suitability/suitability_service.hpp"

namespace nongsan::cli {

namespace {

CLI::App* sub(CLI::App& parent, const std::string& name, const std::string& help) {
  for (auto* s : parent.get_subcommands([](CLI::App*) { return true; }))
    if (s->get_name() == name) return s;
  return parent.add_subcommand(name, help);
}

int write_text(const std::string& out, const std::string& text) {
  if (out.empty() || out == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream f(out, std::ios::binary);
  if (!f || !(f << text)) return report_error(Error::invalid("cannot write", {{"--out", out}}));
  std::cerr << "wrote " << out << "\n";
  return 0;
}

nlohmann::json table_json(const suitability::TableOut& t) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : t.rows) {
    nlohmann::json o;
    for (std::size_t i = 0; i < t.columns.size() && i < r.size(); ++i) o[t.columns[i]] = r[i];
    rows.push_back(o);
  }
  return rows;
}

// Writes a table as csv, json or (with geometries) gpkg. Columns ending in _ha or
// _share are written as numbers in the GeoPackage.
int write_table(const suitability::TableOut& t, const std::string& format, const std::string& out,
                const std::string& layer) {
  if (format == "csv") return write_text(out, suitability::to_csv(t));
  if (format == "json") return write_text(out, table_json(t).dump(2) + "\n");
  if (format == "gpkg") {
    if (out.empty()) return report_error(Error::invalid("where to?", {{"--out", "is required for gpkg"}}));
    if (auto st = suitability::write_gpkg(t, out, layer); !st) return report_error(st.error());
    std::cerr << "wrote " << t.rows.size() << " features to " << out << "\n";
    return 0;
  }
  return report_error(Error::invalid("bad format", {{"--format", "csv, json or gpkg"}}));
}

std::vector<int> parse_classes(const std::string& s, std::vector<FieldError>& errors) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "S1") out.push_back(1);
    else if (item == "S2") out.push_back(2);
    else if (item == "S3") out.push_back(3);
    else if (item == "N") out.push_back(4);
    else errors.push_back({"--classes", "'" + item + "' is not S1, S2, S3 or N"});
  }
  return out;
}

}  // namespace

void register_suitability_planning_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  // import profiles
  auto* import = sub(cli, "import", "Import data from files");
  auto* iprof = import->add_subcommand("profiles", "Crop suitability profiles: one JSON object or an array (all or nothing)");
  static std::string ip_file, ip_note;
  iprof->add_option("file", ip_file, "JSON file")->required()->check(CLI::ExistingFile);
  iprof->add_option("--note", ip_note, "Why (kept in the profile history)");
  actions.push_back([&g, iprof]() -> int {
    if (!*iprof) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    std::ifstream f(ip_file, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    // Read like any file from outside: depth limit, duplicate keys and numbers out of
    // range refused, errors by line and column (nothing is opened before it reads).
    auto doc = parse_json_input(ss.str(), ip_file);
    if (!doc) return report_error(doc.error());
    auto app = g.open(*c);
    auto r = app->suitability().profiles().import(cli_actor(), *doc, ip_note);
    if (!r) return report_error(r.error());
    for (const auto& p : (*r)["imported"])
      std::cout << p["crop"].get<std::string>() << " version " << p["version"]
                << (p["sourced"].get<bool>() ? "" : " (some factors without a source)") << "\n";
    return 0;
  });

  // export profiles
  auto* exp = sub(cli, "export", "Export data to files");
  auto* eprof = exp->add_subcommand("profiles", "Every stored crop profile as one JSON array");
  static std::string ep_out;
  eprof->add_option("--out", ep_out, "File to write (default: stdout)");
  actions.push_back([&g, eprof]() -> int {
    if (!*eprof) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    auto r = app->suitability().profiles().export_all(cli_actor());
    if (!r) return report_error(r.error());
    return write_text(ep_out, r->dump(1) + "\n");
  });

  auto* suit = sub(cli, "suitability", "Land suitability (FAO framework)");

  // suitability layers / layer-add
  auto* layers = suit->add_subcommand("layers", "The registered raster layers and whether their files can be read");
  actions.push_back([&g, layers]() -> int {
    if (!*layers) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    auto r = app->suitability().layers().list(cli_actor());
    if (!r) return report_error(r.error());
    // The command acts as the local administrator, who sees the folder and the paths.
    std::cout << "folder: " << r->value("folder", "") << "\n";
    for (const auto& l : (*r)["items"]) {
      std::cout << l["name"].get<std::string>() << "\t" << l["kind"].get<std::string>() << "\t"
                << l.value("path", "") << (l["illustrative"].get<bool>() ? "\t(minh họa)" : "");
      if (!l["file"]["ok"].get<bool>()) std::cout << "\tERROR: " << l["file"]["error"].get<std::string>();
      std::cout << "\n";
    }
    return 0;
  });
  auto* ladd = suit->add_subcommand("layer-add", "Register (or replace) a raster layer a profile factor reads");
  static suitability::LayerInput la;
  static std::string la_codes;
  static bool la_illustrative = false;
  ladd->add_option("name", la.name, "Factor layer name, e.g. elevation, slope, texture")->required();
  ladd->add_option("file", la.path, "GeoTIFF inside the raster folder (setting raster_dir): relative to it, or absolute")
      ->required();
  ladd->add_option("--kind", la.kind, "continuous or categorical")->required();
  ladd->add_option("--unit", la.unit, "Unit of the values");
  ladd->add_option("--description", la.description, "What the layer holds");
  ladd->add_option("--source", la.source, "Where the data comes from");
  ladd->add_option("--codes", la_codes, "Categorical: JSON object code -> label, e.g. '{\"3\":\"well\"}'");
  ladd->add_flag("--illustrative", la_illustrative, "The data is illustrative (not measured)");
  actions.push_back([&g, ladd]() -> int {
    if (!*ladd) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    if (!la_codes.empty()) {
      auto j = parse_json_input(la_codes, "--codes");
      if (!j) return report_error(j.error());
      if (!j->is_object()) return report_error(Error::invalid("bad codes", {{"--codes", "a JSON object code -> label"}}));
      for (const auto& [k, v] : j->items()) la.codes[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    if (la_illustrative) la.illustrative = true;
    auto app = g.open(*c);
    auto r = app->suitability().layers().add(cli_actor(), la);
    if (!r) return report_error(r.error());
    std::cout << "registered " << (*r)["name"].get<std::string>() << " -> " << r->value("path", "") << "\n";
    return 0;
  });

  // suitability parcels
  auto* parcels = suit->add_subcommand("parcels", "Evaluate the registry's parcels and zones for a crop and store the areas by class");
  static suitability::RunOptions ro;
  static std::string rp_format = "summary", rp_out;
  parcels->add_option("--crop", ro.crop, "Crop code of a stored profile");
  parcels->add_flag("--all-crops", ro.all_crops, "Every stored profile");
  parcels->add_option("--commune", ro.commune, "Only the parcels of this commune (code)");
  parcels->add_option("--format", rp_format, "summary (default), csv or json: the parcel rows")
      ->check(CLI::IsMember({"summary", "csv", "json"}));
  parcels->add_option("--out", rp_out, "File for csv/json (default: stdout)");
  actions.push_back([&g, parcels]() -> int {
    if (!*parcels) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->suitability().runs().run(cli_actor(), ro);
    if (!r) return report_error(r.error());
    for (const auto& run : (*r)["runs"]) {
      const auto& h = run["hectares"];
      std::cerr << run["crop"].get<std::string>() << ": " << run["parcels"] << " parcels, " << run["zones"]
                << " zones; parcel ha S1 " << h["S1"].get<double>() << ", S2 " << h["S2"].get<double>() << ", S3 "
                << h["S3"].get<double>() << ", N " << h["N"].get<double>() << ", nodata " << h["nodata"].get<double>()
                << " (" << run["seconds"] << " s)\n";
    }
    if (rp_format == "summary") return 0;
    auto t = app->suitability().reports().parcel_table(cli_actor(), ro.all_crops ? "" : ro.crop, ro.commune);
    if (!t) return report_error(t.error());
    return write_table(*t, rp_format, rp_out, "parcel_suitability");
  });

  // suitability zones / units
  for (const char* what : {"zones", "units"}) {
    auto* cmd = suit->add_subcommand(what, std::string(what) == "zones"
                                               ? "Hectares by class of each zone (from the last run)"
                                               : "Hectares by class per commune, district and province (from the parcels)");
    static std::map<std::string, std::pair<std::string, std::string>> opts;  // crop, format
    static std::map<std::string, std::string> outs;
    auto& o = opts[what];
    o.second = "csv";
    cmd->add_option("--crop", o.first, "Crop code")->required(std::string(what) == "units");
    cmd->add_option("--format", o.second, "csv or json")->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--out", outs[what], "File (default: stdout)");
    std::string name = what;
    actions.push_back([&g, cmd, name]() -> int {
      if (!*cmd) return -1;
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto app = g.open(*c, true);
      auto& o = opts[name];
      auto t = name == "zones" ? app->suitability().reports().zone_table(cli_actor(), o.first)
                               : app->suitability().reports().unit_table(cli_actor(), o.first);
      if (!t) return report_error(t.error());
      return write_table(*t, o.second, outs[name], name);
    });
  }

  // report zone-suitability / candidate-land
  auto* report = sub(cli, "report", "Reports");
  auto* zr = report->add_subcommand("zone-suitability",
                                    "Zones planned for a crop with more than a share of S3/N land, with the limiting factors");
  static std::string zr_crop, zr_format = "csv", zr_out;
  static double zr_share = 0.3;
  zr->add_option("--crop", zr_crop, "Crop code (default: every crop with results)");
  zr->add_option("--min-share", zr_share, "Share of S3+N in the evaluated area above which a zone is listed (0–1)");
  zr->add_option("--format", zr_format, "csv, gpkg or json")->check(CLI::IsMember({"csv", "gpkg", "json"}));
  zr->add_option("--out", zr_out, "File (default: stdout for csv/json)");
  actions.push_back([&g, zr]() -> int {
    if (!*zr) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    auto t = app->suitability().reports().zone_report(cli_actor(), zr_crop, zr_share);
    if (!t) return report_error(t.error());
    std::cerr << t->rows.size() << " zones with more than " << zr_share * 100 << " % S3/N land\n";
    return write_table(*t, zr_format, zr_out, "zone_suitability");
  });
  auto* cl = report->add_subcommand("candidate-land",
                                    "Idle land and inefficient rice land that is S1/S2 for another crop, with hectares per commune");
  static std::string cl_classes = "S1,S2", cl_format = "csv", cl_out;
  cl->add_option("--classes", cl_classes, "Classes that make a candidate (default S1,S2)");
  cl->add_option("--format", cl_format, "csv, gpkg or json")->check(CLI::IsMember({"csv", "gpkg", "json"}));
  cl->add_option("--out", cl_out, "File (csv/gpkg: the totals per commune and crop go to <name>-totals.csv)");
  actions.push_back([&g, cl]() -> int {
    if (!*cl) return -1;
    std::vector<FieldError> errors;
    auto classes = parse_classes(cl_classes, errors);
    if (!errors.empty()) return report_error(Error::invalid("bad option", errors));
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    auto r = app->suitability().reports().candidate_land(cli_actor(), classes);
    if (!r) return report_error(r.error());
    std::cerr << r->parcels.rows.size() << " candidate parcel-crop pairs in " << r->totals.rows.size()
              << " commune-crop totals\n";
    if (cl_format == "json")
      return write_text(cl_out, nlohmann::json{{"parcels", table_json(r->parcels)}, {"totals", table_json(r->totals)}}
                                        .dump(2) + "\n");
    if (int rc = write_table(r->parcels, cl_format, cl_out, "candidate_land"); rc) return rc;
    if (!cl_out.empty() && cl_out != "-") {
      std::filesystem::path p(cl_out);
      auto totals = p.parent_path() / (p.stem().string() + "-totals.csv");
      return write_text(totals.string(), suitability::to_csv(r->totals));
    }
    return write_text("", "\n" + suitability::to_csv(r->totals));
  });
}

}  // namespace nongsan::cli
