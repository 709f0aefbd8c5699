// Registry commands: import parcels|producers|zones|plantings|rights, export
// parcels, check parcels. The work is done in modules/registry; this file reads
// options and files, and prints: results on stdout (for `check`, nothing but the
// CSV or JSON), progress, notes and warnings on stderr.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "core/text.hpp"
#include "geo/layer_crs.hpp"
#include "geo/vector_io.hpp"
#include "modules/registry/crs_guess.hpp"
#include "modules/registry/parcel_check.hpp"
#include "modules/registry/registry_import.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

// At most this many warning lines of one kind; the rest are counted.
constexpr std::size_t kMaxListed = 100;

// Reads a file for an import. `crs` is "auto" (the file's CRS, repaired or guessed
// by registry::guess_crs) or an EPSG code ("9205" or "EPSG:9205").
Result<geo::FeatureSet> read_for_import(const app::Config& config, const std::string& file, const std::string& layer,
                                        const std::string& crs) {
  auto base = import_read_options(config);
  if (!base) return base.error();
  geo::ReadOptions ro = *base;
  if (!layer.empty()) ro.layer = layer;
  if (crs.empty() || crs == "auto") {
    auto facts = geo::inspect_layer_crs(file, ro.layer);
    if (!facts) return facts.error();
    auto choice = registry::guess_crs(*facts, file);
    if (!choice) return choice.error();
    if (!choice->note.empty()) std::cerr << "note: " << choice->note << "\n";
    ro.source_epsg = choice->epsg;
  } else {
    std::string_view code(crs);
    if (code.size() > 5 && (code.substr(0, 5) == "EPSG:" || code.substr(0, 5) == "epsg:")) code.remove_prefix(5);
    int epsg = 0;
    auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), epsg);
    if (ec != std::errc() || end != code.data() + code.size() || epsg <= 0)
      return Error::invalid("bad option",
                            {{"--crs", "must be 'auto' or an EPSG code such as 9205, not '" + crs + "'"}});
    ro.source_epsg = epsg;
  }
  auto fs = geo::read_features(file, ro);
  if (!fs) return fs.error();
  std::cerr << "read " << fs->features.size() << " features from layer '" << fs->layer_name << "'"
            << (fs->source_crs.empty() ? "" : " (" + fs->source_crs + ")") << "\n";
  if (auto note = encoding_note(*fs); !note.empty()) std::cerr << "note: " << note << "\n";
  return fs;
}

// Progress lines on stderr, every 5 %, for files long enough to need them.
std::function<void(std::string_view, std::size_t, std::size_t)> progress_printer(const std::string& what) {
  return [what](std::string_view stage, std::size_t done, std::size_t total) {
    if (total < 2000) return;
    const std::size_t pct = done * 100 / total;
    if (pct % 5 != 0) return;
    std::cerr << what << ": " << stage << " " << pct << "% (" << done << "/" << total << ")\n";
  };
}

std::optional<CivilDate> parse_date_option(const std::string& text, const char* option, int& rc) {
  if (text.empty()) return std::nullopt;
  auto d = CivilDate::parse(text);
  if (!d) rc = report_error(Error::invalid("bad option", {{option, "is not a date (YYYY-MM-DD or dd/mm/yyyy)"}}));
  return d;
}

int report_import_error(const Error& e, bool skip_invalid) {
  int rc = report_error(e);
  if (e.code == ErrorCode::invalid_input && !e.fields.empty() && !skip_invalid &&
      e.message.find("nothing was stored") != std::string::npos)
    std::cerr << "(with --skip-invalid the features without problems are stored and these are skipped)\n";
  return rc;
}

