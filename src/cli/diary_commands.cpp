// Diary commands: import pesticide-products|pesticide-status|pesticide-labels|diary,
// check diaries, lot status, lot clear. The files are read by geo::read_features (CSV
// and XLSX alike); the rules live in modules/diary (docs/diary.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "core/number_input.hpp"
#include "geo/vector_io.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/targets/review.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// The rows of a CSV or XLSX file (the shared reader of the imports), and the file's
// name with the SHA-256 of its bytes for the audit trail.
Result<std::pair<diary::ImportTable, std::string>> read_import(const std::string& path, const app::Config& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot be read"}});
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto options = import_read_options(config);
  if (!options) return options.error();
  auto fs = geo::read_features(path, *options);
  if (!fs) return fs.error();
  if (auto note = encoding_note(*fs); !note.empty()) std::cerr << path << ": " << note << "\n";
  diary::ImportTable t;
  t.headers = fs->field_names;
  for (const auto& f : fs->features) {
    diary::ImportRow row;
    row.line = static_cast<int>(f.number) + 1;  // the header is line 1
    for (const auto& [k, v] : f.attributes) row.cells[std::string(k)] = std::string(v);
    t.rows.push_back(std::move(row));
  }
  return std::make_pair(std::move(t), path + " (sha256 " + targets::sha256_hex(bytes.str()) + ")");
}

std::optional<CivilDate> date_option(const std::string& text, const char* name, std::optional<Error>& error) {
  if (text.empty()) return std::nullopt;
  auto d = CivilDate::parse(text);
  if (!d) error = Error::invalid("is not a date", {{name, "must be a date (YYYY-MM-DD)"}});
  return d;
}

std::string lot_text(const diary::LotStatus& s) {
  std::ostringstream o;
  o << "lot " << s.lot << ": " << (s.held ? "held" : "not held") << "\n";
  for (const auto& h : s.harvests)
    o << "  harvest " << h.code << " parcel " << h.parcel << " on " << h.date.iso() << " quantity_kg "
      << (h.quantity_kg ? format_number(*h.quantity_kg) : std::string("-")) << "\n";
  for (const auto& h : s.holds) {
    o << "  phi_not_passed " << h.finding.entry << " product " << h.finding.product << " (sprayed "
      << (h.finding.spray_date ? h.finding.spray_date->iso() : "") << ", interval " << h.finding.phi_days << " days)";
    if (h.clearance) o << " cleared by " << h.clearance->cleared_by << ": " << h.clearance->reason;
    o << "\n";
  }
  return o.str();
}

}  // namespace

