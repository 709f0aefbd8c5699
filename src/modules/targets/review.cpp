#include "modules/targets/review.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

#include "modules/targets/checks.hpp"

namespace nongsan::targets {

using nlohmann::json;

namespace {
json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json unit_ref(const admin::AdminUnit& u) {
  return {{"id", u.id.value}, {"code", u.code}, {"name", u.name}, {"level", admin::to_string(u.level)}};
}

ReviewWindow window_of(const ReviewData& d, const ReviewRequest& r) {
  return {d.programme.start, CivilDate(r.milestone, 12, 31), r.as_of, d.programme.baseline_year};
}

const ValueTable& table_or_empty(const std::map<IndicatorId, ValueTable>& m, IndicatorId id) {
  static const ValueTable empty;
  auto it = m.find(id);
  return it == m.end() ? empty : it->second;
}
const TargetTable& targets_or_empty(const std::map<IndicatorId, TargetTable>& m, IndicatorId id) {
  static const TargetTable empty;
  auto it = m.find(id);
  return it == m.end() ? empty : it->second;
}

json short_result(const Indicator& ind, const Evaluation& e) {
  return {{"indicator", ind.code},
          {"target", opt(e.target)},
          {"actual", opt(e.actual)},
          {"achievement_pct", opt(e.achievement_pct)},
          {"forecast_pct", opt(e.forecast_pct)},
          {"band", e.band ? json(to_string(*e.band)) : json(nullptr)},
          {"status", to_string(e.status)},
          {"forecast_reached", e.forecast_reached ? json(*e.forecast_reached) : json(nullptr)}};
}
}  // namespace

json build_review(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r) {
  const admin::AdminUnit* unit = g.find(r.unit);
  ReviewWindow w = window_of(d, r);
  auto f = elapsed_fraction(w);
  json indicators = json::array();
  json counts = {{"total", 0}, {"achieved", 0}, {"over_half", 0}, {"low", 0}, {"no_target", 0}, {"no_data", 0},
                 {"not_evaluable", 0}, {"passed_half", 0}, {"forecast_missed", 0}};
  for (const auto& ind : d.indicators) {
    const auto& values = table_or_empty(d.values, ind.id);
    Evaluation e = evaluate(g, ind.kind, ind.direction, w, r.unit, values, targets_or_empty(d.targets, ind.id));
    json flags = json::array();
    if (auto it = d.computed.find(ind.id); it != d.computed.end() && e.actual && e.actual_year) {
      auto computed = unit_value(g, it->second, r.unit, *e.actual_year, r.as_of);
      if (ind.kind == Kind::flow) {  // compare like with like: the sum over the same years
        double sum = 0;
        bool any = false;
        for (int y = d.programme.start.year(); y <= r.as_of.year(); ++y)
          if (auto v = unit_value(g, it->second, r.unit, y, r.as_of)) sum += *v, any = true;
        computed = any ? std::optional(sum) : std::nullopt;
      }
      if (differs_flag(*e.actual, computed)) flags.push_back("reported_differs_from_computed");
    }
    json trend = json::array();
    for (const auto& [y, v] : e.trend)
      if (y >= d.programme.baseline_year) trend.push_back({{"year", y}, {"value", v}});
    json item = {{"indicator", ind.code},
                 {"name_vi", ind.name_vi},
                 {"name_en", ind.name_en},
                 {"measure_unit", ind.measure_unit},
                 {"kind", to_string(ind.kind)},
                 {"direction", to_string(ind.direction)},
                 {"source", to_string(ind.source)},
                 {"unit_code", unit ? unit->code : ""},
                 {"baseline", e.baseline},
                 {"target", opt(e.target)},
                 {"target_original", opt(e.target_original)},
                 {"target_decision", e.target_effective || !e.target_decision.empty() ? json(e.target_decision) : json(nullptr)},
                 {"target_effective", e.target_effective ? json(e.target_effective->iso()) : json(nullptr)},
                 {"actual", opt(e.actual)},
                 {"actual_year", e.actual_year ? json(*e.actual_year) : json(nullptr)},
                 {"achievement_pct", opt(e.achievement_pct)},
                 {"change_since_baseline", opt(e.change_since_baseline)},
                 {"change_since_baseline_pct", opt(e.change_since_baseline_pct)},
                 {"forecast", opt(e.forecast)},
                 {"forecast_pct", opt(e.forecast_pct)},
                 {"band", e.band ? json(to_string(*e.band)) : json(nullptr)},
                 {"status", to_string(e.status)},
                 {"forecast_reached", e.forecast_reached ? json(*e.forecast_reached) : json(nullptr)},
                 {"assessment", assessment_text(e.status, e.forecast_reached, r.lang)},
                 {"counted", is_counted_unit(ind.measure_unit)},
                 {"trend", trend},
                 {"flags", flags},
                 {"illustrative", ind.illustrative || d.programme.illustrative}};
    counts["total"] = counts["total"].get<int>() + 1;
    const std::string status(to_string(e.status));
    counts[status] = counts[status].get<int>() + 1;
    if (e.band && *e.band != Band::low) counts["passed_half"] = counts["passed_half"].get<int>() + 1;
    if (e.forecast_reached && !*e.forecast_reached) counts["forecast_missed"] = counts["forecast_missed"].get<int>() + 1;
    indicators.push_back(item);
  }

  // Per-unit detail: the children of the unit valid on as_of.
  json units = json::array();
  json standouts = json::array();
  std::vector<UnitId> children = g.children_on(r.unit, r.as_of);
  std::sort(children.begin(), children.end(), [&](UnitId a, UnitId b) { return g.find(a)->code < g.find(b)->code; });
  std::map<std::string, std::vector<std::pair<double, const admin::AdminUnit*>>> by_indicator;
  for (UnitId cid : children) {
    const admin::AdminUnit* cu = g.find(cid);
    json items = json::array();
    for (const auto& ind : d.indicators) {
      Evaluation e = evaluate(g, ind.kind, ind.direction, w, cid, table_or_empty(d.values, ind.id),
                              targets_or_empty(d.targets, ind.id));
      items.push_back(short_result(ind, e));
      if (e.achievement_pct) by_indicator[ind.code].push_back({*e.achievement_pct, cu});
    }
    units.push_back({{"unit_code", cu->code}, {"unit_name", cu->name}, {"level", admin::to_string(cu->level)},
                     {"indicators", items}});
  }
  // Standouts: per indicator, the highest and the lowest achievement among the
  // children (when at least two have one).
  for (const auto& ind : d.indicators) {
    auto it = by_indicator.find(ind.code);
    if (it == by_indicator.end() || it->second.size() < 2) continue;
    auto v = it->second;
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (v.front().first == v.back().first) continue;
    for (const auto& [pct, u, note] : {std::tuple{v.front().first, v.front().second, "highest"},
                                       std::tuple{v.back().first, v.back().second, "lowest"}})
      standouts.push_back({{"unit_code", u->code}, {"unit_name", u->name}, {"indicator", ind.code},
                           {"name_vi", ind.name_vi}, {"name_en", ind.name_en}, {"achievement_pct", pct},
                           {"note", note}});
  }

  // Illustrative figures (docs/rules.md): a programme whose record or any of whose
  // indicators is illustrative is marked so, down to page 1 of its documents.
  bool illustrative = d.programme.illustrative;
  for (const auto& ind : d.indicators) illustrative = illustrative || ind.illustrative;
  json p = {{"code", d.programme.code},
            {"name_vi", d.programme.name_vi},
            {"name_en", d.programme.name_en},
            {"start", d.programme.start.iso()},
            {"end", d.programme.end.iso()},
            {"baseline_year", d.programme.baseline_year},
            {"milestones", d.programme.milestones},
            {"illustrative", illustrative}};
  json review = {{"kind", "review"},
                 {"lang", r.lang == "en" ? "en" : "vi"},
                 {"illustrative", illustrative},
                 {"programme", p},
                 {"milestone", r.milestone},
                 {"as_of", r.as_of.iso()},
                 {"elapsed_fraction", opt(f)},
                 {"unit", unit ? unit_ref(*unit) : json(nullptr)},
                 {"indicators", indicators},
                 {"counts", counts},
                 {"units", units},
                 {"standouts", standouts}};
  review["narrative"] = narrative(review);
  review["support"] = d.support;
  return review;
}

std::string sha256_hex(std::string_view bytes) {
  if (sodium_init() < 0) return "";
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char ch : out) s += hex[ch >> 4], s += hex[ch & 15];
  return s;
}

