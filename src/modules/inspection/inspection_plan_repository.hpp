// SQL of inspection planning: risk weights, the facts behind the risk that live in
// tables (earlier over-declarations, claims on parcels, OCOP findings, earlier
// inspections and their decisions), plans with their entries and the inspections they
// create, inspectors and their open work, and the registry-quality sample. Static
// functions over a Connection; no permission or scope here (the service decides).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/inspection/quality.hpp"
#include "modules/inspection/risk.hpp"
#include "storage/database.hpp"

namespace nongsan::inspection {

struct WeightRow {
  std::string subject_kind, part;
  double weight = 0;
  std::string updated_by, updated_at;
};

// One applicant of a year: a producer with a non-rejected application filed in it.
struct YearApplicant {
  std::string ref;  // the producer's external id (or '#id' when it has none)
  std::int64_t producer_id = 0;
  std::optional<UnitId> unit;  // of its latest application of the year
  std::string commune;         // the unit's name, or ""
  std::vector<std::string> parcels;  // the parcels its applications of the year claim
};

struct PlanRow {
  std::int64_t id = 0;
  std::string code;
  int year = 0;
  std::string subject_kind;
  double share_pct = 0, risk_share = 0;
  std::string seed;
  std::int64_t population = 0;
  bool illustrative = false;
  std::string created_by, created_at;
  std::int64_t entries = 0, assigned = 0;
};

struct PlanEntryRow {
  int seq = 0;
  std::string subject_kind, subject_ref, reason, parts;
  double score = 0;
  std::optional<std::int64_t> producer_id;
  std::optional<UnitId> unit;
  std::string commune;
  std::optional<std::int64_t> inspector_user_id;
  std::string inspector, inspection;  // login; the inspection's code
};

struct InspectorRow {
  std::int64_t user_id = 0;
  std::string login;
  std::optional<UnitId> unit;
  int open = 0;
};

struct QualityRow {
  std::int64_t parcel_id = 0;
  std::string parcel;
  int seq = 0;
  double registered_m2 = 0;
  std::optional<double> measured_m2;
  std::string measured_on;
  bool illustrative = false;
  std::optional<UnitId> unit;
  std::optional<storage::Geometry> geom;
};

class InspectionPlanRepository {
 public:
  using Connection = storage::Connection;

  static std::vector<WeightRow> weights(Connection& c);
  static void save_weight(Connection& c, const WeightRow& w);

  static std::vector<YearApplicant> year_applicants(Connection& c, int year);
  // Findings named over_declared in the latest check run of each year before `year`:
  // by applicant, and by parcel.
  static std::map<std::string, int> over_declared_by_applicant(Connection& c, int year);
  static std::map<std::string, int> over_declared_by_parcel(Connection& c, int year);
  // Findings of the year's latest check run, by parcel.
  static std::map<std::string, int> claim_findings_by_parcel(Connection& c, int year);
  // Open OCOP quality findings (not closed by an event): by product code, and by the
  // product's subject (producer key).
  static std::map<std::string, int> ocop_findings_by_product(Connection& c);
  static std::map<std::string, int> ocop_findings_by_producer(Connection& c);
  // Growing-area and packing-house codes: code → holder key.
  static std::map<std::string, std::string> code_holders(Connection& c);
  // Earlier inspections: findings (not dismissed) and decisions other than dismiss, by
  // (subject_kind, subject_ref) of the inspection.
  static std::map<std::pair<std::string, std::string>, int> inspection_findings(Connection& c);
  static std::map<std::pair<std::string, std::string>, int> inspection_decisions(Connection& c);
  // The unit of a subject (nullopt when it has none); false when no such subject.
  static bool subject_unit(Connection& c, const std::string& kind, const std::string& ref,
                           std::optional<UnitId>* unit);

  static std::vector<InspectorRow> inspectors(Connection& c);
  static std::optional<std::int64_t> plan_id(Connection& c, const std::string& code);
  static std::string next_plan_code(Connection& c, int year);
  static std::int64_t insert_plan(Connection& c, const PlanRow& p);
  // Inserts the entry and its inspection (status assigned); returns the inspection's code.
  static std::string insert_entry(Connection& c, std::int64_t plan_id, const std::string& plan_code,
                                  const PlanEntryRow& e, bool illustrative, const std::string& by,
                                  const std::string& now);
  static std::vector<PlanRow> plans(Connection& c, std::optional<int> year);
  static std::vector<PlanEntryRow> plan_entries(Connection& c, std::int64_t plan_id);

  static QualitySettings quality_settings(Connection& c);
  static void save_quality_settings(Connection& c, const QualitySettings& s);
  // Parcels in the registry on 31/12 of the year (not retired before), with an area.
  static std::vector<QualityRow> quality_population(Connection& c, int year);
  static bool has_quality_sample(Connection& c, int year);
  static void insert_quality_row(Connection& c, int year, const QualityRow& r, const std::string& seed);
  static std::vector<QualityRow> quality_sample(Connection& c, int year);
  // Sets the measured area of a sampled parcel; false when the parcel is not in the
  // year's sample.
  static bool set_measured(Connection& c, int year, const std::string& parcel, double m2, const std::string& on,
                           bool illustrative);
  // The latest closed inspection's measured area of each sampled parcel of the year
  // still without a measurement (parcel external id → (area, closed date)).
  static std::map<std::string, std::pair<double, std::string>> inspection_measurements(Connection& c, int year);
};

}  // namespace nongsan::inspection
