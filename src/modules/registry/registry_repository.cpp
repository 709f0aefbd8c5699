#include "modules/registry/registry_repository.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <variant>

#include "core/text.hpp"
#include "modules/registry/natural_sort.hpp"
#include "modules/registry/parcel_page_marks.hpp"
#include "storage/id_list.hpp"
#include "storage/like_pattern.hpp"
#include "storage/province_filter.hpp"

namespace nongsan::registry {

using storage::and_province;
using storage::Null;
using storage::Value;

namespace {
Value dv(const std::optional<CivilDate>& d) { return d ? Value{d->iso()} : Value{Null{}}; }
Value unit_v(const std::optional<UnitId>& u) { return u ? Value{u->value} : Value{Null{}}; }
Value num_v(const std::optional<double>& v) { return v ? Value{*v} : Value{Null{}}; }
std::optional<UnitId> opt_unit(const storage::Row& r, const char* col) {
  if (auto v = r.opt_i64(col)) return UnitId(*v);
  return std::nullopt;
}

// "col IN (?, ?, ...)" for a set of ids; "1=0" for an empty set. The ids in ascending
// order, whatever the set's: one scope gives one text and values
// (RegistryRepository::parcel_list_key).
std::string in_list(const char* col, const std::unordered_set<UnitId>& ids, std::vector<Value>& params) {
  if (ids.empty()) return "1=0";
  std::vector<std::int64_t> sorted;
  sorted.reserve(ids.size());
  for (UnitId u : ids) sorted.push_back(u.value);
  std::sort(sorted.begin(), sorted.end());
  std::string s = std::string(col) + " IN (";
  bool first = true;
  for (auto u : sorted) {
    s += first ? "?" : ", ?";
    first = false;
    params.emplace_back(u);
  }
  return s + ")";
}

constexpr const char* kProducerCols =
    "id, external_id, kind, name, unit_id, members_count, ethnicity, citizen_id, tax_code, phone, address, "
    "illustrative, created_at, updated_at";

Producer producer_from(const storage::Row& r) {
  Producer p;
  p.id = ProducerId(r.i64("id"));
  p.external_id = r.opt_str("external_id").value_or("");
  p.kind = parse_producer_kind(r.str("kind")).value_or(ProducerKind::household);
  p.name = r.str("name");
  p.unit = opt_unit(r, "unit_id");
  if (auto m = r.opt_i64("members_count")) p.members_count = static_cast<int>(*m);
  p.ethnicity = r.str("ethnicity");
  p.citizen_id = r.str("citizen_id");
  p.tax_code = r.str("tax_code");
  p.phone = r.str("phone");
  p.address = r.str("address");
  p.illustrative = r.i64("illustrative") != 0;
  p.created_at = r.str("created_at");
  p.updated_at = r.str("updated_at");
  return p;
}

constexpr const char* kParcelCols =
    "id, external_id, sheet_no, parcel_no, unit_id, land_use_code, state, official_area_m2, area_m2, valid_from, "
    "valid_to, source, illustrative, created_at, updated_at";

Parcel parcel_from(const storage::Row& r, bool with_geom) {
  Parcel p;
  p.id = ParcelId(r.i64("id"));
  p.external_id = r.str("external_id");
  p.sheet_no = r.str("sheet_no");
  p.parcel_no = r.str("parcel_no");
  p.unit = opt_unit(r, "unit_id");
  p.land_use_code = r.str("land_use_code");
  p.state = parse_parcel_state(r.str("state")).value_or(ParcelState::in_use);
  p.official_area_m2 = r.opt_f64("official_area_m2");
  p.area_m2 = r.opt_f64("area_m2");
  p.valid_from = r.date("valid_from");
  p.valid_to = r.opt_date("valid_to");
  p.source = r.str("source");
  p.illustrative = r.i64("illustrative") != 0;
  p.created_at = r.str("created_at");
  p.updated_at = r.str("updated_at");
  if (with_geom) p.geom = r.opt_geometry("geom");
  return p;
}

LandRight right_from(const storage::Row& r) {
  LandRight l;
  l.id = LandRightId(r.i64("id"));
  l.parcel = ParcelId(r.i64("parcel_id"));
  l.producer = ProducerId(r.i64("producer_id"));
  l.kind = parse_land_right_kind(r.str("kind")).value_or(LandRightKind::owner);
  l.valid_from = r.date("valid_from");
  l.valid_to = r.opt_date("valid_to");
  l.document = r.str("document");
  return l;
}

constexpr const char* kZoneCols =
    "id, code, name, commodity, unit_id, planned_area_ha, decision, period_from, period_to, status, illustrative, "
    "created_at, updated_at";

Zone zone_from(const storage::Row& r, bool with_geom) {
  Zone z;
  z.id = ZoneId(r.i64("id"));
  z.code = r.str("code");
  z.name = r.str("name");
  z.commodity = r.str("commodity");
  z.unit = opt_unit(r, "unit_id");
  z.planned_area_ha = r.opt_f64("planned_area_ha");
  z.decision = r.str("decision");
  z.period_from = r.opt_date("period_from");
  z.period_to = r.opt_date("period_to");
  z.status = parse_zone_status(r.str("status")).value_or(ZoneStatus::planned);
  z.illustrative = r.i64("illustrative") != 0;
  z.created_at = r.str("created_at");
  z.updated_at = r.str("updated_at");
  if (with_geom) z.geom = r.opt_geometry("geom");
  return z;
}

Planting planting_from(const storage::Row& r) {
  Planting p;
  p.id = PlantingId(r.i64("id"));
  p.parcel = ParcelId(r.i64("parcel_id"));
  p.crop = r.str("crop");
  p.variety = r.str("variety");
  p.perennial = r.i64("perennial") != 0;
  p.season = r.str("season");
  if (auto y = r.opt_i64("planted_year")) p.planted_year = static_cast<int>(*y);
  p.start_date = r.date("start_date");
  p.end_date = r.opt_date("end_date");
  p.planted_area_m2 = r.f64("planted_area_m2");
  return p;
}
constexpr const char* kPlantingCols =
    "id, parcel_id, crop, variety, perennial, season, planted_year, start_date, end_date, planted_area_m2";

CropConversion conversion_from(const storage::Row& r) {
  CropConversion v;
  v.id = ConversionId(r.i64("id"));
  v.parcel = ParcelId(r.i64("parcel_id"));
  v.from_use = parse_from_use(r.str("from_use")).value_or(FromUse::other);
  v.to_crop = r.str("to_crop");
  v.date = r.date("conversion_date");
  v.area_m2 = r.f64("area_m2");
  v.note = r.str("note");
  return v;
}
constexpr const char* kConversionCols = "id, parcel_id, from_use, to_crop, conversion_date, area_m2, note";
}  // namespace

// ---- producers ----------------------------------------------------------------

ProducerId RegistryRepository::insert_producer(storage::Connection& c, const Producer& p, const std::string& hash) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO producer (external_id, kind, name, name_folded, unit_id, members_count, ethnicity, citizen_id, "
      "citizen_id_hash, tax_code, phone, address, illustrative, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.external_id.empty() ? Value{Null{}} : Value{p.external_id}, std::string(to_string(p.kind)), p.name,
       fold_vietnamese(p.name), unit_v(p.unit),
       p.members_count ? Value{std::int64_t{*p.members_count}} : Value{Null{}}, p.ethnicity, p.citizen_id, hash,
       p.tax_code, p.phone, p.address, std::int64_t{p.illustrative ? 1 : 0}, now, now});
  return ProducerId(rs.rows.at(0).i64("id"));
}

