#include "modules/targets/targets_service.hpp"

#include <cmath>
#include <fstream>
#include <iterator>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/rollup.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/targets/checks.hpp"
#include "modules/targets/computed.hpp"
#include "modules/targets/evaluation.hpp"
#include "modules/targets/observation_flags.hpp"
#include "modules/targets/service_util.hpp"
#include "modules/targets/table_file.hpp"

namespace nongsan::targets {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;

namespace detail {

json programme_json(const Programme& p) {
  return {{"code", p.code},
          {"name_vi", p.name_vi},
          {"name_en", p.name_en},
          {"start", p.start.iso()},
          {"end", p.end.iso()},
          {"baseline_year", p.baseline_year},
          {"milestones", p.milestones},
          {"illustrative", p.illustrative},
          {"source", p.source}};
}

json programme_view(const Programme& p, const std::vector<Indicator>& indicators) {
  // What a reader must be told: the figures are illustrative when the programme or any
  // of its indicators is (the demo's NQ05 is a real resolution with illustrative figures).
  int marked = 0;
  for (const auto& i : indicators) marked += i.illustrative;
  json j = programme_json(p);
  j["illustrative"] = p.illustrative || marked > 0;
  j["illustrative_indicators"] = marked;
  return j;
}

json indicator_json(const Indicator& i) {
  json computed = nullptr;
  if (!i.computed.empty()) {
    try {
      computed = json::parse(i.computed);
    } catch (const std::exception&) {
      computed = i.computed;
    }
  }
  return {{"code", i.code},
          {"name_vi", i.name_vi},
          {"name_en", i.name_en},
          {"measure_unit", i.measure_unit},
          {"kind", to_string(i.kind)},
          {"direction", to_string(i.direction)},
          {"source", to_string(i.source)},
          {"computed", computed},
          {"not_above", i.not_above.empty() ? json(nullptr) : json(i.not_above)},
          {"position", i.position},
          {"illustrative", i.illustrative},
          {"note", i.note}};
}

json unit_ref(const admin::UnitGraph& g, UnitId id) {
  const admin::AdminUnit* u = g.find(id);
  return u ? admin::AdminService::ref_json(*u) : json(nullptr);
}

json target_json(const admin::UnitGraph& g, const Target& t, const std::string& indicator) {
  json revs = json::array();
  for (const auto& r : t.revisions)
    revs.push_back({{"seq", r.seq},
                    {"value", r.value},
                    {"decision", r.decision},
                    {"effective_date", r.effective ? json(r.effective->iso()) : json(nullptr)},
                    {"original", r.seq == t.revisions.front().seq},
                    {"created_by", r.created_by},
                    {"created_at", r.created_at}});
  const TargetRevision* now = revision_in_force(t, CivilDate::today());
  return {{"id", t.id.value},
          {"indicator", indicator},
          {"unit", unit_ref(g, t.unit)},
          {"year", t.year},
          {"original", t.revisions.empty() ? json(nullptr) : json(t.revisions.front().value)},
          {"in_force_today", now ? json(now->value) : json(nullptr)},
          {"revisions", revs}};
}

Error programme_not_found(const std::string& code) { return Error::not_found("no programme with code '" + code + "'"); }
Error indicator_not_found(const std::string& p, const std::string& code) {
  return Error::not_found("no indicator '" + code + "' in programme " + p);
}

}  // namespace detail

using namespace detail;

namespace {

std::optional<CivilDate> body_date(const json& b, const char* name, std::vector<FieldError>& errors) {
  if (!b.contains(name) || b[name].is_null()) return std::nullopt;
  auto d = CivilDate::parse(b[name].get<std::string>());
  if (!d) errors.push_back({name, "is not a date (YYYY-MM-DD or dd/mm/yyyy)"});
  return d;
}

std::string years_text(const TargetsSettings& s) { return std::to_string(s.year_min) + "–" + std::to_string(s.year_max); }

Status check_programme(const Programme& p, const TargetsSettings& s) {
  std::vector<FieldError> e;
  if (trim(p.code).empty()) e.push_back({"code", "is required"});
  if (trim(p.name_vi).empty()) e.push_back({"name_vi", "is required"});
  for (const auto& [field, text, max] : {std::tuple{"code", &p.code, kCodeChars}, {"name_vi", &p.name_vi, kNameChars},
                                         {"name_en", &p.name_en, kNameChars}})
    if (auto problem = length_problem(*text, max); !problem.empty()) e.push_back({field, problem});
  if (!s.plausible_date(p.start)) e.push_back({"start", p.start.iso() + " is outside the years " + years_text(s)});
  if (!s.plausible_date(p.end)) e.push_back({"end", p.end.iso() + " is outside the years " + years_text(s)});
  if (!s.plausible_year(p.baseline_year))
    e.push_back({"baseline_year", std::to_string(p.baseline_year) + " is outside the years " + years_text(s)});
  if (p.end < p.start) e.push_back({"end", "is before start"});
  if (p.baseline_year > p.start.year()) e.push_back({"baseline_year", "is after the start year"});
  for (int y : p.milestones) {
    if (y < p.start.year()) e.push_back({"milestones", "year " + std::to_string(y) + " is before the start"});
    if (!s.plausible_year(y)) e.push_back({"milestones", std::to_string(y) + " is outside the years " + years_text(s)});
  }
  if (!e.empty()) return Error::invalid("the programme is not valid", e);
  return {};
}

Status check_indicator(const Indicator& i) {
  std::vector<FieldError> e;
  if (trim(i.code).empty()) e.push_back({"code", "is required"});
  if (trim(i.name_vi).empty()) e.push_back({"name_vi", "is required"});
  for (const auto& [field, text, max] : {std::tuple{"code", &i.code, kCodeChars}, {"name_vi", &i.name_vi, kNameChars},
                                         {"name_en", &i.name_en, kNameChars},
                                         {"measure_unit", &i.measure_unit, kMeasureUnitChars}})
    if (auto p = length_problem(*text, max); !p.empty()) e.push_back({field, p});
  if (!i.computed.empty()) {
    if (auto d = parse_computed(i.computed); !d) e.push_back({"computed", d.error().fields.at(0).message});
  } else if (i.source == Source::computed) {
    e.push_back({"computed", "a computed indicator needs a definition"});
  }
  if (i.not_above == i.code && !i.code.empty()) e.push_back({"not_above", "cannot name the indicator itself"});
  if (!e.empty()) return Error::invalid("the indicator is not valid", e);
  return {};
}

}  // namespace

// ---- imports ------------------------------------------------------------------

Result<ImportReport> TargetsService::import_file(const identity::Actor& a, ImportKind kind, const std::string& path,
                                                 const std::string& name, const geo::ReadOptions& options) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  // Read as a table first: that checks the file against its size limit before the
  // whole of it is read again for the hash.
  auto table = read_table_file(path, options);
  if (!table) return table.error();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("cannot read " + path, {{"file", "cannot open " + path}});
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return import_table(db_, admin_, a, kind, *table, ImportSource{name.empty() ? path : name, sha256_hex(bytes)},
                      settings_);
}

