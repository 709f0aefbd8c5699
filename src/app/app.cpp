#include "app/app.hpp"

namespace nongsan::app {

std::unique_ptr<App> App::open(const Config& config, storage::MigrationReport* report) {
  auto app = std::make_unique<App>();
  app->config_ = config;
  app->db_ = storage::open_database(config.db);
  storage::Migrator migrator(*app->db_, config.effective_backup_dir());
  auto r = migrator.migrate();
  if (report) *report = r;
  app->schema_version_ = r.to_version;
  app->admin_ = std::make_unique<admin::AdminService>(*app->db_);
  app->figures_ = std::make_unique<figures::FigureService>(*app->db_, *app->admin_);
  identity::SessionSettings sessions;
  sessions.throttle = {config.login_free_failures, config.login_client_free_failures, config.login_delay_s,
                       config.login_max_delay_s, config.login_window_s};
  app->identity_ = std::make_unique<identity::IdentityService>(*app->db_, *app->admin_, sessions);
  app->registry_ = std::make_unique<registry::RegistryService>(*app->db_, *app->admin_);
  app->targets_ = std::make_unique<targets::TargetsService>(*app->db_, *app->admin_);
  app->suitability_ =
      std::make_unique<suitability::SuitabilityService>(*app->db_, *app->admin_, config.effective_raster_dir());
  return app;
}

api::Services App::services() {
  api::ServerSettings s;
  s.secure_cookies = config_.secure_cookies;
#ifdef NONGSAN_VERSION
  s.version = NONGSAN_VERSION;
#endif
  s.schema_version = schema_version_;
  s.web_root = config_.web_root;
  s.trusted_proxies = config_.trusted_proxies;
  if (!storage::is_postgres_url(config_.db)) s.private_files.push_back(config_.db);
  return api::Services{*db_, *admin_, *figures_, *identity_, *registry_, *targets_, *suitability_, s};
}

}  // namespace nongsan::app