void RegistryRepository::update_producer(storage::Connection& c, const Producer& p, const std::string& hash) {
  std::vector<Value> params{std::string(to_string(p.kind)),
                            p.name,
                            fold_vietnamese(p.name),
                            unit_v(p.unit),
                            p.members_count ? Value{std::int64_t{*p.members_count}} : Value{Null{}},
                            p.ethnicity,
                            p.citizen_id,
                            hash,
                            p.tax_code,
                            p.phone,
                            p.address,
                            utc_now_iso(),
                            p.id.value};
  std::string sql =
      "UPDATE producer SET kind = ?, name = ?, name_folded = ?, unit_id = ?, members_count = ?, "
      "ethnicity = ?, citizen_id = ?, citizen_id_hash = ?, tax_code = ?, phone = ?, address = ?, "
      "updated_at = ? WHERE id = ?";
  c.execute(sql + and_province(c, "province_code", params), params);
}

std::optional<Producer> RegistryRepository::find_producer(storage::Connection& c, ProducerId id) {
  std::vector<Value> params{id.value};
  std::string where = " FROM producer WHERE id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kProducerCols + where, params);
  if (rs.empty()) return std::nullopt;
  return producer_from(rs.rows[0]);
}

std::unordered_map<std::int64_t, Producer> RegistryRepository::find_producers(storage::Connection& c,
                                                                              const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, Producer> out;
  if (ids.empty()) return out;
  auto in = storage::id_in(c.backend(), "id", ids);
  std::vector<Value> params{in.param};
  std::string where = " FROM producer WHERE " + in.sql + and_province(c, "province_code", params);
  for (const auto& r : c.query(std::string("SELECT ") + kProducerCols + where, params).rows) {
    Producer p = producer_from(r);
    out.emplace(p.id.value, std::move(p));
  }
  return out;
}

std::optional<Producer> RegistryRepository::find_producer_by_external_id(storage::Connection& c,
                                                                         const std::string& external_id) {
  std::vector<Value> params{external_id};
  std::string where = " FROM producer WHERE external_id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kProducerCols + where, params);
  if (rs.empty()) return std::nullopt;
  return producer_from(rs.rows[0]);
}

std::vector<Producer> RegistryRepository::list_producers(storage::Connection& c, const ProducerQuery& q,
                                                         std::int64_t* total) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (!q.q.empty()) {
    where += " AND (name_folded LIKE ?" + std::string(storage::kLikeEscape) + " OR tax_code = ? OR external_id = ?)";
    params.emplace_back(storage::like_contains(fold_vietnamese(q.q)));
    params.emplace_back(q.q);
    params.emplace_back(q.q);
  }
  if (q.kind) {
    where += " AND kind = ?";
    params.emplace_back(std::string(to_string(*q.kind)));
  }
  if (q.units) where += " AND " + in_list("unit_id", *q.units, params);
  where += and_province(c, "province_code", params);
  if (total) *total = c.scalar_i64("SELECT count(*) FROM producer" + where, params);
  params.emplace_back(std::int64_t{q.page_size});
  params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  std::vector<Producer> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kProducerCols + " FROM producer" + where + " ORDER BY name, id LIMIT ? OFFSET ?",
               params)
           .rows)
    out.push_back(producer_from(r));
  return out;
}

