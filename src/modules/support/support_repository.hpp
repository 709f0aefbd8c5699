// Storage of support policies, applications, payments and budgets: static functions
// over storage::Connection& in the SQL both backends accept. No rules here.
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "modules/registry/registry_types.hpp"
#include "modules/support/claim_checks.hpp"
#include "modules/support/support_records.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

struct ApplicationFilter {
  std::optional<int> year;                    // filed in
  std::optional<ApplicationStatus> status;
  std::string policy;                         // code, "" = any
  std::string q;                              // application code or applicant name, contains
  std::optional<std::unordered_set<UnitId>> units;  // scope; nullopt = everything
  bool include_unassigned = true;             // applications without a unit (the province's)
  int page = 1, page_size = 0;                // 0 = all
};

// What the checks read of the registry, for the parcels that the applications of a
// year claim (see SupportRepository::parcel_geometries and the like).
struct ParcelGeometryRow {
  std::int64_t parcel_id = 0;
  std::int64_t key = 0;  // the geometry version: parcel id for the current one, −history id for earlier ones
  CivilDate valid_from;
  std::optional<CivilDate> valid_to;
  std::optional<double> area_m2;
  std::optional<storage::Geometry> geom;
  std::string external_id;  // the parcel's (current rows only; empty on earlier versions)
};
struct PlantingRow {
  std::int64_t parcel_id = 0;
  std::string crop;
  CivilDate start;
  std::optional<CivilDate> end;
};
struct ZoneRow {
  std::int64_t id = 0;
  std::string code, commodity;
  std::optional<CivilDate> period_from, period_to;
  std::optional<storage::Geometry> geom;
};
struct SuitabilityRow {
  std::int64_t parcel_id = 0;
  std::string profile;  // the crop profile evaluated
  std::string dominant_class;
};
struct ApplicantRow {
  std::int64_t id = 0;
  std::string external_id, kind, commune_code, citizen_id_hash, bank_account, phone;
};

// The registry records an application names, with what scope needs.
struct ProducerRef {
  ProducerId id;
  std::string external_id, name, kind;
  std::optional<UnitId> unit;
};
struct ParcelRef {
  std::int64_t id = 0;
  std::string external_id;
  std::optional<UnitId> unit;
};

class SupportRepository {
 public:
  static std::optional<ProducerRef> producer(storage::Connection& c, ProducerId id);
  static std::optional<ProducerRef> producer(storage::Connection& c, const std::string& external_id);
  static std::optional<ParcelRef> parcel(storage::Connection& c, std::int64_t id);
  static std::optional<ParcelRef> parcel(storage::Connection& c, const std::string& external_id);

  // Policies
  static std::vector<PolicyRecord> policies(storage::Connection& c);
  static std::optional<PolicyRecord> find_policy(storage::Connection& c, const std::string& code,
                                                 const CivilDate& version);
  static PolicyId insert_policy(storage::Connection& c, const PolicyVersion& p, const std::string& by);
  static void update_policy(storage::Connection& c, PolicyId id, const PolicyVersion& p);

  // Applications
  static std::optional<ApplicationRecord> find_application(storage::Connection& c, ApplicationId id);
  static std::optional<ApplicationRecord> find_application(storage::Connection& c, const std::string& code);
  static std::vector<ApplicationRecord> applications(storage::Connection& c, const ApplicationFilter& f,
                                                     std::int64_t* total = nullptr);
  // Applications filed in `year`, and those filed earlier under any of `one_time_codes`
  // (the checks' input), in two reads that can run side by side: the applications
  // without their items, and the items (application id, item) by application and seq —
  // the items first name the claimed parcels, whose facts can then be read while the
  // applications still arrive; attach_check_items gives each application its items.
  // Only the fields the checks read (no applicant name, unit, note, source or
  // timestamps; an item's parcel by id only, its external id left empty: the checks
  // take it from parcel_geometries). The applications come in byte order of their codes,
  // with `applicant` left empty: applicants_of_year reads the same producers, and
  // name_applicants names them from it.
  static std::vector<ApplicationRecord> application_rows_for_checks(storage::Connection& c, int year,
                                                                    const std::vector<std::string>& one_time_codes);
  static std::vector<std::pair<std::int64_t, ItemRecord>> items_for_checks(storage::Connection& c, int year,
                                                                           const std::vector<std::string>& one_time_codes);
  static void attach_check_items(std::vector<ApplicationRecord>& apps,
                                 std::vector<std::pair<std::int64_t, ItemRecord>> items);
  static ApplicationId insert_application(storage::Connection& c, const ApplicationRecord& a);
  static void update_application(storage::Connection& c, const ApplicationRecord& a);  // fields and items
  static void insert_step(storage::Connection& c, ApplicationId a, const StepRecord& s);
  static std::vector<StepRecord> steps(storage::Connection& c, ApplicationId a);

  // Payments
  static PaymentId insert_payment(storage::Connection& c, const PaymentRecord& p);
  static std::vector<PaymentRecord> payments(storage::Connection& c, ApplicationId a);
  static std::vector<PaymentRecord> payments_of_year(storage::Connection& c, int year);  // applications filed in it
  static bool payment_exists(storage::Connection& c, ApplicationId a, const CivilDate& d, Dong amount, PaymentKind k);

