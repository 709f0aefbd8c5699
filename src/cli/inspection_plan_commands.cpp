// Inspection planning commands: `inspection plan` (the year's sample of applicants by
// risk and at random, CSV or GeoPackage, optionally saved with its assignments),
// `inspection quality-sample` and `inspection quality` (registry quality, LPIS QA), and
// the imports `inspection-weights` and `quality-measurements`. The rules live in
// modules/inspection; this file only reads options and writes files.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/import_options.hpp"
#include "cli/output_file.hpp"
#include "geo/vector_io.hpp"
#include "modules/inspection/inspection_plan_service.hpp"

namespace nongsan::cli {

namespace {

std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string num(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A number without trailing zeros (weights and counts: 1, 0.5, 12).
std::string short_num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

int emit_text(const std::string& out, const std::string& text) {
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  if (auto s = write_output_file(out, text); !s) return report_error(s.error());
  return 0;
}

// "part:weight*value=points" for every part, ';'-separated: what the score is made of.
std::string parts_text(const std::vector<inspection::ScorePart>& parts) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ";") + p.part + ":" + short_num(p.weight) + "*" + short_num(p.value) + "=" +
           num(p.points);
  return out;
}

Result<std::string> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot be read"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

void register_inspection_plan_commands(CLI::App& cli, CLI::App& import, GlobalOptions& g, Actions& actions) {
  auto& group = inspection_group(cli);

  // inspection plan --year Y --share PCT --risk-share R --seed S --format csv|gpkg [--out F] [--save]
  auto* plan = group.add_subcommand(
      "plan", "The year's inspection plan: at least --share % of the applicants (rounded up), --risk-share of them by "
              "highest risk, the rest at random from --seed; CSV (standard output without --out) or GeoPackage with "
              "the claimed parcels; --save stores it and assigns inspectors");
  static int pl_year = 0;
  static double pl_share = 5, pl_risk = 0.5;
  static std::uint64_t pl_seed = 1;
  static std::string pl_format = "csv", pl_out;
  static bool pl_save = false;
  plan->add_option("--year", pl_year, "The year the applications were filed in")->required();
  plan->add_option("--share", pl_share, "Percent of the year's applicants, rounded up (default 5)");
  plan->add_option("--risk-share", pl_risk, "Fraction chosen by highest risk, 0 to 1 (default 0.5)");
  plan->add_option("--seed", pl_seed, "Seed of the random part (the same seed gives the same plan)");
  plan->add_option("--format", pl_format, "csv (default) or gpkg")->check(CLI::IsMember({"csv", "gpkg"}));
  plan->add_option("--out", pl_out, "Output file (required for gpkg)");
  plan->add_flag("--save", pl_save, "Store the plan with one inspection per entry, assigned to inspectors");
  actions.push_back([&g, plan]() -> int {
    if (!*plan) return -1;
    if (pl_format == "gpkg" && pl_out.empty())
      return report_error(Error::invalid("a GeoPackage needs a file", {{"--out", "is required for --format gpkg"}}));
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    inspection::PlanRequest req{pl_year, pl_share, pl_risk, pl_seed};
    auto p = app->inspection_plans().preview(cli_actor(), req);
    if (!p) return report_error(p.error());
    if (pl_save) {
      auto saved = app->inspection_plans().create(cli_actor(), req);
      if (!saved) return report_error(saved.error());
      std::cerr << "saved as plan " << (*saved)["code"].get<std::string>() << "\n";
    }
    std::cerr << p->entries.size() << " of " << p->population << " applicants of " << pl_year << " (seed " << pl_seed
              << ")\n";
    if (pl_format == "csv") {
      std::string text = "applicant,reason,score,parts,commune,inspector\n";
      for (const auto& e : p->entries)
        text += cell(e.applicant) + "," + e.reason + "," + num(e.score) + "," + cell(parts_text(e.parts)) + "," +
                cell(e.commune) + "," + cell(e.inspector) + "\n";
      return emit_text(pl_out, text);
    }
    std::vector<geo::Feature> features;
    std::int64_t n = 0;
    for (const auto& pp : p->parcels) {
      geo::Feature f;
      f.number = ++n;
      f.attributes = {{"applicant", pp.applicant}, {"reason", pp.reason}, {"score", num(pp.score)}, {"parcel", pp.parcel}};
      f.geometry = pp.geometry;
      features.push_back(std::move(f));
    }
    auto s = geo::write_features(pl_out, geo::VectorFormat::gpkg, "inspection_plan_parcels",
                                 {{"applicant", geo::FieldType::string}, {"reason", geo::FieldType::string},
                                  {"score", geo::FieldType::real}, {"parcel", geo::FieldType::string}},
                                 features);
    if (!s) return report_error(s.error());
    std::cerr << features.size() << " parcels written to " << pl_out << "\n";
    return 0;
  });

  // inspection quality-sample --year Y --size N --seed S
  auto* qs = group.add_subcommand("quality-sample",
                                  "Draw the year's registry-quality sample: --size parcels at random from --seed");
  static int qs_year = 0, qs_size = 0;
  static std::uint64_t qs_seed = 1;
  qs->add_option("--year", qs_year, "The year of the assessment")->required();
  qs->add_option("--size", qs_size, "Number of parcels")->required();
  qs->add_option("--seed", qs_seed, "Seed of the draw");
  actions.push_back([&g, qs]() -> int {
    if (!*qs) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->inspection_plans().quality_sample(cli_actor(), qs_year, qs_size, qs_seed);
    if (!r) return report_error(r.error());
    std::cout << "sampled " << (*r)["sampled"] << " of " << (*r)["population"] << " parcels for " << qs_year << "\n";
    return 0;
  });

  // inspection quality --year Y --format csv|json [--out F]
  auto* q = group.add_subcommand("quality", "Registry quality of a year: measured, share within tolerance, area "
                                            "bias and its 95 % confidence interval");
  static int q_year = 0;
  static std::string q_format = "csv", q_out;
  q->add_option("--year", q_year, "The year of the assessment")->required();
  q->add_option("--format", q_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  q->add_option("--out", q_out, "Write to this file instead of standard output");
  actions.push_back([&g, q]() -> int {
    if (!*q) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->inspection_plans().quality(cli_actor(), q_year);
    if (!r) return report_error(r.error());
    if (q_format == "json") return emit_text(q_out, r->dump(2) + "\n");
    auto v = [&](const char* k) { return (*r)[k].is_null() ? std::string() : num((*r)[k].get<double>(), 4); };
    std::string text = "year,sampled,measured,within,share_within,mean_bias_m2,bias_pct,ci_low_m2,ci_high_m2\n";
    text += std::to_string(q_year) + "," + std::to_string((*r)["sampled"].get<std::size_t>()) + "," +
            std::to_string((*r)["measured"].get<std::size_t>()) + "," +
            std::to_string((*r)["within"].get<std::size_t>()) + "," + v("share_within") + "," + v("mean_bias_m2") +
            "," + v("bias_pct") + "," + v("ci_low_m2") + "," + v("ci_high_m2") + "\n";
    return emit_text(q_out, text);
  });

  // import inspection-weights FILE | import quality-measurements FILE
  for (const char* kind : {"inspection-weights", "quality-measurements"}) {
    const bool weights = std::string(kind) == "inspection-weights";
    auto* cmd = import.add_subcommand(
        kind, weights ? "Risk weights of inspection planning from CSV/XLSX: subject_kind,part,weight"
                      : "Field measurements of the registry-quality sample: parcel,measured_on,measured_area_m2");
    auto file = std::make_shared<std::string>();
    cmd->add_option("file", *file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
    add_encoding_option(*cmd);
    actions.push_back([&g, cmd, file, weights, kind]() -> int {
      if (!*cmd) return -1;
      auto bytes = read_bytes(*file);
      if (!bytes) return report_error(bytes.error());
      auto c = g.resolve();
      if (!c) return report_error(c.error());
      auto table = read_import_table(*file, *c);
      if (!table) return report_error(table.error());
      auto app = g.open(*c);
      auto source = import_source(*file, *bytes);
      auto r = weights ? app->inspection_plans().import_weights(cli_actor(), *table, source)
                       : app->inspection_plans().import_measurements(cli_actor(), *table, source);
      if (!r) return report_error(r.error());
      std::cout << kind << ": " << (weights ? (*r)["saved"] : (*r)["recorded"]) << " rows\n";
      return 0;
    });
  }
}

}  // namespace nongsan::cli
