// `nongsan openapi`: the OpenAPI document of the routes this binary serves (the same
// as GET /api/openapi.json), or the route tables of docs/api.md written from it; with
// --update FILE, the tables between the markers of FILE are rewritten in place.
// No database.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/openapi.hpp"
#include "api/openapi_markdown.hpp"
#include "cli/commands.hpp"

namespace nongsan::cli {

void register_openapi_command(CLI::App& cli, GlobalOptions& /*g*/, Actions& actions) {
  auto* cmd = cli.add_subcommand("openapi", "Print the API's OpenAPI document, or the route tables of docs/api.md");
  static std::string format = "json", update;
  cmd->add_option("--format", format, "json (default) or markdown (the route tables)")
      ->check(CLI::IsMember({"json", "markdown"}));
  cmd->add_option("--update", update, "with --format markdown: rewrite the route tables of this file in place");
  actions.push_back([cmd]() -> int {
    if (!*cmd) return -1;
    const auto doc = api::openapi_document(api::all_routes());
    if (format == "json") {
      std::cout << doc.dump(2) << "\n";
      return 0;
    }
    if (update.empty()) {
      std::cout << api::markdown_route_tables(doc);
      return 0;
    }
    std::ifstream in(update, std::ios::binary);
    if (!in) return report_error(Error::invalid("cannot read the file", {{"--update", "cannot open " + update}}));
    std::stringstream text;
    text << in.rdbuf();
    auto out = api::update_route_tables(doc, text.str());
    if (!out) return report_error(out.error());
    if (*out == text.str()) {
      std::cout << update << ": the route tables are up to date\n";
      return 0;
    }
    std::ofstream(update, std::ios::binary | std::ios::trunc) << *out;
    std::cout << update << ": route tables rewritten\n";
    return 0;
  });
}

}  // namespace nongsan::cli
