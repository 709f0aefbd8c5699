// The imports of the diary module: pesticide products, ingredient status, labels and
// diary entries (CSV or XLSX read by the CLI into an ImportTable). All or nothing:
// every problem is "line N, column C: reason" and a file with one stores nothing.
#include <algorithm>
#include <map>
#include <set>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/diary/diary_rules.hpp"
#include "modules/diary/diary_service.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::diary {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

// The column check shared by every import of an official's table (support_import.hpp).
using Columns = support::ImportColumns;
constexpr auto columns_of = &support::check_import_columns;
constexpr auto cell = &support::import_cell;
constexpr auto at = &support::import_at;

std::optional<CivilDate> date_cell(const ImportRow& row, const Columns& cols, const std::string& name,
                                   std::vector<FieldError>& errors, bool required = true) {
  const std::string text = cell(row, cols, name);
  if (text.empty()) {
    if (required) errors.push_back({at(row, name), "is empty"});
    return std::nullopt;
  }
  auto d = CivilDate::parse(text);
  if (!d || d->year() < 1945 || d->year() > 2100) {
    errors.push_back({at(row, name), "must be a date between 1945 and 2100"});
    return std::nullopt;
  }
  return d;
}

std::optional<double> number_cell(const ImportRow& row, const Columns& cols, const std::string& name,
                                  std::vector<FieldError>& errors) {
  const std::string text = cell(row, cols, name);
  if (text.empty()) return std::nullopt;
  auto v = parse_real(text, NumberRange::real(0, 1e9), name);
  if (!v) {
    errors.push_back({at(row, name), v.error().fields.empty() ? "must be a number" : v.error().fields.front().message});
    return std::nullopt;
  }
  return *v;
}

Error file_error(std::vector<FieldError> errors) {
  // The count first: the order in which arguments are evaluated is unspecified.
  const std::string count = std::to_string(errors.size());
  return Error::invalid("the file has " + count + " problem(s); nothing was imported", std::move(errors));
}

std::vector<std::string> split_ingredients(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    std::string part = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (!part.empty()) out.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

json product_json(const Pesticide& p) {
  json ai = p.active_ingredients;
  return {{"product", p.code}, {"name", p.name}, {"active_ingredients", ai}, {"registered_from", p.registered_from.iso()},
          {"registered_to", p.registered_to ? json(p.registered_to->iso()) : json(nullptr)}};
}

}  // namespace

Result<ImportReport> DiaryService::import_products(const identity::Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::pesticides_manage); !s) return s.error();
  auto cols = columns_of(t, {"product", "name", "active_ingredients", "registered_from", "registered_to"}, {});
  if (!cols) return cols.error();
  std::vector<FieldError> errors;
  std::vector<Pesticide> rows;
  std::map<std::string, int> seen;
  for (const auto& row : t.rows) {
    Pesticide p;
    p.code = cell(row, *cols, "product");
    p.name = cell(row, *cols, "name");
    p.active_ingredients = split_ingredients(cell(row, *cols, "active_ingredients"));
    if (p.code.empty()) errors.push_back({at(row, "product"), "is empty"});
    else if (auto it = seen.find(match_key(p.code)); it != seen.end())
      errors.push_back({at(row, "product"), "repeats the product of line " + std::to_string(it->second)});
    else seen[match_key(p.code)] = row.line;
    if (p.active_ingredients.empty()) errors.push_back({at(row, "active_ingredients"), "is empty"});
    auto from = date_cell(row, *cols, "registered_from", errors);
    p.registered_to = date_cell(row, *cols, "registered_to", errors, false);
    if (from) p.registered_from = *from;
    if (from && p.registered_to && *p.registered_to < *from)
      errors.push_back({at(row, "registered_to"), "is before registered_from"});
    rows.push_back(std::move(p));
  }
  if (!errors.empty()) return file_error(std::move(errors));
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    ImportReport r;
    for (const auto& p : rows) {
      auto stored = DiaryRepository::product(c, p.code);
      if (!stored) {
        DiaryRepository::insert_product(c, p, source);
        audit::record(c, a, "create", "pesticide_product", p.code, std::nullopt, std::nullopt, product_json(p));
        ++r.created;
      } else if (product_json(*stored) != product_json(p)) {
        DiaryRepository::update_product(c, p, source);
        audit::record(c, a, "update", "pesticide_product", p.code, std::nullopt, product_json(*stored), product_json(p));
        ++r.updated;
      } else {
        ++r.unchanged;
      }
    }
    return r;
  });
}

