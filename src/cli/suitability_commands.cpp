// suitability evaluate | point | profiles: land suitability of a crop over raster layers,
// with no database (docs/suitability.md). The work is done in modules/suitability;
// this file reads options and the profile, shows progress on stderr and prints the
// summary (a table, or JSON with --json) on stdout.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/embedded_data.hpp"
#include "core/json_input.hpp"
#include "cli/commands.hpp"
#include "modules/suitability/raster_evaluation.hpp"

namespace nongsan::cli {

using nlohmann::json;

namespace {

Result<std::vector<suitability::CropProfile>> shipped_profiles() {
  auto text = app::embedded_file("crop-profiles.json");
  if (!text) return Error::internal("the shipped crop profiles are missing from this build");
  return suitability::parse_crop_profiles(json::parse(*text));
}

// The profile from --profile FILE (one object, or a list and --crop), or the shipped
// profile named by --crop.
Result<suitability::CropProfile> load_profile(const std::string& file, const std::string& crop) {
  Result<std::vector<suitability::CropProfile>> list = std::vector<suitability::CropProfile>{};
  std::string from;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error::invalid("cannot read profile '" + file + "'", {{"--profile", "no such file or not readable"}});
    std::stringstream ss;
    ss << in.rdbuf();
    // Read like any file from outside: depth limit, duplicate keys and numbers out of
    // range refused, errors by line and column.
    auto j = parse_json_input(ss.str(), file);
    if (!j) return j.error();
    list = suitability::parse_crop_profiles(*j);
    if (!list) {
      Error e = list.error();
      e.message = file + ": " + e.message;
      return e;
    }
    from = "'" + file + "'";
  } else {
    if (crop.empty())
      return Error::invalid("no profile given", {{"--profile", "give a profile file, or --crop NAME for a shipped one"}});
    list = shipped_profiles();
    if (!list) return list.error();
    from = "the shipped profiles";
  }
  if (!crop.empty()) {
    for (auto& p : *list)
      if (p.crop == crop) return std::move(p);
    std::string names;
    for (const auto& p : *list) names += (names.empty() ? "" : ", ") + p.crop;
    return Error::invalid("no crop '" + crop + "' in " + from, {{"--crop", "one of: " + names}});
  }
  if (list->size() != 1) {
    std::string names;
    for (const auto& p : *list) names += (names.empty() ? "" : ", ") + p.crop;
    return Error::invalid(from + " holds " + std::to_string(list->size()) + " profiles",
                          {{"--crop", "choose one of: " + names}});
  }
  return std::move(list->front());
}

// GDAL-style progress on stderr: 0...10...20... 100 - done.
class Progress {
 public:
  explicit Progress(bool on) : on_(on) {}
  void operator()(double f) {
    if (!on_) return;
    int step = static_cast<int>(std::floor(f * 40 + 1e-9));  // 2.5 % steps
    if (!started_) {
      started_ = true;
      std::fputc('0', stderr);
    }
    while (shown_ < step) {
      ++shown_;
      if (shown_ % 4 == 0)
        std::fprintf(stderr, "%d", shown_ * 10 / 4);
      else
        std::fputc('.', stderr);
    }
    if (step >= 40 && !finished_) {
      finished_ = true;
      std::fputs(" - done.\n", stderr);
    }
    std::fflush(stderr);
  }

