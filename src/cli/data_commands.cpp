// import and export.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/admin/unit_import.hpp"
#include "core/text.hpp"
#include "modules/identity/credentials.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') out.push_back(trim(cur)), cur.clear();
    else if (c != '\r') cur += c;
  }
  out.push_back(trim(cur));
  return out;
}
}  // namespace

void register_data_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* import = cli.add_subcommand("import", "Import data from files");
  import->require_subcommand(1);

  // import units
  auto* units = import->add_subcommand("units", "Administrative units and their boundaries (GeoPackage, GeoJSON, "
                                                "Shapefile, KML, CSV/XLSX with WKT or lon/lat)");
  static std::string units_file, units_layer, units_as_of;
  static int units_crs = 0;
  static bool units_dry = false;
  units->add_option("file", units_file, "File to read")->required()->check(CLI::ExistingFile);
  units->add_option("--layer", units_layer, "Layer name (files with several layers)");
  units->add_option("--crs", units_crs, "EPSG code of the coordinates; overrides the file's own CRS, needed when it has none (e.g. 9205 for "
                                         "VN-2000 / TM-3 103-00, 4326 for WGS 84)");
  units->add_option("--as-of", units_as_of, "Date used to match codes in rows without valid_from (default today)");
  units->add_flag("--dry-run", units_dry, "Check and report; store nothing");
  add_encoding_option(*units);
  actions.push_back([&g, units]() -> int {
    if (!*units) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    std::optional<CivilDate> as_of;
    if (!units_as_of.empty()) {
      as_of = CivilDate::parse(units_as_of);
      if (!as_of) return report_error(Error::invalid("bad option", {{"--as-of", "is not a date"}}));
    }
    auto base = import_read_options(*c);
    if (!base) return report_error(base.error());
    geo::ReadOptions ro = *base;
    if (!units_layer.empty()) ro.layer = units_layer;
    if (units_crs) ro.source_epsg = units_crs;
    auto fs = geo::read_features(units_file, ro);
    if (!fs) return report_error(fs.error());
    std::cerr << "read " << fs->features.size() << " features from layer '" << fs->layer_name << "'"
              << (fs->source_crs.empty() ? "" : " (" + fs->source_crs + ")") << "\n";
    if (auto note = encoding_note(*fs); !note.empty()) std::cerr << "note: " << note << "\n";
    auto app = g.open(*c);
    admin::UnitImportOptions uo;
    uo.as_of = as_of;
    uo.dry_run = units_dry;
    uo.dates = {c->date_min, c->date_max};
    uo.max_area_km2 = c->unit_max_area_km2;
    uo.extent_margin_m = c->unit_extent_margin_m;
    auto r = admin::import_units(app->db(), app->admin(), cli_actor(), *fs, uo);
    if (!r) return report_error(r.error());
    std::cout << (units_dry ? "dry run: would create " : "created ") << r->created << ", updated " << r->updated
              << ", unchanged " << r->unchanged << ", successor links " << r->successions << "\n";
    return 0;
  });

  // import users
  auto* users = import->add_subcommand("users", "User accounts from CSV: username,display_name,role,unit_code"
                                                "[,organisation,email,phone]; prints each temporary password");
  static std::string users_file;
  users->add_option("file", users_file, "CSV file (header row)")->required()->check(CLI::ExistingFile);
  add_encoding_option(*users);
  actions.push_back([&g, users]() -> int {
    if (!*users) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    // The same text handling as the other imports: size limit, legacy encodings, UTF-8.
    auto read_options = import_read_options(*c);
    if (!read_options) return report_error(read_options.error());
    std::ifstream file_in(users_file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file_in)), std::istreambuf_iterator<char>());
    if (bytes.size() > read_options->limits.max_file_bytes)
      return report_error(Error::invalid(users_file + " is larger than the import.max_file_mb setting allows"));
    auto text = read_options->encoding ? decode_text(bytes, *read_options->encoding, users_file)
                                       : detect_and_decode(bytes, users_file);
    if (!text) return report_error(text.error());
    auto app = g.open(*c);
    std::istringstream in(text->text);
    std::string line;
    std::getline(in, line);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    auto header = split_csv(line);
    auto col = [&](const std::string& name) -> int {
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
      return -1;
    };
    std::vector<FieldError> errors;
    for (const char* required : {"username", "display_name", "role"})
      if (col(required) < 0) errors.push_back({std::string("line 1, column ") + required, "is missing from the header"});
    if (!errors.empty()) return report_error(Error::invalid("bad header", errors));
    auto g2 = app->admin().graph();
    std::vector<std::pair<int, identity::NewUser>> rows;
    int n = 1;
    while (std::getline(in, line)) {
      ++n;
      if (trim(line).empty()) continue;
      auto f = split_csv(line);
      auto get = [&](const char* name) {
        int i = col(name);
        return i >= 0 && i < static_cast<int>(f.size()) ? f[static_cast<std::size_t>(i)] : std::string();
      };
      identity::NewUser u;
      u.username = get("username");
      u.display_name = get("display_name");
      auto role = identity::parse_role(get("role"));
      if (!role) errors.push_back({"line " + std::to_string(n) + ", column role", "unknown role '" + get("role") + "'"});
      else u.role = *role;
      if (std::string unit = get("unit_code"); !unit.empty()) {
        const auto* au = g2->find_by_code(unit, CivilDate::today());
        if (!au) errors.push_back({"line " + std::to_string(n) + ", column unit_code", "no unit '" + unit + "' valid today"});
        else u.unit = au->id;
      }
      u.organisation = get("organisation");
      u.email = get("email");
      u.phone = get("phone");
      u.password = identity::temporary_password();
      u.must_change_password = true;
      rows.emplace_back(n, u);
    }
    if (!errors.empty()) return report_error(Error::invalid("the file has problems; nothing was stored", errors));
    // Validate every row before creating any: a file with errors stores nothing.
    for (auto& [line_no, u] : rows) {
      auto count = std::count_if(rows.begin(), rows.end(), [&](const auto& r) { return r.second.username == u.username; });
      if (count > 1) errors.push_back({"line " + std::to_string(line_no) + ", column username", "appears more than once"});
      if (app->db().read([&](storage::Connection& conn) {
            return conn.scalar_i64("SELECT count(*) FROM app_user WHERE username = ?", {u.username}) > 0;
          }))
        errors.push_back({"line " + std::to_string(line_no) + ", column username", "'" + u.username + "' already exists"});
    }
    if (!errors.empty()) return report_error(Error::invalid("the file has problems; nothing was stored", errors));
    std::cout << "username,temporary_password\n";
    std::vector<std::string> created;
    for (auto& [line_no, u] : rows) {
      auto r = app->identity().create_user(cli_actor(), u);
      if (!r) {
        auto e = r.error();
        for (auto& f : e.fields) f.field = "line " + std::to_string(line_no) + ", column " + f.field;
        std::cerr << "stopped at line " << line_no << "; created before it: " << created.size() << "\n";
        return report_error(e);
      }
      created.push_back(u.username);
      std::cout << csv_field(u.username) << "," << u.password << "\n";
    }
    std::cerr << "created " << created.size() << " users; each must change the temporary password at first login\n";
    return 0;
  });

  auto* exp = cli.add_subcommand("export", "Export data to files");
  exp->require_subcommand(1);
  register_registry_commands(cli, *import, *exp, g, actions);
  register_target_commands(cli, *import, g, actions);
  register_support_commands(cli, *import, g, actions);
  register_diary_commands(cli, *import, g, actions);
  register_areacode_commands(cli, *import, g, actions);
  register_chain_commands(cli, *import, g, actions);
  register_ocop_commands(cli, *import, g, actions);
  register_inspection_plan_commands(cli, *import, g, actions);

  // export units
  auto* eunits = exp->add_subcommand("units", "Administrative units with their boundaries");
  static std::string eu_format = "geojson", eu_out, eu_as_of, eu_level;
  static bool eu_all = false;
  eunits->add_option("--format", eu_format, "gpkg, geojson, shp, csv or xlsx")
      ->check(CLI::IsMember({"gpkg", "geojson", "shp", "csv", "xlsx"}));
  eunits->add_option("--out", eu_out, "Output file")->required();
  eunits->add_option("--as-of", eu_as_of, "Units valid on this date (default today)");
  eunits->add_option("--level", eu_level, "province, district or commune")
      ->check(CLI::IsMember({"province", "district", "commune"}));
  eunits->add_flag("--all", eu_all, "Every unit of every period, with validity dates");
  actions.push_back([&g, eunits]() -> int {
    if (!*eunits) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    CivilDate as_of = CivilDate::today();
    if (!eu_as_of.empty()) {
      auto d = CivilDate::parse(eu_as_of);
      if (!d) return report_error(Error::invalid("bad option", {{"--as-of", "is not a date"}}));
      as_of = *d;
    }
    auto app = g.open(*c, true);
    auto graph = app->admin().graph();
    std::vector<UnitId> ids;
    for (const auto& u : graph->units())
      if ((eu_all || u.valid_on(as_of)) && (eu_level.empty() || admin::to_string(u.level) == eu_level)) ids.push_back(u.id);
    auto geoms = app->db().read([&](storage::Connection& conn) { return admin::AdminRepository::geometries(conn, ids); });
    std::vector<geo::Feature> features;
    std::int64_t n = 0;
    for (UnitId id : ids) {
      const auto* u = graph->find(id);
      geo::Feature f;
      f.number = ++n;
      CivilDate when = u->valid_on(as_of) ? as_of : (u->valid_to ? *u->valid_to : u->valid_from);
      auto parent = graph->parent_on(id, when);
      f.attributes = {{"code", u->code},
                      {"name", u->name},
                      {"level", std::string(admin::to_string(u->level))},
                      {"kind", u->kind},
                      {"valid_from", u->valid_from.iso()},
                      {"valid_to", u->valid_to ? u->valid_to->iso() : ""},
                      {"parent_code", parent ? graph->find(*parent)->code : ""},
                      {"area_ha", u->area_m2 ? std::to_string(*u->area_m2 / 10000.0) : ""},
                      {"geom_source", std::string(admin::to_string(u->geom_source))}};
      if (auto it = geoms.find(id); it != geoms.end()) f.geometry = it->second;
      features.push_back(std::move(f));
    }
    using FT = geo::FieldType;
    std::vector<geo::FieldSpec> fields = {{"code", FT::string},        {"name", FT::string},       {"level", FT::string},
                                          {"kind", FT::string},        {"valid_from", FT::date},   {"valid_to", FT::date},
                                          {"parent_code", FT::string}, {"area_ha", FT::real},      {"geom_source", FT::string}};
    auto s = geo::write_features(eu_out, *geo::parse_vector_format(eu_format), "admin_unit", fields, features);
    if (!s) return report_error(s.error());
    std::cerr << "wrote " << features.size() << " units to " << eu_out << "\n";
    return 0;
  });

  // export users
  auto* eusers = exp->add_subcommand("users", "User accounts (personal data masked)");
  static std::string us_format = "csv", us_out;
  eusers->add_option("--format", us_format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  eusers->add_option("--out", us_out, "Output file (default stdout)");
  actions.push_back([&g, eusers]() -> int {
    if (!*eusers) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c, true);
    identity::UserFilter f;
    f.page_size = 1000000;
    auto r = app->identity().list_users(cli_actor(), f);
    if (!r) return report_error(r.error());
    std::ofstream file;
    if (!us_out.empty()) file.open(us_out);
    std::ostream& out = us_out.empty() ? std::cout : file;
    if (us_format == "json") {
      out << json(r->first).dump(2) << "\n";
    } else {
      out << "username,display_name,role,unit_code,unit_name,organisation,email,phone,citizen_id,active\n";
      for (const auto& u : r->first)
        out << csv_field(u["username"]) << "," << csv_field(u["display_name"]) << "," << u["role"].get<std::string>()
            << "," << (u["unit"].is_null() ? "" : csv_field(u["unit"]["code"])) << ","
            << (u["unit"].is_null() ? "" : csv_field(u["unit"]["name"])) << "," << csv_field(u["organisation"]) << ","
            << csv_field(u["email"]) << "," << csv_field(u["phone"]) << "," << csv_field(u["citizen_id"]) << ","
            << (u["active"].get<bool>() ? "true" : "false") << "\n";
    }
    return 0;
  });
}

}  // namespace nongsan::cli