void register_diary_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  struct ImportKind {
    const char* name;
    const char* help;
  };
  static const ImportKind kinds[] = {
      {"pesticide-products",
       "Plant-protection products from CSV/XLSX: product,name,active_ingredients,registered_from,registered_to "
       "(ingredients ;-separated; registered_to empty = still registered)"},
      {"pesticide-status", "Active-ingredient status from CSV/XLSX: active_ingredient,status,from[,source] "
                           "(status permitted or banned)"},
      {"pesticide-labels", "Pesticide labels from CSV/XLSX: product,crop,max_dose_per_ha,phi_days"},
      {"diary", "Farming-diary entries from CSV/XLSX: entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot"
                "[,amends,note] (kind spray, fertiliser, harvest or observation)"},
  };
  for (const auto& k : kinds) {
    auto* cmd = import.add_subcommand(k.name, std::string(k.help) + "; all or nothing");
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    const std::string name = k.name;
    actions.push_back([&g, cmd, file, name]() -> int {
      if (!*cmd) return -1;
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto table = read_import(*file, *c);
      if (!table) return report_error(table.error());
      auto app = g.open(*c);
      auto& d = app->diary();
      const auto& [t, source] = *table;
      auto r = name == "pesticide-products" ? d.import_products(cli_actor(), t, source)
               : name == "pesticide-status" ? d.import_statuses(cli_actor(), t, source)
               : name == "pesticide-labels" ? d.import_labels(cli_actor(), t, source)
                                            : d.import_diary(cli_actor(), t, source);
      if (!r) return report_error(r.error());
      std::cout << name << ": created " << r->created << ", updated " << r->updated << ", unchanged " << r->unchanged
                << "\n";
      return 0;
    });
  }

  // check diaries [--from D --to D] --format csv|json
  auto* check = cli.get_subcommand("check");
  auto* diaries = check->add_subcommand(
      "diaries", "Pesticide checks of the farming diaries (unregistered, banned, not_for_crop, over_dose, "
                 "phi_not_passed); exits 0 whatever it finds");
  static std::string cd_from, cd_to, cd_format = "csv", cd_out;
  diaries->add_option("--from", cd_from, "First date of the entries checked (YYYY-MM-DD)");
  diaries->add_option("--to", cd_to, "Last date of the entries checked (YYYY-MM-DD)");
  diaries->add_option("--format", cd_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  diaries->add_option("--out", cd_out, "Write to this file instead of standard output");
  actions.push_back([&g, diaries]() -> int {
    if (!*diaries) return -1;
    std::optional<Error> bad;
    auto from = date_option(cd_from, "--from", bad);
    auto to = date_option(cd_to, "--to", bad);
    if (bad) return report_error(*bad);
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->diary().findings(cli_actor(), from, to);
    if (!r) return report_error(r.error());
    std::string text;
    if (cd_format == "json") {
      json items = json::array();
      for (const auto& f : *r) items.push_back(diary::to_json(f));
      text = json{{"from", cd_from.empty() ? json(nullptr) : json(cd_from)},
                  {"to", cd_to.empty() ? json(nullptr) : json(cd_to)},
                  {"findings", items}}
                 .dump(2) +
             "\n";
    } else {
      text = "finding,entry,parcel,product,lot\n";
      for (const auto& f : *r)
        text += std::string(diary::to_string(f.kind)) + "," + csv_field(f.entry) + "," + csv_field(f.parcel) + "," +
                csv_field(f.product) + "," + csv_field(f.lot) + "\n";
    }
    std::cerr << r->size() << " findings\n";
    if (cd_out.empty()) {
      std::cout << text;
      return 0;
    }
    std::ofstream out(cd_out, std::ios::binary);
    if (!out) return report_error(Error::invalid("cannot write " + cd_out, {{"--out", "cannot be written"}}));
    out << text;
    return 0;
  });

  // lot status LOT [--format text|json]; lot clear LOT --reason R [--entry E --product P]
  auto* lot = cli.add_subcommand("lot", "Lots of the diary's harvests: status and holds");
  lot->require_subcommand(1);
  auto* status = lot->add_subcommand("status", "Whether a lot is held (a harvest too soon after a spray), and why");
  static std::string ls_lot, ls_format = "text";
  status->add_option("lot", ls_lot, "The lot code as written in the diary")->required();
  status->add_option("--format", ls_format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  actions.push_back([&g, status]() -> int {
    if (!*status) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->diary().lot_status(cli_actor(), ls_lot);
    if (!r) return report_error(r.error());
    std::cout << (ls_format == "json" ? diary::to_json(*r).dump(2) + "\n" : lot_text(*r));
    return 0;
  });
  auto* clear = lot->add_subcommand("clear", "Clear a lot's holds with a reason (audited)");
  static std::string lc_lot, lc_reason, lc_entry, lc_product;
  clear->add_option("lot", lc_lot, "The lot code")->required();
  clear->add_option("--reason", lc_reason, "Why the hold is cleared (e.g. a residue test below the limits)")->required();
  clear->add_option("--entry", lc_entry, "Only the holds of this harvest entry");
  clear->add_option("--product", lc_product, "Only the holds of this sprayed product");
  actions.push_back([&g, clear]() -> int {
    if (!*clear) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->diary().clear_hold(cli_actor(), lc_lot, lc_reason, lc_entry, lc_product);
    if (!r) return report_error(r.error());
    std::cout << lot_text(*r);
    return 0;
  });
}

}  // namespace nongsan::cli
