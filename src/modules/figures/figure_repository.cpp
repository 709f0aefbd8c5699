#include "modules/figures/figure_repository.hpp"

#include "core/civil_date.hpp"

namespace nongsan::figures {

using storage::Value;

namespace {
Figure from_row(const storage::Row& r) {
  Figure f;
  f.id = FigureId(r.i64("id"));
  f.series = r.str("series");
  f.unit = UnitId(r.i64("unit_id"));
  f.year = static_cast<int>(r.i64("year"));
  f.value = r.f64("value");
  f.note = r.str("note");
  f.created_at = r.str("created_at");
  f.updated_at = r.str("updated_at");
  return f;
}
constexpr const char* kColumns = "id, series, unit_id, year, value, note, created_at, updated_at";
}  // namespace

std::vector<Series> FigureRepository::series(storage::Connection& c) {
  std::vector<Series> out;
  for (const auto& r :
       c.query("SELECT code, name_vi, name_en, measure_unit, illustrative, source FROM figure_series ORDER BY code")
           .rows)
    out.push_back({r.str("code"), r.str("name_vi"), r.str("name_en"), r.str("measure_unit"),
                   r.i64("illustrative") != 0, r.str("source")});
  return out;
}

std::optional<Series> FigureRepository::find_series(storage::Connection& c, const std::string& code) {
  auto rs = c.query(
      "SELECT code, name_vi, name_en, measure_unit, illustrative, source FROM figure_series WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return Series{r.str("code"), r.str("name_vi"), r.str("name_en"), r.str("measure_unit"),
                r.i64("illustrative") != 0, r.str("source")};
}

void FigureRepository::upsert_series(storage::Connection& c, const Series& s) {
  c.execute("INSERT INTO figure_series (code, name_vi, name_en, measure_unit, illustrative, source) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, "
            "name_en = excluded.name_en, measure_unit = excluded.measure_unit, "
            "illustrative = excluded.illustrative, source = excluded.source",
            {s.code, s.name_vi, s.name_en, s.measure_unit, std::int64_t{s.illustrative ? 1 : 0}, s.source});
}

std::optional<Figure> FigureRepository::find(storage::Connection& c, FigureId id) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM unit_figure WHERE id = ?", {id.value});
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows[0]);
}

std::vector<Figure> FigureRepository::list(storage::Connection& c, const FigureFilter& f,
                                           const std::optional<std::unordered_set<UnitId>>& units,
                                           std::int64_t* total) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (!f.series.empty()) {
    where += " AND series = ?";
    params.emplace_back(f.series);
  }
  if (f.unit) {
    where += " AND unit_id = ?";
    params.emplace_back(f.unit->value);
  }
  if (f.year) {
    where += " AND year = ?";
    params.emplace_back(std::int64_t{*f.year});
  }
  if (units) {
    // Scope as a list of ids: a unit officer's scope is tens of units at most.
    if (units->empty()) {
      where += " AND 1=0";
    } else {
      where += " AND unit_id IN (";
      bool first = true;
      for (UnitId u : *units) {
        where += first ? "?" : ", ?";
        first = false;
        params.emplace_back(u.value);
      }
      where += ")";
    }
  }
  if (total) *total = c.scalar_i64("SELECT count(*) FROM unit_figure" + where, params);
  params.emplace_back(std::int64_t{f.page_size});
  params.emplace_back(std::int64_t{(f.page - 1) * f.page_size});
  std::vector<Figure> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM unit_figure" + where +
                                   " ORDER BY series, year, unit_id LIMIT ? OFFSET ?",
                               params)
                           .rows)
    out.push_back(from_row(r));
  return out;
}

FigureId FigureRepository::insert(storage::Connection& c, const FigureInput& in) {
  auto now = utc_now_iso();
  auto rs = c.query("INSERT INTO unit_figure (series, unit_id, year, value, note, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {in.series, in.unit.value, std::int64_t{in.year}, in.value, in.note, now, now});
  return FigureId(rs.rows.at(0).i64("id"));
}

void FigureRepository::update(storage::Connection& c, const Figure& f) {
  c.execute("UPDATE unit_figure SET value = ?, note = ?, updated_at = ? WHERE id = ?",
            {f.value, f.note, utc_now_iso(), f.id.value});
}

void FigureRepository::remove(storage::Connection& c, FigureId id) {
  c.execute("DELETE FROM unit_figure WHERE id = ?", {id.value});
}

std::map<UnitId, double> FigureRepository::values(storage::Connection& c, const std::string& series, int year) {
  std::map<UnitId, double> out;
  for (const auto& r :
       c.query("SELECT unit_id, value FROM unit_figure WHERE series = ? AND year = ?", {series, std::int64_t{year}})
           .rows)
    out[UnitId(r.i64("unit_id"))] = r.f64("value");
  return out;
}

}  // namespace nongsan::figures