// ---- programmes ---------------------------------------------------------------

Result<json> TargetsService::list_programmes(const identity::Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  return db_.read([&](storage::Connection& c) {
    json out = json::array();
    for (const auto& p : TargetsRepository::programmes(c)) {
      auto inds = TargetsRepository::indicators(c, p.id);
      json j = programme_view(p, inds);
      j["indicators"] = inds.size();
      out.push_back(j);
    }
    return out;
  });
}

Result<json> TargetsService::get_programme(const identity::Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    auto indicators = TargetsRepository::indicators(c, p->id);
    json j = programme_view(*p, indicators);
    json inds = json::array();
    for (const auto& i : indicators) inds.push_back(indicator_json(i));
    j["indicators"] = inds;
    return j;
  });
}

Result<json> TargetsService::create_programme(const identity::Actor& a, const json& b) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  std::vector<FieldError> errors;
  Programme p;
  p.code = b.value("code", "");
  p.name_vi = b.value("name_vi", "");
  p.name_en = b.value("name_en", "");
  auto s = body_date(b, "start", errors), e = body_date(b, "end", errors);
  p.baseline_year = b.value("baseline_year", 0);
  if (b.contains("milestones")) {
    for (const auto& y : b["milestones"])
      if (!y.is_number_integer()) return Error::invalid("the programme is not valid", {{"milestones", "must be a list of years"}});
    p.milestones = b["milestones"].get<std::vector<int>>();
  }
  p.illustrative = b.value("illustrative", false);
  p.source = b.value("source", "");
  if (!errors.empty()) return Error::invalid("the programme is not valid", errors);
  if (!s || !e) return Error::invalid("the programme is not valid", {{"start", "start and end are required"}});
  p.start = *s;
  p.end = *e;
  std::sort(p.milestones.begin(), p.milestones.end());
  if (p.milestones.empty()) p.milestones = {p.end.year()};
  if (auto st = check_programme(p, settings_); !st) return st.error();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    if (TargetsRepository::find_programme(c, p.code)) return Error::conflict("programme " + p.code + " already exists");
    p.id = TargetsRepository::insert_programme(c, p);
    json after = programme_json(p);
    audit::record(c, a, "create", "programme", p.code, std::nullopt, std::nullopt, after);
    return after;
  });
}