Result<ImportReport> DiaryService::import_statuses(const identity::Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::pesticides_manage); !s) return s.error();
  auto cols = columns_of(t, {"active_ingredient", "status", "from"}, {"source"});
  if (!cols) return cols.error();
  std::vector<FieldError> errors;
  std::vector<StatusRow> rows;
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& row : t.rows) {
    StatusRow s;
    s.active_ingredient = cell(row, *cols, "active_ingredient");
    if (s.active_ingredient.empty()) errors.push_back({at(row, "active_ingredient"), "is empty"});
    auto st = parse_ingredient_status(match_key(cell(row, *cols, "status")));
    if (!st) errors.push_back({at(row, "status"), "must be permitted or banned"});
    else s.status = *st;
    auto from = date_cell(row, *cols, "from", errors);
    if (from) {
      s.from = *from;
      auto key = std::make_pair(match_key(s.active_ingredient), from->iso());
      if (auto it = seen.find(key); it != seen.end())
        errors.push_back({at(row, "from"), "repeats the ingredient and date of line " + std::to_string(it->second)});
      else seen[key] = row.line;
    }
    s.source = cell(row, *cols, "source");
    if (s.source.empty()) s.source = source;
    rows.push_back(std::move(s));
  }
  if (!errors.empty()) return file_error(std::move(errors));
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    ImportReport r;
    for (const auto& s : rows) {
      json after = {{"active_ingredient", s.active_ingredient}, {"status", to_string(s.status)}, {"from", s.from.iso()},
                    {"source", s.source}};
      auto stored = DiaryRepository::status(c, s.active_ingredient, s.from);
      const std::string id = s.active_ingredient + "@" + s.from.iso();
      if (!stored) {
        DiaryRepository::insert_status(c, s);
        audit::record(c, a, "create", "pesticide_status", id, std::nullopt, std::nullopt, after);
        ++r.created;
      } else if (stored->status != s.status || stored->source != s.source) {
        DiaryRepository::update_status(c, s);
        audit::record(c, a, "update", "pesticide_status", id, std::nullopt,
                      json{{"status", to_string(stored->status)}, {"source", stored->source}}, after);
        ++r.updated;
      } else {
        ++r.unchanged;
      }
    }
    return r;
  });
}

Result<ImportReport> DiaryService::import_labels(const identity::Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::pesticides_manage); !s) return s.error();
  auto cols = columns_of(t, {"product", "crop", "max_dose_per_ha", "phi_days"}, {});
  if (!cols) return cols.error();
  std::vector<FieldError> errors;
  std::vector<PesticideLabel> rows;
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& row : t.rows) {
    PesticideLabel l;
    l.product = cell(row, *cols, "product");
    l.crop = cell(row, *cols, "crop");
    if (l.product.empty()) errors.push_back({at(row, "product"), "is empty"});
    if (l.crop.empty()) errors.push_back({at(row, "crop"), "is empty"});
    auto key = std::make_pair(match_key(l.product), match_key(l.crop));
    if (auto it = seen.find(key); it != seen.end())
      errors.push_back({at(row, "crop"), "repeats the product and crop of line " + std::to_string(it->second)});
    else seen[key] = row.line;
    auto dose = number_cell(row, *cols, "max_dose_per_ha", errors);
    if (!dose && cell(row, *cols, "max_dose_per_ha").empty()) errors.push_back({at(row, "max_dose_per_ha"), "is empty"});
    l.max_dose_per_ha = dose.value_or(0);
    auto phi = parse_integer(cell(row, *cols, "phi_days"), NumberRange::int32(0, 3650), "phi_days");
    if (!phi) errors.push_back({at(row, "phi_days"), "must be a whole number of days between 0 and 3650"});
    else l.phi_days = static_cast<int>(*phi);
    rows.push_back(std::move(l));
  }
  if (!errors.empty()) return file_error(std::move(errors));
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    ImportReport r;
    for (const auto& l : rows) {
      json after = {{"product", l.product}, {"crop", l.crop}, {"max_dose_per_ha", l.max_dose_per_ha}, {"phi_days", l.phi_days}};
      auto stored = DiaryRepository::label(c, l.product, l.crop);
      const std::string id = l.product + "@" + l.crop;
      if (!stored) {
        DiaryRepository::insert_label(c, l, source);
        audit::record(c, a, "create", "pesticide_label", id, std::nullopt, std::nullopt, after);
        ++r.created;
      } else if (stored->max_dose_per_ha != l.max_dose_per_ha || stored->phi_days != l.phi_days) {
        DiaryRepository::update_label(c, l, source);
        audit::record(c, a, "update", "pesticide_label", id, std::nullopt,
                      json{{"max_dose_per_ha", stored->max_dose_per_ha}, {"phi_days", stored->phi_days}}, after);
        ++r.updated;
      } else {
        ++r.unchanged;
      }
    }
    return r;
  });
}

