// Importing parcels from cadastral maps (registry_import.hpp: import_parcels).
#include "modules/registry/registry_import.hpp"

#include <algorithm>
#include <unordered_map>

#include "geo/geometry_ops.hpp"
#include "geo/point_on_surface.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/registry/parcel_placement.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;
using namespace import;

namespace {

std::optional<ParcelState> parse_state(const std::string& s) {
  return parse_alias<ParcelState>(s, &parse_parcel_state,
                                  {{"in use", ParcelState::in_use},
                                   {"dang su dung", ParcelState::in_use},
                                   {"idle", ParcelState::idle},
                                   {"hoang hoa", ParcelState::idle},
                                   {"dat hoang hoa", ParcelState::idle},
                                   {"lua kem hieu qua", ParcelState::inefficient_rice},
                                   {"dat lua kem hieu qua", ParcelState::inefficient_rice}});
}

struct ParcelRow {
  std::int64_t number = 0;
  std::string external_id, sheet_no, parcel_no, land_use_code, commune_code;
  std::optional<ParcelState> state;
  std::optional<double> official_area_m2;
  std::optional<UnitId> unit;
  std::optional<storage::Geometry> geom;  // valid MultiPolygon, EPSG:4326
  double area_m2 = 0;
};

}  // namespace

Result<ParcelImportReport> import_parcels(storage::Database& db, admin::AdminService& admin,
                                          const identity::Actor& actor, const geo::FeatureSet& fs,
                                          const ParcelImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  auto import_day = import_date(options);
  if (!import_day) return import_day.error();
  const CivilDate date = *import_day;
  const std::string source = source_name(options, fs);
  const Columns cols(fs.field_names);
  // Without --id-field, a file this program exported (external_id, shortened to
  // external_i in a Shapefile) reads back too.
  const std::string id_col =
      options.id_field == "id" ? cols.find({"id", "external_id", "external_i"}) : cols.find(options.id_field);
  const std::string text_col = cols.find({"text"});
  const bool labels = id_col.empty() && !text_col.empty();
  if (id_col.empty() && !labels) return missing_columns(source, {options.id_field}, fs.field_names);
  std::string commune_col;
  if (!options.commune_field.empty()) {
    commune_col = cols.find(options.commune_field);
    if (commune_col.empty()) return missing_columns(source, {options.commune_field}, fs.field_names);
  }
  const std::string sheet_col = cols.find({"sheet_no", "to_ban_do", "so_to", "shbando"});
  const std::string parcel_col = cols.find({"parcel_no", "so_thua", "shthua"});
  const std::string use_col = cols.find({"land_use_code", "land_use_c", "loai_dat", "mdsd"});
  const std::string area_col = cols.find({"official_area_m2", "official_a", "dien_tich", "dientich"});
  const std::string state_col = cols.find({"state"});
  const std::string id_name = labels ? text_col : id_col;

  ParcelImportReport report;
  report.ids_from_labels = labels;
  Problems problems;
  check_text(fs, problems);
  const auto unreadable = read_problems(fs);
  std::vector<ParcelRow> rows;
  rows.reserve(fs.features.size());
  std::vector<storage::Geometry> label_points;
  std::vector<std::string> label_texts;
  int set_aside = 0;

  Progress checking(options, "checking", fs.features.size());
  for (std::size_t i = 0; i < fs.features.size(); ++i) {
    checking.tick(i);
    const geo::Feature& f = fs.features[i];
    auto bad_read = unreadable.find(f.number);
    std::optional<Result<std::pair<storage::Geometry, double>>> shape;
    if (bad_read == unreadable.end() && f.geometry) shape.emplace(polygonal(*f.geometry));
    if (labels && !(shape && *shape) && bad_read == unreadable.end()) {
      // A DGN sheet: text elements name the shapes they sit in; lines and other
      // elements are drawing, not parcels.
      const std::string text = cell(f, text_col);
      if (f.geometry && !text.empty()) {
        label_points.push_back(*f.geometry);
        label_texts.push_back(text);
        continue;
      }
      if (!shape || !f.geometry || !geo::bounds(*f.geometry) ||
          shape->error().message.rfind("must be a polygon", 0) == 0) {
        ++set_aside;
        continue;
      }
    }
    ParcelRow r;
    r.number = f.number;
    if (!labels) {
      r.external_id = cell(f, id_col);
      if (r.external_id.empty()) problems.add(f.number, id_col, "is empty: every parcel needs an id");
    }
    r.sheet_no = cell(f, sheet_col);
    r.parcel_no = cell(f, parcel_col);
    r.land_use_code = cell(f, use_col);
    r.commune_code = cell(f, commune_col);
    if (std::string s = cell(f, state_col); !s.empty()) {
      r.state = parse_state(s);
      if (!r.state)
        problems.add(
            f.number, state_col,
            "must be in_use, idle or inefficient_rice (đang sử dụng, hoang hóa, lúa kém hiệu quả), not '" + s + "'");
    }
    r.official_area_m2 = number_cell(f, area_col, problems);
    if (bad_read != unreadable.end()) {
      for (const auto& m : bad_read->second) problems.add(f.number, "geometry", m);
    } else if (!f.geometry) {
      problems.add(f.number, "geometry", "is missing: a parcel needs its boundary");
    } else if (!*shape) {
      problems.add(f.number, "geometry", shape->error().message);
    } else {
      r.geom = std::move((*shape)->first);
      // The area from the file's own coordinates when the reader could measure it
      // (one transformation into VN-2000, none for a file drawn in it).
      r.area_m2 = f.area_m2 && *f.area_m2 > 0 ? *f.area_m2 : (*shape)->second;
    }
    rows.push_back(std::move(r));
  }
  checking.tick(fs.features.size());

  if (labels) {
    std::vector<storage::Geometry> shapes;
    std::vector<std::size_t> row_of;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].geom) {
        shapes.push_back(*rows[i].geom);
        row_of.push_back(i);
      }
    auto where = geo::locate_in_areas(label_points, shapes);
    if (!where) return where.error();
    std::vector<std::vector<std::string>> texts(shapes.size());
    int stray = 0;
    for (std::size_t k = 0; k < where->size(); ++k) {
      if ((*where)[k]) texts[*(*where)[k]].push_back(label_texts[k]);
      else ++stray;
    }
    for (std::size_t s = 0; s < shapes.size(); ++s) {
      ParcelRow& r = rows[row_of[s]];
      if (texts[s].size() == 1) r.external_id = texts[s][0];
      else if (texts[s].empty())
        problems.add(
            r.number, text_col,
            "no text element lies inside this shape (in a DGN sheet the parcel's id is the text placed in it)");
      else
        problems.add(r.number, text_col,
                     "several text elements lie inside this shape (" + list_of(texts[s]) +
                         "); the parcel's id must be the only one");
    }
    if (set_aside)
      report.warnings.push_back(std::to_string(set_aside) +
                                " element(s) that are neither shapes nor text (lines, arcs, cells) were left aside");
    if (stray)
      report.warnings.push_back(std::to_string(stray) + " text element(s) lie outside every shape and were left aside");
  }

  {
    std::vector<std::pair<std::int64_t, std::string>> ids;
    ids.reserve(rows.size());
    for (const auto& r : rows) ids.emplace_back(r.number, r.external_id);
    flag_duplicates(ids, id_name, problems, "id");
  }

  // The commune: from its code, else from where the parcel lies.
  auto graph = admin.graph();
  for (auto& r : rows) {
    if (r.commune_code.empty()) continue;
    if (const auto* u = commune_on(*graph, r.commune_code, date)) r.unit = u->id;
    else problems.add(r.number, commune_col, "no commune with code '" + r.commune_code + "' on " + date.vi());
  }
  {
    std::vector<UnitId> communes;
    for (const auto* u : graph->valid_on(date))
      if (u->level == admin::AdminLevel::commune) communes.push_back(u->id);
    auto boundaries = db.read([&](storage::Connection& c) { return admin::AdminRepository::geometries(c, communes); });
    std::vector<UnitId> area_unit;
    std::vector<storage::Geometry> areas;
    for (auto& [id, g] : boundaries) {
      area_unit.push_back(id);
      areas.push_back(std::move(g));
    }
    std::vector<std::size_t> row_of;
    std::vector<storage::Geometry> shapes;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].geom && rows[i].commune_code.empty() && !problems.bad(rows[i].number)) {
        row_of.push_back(i);
        shapes.push_back(*rows[i].geom);
      }
    if (areas.empty() && !shapes.empty())
      report.warnings.push_back("the database has no commune boundaries valid on " + date.vi() +
                                ": parcels are stored without a commune");
    auto where = geo::locate_in_areas(shapes, areas);
    if (!where) return where.error();
    for (std::size_t k = 0; k < where->size(); ++k)
      if ((*where)[k]) rows[row_of[k]].unit = area_unit[*(*where)[k]];
  }

  std::function<Result<ParcelImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ParcelImportReport> {
    ParcelImportReport out = report;
    Problems all = problems;
    std::unordered_map<std::string, Parcel> existing;
    ParcelQuery q;
    q.page_size = 0;
    q.with_geometry = true;
    for (auto& p : RegistryRepository::list_parcels(c, q, nullptr)) existing.emplace(p.external_id, std::move(p));
    for (const auto& r : rows) {
      if (all.bad(r.number) || existing.count(r.external_id)) continue;
      if (auto retired = RegistryRepository::find_parcel_by_external_id(c, r.external_id, false))
        all.add(r.number, id_name,
                "parcel '" + r.external_id + "' was retired" +
                    (retired->valid_to ? " on " + retired->valid_to->vi() : std::string()) +
                    " (split or merged); its id cannot be used again");
    }
    // docs/rules.md §5: a parcel lies in the commune it is registered in.
    {
      std::vector<PlacedParcel> placed;
      std::vector<std::size_t> row_of;
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].unit && rows[i].geom && !all.bad(rows[i].number)) {
          placed.push_back({rows[i].external_id, *rows[i].geom, *rows[i].unit});
          row_of.push_back(i);
        }
      auto outside = parcels_outside_commune(c, *graph, placed, options.rules.boundary_tolerance_m);
      if (!outside) return outside.error();
      for (const auto& m : *outside) all.add(rows[row_of[m.index]].number, "geometry", m.message);
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();

    Progress storing(options, "storing", rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      storing.tick(i);
      const ParcelRow& r = rows[i];
      if (all.bad(r.number)) continue;
      if (!r.unit) out.unassigned.push_back({r.number, r.external_id});
      auto it = existing.find(r.external_id);
      if (it == existing.end()) {
        Parcel p;
        p.external_id = r.external_id;
        p.sheet_no = r.sheet_no;
        p.parcel_no = r.parcel_no;
        p.unit = r.unit;
        p.land_use_code = r.land_use_code;
        p.state = r.state.value_or(ParcelState::in_use);
        p.official_area_m2 = r.official_area_m2;
        p.area_m2 = r.area_m2;
        p.valid_from = date;
        p.source = source;
        p.geom = r.geom;
        RegistryRepository::insert_parcel(c, p);
        ++out.created;
        continue;
      }
      // Only what the file says is compared: a column it lacks keeps the stored value.
      Parcel p = it->second;
      bool changed = false;
      auto set = [&](auto& field, const auto& value, bool present) {
        if (present && !(field == value)) {
          field = value;
          changed = true;
        }
      };
      set(p.sheet_no, r.sheet_no, !sheet_col.empty());
      set(p.parcel_no, r.parcel_no, !parcel_col.empty());
      set(p.land_use_code, r.land_use_code, !use_col.empty());
      set(p.official_area_m2, r.official_area_m2, !area_col.empty());
      if (r.state) set(p.state, *r.state, true);
      set(p.unit, r.unit, true);
      if (changed) {
        p.source = source;
        RegistryRepository::update_parcel(c, p);
      }
      const bool reshaped = !same_boundary(it->second.geom, r.geom);
      if (reshaped) {
        RegistryRepository::replace_geometry(c, p.id, *r.geom, r.area_m2, date);
        ++out.geometry_changed;
      }
      if (changed || reshaped) ++out.updated;
      else ++out.unchanged;
    }
    storing.tick(rows.size());
    // One audit row per import, with the counts: a row per parcel would write 100,000
    // rows for a province's cadastre. Each parcel keeps its own trace (source,
    // created_at/updated_at, and the geometry history of every boundary change).
    json after = counts_json(out, source, date);
    after["geometry_changed"] = out.geometry_changed;
    after["unassigned"] = out.unassigned.size();
    after["ids_from_labels"] = labels;
    audit::record(c, actor, "import", "parcel", source, std::nullopt, std::nullopt, after);
    return out;
  };
  return write_all<ParcelImportReport>(db, options.dry_run, apply);
}

}  // namespace nongsan::registry
