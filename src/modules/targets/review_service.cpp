// TargetsService, second half: loading the data of a review, the review and its
// views (choropleth, trend, drill-down), and the register of issued reports.
#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/admin/rollup.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/support/support_summary.hpp"
#include "modules/targets/computed.hpp"
#include "modules/targets/evaluation.hpp"
#include "modules/targets/review_shapes.hpp"
#include "modules/targets/service_util.hpp"
#include "modules/targets/targets_service.hpp"

namespace nongsan::targets {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;
using namespace detail;

struct TargetsService::Resolved {
  Programme programme;
  int milestone = 0;
  CivilDate as_of;
  UnitId unit;
};

Result<TargetsService::Resolved> TargetsService::resolve(storage::Connection& c,
                                                         const std::shared_ptr<const admin::UnitGraph>& graph,
                                                         const identity::Actor& a, const std::string& code,
                                                         std::optional<int> milestone, std::optional<CivilDate> as_of,
                                                         const std::string& unit_code) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  const admin::UnitGraph& g = *graph;
  auto p = TargetsRepository::find_programme(c, code);
  if (!p) return programme_not_found(code);
  Resolved r;
  r.programme = *p;
  r.as_of = as_of.value_or(CivilDate::today());
  if (milestone) {
    if (!std::binary_search(p->milestones.begin(), p->milestones.end(), *milestone))
      return Error::invalid("bad milestone", {{"milestone", std::to_string(*milestone) + " is not a milestone of " +
                                                                p->code + " (" + format_milestones(p->milestones) + ")"}});
    r.milestone = *milestone;
  } else {
    // The first milestone not yet passed on as_of, else the last.
    r.milestone = p->milestones.back();
    for (int y : p->milestones)
      if (y >= r.as_of.year()) {
        r.milestone = y;
        break;
      }
  }
  if (!unit_code.empty()) {
    const admin::AdminUnit* u = g.find_by_code_any_time(unit_code, r.as_of);
    if (!u) return Error::invalid("unknown unit", {{"unit", "no administrative unit with code '" + unit_code + "'"}});
    r.unit = u->id;
  } else if (identity::role_is_unit_scoped(a.role) && a.unit) {
    r.unit = *a.unit;
  } else {
    auto roots = g.roots_on(r.as_of);
    if (roots.empty()) return Error::invalid("no administrative unit is valid on " + r.as_of.vi());
    r.unit = roots.front();
  }
  if (auto s = AccessPolicy(graph).require_unit(a, Permission::targets_read, r.unit); !s)
    return s.error();
  return r;
}

ReviewData TargetsService::load(storage::Connection& c, const admin::UnitGraph& g, const Programme& p, int milestone,
                                const CivilDate& as_of) {
  ReviewData d;
  d.programme = p;
  d.indicators = TargetsRepository::indicators(c, p.id);
  SharedRegistryReading registry(d.indicators);  // the plantings of a crop read once for all its measures
  registry.prefetch(db_, d.indicators, as_of);
  for (const auto& i : d.indicators) {
    if (i.source == Source::computed) {
      d.values[i.id] = computed_values(c, g, p, i, as_of, &registry);
    } else {
      d.values[i.id] = TargetsRepository::approved_values(c, i.id, as_of.year());
      if (!i.computed.empty()) d.computed[i.id] = computed_values(c, g, p, i, as_of, &registry);
    }
    auto& tt = d.targets[i.id];
    for (auto& t : TargetsRepository::targets(c, i.id, milestone)) tt[t.unit] = std::move(t);
  }
  return d;
}

// The support section: the applications filed under a unit that counts, on the review's
// date, within the review's unit (through the reform's successor links, as computed
// figures are attributed); the province's review also takes the applications without a
// unit, and the budgets.
json TargetsService::load_support(storage::Connection& c, const admin::UnitGraph& g, UnitId unit, const CivilDate& as_of) {
  auto roots = g.roots_on(as_of);
  const bool province = std::find(roots.begin(), roots.end(), unit) != roots.end();
  std::map<UnitId, bool> cache;
  auto in_unit = [&](const std::optional<UnitId>& u) {
    if (!u) return province;
    auto it = cache.find(*u);
    if (it != cache.end()) return it->second;
    bool within = false;
    for (const auto& [leaf, w] : attribute(g, *u, as_of))
      if (w > 0 && g.is_within_on(leaf, unit, as_of)) within = true;
    cache.emplace(*u, within);
    return within;
  };
  return support::support_section(c, as_of.year(), in_unit, province);
}

