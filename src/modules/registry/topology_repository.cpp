#include "modules/registry/topology_repository.hpp"

namespace nongsan::registry {

using storage::Null;
using storage::Value;

std::vector<Finding> TopologyRepository::findings(storage::Connection& c, const std::string& kind, bool with_geom) {
  std::string sql = std::string("SELECT id, kind, parcel_a, parcel_b, value, message, checked_at") +
                    (with_geom ? ", geom" : "") + " FROM topology_finding";
  std::vector<Value> params;
  if (!kind.empty()) {
    sql += " WHERE kind = ?";
    params.emplace_back(kind);
  }
  std::vector<Finding> out;
  for (const auto& r : c.query(sql + " ORDER BY kind, parcel_a, parcel_b", params).rows)
    out.push_back({r.i64("id"), r.str("kind"), r.str("parcel_a"), r.opt_str("parcel_b").value_or(""), r.str("message"),
                   r.str("checked_at"), r.opt_f64("value"), with_geom ? r.opt_geometry("geom") : std::nullopt});
  return out;
}

void TopologyRepository::replace_findings(storage::Connection& c, const std::vector<std::string>& kinds,
                                          const std::vector<Finding>& rows) {
  if (!kinds.empty()) {
    std::string in;
    std::vector<Value> params;
    for (const auto& k : kinds) {
      in += in.empty() ? "?" : ", ?";
      params.emplace_back(k);
    }
    c.execute("DELETE FROM topology_finding WHERE kind IN (" + in + ")", params);
  }
  for (const auto& f : rows)
    c.execute(
        "INSERT INTO topology_finding (kind, parcel_a, parcel_b, value, message, checked_at, geom) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {f.kind, f.a, f.b.empty() ? Value{Null{}} : Value{f.b}, storage::optional_value(f.value), f.message,
         f.checked_at, f.geom ? Value{*f.geom} : Value{Null{}}});
}

void TopologyRepository::record_run(storage::Connection& c, const CheckRun& run) {
  c.execute("DELETE FROM topology_check_run WHERE kind = ?", {run.kind});
  c.execute("INSERT INTO topology_check_run (kind, checked_at, checked_by, parcels, findings, min_overlap_m2, job_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {run.kind, run.checked_at, run.checked_by, run.parcels, run.findings,
             storage::optional_value(run.min_overlap_m2), storage::optional_value(run.job_id)});
}

std::vector<CheckRun> TopologyRepository::runs(storage::Connection& c) {
  std::vector<CheckRun> out;
  for (const auto& r : c.query("SELECT kind, checked_at, checked_by, parcels, findings, min_overlap_m2, job_id "
                               "FROM topology_check_run ORDER BY kind")
                           .rows)
    out.push_back({r.str("kind"), r.str("checked_at"), r.str("checked_by"), r.i64("parcels"), r.i64("findings"),
                   r.opt_f64("min_overlap_m2"), r.opt_i64("job_id")});
  return out;
}

std::unordered_map<std::string, std::optional<UnitId>> TopologyRepository::current_parcel_units(storage::Connection& c) {
  std::unordered_map<std::string, std::optional<UnitId>> out;
  for (const auto& r : c.query("SELECT external_id, unit_id FROM parcel WHERE valid_to IS NULL").rows) {
    auto u = r.opt_i64("unit_id");
    out[r.str("external_id")] = u ? std::optional<UnitId>(UnitId(*u)) : std::nullopt;
  }
  return out;
}

}  // namespace nongsan::registry
