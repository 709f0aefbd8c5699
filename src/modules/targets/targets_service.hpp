// Targets and the mid-term review: programmes, indicators, targets with
// revisions, observations with their approval workflow (draft → submitted →
// approved — counted, no longer editable — or returned with a reason; an approved
// one reopened by an administrator with a reason: unlock; four eyes: the approver
// is not the officer who entered or submitted it), the approval inbox, checks at entry and in batch, the review of any unit at any date,
// choropleth values and trends, the drill-down to the records behind a value, and
// the register of issued reports. Every write is audited in its transaction.
// Scope: unit officers read and enter within their unit's subtree
// (AccessPolicy); province roles see everything; approval is the province's.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/admin_service.hpp"
#include "modules/identity/actor.hpp"
#include "modules/targets/review.hpp"
#include "modules/targets/targets_import.hpp"
#include "modules/targets/targets_settings.hpp"
#include "modules/targets/targets_repository.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

struct ObservationQuery {
  std::string indicator;
  std::optional<UnitId> unit;
  std::optional<int> year;
  std::optional<ObservationStatus> status;
  int page = 1, page_size = 50;
};

struct ObservationPage {
  std::vector<nlohmann::json> items;
  std::int64_t total = 0;
};

// Entering an observation gives the new draft; when one exists for the same
// indicator, unit, year and period, it gives that one instead (created false, with
// a message saying so), for the caller to open it rather than enter it twice.
struct ObservationEntry {
  nlohmann::json observation;
  bool created = true;
  std::string message;
};

// The approval inbox: what waits (submitted) in the caller's scope, oldest
// submission first; `unit` and `indicator` narrow the items (the counts stay whole).
struct ApprovalQuery {
  std::optional<UnitId> unit;
  std::string indicator;
  int page = 1, page_size = 50;
};

// A review document as asked for, the same from the API and the CLI.
struct ReviewDocumentRequest {
  std::string programme;
  std::optional<int> milestone;      // default: the first milestone not passed on as_of
  std::optional<CivilDate> as_of;    // default: today
  std::string unit;                  // code; default: the province, or the officer's unit
  std::string format = "json";       // json, html, pdf, docx or xlsx
  std::string profile = "state";     // state (Decree 30/2020/NĐ-CP) or party (HD 36-HD/VPTW)
  std::string lang = "vi";           // of the narrative and assessments: vi or en
  std::string file_name;             // kept in the register; "" → bao-cao-<programme>-<milestone>-<date>-<unit>.<ext>
};

// A rendered document: the bytes, their MIME type and file extension.
struct RenderedReview {
  std::string bytes, content_type, extension;
};

// Lays a review JSON out as a document. Given by the composition root (the module
// does not depend on src/reports); `unit_shapes` is a GeoJSON FeatureCollection of the
// units the document maps (empty for json).
using ReviewRenderer = std::function<Result<RenderedReview>(
    const nlohmann::json& review, const nlohmann::json& unit_shapes, const std::string& format,
    const std::string& profile)>;

// An issued review: the review it was made from, its entry in the register, the file.
struct IssuedReview {
  nlohmann::json review;
  nlohmann::json issue;
  RenderedReview file;
  std::string file_name;
};

class TargetsService {
 public:
  TargetsService(storage::Database& db, admin::AdminService& admin, TargetsSettings settings = {})
      : db_(db), admin_(admin), settings_(settings) {}
  const TargetsSettings& settings() const { return settings_; }

  // Imports a CSV or XLSX file (`nongsan import programmes|indicators|targets|
  // observations`): all or nothing, audited with the file's name (`name`, or the
  // path) and the SHA-256 of its bytes. `options`: the text encoding and the file
  // limits (geo::ReadOptions; the CLI's --encoding and the import.max_* settings).
  Result<ImportReport> import_file(const identity::Actor& a, ImportKind kind, const std::string& path,
                                   const std::string& name = "", const geo::ReadOptions& options = {});

  // Programmes and indicators
  Result<nlohmann::json> list_programmes(const identity::Actor& a);
  Result<nlohmann::json> get_programme(const identity::Actor& a, const std::string& code);
  Result<nlohmann::json> create_programme(const identity::Actor& a, const nlohmann::json& body);
  Result<nlohmann::json> update_programme(const identity::Actor& a, const std::string& code, const nlohmann::json& patch);
  Result<nlohmann::json> list_indicators(const identity::Actor& a, const std::string& programme);
  Result<nlohmann::json> create_indicator(const identity::Actor& a, const std::string& programme,
                                          const nlohmann::json& body);
  Result<nlohmann::json> update_indicator(const identity::Actor& a, const std::string& programme,
                                          const std::string& code, const nlohmann::json& patch);

