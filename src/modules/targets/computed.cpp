#include "modules/targets/computed.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/geometry_ops.hpp"
#include "modules/admin/rollup.hpp"
#include "modules/support/support_figures.hpp"
#include "modules/chains/chain_figures.hpp"
#include "storage/value.hpp"

namespace nongsan::targets {

Result<ComputedDefinition> parse_computed(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception&) {
    return Error::invalid("the computed definition is not valid", {{"computed", "is not JSON"}});
  }
  if (!j.is_object() || !j.contains("measure") || !j["measure"].is_string())
    return Error::invalid("the computed definition is not valid", {{"computed", "needs a \"measure\""}});
  ComputedDefinition d;
  d.measure = j["measure"].get<std::string>();
  for (const char* k : {"crop", "commodity"})
    if (j.contains(k) && j[k].is_string()) d.crop = j[k].get<std::string>();
  static const std::set<std::string> measures = {"planted_area",     "zone_area",      "converted_from_rice",
                                                 "linked_producers", "supported_area", "support_paid",
                                                 "linkage_chains",   "linkage_households", "linkage_hectares"};
  if (!measures.contains(d.measure))
    return Error::invalid("the computed definition is not valid",
                          {{"computed", "unknown measure '" + d.measure +
                                            "' (planted_area, zone_area, converted_from_rice, linked_producers, "
                                            "supported_area, support_paid, linkage_chains, linkage_households, linkage_hectares)"}});
  if (j.contains("policy")) {
    if (!support::parse_support_measure(d.measure))
      return Error::invalid("the computed definition is not valid",
                            {{"computed", "only supported_area and support_paid take a \"policy\""}});
    if (!j["policy"].is_string() && !j["policy"].is_null())
      return Error::invalid("the computed definition is not valid", {{"computed", "\"policy\" must be a policy code"}});
    if (j["policy"].is_string()) d.policy = j["policy"].get<std::string>();
  }
  if ((d.measure == "planted_area" || d.measure == "zone_area") && d.crop.empty())
    return Error::invalid("the computed definition is not valid", {{"computed", d.measure + " needs a \"crop\""}});
  return d;
}

