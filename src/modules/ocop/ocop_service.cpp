#include "modules/ocop/ocop_service.hpp"

#include <algorithm>
#include <set>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/ocop/ocop_watch.hpp"
#include "modules/registry/import_support.hpp"
#include "modules/registry/registry_scope.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::ocop {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;
using support::ImportRow;
using support::ImportTable;

namespace {

constexpr auto check_columns = &support::check_import_columns;
constexpr auto cell = &support::import_cell;
constexpr auto at = &support::import_at;

std::optional<CivilDate> plausible_date(const std::string& text) {
  auto d = CivilDate::parse(text);
  if (!d || d->year() < 1945 || d->year() > 2100) return std::nullopt;
  return d;
}

Error refused(std::vector<FieldError> errors) {
  return Error::invalid("the file has mistakes; nothing was imported", std::move(errors));
}

json date_or_null(const std::optional<CivilDate>& d) { return d ? json(d->iso()) : json(nullptr); }

json standing_json(const Standing& s) {
  return {{"status", s.status},
          {"stars", s.stars},
          {"decision_date", date_or_null(s.decision_date)},
          {"expires", date_or_null(s.expires)},
          {"level", s.level ? json(std::string(to_string(*s.level))) : json(nullptr)},
          {"proposed_to_centre", s.proposed_to_centre},
          {"days_left", s.days_left ? json(*s.days_left) : json(nullptr)}};
}

// Events attached to the certificate of `evaluation_id`: each event acts on the
// certificate in force on its own date.
std::vector<Event> events_of(const Scoring& s, const std::vector<Evaluation>& evaluations,
                             const std::vector<Event>& events, std::optional<std::int64_t> evaluation_id) {
  std::vector<Event> out;
  if (!evaluation_id) return out;
  for (const auto& e : events)
    if (certificate_on(s, evaluations, e.date) == evaluation_id) out.push_back(e);
  return out;
}

}  // namespace

OcopService::OcopService(storage::Database& db, admin::AdminService& admin, Scoring scoring)
    : db_(db), admin_(admin), scoring_(std::move(scoring)) {}

Result<json> OcopService::scoring_sheets(const Actor& a) const {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return scoring_.document;
}

bool product_visible(const registry::RecordScope& scope, const Product& p) {
  if (!scope.includes_unit(p.unit)) return false;
  return !scope.producers() || scope.producers()->contains(p.subject_id);
}

Result<Product> OcopService::product_in_scope(Connection& c, const Actor& a, const std::string& code) {
  auto p = OcopRepository::product(c, code);
  if (!p || !product_visible(registry::RecordScope::of(a, admin_.graph(), c), *p))
    return Error::not_found("no OCOP product " + code + " in your scope");
  return *p;
}

// ---- imports ------------------------------------------------------------------------------

Result<ImportReport> OcopService::import_products(const Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto cols = check_columns(t, {"product", "name", "subject", "group"}, {"commune"});
  if (!cols) return cols.error();
  auto graph = admin_.graph();
  const CivilDate today = CivilDate::today();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    std::vector<FieldError> errors;
    std::vector<Product> rows;
    std::map<std::string, int> seen;
    for (const auto& row : t.rows) {
      const std::size_t before = errors.size();
      Product p;
      p.code = cell(row, *cols, "product");
      if (p.code.empty() || p.code.size() > 64 || !is_valid_utf8(p.code))
        errors.push_back({at(row, "product"), "must be a code of 1 to 64 characters"});
      else if (seen.count(p.code))
        errors.push_back({at(row, "product"), "repeats line " + std::to_string(seen[p.code])});
      else seen[p.code] = row.line;
      p.name = cell(row, *cols, "name");
      if (p.name.empty() || p.name.size() > 300 || !is_valid_utf8(p.name))
        errors.push_back({at(row, "name"), "must be a name of 1 to 300 characters"});
      const std::string subject = cell(row, *cols, "subject");
      auto producer = subject.empty() ? std::nullopt : support::SupportRepository::producer(c, subject);
      if (!producer) errors.push_back({at(row, "subject"), "no producer has the id '" + subject + "'"});
      else {
        p.subject_id = producer->id.value;
        p.unit = producer->unit;
      }
      auto g = parse_integer(cell(row, *cols, "group"), NumberRange::int32(1, 6), "group");
      if (!g) errors.push_back({at(row, "group"), "must be a whole number from 1 to 6 (the groups of Decision 148/QĐ-TTg)"});
      else p.group = static_cast<int>(*g);
      if (std::string commune = cell(row, *cols, "commune"); !commune.empty()) {
        if (const auto* u = registry::import::commune_on(*graph, commune, today)) p.unit = u->id;
        else errors.push_back({at(row, "commune"), "no commune has the code '" + commune + "'"});
      }
      p.source = source;
      if (errors.size() == before) rows.push_back(std::move(p));
    }
    if (!errors.empty()) return refused(std::move(errors));
    ImportReport rep;
    for (auto& p : rows) {
      auto old = OcopRepository::product(c, p.code);
      if (!old) {
        p.id = OcopRepository::insert_product(c, p);
        ++rep.created;
      } else if (old->name != p.name || old->subject_id != p.subject_id || old->group != p.group ||
                 old->unit != p.unit) {
        p.id = old->id;
        OcopRepository::update_product(c, p);
        ++rep.updated;
      } else {
        ++rep.unchanged;
      }
    }
    audit::record(c, a, "import", "ocop_product", source, std::nullopt, std::nullopt,
                  json{{"created", rep.created}, {"updated", rep.updated}, {"unchanged", rep.unchanged}});
    return rep;
  });
}