void print_report(const registry::ImportReport& r, bool dry_run, const char* what) {
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  for (std::size_t i = 0; i < r.skipped_problems.size() && i < kMaxListed; ++i)
    std::cerr << "skipped: " << r.skipped_problems[i].field << ": " << r.skipped_problems[i].message << "\n";
  if (r.skipped_problems.size() > kMaxListed)
    std::cerr << "skipped: … and " << (r.skipped_problems.size() - kMaxListed) << " more problems\n";
  std::cout << (dry_run ? "dry run (nothing stored): " : "") << what << ": created " << r.created << ", updated "
            << r.updated << ", unchanged " << r.unchanged << ", skipped " << r.skipped;
  if (r.links_added) std::cout << ", memberships added " << r.links_added;
}

struct TableImport {
  std::string file, layer, crs = "auto", as_of;
  bool skip_invalid = false, dry_run = false;
};

using TableImporter = Result<registry::ImportReport> (*)(storage::Database&, admin::AdminService&,
                                                         const identity::Actor&, const geo::FeatureSet&,
                                                         const registry::ImportOptions&);

// import producers|zones|plantings|rights: the same options and the same course.
void add_table_import(CLI::App& import, GlobalOptions& g, Actions& actions, const char* name, const char* help,
                      bool spatial, TableImporter importer) {
  auto* cmd = import.add_subcommand(name, help);
  static std::map<std::string, TableImport> options;  // static, like the other commands' options
  TableImport* o = &options[name];
  cmd->add_option("file", o->file, "File to read")->required()->check(CLI::ExistingFile);
  cmd->add_option("--layer", o->layer, "Layer name (files with several layers)");
  if (spatial)
    cmd->add_option("--crs", o->crs, "EPSG code of the coordinates, or 'auto' (default): the file's own CRS");
  cmd->add_option("--as-of", o->as_of, "Import date: codes are matched on it, new records start on it (default today)");
  cmd->add_flag("--skip-invalid", o->skip_invalid, "Store the rows without problems and skip the others");
  cmd->add_flag("--dry-run", o->dry_run, "Check and report; store nothing");
  add_encoding_option(*cmd);
  actions.push_back([&g, cmd, o, name, importer]() -> int {
    if (!*cmd) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    int rc = 0;
    auto as_of = parse_date_option(o->as_of, "--as-of", rc);
    if (rc) return rc;
    auto fs = read_for_import(*c, o->file, o->layer, o->crs);
    if (!fs) return report_error(fs.error());
    auto app = g.open(*c);
    registry::ImportOptions opts;
    opts.as_of = as_of;
    opts.skip_invalid = o->skip_invalid;
    opts.dry_run = o->dry_run;
    opts.source = std::filesystem::path(o->file).filename().string();
    opts.progress = progress_printer(name);
    opts.rules = app->registry().settings().rules;
    auto r = importer(app->db(), app->admin(), cli_actor(), *fs, opts);
    if (!r) return report_import_error(r.error(), o->skip_invalid);
    print_report(*r, o->dry_run, name);
    std::cout << "\n";
    return 0;
  });
}

struct ParcelImportArgs {
  std::string file, layer, id_field = "id", commune_field, crs = "auto", as_of;
  bool skip_invalid = false, dry_run = false;
};

struct ParcelExportArgs {
  std::string format = "gpkg", out, commune, state, land_use, crop, holder, as_of;
};

std::string number_text(const json& v) {
  if (!v.is_number()) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
  return buf;
}