std::string RegistryRepository::citizen_hash_of(storage::Connection& c, ProducerId id) {
  std::vector<Value> params{id.value};
  auto rs =
      c.query("SELECT citizen_id_hash FROM producer WHERE id = ?" + and_province(c, "province_code", params), params);
  return rs.empty() ? std::string() : rs.rows[0].str("citizen_id_hash");
}

std::vector<ProducerId> RegistryRepository::producers_with_citizen_hash(storage::Connection& c, const std::string& hash) {
  std::vector<ProducerId> out;
  if (hash.empty()) return out;
  std::vector<Value> params{hash};
  std::string sql = "SELECT id FROM producer WHERE citizen_id_hash = ?" + and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY id", params).rows) out.emplace_back(r.i64("id"));
  return out;
}

void RegistryRepository::add_membership(storage::Connection& c, ProducerId member, ProducerId org, const CivilDate& from) {
  c.execute("INSERT INTO producer_membership (member_id, organisation_id, valid_from) VALUES (?, ?, ?)",
            {member.value, org.value, from.iso()});
}

std::vector<ProducerId> RegistryRepository::members_of(storage::Connection& c, ProducerId org, const CivilDate& on) {
  std::vector<ProducerId> out;
  std::vector<Value> params{org.value, on.iso(), on.iso()};
  std::string sql =
      "SELECT member_id FROM producer_membership WHERE organisation_id = ? AND valid_from <= ? "
      "AND (valid_to IS NULL OR valid_to >= ?)" +
      and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY member_id", params).rows) out.emplace_back(r.i64("member_id"));
  return out;
}

std::vector<ProducerId> RegistryRepository::organisations_of(storage::Connection& c, ProducerId member,
                                                             const CivilDate& on) {
  std::vector<ProducerId> out;
  std::vector<Value> params{member.value, on.iso(), on.iso()};
  std::string sql =
      "SELECT organisation_id FROM producer_membership WHERE member_id = ? AND valid_from <= ? "
      "AND (valid_to IS NULL OR valid_to >= ?)" +
      and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY organisation_id", params).rows)
    out.emplace_back(r.i64("organisation_id"));
  return out;
}

// ---- parcels ------------------------------------------------------------------

ParcelId RegistryRepository::insert_parcel(storage::Connection& c, const Parcel& p) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO parcel (external_id, sheet_no, parcel_no, unit_id, land_use_code, state, official_area_m2, area_m2, "
      "valid_from, valid_to, source, illustrative, created_at, updated_at, geom, external_id_key, sheet_no_key, "
      "parcel_no_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.external_id, p.sheet_no, p.parcel_no, unit_v(p.unit), p.land_use_code, std::string(to_string(p.state)),
       num_v(p.official_area_m2), num_v(p.area_m2), p.valid_from.iso(), dv(p.valid_to), p.source,
       std::int64_t{p.illustrative ? 1 : 0}, now, now, p.geom ? Value{*p.geom} : Value{Null{}},
       natural_sort_key(p.external_id), natural_sort_key(p.sheet_no), natural_sort_key(p.parcel_no)});
  return ParcelId(rs.rows.at(0).i64("id"));
}

void RegistryRepository::update_parcel(storage::Connection& c, const Parcel& p) {
  std::vector<Value> params{p.sheet_no,
                            p.parcel_no,
                            unit_v(p.unit),
                            p.land_use_code,
                            std::string(to_string(p.state)),
                            num_v(p.official_area_m2),
                            p.source,
                            utc_now_iso(),
                            natural_sort_key(p.sheet_no),
                            natural_sort_key(p.parcel_no),
                            p.id.value};
  std::string sql =
      "UPDATE parcel SET sheet_no = ?, parcel_no = ?, unit_id = ?, land_use_code = ?, state = ?, "
      "official_area_m2 = ?, source = ?, updated_at = ?, sheet_no_key = ?, parcel_no_key = ? WHERE id = ?";
  c.execute(sql + and_province(c, "province_code", params), params);
}

void RegistryRepository::replace_geometry(storage::Connection& c, ParcelId id, const storage::Geometry& g,
                                          double area_m2, const CivilDate& from) {
  auto old = find_parcel(c, id, true);
  if (!old) return;
  if (old->geom) {
    // The old shape was valid from the parcel's start or its last change until the day before.
    std::vector<Value> last_params{id.value};
    auto last = c.query("SELECT max(valid_to) AS last FROM parcel_geometry_history WHERE parcel_id = ?" +
                            and_province(c, "province_code", last_params),
                        last_params);
    CivilDate start = old->valid_from;
    if (auto l = last.rows.at(0).opt_date("last")) start = CivilDate::from_days(l->days_since_epoch() + 1);
    CivilDate end = CivilDate::from_days(from.days_since_epoch() - 1);
    if (end < start) end = start;
    c.execute("INSERT INTO parcel_geometry_history (parcel_id, valid_from, valid_to, area_m2, geom) VALUES (?, ?, ?, ?, ?)",
              {id.value, start.iso(), end.iso(), num_v(old->area_m2), *old->geom});
  }
  std::vector<Value> params{g, area_m2, utc_now_iso(), id.value};
  c.execute(
      "UPDATE parcel SET geom = ?, area_m2 = ?, updated_at = ? WHERE id = ?" + and_province(c, "province_code", params),
      params);
}

