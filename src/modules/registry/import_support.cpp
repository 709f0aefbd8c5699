#include "modules/registry/import_support.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "geo/geometry_ops.hpp"

namespace nongsan::registry::import {

namespace {
// Boundaries closer than this (in degrees, about 1 cm) are the same boundary: the
// same map saved in another format or CRS moves vertices by millimetres (a DGN
// sheet stores centimetres), and no cadastral survey is finer than a centimetre.
constexpr double kSameBoundaryDegrees = 1e-7;

std::string printable(const std::string& s) {
  if (is_valid_utf8(s)) return s;
  std::string out;
  for (char c : s) out += static_cast<unsigned char>(c) < 0x80 ? c : '?';
  return out;
}
}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string list_of(const std::vector<std::string>& items, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += ", …";
  return out;
}

std::string Columns::find(std::initializer_list<std::string_view> aliases) const {
  for (auto a : aliases)
    for (const auto& n : names_)
      if (lower(trim(n)) == lower(a)) return n;
  return "";
}

std::string cell(const geo::Feature& f, const std::string& column) {
  if (column.empty()) return "";
  auto it = f.attributes.find(column);
  return it == f.attributes.end() ? "" : trim(it->second);
}

void Problems::add(std::int64_t feature, const std::string& column, std::string message) {
  bad_.insert(feature);
  // A message quotes the cell; a cell that is not UTF-8 is shown with '?' for its bad bytes.
  list_.push_back({feature, {"feature " + std::to_string(feature) + (column.empty() ? "" : ", " + printable(column)),
                             printable(message)}});
}

std::vector<FieldError> Problems::sorted() const {
  auto copy = list_;
  std::stable_sort(copy.begin(), copy.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<FieldError> out;
  out.reserve(copy.size());
  for (auto& [n, e] : copy) out.push_back(std::move(e));
  return out;
}

Error nothing_stored(const std::string& source, const Problems& p, std::size_t features) {
  return Error::invalid(source + ": " + std::to_string(p.bad_count()) + " of " + std::to_string(features) +
                            " features have problems; nothing was stored",
                        p.sorted());
}

Error missing_columns(const std::string& source, const std::vector<std::string>& missing,
                      const std::vector<std::string>& present) {
  std::vector<FieldError> fields;
  for (const auto& m : missing) fields.push_back({m, "column is required"});
  std::vector<std::string> shown;
  for (const auto& p : present) shown.push_back(printable(p));
  return Error::invalid(
      source + " lacks the column(s) " + list_of(missing) + " (its columns: " + list_of(shown, 40) + ")", fields);
}

std::string source_name(const ImportOptions& o, const geo::FeatureSet& fs) {
  return printable(o.source.empty() ? fs.layer_name : o.source);
}

void check_text(const geo::FeatureSet& fs, Problems& problems) {
  for (const auto& f : fs.features)
    for (const auto& [column, value] : f.attributes)
      if (!is_valid_utf8(value))
        problems.add(f.number, printable(column),
                     "is not valid UTF-8 text: the file may be in a legacy encoding (TCVN3, VNI, Windows-1258); "
                     "save it as UTF-8 and import it again");
}

Result<CivilDate> import_date(const ImportOptions& o) {
  const CivilDate date = o.as_of.value_or(CivilDate::today());
  if (auto e = o.rules.dates.check("as_of", date)) return Error::invalid("the import date is not valid", {*e});
  return date;
}

void Progress::tick(std::size_t done) {
  if (!cb_) return;
  const std::size_t pct = total_ ? done * 100 / total_ : 100;
  if (pct == last_) return;
  last_ = pct;
  cb_(stage_, done, total_);
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

std::map<std::int64_t, std::vector<std::string>> read_problems(const geo::FeatureSet& fs) {
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& p : fs.problems) out[p.feature_number].push_back(p.message);
  return out;
}

bool has_geometries(const geo::FeatureSet& fs) {
  // geo::read_features names the CRS of every layer that carries geometry (a
  // geometry column, or WKT / lon-lat columns of a table), and only of those.
  return !fs.source_crs.empty() || !fs.problems.empty();
}

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

std::optional<CivilDate> date_cell(const geo::Feature& f, const std::string& column, const ImportOptions& o,
                                   Problems& problems) {
  const std::string v = cell(f, column);
  if (v.empty()) return std::nullopt;
  auto d = CivilDate::parse(v);
  if (!d) {
    problems.add(f.number, column, "is not a date (YYYY-MM-DD or dd/mm/yyyy): '" + printable(v) + "'");
  } else if (!o.rules.dates.contains(*d)) {
    problems.add(f.number, column, o.rules.dates.rule() + ", not " + d->vi());
    return std::nullopt;
  }
  return d;
}

std::optional<double> number_cell(const geo::Feature& f, const std::string& column, Problems& problems) {
  const std::string v = cell(f, column);
  if (v.empty()) return std::nullopt;
  auto d = number(v);
  if (!d) problems.add(f.number, column, "is not a number: '" + printable(v) + "'");
  else if (*d < 0) problems.add(f.number, column, "must not be negative: '" + v + "'");
  return d;
}

nlohmann::json counts_json(const ImportReport& r, const std::string& source, const CivilDate& date) {
  return {{"file", source},       {"as_of", date.iso()},      {"created", r.created},
          {"updated", r.updated}, {"unchanged", r.unchanged}, {"skipped", r.skipped}};
}

}  // namespace nongsan::registry::import