Result<json> TargetsService::update_programme(const identity::Actor& a, const std::string& code, const json& b) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    json before = programme_json(*p);
    std::vector<FieldError> errors;
    if (b.contains("name_vi")) p->name_vi = b["name_vi"].get<std::string>();
    if (b.contains("name_en")) p->name_en = b["name_en"].get<std::string>();
    if (auto d = body_date(b, "start", errors)) p->start = *d;
    if (auto d = body_date(b, "end", errors)) p->end = *d;
    if (b.contains("baseline_year")) p->baseline_year = b["baseline_year"].get<int>();
    if (b.contains("milestones")) {
      for (const auto& y : b["milestones"])
        if (!y.is_number_integer()) return Error::invalid("the programme is not valid", {{"milestones", "must be a list of years"}});
      p->milestones = b["milestones"].get<std::vector<int>>();
    }
    if (b.contains("illustrative")) p->illustrative = b["illustrative"].get<bool>();
    if (b.contains("source")) p->source = b["source"].get<std::string>();
    if (!errors.empty()) return Error::invalid("the programme is not valid", errors);
    std::sort(p->milestones.begin(), p->milestones.end());
    if (p->milestones.empty()) p->milestones = {p->end.year()};
    if (auto st = check_programme(*p, settings_); !st) return st.error();
    TargetsRepository::update_programme(c, *p);
    json after = programme_json(*p);
    audit::record(c, a, "update", "programme", p->code, std::nullopt, before, after);
    return programme_view(*p, TargetsRepository::indicators(c, p->id));
  });
}

// ---- indicators ---------------------------------------------------------------

Result<json> TargetsService::list_indicators(const identity::Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    json out = json::array();
    for (const auto& i : TargetsRepository::indicators(c, p->id)) out.push_back(indicator_json(i));
    return out;
  });
}

namespace {
Status apply_indicator(Indicator& i, const json& b) {
  std::vector<FieldError> e;
  if (b.contains("name_vi")) i.name_vi = b["name_vi"].get<std::string>();
  if (b.contains("name_en")) i.name_en = b["name_en"].get<std::string>();
  if (b.contains("measure_unit")) i.measure_unit = b["measure_unit"].get<std::string>();
  if (b.contains("kind")) {
    if (auto k = parse_kind(b["kind"].get<std::string>())) i.kind = *k;
    else e.push_back({"kind", "must be stock or flow"});
  }
  if (b.contains("direction")) {
    if (auto d = parse_direction(b["direction"].get<std::string>())) i.direction = *d;
    else e.push_back({"direction", "must be up or down"});
  }
  if (b.contains("computed")) {
    if (b["computed"].is_null()) i.computed.clear();
    else i.computed = b["computed"].is_string() ? b["computed"].get<std::string>() : b["computed"].dump();
  }
  if (b.contains("source")) {
    if (auto s = parse_source(b["source"].get<std::string>())) i.source = *s;
    else e.push_back({"source", "must be reported or computed"});
  } else if (b.contains("computed") && !i.computed.empty() && !b.contains("source")) {
    // a definition given without a source: the indicator stays as it was (reported
    // indicators may carry a definition for the comparison flag)
  }
  if (b.contains("not_above")) i.not_above = b["not_above"].is_null() ? "" : b["not_above"].get<std::string>();
  if (b.contains("illustrative")) i.illustrative = b["illustrative"].get<bool>();
  if (b.contains("note")) i.note = b["note"].get<std::string>();
  if (!e.empty()) return Error::invalid("the indicator is not valid", e);
  return check_indicator(i);
}
}  // namespace

namespace {
// The indicator a value must not exceed is one of the same programme.
Status check_not_above(storage::Connection& c, const Programme& p, const Indicator& i) {
  if (i.not_above.empty() || TargetsRepository::find_indicator(c, p.id, i.not_above)) return {};
  return Error::invalid("the indicator is not valid",
                        {{"not_above", "no indicator '" + i.not_above + "' in programme " + p.code}});
}
}  // namespace