Result<ImportReport> OcopService::import_evaluations(const Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto cols = check_columns(t, {"product", "level", "date", "part_a", "part_b", "part_c", "decision"}, {});
  if (!cols) return cols.error();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    std::vector<FieldError> errors;
    std::vector<std::pair<std::int64_t, Evaluation>> rows;
    std::map<std::string, std::optional<Product>> products;
    std::map<std::tuple<std::int64_t, std::string, std::string>, int> seen;
    for (const auto& row : t.rows) {
      const std::size_t before = errors.size();
      const std::string code = cell(row, *cols, "product");
      if (!products.count(code)) products[code] = OcopRepository::product(c, code);
      const auto& product = products[code];
      if (!product) errors.push_back({at(row, "product"), "no OCOP product has the code '" + code + "'"});
      Evaluation e;
      const std::string level = cell(row, *cols, "level");
      if (level == "province") e.level = Level::province;
      else if (level == "central") e.level = Level::central;
      else errors.push_back({at(row, "level"), "must be province or central"});
      if (auto d = plausible_date(cell(row, *cols, "date"))) e.date = *d;
      else errors.push_back({at(row, "date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      struct Part {
        const char* column;
        double max;
        double* value;
      };
      for (Part part : {Part{"part_a", scoring_.max_a, &e.part_a}, Part{"part_b", scoring_.max_b, &e.part_b},
                        Part{"part_c", scoring_.max_c, &e.part_c}}) {
        auto v = parse_real(cell(row, *cols, part.column), NumberRange::real(0, part.max), part.column);
        if (!v) errors.push_back({at(row, part.column), "must be a number of points from 0 to " + format_number(part.max)});
        else *part.value = *v;
      }
      e.decision = cell(row, *cols, "decision");
      if (e.decision.size() > 200 || !is_valid_utf8(e.decision))
        errors.push_back({at(row, "decision"), "must be at most 200 characters"});
      if (errors.size() != before) continue;
      auto key = std::make_tuple(product->id, level, e.date.iso());
      if (seen.count(key)) {
        errors.push_back({at(row, "date"), "repeats line " + std::to_string(seen[key]) + " (same product, level and date)"});
        continue;
      }
      seen[key] = row.line;
      rows.emplace_back(product->id, e);
    }
    if (!errors.empty()) return refused(std::move(errors));
    ImportReport rep;
    for (const auto& [pid, e] : rows) {
      auto old = OcopRepository::find_evaluation(c, pid, e.level, e.date);
      if (!old) {
        OcopRepository::insert_evaluation(c, pid, e, source);
        ++rep.created;
      } else if (old->part_a != e.part_a || old->part_b != e.part_b || old->part_c != e.part_c ||
                 old->decision != e.decision) {
        OcopRepository::update_evaluation(c, old->id, e, source);
        ++rep.updated;
      } else {
        ++rep.unchanged;
      }
    }
    audit::record(c, a, "import", "ocop_evaluation", source, std::nullopt, std::nullopt,
                  json{{"created", rep.created}, {"updated", rep.updated}, {"unchanged", rep.unchanged}});
    return rep;
  });
}

