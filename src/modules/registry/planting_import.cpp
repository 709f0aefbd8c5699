// Importing plantings from tables (registry_import.hpp: import_plantings).
#include "modules/registry/registry_import.hpp"

#include <cmath>
#include <unordered_map>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

using nlohmann::json;
using namespace import;

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
  auto import_day = import_date(options);
  if (!import_day) return import_day.error();
  const CivilDate date = *import_day;
  const std::string source = source_name(options, fs);
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
  check_text(fs, problems);
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
    r.start_date = date_cell(f, start_col, options, problems);
    if (!r.start_date && cell(f, start_col).empty()) problems.add(f.number, start_col, "is empty");
    r.end_date = date_cell(f, end_col, options, problems);
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

}  // namespace nongsan::registry