Result<json> TargetsService::create_indicator(const identity::Actor& a, const std::string& code, const json& b) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    Indicator i;
    i.programme = p->id;
    i.code = b.value("code", "");
    if (!b.contains("kind") || !b.contains("direction"))
      return Error::invalid("the indicator is not valid", {{"kind", "kind and direction are required"}});
    if (auto s = apply_indicator(i, b); !s) return s.error();
    if (auto s = check_not_above(c, *p, i); !s) return s.error();
    if (TargetsRepository::find_indicator(c, p->id, i.code))
      return Error::conflict("indicator " + i.code + " already exists in " + p->code);
    i.position = static_cast<int>(TargetsRepository::indicators(c, p->id).size()) + 1;
    i.id = TargetsRepository::insert_indicator(c, i);
    json after = indicator_json(i);
    audit::record(c, a, "create", "indicator", p->code + "/" + i.code, std::nullopt, std::nullopt, after);
    return after;
  });
}

Result<json> TargetsService::update_indicator(const identity::Actor& a, const std::string& code,
                                              const std::string& ind_code, const json& b) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    auto i = TargetsRepository::find_indicator(c, p->id, ind_code);
    if (!i) return indicator_not_found(code, ind_code);
    json before = indicator_json(*i);
    if (auto s = apply_indicator(*i, b); !s) return s.error();
    if (auto s = check_not_above(c, *p, *i); !s) return s.error();
    TargetsRepository::update_indicator(c, *i);
    json after = indicator_json(*i);
    audit::record(c, a, "update", "indicator", p->code + "/" + i->code, std::nullopt, before, after);
    return after;
  });
}

// ---- targets ------------------------------------------------------------------

Result<json> TargetsService::list_targets(const identity::Actor& a, const std::string& code,
                                          const std::string& indicator, std::optional<UnitId> unit,
                                          std::optional<int> year) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    json out = json::array();
    for (const auto& i : TargetsRepository::indicators(c, p->id)) {
      if (!indicator.empty() && i.code != indicator) continue;
      for (const auto& t : TargetsRepository::targets(c, i.id, year)) {
        if (unit && t.unit != *unit) continue;
        if (!policy.in_scope(a, t.unit)) continue;
        out.push_back(target_json(*g, t, i.code));
      }
    }
    return out;
  });
}

Result<json> TargetsService::set_target(const identity::Actor& a, const std::string& code, const json& b) {
  if (auto s = AccessPolicy::require(a, Permission::targets_manage); !s) return s.error();
  auto g = admin_.graph();
  std::vector<FieldError> errors;
  std::string ind_code = b.value("indicator", "");
  UnitId unit(b.value("unit_id", std::int64_t{0}));
  int year = b.value("year", 0);
  double value = b.value("value", -1.0);
  auto eff = body_date(b, "effective_date", errors);
  std::string decision = b.value("decision", "");
  if (!g->find(unit)) errors.push_back({"unit_id", "no administrative unit with this id"});
  if (!std::isfinite(value) || value < 0) errors.push_back({"value", "must be a number >= 0"});
  if (eff && !settings_.plausible_date(*eff))
    errors.push_back({"effective_date", eff->iso() + " is outside the years " + years_text(settings_)});
  if (!errors.empty()) return Error::invalid("the target is not valid", errors);
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    auto i = TargetsRepository::find_indicator(c, p->id, ind_code);
    if (!i) return Error::invalid("the target is not valid", {{"indicator", "unknown indicator '" + ind_code + "'"}});
    if (!std::binary_search(p->milestones.begin(), p->milestones.end(), year))
      return Error::invalid("the target is not valid",
                            {{"year", "is not a milestone year (" + format_milestones(p->milestones) + ")"}});
    auto t = TargetsRepository::find_target(c, i->id, unit, year);
    TargetRevision rev;
    rev.value = value;
    rev.decision = decision;
    rev.effective = eff;
    rev.created_by = a.name;
    std::string id_text = p->code + "/" + i->code + "/" + g->find(unit)->code + "/" + std::to_string(year);
    std::optional<json> before;
    if (!t) {
      TargetId id = TargetsRepository::insert_target(c, i->id, unit, year);
      rev.seq = 0;
      TargetsRepository::insert_revision(c, id, rev);
    } else {
      before = target_json(*g, *t, i->code);
      if (!eff) return Error::invalid("the target is not valid", {{"effective_date", "a revision needs the date it takes effect"}});
      if (decision.empty()) return Error::invalid("the target is not valid", {{"decision", "a revision needs the deciding document"}});
      for (const auto& r : t->revisions)
        if (r.effective && *r.effective == *eff)
          return Error::conflict("a revision effective on " + eff->vi() + " already exists");
      rev.seq = t->revisions.back().seq + 1;
      TargetsRepository::insert_revision(c, t->id, rev);
    }
    auto now = TargetsRepository::find_target(c, i->id, unit, year);
    json after = target_json(*g, *now, i->code);
    audit::record(c, a, t ? "revise" : "create", "target", id_text, unit, before, after);
    return after;
  });
}