void RegistryRepository::retire_parcel(storage::Connection& c, ParcelId id, const CivilDate& last_day) {
  std::vector<Value> params{last_day.iso(), utc_now_iso(), id.value};
  c.execute("UPDATE parcel SET valid_to = ?, updated_at = ? WHERE id = ?" + and_province(c, "province_code", params),
            params);
}

std::optional<Parcel> RegistryRepository::find_parcel(storage::Connection& c, ParcelId id, bool with_geometry) {
  std::vector<Value> params{id.value};
  std::string where = " FROM parcel WHERE id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kParcelCols + (with_geometry ? ", geom" : "") + where, params);
  if (rs.empty()) return std::nullopt;
  return parcel_from(rs.rows[0], with_geometry);
}

std::optional<Parcel> RegistryRepository::find_parcel_by_external_id(storage::Connection& c,
                                                                     const std::string& external_id, bool with_geometry) {
  std::vector<Value> params{external_id};
  std::string where = " FROM parcel WHERE external_id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kParcelCols + (with_geometry ? ", geom" : "") + where, params);
  if (rs.empty()) return std::nullopt;
  return parcel_from(rs.rows[0], with_geometry);
}

namespace {
// The WHERE clause of a list of parcels (its filters and scope), with its values in `params`.
// `walk_order`: for a statement that reads the list in its order from a key on (a page
// from its mark, the walk of the marks). SQLite then gets `+unit_id`, which takes the
// unit filter off the index parcel_unit: with it, SQLite's planner read a district's
// parcels by unit and sorted them all (a page at a mark 25 ms, the walk 46 ms, on the
// demo's third of a province), where parcel_page_order, which holds the unit, gives the
// page's rows in order (0.03 ms). PostgreSQL plans both from the order's index as they are.
std::string parcel_where(storage::Connection& c, const ParcelQuery& q, std::vector<Value>& params,
                         bool walk_order = false) {
  std::string where = " WHERE 1=1";
  if (q.valid_on) {
    where += " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)";
    params.emplace_back(q.valid_on->iso());
    params.emplace_back(q.valid_on->iso());
  } else {
    where += " AND valid_to IS NULL";
  }
  if (q.units) {
    const std::string unit = walk_order && c.backend() == storage::Backend::sqlite ? "+unit_id" : "unit_id";
    std::string in = in_list(unit.c_str(), *q.units, params);
    where += q.include_unassigned ? " AND (" + in + " OR " + unit + " IS NULL)" : " AND " + in;
  } else if (!q.include_unassigned) {
    where += " AND unit_id IS NOT NULL";
  }
  if (q.state) {
    where += " AND state = ?";
    params.emplace_back(std::string(to_string(*q.state)));
  }
  if (!q.land_use_code.empty()) {
    where += " AND land_use_code = ?";
    params.emplace_back(q.land_use_code);
  }
  if (!q.external_id.empty()) {
    where += " AND external_id = ?";
    params.emplace_back(q.external_id);
  }
  if (!q.sheet_no.empty()) {
    where += " AND sheet_no = ?";
    params.emplace_back(q.sheet_no);
  }
  if (!q.parcel_no.empty()) {
    where += " AND parcel_no = ?";
    params.emplace_back(q.parcel_no);
  }
  if (!q.q.empty()) {
    // LIKE with the user's % and _ taken literally; lower() folds ASCII, as codes are.
    std::string pattern;
    for (char ch : trim(q.q)) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    where += " AND (lower(external_id) LIKE lower(?) ESCAPE '\\' OR (sheet_no || '/' || parcel_no) = ? OR parcel_no = ?)";
    params.emplace_back("%" + pattern + "%");
    params.emplace_back(trim(q.q));
    params.emplace_back(trim(q.q));
  }
  if (q.ids) {
    if (q.ids->empty()) {
      where += " AND 1=0";
    } else {
      where += " AND id IN (";
      bool first = true;
      for (auto id : *q.ids) {
        where += first ? "?" : ", ?";
        first = false;
        params.emplace_back(id);
      }
      where += ")";
    }
  }
  if (q.bbox) {
    if (c.backend() == storage::Backend::sqlite)
      where += " AND id IN (SELECT id FROM rtree_parcel_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)";
    else
      where += " AND geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)";
    if (c.backend() == storage::Backend::sqlite) {
      params.insert(params.end(), {q.bbox->min_x, q.bbox->max_x, q.bbox->min_y, q.bbox->max_y});
    } else {
      params.insert(params.end(), {q.bbox->min_x, q.bbox->min_y, q.bbox->max_x, q.bbox->max_y});
    }
  }
  where += and_province(c, "province_code", params);
  return where;
}

// The list's page: after OFFSET rows, or from `start` (list_parcels_from).
std::vector<Parcel> page_of(storage::Connection& c, const ParcelQuery& q, std::int64_t* total,
                            const ParcelKey* start) {
  const bool from_start = start && q.page_size > 0 && q.sort == ParcelSort::external_id;
  std::vector<Value> params;
  std::string where = parcel_where(c, q, params, from_start);
  if (total) *total = c.scalar_i64("SELECT count(*) FROM parcel" + where, params);
  if (from_start) {
    // A row value, which both backends compare column by column in the columns' own
    // collations, as ORDER BY does, and walk as a range of parcel_page_order (SQLite
    // 0027, PostgreSQL 0031): the page's 50 rows are read, not the rows before them.
    where += " AND (external_id_key, external_id) >= (?, ?)";
    params.emplace_back(start->external_id_key);
    params.emplace_back(start->external_id);
  }
  std::string sql = std::string("SELECT ") + kParcelCols + (q.with_geometry ? ", geom" : "") + " FROM parcel" + where +
                    (q.sort == ParcelSort::sheet ? " ORDER BY sheet_no_key, parcel_no_key, external_id_key, external_id"
                                                 : " ORDER BY external_id_key, external_id");
  if (from_start) {
    sql += " LIMIT ?";
    params.emplace_back(std::int64_t{q.page_size});
  } else if (q.page_size > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(std::int64_t{q.page_size});
    params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  }
  std::vector<Parcel> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(parcel_from(r, q.with_geometry));
  return out;
}
}  // namespace

