#include "modules/admin/unit_import.hpp"

#include <cmath>

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
}  // namespace

Result<UnitImportReport> import_units(storage::Database& db, AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& fs, const UnitImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::units_write); !s) return s.error();
  std::vector<FieldError> errors;
  auto problem = [&](std::int64_t n, const std::string& field, const std::string& msg) {
    errors.push_back({"feature " + std::to_string(n) + (field.empty() ? "" : ", " + field), msg});
  };
  for (const auto& p : fs.problems) problem(p.feature_number, "geometry", p.message);
  bool has_code = std::find(fs.field_names.begin(), fs.field_names.end(), "code") != fs.field_names.end();
  if (!has_code) return Error::invalid("the file has no 'code' column", {{"code", "column is required"}});

  CivilDate default_date = options.as_of.value_or(CivilDate::today());
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
    }
    rows.push_back(std::move(r));
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