// ---- observations ---------------------------------------------------------------

json TargetsService::observation_json(const admin::UnitGraph& g, const Observation& o, const std::string& indicator) {
  json flags = json::array();
  try {
    flags = json::parse(o.flags);
  } catch (const std::exception&) {
  }
  return {{"id", o.id.value},
          {"indicator", indicator},
          {"unit", unit_ref(g, o.unit)},
          {"year", o.year},
          {"period", o.period},
          {"value", o.value},
          {"status", to_string(o.status)},
          {"counts", counts(o.status)},
          {"editable", editable(o.status)},
          {"entered_by", o.entered_by},
          {"submitted_by", o.submitted_by},
          {"submitted_at", o.submitted_at},
          {"approved_by", o.approved_by},
          {"approved_at", o.approved_at},
          {"returned_reason", o.returned_reason},
          {"note", o.note},
          {"flags", flags},
          {"created_at", o.created_at},
          {"updated_at", o.updated_at}};
}

Result<ObservationPage> TargetsService::list_observations(const identity::Actor& a, const std::string& code,
                                                          const ObservationQuery& q) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  auto g = admin_.graph();
  auto scope = AccessPolicy(g).unit_filter(a);
  return db_.read([&](storage::Connection& c) -> Result<ObservationPage> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    std::map<std::int64_t, std::string> codes;
    for (const auto& i : TargetsRepository::indicators(c, p->id)) codes[i.id.value] = i.code;
    ObservationFilter f;
    f.programme = p->id;
    if (!q.indicator.empty()) {
      auto i = TargetsRepository::find_indicator(c, p->id, q.indicator);
      if (!i) return indicator_not_found(code, q.indicator);
      f.indicator = i->id;
    }
    f.unit = q.unit;
    f.year = q.year;
    f.status = q.status;
    f.page = q.page;
    f.page_size = q.page_size;
    ObservationPage page;
    for (const auto& o : TargetsRepository::observations(c, f, scope, &page.total))
      page.items.push_back(observation_json(*g, o, codes[o.indicator.value]));
    return page;
  });
}

namespace {
// An observation outside the actor's scope answers as one that does not exist, so
// that an id tells nothing about another unit's figures; without the permission at
// all, the refusal names the permission.
Status require_observation_scope(const AccessPolicy& policy, const identity::Actor& a, Permission need,
                                 const Observation& o) {
  if (auto s = AccessPolicy::require(a, need); !s) return s.error();
  if (!policy.in_scope(a, o.unit)) return Error::not_found("no observation with id " + std::to_string(o.id.value));
  return {};
}
}  // namespace

Result<json> TargetsService::get_observation(const identity::Actor& a, ObservationId id) {
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto o = TargetsRepository::find_observation(c, id);
    if (!o) return Error::not_found("no observation with id " + std::to_string(id.value));
    if (auto s = require_observation_scope(AccessPolicy(g), a, Permission::targets_read, *o); !s) return s.error();
    auto i = TargetsRepository::find_indicator(c, o->indicator);
    return observation_json(*g, *o, i ? i->code : "");
  });
}

