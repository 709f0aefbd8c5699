#include "modules/figures/figure_service.hpp"

#include <cmath>

#include "modules/access/access_policy.hpp"
#include "modules/admin/rollup.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/figures/figure_repository.hpp"

namespace nongsan::figures {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

json FigureService::figure_json(const admin::UnitGraph& g, const Figure& f) const {
  const admin::AdminUnit* u = g.find(f.unit);
  return {{"id", f.id.value},
          {"series", f.series},
          {"unit", u ? admin::AdminService::ref_json(*u) : json(nullptr)},
          {"year", f.year},
          {"value", f.value},
          {"note", f.note},
          {"created_at", f.created_at},
          {"updated_at", f.updated_at}};
}

Result<std::vector<Series>> FigureService::series(const identity::Actor& actor) {
  if (auto s = AccessPolicy::require(actor, Permission::figures_read); !s) return s.error();
  return db_.read([](storage::Connection& c) { return FigureRepository::series(c); });
}

Result<FigurePage> FigureService::list(const identity::Actor& actor, const FigureFilter& filter) {
  if (auto s = AccessPolicy::require(actor, Permission::figures_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto scope = policy.unit_filter(actor);
  FigurePage page;
  auto figures = db_.read(
      [&](storage::Connection& c) { return FigureRepository::list(c, filter, scope, &page.total); });
  for (const auto& f : figures) page.items.push_back(figure_json(*g, f));
  return page;
}

Result<json> FigureService::get(const identity::Actor& actor, FigureId id) {
  auto g = admin_.graph();
  if (auto s = AccessPolicy::require(actor, Permission::figures_read); !s) return s.error();
  auto f = db_.read([&](storage::Connection& c) { return FigureRepository::find(c, id); });
  // A figure outside the caller's scope answers as one that does not exist (no oracle).
  if (!f || !AccessPolicy(g).in_scope(actor, f->unit)) return Error::not_found("no figure with id " + std::to_string(id.value));
  return figure_json(*g, *f);
}

Status FigureService::validate(storage::Connection& c, const admin::UnitGraph& g, const FigureInput& in) const {
  std::vector<FieldError> errors;
  if (in.series.empty()) errors.push_back({"series", "is required"});
  else if (!FigureRepository::find_series(c, in.series)) errors.push_back({"series", "unknown series '" + in.series + "'"});
  const admin::AdminUnit* u = g.find(in.unit);
  if (!u) errors.push_back({"unit_id", "no administrative unit with id " + std::to_string(in.unit.value)});
  if (in.year < 1900 || in.year > 2200) errors.push_back({"year", "must be between 1900 and 2200"});
  else if (u && (in.year < u->valid_from.year() || (u->valid_to && in.year > u->valid_to->year())))
    errors.push_back({"year", "the unit did not exist in " + std::to_string(in.year) + " (valid " +
                                  u->valid_from.vi() + " – " + (u->valid_to ? u->valid_to->vi() : "nay") + ")"});
  if (!std::isfinite(in.value)) errors.push_back({"value", "must be a finite number"});
  if (in.note.size() > 2000) errors.push_back({"note", "must be at most 2000 bytes"});
  if (!errors.empty()) return Error::invalid("the figure is not valid", std::move(errors));
  return {};
}

Result<json> FigureService::create(const identity::Actor& actor, const FigureInput& in) {
  auto g = admin_.graph();
  if (auto s = AccessPolicy::require(actor, Permission::figures_write); !s) return s.error();
  if (g->find(in.unit))
    if (auto s = AccessPolicy(g).require_unit(actor, Permission::figures_write, in.unit); !s) return s.error();
  try {
    return db_.write([&](storage::Connection& c) -> Result<json> {
      if (auto s = validate(c, *g, in); !s) return s.error();
      FigureId id = FigureRepository::insert(c, in);
      auto created = FigureRepository::find(c, id);
      json after = figure_json(*g, *created);
      audit::record(c, actor, "create", "unit_figure", std::to_string(id.value), in.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation)
      return Error::conflict("a figure for this series, unit and year already exists; change that one instead");
    throw;
  }
}

Result<json> FigureService::update(const identity::Actor& actor, FigureId id, const FigurePatch& patch) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    if (auto s = AccessPolicy::require(actor, Permission::figures_write); !s) return s.error();
    auto f = FigureRepository::find(c, id);
    if (!f || !AccessPolicy(g).in_scope(actor, f->unit))
      return Error::not_found("no figure with id " + std::to_string(id.value));
    json before = figure_json(*g, *f);
    if (patch.value) {
      if (!std::isfinite(*patch.value)) return Error::invalid("the figure is not valid", {{"value", "must be a finite number"}});
      f->value = *patch.value;
    }
    if (patch.note) {
      if (patch.note->size() > 2000) return Error::invalid("the figure is not valid", {{"note", "must be at most 2000 bytes"}});
      f->note = *patch.note;
    }
    FigureRepository::update(c, *f);
    json after = figure_json(*g, *FigureRepository::find(c, id));
    audit::record(c, actor, "update", "unit_figure", std::to_string(id.value), f->unit, before, after);
    return after;
  });
}

Status FigureService::remove(const identity::Actor& actor, FigureId id) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Status {
    if (auto s = AccessPolicy::require(actor, Permission::figures_write); !s) return s;
    auto f = FigureRepository::find(c, id);
    if (!f || !AccessPolicy(g).in_scope(actor, f->unit))
      return Error::not_found("no figure with id " + std::to_string(id.value));
    FigureRepository::remove(c, id);
    audit::record(c, actor, "delete", "unit_figure", std::to_string(id.value), f->unit, figure_json(*g, *f),
                  std::nullopt);
    return {};
  });
}