 private:
  bool on_;
  int shown_ = 0;
  bool started_ = false;
  bool finished_ = false;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void print_summary(const suitability::CropProfile& p, const suitability::EvaluateSummary& s, bool as_json) {
  const std::uint64_t total = static_cast<std::uint64_t>(s.width) * static_cast<std::uint64_t>(s.height);
  const std::uint64_t valid = total - s.class_cells[0];
  auto ha = [&](std::uint64_t cells) -> std::optional<double> {
    if (!s.cell_area_m2) return std::nullopt;
    return static_cast<double>(cells) * *s.cell_area_m2 / 10000.0;
  };
  if (as_json) {
    json j;
    j["crop"] = p.crop;
    j["method"] = std::string(suitability::method_name(s.method));
    j["width"] = s.width;
    j["height"] = s.height;
    j["crs"] = s.crs;
    j["cell_area_m2"] = s.cell_area_m2 ? json(*s.cell_area_m2) : json(nullptr);
    j["sourced"] = p.sourced();
    json classes = json::array();
    const char* names[] = {"nodata", "S1", "S2", "S3", "N"};
    for (int c = 0; c < 5; ++c) {
      auto a = ha(s.class_cells[c]);
      classes.push_back({{"class", names[c]}, {"code", c}, {"cells", s.class_cells[c]},
                         {"ha", a ? json(*a) : json(nullptr)}});
    }
    j["classes"] = classes;
    if (!s.limiting_cells.empty()) {
      json lim = json::array();
      for (std::size_t i = 1; i < s.limiting_cells.size(); ++i)
        lim.push_back({{"position", i}, {"layer", p.factors[i - 1].layer}, {"cells", s.limiting_cells[i]}});
      j["limiting"] = lim;
    }
    j["notes"] = s.notes;
    j["seconds"] = s.seconds;
    std::cout << j.dump(1) << "\n";
    return;
  }
  std::cout << "crop " << p.crop << (p.name_vi.empty() ? "" : " (" + p.name_vi + ")") << ", method "
            << suitability::method_name(s.method) << ", " << s.width << " x " << s.height << " cells"
            << (s.crs.empty() ? "" : ", " + s.crs) << "\n";
  std::cout << "class        cells" << (s.cell_area_m2 ? "            ha" : "") << "   share\n";
  const char* names[] = {"nodata", "S1", "S2", "S3", "N"};
  for (int c : {1, 2, 3, 4, 0}) {
    char line[160];
    auto a = ha(s.class_cells[c]);
    std::string share = c == 0 || valid == 0 ? "" : fixed(100.0 * s.class_cells[c] / valid, 1) + " %";
    std::string area = a ? fixed(*a, 2) : "";
    std::snprintf(line, sizeof line, "%-6s %12llu%s%s   %s\n", names[c], static_cast<unsigned long long>(s.class_cells[c]),
                  a ? "  " : "", a ? (std::string(std::max<int>(0, 12 - static_cast<int>(area.size())), ' ') + area).c_str() : "",
                  share.c_str());
    std::cout << line;
  }
  if (!s.limiting_cells.empty()) {
    std::cout << "limiting factor (cells)\n";
    for (std::size_t i = 1; i < s.limiting_cells.size(); ++i)
      if (s.limiting_cells[i]) std::cout << "  " << i << " " << p.factors[i - 1].layer << ": " << s.limiting_cells[i] << "\n";
  }
  std::cout << "time " << fixed(s.seconds, 2) << " s\n";
}

}  // namespace

void register_suitability_commands(CLI::App& cli, GlobalOptions&, Actions& actions) {
  auto* suit = cli.add_subcommand("suitability", "Land suitability of crops over raster layers (no database)");
  suit->require_subcommand(1);

  // suitability evaluate
  auto* ev = suit->add_subcommand(
      "evaluate",
      "Evaluate a crop profile over raster layers; writes GeoTIFFs on the grid of the first --layer "
      "(class: 1=S1 2=S2 3=S3 4=N 0=nodata)");
  struct Opts {
    std::string profile, crop, out, limiting, index, method;
    std::vector<std::string> layers, co;
    int threads = 0;
    bool quiet = false, as_json = false;
  };
  static Opts o;
  ev->add_option("--profile", o.profile, "Crop profile JSON (one profile, or a list with --crop)");
  ev->add_option("--crop", o.crop, "The crop of a profile list, or of the shipped profiles when --profile is not given");
  ev->add_option("--layer", o.layers, "NAME=RASTER, one per factor layer (repeat); the first sets the output grid")
      ->required()
      ->take_all();
  ev->add_option("--out", o.out, "Class raster to write (GeoTIFF, Byte)")->required();
  ev->add_option("--limiting", o.limiting, "Limiting-factor raster (1-based factor position, 0 none)");
  ev->add_option("--index", o.index, "Index raster (Float32, NaN nodata; storie and square_root)");
  ev->add_option("--method", o.method, "limiting, storie or square_root (default: the profile's method)");
  ev->add_option("--threads", o.threads, "Worker threads (default: every core)");
  ev->add_option("--co", o.co, "GeoTIFF creation option KEY=VALUE (repeat), e.g. COMPRESS=ZSTD");
  ev->add_flag("--quiet,-q", o.quiet, "No progress on stderr");
  ev->add_flag("--json", o.as_json, "Print the summary as JSON");
  actions.push_back([ev]() -> int {
    if (!ev->parsed()) return -1;
    auto profile = load_profile(o.profile, o.crop);
    if (!profile) return report_error(profile.error());
    suitability::EvaluateRequest rq;
    rq.profile = std::move(*profile);
    if (!o.method.empty()) {
      auto m = suitability::parse_method(o.method);
      if (!m)
        return report_error(Error::invalid(
            "unknown method", {{"--method", "'" + o.method + "' is not one of limiting, storie, square_root"}}));
      rq.method = *m;
    }
    for (const auto& l : o.layers) {
      auto eq = l.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == l.size())
        return report_error(Error::invalid("bad layer", {{"--layer", "must be NAME=RASTER, not '" + l + "'"}}));
      rq.layers.push_back({l.substr(0, eq), l.substr(eq + 1)});
    }
    if (o.threads < 0) return report_error(Error::invalid("bad option", {{"--threads", "must be 1 or more"}}));
    rq.threads = o.threads;
    rq.class_path = o.out;
    rq.limiting_path = o.limiting;
    rq.index_path = o.index;
    rq.creation_options = o.co;
    auto progress = std::make_shared<Progress>(!o.quiet);
    rq.progress = [progress](double f) { (*progress)(f); };
    if (!rq.profile.sourced())
      std::cerr << "note: profile '" << rq.profile.crop << "' has factors without a source\n";
    auto sum = suitability::evaluate_rasters(rq);
    if (!sum) return report_error(sum.error());
    for (const auto& n : sum->notes) std::cerr << "note: " << n << "\n";
    print_summary(rq.profile, *sum, o.as_json);
    return 0;
  });

