#include "modules/ocop/ocop_rules.hpp"

#include <algorithm>
#include <chrono>

namespace nongsan::ocop {

using nlohmann::json;

std::string_view to_string(Level l) {
  switch (l) {
    case Level::self: return "self";
    case Level::province: return "province";
    case Level::central: return "central";
  }
  return "province";
}

std::optional<Level> parse_level(std::string_view s) {
  if (s == "self") return Level::self;
  if (s == "province") return Level::province;
  if (s == "central") return Level::central;
  return std::nullopt;
}

std::string_view to_string(EventKind k) { return k == EventKind::revoked ? "revoked" : "downgraded"; }

std::optional<EventKind> parse_event_kind(std::string_view s) {
  if (s == "revoked") return EventKind::revoked;
  if (s == "downgraded") return EventKind::downgraded;
  return std::nullopt;
}

Result<Scoring> parse_scoring(const json& doc) {
  Scoring s;
  std::vector<FieldError> errors;
  auto number = [&](const json& j, const std::string& path, double lo, double hi) -> double {
    if (!j.is_number() || j.get<double>() < lo || j.get<double>() > hi) {
      errors.push_back({path, "must be a number between " + std::to_string(static_cast<int>(lo)) + " and " +
                                  std::to_string(static_cast<int>(hi))});
      return 0;
    }
    return j.get<double>();
  };
  if (!doc.is_object()) return Error::invalid("the OCOP scoring sheets are not a JSON object");
  const json parts = doc.value("parts", json::array());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string key = parts[i].value("key", "");
    double max = number(parts[i].value("max", json()), "parts[" + std::to_string(i) + "].max", 1, 100);
    if (key == "a") s.max_a = max;
    else if (key == "b") s.max_b = max;
    else if (key == "c") s.max_c = max;
    else errors.push_back({"parts[" + std::to_string(i) + "].key", "must be a, b or c"});
  }
  if (parts.size() != 3) errors.push_back({"parts", "must hold the three parts a, b and c"});
  s.bands.clear();
  const json bands = doc.value("stars", json::array());
  for (std::size_t i = 0; i < bands.size(); ++i) {
    Scoring::Band b;
    b.stars = static_cast<int>(number(bands[i].value("stars", json()), "stars[" + std::to_string(i) + "].stars", 1, 5));
    b.from = number(bands[i].value("from", json()), "stars[" + std::to_string(i) + "].from", 0, 100);
    s.bands.push_back(b);
  }
  if (s.bands.empty()) errors.push_back({"stars", "must list the star bands"});
  std::sort(s.bands.begin(), s.bands.end(), [](const auto& x, const auto& y) { return x.from > y.from; });
  s.province_max_stars = static_cast<int>(number(doc.value("province_max_stars", json()), "province_max_stars", 1, 5));
  s.validity_months = static_cast<int>(number(doc.value("validity_months", json()), "validity_months", 1, 240));
  s.notice_days = static_cast<int>(number(doc.value("notice_days", json()), "notice_days", 0, 365));
  if (!errors.empty()) return Error::invalid("the OCOP scoring sheets are not valid", errors);
  s.document = doc;
  return s;
}

std::string group_name_vi(const Scoring& s, int group) {
  for (const auto& g : s.document.value("groups", json::array()))
    if (g.value("group", 0) == group) return g.value("name_vi", "");
  return "";
}

Grade grade(const Scoring& s, Level level, double total) {
  Grade g;
  // Sums of decimal parts (33.3 + 20.2 + 16.5) are compared with a tolerance far below
  // any score a council writes, so that 70.0 computed as 69.99999999 is still 4★.
  const double eps = 1e-9;
  for (const auto& b : s.bands)
    if (total + eps >= b.from) {
      g.stars = b.stars;
      break;
    }
  if (level != Level::central && g.stars > s.province_max_stars) {
    g.stars = s.province_max_stars;
    g.proposed_to_centre = true;
  }
  if (level == Level::self) g.proposed_to_centre = false;
  return g;
}

CivilDate add_months(const CivilDate& from, int months) {
  using namespace std::chrono;
  year_month ym = year(from.year()) / month(from.month()) + std::chrono::months(months);
  unsigned last_day = static_cast<unsigned>((ym / std::chrono::last).day());
  unsigned day = std::min(from.day(), last_day);
  return CivilDate(static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()), day);
}

namespace {

// The latest certifying (province or central) evaluation dated on or before `on`.
const Evaluation* latest_on(const std::vector<Evaluation>& evaluations, const CivilDate& on) {
  const Evaluation* best = nullptr;
  for (const auto& e : evaluations) {
    if (e.level == Level::self || e.date > on) continue;
    if (!best || e.date > best->date || (e.date == best->date && e.id > best->id)) best = &e;
  }
  return best;
}

}  // namespace

std::optional<std::int64_t> certificate_on(const Scoring& s, const std::vector<Evaluation>& evaluations,
                                           const CivilDate& date) {
  const Evaluation* e = latest_on(evaluations, date);
  if (!e || grade(s, e->level, e->total()).stars == 0) return std::nullopt;
  if (date > add_months(e->date, s.validity_months)) return std::nullopt;
  return e->id;
}

Standing standing_on(const Scoring& s, const std::vector<Evaluation>& evaluations, const std::vector<Event>& events,
                     const CivilDate& on) {
  Standing st;
  const Evaluation* e = latest_on(evaluations, on);
  if (!e) return st;
  Grade g = grade(s, e->level, e->total());
  if (g.stars == 0) return st;
  st.stars = g.stars;
  st.level = e->level;
  st.proposed_to_centre = g.proposed_to_centre;
  st.evaluation_id = e->id;
  st.decision_date = e->date;
  st.expires = add_months(e->date, s.validity_months);
  st.days_left = st.expires->days_since_epoch() - on.days_since_epoch();
  bool revoked = false;
  const Event* downgrade = nullptr;
  for (const auto& ev : events) {
    if (ev.date > on) continue;
    if (ev.kind == EventKind::revoked) revoked = true;
    else if (!downgrade || ev.date > downgrade->date || (ev.date == downgrade->date && ev.id > downgrade->id))
      downgrade = &ev;
  }
  if (downgrade) st.stars = downgrade->stars;
  if (revoked) st.status = "revoked";
  else if (on > *st.expires) st.status = "expired";
  else if (*st.days_left <= s.notice_days) st.status = "expiring";
  else st.status = "valid";
  return st;
}

}  // namespace nongsan::ocop