namespace {
std::optional<UnitId> opt_unit(const storage::Row& r, const char* col) {
  if (auto v = r.opt_i64(col)) return UnitId(*v);
  return std::nullopt;
}

std::vector<ComputedRecord> planted(storage::Connection& c, const std::string& crop, const CivilDate& d) {
  std::vector<ComputedRecord> out;
  for (const auto& r : c.query("SELECT pl.id, pl.parcel_id, p.unit_id, pl.planted_area_m2 FROM planting pl "
                               "JOIN parcel p ON p.id = pl.parcel_id WHERE pl.crop = ? AND pl.start_date <= ? "
                               "AND (pl.end_date IS NULL OR pl.end_date >= ?) ORDER BY pl.id",
                               {crop, d.iso(), d.iso()})
                           .rows)
    out.push_back({"planting", r.i64("id"), r.i64("parcel_id"), opt_unit(r, "unit_id"),
                   r.f64("planted_area_m2") / 10000.0});
  return out;
}

std::vector<ComputedRecord> in_zones(storage::Connection& c, const std::string& commodity, const CivilDate& d) {
  std::vector<ComputedRecord> out;
  auto zones = c.query("SELECT id, geom FROM zone WHERE commodity = ? AND geom IS NOT NULL ORDER BY id", {commodity});
  if (zones.empty()) return out;
  auto plantings = planted(c, commodity, d);
  if (plantings.empty()) return out;
  std::map<std::int64_t, std::vector<const ComputedRecord*>> by_parcel;
  for (const auto& p : plantings) by_parcel[p.parcel].push_back(&p);
  for (const auto& [parcel, recs] : by_parcel) {
    auto rs = c.query("SELECT geom, area_m2 FROM parcel WHERE id = ?", {parcel});
    if (rs.empty()) continue;
    auto geom = rs.rows[0].opt_geometry("geom");
    double area = rs.rows[0].opt_f64("area_m2").value_or(0);
    if (!geom || area <= 0) continue;
    double inside = 0;
    for (const auto& z : zones.rows) {
      auto zg = z.opt_geometry("geom");
      if (!zg) continue;
      if (auto a = geo::intersection_area_m2(*geom, *zg); a) inside += *a;
    }
    double fraction = std::min(1.0, inside / area);
    if (fraction < 0.5) continue;  // the zone-measure rule: at least half inside
    for (const auto* r : recs) {
      ComputedRecord x = *r;
      x.value *= fraction;
      out.push_back(x);
    }
  }
  return out;
}

std::vector<ComputedRecord> converted(storage::Connection& c, const std::string& crop, const CivilDate& from,
                                      const CivilDate& to) {
  std::vector<ComputedRecord> out;
  std::string sql =
      "SELECT v.id, v.parcel_id, p.unit_id, v.area_m2 FROM crop_conversion v JOIN parcel p ON p.id = v.parcel_id "
      "WHERE v.from_use IN ('rice', 'inefficient_rice') AND v.conversion_date >= ? AND v.conversion_date <= ?";
  std::vector<storage::Value> params{from.iso(), to.iso()};
  if (!crop.empty()) {
    sql += " AND v.to_crop = ?";
    params.emplace_back(crop);
  }
  for (const auto& r : c.query(sql + " ORDER BY v.id", params).rows)
    out.push_back({"conversion", r.i64("id"), r.i64("parcel_id"), opt_unit(r, "unit_id"), r.f64("area_m2") / 10000.0});
  return out;
}

std::vector<ComputedRecord> linked(storage::Connection& c, const CivilDate& d) {
  std::map<std::int64_t, std::optional<UnitId>> producers;
  for (const auto& r : c.query("SELECT DISTINCT pr.id, pr.unit_id FROM producer_membership m "
                               "JOIN producer pr ON pr.id = m.member_id "
                               "WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)",
                               {d.iso(), d.iso()})
                           .rows)
    producers[r.i64("id")] = opt_unit(r, "unit_id");
  // Owners whose land is leased or contributed (liên kết đất đai) on the date.
  for (const auto& r : c.query("SELECT DISTINCT pr.id, pr.unit_id FROM land_right o "
                               "JOIN producer pr ON pr.id = o.producer_id "
                               "JOIN land_right l ON l.parcel_id = o.parcel_id AND l.kind IN ('lessee', 'contributed') "
                               "AND l.producer_id <> o.producer_id "
                               "WHERE o.kind = 'owner' AND o.valid_from <= ? AND (o.valid_to IS NULL OR o.valid_to >= ?) "
                               "AND l.valid_from <= ? AND (l.valid_to IS NULL OR l.valid_to >= ?)",
                               {d.iso(), d.iso(), d.iso(), d.iso()})
                           .rows)
    producers[r.i64("id")] = opt_unit(r, "unit_id");
  std::vector<ComputedRecord> out;
  for (const auto& [id, unit] : producers) out.push_back({"producer", id, 0, unit, 1.0});
  return out;
}
}  // namespace

std::vector<ComputedRecord> computed_records(storage::Connection& c, const ComputedDefinition& d, Kind kind,
                                             const CivilDate& programme_start, const CivilDate& date) {
  if (d.measure == "planted_area") return planted(c, d.crop, date);
  if (d.measure == "zone_area") return in_zones(c, d.crop, date);
  if (d.measure == "converted_from_rice") {
    CivilDate from = kind == Kind::flow ? CivilDate(date.year(), 1, 1) : programme_start;
    return converted(c, d.crop, from, date);
  }
  if (d.measure == "linked_producers") return linked(c, date);
  if (auto m = support::parse_support_measure(d.measure)) {
    CivilDate from = kind == Kind::flow ? CivilDate(date.year(), 1, 1) : programme_start;
    std::vector<ComputedRecord> out;
    for (const auto& f : support::support_figures(c, *m, d.policy, from, date)) {
      ComputedRecord r;
      r.kind = "application";
      r.id = f.application.value;
      r.unit = f.unit;
      r.value = f.value;
      r.code = f.code;
      r.basis = f.basis;
      out.push_back(std::move(r));
    }
    return out;
  }
  if (auto m = chains::parse_linkage_measure(d.measure)) {
    std::vector<ComputedRecord> out;
    for (const auto& f : chains::linkage_figures(c, *m, d.crop, date)) {
      ComputedRecord r;
      r.kind = "contract";
      r.id = f.contract;
      r.unit = f.unit;
      r.value = f.value;
      r.code = f.code;
      out.push_back(std::move(r));
    }
    return out;
  }
  return {};
}

