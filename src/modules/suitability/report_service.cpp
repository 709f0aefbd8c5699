#include "modules/suitability/report_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/suitability/suitability_format.hpp"
#include "modules/suitability/suitability_repository.hpp"
#include "modules/suitability/zonal_summary.hpp"

namespace nongsan::suitability {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

Result<TableOut> ReportService::parcel_table(const identity::Actor& a, const std::string& crop,
                                                  const std::string& commune) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto g = admin_.graph();
  std::optional<std::unordered_set<UnitId>> units;
  if (!commune.empty()) {
    const admin::AdminUnit* u = g->find_by_code_any_time(commune, CivilDate::today());
    if (!u) return Error::invalid("unknown commune", {{"commune", "no unit with code '" + commune + "'"}});
    units = std::unordered_set<UnitId>{u->id};
  }
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::parcels(c, crop, {}, units, false); });
  TableOut t;
  t.columns = {"parcel", "commune_code", "commune", "crop", "state", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha",
               "dominant_class", "limiting_factor"};
  for (const auto& r : rows) {
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    t.rows.push_back({r.external_id, u ? u->code : "", u ? u->name : "", r.crop, r.state, fmt_ha(r.m2[1]),
                      fmt_ha(r.m2[2]), fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]), r.dominant_class,
                      r.limiting_factor});
  }
  return t;
}

Result<TableOut> ReportService::zone_table(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  auto g = admin_.graph();
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::zones(c, crop, std::nullopt, false); });
  TableOut t;
  t.columns = {"zone", "name", "commodity", "crop", "commune", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha",
               "S3_N_share", "limiting_factors"};
  for (const auto& r : rows) {
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    double evaluated = r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    std::string lim;
    for (const auto& l : json::parse(r.limiting, nullptr, false))
      lim += (lim.empty() ? "" : "; ") + l.value("factor", "") + " " + fmt_ha(l.value("m2", 0.0)) + " ha";
    t.rows.push_back({r.code, r.name, r.commodity, r.crop, u ? u->name : "", fmt_ha(r.m2[1]), fmt_ha(r.m2[2]),
                      fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]),
                      fmt_share(evaluated > 0 ? (r.m2[3] + r.m2[4]) / evaluated : 0), lim});
  }
  return t;
}

Result<TableOut> ReportService::unit_table(const identity::Actor& a, const std::string& crop) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (crop.empty()) return Error::invalid("which crop?", {{"crop", "is required"}});
  auto g = admin_.graph();
  auto rows = db_.read([&](storage::Connection& c) { return SuitabilityQueries::parcels(c, crop, {}, std::nullopt, false); });
  // Sum per commune, then up to its district and the province (today's hierarchy;
  // a commune of before the 2025 reform rolls up through its old district).
  std::map<std::int64_t, ClassM2> by_unit;
  std::map<std::int64_t, int> count;
  CivilDate today = CivilDate::today();
  for (const auto& r : rows) {
    if (!r.unit_id) continue;
    std::vector<UnitId> chain{UnitId(*r.unit_id)};
    const admin::AdminUnit* u = g->find(UnitId(*r.unit_id));
    CivilDate on = u && u->valid_to && *u->valid_to < today ? *u->valid_to : today;
    for (auto anc : g->ancestors_on(UnitId(*r.unit_id), on)) chain.push_back(anc);
    for (auto id : chain) {
      auto& m = by_unit[id.value];
      for (int i = 0; i < kClassCount; ++i) m[static_cast<std::size_t>(i)] += r.m2[static_cast<std::size_t>(i)];
      ++count[id.value];
    }
  }
  TableOut t;
  t.columns = {"unit_code", "unit", "level", "crop", "parcels", "S1_ha", "S2_ha", "S3_ha", "N_ha", "nodata_ha"};
  std::vector<std::pair<std::string, std::int64_t>> order;
  for (const auto& [id, m] : by_unit) {
    const admin::AdminUnit* u = g->find(UnitId(id));
    order.push_back({u ? u->code : "", id});
  }
  std::sort(order.begin(), order.end());
  for (const auto& [code, id] : order) {
    const admin::AdminUnit* u = g->find(UnitId(id));
    const auto& m = by_unit[id];
    t.rows.push_back({code, u ? u->name : "", u ? std::string(admin::to_string(u->level)) : "", crop,
                      std::to_string(count[id]), fmt_ha(m[1]), fmt_ha(m[2]), fmt_ha(m[3]), fmt_ha(m[4]), fmt_ha(m[0])});
  }
  return t;
}

