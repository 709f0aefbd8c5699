// Storage of OCOP products, evaluations, events and findings: static functions over
// storage::Connection& in the SQL both backends accept. No rules here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"
#include "modules/ocop/ocop_rules.hpp"
#include "storage/database.hpp"

namespace nongsan::ocop {

struct Product {
  std::int64_t id = 0;
  std::string code, name;
  std::int64_t subject_id = 0;
  std::string subject, subject_name, subject_kind;  // the producer's external id, name, kind
  int group = 1;
  std::optional<UnitId> unit;
  bool illustrative = false;
  std::string source;
};

struct Finding {
  std::int64_t id = 0;
  std::int64_t product_id = 0;
  CivilDate found_on;
  std::string kind, detail, created_by;
  std::optional<std::int64_t> closed_by_event;
  // What raised it when nongsan did (the quality watch): "lab:<id>" or
  // "certificate:<code>:<valid_to>"; "" for a finding entered by hand.
  std::string origin;
};

class OcopRepository {
 public:
  static std::vector<Product> products(storage::Connection& c);
  static std::optional<Product> product(storage::Connection& c, const std::string& code);
  static std::int64_t insert_product(storage::Connection& c, const Product& p);
  static void update_product(storage::Connection& c, const Product& p);

  static std::vector<Evaluation> evaluations(storage::Connection& c, std::int64_t product_id);
  // Every product's evaluations and events, by product id (the status of all products).
  static std::map<std::int64_t, std::vector<Evaluation>> all_evaluations(storage::Connection& c);
  static std::map<std::int64_t, std::vector<Event>> all_events(storage::Connection& c);
  // The stored evaluation of a product at a level on a date, if any.
  static std::optional<Evaluation> find_evaluation(storage::Connection& c, std::int64_t product_id, Level level,
                                                   const CivilDate& date);
  static std::int64_t insert_evaluation(storage::Connection& c, std::int64_t product_id, const Evaluation& e,
                                        const std::string& source);
  static void update_evaluation(storage::Connection& c, std::int64_t id, const Evaluation& e, const std::string& source);

  static std::vector<Event> events(storage::Connection& c, std::int64_t product_id);
  static std::int64_t insert_event(storage::Connection& c, std::int64_t product_id, const Event& e,
                                   std::optional<std::int64_t> finding, const std::string& source);

  static std::vector<Finding> findings(storage::Connection& c, std::int64_t product_id);
  static std::optional<Finding> finding(storage::Connection& c, std::int64_t id);
  static std::int64_t insert_finding(storage::Connection& c, const Finding& f);
  static void close_finding(storage::Connection& c, std::int64_t id, std::int64_t event_id);
  // True when the product already has a finding raised from `origin` (the watch's once-only key).
  static bool has_finding_from(storage::Connection& c, std::int64_t product_id, const std::string& origin);
};

}  // namespace nongsan::ocop

namespace nongsan::ocop {

// What the registry and the support module hold about a producer on a date, for the
// dossier: parcels under its land rights, what is planted on them, support received.
struct DossierFacts {
  struct Parcel {
    std::int64_t id = 0;
    std::string external_id;
    double area_m2 = 0;
    std::string crops;  // comma-separated crops planted on the date
  };
  std::vector<Parcel> parcels;
  int support_applications = 0;
  std::int64_t support_paid = 0;  // đồng paid less recovered
};
DossierFacts dossier_facts(storage::Connection& c, std::int64_t producer_id, const CivilDate& on);

// For the demo: the external ids of the cooperatives and enterprises, in id order; the
// external ids of parcels with `crop` planted on `on`, in id order, at most `limit`.
std::vector<std::string> organisation_ids(storage::Connection& c);
std::vector<std::string> parcels_planted(storage::Connection& c, const std::string& crop, const CivilDate& on,
                                         int limit);

}  // namespace nongsan::ocop