Result<ImportReport> OcopService::import_events(const Actor& a, const ImportTable& t, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto cols = check_columns(t, {"product", "date", "kind", "stars"}, {});
  if (!cols) return cols.error();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    std::vector<FieldError> errors;
    std::vector<std::pair<std::int64_t, Event>> rows;
    std::map<std::string, std::optional<Product>> products;
    std::map<std::int64_t, std::vector<Evaluation>> evaluations;
    for (const auto& row : t.rows) {
      const std::size_t before = errors.size();
      const std::string code = cell(row, *cols, "product");
      if (!products.count(code)) products[code] = OcopRepository::product(c, code);
      const auto& product = products[code];
      if (!product) errors.push_back({at(row, "product"), "no OCOP product has the code '" + code + "'"});
      Event e;
      bool dated = false;
      if (auto d = plausible_date(cell(row, *cols, "date"))) {
        e.date = *d;
        dated = true;
      } else {
        errors.push_back({at(row, "date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      }
      const std::string kind = cell(row, *cols, "kind");
      auto k = parse_event_kind(kind);
      if (!k) errors.push_back({at(row, "kind"), "must be revoked or downgraded"});
      else e.kind = *k;
      const std::string stars = cell(row, *cols, "stars");
      if (k == EventKind::downgraded) {
        auto s = parse_integer(stars, NumberRange::int32(1, 5), "stars");
        if (!s) errors.push_back({at(row, "stars"), "must be the stars after the downgrade, a whole number from 1 to 5"});
        else e.stars = static_cast<int>(*s);
      } else if (k == EventKind::revoked && !stars.empty()) {
        errors.push_back({at(row, "stars"), "must be empty for a revocation"});
      }
      if (errors.size() != before) continue;
      if (!evaluations.count(product->id)) evaluations[product->id] = OcopRepository::evaluations(c, product->id);
      if (dated && !certificate_on(scoring_, evaluations[product->id], e.date))
        errors.push_back({at(row, "date"), "product " + code + " has no OCOP certificate in force on " + e.date.iso()});
      else rows.emplace_back(product->id, e);
    }
    if (!errors.empty()) return refused(std::move(errors));
    ImportReport rep;
    std::map<std::int64_t, std::vector<Event>> stored;
    for (const auto& [pid, e] : rows) {
      if (!stored.count(pid)) stored[pid] = OcopRepository::events(c, pid);
      bool same = std::any_of(stored[pid].begin(), stored[pid].end(), [&](const Event& s) {
        return s.date == e.date && s.kind == e.kind && (e.kind == EventKind::revoked || s.stars == e.stars);
      });
      if (same) {
        ++rep.unchanged;
        continue;
      }
      Event copy = e;
      copy.id = OcopRepository::insert_event(c, pid, e, std::nullopt, source);
      stored[pid].push_back(copy);
      ++rep.created;
    }
    audit::record(c, a, "import", "ocop_event", source, std::nullopt, std::nullopt,
                  json{{"created", rep.created}, {"unchanged", rep.unchanged}});
    return rep;
  });
}

// ---- status and calendar -------------------------------------------------------------------

Result<std::vector<StatusRow>> OcopService::status(const Actor& a, const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<std::vector<StatusRow>> {
    auto evaluations = OcopRepository::all_evaluations(c);
    auto events = OcopRepository::all_events(c);
    std::vector<StatusRow> out;
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    for (const auto& p : OcopRepository::products(c)) {
      if (!product_visible(scope, p)) continue;
      const auto& ev = evaluations[p.id];
      StatusRow r{p.code, p.name, p.unit, {}};
      // Events of the certificate that is the latest on `on`.
      Standing first = standing_on(scoring_, ev, {}, on);
      r.standing = standing_on(scoring_, ev, events_of(scoring_, ev, events[p.id], first.evaluation_id), on);
      out.push_back(std::move(r));
    }
    // By code, byte by byte: the same order on both backends whatever their collation.
    std::sort(out.begin(), out.end(), [](const StatusRow& x, const StatusRow& y) { return x.product < y.product; });
    return out;
  });
}

Result<json> OcopService::calendar(const Actor& a, const CivilDate& from, const CivilDate& to) {
  if (to < from) return Error::invalid("the period ends before it starts", {{"to", "must not be before from"}});
  auto rows = status(a, from);
  if (!rows) return rows.error();
  json items = json::array();
  for (const auto& r : *rows) {
    const auto& s = r.standing;
    if (s.status == "none" || s.status == "revoked" || !s.expires) continue;
    if (*s.expires < from || *s.expires > to) continue;
    items.push_back({{"product", r.product},
                     {"name", r.name},
                     {"stars", s.stars},
                     {"decision_date", date_or_null(s.decision_date)},
                     {"expires", s.expires->iso()},
                     {"notify_on", CivilDate::from_days(s.expires->days_since_epoch() - scoring_.notice_days).iso()}});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const json& x, const json& y) { return x["expires"].get<std::string>() < y["expires"].get<std::string>(); });
  return json{{"from", from.iso()}, {"to", to.iso()}, {"notice_days", scoring_.notice_days}, {"items", items}};
}

