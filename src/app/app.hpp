// The composition root: opens the database named by the configuration
// (migrating it, with a backup first), and builds the services every front end
// shares. The CLI and the HTTP server both start here.
#pragma once

#include <memory>

#include "api/services.hpp"
#include "app/config.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/figures/figure_service.hpp"
#include "modules/identity/identity_service.hpp"
#include "modules/jobs/job_service.hpp"
#include "modules/registry/registry_service.hpp"
#include "modules/targets/targets_service.hpp"
#include "modules/suitability/suitability_service.hpp"
#include "modules/support/support_service.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/chains/chain_service.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/certificates/certificate_service.hpp"
#include "modules/epcis/diary_bridge.hpp"
#include "modules/epcis/epcis_service.hpp"
#include "modules/trace/trace_service.hpp"
#include "modules/inspection/inspection_service.hpp"
#include "modules/inspection/inspection_plan_service.hpp"
#include "modules/conclusions/conclusions_service.hpp"
#include "modules/portal/portal_service.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace nongsan::app {

class App {
 public:
  // Opens (creating if absent) and migrates the database. Throws storage::DbError
  // when the database cannot be opened.
  static std::unique_ptr<App> open(const Config& config, storage::MigrationReport* report = nullptr);

  // Stops the background jobs first: their work uses the other services.
  ~App();

  storage::Database& db() { return *db_; }
  jobs::JobService& jobs() { return *jobs_; }
  admin::AdminService& admin() { return *admin_; }
  figures::FigureService& figures() { return *figures_; }
  identity::IdentityService& identity() { return *identity_; }
  registry::RegistryService& registry() { return *registry_; }
  targets::TargetsService& targets() { return *targets_; }
  suitability::SuitabilityService& suitability() { return *suitability_; }
  support::SupportService& support() { return *support_; }
  diary::DiaryService& diary() { return *diary_; }
  areacodes::AreaCodeService& areacodes() { return *areacodes_; }
  chains::ChainService& chains() { return *chains_; }
  ocop::OcopService& ocop() { return *ocop_; }
  certificates::CertificateService& certificates() { return *certificates_; }
  epcis::EpcisService& epcis() { return *epcis_; }
  epcis::DiaryBridge& diary_bridge() { return *diary_bridge_; }
  trace::TraceService& trace() { return *trace_; }
  inspection::InspectionService& inspections() { return *inspections_; }
  inspection::InspectionPlanService& inspection_plans() { return *inspection_plans_; }
  conclusions::ConclusionsService& conclusions() { return *conclusions_; }
  portal::PortalService& portal() { return *portal_; }
  const Config& config() const { return config_; }
  int schema_version() const { return schema_version_; }
  api::Services services();

 private:
  Config config_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<jobs::JobService> jobs_;
  std::unique_ptr<admin::AdminService> admin_;
  std::unique_ptr<figures::FigureService> figures_;
  std::unique_ptr<identity::IdentityService> identity_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<targets::TargetsService> targets_;
  std::unique_ptr<suitability::SuitabilityService> suitability_;
  std::unique_ptr<support::SupportService> support_;
  std::unique_ptr<diary::DiaryService> diary_;
  std::unique_ptr<areacodes::AreaCodeService> areacodes_;
  std::unique_ptr<chains::ChainService> chains_;
  std::unique_ptr<ocop::OcopService> ocop_;
  std::unique_ptr<certificates::CertificateService> certificates_;
  std::unique_ptr<epcis::EpcisService> epcis_;
  std::unique_ptr<epcis::DiaryBridge> diary_bridge_;  // after diary_ and epcis_, which it hooks into
  std::unique_ptr<trace::TraceService> trace_;
  std::unique_ptr<inspection::InspectionService> inspections_;
  std::unique_ptr<inspection::InspectionPlanService> inspection_plans_;
  std::unique_ptr<conclusions::ConclusionsService> conclusions_;
  std::unique_ptr<portal::PortalService> portal_;
  int schema_version_ = 0;
};

}  // namespace nongsan::app