std::vector<Parcel> RegistryRepository::list_parcels(storage::Connection& c, const ParcelQuery& q, std::int64_t* total) {
  return page_of(c, q, total, nullptr);
}

std::vector<Parcel> list_parcels_from(storage::Connection& c, const ParcelQuery& q, const ParcelKey& start) {
  if (q.page_size <= 0) throw std::logic_error("list_parcels_from needs a page size");
  return page_of(c, q, nullptr, &start);
}

std::size_t ParcelPageMarks::bytes() const {
  std::size_t n = sizeof(*this) + starts.capacity() * sizeof(starts.front());
  for (const auto& s : starts)
    if (s) n += s->external_id_key.capacity() + s->external_id.capacity();
  return n;
}

ParcelPageMarks parcel_page_marks(storage::Connection& c, const ParcelQuery& q) {
  if (q.page_size <= 0) throw std::logic_error("parcel_page_marks needs a page size");
  std::vector<Value> params;
  const std::string where = parcel_where(c, q, params, /*walk_order=*/true);
  ParcelPageMarks m;
  m.page_size = q.page_size;
  // One walk over the keys in the list's order, from the index that holds them with the
  // filters (parcel_page_order); a key is copied only at a page's first row and the row
  // before it, whose key must differ for the first to mark the page's start.
  bool missing = false;
  std::string last_key, last_id;  // of the last row of the page before
  c.each_row("SELECT external_id_key, external_id FROM parcel" + where + " ORDER BY external_id_key, external_id", params,
             [&](const storage::RowView& r) {
               const std::int64_t n = m.total++;
               if (r.is_null(0) || r.is_null(1)) missing = true;
               if (missing) {
                 if (n % q.page_size == 0) m.starts.emplace_back();
                 return;
               }
               if (n % q.page_size == 0) {
                 ParcelKey k{std::string(r.text(0)), std::string(r.text(1))};
                 const bool tied = n > 0 && k.external_id_key == last_key && k.external_id == last_id;
                 m.starts.push_back(tied ? std::nullopt : std::optional<ParcelKey>(std::move(k)));
               }
               if ((n + 1) % q.page_size == 0) {
                 last_key = r.text(0);
                 last_id = r.text(1);
               }
             });
  if (missing)
    for (auto& s : m.starts) s.reset();
  return m;
}

std::string parcel_list_key(storage::Connection& c, const ParcelQuery& q) {
  std::vector<Value> params;
  std::string key = parcel_where(c, q, params);
  // Each value with its type and length, so that no two lists share a text.
  auto add = [&key](char type, std::string_view bytes) {
    key += '\x1f';
    key += type;
    key += std::to_string(bytes.size());
    key += ':';
    key += bytes;
  };
  for (const auto& v : params) {
    if (std::holds_alternative<Null>(v)) add('n', "");
    else if (const auto* i = std::get_if<std::int64_t>(&v)) add('i', std::to_string(*i));
    else if (const auto* d = std::get_if<double>(&v)) add('d', std::string_view(reinterpret_cast<const char*>(d), sizeof *d));
    else if (const auto* t = std::get_if<std::string>(&v)) add('s', *t);
    else if (const auto* b = std::get_if<storage::Blob>(&v))
      add('b', std::string_view(reinterpret_cast<const char*>(b->bytes.data()), b->bytes.size()));
    else if (const auto* g = std::get_if<storage::Geometry>(&v))
      add('g', std::to_string(g->srid) + '/' +
                   std::string(reinterpret_cast<const char*>(g->wkb.data()), g->wkb.size()));
  }
  add('p', std::to_string(q.page_size));
  return key;
}

std::int64_t RegistryRepository::count_parcels(storage::Connection& c) {
  return c.scalar_i64("SELECT count(*) FROM parcel");
}