  // Targets: list with revisions; set (creates the target with its original, or
  // adds a revision when the target exists: value, decision, effective_date).
  Result<nlohmann::json> list_targets(const identity::Actor& a, const std::string& programme,
                                      const std::string& indicator, std::optional<UnitId> unit,
                                      std::optional<int> year);
  Result<nlohmann::json> set_target(const identity::Actor& a, const std::string& programme, const nlohmann::json& body);

  // Observations
  Result<ObservationPage> list_observations(const identity::Actor& a, const std::string& programme,
                                            const ObservationQuery& q);
  Result<nlohmann::json> get_observation(const identity::Actor& a, ObservationId id);
  Result<ObservationEntry> create_observation(const identity::Actor& a, const std::string& programme,
                                              const nlohmann::json& body);
  Result<nlohmann::json> update_observation(const identity::Actor& a, ObservationId id, const nlohmann::json& patch);
  Result<nlohmann::json> submit(const identity::Actor& a, ObservationId id);
  Result<nlohmann::json> approve(const identity::Actor& a, ObservationId id);
  Result<nlohmann::json> return_observation(const identity::Actor& a, ObservationId id, const std::string& reason);
  Result<nlohmann::json> unlock(const identity::Actor& a, ObservationId id, const std::string& reason);
  // Counts of what waits (total, by unit, by indicator) and the page of submitted
  // observations, each with the previous approved value, the submitter's note, who
  // submitted it and when, and whether the caller may approve it (four eyes).
  Result<nlohmann::json> approval_inbox(const identity::Actor& a, const std::string& programme,
                                        const ApprovalQuery& q);
  // Batch checks over every observation of the programme in the caller's scope.
  Result<nlohmann::json> flags(const identity::Actor& a, const std::string& programme);

  // The review and its views
  Result<nlohmann::json> review(const identity::Actor& a, const std::string& programme, std::optional<int> milestone,
                                std::optional<CivilDate> as_of, const std::string& unit_code,
                                const std::string& lang = "vi");
  // Issuing a review document — the one use case behind `nongsan report review`,
  // POST /programmes/{code}/reports and GET /programmes/{code}/review/document: the
  // review is built, rendered in the format and profile asked, and kept in the
  // register of issued reports with its data hash. `deliver`, when given, receives the
  // document before it is registered (the CLI writes its file there); if it fails,
  // nothing is registered.
  void set_review_renderer(ReviewRenderer renderer) { renderer_ = std::move(renderer); }
  Result<IssuedReview> issue_review(const identity::Actor& a, const ReviewDocumentRequest& request,
                                    const std::function<Status(const IssuedReview&)>& deliver = {});
  Result<nlohmann::json> map_values(const identity::Actor& a, const std::string& programme,
                                    const std::string& indicator, std::optional<int> milestone,
                                    std::optional<CivilDate> as_of, std::optional<admin::AdminLevel> level);
  Result<nlohmann::json> trend(const identity::Actor& a, const std::string& programme, const std::string& indicator,
                               std::optional<int> milestone, std::optional<CivilDate> as_of,
                               const std::string& unit_code);
  Result<nlohmann::json> records(const identity::Actor& a, const std::string& programme, const std::string& indicator,
                                 const std::string& unit_code, int year, std::optional<CivilDate> as_of);

  // The register of issued reports.
  Result<nlohmann::json> list_issues(const identity::Actor& a, const std::string& programme);
  Result<nlohmann::json> get_issue(const identity::Actor& a, ReportIssueId id);
  // Recomputes the data hash of an issued review on today's data.
  Result<nlohmann::json> verify_issue(const identity::Actor& a, ReportIssueId id);

 private:
  struct Resolved;
  Result<Resolved> resolve(storage::Connection& c, const std::shared_ptr<const admin::UnitGraph>& graph, const identity::Actor& a,
                           const std::string& programme, std::optional<int> milestone,
                           std::optional<CivilDate> as_of, const std::string& unit_code);
  ReviewData load(storage::Connection& c, const admin::UnitGraph& g, const Programme& p, int milestone,
                  const CivilDate& as_of);
  static nlohmann::json load_support(storage::Connection& c, const admin::UnitGraph& g, UnitId unit,
                                     const CivilDate& as_of);
  nlohmann::json observation_json(const admin::UnitGraph& g, const Observation& o, const std::string& indicator);
  Result<nlohmann::json> transition(const identity::Actor& a, ObservationId id, const std::string& action,
                                    const std::string& reason);
  // `review` is the JSON the document was made from; `options` how it was laid out.
  Result<nlohmann::json> register_issue(const identity::Actor& a, const nlohmann::json& review,
                                        const std::string& format, const std::string& file_name,
                                        const std::string& file_bytes, const nlohmann::json& options);

  storage::Database& db_;
  admin::AdminService& admin_;
  TargetsSettings settings_;
  ReviewRenderer renderer_;
};

}  // namespace nongsan::targets