Result<json> TargetsService::review(const identity::Actor& a, const std::string& code, std::optional<int> milestone,
                                    std::optional<CivilDate> as_of, const std::string& unit_code,
                                    const std::string& lang) {
  if (lang != "vi" && lang != "en") return Error::invalid("bad language", {{"lang", "must be vi or en"}});
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto r = resolve(c, g, a, code, milestone, as_of, unit_code);
    if (!r) return r.error();
    ReviewData d = load(c, *g, r->programme, r->milestone, r->as_of);
    d.support = load_support(c, *g, r->unit, r->as_of);
    ReviewRequest req{r->milestone, r->as_of, r->unit, lang};
    json review = build_review(*g, d, req);
    review["data_hash"] = data_hash(*g, d, req);
    review["generated_at"] = utc_now_iso();
    return review;
  });
}

Result<json> TargetsService::map_values(const identity::Actor& a, const std::string& code, const std::string& indicator,
                                        std::optional<int> milestone, std::optional<CivilDate> as_of,
                                        std::optional<admin::AdminLevel> level) {
  auto g = admin_.graph();
  AccessPolicy policy(g);
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto r = resolve(c, g, a, code, milestone, as_of, "");
    if (!r) return r.error();
    auto ind = TargetsRepository::find_indicator(c, r->programme.id, indicator);
    if (!ind) return indicator_not_found(code, indicator);
    ReviewData d = load(c, *g, r->programme, r->milestone, r->as_of);
    ReviewWindow w{r->programme.start, CivilDate(r->milestone, 12, 31), r->as_of, r->programme.baseline_year};
    json items = json::array();
    for (const admin::AdminUnit* u : g->valid_on(r->as_of)) {
      if (level && u->level != *level) continue;
      if (!policy.in_scope(a, u->id)) continue;
      Evaluation e = evaluate(*g, ind->kind, ind->direction, w, u->id, d.values[ind->id], d.targets[ind->id]);
      auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
      items.push_back({{"unit_id", u->id.value}, {"code", u->code}, {"name", u->name},
                       {"level", admin::to_string(u->level)}, {"actual", opt(e.actual)}, {"target", opt(e.target)},
                       {"achievement_pct", opt(e.achievement_pct)}, {"forecast_pct", opt(e.forecast_pct)},
                       {"band", e.band ? json(to_string(*e.band)) : json(nullptr)}});
    }
    return json{{"programme", r->programme.code}, {"indicator", indicator_json(*ind)}, {"milestone", r->milestone},
                {"as_of", r->as_of.iso()}, {"items", items}};
  });
}

Result<json> TargetsService::trend(const identity::Actor& a, const std::string& code, const std::string& indicator,
                                   std::optional<int> milestone, std::optional<CivilDate> as_of,
                                   const std::string& unit_code) {
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto r = resolve(c, g, a, code, milestone, as_of, unit_code);
    if (!r) return r.error();
    auto ind = TargetsRepository::find_indicator(c, r->programme.id, indicator);
    if (!ind) return indicator_not_found(code, indicator);
    ReviewData d = load(c, *g, r->programme, r->milestone, r->as_of);
    ReviewWindow w{r->programme.start, CivilDate(r->milestone, 12, 31), r->as_of, r->programme.baseline_year};
    Evaluation e = evaluate(*g, ind->kind, ind->direction, w, r->unit, d.values[ind->id], d.targets[ind->id]);
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json values = json::array();
    double cumulative = 0;
    for (const auto& [y, v] : e.trend) {
      if (y < r->programme.baseline_year) continue;
      json item = {{"year", y}, {"value", v}};
      if (ind->kind == Kind::flow && y >= r->programme.start.year()) item["cumulative"] = cumulative += v;
      values.push_back(item);
    }
    // The target line: from the baseline at the start to the target at the milestone
    // (for flows, the cumulative target spread evenly over the years).
    json line = json::array();
    if (e.target) {
      int y0 = r->programme.start.year() - 1;
      for (int y = y0; y <= r->milestone; ++y) {
        double frac = static_cast<double>(y - y0) / static_cast<double>(r->milestone - y0);
        line.push_back({{"year", y}, {"value", e.baseline + (*e.target - e.baseline) * frac}});
      }
    }
    const admin::AdminUnit* u = g->find(r->unit);
    return json{{"programme", r->programme.code}, {"indicator", indicator_json(*ind)},
                {"unit", admin::AdminService::ref_json(*u)}, {"milestone", r->milestone},
                {"as_of", r->as_of.iso()}, {"baseline", e.baseline}, {"target", opt(e.target)},
                {"target_original", opt(e.target_original)}, {"actual", opt(e.actual)},
                {"achievement_pct", opt(e.achievement_pct)}, {"forecast", opt(e.forecast)},
                {"forecast_pct", opt(e.forecast_pct)}, {"values", values}, {"target_line", line}};
  });
}