Result<ObservationEntry> TargetsService::create_observation(const identity::Actor& a, const std::string& code,
                                                            const json& b) {
  auto g = admin_.graph();
  if (auto s = AccessPolicy::require(a, Permission::targets_enter); !s) return s.error();
  Observation o;
  std::string ind_code = b.value("indicator", "");
  o.unit = UnitId(b.value("unit_id", std::int64_t{0}));
  o.year = b.value("year", 0);
  o.period = b.value("period", 0);
  o.value = b.value("value", 0.0);
  o.note = b.value("note", "");
  std::vector<FieldError> errors;
  const admin::AdminUnit* u = g->find(o.unit);
  if (!u) errors.push_back({"unit_id", "no administrative unit with this id"});
  if (!std::isfinite(o.value)) errors.push_back({"value", "must be a finite number"});
  else if (o.value < 0) errors.push_back({"value", "must not be negative"});
  if (!(o.period == 0 || (o.period >= 1 && o.period <= 4) || (o.period >= 101 && o.period <= 112)))
    errors.push_back({"period", "must be 0 (the year), 1–4 (a quarter) or 101–112 (a month)"});
  if (!settings_.plausible_year(o.year))
    errors.push_back({"year", std::to_string(o.year) + " is outside the years " + years_text(settings_)});
  else if (u && (o.year < u->valid_from.year() || (u->valid_to && o.year > u->valid_to->year())))
    errors.push_back({"year", "the unit did not exist in " + std::to_string(o.year)});
  if (o.note.size() > 2000) errors.push_back({"note", "must be at most 2000 bytes"});
  if (!errors.empty()) return Error::invalid("the observation is not valid", errors);
  if (auto s = AccessPolicy(g).require_unit(a, Permission::targets_enter, o.unit); !s) return s.error();
  return db_.write([&](storage::Connection& c) -> Result<ObservationEntry> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    auto i = TargetsRepository::find_indicator(c, p->id, ind_code);
    if (!i) return Error::invalid("the observation is not valid", {{"indicator", "unknown indicator '" + ind_code + "'"}});
    // Observations run from the baseline year to ten years after the programme's end
    // (its follow-up); each side says its own limit.
    if (o.year < p->baseline_year)
      return Error::invalid("the observation is not valid",
                            {{"year", "must be from the baseline year " + std::to_string(p->baseline_year)}});
    if (o.year > p->end.year() + 10)
      return Error::invalid("the observation is not valid",
                            {{"year", "must be at most " + std::to_string(p->end.year() + 10) +
                                          ", ten years after the programme's end"}});
    if (auto existing = TargetsRepository::find_observation(c, i->id, o.unit, o.year, o.period)) {
      // Entered twice (two officers, or a second tab): the one that exists is
      // given back to be opened, never a second row.
      return ObservationEntry{observation_json(*g, *existing, i->code), false,
                              "an observation of " + i->code + " for " + u->name + ", " + std::to_string(o.year) +
                                  (o.period ? " period " + std::to_string(o.period) : "") + " already exists (#" +
                                  std::to_string(existing->id.value) + ", " + std::string(to_string(existing->status)) +
                                  "): open it to change it"};
    }
    o.indicator = i->id;
    o.status = ObservationStatus::draft;
    o.entered_by = a.name;
    o.flags = observation_flags(c, *g, *p, *i, o).dump();
    o.id = TargetsRepository::insert_observation(c, o);
    json after = observation_json(*g, *TargetsRepository::find_observation(c, o.id), i->code);
    audit::record(c, a, "create", "observation", std::to_string(o.id.value), o.unit, std::nullopt, after);
    return ObservationEntry{after, true, ""};
  });
}

Result<json> TargetsService::update_observation(const identity::Actor& a, ObservationId id, const json& b) {
  auto g = admin_.graph();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto o = TargetsRepository::find_observation(c, id);
    if (!o) return Error::not_found("no observation with id " + std::to_string(id.value));
    if (auto s = require_observation_scope(AccessPolicy(g), a, Permission::targets_enter, *o); !s) return s.error();
    if (o->status != ObservationStatus::draft && o->status != ObservationStatus::returned)
      return Error::conflict("the observation is " + std::string(to_string(o->status)) +
                             "; only drafts and returned observations can be changed");
    auto i = TargetsRepository::find_indicator(c, o->indicator);
    auto p = TargetsRepository::programmes(c);
    json before = observation_json(*g, *o, i->code);
    if (b.contains("value")) {
      double v = b["value"].get<double>();
      if (!std::isfinite(v) || v < 0) return Error::invalid("the observation is not valid", {{"value", "must not be negative"}});
      o->value = v;
    }
    if (b.contains("note")) o->note = b["note"].get<std::string>();
    o->status = ObservationStatus::draft;
    for (const auto& prog : p)
      if (prog.id == i->programme) o->flags = observation_flags(c, *g, prog, *i, *o).dump();
    TargetsRepository::update_observation(c, *o);
    json after = observation_json(*g, *TargetsRepository::find_observation(c, id), i->code);
    audit::record(c, a, "update", "observation", std::to_string(id.value), o->unit, before, after);
    return after;
  });
}