int export_parcels(GlobalOptions& g, const ParcelExportArgs& a) {
  auto c = g.resolve();
  if (!c) return report_error(c.error());
  int rc = 0;
  auto as_of = parse_date_option(a.as_of, "--as-of", rc);
  if (rc) return rc;
  const CivilDate on = as_of.value_or(CivilDate::today());
  auto app = g.open(*c, true);
  auto graph = app->admin().graph();

  registry::ParcelFilter f;
  f.as_of = as_of;
  f.page_size = 0;
  f.land_use_code = a.land_use;
  f.crop = a.crop;
  std::vector<FieldError> problems;
  if (!a.commune.empty()) {
    const auto* u = graph->find_by_code(a.commune, on);
    if (!u) problems.push_back({"--commune", "no unit with code '" + a.commune + "' on " + on.vi()});
    else f.commune = u->id;
  }
  if (!a.state.empty()) {
    f.state = registry::parse_parcel_state(a.state);
    if (!f.state) problems.push_back({"--state", "must be in_use, idle or inefficient_rice"});
  }
  if (!a.holder.empty()) {
    auto p = app->db().read([&](storage::Connection& conn) {
      return registry::RegistryRepository::find_producer_by_external_id(conn, a.holder);
    });
    if (!p) problems.push_back({"--holder", "no producer with external id '" + a.holder + "'"});
    else f.holder = p->id;
  }
  if (!problems.empty()) return report_error(Error::invalid("bad option", problems));

  // The registry service applies the filters exactly as the UI does; the boundaries
  // and the holders' external ids come from the repository in one pass each.
  auto page = app->registry().parcels().list(cli_actor(), f);
  if (!page) return report_error(page.error());
  std::map<std::int64_t, storage::Geometry> geoms;
  std::map<std::int64_t, std::string> producer_ids;
  app->db().read([&](storage::Connection& conn) {
    registry::ParcelQuery q;
    q.page_size = 0;
    q.with_geometry = true;
    if (as_of) q.valid_on = as_of;
    for (auto& p : registry::RegistryRepository::list_parcels(conn, q, nullptr))
      if (p.geom) geoms.emplace(p.id.value, std::move(*p.geom));
    for (const auto& item : page->items) {
      const json& h = item["holder"];
      if (!h.is_object()) continue;
      const std::int64_t pid = h["producer_id"].get<std::int64_t>();
      if (producer_ids.count(pid)) continue;
      auto p = registry::RegistryRepository::find_producer(conn, ProducerId(pid));
      producer_ids[pid] = p ? p->external_id : "";
    }
  });

  std::vector<geo::Feature> features;
  features.reserve(page->items.size());
  std::int64_t n = 0;
  for (const auto& item : page->items) {
    geo::Feature ft;
    ft.number = ++n;
    const json& commune = item["commune"];
    std::string crops;
    for (const auto& crop : item["crops"]) crops += (crops.empty() ? "" : ";") + crop.get<std::string>();
    const json& h = item["holder"];
    ft.attributes = {{"external_id", item["external_id"].get<std::string>()},
                     {"sheet_no", item["sheet_no"].get<std::string>()},
                     {"parcel_no", item["parcel_no"].get<std::string>()},
                     {"commune_code", commune.is_object() ? commune["code"].get<std::string>() : ""},
                     {"commune_name", commune.is_object() ? commune["name"].get<std::string>() : ""},
                     {"land_use_code", item["land_use_code"].get<std::string>()},
                     {"state", item["state"].get<std::string>()},
                     {"official_area_m2", number_text(item["official_area_m2"])},
                     {"area_m2", number_text(item["area_m2"])},
                     {"crop", crops},
                     {"holder", h.is_object() ? producer_ids[h["producer_id"].get<std::int64_t>()] : ""}};
    if (auto it = geoms.find(item["id"].get<std::int64_t>()); it != geoms.end()) ft.geometry = it->second;
    features.push_back(std::move(ft));
  }
  using FT = geo::FieldType;
  const std::vector<geo::FieldSpec> fields = {
      {"external_id", FT::string},  {"sheet_no", FT::string},       {"parcel_no", FT::string},
      {"commune_code", FT::string}, {"commune_name", FT::string},   {"land_use_code", FT::string},
      {"state", FT::string},        {"official_area_m2", FT::real}, {"area_m2", FT::real},
      {"crop", FT::string},         {"holder", FT::string}};
  auto s = geo::write_features(a.out, *geo::parse_vector_format(a.format), "parcel", fields, features);
  if (!s) return report_error(s.error());
  std::cerr << "wrote " << features.size() << " parcels to " << a.out << "\n";
  return 0;
}