  // suitability point
  auto* pt = suit->add_subcommand("point", "Every factor's value, class and rating at one point (what the map shows on a "
                                           "click), as JSON");
  struct PointOpts {
    std::string profile, crop, method;
    std::vector<std::string> layers;
    double lon = 0, lat = 0;
  };
  static PointOpts po;
  pt->add_option("--profile", po.profile, "Crop profile JSON (one profile, or a list with --crop)");
  pt->add_option("--crop", po.crop, "The crop of a profile list, or of the shipped profiles");
  pt->add_option("--layer", po.layers, "NAME=RASTER, one per factor layer (repeat)")->required()->take_all();
  pt->add_option("--method", po.method, "limiting, storie or square_root (default: the profile's method)");
  pt->add_option("--lon", po.lon, "Longitude (WGS 84)")->required();
  pt->add_option("--lat", po.lat, "Latitude (WGS 84)")->required();
  actions.push_back([pt]() -> int {
    if (!pt->parsed()) return -1;
    auto profile = load_profile(po.profile, po.crop);
    if (!profile) return report_error(profile.error());
    std::optional<suitability::Method> method;
    if (!po.method.empty()) {
      method = suitability::parse_method(po.method);
      if (!method)
        return report_error(Error::invalid(
            "unknown method", {{"--method", "'" + po.method + "' is not one of limiting, storie, square_root"}}));
    }
    std::vector<suitability::LayerSource> layers;
    for (const auto& l : po.layers) {
      auto eq = l.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == l.size())
        return report_error(Error::invalid("bad layer", {{"--layer", "must be NAME=RASTER, not '" + l + "'"}}));
      layers.push_back({l.substr(0, eq), l.substr(eq + 1)});
    }
    auto r = suitability::evaluate_point(*profile, method, layers, po.lon, po.lat);
    if (!r) return report_error(r.error());
    auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
    const auto& e = r->result;
    json j;
    j["crop"] = profile->crop;
    j["method"] = std::string(suitability::method_name(method.value_or(profile->method)));
    j["lon"] = po.lon;
    j["lat"] = po.lat;
    j["class"] = std::string(suitability::class_name(e.cls));
    j["class_code"] = static_cast<int>(e.cls);
    j["limiting"] = e.limiting;
    j["limiting_layer"] = e.limiting > 0 ? json(profile->factors[e.limiting - 1].layer) : json(nullptr);
    j["index"] = num(e.index);
    json fs = json::array();
    for (std::size_t i = 0; i < profile->factors.size(); ++i)
      fs.push_back({{"layer", profile->factors[i].layer},
                    {"value", num(r->values[i])},
                    {"class", std::string(suitability::class_name(e.factors[i].cls))},
                    {"rating", num(e.factors[i].rating)},
                    {"advisory", e.factors[i].advisory}});
    j["factors"] = fs;
    std::cout << j.dump(1) << "\n";
    return 0;
  });

  // suitability profiles
  auto* pr = suit->add_subcommand("profiles", "Print the shipped crop profiles as JSON (to edit and import)");
  static std::string pr_crop;
  pr->add_option("--crop", pr_crop, "Only this crop");
  actions.push_back([pr]() -> int {
    if (!pr->parsed()) return -1;
    auto list = shipped_profiles();
    if (!list) return report_error(list.error());
    json out = json::array();
    for (const auto& p : *list)
      if (pr_crop.empty() || p.crop == pr_crop) out.push_back(suitability::to_json(p));
    if (out.empty()) return report_error(Error::invalid("no such crop", {{"--crop", pr_crop}}));
    std::cout << (pr_crop.empty() ? out : out[0]).dump(1) << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