std::vector<std::pair<UnitId, double>> attribute(const admin::UnitGraph& g, UnitId unit, const CivilDate& date) {
  std::function<void(UnitId, double, int, std::vector<std::pair<UnitId, double>>&)> go =
      [&](UnitId u, double weight, int depth, std::vector<std::pair<UnitId, double>>& out) {
        const admin::AdminUnit* au = g.find(u);
        if (!au || depth > 16) return;
        if (au->valid_on(date)) {
          out.push_back({u, weight});
          return;
        }
        // A unit abolished before the date (an application filed in 2023 under an old
        // commune, asked about 2025): the units that replaced it, by successor share.
        if (au->valid_to && *au->valid_to < date) {
          std::vector<admin::Succession> next;
          double total = 0;
          for (const auto& s : g.successors(u))
            if (s.effective <= date && s.share > 0) {
              next.push_back(s);
              total += s.share;
            }
          for (const auto& s : next) go(s.successor, weight * s.share / total, depth + 1, out);
          return;
        }
        std::vector<admin::Succession> preds;
        for (const auto& s : g.predecessors(u))
          if (s.effective > date) preds.push_back(s);
        // The finest predecessors: those with no other predecessor below them (the
        // whole communes rather than a district shared out by area).
        std::vector<admin::Succession> finest;
        for (const auto& s : preds) {
          bool has_finer = std::any_of(preds.begin(), preds.end(), [&](const admin::Succession& o) {
            return o.predecessor != s.predecessor && g.is_within_on(o.predecessor, s.predecessor, date);
          });
          if (!has_finer) finest.push_back(s);
        }
        if (finest.empty()) return;
        bool areas = std::all_of(finest.begin(), finest.end(), [&](const admin::Succession& s) {
          const admin::AdminUnit* p = g.find(s.predecessor);
          return p && p->area_m2 && *p->area_m2 > 0;
        });
        std::vector<double> w;
        double total = 0;
        for (const auto& s : finest) {
          double x = s.share * (areas ? *g.find(s.predecessor)->area_m2 : 1.0);
          w.push_back(x);
          total += x;
        }
        if (total <= 0) return;
        for (std::size_t i = 0; i < finest.size(); ++i) go(finest[i].predecessor, weight * w[i] / total, depth + 1, out);
      };
  std::vector<std::pair<UnitId, double>> out;
  go(unit, 1.0, 0, out);
  return out;
}

std::map<std::pair<UnitId, int>, double> computed_values(storage::Connection& c, const admin::UnitGraph& g,
                                                         const Programme& p, const Indicator& ind,
                                                         const CivilDate& as_of) {
  std::map<std::pair<UnitId, int>, double> t;
  auto def = parse_computed(ind.computed);
  if (!def) return t;
  for (int y = std::min(p.baseline_year, p.start.year()); y <= as_of.year(); ++y) {
    CivilDate d = admin::reference_date(y, as_of);
    std::map<UnitId, std::vector<std::pair<UnitId, double>>> cache;
    for (const auto& r : computed_records(c, *def, ind.kind, p.start, d)) {
      if (!r.unit) continue;
      auto it = cache.find(*r.unit);
      if (it == cache.end()) it = cache.emplace(*r.unit, attribute(g, *r.unit, d)).first;
      for (const auto& [leaf, w] : it->second) {
        t[{leaf, y}] += r.value * w;
        for (UnitId up : g.ancestors_on(leaf, d)) t[{up, y}] += r.value * w;
      }
    }
  }
  return t;
}

}  // namespace nongsan::targets
