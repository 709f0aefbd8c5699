// serve, migrate, demo, backup, restore, version, config.
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "app/demo/demo.hpp"
#include "cli/commands.hpp"
#include "modules/audit/audit_log.hpp"

namespace nongsan::cli {

namespace {
std::string stamp() {
  std::string s = utc_now_iso();
  std::erase(s, ':');
  return s;
}
}  // namespace

void register_server_commands(CLI::App& cli, GlobalOptions& g, Actions& actions) {
  // serve
  auto* serve = cli.add_subcommand("serve", "Serve the web UI and the API");
  static std::string host;
  static int port = -1;
  static std::string web_root;
  static int threads = -1;
  serve->add_option("--host", host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--port", port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  serve->add_option("--web-root", web_root, "Serve the UI from this folder (development)");
  serve->add_option("--threads", threads, "I/O threads (default: one per core)");
  actions.push_back([&g, serve]() -> int {
    if (!*serve) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    if (!host.empty()) c->host = host;
    if (port >= 0) c->port = port;
    if (!web_root.empty()) c->web_root = web_root;
    if (threads >= 0) c->threads = threads;
    auto app = g.open(*c);
    // Jobs a previous server process left unfinished are recorded as interrupted.
    if (auto n = app->jobs().recover_interrupted(); n > 0)
      std::cerr << "note: " << n << " background job(s) left unfinished by the last run are marked interrupted\n";
    api::Api api(app->services());
    api::HttpServerOptions o;
    o.host = c->host;
    o.port = static_cast<unsigned short>(c->port);
    o.threads = c->threads;
    o.pool_threads = c->pool_threads;
    // A field device's sync may carry photos of up to 8 MiB each (docs/inspection.md); a
    // contract's signed document up to the setting document_max_mb, at most 40 MB, as
    // base64 (docs/chains.md "Signed documents").
    o.large_bodies = {{"/api/field/sync", std::size_t{64} * 1024 * 1024},
                      {"/api/v1/chains/contracts/{id}/documents", std::size_t{64} * 1024 * 1024}};
    api::HttpServer server(
        o, [&api](api::Request& r) { return api.handle(r); }, [&api](api::Request& r) { return api.handle_inline(r); });
    unsigned short bound = 0;
    try {
      bound = server.start();
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 69;  // EX_UNAVAILABLE
    }
    std::cout << "nongsan serving " << app->db().describe() << " on http://" << c->host << ":" << bound << "/"
              << std::endl;
    server.run_until_signal();
    std::cerr << "stopped\n";
    return 0;
  });

  // migrate
  auto* migrate = cli.add_subcommand("migrate", "Create or upgrade the database schema (a backup is taken first)");
  actions.push_back([&g, migrate]() -> int {
    if (!*migrate) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    storage::MigrationReport report;
    {
      auto db = storage::open_database(c->db);
      report = storage::Migrator(*db, c->effective_backup_dir()).migrate();
    }
    if (!report.backup_path.empty()) std::cout << "backup: " << report.backup_path << "\n";
    for (const auto& m : report.applied) std::cout << "applied: " << m << "\n";
    std::cout << "schema version " << report.from_version << " -> " << report.to_version << "\n";
    return 0;
  });

  // demo
  auto* demo = cli.add_subcommand("demo", "Add the Lai Châu demo data (idempotent; illustrative parts are labelled)");
  static bool demo_force = false;
  demo->add_flag("--force", demo_force, "Add demo accounts even to a database that has other users");
  actions.push_back([&g, demo]() -> int {
    if (!*demo) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    // The demo accounts have published passwords: never slip them into a real database.
    auto others = app->db().read([](storage::Connection& conn) {
      return conn.scalar_i64("SELECT count(*) FROM app_user WHERE username NOT IN ('admin', 'province.officer', "
                             "'tamduong.officer', 'binhlu.officer', 'doanket.officer', 'coop.user', 'inspector')");
    });
    if (others > 0 && !demo_force) {
      std::cerr << "error: this database has " << others
                << " accounts of its own; the demo adds accounts with published passwords. "
                   "Use a separate database, or add --force.\n";
      return 77;
    }
    std::cerr << "building the demo data (units, boundaries, users, figures)...\n";
    auto r = app::run_demo(*app, cli_actor());
    std::cout << "demo database: " << app->db().describe() << "\n"
              << "  units created: " << r.units_created << ", users created: " << r.users_created
              << ", figures created: " << r.figures_created << "\n";
    for (const auto& n : r.notes) std::cout << "  note: " << n << "\n";
    std::cout << "demo logins (username / password — role — unit):\n";
    for (const auto& l : r.logins)
      std::cout << "  " << l.username << " / " << l.password << " — " << l.role << " — " << l.unit << "  (" << l.note
                << ")\n";
    return 0;
  });

  // backup
  auto* backup = cli.add_subcommand("backup", "Take a consistent copy of the database (safe while the server runs)");
  static std::string backup_out;
  backup->add_option("--out", backup_out, "File to write (default: <backup_dir>/nongsan-<time>.gpkg|.dump)");
  actions.push_back([&g, backup]() -> int {
    if (!*backup) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto app = g.open(*c);
    std::string out = backup_out;
    if (out.empty()) {
      std::filesystem::create_directories(c->effective_backup_dir());
      out = (std::filesystem::path(c->effective_backup_dir()) /
             ("nongsan-" + stamp() + (app->db().backend() == storage::Backend::sqlite ? ".gpkg" : ".dump")))
                .string();
    }
    auto r = app->db().backup(out);
    app->db().write([&](storage::Connection& conn) {
      audit::record(conn, cli_actor(), "backup", "database", "", std::nullopt, std::nullopt,
                    nlohmann::json{{"path", r.path}, {"bytes", r.bytes}});
    });
    std::cout << r.path << " (" << r.bytes << " bytes)\n";
    return 0;
  });

  // restore
  auto* restore = cli.add_subcommand("restore", "Replace the database with a backup (the current state is backed up first)");
  static std::string restore_file;
  static bool restore_yes = false;
  restore->add_option("file", restore_file, "Backup made by `nongsan backup`")->required()->check(CLI::ExistingFile);
  restore->add_flag("--yes", restore_yes, "Confirm: the current data is replaced");
  actions.push_back([&g, restore]() -> int {
    if (!*restore) return -1;
    if (!restore_yes) {
      std::cerr << "error: restore replaces every record in the database; add --yes to confirm\n";
      return 64;
    }
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    auto db = storage::open_database(c->db);
    std::filesystem::create_directories(c->effective_backup_dir());
    auto safety = db->backup((std::filesystem::path(c->effective_backup_dir()) /
                              ("pre-restore-" + stamp() + (db->backend() == storage::Backend::sqlite ? ".gpkg" : ".dump")))
                                 .string());
    std::cerr << "current state saved to " << safety.path << "\n";
    db->restore(restore_file);
    // A backup from an older version is brought up to date.
    auto report = storage::Migrator(*db, c->effective_backup_dir()).migrate();
    db->write([&](storage::Connection& conn) {
      audit::record(conn, cli_actor(), "restore", "database", "", std::nullopt, std::nullopt,
                    nlohmann::json{{"from", restore_file}, {"saved_previous_state", safety.path}});
    });
    std::cout << "restored " << restore_file << " (schema version " << report.to_version << ")\n";
    return 0;
  });

  // version
  auto* version = cli.add_subcommand("version", "Print the version");
  actions.push_back([version]() -> int {
    if (!*version) return -1;
    std::cout << "nongsan " << NONGSAN_VERSION << " (schema "
              << storage::embedded_migrations(storage::Backend::sqlite).back().version << ")\n";
    return 0;
  });

  // config
  auto* config = cli.add_subcommand("config", "Print the effective configuration and every setting");
  actions.push_back([&g, config]() -> int {
    if (!*config) return -1;
    auto c = g.resolve();
    if (!c) return report_error(c.error());
    std::cout << "db = " << (storage::is_postgres_url(c->db) ? "postgresql://… (hidden)" : c->db) << "\n"
              << "host = " << c->host << "\nport = " << c->port << "\nweb_root = " << c->web_root
              << "\nbackup_dir = " << c->effective_backup_dir() << "\nlog_level = " << c->log_level
              << "\nsecure_cookies = " << (c->secure_cookies ? "true" : "false") << "\nthreads = " << c->threads
              << "\npool_threads = " << c->pool_threads;
    std::string proxies;
    for (const auto& p : c->trusted_proxies) proxies += (proxies.empty() ? "" : ", ") + p;
    std::cout << "\ntrusted_proxies = " << proxies << "\nlogin_free_failures = " << c->login_free_failures
              << "\nlogin_client_free_failures = " << c->login_client_free_failures
              << "\nlogin_delay_s = " << c->login_delay_s << "\nlogin_max_delay_s = " << c->login_max_delay_s
              << "\nlogin_window_s = " << c->login_window_s
              << "\n\nsettings (file key, environment variable, default):\n";
    for (const auto& s : app::settings())
      std::cout << "  " << s.key << "  " << s.env << "  [" << s.default_value << "]  " << s.description << "\n";
    return 0;
  });
}

}  // namespace nongsan::cli
