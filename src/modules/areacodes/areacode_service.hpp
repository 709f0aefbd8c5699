// Growing-area and packing-house codes (Decision 3156/QĐ-BNN-TT; Notice 752-TB/TU
// §2.3; docs/area-codes.md): applications over registry parcels, the codes nongsan
// generates or records as issued nationally, their life cycle with reasons and
// decisions, seasonal declarations, imports, and code health computed from the
// registry (check codes), whose serious findings suspend a code until an officer
// decides. Every write is audited in its transaction.
//
// Scope: a code belongs to the commune of its parcels (the first parcel's by
// external id), else its holder's; records without a commune are the province's.
// Unit officers act within their unit's subtree, producer accounts on their own
// organisation's codes (registry::RecordScope); an id outside the scope answers as
// a missing one. Depends on admin, access, audit, identity, registry and geo.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/areacodes/areacode_repository.hpp"
#include "modules/areacodes/code_health.hpp"
#include "modules/identity/actor.hpp"
#include "storage/database.hpp"

namespace nongsan::areacodes {

struct CodeQuery {
  std::optional<CodeStatus> status;
  std::optional<CodeKind> kind;
  std::string crop, q;
  std::optional<std::int64_t> commune;
  int page = 1, page_size = 50;
};

struct ImportReport {
  int created = 0, updated = 0, unchanged = 0;
};

// What a check gives: the findings (within the actor's scope) and the codes the
// check suspended.
struct CheckResult {
  std::vector<Finding> findings;
  std::vector<std::string> suspended;
};

class AreaCodeService {
 public:
  // `crops`: the crop table (data/areacodes/crops.json), read by the caller.
  AreaCodeService(storage::Database& db, admin::AdminService& admin, CropTable crops);

  Result<nlohmann::json> list(const identity::Actor& a, const CodeQuery& q);
  Result<nlohmann::json> get(const identity::Actor& a, std::int64_t id);
  // An application: kind, holder (producer id), crop, standard, parcels (ids) for a
  // growing area; facility, address, lon, lat, capacity_t_per_day for a packing
  // house. Refused below the minimum area (docs/rules.md).
  Result<nlohmann::json> apply(const identity::Actor& a, const nlohmann::json& body);
  // A life-cycle step: action, reason, decision_no, decision_date; for issue,
  // export_code to record a code issued nationally instead of generating one.
  Result<nlohmann::json> act(const identity::Actor& a, std::int64_t id, const nlohmann::json& body);
  // A seasonal declaration (or its actual output): season, crop, variety, area_ha,
  // standard, expected_kg, harvest_from, harvest_to, actual_kg.
  Result<nlohmann::json> declare_season(const identity::Actor& a, std::int64_t id, const nlohmann::json& body);
  // Codes' parcels as GeoJSON features with the code and its status (the register on the map).
  Result<nlohmann::json> map(const identity::Actor& a, const CodeQuery& q);
  Result<nlohmann::json> crops(const identity::Actor& a) const;

  // Code health. `suspend`: serious findings suspend issued codes (by the system,
  // audited) unless an officer already decided on that finding and season.
  // `extra_rules` run after the standard ones over the same facts.
  Result<CheckResult> check(const identity::Actor& a, bool suspend, const std::vector<CodeRule>& extra_rules = {});

  // Imports (CSV/XLSX read by geo::read_features); all or nothing, errors by line and column.
  Result<ImportReport> import_codes(const identity::Actor& a, const geo::FeatureSet& fs, const std::string& source);
  Result<ImportReport> import_seasons(const identity::Actor& a, const geo::FeatureSet& fs, const std::string& source);

  const CropTable& crop_table() const { return crops_; }

  // The rules that need more than the registry (diary_gap, banned_use, over_shipped:
  // code_evidence_source), built for an actor and the code texts concerned. Installed
  // by the application; the check, a code's page and a reinstatement run them after
  // the standard rules. Gathered before the transaction of the check.
  using RuleSource =
      std::function<Result<std::vector<CodeRule>>(const identity::Actor&, const std::vector<std::string>& codes)>;
  void set_rule_source(RuleSource source) { source_ = std::move(source); }

 private:
  // standard_rules() and those of the rule source for `codes` (every live code when nullopt).
  Result<std::vector<CodeRule>> rules_for(const identity::Actor& a, std::optional<std::int64_t> code_id);


  storage::Database& db_;
  admin::AdminService& admin_;
  CropTable crops_;
  RuleSource source_;
};

nlohmann::json finding_json(const Finding& f);

}  // namespace nongsan::areacodes