  // Registry facts about the parcels a year's applications claim (their ids, from
  // items_for_checks), and the producers holding rights on them.
  static std::vector<ParcelGeometryRow> parcel_geometries(storage::Connection& c, const std::vector<std::int64_t>& parcels);
  // The rights on the parcels, in no order.
  static std::vector<registry::LandRight> parcel_rights(storage::Connection& c, const std::vector<std::int64_t>& parcels);
  // Producers' external ids (or "#id" when they have none), as the checks name them.
  static std::unordered_map<std::int64_t, std::string> producer_keys(storage::Connection& c,
                                                                     const std::vector<std::int64_t>& producers);
  static std::vector<PlantingRow> parcel_plantings(storage::Connection& c, const std::vector<std::int64_t>& parcels);
  // One row per (parcel, profile), in no order.
  static std::vector<SuitabilityRow> parcel_suitability(storage::Connection& c, const std::vector<std::int64_t>& parcels);
  static std::vector<ZoneRow> zones(storage::Connection& c);
  static std::vector<ApplicantRow> applicants_of_year(storage::Connection& c, int year,
                                                      const std::vector<std::string>& one_time_codes);
  // Gives each application of application_rows_for_checks its applicant's external id
  // from applicants_of_year; an application whose applicant is not among them is dropped,
  // as a join would drop it. Read side by side, the two reads see the committed rows as
  // each began: an application filed between them by a producer with none before in the
  // year is left to the next run, as one filed after both is.
  static void name_applicants(std::vector<ApplicationRecord>& apps, const std::vector<ApplicantRow>& applicants);

  // Runs of the cross-checks
  struct CheckRun {
    std::int64_t id = 0;
    int year = 0;
    std::string settings;  // JSON
    std::int64_t applications = 0, findings = 0;
    Dong total_amount = 0;
    std::string run_by, run_at;
  };
  static std::int64_t insert_check_run(storage::Connection& c, const CheckRun& r);
  static void insert_findings(storage::Connection& c, std::int64_t run, const std::vector<Finding>& f);
  // (application, amount, trace JSON); taken by value so that a run's traces are moved
  // into the rows written, not copied.
  static void insert_amounts(storage::Connection& c, std::int64_t run,
                             std::vector<std::tuple<std::string, Dong, std::string>> rows);
  static std::optional<CheckRun> latest_check_run(storage::Connection& c, int year);
  static std::vector<Finding> run_findings(storage::Connection& c, std::int64_t run);
  static std::vector<Finding> application_findings(storage::Connection& c, std::int64_t run, const std::string& code);
  // (amount, trace JSON) of one application in a run.
  static std::optional<std::pair<Dong, std::string>> application_amount(storage::Connection& c, std::int64_t run,
                                                                        const std::string& code);
  static std::map<std::string, Dong> run_amounts(storage::Connection& c, std::int64_t run);

  // Settings of the cross-checks (app_setting, keys support.*); missing keys keep the defaults.
  static CheckSettings check_settings(storage::Connection& c);
  static void save_check_settings(storage::Connection& c, const CheckSettings& s);
  static bool four_eyes(storage::Connection& c);  // support.four_eyes, on unless set to 0
  static void save_four_eyes(storage::Connection& c, bool on);

  // Applicants' record before `year`: findings of the latest run of each earlier year
  // and recoveries of earlier applications, by producer key (external id or #id).
  static std::map<std::string, std::pair<int, bool>, std::less<>> applicant_history(storage::Connection& c, int year);
  // Current geometries of parcels by external id.
  static std::map<std::string, storage::Geometry> parcel_geometries(storage::Connection& c,
                                                                    const std::vector<std::string>& external_ids);

  // Support figures (support_figures.hpp): applications accepted in [from, to] that are
  // approved or paid, with their claimed quantities; and payments and recoveries dated
  // in [from, to]. `policy` "" = every policy. Ordered by application code.
  struct AcceptedRow {
    ApplicationId id;
    std::string code, policy;
    std::optional<UnitId> unit;
    CivilDate filed, accepted;
    double claimed = 0;  // the sum of the items' quantities
  };
  static std::vector<AcceptedRow> accepted_applications(storage::Connection& c, const std::string& policy,
                                                        const CivilDate& from, const CivilDate& to);
  struct PaymentRow {
    ApplicationId id;
    std::string code, policy;
    std::optional<UnitId> unit;
    Dong amount = 0;
    PaymentKind kind = PaymentKind::payment;
  };
  static std::vector<PaymentRow> payments_between(storage::Connection& c, const std::string& policy,
                                                  const CivilDate& from, const CivilDate& to);
  // (application code → trace JSON) of one run, for the codes given.
  static std::map<std::string, std::string> run_traces(storage::Connection& c, std::int64_t run,
                                                       const std::vector<std::string>& codes);

  // Budgets
  static void upsert_budget(storage::Connection& c, const BudgetLine& b);
  static std::vector<BudgetLine> budgets(storage::Connection& c, std::optional<int> year);
};

}  // namespace nongsan::support