namespace {
// The units whose own values make up `unit`'s value for `year`, with the share of
// each (1 except through a reform's successor shares).
void leaves(const admin::UnitGraph& g, const admin::OwnValueFn& own, UnitId unit, int year, const CivilDate& as_of,
            double share, std::vector<std::pair<UnitId, double>>& out, int depth = 0) {
  if (depth > 64) return;
  auto r = admin::roll_up(g, own, unit, year, as_of);
  if (r.method == admin::RollupMethod::own) {
    out.push_back({unit, share});
    return;
  }
  for (const auto& c : r.contributions) {
    if (c.method == admin::RollupMethod::own) out.push_back({c.unit, share * c.share});
    else leaves(g, own, c.unit, year, as_of, share * c.share, out, depth + 1);
  }
}
}  // namespace

Result<json> TargetsService::records(const identity::Actor& a, const std::string& code, const std::string& indicator,
                                     const std::string& unit_code, int year, std::optional<CivilDate> as_of) {
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) -> Result<json> {
    auto r = resolve(c, g, a, code, std::nullopt, as_of, unit_code);
    if (!r) return r.error();
    auto ind = TargetsRepository::find_indicator(c, r->programme.id, indicator);
    if (!ind) return indicator_not_found(code, indicator);
    CivilDate ref = admin::reference_date(year, r->as_of);
    ValueTable table = ind->source == Source::computed ? computed_values(c, *g, r->programme, *ind, r->as_of)
                                                       : TargetsRepository::approved_values(c, ind->id, year);
    admin::OwnValueFn own = [&](UnitId u, int y) -> std::optional<double> {
      auto it = table.find({u, y});
      if (it == table.end()) return std::nullopt;
      return it->second;
    };
    std::vector<std::pair<UnitId, double>> parts;
    leaves(*g, own, r->unit, year, r->as_of, 1.0, parts);
    auto value = unit_value(*g, table, r->unit, year, r->as_of);
    json items = json::array();
    if (ind->source == Source::computed) {
      // A record counts for a part (a unit valid on the reference date whose whole
      // value is used, with its share) through the units it is attributed to.
      auto def = parse_computed(ind->computed);
      for (const auto& rec : computed_records(c, *def, ind->kind, r->programme.start, ref)) {
        if (!rec.unit) continue;
        double s = 0;
        for (const auto& [leaf, w] : attribute(*g, *rec.unit, ref))
          for (const auto& [part, share] : parts)
            if (g->is_within_on(leaf, part, ref)) s += w * share;
        if (s == 0) continue;
        std::string link = rec.kind == "producer"      ? "/api/v1/producers/" + std::to_string(rec.id)
                           : rec.kind == "application" ? "/api/v1/support/applications/" + std::to_string(rec.id)
                           : rec.kind == "contract"    ? "/api/v1/chains/contracts/" + std::to_string(rec.id)
                                                       : "/api/v1/parcels/" + std::to_string(rec.parcel);
        json item = {{"kind", rec.kind}, {"id", rec.id}, {"parcel_id", rec.parcel ? json(rec.parcel) : json(nullptr)},
                     {"unit", unit_ref(*g, *rec.unit)}, {"value", rec.value}, {"share", s},
                     {"contribution", rec.value * s}, {"link", link}};
        if (!rec.code.empty()) item["code"] = rec.code;
        if (!rec.basis.empty()) item["basis"] = rec.basis;
        items.push_back(std::move(item));
      }
    } else {
      for (const auto& [u, s] : parts) {
        auto o = TargetsRepository::find_observation(c, ind->id, u, year, 0);
        if (!o) continue;
        items.push_back({{"kind", "observation"}, {"id", o->id.value}, {"unit", unit_ref(*g, u)},
                         {"value", o->value}, {"status", to_string(o->status)}, {"share", s},
                         {"contribution", o->value * s}, {"approved_by", o->approved_by},
                         {"approved_at", o->approved_at}, {"link", "/api/v1/observations/" + std::to_string(o->id.value)}});
      }
    }
    return json{{"programme", r->programme.code}, {"indicator", indicator_json(*ind)},
                {"unit", unit_ref(*g, r->unit)}, {"year", year}, {"as_of", r->as_of.iso()},
                {"reference_date", ref.iso()}, {"value", value ? json(*value) : json(nullptr)}, {"records", items}};
  });
}

