// report conclusions: drafts the committee's conclusions (THÔNG BÁO) of a programme from
// the data on a date, stores the draft and writes it as DOCX, PDF or HTML;
// report conclusions-register: registers a draft's final text in the register of
// issued reports. The same ConclusionsService as the API.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output_file.hpp"

namespace nongsan::cli {

void register_conclusions_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  auto* report = &report_group(cli);
  auto* draft = report->add_subcommand("conclusions", "Draft the committee's conclusions (THÔNG BÁO) of a programme from the data");
  static std::string programme, as_of, format = "pdf", out;
  draft->add_option("--programme", programme, "Programme code")->required();
  draft->add_option("--as-of", as_of, "Date of the figures, YYYY-MM-DD or dd/mm/yyyy (default today)");
  draft->add_option("--format", format, "docx, pdf (default) or html");
  draft->add_option("--out", out, "File to write")->required();
  actions.push_back([&g, draft]() -> int {
    if (!*draft) return -1;
    if (format != "docx" && format != "pdf" && format != "html")
      return report_error(Error::invalid("unknown format", {{"--format", "must be docx, pdf or html"}}));
    std::optional<CivilDate> date;
    if (!as_of.empty()) {
      date = CivilDate::parse(as_of);
      if (!date) return report_error(Error::invalid("bad date", {{"--as-of", "must be YYYY-MM-DD or dd/mm/yyyy"}}));
    }
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto created = app->conclusions().create_draft(cli_actor(), programme, date);
    if (!created) return report_error(created.error());
    const std::int64_t id = (*created)["id"].get<std::int64_t>();
    auto file = app->conclusions().render(cli_actor(), id, format);
    if (!file) return report_error(file.error());
    if (auto st = write_output_file(out, file->file.bytes); !st) return report_error(st.error());
    std::cerr << "draft " << id << " stored (" << (*created)["as_of"].get<std::string>() << ", data "
              << (*created)["data_hash"].get<std::string>().substr(0, 12) << "); written to " << out << "\n";
    return 0;
  });

  auto* reg = report->add_subcommand("conclusions-register",
                                     "Register a conclusions draft's final text in the register of issued reports");
  static std::int64_t reg_id = 0;
  static std::string reg_format = "pdf", reg_out;
  reg->add_option("id", reg_id, "Id of the draft (printed by report conclusions)")->required();
  reg->add_option("--format", reg_format, "docx, pdf (default) or html");
  reg->add_option("--out", reg_out, "File to write")->required();
  actions.push_back([&g, reg]() -> int {
    if (!*reg) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->conclusions().register_draft(cli_actor(), reg_id, reg_format, [](const conclusions::RenderedDraft& d) {
      return write_output_file(reg_out, d.file.bytes);
    });
    if (!r) return report_error(r.error());
    std::cerr << "registered as report " << r->draft["issue_id"] << "; written to " << reg_out << "\n";
    return 0;
  });

  auto* ver = report->add_subcommand(
      "conclusions-verify", "Recompute a registered conclusions report's data hash on today's data: exit 0 unchanged, 1 changed");
  static std::int64_t ver_id = 0;
  ver->add_option("id", ver_id, "Id in the register (report list)")->required();
  actions.push_back([&g, ver]() -> int {
    if (!*ver) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    auto r = app->conclusions().verify_issue(cli_actor(), ver_id);
    if (!r) return report_error(r.error());
    const bool changed = (*r)["data_changed"].get<bool>();
    std::cout << (changed ? "changed" : "unchanged") << ": issued " << (*r)["data_hash_then"].get<std::string>() << ", now "
              << (*r)["data_hash_now"].get<std::string>() << "\n";
    return changed ? 1 : 0;
  });
}

}  // namespace nongsan::cli