RegistryFingerprint RegistryRepository::parcel_fingerprint(storage::Connection& c) {
  std::vector<Value> parcel_params, history_params;
  std::string parcels =
      "SELECT coalesce(max(id), 0) FROM parcel WHERE 1=1" + and_province(c, "province_code", parcel_params);
  std::string history = "SELECT coalesce(max(id), 0) FROM parcel_geometry_history WHERE 1=1" +
                        and_province(c, "province_code", history_params);
  return {c.scalar_i64(parcels, parcel_params), c.scalar_i64(history, history_params)};
}

std::int64_t RegistryRepository::fill_sort_keys(storage::Connection& c) {
  std::vector<Value> params;
  auto rs = c.query("SELECT id, external_id, sheet_no, parcel_no FROM parcel WHERE external_id_key IS NULL" +
                        and_province(c, "province_code", params),
                    params);
  for (const auto& r : rs.rows) {
    std::vector<Value> keys{natural_sort_key(r.str("external_id")), natural_sort_key(r.str("sheet_no")),
                            natural_sort_key(r.str("parcel_no")), r.i64("id")};
    c.execute("UPDATE parcel SET external_id_key = ?, sheet_no_key = ?, parcel_no_key = ? WHERE id = ?" +
                  and_province(c, "province_code", keys),
              keys);
  }
  return static_cast<std::int64_t>(rs.rows.size());
}

std::vector<RegistryRepository::GeometryVersion> RegistryRepository::geometry_history(storage::Connection& c,
                                                                                       ParcelId id) {
  std::vector<GeometryVersion> out;
  std::vector<Value> params{id.value};
  std::string sql = "SELECT valid_from, valid_to, area_m2, geom FROM parcel_geometry_history WHERE parcel_id = ?" +
                    and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY valid_from", params).rows)
    out.push_back({r.date("valid_from"), r.opt_date("valid_to"), r.opt_f64("area_m2"),
                   r.opt_geometry("geom").value_or(storage::Geometry{})});
  return out;
}

void RegistryRepository::add_lineage(storage::Connection& c, const LineageLink& l) {
  c.execute("INSERT INTO parcel_lineage (parent_id, child_id, event, event_date) VALUES (?, ?, ?, ?)",
            {l.parent.value, l.child.value, l.event, l.date.iso()});
}

std::vector<RegistryRepository::LineageLink> RegistryRepository::lineage_of(storage::Connection& c, ParcelId id) {
  std::vector<LineageLink> out;
  std::vector<Value> params{id.value, id.value};
  std::string sql =
      "SELECT parent_id, child_id, event, event_date FROM parcel_lineage "
      "WHERE (parent_id = ? OR child_id = ?)" +
      and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY event_date, id", params).rows)
    out.push_back({ParcelId(r.i64("parent_id")), ParcelId(r.i64("child_id")), r.str("event"),
                   r.date("event_date")});
  return out;
}

// ---- rights -------------------------------------------------------------------

LandRightId RegistryRepository::insert_right(storage::Connection& c, const LandRight& r) {
  auto rs = c.query("INSERT INTO land_right (parcel_id, producer_id, kind, valid_from, valid_to, document) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    {r.parcel.value, r.producer.value, std::string(to_string(r.kind)), r.valid_from.iso(),
                     dv(r.valid_to), r.document});
  return LandRightId(rs.rows.at(0).i64("id"));
}

void RegistryRepository::end_right(storage::Connection& c, LandRightId id, const CivilDate& last_day) {
  std::vector<Value> params{last_day.iso(), id.value};
  c.execute("UPDATE land_right SET valid_to = ? WHERE id = ?" + and_province(c, "province_code", params), params);
}

// The land rights matching `where` (a condition written in the code, its one `?` bound
// to `key`), filtered by the province, in `order`.
static std::vector<LandRight> rights_where(storage::Connection& c, const std::string& where, Value key,
                                           std::string_view order) {
  std::vector<Value> params{std::move(key)};
  std::string sql = "SELECT id, parcel_id, producer_id, kind, valid_from, valid_to, document FROM land_right WHERE " +
                    where + and_province(c, "province_code", params) + " ORDER BY " + std::string(order);
  std::vector<LandRight> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(right_from(r));
  return out;
}

std::optional<LandRight> RegistryRepository::find_right(storage::Connection& c, LandRightId id) {
  auto rights = rights_where(c, "id = ?", id.value, "id");
  if (rights.empty()) return std::nullopt;
  return std::move(rights.front());
}

std::vector<LandRight> RegistryRepository::rights_of_parcel(storage::Connection& c, ParcelId id) {
  return rights_where(c, "parcel_id = ?", id.value, "valid_from, id");
}

std::unordered_map<std::int64_t, std::vector<LandRight>> RegistryRepository::rights_of_parcels(
    storage::Connection& c, const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, std::vector<LandRight>> out;
  if (ids.empty()) return out;
  auto in = storage::id_in(c.backend(), "parcel_id", ids);
  for (auto& right : rights_where(c, in.sql, in.param, "parcel_id, valid_from, id"))
    out[right.parcel.value].push_back(std::move(right));
  return out;
}

std::vector<LandRight> RegistryRepository::rights_of_producer(storage::Connection& c, ProducerId id) {
  return rights_where(c, "producer_id = ?", id.value, "valid_from, id");
}