struct CheckArgs {
  std::string what = "all", format = "csv";
  double min_overlap_m2 = 1.0;
  bool no_store = false;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string fixed3(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// Areas in JSON: metres², to the millimetre² the CSV shows.
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

int check_parcels(GlobalOptions& g, const CheckArgs& a) {
  auto c = g.resolve();
  if (!c) return report_error(c.error());
  using registry::CheckKind;
  registry::ParcelCheckOptions o;
  if (a.what == "overlaps") o.kinds = {CheckKind::overlap};
  else if (a.what == "outside") o.kinds = {CheckKind::outside};
  else if (a.what == "invalid") o.kinds = {CheckKind::invalid};
  else if (a.what == "slivers") o.kinds = {CheckKind::sliver};
  else o.kinds = {CheckKind::overlap, CheckKind::outside, CheckKind::invalid, CheckKind::sliver};
  o.min_overlap_m2 = a.min_overlap_m2;
  o.store = !a.no_store;
  o.progress = [last = std::size_t(-1)](std::size_t done, std::size_t total) mutable {
    if (total < 2000) return;
    const std::size_t pct = done * 100 / total;
    if (pct % 5 != 0 || pct == last) return;
    last = pct;
    std::cerr << "overlaps: " << pct << "% (" << done << "/" << total << ")\n";
  };
  auto app = g.open(*c, true);
  o.boundary_tolerance_m = app->registry().settings().rules.boundary_tolerance_m;
  auto r = registry::check_parcels(app->db(), app->admin(), cli_actor(), o);
  if (!r) return report_error(r.error());
  for (const auto& w : r->warnings) std::cerr << "warning: " << w << "\n";
  std::cerr << "checked " << r->parcels << " parcels: " << r->overlaps.size() << " overlapping pairs, "
            << r->outside.size() << " outside their commune, " << r->invalid.size() << " invalid, " << r->slivers.size()
            << " slivers" << (o.store ? "; findings stored" : "") << "\n";
  const bool all = o.kinds.size() > 1;
  if (a.format == "json") {
    json out = {{"checked_at", r->checked_at}, {"parcels", r->parcels}};
    if (all || a.what == "overlaps") {
      out["overlaps"] = json::array();
      for (const auto& p : r->overlaps)
        out["overlaps"].push_back({{"parcel_a", p.a}, {"parcel_b", p.b}, {"overlap_m2", round3(p.overlap_m2)}});
    }
    if (all || a.what == "outside") {
      out["outside"] = json::array();
      for (const auto& f : r->outside)
        out["outside"].push_back({{"parcel", f.parcel},
                                  {"commune_code", f.commune_code.empty() ? json(nullptr) : json(f.commune_code)},
                                  {"outside_m2", round3(f.outside_m2)}});
    }
    if (all || a.what == "invalid") {
      out["invalid"] = json::array();
      for (const auto& f : r->invalid) out["invalid"].push_back({{"parcel", f.id}, {"reason", f.reason}});
    }
    if (all || a.what == "slivers") {
      out["slivers"] = json::array();
      for (const auto& f : r->slivers)
        out["slivers"].push_back({{"parcel", f.id}, {"area_m2", round3(f.area_m2)}, {"thinness", round3(f.thinness)}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (all) {
    std::cout << "kind,parcel_a,parcel_b,value,message\n";
    for (const auto& p : r->overlaps)
      std::cout << "overlap," << csv_field(p.a) << "," << csv_field(p.b) << "," << fixed3(p.overlap_m2) << ",\n";
    for (const auto& f : r->outside)
      std::cout << "outside," << csv_field(f.parcel) << ",," << fixed3(f.outside_m2) << ","
                << (f.commune_code.empty() ? "in no commune" : csv_field("outside commune " + f.commune_code)) << "\n";
    for (const auto& f : r->invalid) std::cout << "invalid," << csv_field(f.id) << ",,," << csv_field(f.reason) << "\n";
    for (const auto& f : r->slivers)
      std::cout << "sliver," << csv_field(f.id) << ",," << fixed3(f.area_m2) << ",thinness " << fixed3(f.thinness)
                << "\n";
  } else if (a.what == "overlaps") {
    std::cout << "parcel_a,parcel_b,overlap_m2\n";
    for (const auto& p : r->overlaps)
      std::cout << csv_field(p.a) << "," << csv_field(p.b) << "," << fixed3(p.overlap_m2) << "\n";
  } else if (a.what == "outside") {
    std::cout << "parcel,commune_code,outside_m2\n";
    for (const auto& f : r->outside)
      std::cout << csv_field(f.parcel) << "," << csv_field(f.commune_code) << "," << fixed3(f.outside_m2) << "\n";
  } else if (a.what == "invalid") {
    std::cout << "parcel,reason\n";
    for (const auto& f : r->invalid) std::cout << csv_field(f.id) << "," << csv_field(f.reason) << "\n";
  } else {
    std::cout << "parcel,area_m2,thinness\n";
    for (const auto& f : r->slivers)
      std::cout << csv_field(f.id) << "," << fixed3(f.area_m2) << "," << fixed3(f.thinness) << "\n";
  }
  return 0;
}

}  // namespace

void register_registry_commands(CLI::App& cli, CLI::App& import, CLI::App& exp, GlobalOptions& g, Actions& actions) {
  // import parcels
  auto* parcels = import.add_subcommand(
      "parcels",
      "Land parcels from a cadastral map: Shapefile, GeoPackage, GeoJSON, KML, MicroStation DGN v7, CSV/XLSX with "
      "WKT or lon/lat columns");
  static ParcelImportArgs pa;
  parcels->add_option("file", pa.file, "File to read")->required()->check(CLI::ExistingFile);
  parcels->add_option("--layer", pa.layer, "Layer name (files with several layers)");
  parcels->add_option("--id-field", pa.id_field,
                      "Column holding the parcel's id, kept as its external id (default id)");
  parcels->add_option("--commune-field", pa.commune_field,
                      "Column holding the commune code; without it each parcel goes to the commune it lies in");
  parcels->add_option("--crs", pa.crs,
                      "EPSG code of the coordinates (e.g. 9205 for VN-2000 / TM-3 103-00), or 'auto' (default): the "
                      "file's CRS, a loosely named VN-2000 .prj mapped to its EPSG code");
  parcels->add_option("--as-of", pa.as_of,
                      "Import date: commune codes are matched on it, new parcels start on it, a "
                      "changed boundary takes effect on it (default today)");
  parcels->add_flag("--skip-invalid", pa.skip_invalid, "Store the parcels without problems and skip the others");
  parcels->add_flag("--dry-run", pa.dry_run, "Check and report; store nothing");
  add_encoding_option(*parcels);
  actions.push_back([&g, parcels]() -> int {
    if (!*parcels) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    int rc = 0;
    auto as_of = parse_date_option(pa.as_of, "--as-of", rc);
    if (rc) return rc;
    auto fs = read_for_import(*c, pa.file, pa.layer, pa.crs);
    if (!fs) return report_error(fs.error());
    auto app = g.open(*c);
    registry::ParcelImportOptions opts;
    opts.as_of = as_of;
    opts.skip_invalid = pa.skip_invalid;
    opts.dry_run = pa.dry_run;
    opts.source = std::filesystem::path(pa.file).filename().string();
    opts.progress = progress_printer("parcels");
    opts.id_field = pa.id_field;
    opts.commune_field = pa.commune_field;
    opts.rules = app->registry().settings().rules;
    auto r = registry::import_parcels(app->db(), app->admin(), cli_actor(), *fs, opts);
    if (!r) return report_import_error(r.error(), pa.skip_invalid);
    if (r->ids_from_labels)
      std::cerr << "note: the file has no '" << pa.id_field
                << "' column; each shape took its id from the text element inside it (DGN)\n";
    for (std::size_t i = 0; i < r->unassigned.size() && i < kMaxListed; ++i)
      std::cerr << "warning: feature " << r->unassigned[i].feature_number << " (parcel " << r->unassigned[i].external_id
                << ") lies in no commune; stored without one\n";
    if (r->unassigned.size() > kMaxListed)
      std::cerr << "warning: … and " << (r->unassigned.size() - kMaxListed) << " more parcels in no commune\n";
    print_report(*r, pa.dry_run, "parcels");
    std::cout << ", boundaries changed " << r->geometry_changed << ", without commune " << r->unassigned.size() << "\n";
    return 0;
  });

  add_table_import(import, g, actions, "producers",
                   "Producers from CSV/XLSX: external_id, kind, name, commune_code, members_count, ethnicity, "
                   "citizen_id, tax_code, phone, address, organisation",
                   false, &registry::import_producers);
  add_table_import(import, g, actions, "zones",
                   "Production zones: code, name, commodity, unit_code, planned_area_ha, decision, period_from, "
                   "period_to, status, and a polygon",
                   true, &registry::import_zones);
  add_table_import(import, g, actions, "plantings",
                   "Plantings from CSV/XLSX: parcel, crop, variety, perennial, season, planted_year, start_date, "
                   "end_date, planted_area_m2",
                   false, &registry::import_plantings);
  add_table_import(import, g, actions, "rights",
                   "Land rights from CSV/XLSX: parcel, producer, kind (owner, lessee, contributed), valid_from, "
                   "valid_to, document",
                   false, &registry::import_rights);

  // export parcels
  auto* eparcels = exp.add_subcommand("parcels", "Current parcels with commune, crop and holder");
  static ParcelExportArgs ea;
  eparcels->add_option("--format", ea.format, "gpkg, geojson, shp, csv or xlsx")
      ->check(CLI::IsMember({"gpkg", "geojson", "shp", "csv", "xlsx"}));
  eparcels->add_option("--out", ea.out, "Output file")->required();
  eparcels->add_option("--commune", ea.commune, "Only the parcels of this commune (code)");
  eparcels->add_option("--state", ea.state, "in_use, idle or inefficient_rice");
  eparcels->add_option("--land-use", ea.land_use, "Land-use code (LUC, CLN, ...)");
  eparcels->add_option("--crop", ea.crop, "Only parcels with an active planting of this crop");
  eparcels->add_option("--holder", ea.holder, "Only parcels controlled by this producer (external id)");
  eparcels->add_option("--as-of", ea.as_of, "Crops, holders and parcels on this date (default today)");
  actions.push_back([&g, eparcels]() -> int {
    if (!*eparcels) return -1;
    return export_parcels(g, ea);
  });

  // check parcels
  auto* check = cli.add_subcommand("check", "Check the registry's data");
  check->require_subcommand(1);
  auto* cparcels = check->add_subcommand(
      "parcels",
      "Topology of the current parcels: overlapping pairs, parcels outside their commune, invalid "
      "boundaries, slivers. Results on stdout; the findings are stored for the map");
  static CheckArgs ca;
  cparcels->add_option("--what", ca.what, "overlaps, outside, invalid, slivers or all (default)")
      ->check(CLI::IsMember({"overlaps", "outside", "invalid", "slivers", "all"}));
  cparcels
      ->add_option("--min-overlap-m2", ca.min_overlap_m2,
                   "Report overlaps larger than this many m² (default 1), measured in EPSG:9205")
      ->check(CLI::NonNegativeNumber);
  cparcels->add_option("--format", ca.format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  cparcels->add_flag("--no-store", ca.no_store, "Do not replace the stored findings");
  actions.push_back([&g, cparcels]() -> int {
    if (!*cparcels) return -1;
    return check_parcels(g, ca);
  });
}

}  // namespace nongsan::cli