Result<json> OcopService::notices(const Actor& a, const CivilDate& on) {
  auto rows = status(a, on);
  if (!rows) return rows.error();
  json items = json::array();
  for (const auto& r : *rows)
    if (r.standing.status == "expiring")
      items.push_back({{"product", r.product},
                       {"name", r.name},
                       {"stars", r.standing.stars},
                       {"expires", date_or_null(r.standing.expires)},
                       {"days_left", *r.standing.days_left}});
  return json{{"on", on.iso()}, {"notice_days", scoring_.notice_days}, {"items", items}};
}

// ---- one product ----------------------------------------------------------------------------

Result<json> OcopService::product(const Actor& a, const std::string& code, const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    auto p = product_in_scope(c, a, code);
    if (!p) return p.error();
    auto ev = OcopRepository::evaluations(c, p->id);
    auto events = OcopRepository::events(c, p->id);
    Standing first = standing_on(scoring_, ev, {}, on);
    Standing st = standing_on(scoring_, ev, events_of(scoring_, ev, events, first.evaluation_id), on);
    json evaluations = json::array();
    for (const auto& e : ev) {
      Grade g = grade(scoring_, e.level, e.total());
      evaluations.push_back({{"id", e.id},
                             {"level", to_string(e.level)},
                             {"date", e.date.iso()},
                             {"part_a", e.part_a},
                             {"part_b", e.part_b},
                             {"part_c", e.part_c},
                             {"total", e.total()},
                             {"stars", g.stars},
                             {"proposed_to_centre", g.proposed_to_centre},
                             {"expires", e.level == Level::self || g.stars == 0
                                             ? json(nullptr)
                                             : json(add_months(e.date, scoring_.validity_months).iso())},
                             {"decision", e.decision}});
    }
    json evs = json::array();
    for (const auto& e : events)
      evs.push_back({{"id", e.id},
                     {"date", e.date.iso()},
                     {"kind", to_string(e.kind)},
                     {"stars", e.kind == EventKind::downgraded ? json(e.stars) : json(nullptr)},
                     {"reason", e.reason}});
    json findings = json::array();
    for (const auto& f : OcopRepository::findings(c, p->id)) findings.push_back(finding_json(f, events));
    const auto* unit = p->unit ? admin_.graph()->find(*p->unit) : nullptr;
    return json{{"product", p->code},
                {"name", p->name},
                {"subject", p->subject},
                {"subject_name", p->subject_name},
                {"group", p->group},
                {"group_name", group_name_vi(scoring_, p->group)},
                {"commune", unit ? json(unit->name) : json(nullptr)},
                {"illustrative", p->illustrative},
                {"on", on.iso()},
                {"standing", standing_json(st)},
                {"evaluations", evaluations},
                {"events", evs},
                {"findings", findings}};
  });
}

// ---- entered by hand ------------------------------------------------------------------------

Result<json> OcopService::add_evaluation(const Actor& a, const std::string& code, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  std::vector<FieldError> errors;
  Evaluation e;
  auto level = parse_level(body.value("level", ""));
  if (!level) errors.push_back({"level", "must be self, province or central"});
  else e.level = *level;
  auto d = body.contains("date") && body["date"].is_string() ? plausible_date(body["date"].get<std::string>())
                                                              : std::nullopt;
  if (!d) errors.push_back({"date", "must be a date (YYYY-MM-DD) between 1945 and 2100"});
  else e.date = *d;
  struct Part {
    const char* field;
    double max;
    double* value;
  };
  for (Part part : {Part{"part_a", scoring_.max_a, &e.part_a}, Part{"part_b", scoring_.max_b, &e.part_b},
                    Part{"part_c", scoring_.max_c, &e.part_c}}) {
    if (!body.contains(part.field) || !body[part.field].is_number()) {
      errors.push_back({part.field, "must be a number of points from 0 to " + format_number(part.max)});
      continue;
    }
    auto v = real_in_range(body[part.field].get<double>(), NumberRange::real(0, part.max), part.field);
    if (!v) errors.push_back({part.field, "must be a number of points from 0 to " + format_number(part.max)});
    else *part.value = *v;
  }
  e.decision = body.value("decision", "");
  if (e.decision.size() > 200) errors.push_back({"decision", "must be at most 200 characters"});
  if (!errors.empty()) return Error::invalid("the evaluation is not valid", errors);
  if (e.level != Level::self)
    if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto r = db_.write([&](Connection& c) -> Result<std::int64_t> {
    auto p = product_in_scope(c, a, code);
    if (!p) return p.error();
    if (OcopRepository::find_evaluation(c, p->id, e.level, e.date))
      return Error::conflict("product " + code + " already has an evaluation at this level on this date");
    auto id = OcopRepository::insert_evaluation(c, p->id, e, "ui");
    audit::record(c, a, "create", "ocop_evaluation", std::to_string(id), p->unit, std::nullopt,
                  json{{"product", code}, {"level", to_string(e.level)}, {"date", e.date.iso()}, {"total", e.total()}});
    return id;
  });
  if (!r) return r.error();
  return product(a, code, e.date);
}

