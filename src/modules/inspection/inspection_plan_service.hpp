// Inspection planning (Notice 752-TB/TU §2.5; docs/inspection.md): risk per subject from
// the findings of every module, the year's plan of applicants to inspect (by risk and at
// random, reproducible from its seed) with its inspections assigned to the inspectors
// of each commune, the risk weights the province sets, and the registry-quality sample
// (LPIS QA). Every write is audited in its transaction. Permissions: inspection.read
// (within scope: unit officers see their communes' entries) and inspection.plan
// (province). The facts come from the support, area-code and diary services (their own
// reads, with the same actor) and from the tables of the OCOP and inspection records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/areacodes/areacode_service.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/inspection/inspection_plan_repository.hpp"
#include "modules/support/support_import.hpp"
#include "modules/support/support_service.hpp"
#include "storage/database.hpp"

namespace nongsan::inspection {

struct PlanRequest {
  int year = 0;
  double share_pct = 5, risk_share = 0.5;
  std::uint64_t seed = 1;
};

struct PlanEntry {
  int seq = 0;
  std::string applicant, reason, commune, inspector;
  double score = 0;
  std::vector<ScorePart> parts;
  std::optional<std::int64_t> producer_id, inspector_user_id;
  std::optional<UnitId> unit;
  std::vector<std::string> parcels;
};

struct PlanPreview {
  PlanRequest request;
  std::size_t population = 0;  // the year's applicants
  std::vector<PlanEntry> entries;
  // The claimed parcels of the entries' applicants, with their boundaries (the GeoPackage).
  struct Parcel {
    std::string applicant, reason, parcel;
    double score = 0;
    std::optional<storage::Geometry> geometry;
  };
  std::vector<Parcel> parcels;
};

class InspectionPlanService {
 public:
  InspectionPlanService(storage::Database& db, admin::AdminService& admin, support::SupportService& support,
                        areacodes::AreaCodeService& areacodes, diary::DiaryService& diary);

  // Risk of one subject in `year` with every part and its weight. A subject outside the
  // actor's scope answers like a missing one.
  Result<nlohmann::json> subject_risk(const identity::Actor& a, const std::string& kind, const std::string& ref,
                                      int year);
  // The plan as it would be drawn (nothing stored), with the assignments it would make.
  Result<PlanPreview> preview(const identity::Actor& a, const PlanRequest& r);
  // Draws and stores the plan, its entries and one inspection per entry (status
  // assigned); answers plan_detail.
  Result<nlohmann::json> create(const identity::Actor& a, const PlanRequest& r, bool illustrative = false);
  Result<nlohmann::json> plans(const identity::Actor& a, std::optional<int> year);
  Result<nlohmann::json> plan_detail(const identity::Actor& a, const std::string& code);

  Result<nlohmann::json> weights(const identity::Actor& a);
  // Sets the weights named in `rows` ({subject_kind, part, weight}); all or nothing.
  Result<nlohmann::json> save_weights(const identity::Actor& a, const nlohmann::json& rows);
  // CSV subject_kind,part,weight; all or nothing, errors by line and column.
  Result<nlohmann::json> import_weights(const identity::Actor& a, const support::ImportTable& t, const std::string& source);

  // Registry quality (LPIS QA): the year's sample of `size` parcels drawn from `seed`
  // (one sample per year), measurements imported (parcel,measured_on,measured_area_m2)
  // or taken from closed inspections, and the summary.
  Result<nlohmann::json> quality_sample(const identity::Actor& a, int year, int size, std::uint64_t seed,
                                        bool illustrative = false);
  // `illustrative`: the demo's measurements, not field data (shown as such).
  Result<nlohmann::json> import_measurements(const identity::Actor& a, const support::ImportTable& t,
                                             const std::string& source, bool illustrative = false);
  Result<nlohmann::json> quality(const identity::Actor& a, int year);

 private:
  struct Facts;
  Result<Facts> gather(const identity::Actor& a, int year);
  storage::Database& db_;
  admin::AdminService& admin_;
  support::SupportService& support_;
  areacodes::AreaCodeService& areacodes_;
  diary::DiaryService& diary_;
};

nlohmann::json to_json(const std::vector<ScorePart>& parts);
// A preview as the API answers it: the request, the population and the entries.
nlohmann::json to_json(const PlanPreview& p);

}  // namespace nongsan::inspection
