#include "modules/admin/unit_import.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"

namespace nongsan::admin {

using nlohmann::json;

namespace {
struct Row {
  std::int64_t number;
  std::string code, name, kind, parent_code;
  std::optional<AdminLevel> level;
  std::optional<CivilDate> valid_from, valid_to;
  std::vector<std::pair<std::string, double>> predecessors;
  std::optional<storage::Geometry> geom;
  std::optional<double> area_m2;
};

std::string attr(const geo::Feature& f, const char* name) {
  auto it = f.attributes.find(name);
  return it == f.attributes.end() ? "" : trim(it->second);
}

// Vietnam's mainland and islands lie within these longitudes and latitudes: the
// extent a unit must fall in before the province has a boundary of its own.
constexpr geo::Bounds kVietnam{102.0, 8.0, 118.0, 23.5};
constexpr double kMetresPerDegree = 111320.0;  // of latitude; of longitude at the equator

// The province's boundary box on `date` (any province unit with a stored boundary
// valid then), grown by `margin_m`; Vietnam's extent when there is none.
geo::Bounds allowed_extent(const std::map<UnitId, storage::Geometry>& provinces, const UnitGraph& g,
                           const CivilDate& date, double margin_m, std::string& what) {
  for (const auto& [id, geom] : provinces) {
    const AdminUnit* u = g.find(id);
    if (!u || !u->valid_on(date)) continue;
    auto b = geo::bounds(geom);
    if (!b) continue;
    const double dy = margin_m / kMetresPerDegree;
    const double dx = margin_m / (kMetresPerDegree * std::cos((b->min_y + b->max_y) / 2 * M_PI / 180));
    what = "the extent of " + u->name + " (grown by " + format_number_vi(margin_m, 0) + " m)";
    return {b->min_x - dx, b->min_y - dy, b->max_x + dx, b->max_y + dy};
  }
  what = "Vietnam's extent";
  return kVietnam;
}
}  // namespace

Result<UnitImportReport> import_units(storage::Database& db, AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& fs, const UnitImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::units_write); !s) return s.error();
  std::vector<FieldError> errors;
  auto problem = [&](std::int64_t n, const std::string& field, const std::string& msg) {
    errors.push_back({"feature " + std::to_string(n) + (field.empty() ? "" : ", " + field), msg});
  };
  for (const auto& p : fs.problems) problem(p.feature_number, "geometry", p.message);
  std::set<std::int64_t> unreadable;
  for (const auto& p : fs.problems) unreadable.insert(p.feature_number);
  // In a file with geometries, every unit has one: a null or unreadable geometry is
  // a mistake in the file, not "keep the boundary".
  // (geo::read_features names the CRS of every layer that carries geometry, and only of those.)
  const bool spatial = !fs.source_crs.empty() || !fs.problems.empty();
  for (const auto& f : fs.features)
    for (const auto& [column, value] : f.attributes)
      if (!is_valid_utf8(value))
        problem(f.number, is_valid_utf8(column) ? column : "",
                "is not valid UTF-8 text: the file may be in a legacy encoding (TCVN3, VNI, Windows-1258); save it as "
                "UTF-8");
  bool has_code = std::find(fs.field_names.begin(), fs.field_names.end(), "code") != fs.field_names.end();
  if (!has_code) return Error::invalid("the file has no 'code' column", {{"code", "column is required"}});

  CivilDate default_date = options.as_of.value_or(CivilDate::today());
  if (auto e = options.dates.check("as_of", options.as_of)) return Error::invalid("the import date is not valid", {*e});
  std::vector<Row> rows;
  for (const auto& f : fs.features) {
    Row r;
    r.number = f.number;
    r.code = attr(f, "code");
    r.name = attr(f, "name");
    r.kind = attr(f, "kind");
    r.parent_code = attr(f, "parent_code");
    if (r.code.empty()) problem(f.number, "code", "is empty");
    if (auto l = attr(f, "level"); !l.empty()) {
      r.level = parse_level(l);
      if (!r.level) problem(f.number, "level", "must be province, district or commune, not '" + l + "'");
    }
    for (const char* field : {"valid_from", "valid_to"}) {
      std::string v = attr(f, field);
      if (v.empty()) continue;
      auto d = CivilDate::parse(v);
      if (!d) problem(f.number, field, "is not a date (YYYY-MM-DD or dd/mm/yyyy): '" + v + "'");
      else if (!options.dates.contains(*d)) problem(f.number, field, options.dates.rule() + ", not " + d->vi());
      (std::string(field) == "valid_from" ? r.valid_from : r.valid_to) = d;
    }
    if (r.valid_from && r.valid_to && *r.valid_to < *r.valid_from) problem(f.number, "valid_to", "is before valid_from");
    if (std::string preds = attr(f, "predecessors"); !preds.empty()) {
      std::string_view s(preds);
      while (!s.empty()) {
        auto semi = s.find(';');
        std::string item = trim(s.substr(0, semi));
        if (!item.empty()) {
          auto colon = item.find(':');
          std::string code = trim(item.substr(0, colon));
          double share = 1.0;
          if (colon != std::string::npos) {
            auto v = parse_number(item.substr(colon + 1), false);
            if (!v || *v <= 0 || *v > 1) problem(f.number, "predecessors", "share must be in (0, 1]: '" + item + "'");
            else share = *v;
          }
          r.predecessors.emplace_back(code, share);
        }
        if (semi == std::string_view::npos) break;
        s.remove_prefix(semi + 1);
      }
    }
    if (f.geometry) {
      std::string reason;
      auto mp = geo::as_multipolygon(*f.geometry);
      if (!mp) problem(f.number, "geometry", "must be a polygon or multipolygon");
      else if (!geo::is_valid(*mp, &reason)) problem(f.number, "geometry", "is not valid: " + reason);
      else {
        r.geom = *mp;
        if (auto a = geo::area_m2(*mp)) r.area_m2 = *a;
      }
    } else if (spatial && !unreadable.count(f.number)) {
      problem(f.number, "geometry",
              "is missing or unreadable (null, not a geometry, or an unknown type) while the file gives other units "
              "theirs");
    }
    rows.push_back(std::move(r));
  }
  // A code twice with overlapping validity would make two units of one (or one
  // unit changed twice): name both features.
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows.size(); ++j) {
      if (i == j || rows[i].code.empty() || rows[i].code != rows[j].code) continue;
      const CivilDate fi = rows[i].valid_from.value_or(default_date), fj = rows[j].valid_from.value_or(default_date);
      const bool overlap = (!rows[j].valid_to || fi <= *rows[j].valid_to) && (!rows[i].valid_to || fj <= *rows[i].valid_to);
      if (overlap)
        problem(rows[i].number, "code",
                "'" + rows[i].code + "' is also on feature " + std::to_string(rows[j].number) +
                    " for the same period; a code names one unit at a time");
    }
  // A boundary must be plausible for the province.
  {
    std::vector<UnitId> province_ids;
    auto g0 = admin.graph();
    for (const auto& u : g0->units())
      if (u.level == AdminLevel::province) province_ids.push_back(u.id);
    auto provinces = db.read([&](storage::Connection& c) { return AdminRepository::geometries(c, province_ids); });
    for (const auto& r : rows) {
      if (!r.geom) continue;
      const CivilDate when = r.valid_from.value_or(default_date);
      std::string what;
      // The province's own row is judged against Vietnam's extent.
      const bool is_province = r.level == AdminLevel::province ||
                               (g0->find_by_code(r.code, when) && g0->find_by_code(r.code, when)->level == AdminLevel::province);
      geo::Bounds box = is_province ? kVietnam : allowed_extent(provinces, *g0, when, options.extent_margin_m, what);
      if (is_province) what = "Vietnam's extent";
      auto b = geo::bounds(*r.geom);
      if (b && (b->min_x < box.min_x || b->max_x > box.max_x || b->min_y < box.min_y || b->max_y > box.max_y))
        problem(r.number, "geometry", "reaches outside " + what + ": not a plausible boundary for a unit of the province");
      else if (!r.area_m2)
        problem(r.number, "geometry", "has no measurable area in the province's projection");
      else if (*r.area_m2 / 1e6 > options.max_area_km2)
        problem(r.number, "geometry",
                "covers " + format_number_vi(*r.area_m2 / 1e6, 0) + " km², more than " +
                    format_number_vi(options.max_area_km2, 0) + " km² (unit_max_area_km2): not a plausible boundary");
    }
  }

  auto g = admin.graph();
  // Second pass: rows that create units need name and level; parents and predecessors
  // must exist (in the database or earlier in the file).
  std::map<std::string, const Row*> new_codes;
  for (const auto& r : rows) {
    if (r.code.empty()) continue;
    CivilDate when = r.valid_from.value_or(default_date);
    if (g->find_by_code(r.code, when)) continue;
    if (r.name.empty()) problem(r.number, "name", "is required for a new unit (no unit '" + r.code + "' on " + when.vi() + ")");
    if (!r.level) problem(r.number, "level", "is required for a new unit");
    if (!r.valid_from) problem(r.number, "valid_from", "is required for a new unit");
    new_codes[r.code] = &r;
  }
  for (const auto& r : rows) {
    CivilDate when = r.valid_from.value_or(default_date);
    auto in_file_on = [&](const std::string& code, const CivilDate& d) {
      auto it = new_codes.find(code);
      if (it == new_codes.end()) return false;
      const Row* p = it->second;
      return p->valid_from && *p->valid_from <= d && (!p->valid_to || d <= *p->valid_to);
    };
    if (!r.parent_code.empty() && !g->find_by_code(r.parent_code, when) && !in_file_on(r.parent_code, when))
      problem(r.number, "parent_code", "no unit '" + r.parent_code + "' valid on " + when.vi());
    for (const auto& [code, share] : r.predecessors)
      if (!g->find_by_code(code, CivilDate::from_days(when.days_since_epoch() - 1)) && !new_codes.count(code))
        problem(r.number, "predecessors", "no unit '" + code + "' valid the day before " + when.vi());
  }
  if (!errors.empty()) return Error::invalid("the file has " + std::to_string(errors.size()) + " problem(s); nothing was stored", errors);

  UnitImportReport report;
  auto apply = [&](storage::Connection& c) {
    // Two passes: every unit first, then parent and successor links, so that a file
    // may list a commune before its district (as exports do).
    UnitGraph current = AdminRepository::load_graph(c);
    std::vector<std::pair<const Row*, UnitId>> created;
    for (const auto& r : rows) {
      CivilDate when = r.valid_from.value_or(default_date);
      if (const AdminUnit* existing = current.find_by_code(r.code, when)) {
        AdminUnit u = *existing;
        bool changed = false;
        if (!r.name.empty() && r.name != u.name) u.name = r.name, changed = true;
        if (!r.kind.empty() && r.kind != u.kind) u.kind = r.kind, changed = true;
        if (r.valid_to && r.valid_to != u.valid_to) u.valid_to = r.valid_to, changed = true;
        json before = admin.unit_json(current, *existing, when);
        if (changed) AdminRepository::update_unit(c, u);
        if (r.geom) {
          AdminRepository::set_geometry(c, u.id, r.geom, GeomSource::imported, r.area_m2);
          changed = true;
        }
        if (changed) {
          ++report.updated;
          audit::record(c, actor, "update", "admin_unit", std::to_string(u.id.value), u.id, before,
                        json{{"code", u.code}, {"name", u.name}, {"geometry", r.geom ? "imported" : "unchanged"}});
        } else {
          ++report.unchanged;
        }
        continue;
      }
      AdminUnit u;
      u.code = r.code;
      u.name = r.name;
      u.level = *r.level;
      u.kind = r.kind;
      u.valid_from = *r.valid_from;
      u.valid_to = r.valid_to;
      u.area_m2 = r.area_m2;
      u.geom_source = r.geom ? GeomSource::imported : GeomSource::none;
      u.source = "import: " + fs.layer_name;
      u.id = AdminRepository::insert_unit(c, u, r.geom);
      ++report.created;
      created.emplace_back(&r, u.id);
    }
    current = AdminRepository::load_graph(c);
    for (const auto& [r, id] : created) {
      const AdminUnit& u = *current.find(id);
      if (!r->parent_code.empty()) {
        const AdminUnit* p = current.find_by_code(r->parent_code, u.valid_from);
        if (!p) throw std::logic_error("parent checked above is missing: " + r->parent_code);
        AdminRepository::insert_link(c, {u.id, p->id, u.valid_from, u.valid_to});
      }
      for (const auto& [code, share] : r->predecessors)
        if (const AdminUnit* p = current.find_by_code(code, CivilDate::from_days(u.valid_from.days_since_epoch() - 1))) {
          AdminRepository::insert_succession(c, {p->id, u.id, u.valid_from, share,
                                                 share >= 1.0 ? ShareBasis::whole : ShareBasis::area,
                                                 "import: " + fs.layer_name});
          ++report.successions;
        }
    }
    current = AdminRepository::load_graph(c);
    for (const auto& [r, id] : created)
      audit::record(c, actor, "create", "admin_unit", std::to_string(id.value), id, std::nullopt,
                    admin.unit_json(current, *current.find(id), current.find(id)->valid_from));
  };
  if (options.dry_run) {
    // Run everything in a transaction that is always rolled back, so the report is exact.
    struct DryRun {};
    try {
      db.write([&](storage::Connection& c) {
        apply(c);
        throw DryRun{};
      });
    } catch (const DryRun&) {
    }
    return report;
  }
  db.write(apply);
  admin.invalidate();
  return report;
}

}  // namespace nongsan::admin