std::vector<LandRight> RegistryRepository::rights_on(storage::Connection& c, const CivilDate& date) {
  std::vector<LandRight> out;
  for (const auto& r : c.query("SELECT id, parcel_id, producer_id, kind, valid_from, valid_to, document FROM land_right "
                               "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                               {date.iso(), date.iso()})
                           .rows)
    out.push_back(right_from(r));
  return out;
}

// ---- zones --------------------------------------------------------------------

ZoneId RegistryRepository::insert_zone(storage::Connection& c, const Zone& z) {
  auto now = utc_now_iso();
  auto rs = c.query("INSERT INTO zone (code, name, commodity, unit_id, planned_area_ha, decision, period_from, "
                    "period_to, status, illustrative, created_at, updated_at, geom) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {z.code, z.name, z.commodity, unit_v(z.unit), num_v(z.planned_area_ha), z.decision,
                     dv(z.period_from), dv(z.period_to), std::string(to_string(z.status)),
                     std::int64_t{z.illustrative ? 1 : 0}, now, now, z.geom ? Value{*z.geom} : Value{Null{}}});
  return ZoneId(rs.rows.at(0).i64("id"));
}

void RegistryRepository::update_zone(storage::Connection& c, const Zone& z) {
  c.execute("UPDATE zone SET code = ?, name = ?, commodity = ?, unit_id = ?, planned_area_ha = ?, decision = ?, "
            "period_from = ?, period_to = ?, status = ?, updated_at = ?, geom = ? WHERE id = ?",
            {z.code, z.name, z.commodity, unit_v(z.unit), num_v(z.planned_area_ha), z.decision, dv(z.period_from),
             dv(z.period_to), std::string(to_string(z.status)), utc_now_iso(), z.geom ? Value{*z.geom} : Value{Null{}},
             z.id.value});
}

std::optional<Zone> RegistryRepository::find_zone(storage::Connection& c, ZoneId id, bool with_geometry) {
  std::vector<Value> params{id.value};
  std::string where = " FROM zone WHERE id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kZoneCols + (with_geometry ? ", geom" : "") + where, params);
  if (rs.empty()) return std::nullopt;
  return zone_from(rs.rows[0], with_geometry);
}

std::optional<Zone> RegistryRepository::find_zone_by_code(storage::Connection& c, const std::string& code) {
  std::vector<Value> params{code};
  std::string where = " FROM zone WHERE code = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kZoneCols + ", geom" + where, params);
  if (rs.empty()) return std::nullopt;
  return zone_from(rs.rows[0], true);
}

std::vector<Zone> RegistryRepository::list_zones(storage::Connection& c,
                                                 const std::optional<std::unordered_set<UnitId>>& units,
                                                 const std::string& commodity, bool with_geometry) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (units) where += " AND " + in_list("unit_id", *units, params);
  if (!commodity.empty()) {
    where += " AND commodity = ?";
    params.emplace_back(commodity);
  }
  where += and_province(c, "province_code", params);
  std::vector<Zone> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kZoneCols + (with_geometry ? ", geom" : "") + " FROM zone" + where + " ORDER BY code",
               params)
           .rows)
    out.push_back(zone_from(r, with_geometry));
  return out;
}

// ---- plantings and conversions -----------------------------------------------

PlantingId RegistryRepository::insert_planting(storage::Connection& c, const Planting& p) {
  auto rs = c.query("INSERT INTO planting (parcel_id, crop, variety, perennial, season, planted_year, start_date, "
                    "end_date, planted_area_m2, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {p.parcel.value, p.crop, p.variety, std::int64_t{p.perennial ? 1 : 0}, p.season,
                     p.planted_year ? Value{std::int64_t{*p.planted_year}} : Value{Null{}}, p.start_date.iso(),
                     dv(p.end_date), p.planted_area_m2, utc_now_iso()});
  return PlantingId(rs.rows.at(0).i64("id"));
}

void RegistryRepository::end_planting(storage::Connection& c, PlantingId id, const CivilDate& last_day) {
  std::vector<Value> params{last_day.iso(), id.value};
  c.execute("UPDATE planting SET end_date = ? WHERE id = ?" + and_province(c, "province_code", params), params);
}

std::optional<Planting> RegistryRepository::find_planting(storage::Connection& c, PlantingId id) {
  std::vector<Value> params{id.value};
  std::string where = " FROM planting WHERE id = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kPlantingCols + where, params);
  if (rs.empty()) return std::nullopt;
  return planting_from(rs.rows[0]);
}

std::vector<Planting> RegistryRepository::plantings_of_parcel(storage::Connection& c, ParcelId id) {
  std::vector<Planting> out;
  std::vector<Value> params{id.value};
  std::string where = " FROM planting WHERE parcel_id = ?" + and_province(c, "province_code", params);
  for (const auto& r :
       c.query(std::string("SELECT ") + kPlantingCols + where + " ORDER BY start_date, id", params).rows)
    out.push_back(planting_from(r));
  return out;
}

std::unordered_map<std::int64_t, std::vector<Planting>> RegistryRepository::plantings_of_parcels(
    storage::Connection& c, const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, std::vector<Planting>> out;
  if (ids.empty()) return out;
  auto in = storage::id_in(c.backend(), "parcel_id", ids);
  std::vector<Value> params{in.param};
  std::string where = " FROM planting WHERE " + in.sql + and_province(c, "province_code", params);
  for (const auto& r :
       c.query(std::string("SELECT ") + kPlantingCols + where + " ORDER BY parcel_id, start_date, id", params).rows) {
    Planting p = planting_from(r);
    out[p.parcel.value].push_back(std::move(p));
  }
  return out;
}