Result<json> TargetsService::transition(const identity::Actor& a, ObservationId id, const std::string& action,
                                        const std::string& reason) {
  auto g = admin_.graph();
  Permission need = action == "submit"   ? Permission::targets_enter
                    : action == "unlock" ? Permission::targets_unlock
                                         : Permission::targets_approve;
  if (auto s = AccessPolicy::require(a, need); !s) return s.error();
  if ((action == "return" || action == "unlock") && trim(reason).empty())
    return Error::invalid("a reason is required", {{"reason", "is required"}});
  return db_.write([&](storage::Connection& c) -> Result<json> {
    auto o = TargetsRepository::find_observation(c, id);
    if (!o) return Error::not_found("no observation with id " + std::to_string(id.value));
    if (auto s = require_observation_scope(AccessPolicy(g), a, need, *o); !s) return s.error();
    auto i = TargetsRepository::find_indicator(c, o->indicator);
    json before = observation_json(*g, *o, i->code);
    std::string now = utc_now_iso();
    auto wrong = [&]() {
      return Error::conflict("cannot " + action + " an observation that is " + std::string(to_string(o->status)));
    };
    if (action == "submit") {
      if (o->status != ObservationStatus::draft && o->status != ObservationStatus::returned) return wrong();
      o->status = ObservationStatus::submitted;
      o->submitted_by = a.name;
      o->submitted_at = now;
      o->returned_reason.clear();
    } else if (action == "approve") {
      if (o->status != ObservationStatus::submitted) return wrong();
      // Four eyes (docs/rules.md §3): another officer approves.
      if (settings_.four_eyes && (o->submitted_by == a.name || o->entered_by == a.name))
        return Error::forbidden(std::string("four eyes: you ") +
                                (o->submitted_by == a.name ? "submitted" : "entered") +
                                " this observation, so another officer must approve it (docs/rules.md §3)");
      // Approved figures count in reviews and can no longer be edited (an
      // administrator may reopen one with a reason: unlock).
      o->status = ObservationStatus::approved;
      o->approved_by = a.name;
      o->approved_at = now;
    } else if (action == "return") {
      if (o->status != ObservationStatus::submitted) return wrong();
      o->status = ObservationStatus::returned;
      o->returned_reason = reason;
    } else if (action == "unlock") {
      if (!counts(o->status)) return wrong();
      o->status = ObservationStatus::returned;
      o->returned_reason = reason;
      o->approved_by.clear();
      o->approved_at.clear();
    }
    TargetsRepository::update_observation(c, *o);
    json after = observation_json(*g, *TargetsRepository::find_observation(c, id), i->code);
    if (!reason.empty()) after["reason"] = reason;
    audit::record(c, a, action, "observation", std::to_string(id.value), o->unit, before, after);
    return after;
  });
}

Result<json> TargetsService::submit(const identity::Actor& a, ObservationId id) { return transition(a, id, "submit", ""); }
Result<json> TargetsService::approve(const identity::Actor& a, ObservationId id) { return transition(a, id, "approve", ""); }
Result<json> TargetsService::return_observation(const identity::Actor& a, ObservationId id, const std::string& reason) {
  return transition(a, id, "return", reason);
}
Result<json> TargetsService::unlock(const identity::Actor& a, ObservationId id, const std::string& reason) {
  return transition(a, id, "unlock", reason);
}

