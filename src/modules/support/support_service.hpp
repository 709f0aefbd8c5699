// Support: policies as versioned data, applications through their life cycle,
// payments, budgets, and the cross-checks that catch abuse before money leaves
// (Resolution 07/2021/NQ-HĐND; Notice 752-TB/TU §2.2, §2.4, §2.5; docs/support.md).
// Every write is audited in its transaction. Scope: an application belongs to its
// applicant's commune; unit officers read and act within their unit's subtree
// (AccessPolicy), province roles everywhere; every parcel and producer an
// application names passes the same scope check as reading it.
#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/jobs/job_service.hpp"
#include "modules/support/application_lifecycle.hpp"
#include "modules/support/claim_checks.hpp"
#include "modules/support/risk.hpp"
#include "modules/support/support_repository.hpp"
#include "storage/database.hpp"

namespace nongsan::support {

struct ApplicationQuery {
  std::optional<int> year;
  std::optional<ApplicationStatus> status;
  std::string policy, q;
  std::string finding;  // only applications with this finding in the year's latest check run
  int page = 1, page_size = 50;
};

struct ApplicationPage {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
};

struct StepRequest {
  Step step = Step::verify;
  std::optional<CivilDate> date;  // default today; the acceptance date for `accept`
  std::string reason;
  std::optional<Dong> amount;     // approve: the approved amount; recover: the amount taken back; pay: default the rest
  std::string funding_source, reference;
};

// What a check run gives: the findings and the amounts with their traces.
struct CheckRunResult {
  std::int64_t run_id = 0;
  ClaimResult result;
  // Where the time went, in seconds of wall time: reading the year and comparing the
  // geometry, the rules, storing the run. For the operator and the benchmark.
  double load_seconds = 0, rules_seconds = 0, store_seconds = 0;
};

class SupportService {
 public:
  // `jobs`: where the year's cross-checks run in the background (start_checks); without
  // it (tools that only read), start_checks answers an internal error.
  SupportService(storage::Database& db, admin::AdminService& admin, jobs::JobService* jobs = nullptr);
  static constexpr const char* kCheckJobKind = "support_check";

  // Policies
  Result<nlohmann::json> list_policies(const identity::Actor& a);
  Result<nlohmann::json> get_policy(const identity::Actor& a, const std::string& code);
  // Saves one policy version (a new code, or an amendment with a later version). The
  // same version again with the same content changes nothing; with other content it is
  // refused (versions are history: amend with a new one).
  Result<nlohmann::json> save_policy(const identity::Actor& a, const nlohmann::json& body);
  // What saving `body` would do, without saving it: the same errors as save_policy
  // (every field, the condition's position), else "result": "new_policy", "amendment"
  // (a later version of a stored code), "earlier_version" or "unchanged". For the
  // policy editor's live validation.
  Result<nlohmann::json> check_policy(const identity::Actor& a, const nlohmann::json& body);
  // All or nothing; `source` names the file (and its hash) in the audit trail.
  Result<nlohmann::json> import_policies(const identity::Actor& a, const nlohmann::json& doc, const std::string& source);
  // "What would this amendment have paid?": the year's applications evaluated with the
  // policies as stored and with `candidate` added, side by side.
  Result<nlohmann::json> preview_policy(const identity::Actor& a, const nlohmann::json& candidate, int year);

  // Applications
  Result<ApplicationPage> list_applications(const identity::Actor& a, const ApplicationQuery& q);
  Result<nlohmann::json> get_application(const identity::Actor& a, ApplicationId id);
  Result<nlohmann::json> create_application(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> take_step(const identity::Actor& a, ApplicationId id, const StepRequest& r);
  Result<nlohmann::json> add_payment(const identity::Actor& a, ApplicationId id, const nlohmann::json& body);
  // Counts by status for the officer's queues (within scope).
  Result<nlohmann::json> queues(const identity::Actor& a, std::optional<int> year);

  // The cross-checks and the amounts of a year, stored as a run.
  Result<CheckRunResult> run_checks(const identity::Actor& a, int year, std::optional<double> min_overlap_m2 = {},
                                    std::function<void(std::string_view, std::size_t, std::size_t)> progress = {});
  // The same run as a background job with progress (the findings page's button): 202
  // with the job; the job's result is run_summary() with the year, naming the run. One
  // check job at a time (a second is a conflict naming the one under way).
  Result<jobs::Job> start_checks(const identity::Actor& a, int year, std::optional<double> min_overlap_m2 = {});
  // Findings of the latest run of the year, within scope (the map and the queue);
  // `with_geometry` adds each named parcel's boundary (GeoJSON) for the map.
  Result<nlohmann::json> findings(const identity::Actor& a, int year, const std::string& finding,
                                  bool with_geometry = false);
  Result<nlohmann::json> settings(const identity::Actor& a);
  Result<nlohmann::json> save_settings(const identity::Actor& a, const nlohmann::json& body);

  // Risk of every application filed in the year (computed afresh, with its parts), and
  // the sample of applicants for on-the-spot checks with the parcels to visit.
  Result<nlohmann::json> risk(const identity::Actor& a, int year);
  struct SampledParcel {
    std::string applicant, reason, application, parcel;
    double score = 0;
    std::optional<storage::Geometry> geometry;
  };
  struct Sample {
    std::vector<SampleEntry> entries;
    std::vector<SampledParcel> parcels;  // every claimed parcel of the sampled applicants' applications
    std::size_t applicants = 0;          // of the year, the population sampled from
  };
  Result<Sample> sample(const identity::Actor& a, int year, double share_pct, double risk_share, std::uint64_t seed);

  // Budgets: planned per policy, year and funding source; committed, paid, remaining.
  Result<nlohmann::json> budget(const identity::Actor& a, int year);
  Result<nlohmann::json> set_budget(const identity::Actor& a, const nlohmann::json& body);

 private:
  Result<ClaimResult> evaluate_year(storage::Connection& c, int year, const CheckSettings& s,
                                    const std::vector<PolicyVersion>* extra_policy,
                                    std::function<void(std::string_view, std::size_t, std::size_t)> progress,
                                    bool side_by_side = false, double* load_seconds = nullptr,
                                    std::future<void>* released = nullptr);
  Result<std::vector<ApplicationRisk>> year_risks(storage::Connection& c, int year, ClaimResult* checked);
  storage::Database& db_;
  admin::AdminService& admin_;
  jobs::JobService* jobs_ = nullptr;
};

// What a check run found, as the API and the job answer it: run_id, applications,
// findings, counts by kind, total_amount.
nlohmann::json run_summary(const CheckRunResult& r);

}  // namespace nongsan::support
