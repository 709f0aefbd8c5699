#include "modules/ocop/ocop_repository.hpp"

namespace nongsan::ocop {

using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kProductSelect =
    "SELECT o.id, o.code, o.name, o.subject_id, COALESCE(p.external_id, '') AS subject, p.name AS subject_name, "
    "p.kind AS subject_kind, o.product_group, o.unit_id, o.illustrative, o.source "
    "FROM ocop_product o JOIN producer p ON p.id = o.subject_id";

Product product_from(const Row& r) {
  Product p;
  p.id = r.i64("id");
  p.code = r.str("code");
  p.name = r.str("name");
  p.subject_id = r.i64("subject_id");
  p.subject = r.str("subject");
  p.subject_name = r.str("subject_name");
  p.subject_kind = r.str("subject_kind");
  p.group = static_cast<int>(r.i64("product_group"));
  if (auto u = r.opt_i64("unit_id")) p.unit = UnitId(*u);
  p.illustrative = r.i64("illustrative") != 0;
  p.source = r.str("source");
  return p;
}

constexpr const char* kEvaluationColumns = "id, product_id, level, decision_date, part_a, part_b, part_c, decision";

Evaluation evaluation_from(const Row& r) {
  Evaluation e;
  e.id = r.i64("id");
  e.level = parse_level(r.str("level")).value_or(Level::province);
  e.date = r.date("decision_date");
  e.part_a = r.f64("part_a");
  e.part_b = r.f64("part_b");
  e.part_c = r.f64("part_c");
  e.decision = r.str("decision");
  return e;
}

constexpr const char* kEventColumns = "id, product_id, event_date, kind, stars, reason";

Event event_from(const Row& r) {
  Event e;
  e.id = r.i64("id");
  e.date = r.date("event_date");
  e.kind = parse_event_kind(r.str("kind")).value_or(EventKind::revoked);
  e.stars = static_cast<int>(r.opt_i64("stars").value_or(0));
  e.reason = r.str("reason");
  return e;
}

Value unit_value(const std::optional<UnitId>& u) { return u ? Value(u->value) : Value(Null{}); }

}  // namespace

std::vector<Product> OcopRepository::products(Connection& c) {
  std::vector<Product> out;
  for (const auto& r : c.query(std::string(kProductSelect) + " ORDER BY o.code").rows) out.push_back(product_from(r));
  return out;
}

std::optional<Product> OcopRepository::product(Connection& c, const std::string& code) {
  auto rs = c.query(std::string(kProductSelect) + " WHERE o.code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return product_from(rs.rows.front());
}

std::int64_t OcopRepository::insert_product(Connection& c, const Product& p) {
  const std::string now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO ocop_product (code, name, subject_id, product_group, unit_id, illustrative, source, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.code, p.name, p.subject_id, std::int64_t{p.group}, unit_value(p.unit), std::int64_t{p.illustrative ? 1 : 0},
       p.source, now, now});
  return rs.rows.front().i64(std::size_t{0});
}

void OcopRepository::update_product(Connection& c, const Product& p) {
  c.execute("UPDATE ocop_product SET name = ?, subject_id = ?, product_group = ?, unit_id = ?, source = ?, "
            "updated_at = ? WHERE id = ?",
            {p.name, p.subject_id, std::int64_t{p.group}, unit_value(p.unit), p.source, utc_now_iso(), p.id});
}

std::vector<Evaluation> OcopRepository::evaluations(Connection& c, std::int64_t product_id) {
  std::vector<Evaluation> out;
  for (const auto& r : c.query(std::string("SELECT ") + kEvaluationColumns +
                                   " FROM ocop_evaluation WHERE product_id = ? ORDER BY decision_date, id",
                               {product_id})
                           .rows)
    out.push_back(evaluation_from(r));
  return out;
}

std::map<std::int64_t, std::vector<Evaluation>> OcopRepository::all_evaluations(Connection& c) {
  std::map<std::int64_t, std::vector<Evaluation>> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kEvaluationColumns + " FROM ocop_evaluation ORDER BY decision_date, id").rows)
    out[r.i64("product_id")].push_back(evaluation_from(r));
  return out;
}

