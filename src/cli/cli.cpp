// The command line. Every command opens the database named by --db (or
// NONGSAN_DB, or the config file), migrating it first, and acts with local
// administrator authority, audited as cli:<OS user>. Output meant for machines
// goes to stdout; progress and messages to stderr.
#include "cli/cli.hpp"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "core/messages.hpp"

namespace nongsan::cli {

namespace {
// The language of error messages: --lang, else NONGSAN_LANG, else the locale
// (LC_ALL, LC_MESSAGES, LANG: "en_US.UTF-8" is English), else Vietnamese.
Language g_language = Language::vi;

Language language_from_environment(const std::string& flag) {
  if (auto l = parse_language(flag)) return *l;
  for (const char* var : {"NONGSAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v && *v)
      if (auto l = parse_language(v)) return *l;
  return Language::vi;
}

std::string error_prefix() { return g_language == Language::vi ? "lỗi: " : "error: "; }
}  // namespace

std::string os_user() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return "uid" + std::to_string(geteuid());
}

int report_error(const Error& english) {
  Error e = translate_error(english, g_language);
  std::cerr << error_prefix() << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  return exit_code(e.code);
}

int run(int argc, char** argv) {
  CLI::App cli{"nongsan — concentrated commodity agriculture programme information system"};
  cli.require_subcommand(1);
  cli.fallthrough();  // --db and friends may follow the subcommand
  cli.set_help_all_flag("--help-all", "Show the help of every command");
  GlobalOptions g;
  cli.add_option("--db", g.db, "Database: a .gpkg file (created if absent) or a postgresql:// URL [env NONGSAN_DB]");
  cli.add_option("--db-replica", g.db_replica,
                 "A postgresql:// URL of a streaming replica of --db for read transactions [env NONGSAN_DB_REPLICA]");
  cli.add_option("--config", g.config, "Configuration file (key = value lines) [env NONGSAN_CONFIG]");
  cli.add_option("--log-level", g.log_level, "trace, debug, info, warn, error");
  std::string lang;
  cli.add_option("--lang", lang, "Language of messages: vi (default) or en [env NONGSAN_LANG, else the locale]")
      ->check(CLI::IsMember({"vi", "en"}));

  std::vector<std::function<int()>> actions;
  register_server_commands(cli, g, actions);
  register_data_commands(cli, g, actions);
  register_user_commands(cli, g, actions);
  register_openapi_command(cli, g, actions);
  register_report_render(report_group(cli), g, actions);
  register_suitability_commands(cli, g, actions);
  register_suitability_planning_commands(cli, g, actions);  // last: it joins `suitability` and `report`
  register_epcis_commands(cli, g, actions);
  register_trace_commands(cli, g, actions);
  register_inspection_commands(cli, g, actions);
  register_conclusions_commands(cli, g, actions);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  g_language = language_from_environment(lang);
  try {
    for (auto& a : actions)
      if (int rc = a(); rc >= 0) return rc;
  } catch (const storage::DbError& e) {
    std::cerr << error_prefix() << translate_message("database: " + std::string(e.what()), g_language) << "\n";
    return exit_code(ErrorCode::storage);
  } catch (const std::exception& e) {
    std::cerr << error_prefix() << translate_message(e.what(), g_language) << "\n";
    return exit_code(ErrorCode::internal);
  }
  return 0;
}

Result<app::Config> GlobalOptions::resolve() const {
  auto c = app::load_config(config);
  if (!c) return c.error();
  if (!db.empty()) c->db = db;
  if (!db_replica.empty())
    if (auto s = app::set_value(*c, "db_replica", db_replica); !s) return s.error();
  if (!log_level.empty())
    if (auto s = app::set_value(*c, "log_level", log_level); !s) return s.error();
  // Logs go to stderr so that stdout carries only the command's output.
  static const bool once = [] {
    spdlog::set_default_logger(spdlog::stderr_color_mt("nongsan"));
    return true;
  }();
  (void)once;
  spdlog::set_level(spdlog::level::from_str(c->log_level));
  return c;
}

std::unique_ptr<app::App> GlobalOptions::open(const app::Config& c, bool quiet) const {
  storage::MigrationReport report;
  auto a = app::App::open(c, &report);
  if (!quiet) {
    if (!report.backup_path.empty()) std::cerr << "backup before migration: " << report.backup_path << "\n";
    for (const auto& m : report.applied) std::cerr << "migrated: " << m << "\n";
  }
  return a;
}

}  // namespace nongsan::cli
