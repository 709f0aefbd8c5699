// Traceability commands: trace gtin set|list, trace resolver [--set URL], trace qr --gtin G
// --lot L --out F.svg|png. The rules live in modules/trace; docs/trace.md describes them.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "app/embedded_data.hpp"
#include "core/json_input.hpp"
#include "modules/trace/qr_code.hpp"
#include "modules/trace/trace_service.hpp"

namespace nongsan::cli {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The server's own address, the resolver when none is set (http://host:port).
std::string own_address(const app::Config& c) { return "http://" + c.host + ":" + std::to_string(c.port); }

}  // namespace

void register_trace_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* trace = cli.add_subcommand("trace", "GS1 Digital Link labels of harvested lots: GTINs, resolver, QR codes");
  trace->require_subcommand(1);

  auto* gtin = trace->add_subcommand("gtin", "The GTIN of each crop's product (names the product in the URI)");
  gtin->require_subcommand(1);
  auto* set = gtin->add_subcommand("set", "Add or change a GTIN (check digit verified)");
  static std::string s_gtin, s_crop, s_vi, s_en;
  static bool s_illustrative = false;
  set->add_option("--gtin", s_gtin, "GTIN-8, -12, -13 or -14")->required();
  set->add_option("--crop", s_crop, "Crop code (tea, macadamia …)")->required();
  set->add_option("--name-vi", s_vi, "Product name in Vietnamese")->required();
  set->add_option("--name-en", s_en, "Product name in English");
  set->add_flag("--illustrative", s_illustrative, "The GTIN is illustrative (not assigned by GS1 Vietnam)");
  actions.push_back([&g, set]() -> int {
    if (!*set) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->trace().set_gtin(cli_actor(), s_gtin, s_crop, s_vi, s_en, s_illustrative);
    if (!r) return report_error(r.error());
    std::cout << r->gtin << "\t" << r->crop << "\t" << r->name_vi << (r->illustrative ? "\t(illustrative)" : "")
              << "\n";
    return 0;
  });
  auto* imp = gtin->add_subcommand(
      "import", "Add or change every GTIN of a file {\"gtins\": [{crop, gtin, name_vi, …}]} (all or nothing); "
                "without FILE, the GTINs shipped with nongsan (data/trace/gtins.json, illustrative)");
  static std::string i_file;
  imp->add_option("FILE", i_file, "The GTIN file (JSON)");
  actions.push_back([&g, imp]() -> int {
    if (!*imp) return -1;
    auto read = [&]() -> Result<nlohmann::json> {
      if (i_file.empty())
        return parse_json_input(app::embedded_file("trace/gtins.json").value_or(""), "data/trace/gtins.json");
      std::ifstream in(i_file, std::ios::binary);
      if (!in) return Error::invalid("cannot read " + i_file, {{"FILE", "cannot be read"}});
      std::ostringstream ss;
      ss << in.rdbuf();
      return parse_json_input(ss.str(), i_file);
    };
    auto doc = read();
    if (!doc) return report_error(doc.error());
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->trace().import_gtins(cli_actor(), *doc);
    if (!r) return report_error(r.error());
    std::cout << "GTINs added or changed: " << *r << "\n";
    return 0;
  });
  auto* list = gtin->add_subcommand("list", "The GTIN table");
  actions.push_back([&g, list]() -> int {
    if (!*list) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->trace().gtins(cli_actor());
    if (!r) return report_error(r.error());
    for (const auto& e : *r)
      std::cout << e.gtin << "\t" << e.crop << "\t" << e.name_vi << "\t" << e.name_en
                << (e.illustrative ? "\t(illustrative)" : "") << "\n";
    return 0;
  });

  auto* resolver = trace->add_subcommand("resolver", "Show or set the Digital Link resolver base (https://host)");
  static std::string r_set;
  resolver->add_option("--set", r_set, "The new base, e.g. https://truyxuat.example.vn");
  actions.push_back([&g, resolver]() -> int {
    if (!*resolver) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    if (!r_set.empty()) {
      auto r = app->trace().set_resolver(cli_actor(), r_set);
      if (!r) return report_error(r.error());
    }
    auto r = app->trace().resolver(own_address(*c));
    if (!r) return report_error(r.error());
    std::cout << *r << "\n";
    return 0;
  });

  auto* qr = trace->add_subcommand(
      "qr", "The QR code of a lot's GS1 Digital Link URI (…/01/{gtin}/10/{lot}); refused for a held lot");
  static std::string q_gtin, q_lot, q_out;
  static int q_scale = 8;
  qr->add_option("--gtin", q_gtin, "The product's GTIN (in the GTIN table)")->required();
  qr->add_option("--lot", q_lot, "The lot code of a diary harvest")->required();
  qr->add_option("--out", q_out, "Output file, .svg or .png")->required();
  qr->add_option("--scale", q_scale, "Pixels per module of a PNG (2–40)")->check(CLI::Range(2, 40));
  actions.push_back([&g, qr]() -> int {
    if (!*qr) return -1;
    const bool svg = ends_with(q_out, ".svg"), png = ends_with(q_out, ".png");
    if (!svg && !png) return report_error(Error::invalid("bad output", {{"--out", "must end in .svg or .png"}}));
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto base = app->trace().resolver(own_address(*c));
    if (!base) return report_error(base.error());
    auto label = app->trace().label(cli_actor(), q_gtin, q_lot, *base);
    if (!label) return report_error(label.error());
    auto m = trace::encode_qr(label->uri);
    if (!m) return report_error(m.error());
    std::string bytes;
    if (svg) {
      bytes = trace::qr_svg(*m, 4, label->uri);
    } else {
      auto p = trace::qr_png(*m, q_scale);
      if (!p) return report_error(p.error());
      bytes = std::move(*p);
    }
    if (auto w = write_output_file(q_out, bytes); !w) return report_error(w.error());
    std::cout << label->uri << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