std::string data_hash(const admin::UnitGraph& g, const ReviewData& d, const ReviewRequest& r) {
  // nlohmann::json keeps object keys sorted and prints doubles with round-trip
  // precision, so dump() is canonical for the same data.
  json canon;
  canon["programme"] = {{"code", d.programme.code}, {"start", d.programme.start.iso()},
                        {"end", d.programme.end.iso()}, {"baseline_year", d.programme.baseline_year},
                        {"milestones", d.programme.milestones}, {"name_vi", d.programme.name_vi}};
  canon["request"] = {{"milestone", r.milestone}, {"as_of", r.as_of.iso()}, {"unit", r.unit.value}};
  json inds = json::array();
  for (const auto& ind : d.indicators) {
    json values = json::array();
    for (const auto& [k, v] : table_or_empty(d.values, ind.id))
      if (k.second <= r.as_of.year()) values.push_back({k.first.value, k.second, v});
    json computed = json::array();
    for (const auto& [k, v] : table_or_empty(d.computed, ind.id))
      if (k.second <= r.as_of.year()) computed.push_back({k.first.value, k.second, v});
    json targets = json::array();
    for (const auto& [u, t] : targets_or_empty(d.targets, ind.id)) {
      if (t.revisions.empty()) continue;
      const TargetRevision* in_force = revision_in_force(t, r.as_of);
      targets.push_back({u.value, t.year, t.revisions.front().value, in_force->value, in_force->decision,
                         in_force->effective ? in_force->effective->iso() : ""});
    }
    inds.push_back({{"code", ind.code}, {"kind", to_string(ind.kind)}, {"direction", to_string(ind.direction)},
                    {"source", to_string(ind.source)}, {"computed_definition", ind.computed},
                    {"name_vi", ind.name_vi}, {"values", values}, {"computed", computed}, {"targets", targets}});
  }
  canon["indicators"] = inds;
  if (!d.support.is_null()) canon["support"] = d.support;
  json units = json::array();
  for (const auto& u : g.units())
    units.push_back({u.id.value, u.code, u.name, admin::to_string(u.level), u.valid_from.iso(),
                     u.valid_to ? u.valid_to->iso() : ""});
  json links = json::array();
  for (const auto& l : g.links())
    links.push_back({l.child.value, l.parent.value, l.valid_from.iso(), l.valid_to ? l.valid_to->iso() : ""});
  json succ = json::array();
  for (const auto& s : g.successions())
    succ.push_back({s.predecessor.value, s.successor.value, s.effective.iso(), s.share});
  std::sort(units.begin(), units.end());
  std::sort(links.begin(), links.end());
  std::sort(succ.begin(), succ.end());
  canon["units"] = units;
  canon["links"] = links;
  canon["successions"] = succ;
  return sha256_hex(canon.dump());
}

}  // namespace nongsan::targets
