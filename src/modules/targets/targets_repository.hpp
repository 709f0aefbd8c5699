// Storage of programmes, indicators, targets, observations and the report register:
// static functions over storage::Connection& in the SQL both backends accept.
#pragma once

#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

#include "modules/targets/targets_types.hpp"
#include "storage/database.hpp"

namespace nongsan::targets {

struct ObservationFilter {
  std::optional<ProgrammeId> programme;
  std::optional<IndicatorId> indicator;
  std::optional<UnitId> unit;
  std::optional<int> year;
  std::optional<ObservationStatus> status;
  bool by_submission = false;  // oldest submission first (the approval inbox); else by indicator, unit, year
  int page = 1, page_size = 0;  // 0 = all
};

// How many observations wait for approval for one unit and indicator.
struct WaitingCount {
  UnitId unit;
  IndicatorId indicator;
  std::int64_t count = 0;
};

class TargetsRepository {
 public:
  // Programmes
  static std::vector<Programme> programmes(storage::Connection& c);
  static std::optional<Programme> find_programme(storage::Connection& c, const std::string& code);
  static ProgrammeId insert_programme(storage::Connection& c, const Programme& p);
  static void update_programme(storage::Connection& c, const Programme& p);

  // Indicators
  static std::vector<Indicator> indicators(storage::Connection& c, ProgrammeId p);
  static std::optional<Indicator> find_indicator(storage::Connection& c, ProgrammeId p, const std::string& code);
  static std::optional<Indicator> find_indicator(storage::Connection& c, IndicatorId id);
  static IndicatorId insert_indicator(storage::Connection& c, const Indicator& i);
  static void update_indicator(storage::Connection& c, const Indicator& i);

  // Targets, with their revisions ordered by seq.
  static std::vector<Target> targets(storage::Connection& c, IndicatorId i, std::optional<int> year);
  static std::optional<Target> find_target(storage::Connection& c, IndicatorId i, UnitId u, int year);
  static std::optional<Target> find_target(storage::Connection& c, TargetId id);
  static TargetId insert_target(storage::Connection& c, IndicatorId i, UnitId u, int year);
  static void insert_revision(storage::Connection& c, TargetId t, const TargetRevision& r);
  static void update_revision(storage::Connection& c, const TargetRevision& r);

  // Observations
  static std::vector<Observation> observations(storage::Connection& c, const ObservationFilter& f,
                                               const std::optional<std::unordered_set<UnitId>>& units,
                                               std::int64_t* total);
  static std::optional<Observation> find_observation(storage::Connection& c, ObservationId id);
  static std::optional<Observation> find_observation(storage::Connection& c, IndicatorId i, UnitId u, int year,
                                                     int period);
  static ObservationId insert_observation(storage::Connection& c, const Observation& o);
  static void update_observation(storage::Connection& c, const Observation& o);
  // Annual (period 0) approved values of an indicator up to `max_year`: (unit, year) → value.
  static std::map<std::pair<UnitId, int>, double> approved_values(storage::Connection& c, IndicatorId i, int max_year);
  // Submitted observations of a programme by unit and indicator (within `units` when given).
  static std::vector<WaitingCount> waiting_counts(storage::Connection& c, ProgrammeId p,
                                                  const std::optional<std::unordered_set<UnitId>>& units);
  // The latest approved observation of an earlier year, same indicator, unit and period.
  static std::optional<Observation> previous_approved(storage::Connection& c, IndicatorId i, UnitId u, int year,
                                                      int period);
  // Every annual value of an indicator for a unit, any status, by year (the history for outlier checks).
  static std::map<int, double> unit_history(storage::Connection& c, IndicatorId i, UnitId u);

  // Report register
  static ReportIssueId insert_issue(storage::Connection& c, const ReportIssue& r);
  static std::vector<ReportIssue> issues(storage::Connection& c, const std::string& programme);
  static std::optional<ReportIssue> find_issue(storage::Connection& c, ReportIssueId id);
};

std::vector<int> parse_milestones(const std::string& text);  // "2025;2030" → {2025, 2030}
std::string format_milestones(const std::vector<int>& years);

}  // namespace nongsan::targets