Result<json> FigureService::rollup(const identity::Actor& actor, const std::string& series, UnitId unit, int year,
                                   std::optional<CivilDate> as_of_opt) {
  auto g = admin_.graph();
  const admin::AdminUnit* u = g->find(unit);
  if (!u) return Error::not_found("no administrative unit with id " + std::to_string(unit.value));
  if (auto s = AccessPolicy(g).require_unit(actor, Permission::figures_read, unit); !s) return s.error();
  auto known = db_.read([&](storage::Connection& c) { return FigureRepository::find_series(c, series); });
  if (!known) return Error::invalid("unknown series", {{"series", "unknown series '" + series + "'"}});
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  auto values = db_.read([&](storage::Connection& c) { return FigureRepository::values(c, series, year); });
  admin::OwnValueFn own = [&](UnitId id, int) -> std::optional<double> {
    auto it = values.find(id);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  auto r = admin::roll_up(*g, own, unit, year, as_of);
  json contributions = json::array();
  for (const auto& c : r.contributions) {
    const admin::AdminUnit* cu = g->find(c.unit);
    contributions.push_back({{"unit", cu ? admin::AdminService::ref_json(*cu) : json(nullptr)},
                             {"value", c.value},
                             {"share", c.share},
                             {"method", admin::to_string(c.method)}});
  }
  return json{{"unit", admin::AdminService::ref_json(*u)},
              {"series", series},
              {"measure_unit", known->measure_unit},
              {"year", year},
              {"as_of", as_of.iso()},
              {"reference_date", admin::reference_date(year, as_of).iso()},
              {"value", r.value ? json(*r.value) : json(nullptr)},
              {"method", admin::to_string(r.method)},
              {"contributions", contributions}};
}

Result<json> FigureService::map_values(const identity::Actor& actor, const std::string& series, int year,
                                       std::optional<CivilDate> as_of_opt, std::optional<admin::AdminLevel> level) {
  if (auto s = AccessPolicy::require(actor, Permission::figures_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  CivilDate as_of = as_of_opt.value_or(CivilDate::today());
  auto values = db_.read([&](storage::Connection& c) { return FigureRepository::values(c, series, year); });
  admin::OwnValueFn own = [&](UnitId id, int) -> std::optional<double> {
    auto it = values.find(id);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  json items = json::array();
  for (const admin::AdminUnit* u : g->valid_on(as_of)) {
    if (level && u->level != *level) continue;
    if (!policy.in_scope(actor, u->id)) continue;
    auto r = admin::roll_up(*g, own, u->id, year, as_of);
    items.push_back({{"unit_id", u->id.value},
                     {"code", u->code},
                     {"name", u->name},
                     {"value", r.value ? json(*r.value) : json(nullptr)}});
  }
  return json{{"series", series}, {"year", year}, {"as_of", as_of.iso()}, {"items", items}};
}

}  // namespace nongsan::figures