std::map<std::int64_t, std::vector<Event>> OcopRepository::all_events(Connection& c) {
  std::map<std::int64_t, std::vector<Event>> out;
  for (const auto& r : c.query(std::string("SELECT ") + kEventColumns + " FROM ocop_event ORDER BY event_date, id").rows)
    out[r.i64("product_id")].push_back(event_from(r));
  return out;
}

std::optional<Evaluation> OcopRepository::find_evaluation(Connection& c, std::int64_t product_id, Level level,
                                                          const CivilDate& date) {
  auto rs = c.query(std::string("SELECT ") + kEvaluationColumns +
                        " FROM ocop_evaluation WHERE product_id = ? AND level = ? AND decision_date = ?",
                    {product_id, std::string(to_string(level)), date.iso()});
  if (rs.empty()) return std::nullopt;
  return evaluation_from(rs.rows.front());
}

std::int64_t OcopRepository::insert_evaluation(Connection& c, std::int64_t product_id, const Evaluation& e,
                                               const std::string& source) {
  auto rs = c.query(
      "INSERT INTO ocop_evaluation (product_id, level, decision_date, part_a, part_b, part_c, decision, source, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {product_id, std::string(to_string(e.level)), e.date.iso(), e.part_a, e.part_b, e.part_c, e.decision, source,
       utc_now_iso()});
  return rs.rows.front().i64(std::size_t{0});
}

void OcopRepository::update_evaluation(Connection& c, std::int64_t id, const Evaluation& e, const std::string& source) {
  c.execute("UPDATE ocop_evaluation SET part_a = ?, part_b = ?, part_c = ?, decision = ?, source = ? WHERE id = ?",
            {e.part_a, e.part_b, e.part_c, e.decision, source, id});
}

std::vector<Event> OcopRepository::events(Connection& c, std::int64_t product_id) {
  std::vector<Event> out;
  for (const auto& r : c.query(std::string("SELECT ") + kEventColumns +
                                   " FROM ocop_event WHERE product_id = ? ORDER BY event_date, id",
                               {product_id})
                           .rows)
    out.push_back(event_from(r));
  return out;
}

std::int64_t OcopRepository::insert_event(Connection& c, std::int64_t product_id, const Event& e,
                                          std::optional<std::int64_t> finding, const std::string& source) {
  auto rs = c.query(
      "INSERT INTO ocop_event (product_id, event_date, kind, stars, reason, finding_id, source, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {product_id, e.date.iso(), std::string(to_string(e.kind)),
       e.kind == EventKind::downgraded ? Value(std::int64_t{e.stars}) : Value(Null{}), e.reason,
       finding ? Value(*finding) : Value(Null{}), source, utc_now_iso()});
  return rs.rows.front().i64(std::size_t{0});
}

namespace {
Finding finding_from(const Row& r) {
  Finding f;
  f.id = r.i64("id");
  f.product_id = r.i64("product_id");
  f.found_on = r.date("found_on");
  f.kind = r.str("kind");
  f.detail = r.str("detail");
  f.created_by = r.str("created_by");
  f.closed_by_event = r.opt_i64("closed_by_event");
  f.origin = r.str("origin");
  return f;
}
constexpr const char* kFindingSelect =
    "SELECT id, product_id, found_on, kind, detail, created_by, closed_by_event, COALESCE(origin, '') AS origin "
    "FROM ocop_finding";
}  // namespace

std::vector<Finding> OcopRepository::findings(Connection& c, std::int64_t product_id) {
  std::vector<Finding> out;
  for (const auto& r :
       c.query(std::string(kFindingSelect) + " WHERE product_id = ? ORDER BY found_on, id", {product_id}).rows)
    out.push_back(finding_from(r));
  return out;
}