std::vector<Planting> RegistryRepository::plantings_on(storage::Connection& c, const CivilDate& date,
                                                       const std::string& crop) {
  std::string sql = std::string("SELECT ") + kPlantingCols +
                    " FROM planting WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)";
  std::vector<Value> params{date.iso(), date.iso()};
  if (!crop.empty()) {
    sql += " AND crop = ?";
    params.emplace_back(crop);
  }
  std::vector<Planting> out;
  for (const auto& r : c.query(sql + " ORDER BY parcel_id, id", params).rows) out.push_back(planting_from(r));
  return out;
}

ConversionId RegistryRepository::insert_conversion(storage::Connection& c, const CropConversion& v) {
  auto rs = c.query("INSERT INTO crop_conversion (parcel_id, from_use, to_crop, conversion_date, area_m2, note, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {v.parcel.value, std::string(to_string(v.from_use)), v.to_crop, v.date.iso(), v.area_m2, v.note,
                     utc_now_iso()});
  return ConversionId(rs.rows.at(0).i64("id"));
}

std::vector<CropConversion> RegistryRepository::conversions(storage::Connection& c, const std::optional<CivilDate>& from,
                                                            const std::optional<CivilDate>& to) {
  std::string sql = std::string("SELECT ") + kConversionCols + " FROM crop_conversion WHERE 1=1";
  std::vector<Value> params;
  if (from) {
    sql += " AND conversion_date >= ?";
    params.emplace_back(from->iso());
  }
  if (to) {
    sql += " AND conversion_date <= ?";
    params.emplace_back(to->iso());
  }
  std::vector<CropConversion> out;
  for (const auto& r : c.query(sql + " ORDER BY conversion_date, id", params).rows) out.push_back(conversion_from(r));
  return out;
}

std::vector<CropConversion> RegistryRepository::conversions_of_parcel(storage::Connection& c, ParcelId id) {
  std::vector<CropConversion> out;
  std::vector<Value> params{id.value};
  std::string where = " FROM crop_conversion WHERE parcel_id = ?" + and_province(c, "province_code", params);
  for (const auto& r :
       c.query(std::string("SELECT ") + kConversionCols + where + " ORDER BY conversion_date, id", params).rows)
    out.push_back(conversion_from(r));
  return out;
}

std::vector<std::pair<CropConversion, Parcel>> RegistryRepository::list_conversions(storage::Connection& c,
                                                                                    const ConversionQuery& q,
                                                                                    std::int64_t* total) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (q.from) {
    where += " AND v.conversion_date >= ?";
    params.emplace_back(q.from->iso());
  }
  if (q.to) {
    where += " AND v.conversion_date <= ?";
    params.emplace_back(q.to->iso());
  }
  if (q.from_use) {
    where += " AND v.from_use = ?";
    params.emplace_back(std::string(to_string(*q.from_use)));
  }
  if (!q.to_crop.empty()) {
    where += " AND v.to_crop = ?";
    params.emplace_back(q.to_crop);
  }
  if (q.units) {
    std::string in = in_list("p.unit_id", *q.units, params);
    where += q.include_unassigned ? " AND (" + in + " OR p.unit_id IS NULL)" : " AND " + in;
  } else if (!q.include_unassigned) {
    where += " AND p.unit_id IS NOT NULL";
  }
  where += and_province(c, "v.province_code", params);
  where += and_province(c, "p.province_code", params);
  const std::string from = " FROM crop_conversion v JOIN parcel p ON p.id = v.parcel_id" +
                           storage::same_province(c, "p.province_code", "v.province_code");
  if (total) *total = c.scalar_i64("SELECT count(*)" + from + where, params);
  std::string sql = "SELECT v.id AS v_id, v.parcel_id AS v_parcel_id, v.from_use, v.to_crop, v.conversion_date, "
                    "v.area_m2 AS v_area_m2, v.note, p.id, p.external_id, p.sheet_no, p.parcel_no, p.unit_id, "
                    "p.land_use_code, p.state, p.official_area_m2, p.area_m2, p.valid_from, p.valid_to, p.source, "
                    "p.illustrative, p.created_at, p.updated_at" +
                    from + where + " ORDER BY v.conversion_date DESC, p.external_id_key, v.id";
  if (q.page_size > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(std::int64_t{q.page_size});
    params.emplace_back(std::int64_t{(q.page - 1) * q.page_size});
  }
  std::vector<std::pair<CropConversion, Parcel>> out;
  for (const auto& r : c.query(sql, params).rows) {
    CropConversion v;
    v.id = ConversionId(r.i64("v_id"));
    v.parcel = ParcelId(r.i64("v_parcel_id"));
    v.from_use = parse_from_use(r.str("from_use")).value_or(FromUse::other);
    v.to_crop = r.str("to_crop");
    v.date = r.date("conversion_date");
    v.area_m2 = r.f64("v_area_m2");
    v.note = r.str("note");
    out.emplace_back(std::move(v), parcel_from(r, false));
  }
  return out;
}

}  // namespace nongsan::registry
