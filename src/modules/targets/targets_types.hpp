// Targets and the mid-term review: types only. Words from the glossary:
// programme (chương trình, e.g. Resolution 05-NQ/TU 2021–2025), indicator (chỉ tiêu),
// target (kế hoạch / mục tiêu), observation (số liệu thực hiện).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"

namespace nongsan::targets {

using ProgrammeId = StrongId<struct ProgrammeTag>;
using IndicatorId = StrongId<struct IndicatorTag>;
using TargetId = StrongId<struct TargetTag>;
using ObservationId = StrongId<struct ObservationTag>;
using ReportIssueId = StrongId<struct ReportIssueTag>;

// stock: a level at a date (hectares of tea); flow: an amount per year (hectares newly planted).
enum class Kind { stock, flow };
enum class Direction { up, down };
// reported: entered by officers; computed: from the land registry.
enum class Source { reported, computed };
// The life cycle of an observation: entered as a draft, submitted, then approved
// (it counts in reviews and can no longer be edited) or returned with a reason; an
// administrator may reopen an approved one (unlock), which returns it. There is no
// separate lock step: approval is what fixes a figure. (Databases written before
// migration 0009 called approved-in-the-workflow "locked"; it reads as approved.)
enum class ObservationStatus { draft, submitted, approved, returned };

std::string_view to_string(Kind k);
std::string_view to_string(Direction d);
std::string_view to_string(Source s);
std::string_view to_string(ObservationStatus s);
std::optional<Kind> parse_kind(std::string_view t);
std::optional<Direction> parse_direction(std::string_view t);
std::optional<Source> parse_source(std::string_view t);
std::optional<ObservationStatus> parse_status(std::string_view t);
// Approved observations are the ones that count in a review.
inline bool counts(ObservationStatus s) { return s == ObservationStatus::approved; }
// Drafts and returned observations are the ones their officer may still change.
inline bool editable(ObservationStatus s) { return s == ObservationStatus::draft || s == ObservationStatus::returned; }

// Whether an indicator counts whole things (works, farms, products, colonies,
// households …) rather than measuring (hectares, tonnes, cubic metres, percent): its
// unit of measure says so. Counted values are shown as whole numbers in documents
// and formatted values (docs/rules.md §3); stored and API values stay exact.
bool is_counted_unit(std::string_view measure_unit);

// Text lengths, in characters, that the review documents can lay out (the same limits
// as their contract, docs/review-json.md): refused at entry rather than at printing.
inline constexpr std::size_t kCodeChars = 64, kNameChars = 500, kMeasureUnitChars = 32;
// "is longer than N characters" when `text` is, else "".
std::string length_problem(std::string_view text, std::size_t max_chars);

struct Programme {
  ProgrammeId id;
  std::string code, name_vi, name_en;
  CivilDate start, end;
  int baseline_year = 0;
  std::vector<int> milestones;  // ascending; default {year(end)}
  bool illustrative = false;
  std::string source;
  std::string created_at, updated_at;
};

struct Indicator {
  IndicatorId id;
  ProgrammeId programme;
  std::string code, name_vi, name_en, measure_unit;
  Kind kind = Kind::stock;
  Direction direction = Direction::up;
  Source source = Source::reported;
  std::string computed;   // JSON definition, "" when none
  std::string not_above;  // code of an indicator this one must not exceed, "" when none
  int position = 0;
  bool illustrative = false;
  std::string note;
};

struct TargetRevision {
  std::int64_t id = 0;
  int seq = 0;  // 0 = the original
  double value = 0;
  std::string decision;
  std::optional<CivilDate> effective;  // none for an original without a date
  std::string created_by, created_at;
};

struct Target {
  TargetId id;
  IndicatorId indicator;
  UnitId unit;
  int year = 0;
  std::vector<TargetRevision> revisions;  // by seq; the first is the original
};

struct Observation {
  ObservationId id;
  IndicatorId indicator;
  UnitId unit;
  int year = 0;
  int period = 0;  // 0 = the year; 1–4 quarters; 101–112 months
  double value = 0;
  ObservationStatus status = ObservationStatus::draft;
  std::string entered_by, submitted_by, submitted_at, approved_by, approved_at, returned_reason, note;
  std::string flags = "[]";  // JSON array
  std::string created_at, updated_at;
};

struct ReportIssue {
  ReportIssueId id;
  std::string kind, programme, parameters, format, data_hash, file_name;
  std::int64_t size_bytes = 0;
  std::string file_sha256, issued_by, issued_at;
};

}  // namespace nongsan::targets
