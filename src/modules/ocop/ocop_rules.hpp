// OCOP rules, pure (no storage): the scoring sheets as data, stars from a council's
// total, a certificate's expiry, and a product's status on a date from its evaluations
// and events (docs/rules.md §OCOP; Decision 148/QĐ-TTg, Decision 1489/QĐ-TTg).
// Must not depend on storage, the API or the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/result.hpp"

namespace nongsan::ocop {

// Who evaluated: the producer itself, the province's council, the centre's.
enum class Level { self, province, central };
std::string_view to_string(Level l);
std::optional<Level> parse_level(std::string_view s);

// The scoring sheets and thresholds (data/ocop/scoring-sheets.json): values an official
// may see changed by a new decision, so they are data.
struct Scoring {
  double max_a = 40, max_b = 25, max_c = 35;
  struct Band {
    int stars = 0;
    double from = 0;
  };
  std::vector<Band> bands{{5, 90}, {4, 70}, {3, 50}};  // highest first
  int province_max_stars = 4;
  int validity_months = 36;
  int notice_days = 30;
  nlohmann::json document;  // the sheets as read (groups, part names, source), for the UI
};
Result<Scoring> parse_scoring(const nlohmann::json& doc);
// The group's Vietnamese name ("Thực phẩm"), or "" for a number outside 1–6.
std::string group_name_vi(const Scoring& s, int group);

// What an evaluation gives.
struct Grade {
  int stars = 0;                      // 0: not recognised
  bool proposed_to_centre = false;    // a provincial total that reaches the centre's band
};
Grade grade(const Scoring& s, Level level, double total);

// `months` after `from`: the same day number, or the month's last day when it has none.
CivilDate add_months(const CivilDate& from, int months);

struct Evaluation {
  std::int64_t id = 0;       // the order of entry breaks ties on one date
  Level level = Level::province;
  CivilDate date;            // the decision date
  double part_a = 0, part_b = 0, part_c = 0;
  std::string decision;
  double total() const { return part_a + part_b + part_c; }
};

enum class EventKind { revoked, downgraded };
std::string_view to_string(EventKind k);
std::optional<EventKind> parse_event_kind(std::string_view s);

struct Event {
  std::int64_t id = 0;
  CivilDate date;
  EventKind kind = EventKind::revoked;
  int stars = 0;  // downgraded: the new stars
  std::string reason;
};

// A product's certificate standing on a date.
struct Standing {
  std::string status = "none";  // none, revoked, expired, expiring, valid
  int stars = 0;
  std::optional<CivilDate> decision_date, expires;
  std::optional<Level> level;
  bool proposed_to_centre = false;
  std::optional<std::int64_t> evaluation_id;
  std::optional<std::int64_t> days_left;  // expires − on
};

// The certificate an event acts on: that of the latest certifying evaluation dated on or
// before the event (the evaluation id; nullopt when none is in force then — no
// evaluation, one without stars, or one already expired on that date).
std::optional<std::int64_t> certificate_on(const Scoring& s, const std::vector<Evaluation>& evaluations,
                                           const CivilDate& date);

// The standing on `on`: from the latest evaluation dated on or before `on` (self
// assessments do not count). `events` are those attached to that evaluation's
// certificate; only those dated on or before `on` act.
Standing standing_on(const Scoring& s, const std::vector<Evaluation>& evaluations, const std::vector<Event>& events,
                     const CivilDate& on);

}  // namespace nongsan::ocop
