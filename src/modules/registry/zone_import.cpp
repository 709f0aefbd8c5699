// Importing production zones (registry_import.hpp: import_zones).
#include "modules/registry/registry_import.hpp"

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;
using namespace import;

namespace {

std::optional<ZoneStatus> parse_status(const std::string& s) {
  return parse_alias<ZoneStatus>(s, &parse_zone_status,
                                 {{"quy hoach", ZoneStatus::planned},
                                  {"dang hoat dong", ZoneStatus::active},
                                  {"hoat dong", ZoneStatus::active},
                                  {"da dong", ZoneStatus::closed},
                                  {"ket thuc", ZoneStatus::closed}});
}

struct ZoneRow {
  std::int64_t number = 0;
  std::string code, name, commodity, unit_code, decision;
  std::optional<UnitId> unit;
  std::optional<double> planned_area_ha;
  std::optional<CivilDate> period_from, period_to;
  std::optional<ZoneStatus> status;
  std::optional<storage::Geometry> geom;
};
}  // namespace

Result<ImportReport> import_zones(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                  const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  auto import_day = import_date(options);
  if (!import_day) return import_day.error();
  const CivilDate date = *import_day;
  const std::string source = source_name(options, fs);
  const Columns cols(fs.field_names);
  const std::string code_col = cols.find({"code", "ma_vung"});
  if (code_col.empty()) return missing_columns(source, {"code"}, fs.field_names);
  const std::string name_col = cols.find({"name", "ten_vung", "ten"});
  const std::string commodity_col = cols.find({"commodity", "crop", "cay_trong"});
  const std::string unit_col = cols.find({"unit_code", "commune_code", "commune", "unit", "ma_xa"});
  const std::string area_col = cols.find({"planned_area_ha", "dien_tich_ha"});
  const std::string decision_col = cols.find({"decision", "quyet_dinh"});
  const std::string from_col = cols.find({"period_from", "tu_ngay"});
  const std::string to_col = cols.find({"period_to", "den_ngay"});
  const std::string status_col = cols.find({"status", "trang_thai"});

  Problems problems;
  check_text(fs, problems);
  auto graph = admin.graph();
  const auto unreadable = read_problems(fs);
  const bool spatial = has_geometries(fs);
  std::vector<ZoneRow> rows;
  for (const auto& f : fs.features) {
    ZoneRow r;
    r.number = f.number;
    r.code = cell(f, code_col);
    if (r.code.empty()) problems.add(f.number, code_col, "is empty: every zone needs a code");
    r.name = cell(f, name_col);
    r.commodity = cell(f, commodity_col);
    r.unit_code = cell(f, unit_col);
    if (!r.unit_code.empty()) {
      if (const auto* u = graph->find_by_code(r.unit_code, date)) r.unit = u->id;
      else problems.add(f.number, unit_col, "no unit with code '" + r.unit_code + "' on " + date.vi());
    }
    r.planned_area_ha = number_cell(f, area_col, problems);
    r.decision = cell(f, decision_col);
    r.period_from = date_cell(f, from_col, options, problems);
    r.period_to = date_cell(f, to_col, options, problems);
    if (r.period_from && r.period_to && *r.period_to < *r.period_from)
      problems.add(f.number, to_col, "is before " + from_col);
    if (std::string s = cell(f, status_col); !s.empty()) {
      r.status = parse_status(s);
      if (!r.status) problems.add(f.number, status_col, "must be planned, active or closed, not '" + s + "'");
    }
    if (auto it = unreadable.find(f.number); it != unreadable.end()) {
      for (const auto& m : it->second) problems.add(f.number, "geometry", m);
    } else if (!f.geometry && spatial) {
      problems.add(f.number, "geometry",
                   "is missing or unreadable (null, not GeoJSON, or an unknown type) while the file gives the other "
                   "zones theirs: a zone is not stored without its boundary");
    } else if (f.geometry) {
      auto shape = polygonal(*f.geometry);
      if (!shape) problems.add(f.number, "geometry", shape.error().message);
      else r.geom = std::move(shape->first);
    }
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> ids;
    for (const auto& r : rows) ids.emplace_back(r.number, r.code);
    flag_duplicates(ids, code_col, problems, "code");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::vector<std::optional<Zone>> stored(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (r.code.empty()) continue;
      stored[i] = RegistryRepository::find_zone_by_code(c, r.code);
      if (!stored[i]) {
        if (r.name.empty()) all.add(r.number, name_col.empty() ? "name" : name_col, "is required for a new zone");
        if (r.commodity.empty())
          all.add(r.number, commodity_col.empty() ? "commodity" : commodity_col, "is required for a new zone");
      }
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (all.bad(r.number)) continue;
      Zone z = stored[i].value_or(Zone{});
      bool changed = !stored[i];
      auto set = [&](auto& field, const auto& value, bool present) {
        if (present && !(field == value)) {
          field = value;
          changed = true;
        }
      };
      z.code = r.code;
      set(z.name, r.name, !r.name.empty());
      set(z.commodity, r.commodity, !r.commodity.empty());
      set(z.unit, r.unit, !unit_col.empty());
      set(z.planned_area_ha, r.planned_area_ha, !area_col.empty());
      set(z.decision, r.decision, !decision_col.empty());
      set(z.period_from, r.period_from, !from_col.empty());
      set(z.period_to, r.period_to, !to_col.empty());
      if (r.status) set(z.status, *r.status, true);
      if (r.geom && !same_boundary(z.geom, r.geom)) {
        z.geom = r.geom;
        changed = true;
      }
      if (!stored[i]) {
        RegistryRepository::insert_zone(c, z);
        ++out.created;
      } else if (changed) {
        RegistryRepository::update_zone(c, z);
        ++out.updated;
      } else {
        ++out.unchanged;
      }
    }
    audit::record(c, actor, "import", "zone", source, std::nullopt, std::nullopt, counts_json(out, source, date));
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

}  // namespace nongsan::registry
