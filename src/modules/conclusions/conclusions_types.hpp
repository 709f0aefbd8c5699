// What the committee's conclusions are drafted from: the facts each module gives (an
// indicator's assessment, a zone planned on S3/N land, a policy's uptake and findings,
// a linkage warning, an OCOP product lapsing, a pesticide finding, a commodity whose
// supply exceeds the processing capacity), and the rules as data (thresholds, the table
// limitation kind → responsible body and task wording; data/conclusions/rules.json).
// A module that holds no data gives nullopt, so that the draft says "no data" rather
// than "no problem". Types only: no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"

namespace nongsan::conclusions {

struct Thresholds {
  double over_half_pct = 50;           // band of the review (docs/rules.md §3)
  double low_policy_uptake_pct = 50;   // approved below this share of the planned budget
  double many_findings_share_pct = 20; // findings per application of the policy at or above this
  double s3n_zone_min_share = 0.3;     // the zone report's --min-share (docs/suitability-planning.md)
  int ocop_lapsing_days = 30;          // OCOP's notice period (data/ocop/scoring-sheets.json)
  int max_items_named = 5;             // records named in one sentence; the rest counted
};

struct TaskRule {
  std::string kind;  // indicator_low, indicator_forecast_miss, zone_unsuitable, …
  std::string body;  // the responsible body, as the notice names it
  std::string task;  // wording; {items} and {milestone} are filled in
};

struct Rules {
  Thresholds thresholds;
  std::vector<std::string> converted_land_indicators;
  std::vector<TaskRule> tasks;
  std::map<std::string, std::string> names;  // crop and commodity codes → Vietnamese ("tea" → "chè")
  nlohmann::json issuer = nlohmann::json::object();  // header, signature, recipients of the document
};
Result<Rules> parse_rules(const nlohmann::json& doc);

struct IndicatorFact {
  std::string code, name_vi, measure_unit;
  std::string status;  // achieved, over_half, low, no_target, no_data, not_evaluable
  std::optional<double> actual, target, achievement_pct, forecast_pct;
  std::optional<bool> forecast_reached;
};

struct ZoneFact {
  std::string code, name, crop, commune;
  double s3n_share = 0;  // 0–1
  double s3n_ha = 0;
};

struct PolicyFact {
  std::string code, name_vi;
  int applications = 0;
  double approved = 0;
  std::optional<double> planned;
  int findings = 0;
};

struct LinkageFact {
  std::string kind;  // behind, side_selling, non_purchase
  std::string contract, party;
  std::optional<std::int64_t> contract_id;
  double expected_kg = 0, delivered_kg = 0;
};

struct OcopFact {
  std::string code, name;
  int stars = 0;
  std::string status;  // expired, expiring, revoked
  std::optional<CivilDate> expires;
};

struct PesticideFact {
  std::string kind;  // unregistered, banned, not_for_crop, over_dose, phi_not_passed
  std::string entry, parcel, product;
  CivilDate date;
};

struct SupplyFact {
  std::string commodity;
  double capacity_t = 0, drawn_supply_t = 0, zones_supply_t = 0;
};

struct Facts {
  std::string programme, programme_name;
  int milestone = 0;
  CivilDate as_of;
  std::string review_hash;  // the review's data hash
  bool illustrative = false;
  int indicators_total = 0;
  std::vector<IndicatorFact> indicators;
  std::optional<std::vector<ZoneFact>> zones;        // nullopt: no suitability run stored
  std::optional<std::vector<PolicyFact>> policies;   // nullopt: no support policy stored
  std::optional<std::vector<LinkageFact>> linkage;   // nullopt: no linkage contract in the year
  std::optional<std::vector<OcopFact>> ocop;         // nullopt: no OCOP product stored
  std::optional<std::vector<PesticideFact>> pesticides;  // nullopt: no diary entry in the period
  std::optional<std::vector<SupplyFact>> supply;     // nullopt: no facility stored
};

}  // namespace nongsan::conclusions