// ---- issuing a review document -----------------------------------------------------

Result<IssuedReview> TargetsService::issue_review(const identity::Actor& a, const ReviewDocumentRequest& q,
                                                  const std::function<Status(const IssuedReview&)>& deliver) {
  if (!renderer_) return Error::internal("no document renderer was given to the targets service");
  auto review_json = review(a, q.programme, q.milestone, q.as_of, q.unit, q.lang);
  if (!review_json) return review_json.error();
  IssuedReview out;
  out.review = std::move(*review_json);
  // The units the document maps (a JSON review needs none).
  json shapes = json{{"type", "FeatureCollection"}, {"features", json::array()}};
  if (q.format != "json") {
    auto fc = review_unit_shapes(admin_, a, out.review);
    if (!fc) return fc.error();
    shapes = std::move(*fc);
  }
  auto file = renderer_(out.review, shapes, q.format, q.profile);
  if (!file) return file.error();
  out.file = std::move(*file);
  out.file_name = q.file_name;
  if (out.file_name.empty()) {
    // An ASCII name: bao-cao-NQ05-2025-20230630-12.pdf
    std::string as_of = out.review["as_of"].get<std::string>();
    std::erase(as_of, '-');
    out.file_name = "bao-cao-" + out.review["programme"]["code"].get<std::string>() + "-" +
                    std::to_string(out.review["milestone"].get<int>()) + "-" + as_of + "-" +
                    out.review["unit"]["code"].get<std::string>() + out.file.extension;
    std::erase_if(out.file_name, [](char ch) {
      return !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_');
    });
  }
  if (deliver)
    if (auto st = deliver(out); !st) return st.error();
  // How it was laid out is not part of the data, but needed to issue the same document again.
  json options = json::object();
  if (q.format != "json") options["profile"] = q.profile;
  if (q.lang != "vi") options["lang"] = q.lang;
  auto issued = register_issue(a, out.review, q.format, out.file_name, out.file.bytes, options);
  if (!issued) return issued.error();
  out.issue = std::move(*issued);
  return out;
}

// ---- the register of issued reports ---------------------------------------------

namespace {
json issue_json(const ReportIssue& i) {
  json params = json::object();
  try {
    params = json::parse(i.parameters);
  } catch (const std::exception&) {
  }
  return {{"id", i.id.value},         {"kind", i.kind},           {"programme", i.programme},
          {"parameters", params},     {"format", i.format},       {"data_hash", i.data_hash},
          {"file_name", i.file_name}, {"size_bytes", i.size_bytes}, {"file_sha256", i.file_sha256},
          {"issued_by", i.issued_by}, {"issued_at", i.issued_at}};
}
}  // namespace