namespace {

// The content of an entry as a file gives it, to compare a repeated import.
json entry_content(const DiaryEntry& e) {
  return {{"entry", e.code},
          {"parcel", e.parcel},
          {"date", e.date.iso()},
          {"kind", to_string(e.kind)},
          {"product", e.product},
          {"dose_per_ha", e.dose_per_ha ? json(*e.dose_per_ha) : json(nullptr)},
          {"quantity_kg", e.quantity_kg ? json(*e.quantity_kg) : json(nullptr)},
          {"lot", e.lot},
          {"amends", e.amends}};
}

}  // namespace

Result<ImportReport> DiaryService::import_diary(const identity::Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::pesticides_manage); !s) return s.error();
  auto cols = columns_of(t, {"entry", "parcel", "date", "kind", "product", "dose_per_ha", "quantity_kg", "lot"},
                         {"amends", "note"});
  if (!cols) return cols.error();
  auto graph = admin_.graph();
  std::vector<std::string> codes;
  auto report = db_.write([&](Connection& c) -> Result<ImportReport> {
    auto scope = registry::RecordScope::of(a, graph, c);
    std::vector<FieldError> errors;
    std::vector<DiaryEntry> rows;
    std::map<std::string, int> seen;
    std::map<std::string, std::optional<ParcelRef>> parcels;
    for (const auto& row : t.rows) {
      DiaryEntry e;
      e.code = cell(row, *cols, "entry");
      if (e.code.empty()) errors.push_back({at(row, "entry"), "is empty"});
      else if (auto it = seen.find(e.code); it != seen.end())
        errors.push_back({at(row, "entry"), "repeats the entry of line " + std::to_string(it->second)});
      else seen[e.code] = row.line;
      e.parcel = cell(row, *cols, "parcel");
      if (e.parcel.empty()) {
        errors.push_back({at(row, "parcel"), "is empty"});
      } else {
        auto pit = parcels.find(e.parcel);
        if (pit == parcels.end()) {
          auto ref = DiaryRepository::parcel(c, e.parcel);
          if (ref && !scope.parcel(c, registry::ParcelId(ref->id))) ref.reset();
          pit = parcels.emplace(e.parcel, ref).first;
        }
        if (!pit->second) errors.push_back({at(row, "parcel"), "no such parcel in your scope"});
        else e.parcel_id = pit->second->id;
      }
      if (auto d = date_cell(row, *cols, "date", errors)) e.date = *d;
      auto kind = parse_entry_kind(match_key(cell(row, *cols, "kind")));
      if (!kind) errors.push_back({at(row, "kind"), "must be spray, fertiliser, harvest or observation"});
      else e.kind = *kind;
      e.product = cell(row, *cols, "product");
      e.dose_per_ha = number_cell(row, *cols, "dose_per_ha", errors);
      e.quantity_kg = number_cell(row, *cols, "quantity_kg", errors);
      e.lot = cell(row, *cols, "lot");
      e.amends = cell(row, *cols, "amends");
      e.note = cell(row, *cols, "note");
      if (!e.amends.empty() && e.amends == e.code) errors.push_back({at(row, "amends"), "names the entry itself"});
      else if (!e.amends.empty() && !seen.count(e.amends) && !DiaryRepository::entry(c, e.amends))
        errors.push_back({at(row, "amends"), "no such entry in your scope"});
      e.source = source;
      e.created_by = a.name;
      rows.push_back(std::move(e));
    }
    ImportReport r;
    std::vector<DiaryEntry> fresh;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& e = rows[i];
      if (e.code.empty()) continue;
      if (auto stored = DiaryRepository::entry(c, e.code)) {
        if (entry_content(*stored) == entry_content(e)) ++r.unchanged;
        else
          errors.push_back({at(t.rows[i], "entry"),
                            "is already recorded with other content; entries are never edited: amend it with a later "
                            "entry naming it in the column amends"});
      } else {
        fresh.push_back(e);
      }
    }
    if (!errors.empty()) {
      std::stable_sort(errors.begin(), errors.end(), [](const FieldError& x, const FieldError& y) {
        auto line = [](const std::string& f) { return std::atoi(f.c_str() + 5); };
        return line(x.field) < line(y.field);
      });
      return file_error(std::move(errors));
    }
    for (const auto& e : fresh) {
      DiaryRepository::insert_entry(c, e);
      audit::record(c, a, "create", "diary_entry", e.code, std::nullopt, std::nullopt, entry_content(e));
      ++r.created;
    }
    return r;
  });
  if (!report) return report;
  for (const auto& row : t.rows) codes.push_back(cell(row, *cols, "entry"));
  auto stored = db_.read([&](Connection& c) {
    std::vector<DiaryEntry> out;
    for (const auto& code : codes)
      if (auto e = DiaryRepository::entry(c, code)) out.push_back(std::move(*e));
    return out;
  });
  tell(a, stored);
  return report;
}

}  // namespace nongsan::diary
