// What the registry's importers (parcel_import.cpp, producer_import.cpp,
// zone_import.cpp, planting_import.cpp, right_import.cpp) share: finding columns
// by their names, reading and checking cells (text must be valid UTF-8, numbers,
// dates within the plausible range), collecting problems by feature and column,
// all-or-nothing writes with a dry run, progress. Internal to the registry module;
// the importers' contract is registry_import.hpp.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "geo/vector_io.hpp"
#include "modules/admin/unit_graph.hpp"
#include "modules/registry/registry_import.hpp"

namespace nongsan::registry::import {

std::string lower(std::string_view s);
// "a, b, c, …" of at most `max` items.
std::string list_of(const std::vector<std::string>& items, std::size_t max = 20);

// The file's own name of a column, found by any of its names without regard to
// case; "" when the file has none of them.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& names) : names_(names) {}
  std::string find(std::initializer_list<std::string_view> aliases) const;
  std::string find(const std::string& name) const { return find({std::string_view(name)}); }

 private:
  const std::vector<std::string>& names_;
};

// The trimmed text of a cell; "" for a missing column or cell.
std::string cell(const geo::Feature& f, const std::string& column);

// Problems by feature, handed out in file order.
class Problems {
 public:
  void add(std::int64_t feature, const std::string& column, std::string message);
  bool bad(std::int64_t feature) const { return bad_.count(feature) > 0; }
  bool empty() const { return list_.empty(); }
  int bad_count() const { return static_cast<int>(bad_.size()); }
  std::vector<FieldError> sorted() const;

 private:
  std::vector<std::pair<std::int64_t, FieldError>> list_;
  std::set<std::int64_t> bad_;
};

Error nothing_stored(const std::string& source, const Problems& p, std::size_t features);
Error missing_columns(const std::string& source, const std::vector<std::string>& missing,
                      const std::vector<std::string>& present);

// What the records came from, as stored and audited: the given name, else the
// layer's, with any byte that is not UTF-8 replaced by '?'.
std::string source_name(const ImportOptions& o, const geo::FeatureSet& fs);

// Every text cell of every feature must be valid UTF-8 (a file in a legacy
// encoding — TCVN3, VNI, Windows-1258 — must be converted first); each bad cell is
// a problem of its feature and column. Nothing invalid is ever stored.
void check_text(const geo::FeatureSet& fs, Problems& problems);

// The import date: options.as_of or today; an error when outside the plausible range.
Result<CivilDate> import_date(const ImportOptions& o);

// Reports progress about every 1 %.
class Progress {
 public:
  Progress(const ImportOptions& o, std::string_view stage, std::size_t total)
      : cb_(o.progress), stage_(stage), total_(total) {}
  void tick(std::size_t done);

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

std::optional<double> number(const std::string& text);
std::optional<std::int64_t> whole_number(const std::string& text);
std::optional<bool> yes_no(const std::string& text);

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

// A polygonal boundary as a valid MultiPolygon and its area in m², or why not.
Result<std::pair<storage::Geometry, double>> polygonal(const storage::Geometry& g);
// Boundaries closer than about 1 cm are the same boundary.
bool same_boundary(const std::optional<storage::Geometry>& a, const std::optional<storage::Geometry>& b);
// The file's geometry problems (unreadable, failed transformation) by feature.
std::map<std::int64_t, std::vector<std::string>> read_problems(const geo::FeatureSet& fs);
// True when the layer carries geometries: then a feature without one (null, or a
// geometry GDAL could not read) is malformed, not "no geometry".
bool has_geometries(const geo::FeatureSet& fs);

// Every use of an id that appears more than once is a problem (which one is right
// cannot be known).
void flag_duplicates(const std::vector<std::pair<std::int64_t, std::string>>& ids, const std::string& column,
                     Problems& problems, const char* what);

const admin::AdminUnit* commune_on(const admin::UnitGraph& g, const std::string& code, const CivilDate& date);

// A date cell (YYYY-MM-DD or dd/mm/yyyy) within the plausible range; problems otherwise.
std::optional<CivilDate> date_cell(const geo::Feature& f, const std::string& column, const ImportOptions& o,
                                   Problems& problems);
// A number cell, 0 or more; problems otherwise.
std::optional<double> number_cell(const geo::Feature& f, const std::string& column, Problems& problems);

nlohmann::json counts_json(const ImportReport& r, const std::string& source, const CivilDate& date);

}  // namespace nongsan::registry::import