Result<json> TargetsService::register_issue(const identity::Actor& a, const json& review, const std::string& format,
                                            const std::string& file_name, const std::string& file_bytes,
                                            const json& options) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  ReportIssue i;
  i.kind = review.value("kind", "review");
  i.programme = review["programme"].value("code", "");
  json parameters = json{{"programme", i.programme},
                      {"milestone", review["milestone"]},
                      {"as_of", review["as_of"]},
                      {"unit", review["unit"].is_object() ? review["unit"]["code"] : json(nullptr)}};
  if (options.is_object()) parameters.update(options);
  i.parameters = parameters.dump();
  i.format = format;
  i.data_hash = review.value("data_hash", "");
  i.file_name = file_name;
  i.size_bytes = static_cast<std::int64_t>(file_bytes.size());
  i.file_sha256 = sha256_hex(file_bytes);
  i.issued_by = a.name;
  i.issued_at = utc_now_iso();
  return db_.write([&](storage::Connection& c) -> Result<json> {
    i.id = TargetsRepository::insert_issue(c, i);
    json after = issue_json(i);
    audit::record(c, a, "issue", "report_issue", std::to_string(i.id.value), std::nullopt, std::nullopt, after);
    return after;
  });
}

namespace {
// Officers see the reports issued for units in their scope; province roles see all.
bool issue_in_scope(const identity::Actor& a, const std::shared_ptr<const admin::UnitGraph>& g, const json& issue) {
  if (!identity::role_is_unit_scoped(a.role)) return true;
  const json& p = issue["parameters"];
  if (!p.is_object() || !p.contains("unit") || !p["unit"].is_string()) return false;
  auto as_of = CivilDate::parse(p.value("as_of", "")).value_or(CivilDate::today());
  const admin::AdminUnit* u = g->find_by_code_any_time(p["unit"].get<std::string>(), as_of);
  return u && AccessPolicy(g).in_scope(a, u->id);
}
}  // namespace

Result<json> TargetsService::list_issues(const identity::Actor& a, const std::string& programme) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  auto g = admin_.graph();
  return db_.read([&](storage::Connection& c) {
    json out = json::array();
    for (const auto& i : TargetsRepository::issues(c, programme))
      if (json j = issue_json(i); issue_in_scope(a, g, j)) out.push_back(j);
    return out;
  });
}

Result<json> TargetsService::get_issue(const identity::Actor& a, ReportIssueId id) {
  if (auto s = AccessPolicy::require(a, Permission::targets_read); !s) return s.error();
  auto i = db_.read([&](storage::Connection& c) { return TargetsRepository::find_issue(c, id); });
  if (!i) return Error::not_found("no issued report with id " + std::to_string(id.value));
  json j = issue_json(*i);
  // Another unit's report answers as one that does not exist (the id tells nothing).
  if (!issue_in_scope(a, admin_.graph(), j)) return Error::not_found("no issued report with id " + std::to_string(id.value));
  return j;
}

Result<json> TargetsService::verify_issue(const identity::Actor& a, ReportIssueId id) {
  auto issued = get_issue(a, id);
  if (!issued) return issued.error();
  // Another kind of report (the committee's conclusions) hashes other data: its own
  // module verifies it; recomputing a review's hash here would report a false change.
  if ((*issued)["kind"] != "review")
    return Error::invalid("report " + std::to_string(id.value) + " is not a review; verify it with its own command",
                          {{"id", "is a report of kind " + (*issued)["kind"].get<std::string>()}});
  const json p = (*issued)["parameters"].is_object() ? (*issued)["parameters"] : json::object();
  auto as_of = CivilDate::parse(p.value("as_of", ""));
  json unit = p.value("unit", json()), milestone = p.value("milestone", json());
  auto now = review(a, p.value("programme", ""), milestone.is_number() ? std::optional(milestone.get<int>()) : std::nullopt,
                    as_of, unit.is_string() ? unit.get<std::string>() : "");
  if (!now) return now.error();
  std::string hash = (*now)["data_hash"].get<std::string>();
  return json{{"issue", *issued}, {"data_hash_then", (*issued)["data_hash"]}, {"data_hash_now", hash},
              {"data_changed", hash != (*issued)["data_hash"].get<std::string>()}, {"checked_at", utc_now_iso()}};
}

}  // namespace nongsan::targets