// ---- planning reports ------------------------------------------------------------------

Result<TableOut> ReportService::zone_report(const identity::Actor& a, const std::string& crop, double min_share) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  if (!(min_share >= 0 && min_share <= 1))
    return Error::invalid("bad share", {{"min_share", "must be between 0 and 1"}});
  auto g = admin_.graph();
  auto [rows, profiles] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityQueries::zones(c, crop, std::nullopt, true), SuitabilityRepository::list_profiles(c));
  });
  std::map<std::string, std::string> commodity;
  for (const auto& p : profiles) commodity[p.crop] = p.commodity;
  TableOut t;
  t.columns = {"zone", "name", "commodity", "crop", "commune", "status", "S1_ha", "S2_ha", "S3_ha", "N_ha",
               "nodata_ha", "S3_N_share", "limiting_factors"};
  for (const auto& r : rows) {
    // Only zones planned for the crop the row evaluates.
    if (commodity.count(r.crop) && commodity[r.crop] != r.commodity) continue;
    double evaluated = r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    if (evaluated <= 0) continue;
    double share = (r.m2[3] + r.m2[4]) / evaluated;
    if (share <= min_share) continue;
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    std::string lim;
    for (const auto& l : json::parse(r.limiting, nullptr, false))
      lim += (lim.empty() ? "" : "; ") + l.value("factor", "") + " " + fmt_ha(l.value("m2", 0.0)) + " ha";
    t.rows.push_back({r.code, r.name, r.commodity, r.crop, u ? u->name : "", r.status, fmt_ha(r.m2[1]),
                      fmt_ha(r.m2[2]), fmt_ha(r.m2[3]), fmt_ha(r.m2[4]), fmt_ha(r.m2[0]), fmt_share(share), lim});
    t.geometries.push_back(r.geom);
  }
  return t;
}

Result<ReportService::CandidateReport> ReportService::candidate_land(const identity::Actor& a,
                                                                               const std::vector<int>& classes) {
  if (auto s = AccessPolicy::require(a, Permission::suitability_read); !s) return s.error();
  std::set<int> want(classes.begin(), classes.end());
  if (want.empty()) want = {1, 2};
  auto g = admin_.graph();
  auto [rows, profiles] = db_.read([&](storage::Connection& c) {
    return std::make_pair(SuitabilityQueries::parcels(c, "", {"idle", "inefficient_rice"}, std::nullopt, true),
                          SuitabilityRepository::list_profiles(c));
  });
  std::map<std::string, std::string> commodity;
  for (const auto& p : profiles) commodity[p.crop] = p.commodity;
  CandidateReport out;
  out.parcels.columns = {"parcel", "commune_code", "commune", "state", "crop", "class", "hectares", "parcel_ha"};
  std::map<std::pair<std::string, std::string>, std::pair<double, int>> totals;  // (commune code, crop)
  std::map<std::string, std::string> commune_name;
  for (const auto& r : rows) {
    // "Another crop": rice land is a candidate for the crops that are not rice.
    auto cm = commodity.find(r.crop);
    if (r.state == "inefficient_rice" && cm != commodity.end() && cm->second == "rice") continue;
    int dom = 0;
    for (int c = 1; c < kClassCount; ++c)
      if (r.dominant_class == class_code(c)) dom = c;
    if (!want.count(dom)) continue;
    double m2 = 0;
    for (int c : want)
      if (c >= 1 && c < kClassCount) m2 += r.m2[static_cast<std::size_t>(c)];
    double total = r.m2[0] + r.m2[1] + r.m2[2] + r.m2[3] + r.m2[4];
    const admin::AdminUnit* u = r.unit_id ? g->find(UnitId(*r.unit_id)) : nullptr;
    std::string code = u ? u->code : "", name = u ? u->name : "";
    commune_name[code] = name;
    out.parcels.rows.push_back({r.external_id, code, name, r.state, r.crop, r.dominant_class, fmt_ha(m2), fmt_ha(total)});
    out.parcels.geometries.push_back(r.geom);
    auto& t = totals[{code, r.crop}];
    t.first += m2;
    t.second += 1;
  }
  out.totals.columns = {"commune_code", "commune", "crop", "hectares", "parcels"};
  for (const auto& [k, v] : totals)
    out.totals.rows.push_back({k.first, commune_name[k.first], k.second, fmt_ha(v.first), std::to_string(v.second)});
  return out;
}

}  // namespace nongsan::suitability
