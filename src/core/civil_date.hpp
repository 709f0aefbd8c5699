// Civil dates of record (Asia/Ho_Chi_Minh calendar days, no time zone) and UTC
// timestamps. Dates are stored as ISO text 'YYYY-MM-DD'; timestamps as
// 'YYYY-MM-DDTHH:MM:SSZ'. Input accepts ISO and the Vietnamese dd/mm/yyyy.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan {

class CivilDate {
 public:
  constexpr CivilDate() = default;
  CivilDate(int year, unsigned month, unsigned day);

  // Accepts "YYYY-MM-DD" and "dd/mm/yyyy" (also d/m/yyyy); nullopt if not a real date.
  static std::optional<CivilDate> parse(std::string_view text);
  static CivilDate from_days(std::int64_t days_since_epoch);
  // Today in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
  static CivilDate today();

  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }
  std::int64_t days_since_epoch() const;

  std::string iso() const;  // 2025-07-01
  std::string vi() const;   // 01/07/2025

  auto operator<=>(const CivilDate& o) const { return days_since_epoch() <=> o.days_since_epoch(); }
  bool operator==(const CivilDate& o) const { return days_since_epoch() == o.days_since_epoch(); }

 private:
  std::chrono::year_month_day ymd_{std::chrono::year{1970}, std::chrono::month{1}, std::chrono::day{1}};
};

// Days from a to b (b - a), plain calendar difference.
std::int64_t days_between(const CivilDate& a, const CivilDate& b);

// Current UTC time as 'YYYY-MM-DDTHH:MM:SSZ'.
std::string utc_now_iso();
// Seconds since the Unix epoch (UTC) for a timestamp string produced by utc_now_iso or
// by PostgreSQL; nullopt if unparsable.
std::optional<std::int64_t> parse_utc_seconds(std::string_view iso);
std::string utc_iso_from_seconds(std::int64_t seconds);
std::int64_t unix_now();

}  // namespace nongsan
