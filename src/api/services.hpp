// What the API layer reaches: the services of the modules, built once by the
// composition root (app/app.cpp) and shared by all request threads.
#pragma once

#include <string>
#include <vector>

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

namespace nongsan::api {

struct ServerSettings {
  bool secure_cookies = false;  // set when served behind HTTPS
  std::string version;
  int schema_version = 0;
  std::string web_root;  // serve the UI from this folder instead of the embedded copy
  std::vector<std::string> private_files;  // never served from web_root (the database file, backups)
  std::vector<std::string> trusted_proxies;  // reverse proxies whose X-Forwarded-* headers are believed
  std::size_t read_cache_bytes = 64u << 20;  // the read cache's bound (read_cache.hpp); 0: off
};

struct Services {
  storage::Database& db;
  admin::AdminService& admin;
  figures::FigureService& figures;
  identity::IdentityService& identity;
  registry::RegistryService& registry;
  targets::TargetsService& targets;
  suitability::SuitabilityService& suitability;
  jobs::JobService& jobs;
  support::SupportService& support;
  diary::DiaryService& diary;
  areacodes::AreaCodeService& areacodes;
  chains::ChainService& chains;
  epcis::EpcisService& epcis;
  ServerSettings settings;
  ocop::OcopService& ocop;
  certificates::CertificateService& certificates;
  epcis::DiaryBridge& diary_bridge;  // the diary's events and a lot's journey
  trace::TraceService& trace;
  inspection::InspectionService& inspections;
  inspection::InspectionPlanService& inspection_plans;
  conclusions::ConclusionsService& conclusions;
  portal::PortalService& portal;
};

}  // namespace nongsan::api
