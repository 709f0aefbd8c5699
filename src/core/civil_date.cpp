#include "core/civil_date.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace nongsan {

using namespace std::chrono;

CivilDate::CivilDate(int y, unsigned m, unsigned d) : ymd_{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}} {}

namespace {
bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{};
}
}  // namespace

std::optional<CivilDate> CivilDate::parse(std::string_view t) {
  int y = 0, m = 0, d = 0;
  if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    if (!parse_int(t.substr(0, 4), y) || !parse_int(t.substr(5, 2), m) || !parse_int(t.substr(8, 2), d))
      return std::nullopt;
  } else {
    auto p1 = t.find('/');
    auto p2 = p1 == std::string_view::npos ? p1 : t.find('/', p1 + 1);
    if (p2 == std::string_view::npos || p1 == 0 || p1 > 2 || p2 - p1 - 1 == 0 || p2 - p1 - 1 > 2 ||
        t.size() - p2 - 1 != 4)
      return std::nullopt;
    if (!parse_int(t.substr(0, p1), d) || !parse_int(t.substr(p1 + 1, p2 - p1 - 1), m) ||
        !parse_int(t.substr(p2 + 1), y))
      return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return CivilDate(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

CivilDate CivilDate::from_days(std::int64_t days) {
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  return CivilDate(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day()));
}

CivilDate CivilDate::today() {
  // Vietnam has used UTC+7 without daylight saving since 1975.
  auto now = system_clock::now() + hours{7};
  return from_days(floor<std::chrono::days>(now).time_since_epoch().count());
}

std::int64_t CivilDate::days_since_epoch() const { return sys_days{ymd_}.time_since_epoch().count(); }

std::string CivilDate::iso() const {
  const int y = year();
  if (y < 0 || y > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, month(), day());
    return buf;
  }
  // The common case written digit by digit: a province's checks write hundreds of
  // thousands of dates, and snprintf parses its format every time.
  const unsigned m = month(), d = day();
  std::string s(10, '-');
  s[0] = static_cast<char>('0' + y / 1000);
  s[1] = static_cast<char>('0' + y / 100 % 10);
  s[2] = static_cast<char>('0' + y / 10 % 10);
  s[3] = static_cast<char>('0' + y % 10);
  s[5] = static_cast<char>('0' + m / 10);
  s[6] = static_cast<char>('0' + m % 10);
  s[8] = static_cast<char>('0' + d / 10);
  s[9] = static_cast<char>('0' + d % 10);
  return s;
}

std::string CivilDate::vi() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", day(), month(), year());
  return buf;
}

std::int64_t days_between(const CivilDate& a, const CivilDate& b) {
  return b.days_since_epoch() - a.days_since_epoch();
}

std::int64_t unix_now() { return duration_cast<seconds>(system_clock::now().time_since_epoch()).count(); }

std::string utc_iso_from_seconds(std::int64_t secs) {
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string utc_now_iso() { return utc_iso_from_seconds(unix_now()); }

std::optional<std::int64_t> parse_utc_seconds(std::string_view s) {
  // 'YYYY-MM-DDTHH:MM:SS' with 'T' or ' ' and an optional fraction and 'Z'/'+00'.
  if (s.size() < 19) return std::nullopt;
  auto date = CivilDate::parse(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (!parse_int(s.substr(11, 2), hh) || !parse_int(s.substr(14, 2), mm) || !parse_int(s.substr(17, 2), ss))
    return std::nullopt;
  return date->days_since_epoch() * 86400 + hh * 3600 + mm * 60 + ss;
}

}  // namespace nongsan
