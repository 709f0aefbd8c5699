#include "app/app.hpp"

#include "app/embedded_data.hpp"
#include "modules/areacodes/code_evidence_source.hpp"
#include "modules/ocop/ocop_watch.hpp"
#include "modules/registry/registry_repository.hpp"
#include "reports/review_render.hpp"
#include "reports/conclusions_document.hpp"

namespace nongsan::app {

namespace {
registry::RegistrySettings registry_settings(const Config& config) {
  registry::RegistrySettings s;
  s.rules.boundary_tolerance_m = config.parcel_boundary_tolerance_m;
  s.rules.min_overlap_m2 = config.parcel_min_overlap_m2;
  s.rules.dates = {config.date_min, config.date_max};
  auto text = embedded_file("land-use-codes.json");
  if (!text) throw std::runtime_error("data/land-use-codes.json is not embedded");
  auto catalogue = registry::LandUseCatalogue::from_json(*text);
  if (!catalogue) {
    std::string why = catalogue.error().message;
    for (const auto& f : catalogue.error().fields) why += "; " + f.field + ": " + f.message;
    throw std::runtime_error(why);
  }
  s.land_use = std::move(*catalogue);
  return s;
}
}  // namespace

App::~App() {
  if (jobs_) jobs_->shutdown();
}

std::unique_ptr<App> App::open(const Config& config, storage::MigrationReport* report) {
  auto app = std::make_unique<App>();
  app->config_ = config;
  app->db_ = storage::open_database(config.db, {config.db_replica, config.db_replica_max_lag_bytes,
                                                config.db_replica_retry_s});
  storage::Migrator migrator(*app->db_, config.effective_backup_dir());
  auto r = migrator.migrate();
  if (report) *report = r;
  app->schema_version_ = r.to_version;
  app->jobs_ = std::make_unique<jobs::JobService>(*app->db_);
  app->admin_ = std::make_unique<admin::AdminService>(*app->db_, admin::PlausibleDates{config.date_min, config.date_max});
  app->figures_ = std::make_unique<figures::FigureService>(*app->db_, *app->admin_);
  identity::SessionSettings sessions;
  sessions.throttle = {config.login_free_failures, config.login_client_free_failures, config.login_delay_s,
                       config.login_max_delay_s, config.login_window_s};
  app->identity_ = std::make_unique<identity::IdentityService>(*app->db_, *app->admin_, sessions);
  app->registry_ = std::make_unique<registry::RegistryService>(*app->db_, *app->admin_, *app->jobs_,
                                                               registry_settings(config));
  // Parcels stored before the natural sort keys existed get them once.
  app->db_->write([](storage::Connection& c) { registry::RegistryRepository::fill_sort_keys(c); });
  targets::TargetsSettings ts;
  ts.four_eyes = config.targets_four_eyes;
  ts.year_min = config.targets_year_min;
  ts.year_max = config.targets_year_max;
  app->targets_ = std::make_unique<targets::TargetsService>(*app->db_, *app->admin_, ts);
  // The targets module issues review documents through src/reports, which it may not include.
  app->targets_->set_review_renderer([](const nlohmann::json& review, const nlohmann::json& unit_shapes,
                                        const std::string& format,
                                        const std::string& profile) -> Result<targets::RenderedReview> {
    reports::RenderOptions options;
    auto p = reports::parse_profile(profile);
    if (!p) return Error::invalid("unknown layout", {{"profile", "must be state or party"}});
    options.profile = *p;
    auto shapes = reports::shapes_from_feature_collection(unit_shapes);
    if (!shapes) return shapes.error();
    auto file = reports::render_review(review, format, options, *shapes);
    if (!file) return file.error();
    return targets::RenderedReview{std::move(file->bytes), std::move(file->content_type), std::move(file->extension)};
  });
  app->suitability_ =
      std::make_unique<suitability::SuitabilityService>(*app->db_, *app->admin_, *app->registry_,
                                                        config.effective_raster_dir());
  app->support_ = std::make_unique<support::SupportService>(*app->db_, *app->admin_, app->jobs_.get());
  app->diary_ = std::make_unique<diary::DiaryService>(*app->db_, *app->admin_);
  {
    // The crop table of the area codes ships in the binary (data/areacodes/crops.json).
    auto doc = nlohmann::json::parse(embedded_file("areacodes/crops.json").value_or("{}"));
    auto crops = areacodes::parse_crop_table(doc);
    if (!crops) throw std::runtime_error("data/areacodes/crops.json: " + crops.error().message);
    app->areacodes_ = std::make_unique<areacodes::AreaCodeService>(*app->db_, *app->admin_, std::move(*crops));
  }
  app->chains_ = std::make_unique<chains::ChainService>(*app->db_, *app->admin_);
  // The OCOP scoring sheets ship with the binary (data/ocop/scoring-sheets.json).
  auto sheets = embedded_file("ocop/scoring-sheets.json");
  auto scoring = ocop::parse_scoring(nlohmann::json::parse(sheets.value_or("{}"), nullptr, false));
  if (!scoring) throw std::runtime_error("data/ocop/scoring-sheets.json: " + scoring.error().message);
  // Certificates count as expiring over the same notice period as OCOP's.
  app->certificates_ = std::make_unique<certificates::CertificateService>(*app->db_, *app->admin_, scoring->notice_days);
  app->ocop_ = std::make_unique<ocop::OcopService>(*app->db_, *app->admin_, std::move(*scoring));
  ocop::register_watch_job(*app->jobs_);
  app->epcis_ = std::make_unique<epcis::EpcisService>(*app->db_);
  // The code rules that need the diary and EPCIS (diary_gap, banned_use, over_shipped).
  app->areacodes_->set_rule_source(
      [diary = app->diary_.get(), epcis = app->epcis_.get()](const identity::Actor& a, const std::vector<std::string>& codes)
          -> Result<std::vector<areacodes::CodeRule>> {
        auto ev = areacodes::gather_evidence(a, *diary, *epcis, codes);
        if (!ev) return ev.error();
        return areacodes::evidence_rules(std::make_shared<const areacodes::CodeEvidence>(std::move(*ev)));
      });
  // The GTIN per crop lives in the trace module's table (data/trace/gtins.json is loaded into
  // it by `demo` or `nongsan trace gtin import`): the diary's events and the QR codes agree.
  app->diary_bridge_ = std::make_unique<epcis::DiaryBridge>(*app->db_, *app->diary_, *app->epcis_,
                                                            [](storage::Connection& c) { return trace::TraceService::crop_gtins(c); });
  app->diary_bridge_->attach();
  // Receiving and transaction events that name a linkage contract become its deliveries,
  // in the capture's transaction (docs/chains.md "Deliveries from EPCIS").
  app->epcis_->add_capture_listener([chains = app->chains_.get()](storage::Connection& c, const identity::Actor& a,
                                                                  const nlohmann::json& event, const std::string& hash,
                                                                  const std::string& capture_id) {
    chains->take_epcis_event(c, a, event, hash, capture_id);
  });
  app->trace_ = std::make_unique<trace::TraceService>(*app->db_, *app->diary_, *app->certificates_, *app->epcis_);
  // The OCOP dossier and quality watch read these modules through their services.
  app->ocop_->set_sources(ocop::DossierSources{app->areacodes_.get(), app->certificates_.get(), app->chains_.get(),
                                               app->diary_.get(), app->trace_.get()});
  {
    // The checklists per kind of inspection ship in the binary (data/inspection/checklists.json).
    auto doc = nlohmann::json::parse(embedded_file("inspection/checklists.json").value_or("{}"), nullptr, false);
    auto lists = inspection::parse_checklists(doc);
    if (!lists) throw std::runtime_error("data/inspection/checklists.json: " + lists.error().message);
    inspection::InspectionSettings settings;
    if (doc.contains("settings") && doc["settings"].value("area_mismatch_pct", nlohmann::json()).is_number())
      settings.area_mismatch_pct = doc["settings"]["area_mismatch_pct"].get<double>();
    app->inspections_ = std::make_unique<inspection::InspectionService>(
        *app->db_, *app->admin_, std::move(*lists), settings,
        inspection::DecisionTargets{app->support_.get(), app->areacodes_.get(), app->ocop_.get(), app->registry_.get()});
  }
  app->inspection_plans_ = std::make_unique<inspection::InspectionPlanService>(*app->db_, *app->admin_, *app->support_,
                                                                               *app->areacodes_, *app->diary_);
  {
    // The rules of the conclusions draft ship in the binary (data/conclusions/rules.json).
    auto rules = conclusions::parse_rules(nlohmann::json::parse(embedded_file("conclusions/rules.json").value_or("{}"), nullptr, false));
    if (!rules) throw std::runtime_error("data/conclusions/rules.json: " + rules.error().message);
    app->conclusions_ = std::make_unique<conclusions::ConclusionsService>(*app->db_, *app->targets_, *app->suitability_,
                                                                          *app->chains_, *app->ocop_, *app->diary_, std::move(*rules));
    // The module does not include src/reports: the composition root lays its drafts out.
    app->conclusions_->set_renderer([](const nlohmann::json& draft, const std::string& format, bool registered,
                                       const std::string& footer) -> Result<conclusions::RenderedConclusions> {
      reports::ConclusionsOptions o;
      o.date = CivilDate::today();
      o.draft = !registered;
      o.footer = footer;
      auto file = reports::render_conclusions(draft, format, o);
      if (!file) return file.error();
      return conclusions::RenderedConclusions{std::move(file->bytes), std::move(file->content_type), std::move(file->extension)};
    });
  }
  app->portal_ = std::make_unique<portal::PortalService>(*app->db_, *app->admin_, *app->targets_, *app->registry_,
                                                         *app->areacodes_, *app->ocop_);
  app->portal_->set_trace(*app->trace_);  // the public lot pages the portal links to
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
  s.read_cache_bytes = static_cast<std::size_t>(config_.read_cache_mb) << 20;
  if (!storage::is_postgres_url(config_.db)) s.private_files.push_back(config_.db);
  return api::Services{*db_, *admin_, *figures_, *identity_, *registry_, *targets_, *suitability_, *jobs_,
                       *support_, *diary_, *areacodes_, *chains_, *epcis_, s, *ocop_, *certificates_,
                       *diary_bridge_, *trace_, *inspections_, *inspection_plans_, *conclusions_, *portal_};
}

}  // namespace nongsan::app