std::optional<Finding> OcopRepository::finding(Connection& c, std::int64_t id) {
  auto rs = c.query(std::string(kFindingSelect) + " WHERE id = ?", {id});
  if (rs.empty()) return std::nullopt;
  return finding_from(rs.rows.front());
}

std::int64_t OcopRepository::insert_finding(Connection& c, const Finding& f) {
  auto rs = c.query("INSERT INTO ocop_finding (product_id, found_on, kind, detail, created_by, created_at, origin) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {f.product_id, f.found_on.iso(), f.kind, f.detail, f.created_by, utc_now_iso(),
                     f.origin.empty() ? Value(Null{}) : Value(f.origin)});
  return rs.rows.front().i64(std::size_t{0});
}

void OcopRepository::close_finding(Connection& c, std::int64_t id, std::int64_t event_id) {
  c.execute("UPDATE ocop_finding SET closed_by_event = ? WHERE id = ?", {event_id, id});
}

bool OcopRepository::has_finding_from(Connection& c, std::int64_t product_id, const std::string& origin) {
  return c.scalar_i64("SELECT COUNT(*) FROM ocop_finding WHERE product_id = ? AND origin = ?", {product_id, origin}) > 0;
}

}  // namespace nongsan::ocop

namespace nongsan::ocop {

DossierFacts dossier_facts(storage::Connection& c, std::int64_t producer_id, const CivilDate& on) {
  DossierFacts f;
  const std::string d = on.iso();
  for (const auto& r : c.query(
           "SELECT DISTINCT p.id, COALESCE(p.external_id, '') AS external_id, COALESCE(p.area_m2, 0) AS area_m2 "
           "FROM land_right lr JOIN parcel p ON p.id = lr.parcel_id WHERE lr.producer_id = ? AND lr.valid_from <= ? "
           "AND (lr.valid_to IS NULL OR lr.valid_to >= ?) ORDER BY external_id",
           {producer_id, d, d})
                           .rows) {
    DossierFacts::Parcel p;
    p.id = r.i64("id");
    p.external_id = r.str("external_id");
    p.area_m2 = r.f64("area_m2");
    for (const auto& pr : c.query("SELECT DISTINCT crop FROM planting WHERE parcel_id = ? AND start_date <= ? AND "
                                  "(end_date IS NULL OR end_date >= ?) ORDER BY crop",
                                  {r.i64("id"), d, d})
                              .rows)
      p.crops += (p.crops.empty() ? "" : ", ") + pr.str("crop");
    f.parcels.push_back(std::move(p));
  }
  f.support_applications = static_cast<int>(
      c.scalar_i64("SELECT COUNT(*) FROM support_application WHERE applicant_id = ? AND filed <= ?", {producer_id, d}));
  f.support_paid = c.scalar_i64(
      "SELECT COALESCE(SUM(CASE WHEN y.kind = 'payment' THEN y.amount ELSE -y.amount END), 0) FROM support_payment y "
      "JOIN support_application a ON a.id = y.application_id WHERE a.applicant_id = ? AND y.payment_date <= ?",
      {producer_id, d});
  return f;
}

std::vector<std::string> organisation_ids(storage::Connection& c) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT external_id FROM producer WHERE kind IN ('cooperative', 'enterprise') AND "
                               "external_id IS NOT NULL AND external_id <> '' ORDER BY id")
                           .rows)
    out.push_back(r.str("external_id"));
  return out;
}

std::vector<std::string> parcels_planted(storage::Connection& c, const std::string& crop, const CivilDate& on,
                                         int limit) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT DISTINCT p.id, p.external_id FROM parcel p JOIN planting pl ON pl.parcel_id = p.id "
                               "WHERE pl.crop = ? AND pl.start_date <= ? AND (pl.end_date IS NULL OR pl.end_date >= ?) "
                               "AND p.external_id IS NOT NULL AND p.external_id <> '' ORDER BY p.id LIMIT ?",
                               {crop, on.iso(), on.iso(), std::int64_t{limit}})
                           .rows)
    out.push_back(r.str("external_id"));
  return out;
}

}  // namespace nongsan::ocop