Result<json> OcopService::add_finding(const Actor& a, const std::string& code, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  std::vector<FieldError> errors;
  Finding f;
  f.kind = body.value("kind", "");
  if (f.kind != "complaint" && f.kind != "lab_failed" && f.kind != "certificate_lapsed")
    errors.push_back({"kind", "must be complaint, lab_failed or certificate_lapsed"});
  auto d = body.contains("date") && body["date"].is_string() ? plausible_date(body["date"].get<std::string>())
                                                              : std::nullopt;
  if (!d) errors.push_back({"date", "must be a date (YYYY-MM-DD) between 1945 and 2100"});
  else f.found_on = *d;
  f.detail = body.value("detail", "");
  if (f.detail.empty() || f.detail.size() > 2000) errors.push_back({"detail", "must say what was found (1 to 2000 characters)"});
  if (!errors.empty()) return Error::invalid("the finding is not valid", errors);
  f.created_by = a.name;
  auto r = db_.write([&](Connection& c) -> Result<std::int64_t> {
    auto p = product_in_scope(c, a, code);
    if (!p) return p.error();
    f.product_id = p->id;
    auto id = OcopRepository::insert_finding(c, f);
    audit::record(c, a, "create", "ocop_finding", std::to_string(id), p->unit, std::nullopt,
                  json{{"product", code}, {"kind", f.kind}, {"date", f.found_on.iso()}, {"detail", f.detail}});
    return id;
  });
  if (!r) return r.error();
  return product(a, code, f.found_on);
}

Result<json> OcopService::decide(const Actor& a, const std::string& code, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  std::vector<FieldError> errors;
  Event e;
  auto k = parse_event_kind(body.value("kind", ""));
  if (!k) errors.push_back({"kind", "must be revoked or downgraded"});
  else e.kind = *k;
  auto d = body.contains("date") && body["date"].is_string() ? plausible_date(body["date"].get<std::string>())
                                                              : std::nullopt;
  if (!d) errors.push_back({"date", "must be a date (YYYY-MM-DD) between 1945 and 2100"});
  else e.date = *d;
  if (k == EventKind::downgraded) {
    if (!body.contains("stars") || !body["stars"].is_number_integer() || body["stars"].get<int>() < 1 ||
        body["stars"].get<int>() > 5)
      errors.push_back({"stars", "must be the stars after the downgrade, a whole number from 1 to 5"});
    else e.stars = body["stars"].get<int>();
  }
  e.reason = body.value("reason", "");
  if (e.reason.empty() || e.reason.size() > 2000) errors.push_back({"reason", "must give the decision's reason"});
  std::optional<std::int64_t> finding;
  if (body.contains("finding") && !body["finding"].is_null()) {
    if (!body["finding"].is_number_integer()) errors.push_back({"finding", "must be a finding id"});
    else finding = body["finding"].get<std::int64_t>();
  }
  if (!errors.empty()) return Error::invalid("the decision is not valid", errors);
  auto r = db_.write([&](Connection& c) -> Result<std::int64_t> {
    auto p = product_in_scope(c, a, code);
    if (!p) return p.error();
    if (finding) {
      auto f = OcopRepository::finding(c, *finding);
      if (!f || f->product_id != p->id)
        return Error::invalid("no such finding of this product", {{"finding", "no finding " + std::to_string(*finding) +
                                                                                 " of product " + code}});
    }
    auto ev = OcopRepository::evaluations(c, p->id);
    if (!certificate_on(scoring_, ev, e.date))
      return Error::invalid("no certificate in force", {{"date", "product " + code + " has no OCOP certificate in force on " +
                                                                     e.date.iso()}});
    auto id = OcopRepository::insert_event(c, p->id, e, finding, "ui");
    if (finding) OcopRepository::close_finding(c, *finding, id);
    audit::record(c, a, "decide", "ocop_event", std::to_string(id), p->unit, std::nullopt,
                  json{{"product", code}, {"kind", to_string(e.kind)}, {"date", e.date.iso()}, {"stars", e.stars},
                       {"reason", e.reason}});
    return id;
  });
  if (!r) return r.error();
  return product(a, code, e.date);
}

}  // namespace nongsan::ocop
