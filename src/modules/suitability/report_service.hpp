// The results of the last runs as tables and the two planning reports: hectares
// by class per parcel, zone and unit (commune, district, province); zones planned
// on land that is mostly S3/N, with the factors that limit it; idle and inefficient
// rice land that suits another crop, with totals per commune. Reads only.
//
// Permissions: suitability.read. Suitability is land information, not records of
// people: the tables are not limited by unit, and list parcels by external id only.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/suitability/table_out.hpp"
#include "storage/database.hpp"

namespace nongsan::suitability {

class ReportService {
 public:
  ReportService(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}

  Result<TableOut> parcel_table(const identity::Actor& a, const std::string& crop, const std::string& commune);
  Result<TableOut> zone_table(const identity::Actor& a, const std::string& crop);
  Result<TableOut> unit_table(const identity::Actor& a, const std::string& crop);

  Result<TableOut> zone_report(const identity::Actor& a, const std::string& crop, double min_share);
  struct CandidateReport {
    TableOut parcels;  // parcel, commune, crop, class, hectares
    TableOut totals;   // commune, crop, hectares, parcels
  };
  Result<CandidateReport> candidate_land(const identity::Actor& a, const std::vector<int>& classes);

 private:
  storage::Database& db_;
  admin::AdminService& admin_;
};

}  // namespace nongsan::suitability
