#include "modules/registry/registry_import.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/point_on_surface.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/admin_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;

namespace {

// Boundaries closer than this (in degrees, about 1 cm) are the same boundary: the
// same map saved in another format or CRS moves vertices by millimetres (a DGN
// sheet stores centimetres), and no cadastral survey is finer than a centimetre.
constexpr double kSameBoundaryDegrees = 1e-7;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string list_of(const std::vector<std::string>& items, std::size_t max = 20) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += ", …";
  return out;
}

// The file's own name of a column, found by any of its names without regard to
// case; "" when the file has none of them.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& names) : names_(names) {}
  std::string find(std::initializer_list<std::string_view> aliases) const {
    for (auto a : aliases)
      for (const auto& n : names_)
        if (lower(trim(n)) == lower(a)) return n;
    return "";
  }
  std::string find(const std::string& name) const { return find({std::string_view(name)}); }

 private:
  const std::vector<std::string>& names_;
};

std::string cell(const geo::Feature& f, const std::string& column) {
  if (column.empty()) return "";
  auto it = f.attributes.find(column);
  return it == f.attributes.end() ? "" : trim(it->second);
}

// Problems by feature, handed out in file order.
class Problems {
 public:
  void add(std::int64_t feature, const std::string& column, std::string message) {
    bad_.insert(feature);
    list_.push_back(
        {feature, {"feature " + std::to_string(feature) + (column.empty() ? "" : ", " + column), std::move(message)}});
  }
  bool bad(std::int64_t feature) const { return bad_.count(feature) > 0; }
  bool empty() const { return list_.empty(); }
  int bad_count() const { return static_cast<int>(bad_.size()); }
  std::vector<FieldError> sorted() const {
    auto copy = list_;
    std::stable_sort(copy.begin(), copy.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<FieldError> out;
    out.reserve(copy.size());
    for (auto& [n, e] : copy) out.push_back(std::move(e));
    return out;
  }

 private:
  std::vector<std::pair<std::int64_t, FieldError>> list_;
  std::set<std::int64_t> bad_;
};

Error nothing_stored(const std::string& source, const Problems& p, std::size_t features) {
  return Error::invalid(source + ": " + std::to_string(p.bad_count()) + " of " + std::to_string(features) +
                            " features have problems; nothing was stored",
                        p.sorted());
}

Error missing_columns(const std::string& source, const std::vector<std::string>& missing,
                      const std::vector<std::string>& present) {
  std::vector<FieldError> fields;
  for (const auto& m : missing) fields.push_back({m, "column is required"});
  return Error::invalid(
      source + " lacks the column(s) " + list_of(missing) + " (its columns: " + list_of(present, 40) + ")", fields);
}

// Reports progress about every 1 %.
class Progress {
 public:
  Progress(const ImportOptions& o, std::string_view stage, std::size_t total)
      : cb_(o.progress), stage_(stage), total_(total) {}
  void tick(std::size_t done) {
    if (!cb_) return;
    const std::size_t pct = total_ ? done * 100 / total_ : 100;
    if (pct == last_) return;
    last_ = pct;
    cb_(stage_, done, total_);
  }