Result<json> TargetsService::approval_inbox(const identity::Actor& a, const std::string& code, const ApprovalQuery& q) {
  if (auto s = AccessPolicy::require(a, Permission::targets_approve); !s) return s.error();
  auto g = admin_.graph();
  auto scope = AccessPolicy(g).unit_filter(a);
  if (q.unit) {
    if (!g->find(*q.unit)) return Error::invalid("bad filter", {{"unit_id", "no administrative unit with this id"}});
    if (auto s = AccessPolicy(g).require_unit(a, Permission::targets_approve, *q.unit); !s) return s.error();
  }
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    const auto indicators = TargetsRepository::indicators(c, p->id);
    std::map<std::int64_t, const Indicator*> by_id;
    for (const auto& i : indicators) by_id[i.id.value] = &i;
    // What waits, whole: by unit (most first) and by indicator (in the programme's order).
    std::int64_t total = 0;
    std::map<std::int64_t, std::int64_t> per_unit, per_indicator;
    for (const auto& w : TargetsRepository::waiting_counts(c, p->id, scope)) {
      total += w.count;
      per_unit[w.unit.value] += w.count;
      per_indicator[w.indicator.value] += w.count;
    }
    json by_unit = json::array();
    for (const auto& [u, n] : per_unit) by_unit.push_back({{"unit", unit_ref(*g, UnitId(u))}, {"count", n}});
    std::stable_sort(by_unit.begin(), by_unit.end(), [](const json& x, const json& y) {
      return x["count"].get<std::int64_t>() > y["count"].get<std::int64_t>();
    });
    json by_indicator = json::array();
    for (const auto& i : indicators)
      if (auto it = per_indicator.find(i.id.value); it != per_indicator.end())
        by_indicator.push_back({{"indicator", i.code}, {"name_vi", i.name_vi}, {"name_en", i.name_en}, {"count", it->second}});
    // The page of items, oldest submission first.
    ObservationFilter f;
    f.programme = p->id;
    f.status = ObservationStatus::submitted;
    f.by_submission = true;
    f.unit = q.unit;
    f.page = q.page;
    f.page_size = q.page_size;
    if (!q.indicator.empty()) {
      auto i = TargetsRepository::find_indicator(c, p->id, q.indicator);
      if (!i) return indicator_not_found(code, q.indicator);
      f.indicator = i->id;
    }
    std::int64_t matching = 0;
    json items = json::array();
    for (const auto& o : TargetsRepository::observations(c, f, scope, &matching)) {
      const Indicator* ind = by_id.count(o.indicator.value) ? by_id[o.indicator.value] : nullptr;
      json item = observation_json(*g, o, ind ? ind->code : "");
      item["indicator_name_vi"] = ind ? ind->name_vi : "";
      item["indicator_name_en"] = ind ? ind->name_en : "";
      item["measure_unit"] = ind ? ind->measure_unit : "";
      auto prev = TargetsRepository::previous_approved(c, o.indicator, o.unit, o.year, o.period);
      item["previous"] = prev ? json{{"id", prev->id.value}, {"year", prev->year}, {"value", prev->value},
                                     {"approved_by", prev->approved_by}, {"approved_at", prev->approved_at}}
                              : json(nullptr);
      item["change"] = prev ? json(o.value - prev->value) : json(nullptr);
      const bool own = settings_.four_eyes && (o.submitted_by == a.name || o.entered_by == a.name);
      item["can_approve"] = !own;
      item["cannot_approve_reason"] = own ? json("four_eyes") : json(nullptr);
      items.push_back(std::move(item));
    }
    return json{{"programme", p->code},
                {"waiting", {{"total", total}, {"by_unit", by_unit}, {"by_indicator", by_indicator}}},
                {"items", items},
                {"page", q.page},
                {"page_size", q.page_size},
                {"total", matching},
                {"four_eyes", settings_.four_eyes}};
  });
}

Result<json> TargetsService::flags(const identity::Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  auto g = admin_.graph();
  auto scope = AccessPolicy(g).unit_filter(a);
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto p = TargetsRepository::find_programme(c, code);
    if (!p) return programme_not_found(code);
    json items = json::array();
    int checked = 0;
    for (const auto& i : TargetsRepository::indicators(c, p->id)) {
      ObservationFilter f;
      f.indicator = i.id;
      for (const auto& o : TargetsRepository::observations(c, f, scope, nullptr)) {
        ++checked;
        json fl = observation_flags(c, *g, *p, i, o);
        if (fl.empty()) continue;
        const admin::AdminUnit* u = g->find(o.unit);
        items.push_back({{"observation_id", o.id.value}, {"indicator", i.code}, {"unit_code", u ? u->code : ""},
                         {"unit_name", u ? u->name : ""}, {"year", o.year}, {"period", o.period},
                         {"value", o.value}, {"status", to_string(o.status)}, {"flags", fl}});
      }
    }
    return json{{"programme", p->code}, {"checked", checked}, {"flagged", items.size()}, {"items", items},
                {"rules", {{"outlier", "|0.6745·(x − median)/MAD| > 3.5 over the unit's other years (>= 3 values; MAD = 0: no flag)"},
                           {"exceeds", "value above the indicator named in not_above, same unit, year and period"},
                           {"reported_differs_from_computed", "difference above max(1 % of the computed value, 0.01)"}}}};
  });
}

}  // namespace nongsan::targets