 private:
  const std::function<void(std::string_view, std::size_t, std::size_t)>& cb_;
  std::string_view stage_;
  std::size_t total_;
  std::size_t last_ = static_cast<std::size_t>(-1);
};

// Runs `fn` in one write transaction; a dry run always rolls it back.
template <typename R>
Result<R> write_all(storage::Database& db, bool dry_run, const std::function<Result<R>(storage::Connection&)>& fn) {
  if (!dry_run) return db.write(fn);
  struct DryRun {};
  std::optional<Result<R>> out;
  try {
    (void)db.write([&](storage::Connection& c) -> Result<R> {
      out.emplace(fn(c));
      throw DryRun{};
    });
  } catch (const DryRun&) {
  }
  return std::move(*out);
}

std::optional<double> number(const std::string& text) { return parse_number(text, /*vietnamese_first=*/false); }

std::optional<std::int64_t> whole_number(const std::string& text) {
  auto v = number(text);
  if (!v || std::floor(*v) != *v || std::abs(*v) > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

std::optional<bool> yes_no(const std::string& text) {
  const std::string f = fold_vietnamese(trim(text));
  for (const char* t : {"1", "true", "yes", "y", "x", "co", "c"})
    if (f == t) return true;
  for (const char* t : {"0", "false", "no", "n", "khong", "k"})
    if (f == t) return false;
  return std::nullopt;
}

// Enum names, or the Vietnamese words officials write (compared without diacritics).
template <typename E>
std::optional<E> parse_alias(const std::string& text, std::optional<E> (*parse)(std::string_view),
                             std::initializer_list<std::pair<const char*, E>> aliases) {
  if (auto v = parse(trim(text))) return v;
  if (auto v = parse(lower(trim(text)))) return v;
  const std::string f = fold_vietnamese(trim(text));
  for (const auto& [word, value] : aliases)
    if (f == word) return value;
  return std::nullopt;
}

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

std::optional<ProducerKind> parse_kind(const std::string& s) {
  return parse_alias<ProducerKind>(s, &parse_producer_kind,
                                   {{"ho", ProducerKind::household},
                                    {"ho gia dinh", ProducerKind::household},
                                    {"ho nong dan", ProducerKind::household},
                                    {"htx", ProducerKind::cooperative},
                                    {"hop tac xa", ProducerKind::cooperative},
                                    {"tht", ProducerKind::cooperative_group},
                                    {"to hop tac", ProducerKind::cooperative_group},
                                    {"dn", ProducerKind::enterprise},
                                    {"doanh nghiep", ProducerKind::enterprise},
                                    {"cong ty", ProducerKind::enterprise},
                                    {"trang trai", ProducerKind::farm},
                                    {"gia trai", ProducerKind::farm}});
}

std::optional<LandRightKind> parse_right_kind(const std::string& s) {
  return parse_alias<LandRightKind>(s, &parse_land_right_kind,
                                    {{"chu su dung", LandRightKind::owner},
                                     {"chu", LandRightKind::owner},
                                     {"thue", LandRightKind::lessee},
                                     {"gop quyen", LandRightKind::contributed},
                                     {"gop quyen su dung dat", LandRightKind::contributed},
                                     {"gop von", LandRightKind::contributed}});
}

std::optional<ZoneStatus> parse_status(const std::string& s) {
  return parse_alias<ZoneStatus>(s, &parse_zone_status,
                                 {{"quy hoach", ZoneStatus::planned},
                                  {"dang hoat dong", ZoneStatus::active},
                                  {"hoat dong", ZoneStatus::active},
                                  {"da dong", ZoneStatus::closed},
                                  {"ket thuc", ZoneStatus::closed}});
}

// A polygonal boundary as a valid MultiPolygon and its area in m², or why not.
Result<std::pair<storage::Geometry, double>> polygonal(const storage::Geometry& g) {
  auto mp = geo::as_multipolygon(g);
  if (!mp) return Error::invalid("must be a polygon or multipolygon: " + mp.error().message);
  if (!geo::bounds(*mp)) return Error::invalid("is empty");
  std::string reason;
  if (!geo::is_valid(*mp, &reason)) return Error::invalid("is not valid: " + reason);
  auto area = geo::area_m2(*mp);
  if (!area) return area.error();
  if (!(*area > 0)) return Error::invalid("has no area");
  return std::pair{std::move(*mp), *area};
}

bool same_boundary(const std::optional<storage::Geometry>& a, const std::optional<storage::Geometry>& b) {
  if (!a || !b) return !a && !b;
  if (a->wkb == b->wkb) return true;
  auto same = geo::same_shape(*a, *b, kSameBoundaryDegrees);
  return same && *same;
}

// The file's geometry problems (unreadable, failed transformation) by feature.
std::map<std::int64_t, std::vector<std::string>> read_problems(const geo::FeatureSet& fs) {
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& p : fs.problems) out[p.feature_number].push_back(p.message);
  return out;
}

// Every use of an id that appears more than once is a problem (which one is right
// cannot be known).
void flag_duplicates(const std::vector<std::pair<std::int64_t, std::string>>& ids, const std::string& column,
                     Problems& problems, const char* what) {
  std::unordered_map<std::string, std::vector<std::int64_t>> uses;
  for (const auto& [n, id] : ids)
    if (!id.empty()) uses[id].push_back(n);
  for (const auto& [n, id] : ids) {
    if (id.empty()) continue;
    const auto& u = uses[id];
    if (u.size() < 2) continue;
    std::vector<std::string> others;
    for (auto m : u)
      if (m != n) others.push_back(std::to_string(m));
    problems.add(n, column, std::string(what) + " '" + id + "' is used again by feature(s) " + list_of(others));
  }
}

const admin::AdminUnit* commune_on(const admin::UnitGraph& g, const std::string& code, const CivilDate& date) {
  const admin::AdminUnit* u = g.find_by_code(code, date);
  return u && u->level == admin::AdminLevel::commune ? u : nullptr;
}

std::optional<CivilDate> date_cell(const geo::Feature& f, const std::string& column, Problems& problems) {
  const std::string v = cell(f, column);
  if (v.empty()) return std::nullopt;
  auto d = CivilDate::parse(v);
  if (!d) problems.add(f.number, column, "is not a date (YYYY-MM-DD or dd/mm/yyyy): '" + v + "'");
  return d;
}

std::optional<double> number_cell(const geo::Feature& f, const std::string& column, Problems& problems) {
  const std::string v = cell(f, column);
  if (v.empty()) return std::nullopt;
  auto d = number(v);
  if (!d) problems.add(f.number, column, "is not a number: '" + v + "'");
  else if (*d < 0) problems.add(f.number, column, "must not be negative: '" + v + "'");
  return d;
}

json counts_json(const ImportReport& r, const std::string& source, const CivilDate& date) {
  return json{{"file", source},       {"as_of", date.iso()},      {"created", r.created},
              {"updated", r.updated}, {"unchanged", r.unchanged}, {"skipped", r.skipped}};
}

// ---- parcels ------------------------------------------------------------------

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
  const CivilDate date = options.as_of.value_or(CivilDate::today());
  const std::string source = options.source.empty() ? fs.layer_name : options.source;
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
      r.area_m2 = (*shape)->second;
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

// ---- producers ------------------------------------------------------------------

namespace {

struct ProducerRow {
  std::int64_t number = 0;
  std::string external_id, name, commune_code, ethnicity, citizen_id, tax_code, phone, address, organisation;
  std::optional<ProducerKind> kind;
  std::optional<UnitId> unit;
  std::optional<int> members_count;
};

std::string digits_only(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-' && c != '.') out += c;
  return out;
}

}  // namespace

Result<ImportReport> import_producers(storage::Database& db, admin::AdminService& admin, const identity::Actor& actor,
                                      const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  const CivilDate date = options.as_of.value_or(CivilDate::today());
  const std::string source = options.source.empty() ? fs.layer_name : options.source;
  const Columns cols(fs.field_names);
  const std::string id_col = cols.find({"external_id", "id"});
  if (id_col.empty()) return missing_columns(source, {"external_id"}, fs.field_names);
  const std::string kind_col = cols.find({"kind", "loai"});
  const std::string name_col = cols.find({"name", "ten", "ho_ten"});
  const std::string unit_col = cols.find({"commune_code", "commune", "unit_code", "ma_xa"});
  const std::string members_col = cols.find({"members_count", "so_thanh_vien"});
  const std::string ethnicity_col = cols.find({"ethnicity", "dan_toc"});
  const std::string citizen_col = cols.find({"citizen_id", "cccd"});
  const std::string tax_col = cols.find({"tax_code", "mst", "ma_so_thue"});
  const std::string phone_col = cols.find({"phone", "dien_thoai", "sdt"});
  const std::string address_col = cols.find({"address", "dia_chi"});
  const std::string org_col = cols.find({"organisation", "organization", "htx"});

  Problems problems;
  auto graph = admin.graph();
  std::vector<ProducerRow> rows;
  for (const auto& f : fs.features) {
    ProducerRow r;
    r.number = f.number;
    r.external_id = cell(f, id_col);
    if (r.external_id.empty()) problems.add(f.number, id_col, "is empty: every producer needs an id");
    r.name = cell(f, name_col);
    if (std::string k = cell(f, kind_col); !k.empty()) {
      r.kind = parse_kind(k);
      if (!r.kind)
        problems.add(f.number, kind_col,
                     "must be household, cooperative, cooperative_group, enterprise or farm (hộ, HTX, THT, DN, trang "
                     "trại), not '" +
                         k + "'");
    }
    r.commune_code = cell(f, unit_col);
    if (!r.commune_code.empty()) {
      if (const auto* u = commune_on(*graph, r.commune_code, date)) r.unit = u->id;
      else problems.add(f.number, unit_col, "no commune with code '" + r.commune_code + "' on " + date.vi());
    }
    if (std::string m = cell(f, members_col); !m.empty()) {
      auto v = whole_number(m);
      if (!v || *v < 1 || *v > 1000000)
        problems.add(f.number, members_col, "must be a whole number of at least 1: '" + m + "'");
      else r.members_count = static_cast<int>(*v);
    }
    r.ethnicity = cell(f, ethnicity_col);
    r.citizen_id = digits_only(cell(f, citizen_col));
    if (!r.citizen_id.empty() && (!std::all_of(r.citizen_id.begin(), r.citizen_id.end(), [](char c) {
          return c >= '0' && c <= '9';
        }) || (r.citizen_id.size() != 9 && r.citizen_id.size() != 12)))
      problems.add(f.number, citizen_col, "must be 12 digits (căn cước) or 9 digits (old identity card)");
    r.tax_code = cell(f, tax_col);
    r.phone = cell(f, phone_col);
    r.address = cell(f, address_col);
    r.organisation = cell(f, org_col);
    if (!r.organisation.empty() && r.organisation == r.external_id)
      problems.add(f.number, org_col, "a producer cannot be a member of itself");
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> ids;
    for (const auto& r : rows) ids.emplace_back(r.number, r.external_id);
    flag_duplicates(ids, id_col, problems, "id");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::unordered_map<std::string, std::optional<Producer>> stored;
    std::unordered_map<std::string, const ProducerRow*> in_file;
    for (const auto& r : rows) {
      if (r.external_id.empty()) continue;
      in_file.emplace(r.external_id, &r);
      stored.emplace(r.external_id, RegistryRepository::find_producer_by_external_id(c, r.external_id));
    }
    for (const auto& r : rows) {
      if (r.external_id.empty()) continue;
      if (!stored[r.external_id] && r.name.empty())
        all.add(r.number, name_col.empty() ? "name" : name_col, "is required for a new producer");
    }
    // Organisations: in the file (and not bad), or already stored.
    for (const auto& r : rows) {
      if (r.organisation.empty() || r.organisation == r.external_id) continue;
      auto f = in_file.find(r.organisation);
      if (f != in_file.end()) {
        if (all.bad(f->second->number))
          all.add(r.number, org_col,
                  "organisation '" + r.organisation + "' (feature " + std::to_string(f->second->number) +
                      ") has problems itself");
        continue;
      }
      if (!stored.count(r.organisation))
        stored.emplace(r.organisation, RegistryRepository::find_producer_by_external_id(c, r.organisation));
      if (!stored[r.organisation])
        all.add(r.number, org_col, "no producer '" + r.organisation + "' in the file or the registry");
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();

    const std::string key = identity::pii_hash_key(c);
    auto hash_of = [&](const std::string& citizen) {
      return citizen.empty() ? std::string() : identity::digest_hex(citizen, key);
    };
    std::unordered_map<std::string, ProducerId> ids;
    std::unordered_map<std::string, bool> changed_row;
    Progress storing(options, "storing", rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      storing.tick(i);
      const ProducerRow& r = rows[i];
      if (all.bad(r.number)) continue;
      const auto& old = stored[r.external_id];
      if (!old) {
        Producer p;
        p.external_id = r.external_id;
        p.kind = r.kind.value_or(ProducerKind::household);
        p.name = r.name;
        p.unit = r.unit;
        p.members_count = r.members_count;
        p.ethnicity = r.ethnicity;
        p.citizen_id = r.citizen_id;
        p.tax_code = r.tax_code;
        p.phone = r.phone;
        p.address = r.address;
        ids[r.external_id] = RegistryRepository::insert_producer(c, p, hash_of(p.citizen_id));
        ++out.created;
        continue;
      }
      Producer p = *old;
      bool changed = false;
      auto set = [&](auto& field, const auto& value, bool present) {
        if (present && !(field == value)) {
          field = value;
          changed = true;
        }
      };
      if (r.kind) set(p.kind, *r.kind, true);
      set(p.name, r.name, !r.name.empty());
      set(p.unit, r.unit, !unit_col.empty());
      set(p.members_count, r.members_count, !members_col.empty());
      set(p.ethnicity, r.ethnicity, !ethnicity_col.empty());
      set(p.citizen_id, r.citizen_id, !citizen_col.empty());
      set(p.tax_code, r.tax_code, !tax_col.empty());
      set(p.phone, r.phone, !phone_col.empty());
      set(p.address, r.address, !address_col.empty());
      if (changed) RegistryRepository::update_producer(c, p, hash_of(p.citizen_id));
      ids[r.external_id] = p.id;
      changed_row[r.external_id] = changed;
    }
    for (const auto& r : rows) {
      if (all.bad(r.number) || r.organisation.empty()) continue;
      ProducerId member = ids.at(r.external_id);
      ProducerId org = ids.count(r.organisation) ? ids.at(r.organisation) : stored[r.organisation]->id;
      auto orgs = RegistryRepository::organisations_of(c, member, date);
      if (std::find(orgs.begin(), orgs.end(), org) != orgs.end()) continue;
      RegistryRepository::add_membership(c, member, org, date);
      ++out.links_added;
      if (auto it = changed_row.find(r.external_id); it != changed_row.end() && !it->second) it->second = true;
    }
    for (const auto& [id, changed] : changed_row) (changed ? out.updated : out.unchanged)++;
    storing.tick(rows.size());
    // One summary row per import (no personal data in it), as for parcels.
    json after = counts_json(out, source, date);
    after["memberships_added"] = out.links_added;
    audit::record(c, actor, "import", "producer", source, std::nullopt, std::nullopt, after);
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

// ---- zones ------------------------------------------------------------------------

namespace {
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
  const CivilDate date = options.as_of.value_or(CivilDate::today());
  const std::string source = options.source.empty() ? fs.layer_name : options.source;
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
  auto graph = admin.graph();
  const auto unreadable = read_problems(fs);
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
    r.period_from = date_cell(f, from_col, problems);
    r.period_to = date_cell(f, to_col, problems);
    if (r.period_from && r.period_to && *r.period_to < *r.period_from)
      problems.add(f.number, to_col, "is before " + from_col);
    if (std::string s = cell(f, status_col); !s.empty()) {
      r.status = parse_status(s);
      if (!r.status) problems.add(f.number, status_col, "must be planned, active or closed, not '" + s + "'");
    }
    if (auto it = unreadable.find(f.number); it != unreadable.end()) {
      for (const auto& m : it->second) problems.add(f.number, "geometry", m);
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

// ---- plantings ----------------------------------------------------------------------

namespace {
struct PlantingRow {
  std::int64_t number = 0;
  std::string parcel, crop, variety, season;
  std::optional<bool> perennial;
  std::optional<int> planted_year;
  std::optional<CivilDate> start_date, end_date;
  std::optional<double> planted_area_m2;
};

std::string opt_text(const std::optional<CivilDate>& d) { return d ? d->iso() : ""; }
}  // namespace

Result<ImportReport> import_plantings(storage::Database& db, admin::AdminService&, const identity::Actor& actor,
                                      const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  const CivilDate date = options.as_of.value_or(CivilDate::today());
  const std::string source = options.source.empty() ? fs.layer_name : options.source;
  const Columns cols(fs.field_names);
  const std::string parcel_col = cols.find({"parcel", "parcel_id", "parcel_external_id", "ma_thua"});
  const std::string crop_col = cols.find({"crop", "cay_trong"});
  const std::string start_col = cols.find({"start_date", "ngay_bat_dau", "tu_ngay"});
  {
    std::vector<std::string> missing;
    if (parcel_col.empty()) missing.push_back("parcel");
    if (crop_col.empty()) missing.push_back("crop");
    if (start_col.empty()) missing.push_back("start_date");
    if (!missing.empty()) return missing_columns(source, missing, fs.field_names);
  }
  const std::string variety_col = cols.find({"variety", "giong"});
  const std::string perennial_col = cols.find({"perennial", "lau_nam"});
  const std::string season_col = cols.find({"season", "mua_vu", "vu"});
  const std::string year_col = cols.find({"planted_year", "nam_trong"});
  const std::string end_col = cols.find({"end_date", "ngay_ket_thuc", "den_ngay"});
  const std::string area_col = cols.find({"planted_area_m2", "dien_tich_trong"});

  Problems problems;
  std::vector<PlantingRow> rows;
  for (const auto& f : fs.features) {
    PlantingRow r;
    r.number = f.number;
    r.parcel = cell(f, parcel_col);
    if (r.parcel.empty()) problems.add(f.number, parcel_col, "is empty: the parcel's id is required");
    r.crop = cell(f, crop_col);
    if (r.crop.empty()) problems.add(f.number, crop_col, "is empty");
    r.variety = cell(f, variety_col);
    r.season = cell(f, season_col);
    if (std::string p = cell(f, perennial_col); !p.empty()) {
      r.perennial = yes_no(p);
      if (!r.perennial) problems.add(f.number, perennial_col, "must be true or false (1/0, có/không), not '" + p + "'");
    }
    if (std::string y = cell(f, year_col); !y.empty()) {
      auto v = whole_number(y);
      if (!v || *v < 1900 || *v > 2100)
        problems.add(f.number, year_col, "must be a year such as 2021, not '" + y + "'");
      else r.planted_year = static_cast<int>(*v);
    }
    r.start_date = date_cell(f, start_col, problems);
    if (!r.start_date && cell(f, start_col).empty()) problems.add(f.number, start_col, "is empty");
    r.end_date = date_cell(f, end_col, problems);
    if (r.start_date && r.end_date && *r.end_date < *r.start_date)
      problems.add(f.number, end_col, "is before " + start_col);
    r.planted_area_m2 = number_cell(f, area_col, problems);
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> keys;
    for (const auto& r : rows)
      keys.emplace_back(r.number, r.parcel.empty() || r.crop.empty() || !r.start_date
                                      ? std::string()
                                      : r.parcel + " / " + r.crop + " / " + r.start_date->vi());
    flag_duplicates(keys, crop_col, problems, "planting");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::unordered_map<std::string, std::optional<Parcel>> parcels;
    enum class Action { insert, end, none };
    std::vector<Action> action(rows.size(), Action::none);
    std::vector<PlantingId> existing_id(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (all.bad(r.number)) continue;
      if (!parcels.count(r.parcel))
        parcels.emplace(r.parcel, RegistryRepository::find_parcel_by_external_id(c, r.parcel, false));
      const auto& parcel = parcels[r.parcel];
      if (!parcel) {
        all.add(r.number, parcel_col, "no parcel '" + r.parcel + "' in the registry");
        continue;
      }
      const double area = r.planted_area_m2 ? *r.planted_area_m2 : parcel->area_m2.value_or(0);
      if (parcel->area_m2 && area > *parcel->area_m2 * 1.03)
        out.warnings.push_back("feature " + std::to_string(r.number) + ": planted area " + format_number_vi(area, 1) +
                               " m² exceeds the area of parcel '" + r.parcel + "' (" +
                               format_number_vi(*parcel->area_m2, 1) + " m²)");
      action[i] = Action::insert;
      for (const auto& p : RegistryRepository::plantings_of_parcel(c, parcel->id)) {
        if (p.crop != r.crop || p.start_date != *r.start_date) continue;
        std::vector<std::string> differs;
        if (!variety_col.empty() && p.variety != r.variety) differs.push_back(variety_col + " '" + p.variety + "'");
        if (r.perennial && p.perennial != *r.perennial) differs.push_back(perennial_col);
        if (!season_col.empty() && p.season != r.season) differs.push_back(season_col + " '" + p.season + "'");
        if (!year_col.empty() && p.planted_year != r.planted_year) differs.push_back(year_col);
        if (std::abs(p.planted_area_m2 - area) > 0.005)
          differs.push_back(area_col.empty() ? "planted_area_m2" : area_col);
        if (p.end_date && r.end_date != p.end_date) differs.push_back(end_col + " " + opt_text(p.end_date));
        if (!differs.empty()) {
          all.add(r.number, crop_col,
                  "the planting of " + r.crop + " on '" + r.parcel + "' from " + r.start_date->vi() +
                      " is recorded with other values (" + list_of(differs) +
                      "); an import may only add an end date — end it and record a new planting");
          action[i] = Action::none;
        } else {
          action[i] = !p.end_date && r.end_date ? Action::end : Action::none;
          existing_id[i] = p.id;
        }
        break;
      }
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (all.bad(r.number)) continue;
      if (action[i] == Action::none) {
        ++out.unchanged;
      } else if (action[i] == Action::end) {
        RegistryRepository::end_planting(c, existing_id[i], *r.end_date);
        ++out.updated;
      } else {
        const auto& parcel = *parcels[r.parcel];
        Planting p;
        p.parcel = parcel.id;
        p.crop = r.crop;
        p.variety = r.variety;
        p.perennial = r.perennial.value_or(false);
        p.season = r.season;
        p.planted_year = r.planted_year;
        p.start_date = *r.start_date;
        p.end_date = r.end_date;
        p.planted_area_m2 = r.planted_area_m2 ? *r.planted_area_m2 : parcel.area_m2.value_or(0);
        RegistryRepository::insert_planting(c, p);
        ++out.created;
      }
    }
    audit::record(c, actor, "import", "planting", source, std::nullopt, std::nullopt, counts_json(out, source, date));
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

// ---- land rights ----------------------------------------------------------------------

namespace {
struct RightRow {
  std::int64_t number = 0;
  std::string parcel, producer, document;
  std::optional<LandRightKind> kind;
  std::optional<CivilDate> valid_from, valid_to;
};
}  // namespace

Result<ImportReport> import_rights(storage::Database& db, admin::AdminService&, const identity::Actor& actor,
                                   const geo::FeatureSet& fs, const ImportOptions& options) {
  if (auto s = access::AccessPolicy::require(actor, identity::Permission::registry_write); !s) return s.error();
  const CivilDate date = options.as_of.value_or(CivilDate::today());
  const std::string source = options.source.empty() ? fs.layer_name : options.source;
  const Columns cols(fs.field_names);
  const std::string parcel_col = cols.find({"parcel", "parcel_id", "parcel_external_id", "ma_thua"});
  const std::string producer_col = cols.find({"producer", "producer_id", "producer_external_id", "chu"});
  const std::string kind_col = cols.find({"kind", "loai"});
  const std::string from_col = cols.find({"valid_from", "tu_ngay"});
  {
    std::vector<std::string> missing;
    if (parcel_col.empty()) missing.push_back("parcel");
    if (producer_col.empty()) missing.push_back("producer");
    if (kind_col.empty()) missing.push_back("kind");
    if (from_col.empty()) missing.push_back("valid_from");
    if (!missing.empty()) return missing_columns(source, missing, fs.field_names);
  }
  const std::string to_col = cols.find({"valid_to", "den_ngay"});
  const std::string document_col = cols.find({"document", "giay_to"});

  Problems problems;
  std::vector<RightRow> rows;
  for (const auto& f : fs.features) {
    RightRow r;
    r.number = f.number;
    r.parcel = cell(f, parcel_col);
    if (r.parcel.empty()) problems.add(f.number, parcel_col, "is empty: the parcel's id is required");
    r.producer = cell(f, producer_col);
    if (r.producer.empty()) problems.add(f.number, producer_col, "is empty: the producer's id is required");
    const std::string k = cell(f, kind_col);
    r.kind = parse_right_kind(k);
    if (!r.kind) problems.add(f.number, kind_col, "must be owner, lessee or contributed, not '" + k + "'");
    r.valid_from = date_cell(f, from_col, problems);
    if (!r.valid_from && cell(f, from_col).empty()) problems.add(f.number, from_col, "is empty");
    r.valid_to = date_cell(f, to_col, problems);
    if (r.valid_from && r.valid_to && *r.valid_to < *r.valid_from)
      problems.add(f.number, to_col, "is before " + from_col);
    r.document = cell(f, document_col);
    rows.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::string>> keys;
    for (const auto& r : rows)
      keys.emplace_back(r.number, r.parcel.empty() || r.producer.empty() || !r.kind || !r.valid_from
                                      ? std::string()
                                      : r.parcel + " / " + r.producer + " / " + std::string(to_string(*r.kind)) +
                                            " / " + r.valid_from->vi());
    flag_duplicates(keys, from_col, problems, "right");
  }

  std::function<Result<ImportReport>(storage::Connection&)> apply =
      [&](storage::Connection& c) -> Result<ImportReport> {
    ImportReport out;
    Problems all = problems;
    std::unordered_map<std::string, std::optional<Parcel>> parcels;
    std::unordered_map<std::string, std::optional<Producer>> producers;
    std::unordered_map<std::int64_t, std::vector<LandRight>> rights;  // by parcel id: stored, then accepted rows
    enum class Action { insert, end, none };
    std::vector<Action> action(rows.size(), Action::none);
    std::vector<LandRight> planned(rows.size());
    std::vector<LandRightId> existing_id(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (all.bad(r.number)) continue;
      if (!parcels.count(r.parcel))
        parcels.emplace(r.parcel, RegistryRepository::find_parcel_by_external_id(c, r.parcel, false));
      if (!producers.count(r.producer))
        producers.emplace(r.producer, RegistryRepository::find_producer_by_external_id(c, r.producer));
      const auto& parcel = parcels[r.parcel];
      const auto& producer = producers[r.producer];
      if (!parcel) all.add(r.number, parcel_col, "no parcel '" + r.parcel + "' in the registry");
      if (!producer) all.add(r.number, producer_col, "no producer '" + r.producer + "' in the registry");
      if (!parcel || !producer) continue;
      auto& held = rights[parcel->id.value];
      if (held.empty()) held = RegistryRepository::rights_of_parcel(c, parcel->id);
      LandRight l;
      l.parcel = parcel->id;
      l.producer = producer->id;
      l.kind = *r.kind;
      l.valid_from = *r.valid_from;
      l.valid_to = r.valid_to;
      l.document = r.document;
      planned[i] = l;
      action[i] = Action::insert;
      bool known = false;
      for (auto& h : held) {
        if (h.producer != l.producer || h.kind != l.kind || h.valid_from != l.valid_from) continue;
        known = true;
        if (h.valid_to == l.valid_to && (document_col.empty() || h.document == l.document)) {
          action[i] = Action::none;
        } else if (!h.valid_to && l.valid_to && (document_col.empty() || h.document == l.document)) {
          action[i] = Action::end;
          existing_id[i] = h.id;
          h.valid_to = l.valid_to;  // later rows see the ended right
        } else {
          all.add(r.number, to_col.empty() ? from_col : to_col,
                  "this right is recorded with other values (until " + (h.valid_to ? h.valid_to->vi() : "now") +
                      ", document '" + h.document + "'); an import may only add an end date");
          action[i] = Action::none;
        }
        break;
      }
      if (known) continue;
      const auto before = right_conflicts(held).size();
      held.push_back(l);
      auto after = right_conflicts(held);
      if (after.size() > before) {
        held.pop_back();
        std::vector<std::string> msgs;
        for (std::size_t k = before; k < after.size(); ++k) msgs.push_back(after[k].message);
        all.add(r.number, from_col,
                "the parcel '" + r.parcel + "' would have an ambiguous controller: " + list_of(msgs, 5));
        action[i] = Action::none;
      }
    }
    if (!all.empty() && !options.skip_invalid) return nothing_stored(source, all, fs.features.size());
    out.skipped = all.bad_count();
    out.skipped_problems = all.sorted();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (all.bad(rows[i].number)) continue;
      if (action[i] == Action::insert) {
        RegistryRepository::insert_right(c, planned[i]);
        ++out.created;
      } else if (action[i] == Action::end) {
        RegistryRepository::end_right(c, existing_id[i], *rows[i].valid_to);
        ++out.updated;
      } else {
        ++out.unchanged;
      }
    }
    audit::record(c, actor, "import", "land_right", source, std::nullopt, std::nullopt, counts_json(out, source, date));
    return out;
  };
  return write_all<ImportReport>(db, options.dry_run, apply);
}

}  // namespace nongsan::registry
