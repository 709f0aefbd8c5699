#include "modules/support/support_repository.hpp"

#include "storage/id_list.hpp"

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "core/text.hpp"
#include "modules/support/policy_file.hpp"
#include "storage/like_pattern.hpp"
#include "storage/province_filter.hpp"

namespace nongsan::support {

using nlohmann::json;
using storage::and_province;
using storage::Connection;
using storage::Null;
using storage::Row;
using storage::same_province;
using storage::Value;

// How the checks name a producer: its external id, or "#<id>" for one entered without
// (the API does not require an external id), so that two such producers never compare
// equal.
#define PRODUCER_KEY(t) "COALESCE(NULLIF(" t ".external_id, ''), '#' || CAST(" t ".id AS TEXT))"

namespace {

// The applications the checks of `year` read — filed in it, or earlier under any of
// `one_time_codes` (support given once for the same land, whatever the year) — as a
// condition on support_application `a`, parenthesised (its parameters appended).
std::string checked_applications(int year, const std::vector<std::string>& one_time_codes, std::vector<Value>& params) {
  const std::string first = std::to_string(year) + "-01-01", last = std::to_string(year) + "-12-31";
  std::string where = "((a.filed >= ? AND a.filed <= ?)";
  params.emplace_back(first);
  params.emplace_back(last);
  if (!one_time_codes.empty()) {
    std::string in;
    params.emplace_back(first);
    for (const auto& code : one_time_codes) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(code);
    }
    where += " OR (a.filed < ? AND a.policy_code IN (" + in + "))";
  }
  return where + ")";
}

constexpr const char* kPolicyColumns =
    "id, code, version, name_vi, name_en, content, item, rate, one_time, cap_per_beneficiary_year, exclusive_with, "
    "requires, conditions, source, illustrative, note, created_by, created_at";

PolicyRecord policy_from(const Row& r) {
  PolicyRecord out;
  out.id = PolicyId(r.i64("id"));
  // Stored policies were validated when saved; read them back through the same parser
  // so that one definition of the format holds.
  json j = {{"code", r.str("code")},
            {"version", r.str("version")},
            {"name_vi", r.str("name_vi")},
            {"name_en", r.str("name_en")},
            {"content", r.str("content")},
            {"item", r.str("item")},
            {"rate", r.f64("rate")},
            {"one_time", r.i64("one_time") != 0},
            {"exclusive_with", json::parse(r.str("exclusive_with"), nullptr, false)},
            {"requires", json::parse(r.str("requires"), nullptr, false)},
            {"conditions", r.str("conditions")},
            {"source", r.str("source")},
            {"illustrative", r.i64("illustrative") != 0},
            {"note", r.str("note")}};
  if (auto cap = r.opt_i64("cap_per_beneficiary_year")) j["cap_per_beneficiary_year"] = *cap;
  auto p = parse_policy(j);
  if (!p) throw std::runtime_error("stored policy " + r.str("code") + " " + r.str("version") + " is not valid: " +
                                   p.error().message);
  out.policy = std::move(*p);
  out.created_by = r.str("created_by");
  out.created_at = r.str("created_at");
  return out;
}

// Built value by value: GCC 12 at -O3 warns falsely (maybe-uninitialized) on a long
// initializer list of variants.
std::vector<Value> policy_values(const PolicyVersion& p) {
  json req = to_json(p)["requires"];
  std::vector<Value> v;
  v.reserve(17);
  v.emplace_back(p.code);
  v.emplace_back(p.version.iso());
  v.emplace_back(p.name_vi);
  v.emplace_back(p.name_en);
  v.emplace_back(p.content);
  v.emplace_back(std::string(to_string(p.item)));
  v.emplace_back(p.rate);
  v.emplace_back(std::int64_t{p.one_time ? 1 : 0});
  v.emplace_back(storage::optional_value(p.cap_per_beneficiary_year));
  v.emplace_back(json(p.exclusive_with).dump());
  v.emplace_back(req.dump());
  v.emplace_back(p.conditions);
  v.emplace_back(p.source);
  v.emplace_back(std::int64_t{p.illustrative ? 1 : 0});
  v.emplace_back(p.note);
  return v;
}

constexpr const char* kApplicationSelect =
    "SELECT a.id, a.code, a.policy_code, a.applicant_id, " PRODUCER_KEY("p") " AS applicant, p.name AS applicant_name, "
    "a.unit_id, a.filed, a.accepted, a.status, a.approved_amount, a.note, a.source, a.created_at, a.updated_at "
    "FROM support_application a JOIN producer p ON p.id = a.applicant_id";

ApplicationRecord application_from(const Row& r) {
  ApplicationRecord a;
  a.id = ApplicationId(r.i64("id"));
  a.code = r.str("code");
  a.policy = r.str("policy_code");
  a.applicant_id = ProducerId(r.i64("applicant_id"));
  a.applicant = r.opt_str("applicant").value_or("");
  a.applicant_name = r.str("applicant_name");
  if (auto u = r.opt_i64("unit_id")) a.unit = UnitId(*u);
  a.filed = r.date("filed");
  a.accepted = r.opt_date("accepted");
  a.status = parse_application_status(r.str("status")).value_or(ApplicationStatus::submitted);
  a.approved_amount = r.opt_i64("approved_amount");
  a.note = r.str("note");
  a.source = r.str("source");
  a.created_at = r.str("created_at");
  a.updated_at = r.str("updated_at");
  return a;
}

// Items of the given applications, attached in place (one query per 500 ids).
void attach_items(Connection& c, std::vector<ApplicationRecord>& apps) {
  std::unordered_map<std::int64_t, ApplicationRecord*> by_id;
  for (auto& a : apps) by_id[a.id.value] = &a;
  for (std::size_t start = 0; start < apps.size(); start += 500) {
    std::string in;
    std::vector<Value> params;
    // The parcel's province in the LEFT JOIN's condition (a filter in WHERE would drop
    // the items without a parcel), then the items' in WHERE.
    std::string join = " LEFT JOIN parcel pa ON pa.id = i.parcel_id" +
                       same_province(c, "pa.province_code", "i.province_code") +
                       and_province(c, "pa.province_code", params);
    for (std::size_t i = start; i < apps.size() && i < start + 500; ++i) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(apps[i].id.value);
    }
    std::string where = " WHERE i.application_id IN (" + in + ")" + and_province(c, "i.province_code", params);
    auto rs = c.query(
        "SELECT i.application_id, i.seq, i.parcel_id, pa.external_id AS parcel, i.quantity "
        "FROM support_application_item i" +
            join + where + " ORDER BY i.application_id, i.seq",
        params);
    for (const auto& r : rs.rows) {
      ItemRecord it;
      it.seq = r.i64("seq");
      it.parcel_id = r.opt_i64("parcel_id");
      it.parcel = r.opt_str("parcel").value_or("");
      it.quantity = r.f64("quantity");
      by_id[r.i64("application_id")]->items.push_back(std::move(it));
    }
  }
}

void insert_items(Connection& c, const ApplicationRecord& a) {
  for (const auto& it : a.items)
  {
    std::vector<Value> params;
    params.emplace_back(a.id.value);
    params.emplace_back(it.seq);
    params.emplace_back(storage::optional_value(it.parcel_id));
    params.emplace_back(it.quantity);
    c.execute("INSERT INTO support_application_item (application_id, seq, parcel_id, quantity) VALUES (?, ?, ?, ?)",
              params);
  }
}

PaymentRecord payment_from(const Row& r) {
  PaymentRecord p;
  p.id = PaymentId(r.i64("id"));
  p.application_id = ApplicationId(r.i64("application_id"));
  p.application = r.str("code");
  p.date = r.date("payment_date");
  p.amount = r.i64("amount");
  p.kind = parse_payment_kind(r.str("kind")).value_or(PaymentKind::payment);
  p.funding_source = r.str("funding_source");
  p.reference = r.str("reference");
  p.source = r.str("source");
  p.created_at = r.str("created_at");
  return p;
}

constexpr const char* kPaymentSelect =
    "SELECT y.id, y.application_id, a.code, y.payment_date, y.amount, y.kind, y.funding_source, y.reference, y.source, "
    "y.created_at FROM support_payment y JOIN support_application a ON a.id = y.application_id";

}  // namespace

Application ApplicationRecord::to_application() && {
  Application a;
  a.code = std::move(code);
  a.policy = std::move(policy);
  a.applicant = std::move(applicant);
  a.filed = filed;
  a.accepted = accepted;
  a.status = status;
  a.approved_amount = approved_amount;
  a.items.reserve(items.size());
  for (auto& it : items) a.items.push_back({std::move(it.parcel), it.quantity});
  return a;
}

Application ApplicationRecord::to_application() const& {
  Application a;
  a.code = code;
  a.policy = policy;
  a.applicant = applicant;
  a.filed = filed;
  a.accepted = accepted;
  a.status = status;
  a.approved_amount = approved_amount;
  for (const auto& it : items) a.items.push_back({it.parcel, it.quantity});
  return a;
}

// ---- registry references ---------------------------------------------------------------

namespace {
ProducerRef producer_from(const Row& r) {
  ProducerRef p;
  p.id = ProducerId(r.i64("id"));
  p.external_id = r.opt_str("external_id").value_or("");
  p.name = r.str("name");
  p.kind = r.str("kind");
  if (auto u = r.opt_i64("unit_id")) p.unit = UnitId(*u);
  return p;
}
ParcelRef parcel_from(const Row& r) {
  ParcelRef p;
  p.id = r.i64("id");
  p.external_id = r.str("external_id");
  if (auto u = r.opt_i64("unit_id")) p.unit = UnitId(*u);
  return p;
}
}  // namespace

std::optional<ProducerRef> SupportRepository::producer(Connection& c, ProducerId id) {
  std::vector<Value> params{id.value};
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE id = ?" +
                        and_province(c, "province_code", params),
                    params);
  if (rs.empty()) return std::nullopt;
  return producer_from(rs.rows.front());
}
std::optional<ProducerRef> SupportRepository::producer(Connection& c, const std::string& external_id) {
  std::vector<Value> params{external_id};
  auto rs = c.query("SELECT id, external_id, name, kind, unit_id FROM producer WHERE external_id = ?" +
                        and_province(c, "province_code", params),
                    params);
  if (rs.empty()) return std::nullopt;
  return producer_from(rs.rows.front());
}
std::optional<ParcelRef> SupportRepository::parcel(Connection& c, std::int64_t id) {
  std::vector<Value> params{id};
  auto rs = c.query(
      "SELECT id, external_id, unit_id FROM parcel WHERE id = ?" + and_province(c, "province_code", params), params);
  if (rs.empty()) return std::nullopt;
  return parcel_from(rs.rows.front());
}
std::optional<ParcelRef> SupportRepository::parcel(Connection& c, const std::string& external_id) {
  std::vector<Value> params{external_id};
  auto rs = c.query(
      "SELECT id, external_id, unit_id FROM parcel WHERE external_id = ?" + and_province(c, "province_code", params),
      params);
  if (rs.empty()) return std::nullopt;
  return parcel_from(rs.rows.front());
}

// ---- policies -------------------------------------------------------------------------

std::vector<PolicyRecord> SupportRepository::policies(Connection& c) {
  std::vector<PolicyRecord> out;
  std::vector<Value> params;
  std::string where = " FROM support_policy WHERE 1 = 1" + and_province(c, "province_code", params);
  for (const auto& r :
       c.query(std::string("SELECT ") + kPolicyColumns + where + " ORDER BY code, version", params).rows)
    out.push_back(policy_from(r));
  return out;
}

std::optional<PolicyRecord> SupportRepository::find_policy(Connection& c, const std::string& code,
                                                           const CivilDate& version) {
  std::vector<Value> params{code, version.iso()};
  std::string where = " FROM support_policy WHERE code = ? AND version = ?" + and_province(c, "province_code", params);
  auto rs = c.query(std::string("SELECT ") + kPolicyColumns + where, params);
  if (rs.empty()) return std::nullopt;
  return policy_from(rs.rows.front());
}

PolicyId SupportRepository::insert_policy(Connection& c, const PolicyVersion& p, const std::string& by) {
  auto values = policy_values(p);
  values.emplace_back(by);
  values.emplace_back(utc_now_iso());
  auto rs = c.query(
      "INSERT INTO support_policy (code, version, name_vi, name_en, content, item, rate, one_time, "
      "cap_per_beneficiary_year, exclusive_with, requires, conditions, source, illustrative, note, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      values);
  return PolicyId(rs.rows.front().i64("id"));
}

void SupportRepository::update_policy(Connection& c, PolicyId id, const PolicyVersion& p) {
  auto values = policy_values(p);
  values.emplace_back(id.value);
  c.execute(
      "UPDATE support_policy SET code = ?, version = ?, name_vi = ?, name_en = ?, content = ?, item = ?, rate = ?, "
      "one_time = ?, cap_per_beneficiary_year = ?, exclusive_with = ?, requires = ?, conditions = ?, source = ?, "
      "illustrative = ?, note = ? WHERE id = ?",
      values);
}

// ---- applications -----------------------------------------------------------------------

std::optional<ApplicationRecord> SupportRepository::find_application(Connection& c, ApplicationId id) {
  std::vector<Value> params{id.value};
  std::string sql = kApplicationSelect + same_province(c, "p.province_code", "a.province_code") + " WHERE a.id = ?";
  sql += and_province(c, "a.province_code", params);
  sql += and_province(c, "p.province_code", params);
  auto rs = c.query(sql, params);
  if (rs.empty()) return std::nullopt;
  std::vector<ApplicationRecord> v{application_from(rs.rows.front())};
  attach_items(c, v);
  return v.front();
}

std::optional<ApplicationRecord> SupportRepository::find_application(Connection& c, const std::string& code) {
  std::vector<Value> params{code};
  std::string sql = kApplicationSelect + same_province(c, "p.province_code", "a.province_code") + " WHERE a.code = ?";
  sql += and_province(c, "a.province_code", params);
  sql += and_province(c, "p.province_code", params);
  auto rs = c.query(sql, params);
  if (rs.empty()) return std::nullopt;
  std::vector<ApplicationRecord> v{application_from(rs.rows.front())};
  attach_items(c, v);
  return v.front();
}

std::vector<ApplicationRecord> SupportRepository::applications(Connection& c, const ApplicationFilter& f,
                                                               std::int64_t* total) {
  std::string where = " WHERE 1 = 1";
  std::vector<Value> params;
  if (f.year) {
    where += " AND a.filed >= ? AND a.filed <= ?";
    params.emplace_back(std::to_string(*f.year) + "-01-01");
    params.emplace_back(std::to_string(*f.year) + "-12-31");
  }
  if (f.status) {
    where += " AND a.status = ?";
    params.emplace_back(std::string(to_string(*f.status)));
  }
  if (!f.policy.empty()) {
    where += " AND a.policy_code = ?";
    params.emplace_back(f.policy);
  }
  if (!f.q.empty()) {
    // Literal "contains" matches: the text typed is never a LIKE pattern.
    where += " AND (a.code LIKE ?" + std::string(storage::kLikeEscape) + " OR p.name_folded LIKE ?" +
             std::string(storage::kLikeEscape) + ")";
    params.emplace_back(storage::like_contains(f.q));
    params.emplace_back(storage::like_contains(fold_vietnamese(f.q)));
  }
  if (f.units) {
    std::string in;
    for (const auto& u : *f.units) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(u.value);
    }
    std::string clause = in.empty() ? "1 = 0" : "a.unit_id IN (" + in + ")";
    if (f.include_unassigned) clause = "(" + clause + " OR a.unit_id IS NULL)";
    where += " AND " + clause;
  }
  where += and_province(c, "a.province_code", params);
  where += and_province(c, "p.province_code", params);
  const std::string join = same_province(c, "p.province_code", "a.province_code");
  if (total)
    *total = c.scalar_i64(
        "SELECT COUNT(*) FROM support_application a JOIN producer p ON p.id = a.applicant_id" + join + where, params);
  std::string sql = kApplicationSelect + join + where + " ORDER BY a.filed, a.code";
  if (f.page_size > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(std::int64_t{f.page_size});
    params.emplace_back(std::int64_t{(f.page - 1) * static_cast<std::int64_t>(f.page_size)});
  }
  std::vector<ApplicationRecord> out;
  for (const auto& r : c.query(sql, params).rows) out.push_back(application_from(r));
  attach_items(c, out);
  return out;
}

std::vector<ApplicationRecord> SupportRepository::application_rows_for_checks(
    Connection& c, int year, const std::vector<std::string>& one_time_codes) {
  std::vector<Value> params;
  const std::string where = checked_applications(year, one_time_codes, params);
  // Only the columns the checks read (not the applicant's name, the note, the source or
  // the timestamps): 220,000 applications in a province's year. Neither joined to the
  // producers (applicants_of_year reads them anyway) nor sorted by the server: on the
  // bench's province the statement took 1.0 s of the server with the join and the sort by
  // code under the database's collation, 0.27 s without (bench/README.md, "Support
  // cross-checks"). Sorted here instead, on this reading thread (0.2–0.4 s for 220,000 in
  // random order), in the byte order every comparison of codes in the checks uses,
  // whatever the database's collation.
  std::vector<ApplicationRecord> out;
  const std::string sql =
      "SELECT a.id, a.code, a.policy_code, a.applicant_id, a.filed, a.accepted, a.status, a.approved_amount "
      "FROM support_application a WHERE " +
      where;
  c.each_row(sql, params, [&](const storage::RowView& r) {
    ApplicationRecord a;
    a.id = ApplicationId(r.i64(0));
    a.code = r.str(1);
    a.policy = r.str(2);
    a.applicant_id = ProducerId(r.i64(3));
    a.filed = r.date(4);
    a.accepted = r.opt_date(5);
    a.status = parse_application_status(r.text(6)).value_or(ApplicationStatus::submitted);
    a.approved_amount = r.opt_i64(7);
    out.push_back(std::move(a));
  });
  std::sort(out.begin(), out.end(),
            [](const ApplicationRecord& x, const ApplicationRecord& y) { return x.code < y.code; });
  return out;
}

void SupportRepository::name_applicants(std::vector<ApplicationRecord>& apps,
                                        const std::vector<ApplicantRow>& applicants) {
  std::unordered_map<std::int64_t, const std::string*> key_of;
  key_of.reserve(applicants.size());
  for (const auto& a : applicants) key_of.emplace(a.id, &a.external_id);
  std::erase_if(apps, [&](ApplicationRecord& a) {
    auto it = key_of.find(a.applicant_id.value);
    if (it == key_of.end()) return true;
    a.applicant = *it->second;
    return false;
  });
}

std::vector<std::pair<std::int64_t, ItemRecord>> SupportRepository::items_for_checks(
    Connection& c, int year, const std::vector<std::string>& one_time_codes) {
  std::vector<Value> params;
  const std::string where = checked_applications(year, one_time_codes, params);
  // The parcels' external ids are not joined here: the checks read every claimed
  // parcel's row by id anyway (parcel_geometries) and name the items from it, which
  // spares the server 318,000 lookups of the parcel table in a province's year.
  std::vector<std::pair<std::int64_t, ItemRecord>> out;
  c.each_row("SELECT i.application_id, i.seq, i.parcel_id, i.quantity FROM support_application_item i "
             "WHERE i.application_id IN (SELECT a.id FROM support_application a WHERE " + where +
                 ") ORDER BY i.application_id, i.seq",
             params, [&](const storage::RowView& r) {
               ItemRecord item;
               item.seq = r.i64(1);
               item.parcel_id = r.opt_i64(2);
               item.quantity = r.f64(3);
               out.emplace_back(r.i64(0), std::move(item));
             });
  return out;
}

void SupportRepository::attach_check_items(std::vector<ApplicationRecord>& apps,
                                           std::vector<std::pair<std::int64_t, ItemRecord>> items) {
  std::unordered_map<std::int64_t, ApplicationRecord*> by_id;
  by_id.reserve(apps.size());
  for (auto& a : apps) by_id[a.id.value] = &a;
  for (auto& [application, item] : items)
    if (auto it = by_id.find(application); it != by_id.end()) it->second->items.push_back(std::move(item));
}

ApplicationId SupportRepository::insert_application(Connection& c, const ApplicationRecord& a) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO support_application (code, policy_code, applicant_id, unit_id, filed, accepted, status, "
      "approved_amount, note, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {a.code, a.policy, a.applicant_id.value, a.unit ? Value{a.unit->value} : Value{Null{}}, a.filed.iso(),
       a.accepted ? Value{a.accepted->iso()} : Value{Null{}}, std::string(to_string(a.status)),
       storage::optional_value(a.approved_amount), a.note, a.source, now, now});
  ApplicationRecord stored = a;
  stored.id = ApplicationId(rs.rows.front().i64("id"));
  insert_items(c, stored);
  return stored.id;
}

void SupportRepository::update_application(Connection& c, const ApplicationRecord& a) {
  std::vector<Value> params{a.policy,
                            a.applicant_id.value,
                            a.unit ? Value{a.unit->value} : Value{Null{}},
                            a.filed.iso(),
                            a.accepted ? Value{a.accepted->iso()} : Value{Null{}},
                            std::string(to_string(a.status)),
                            storage::optional_value(a.approved_amount),
                            a.note,
                            a.source,
                            utc_now_iso(),
                            a.id.value};
  std::string sql =
      "UPDATE support_application SET policy_code = ?, applicant_id = ?, unit_id = ?, filed = ?, "
      "accepted = ?, status = ?, approved_amount = ?, note = ?, source = ?, updated_at = ? WHERE id = ?";
  c.execute(sql + and_province(c, "province_code", params), params);
  std::vector<Value> item_params{a.id.value};
  c.execute(
      "DELETE FROM support_application_item WHERE application_id = ?" + and_province(c, "province_code", item_params),
      item_params);
  insert_items(c, a);
}

void SupportRepository::insert_step(Connection& c, ApplicationId a, const StepRecord& s) {
  c.execute(
      "INSERT INTO support_application_step (application_id, from_status, to_status, step_date, reason, actor, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {a.value, s.from_status, s.to_status, s.step_date.iso(), s.reason, s.actor, s.at.empty() ? utc_now_iso() : s.at});
}

std::vector<StepRecord> SupportRepository::steps(Connection& c, ApplicationId a) {
  std::vector<StepRecord> out;
  std::vector<Value> params{a.value};
  std::string sql =
      "SELECT from_status, to_status, step_date, reason, actor, at FROM support_application_step "
      "WHERE application_id = ?" +
      and_province(c, "province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY id", params).rows)
    out.push_back({r.str("from_status"), r.str("to_status"), r.date("step_date"), r.str("reason"), r.str("actor"),
                   r.str("at")});
  return out;
}

// ---- payments ---------------------------------------------------------------------------

PaymentId SupportRepository::insert_payment(Connection& c, const PaymentRecord& p) {
  auto rs = c.query(
      "INSERT INTO support_payment (application_id, payment_date, amount, kind, funding_source, reference, source, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.application_id.value, p.date.iso(), p.amount, std::string(to_string(p.kind)), p.funding_source, p.reference,
       p.source, utc_now_iso()});
  return PaymentId(rs.rows.front().i64("id"));
}

std::vector<PaymentRecord> SupportRepository::payments(Connection& c, ApplicationId a) {
  std::vector<PaymentRecord> out;
  std::vector<Value> params{a.value};
  std::string sql =
      kPaymentSelect + same_province(c, "a.province_code", "y.province_code") + " WHERE y.application_id = ?";
  sql += and_province(c, "y.province_code", params);
  sql += and_province(c, "a.province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY y.payment_date, y.id", params).rows) out.push_back(payment_from(r));
  return out;
}

std::vector<PaymentRecord> SupportRepository::payments_of_year(Connection& c, int year) {
  // Streamed, the columns the checks read: 70,000 payments in a province's year.
  std::vector<PaymentRecord> out;
  c.each_row("SELECT y.id, y.application_id, a.code, y.payment_date, y.amount, y.kind FROM support_payment y "
             "JOIN support_application a ON a.id = y.application_id WHERE a.filed >= ? AND a.filed <= ? "
             "ORDER BY a.code, y.payment_date, y.id",
             {std::to_string(year) + "-01-01", std::to_string(year) + "-12-31"}, [&](const storage::RowView& r) {
               PaymentRecord p;
               p.id = PaymentId(r.i64(0));
               p.application_id = ApplicationId(r.i64(1));
               p.application = r.str(2);
               p.date = r.date(3);
               p.amount = r.i64(4);
               p.kind = parse_payment_kind(r.text(5)).value_or(PaymentKind::payment);
               out.push_back(std::move(p));
             });
  return out;
}

bool SupportRepository::payment_exists(Connection& c, ApplicationId a, const CivilDate& d, Dong amount, PaymentKind k) {
  return c.scalar_i64("SELECT COUNT(*) FROM support_payment WHERE application_id = ? AND payment_date = ? AND amount = ? "
                      "AND kind = ?",
                      {a.value, d.iso(), amount, std::string(to_string(k))}) > 0;
}

// ---- registry facts for the checks ------------------------------------------------------

namespace {

// The applicants of the applications the checks of `year` read, as a subquery over
// support_application `a` (its parameters appended to `params`).
std::string checked_applicants(int year, const std::vector<std::string>& one_time_codes, std::vector<Value>& params) {
  return "SELECT a.applicant_id FROM support_application a WHERE " + checked_applications(year, one_time_codes, params);
}

}  // namespace

std::vector<ParcelGeometryRow> SupportRepository::parcel_geometries(Connection& c,
                                                                    const std::vector<std::int64_t>& parcels) {
  std::vector<ParcelGeometryRow> out;
  out.reserve(parcels.size());
  auto in = storage::id_in(c.backend(), "id", parcels);
  c.each_row("SELECT id, valid_from, valid_to, area_m2, geom, external_id FROM parcel WHERE " + in.sql, {in.param},
             [&](const storage::RowView& r) {
               out.push_back({r.i64(0), r.i64(0), r.date(1), r.opt_date(2), r.opt_f64(3), r.opt_geometry(4), r.str(5)});
             });
  in = storage::id_in(c.backend(), "parcel_id", parcels);
  c.each_row("SELECT id, parcel_id, valid_from, valid_to, area_m2, geom FROM parcel_geometry_history WHERE " + in.sql,
             {in.param}, [&](const storage::RowView& r) {
               out.push_back({r.i64(1), -r.i64(0), r.date(2), r.opt_date(3), r.opt_f64(4), r.opt_geometry(5)});
             });
  return out;
}

std::vector<registry::LandRight> SupportRepository::parcel_rights(Connection& c, const std::vector<std::int64_t>& parcels) {
  // Neither joined to the producers nor sorted by the server: the checks compare the
  // controller with the applicant by id, ask for the few other controllers' external ids
  // afterwards (producer_keys), and order each parcel's rights themselves.
  std::vector<registry::LandRight> out;
  auto in = storage::id_in(c.backend(), "r.parcel_id", parcels);
  c.each_row("SELECT r.id, r.parcel_id, r.producer_id, r.kind, r.valid_from, r.valid_to FROM land_right r WHERE " +
                 in.sql,
             {in.param}, [&](const storage::RowView& r) {
               registry::LandRight right;
               right.id = registry::LandRightId(r.i64(0));
               right.parcel = registry::ParcelId(r.i64(1));
               right.producer = ProducerId(r.i64(2));
               right.kind = registry::parse_land_right_kind(r.text(3)).value_or(registry::LandRightKind::owner);
               right.valid_from = r.date(4);
               right.valid_to = r.opt_date(5);
               out.push_back(std::move(right));
             });
  return out;
}

std::unordered_map<std::int64_t, std::string> SupportRepository::producer_keys(Connection& c,
                                                                                const std::vector<std::int64_t>& producers) {
  std::unordered_map<std::int64_t, std::string> out;
  if (producers.empty()) return out;
  auto in = storage::id_in(c.backend(), "p.id", producers);
  c.each_row("SELECT p.id, " PRODUCER_KEY("p") " FROM producer p WHERE " + in.sql, {in.param},
             [&](const storage::RowView& r) { out.emplace(r.i64(0), r.str(1)); });
  return out;
}

std::vector<PlantingRow> SupportRepository::parcel_plantings(Connection& c, const std::vector<std::int64_t>& parcels) {
  std::vector<PlantingRow> out;
  auto in = storage::id_in(c.backend(), "parcel_id", parcels);
  c.each_row("SELECT parcel_id, crop, start_date, end_date FROM planting WHERE " + in.sql, {in.param},
             [&](const storage::RowView& r) { out.push_back({r.i64(0), r.str(1), r.date(2), r.opt_date(3)}); });
  return out;
}

std::vector<SuitabilityRow> SupportRepository::parcel_suitability(Connection& c, const std::vector<std::int64_t>& parcels) {
  std::vector<SuitabilityRow> out;
  auto in = storage::id_in(c.backend(), "parcel_id", parcels);
  c.each_row("SELECT parcel_id, crop, dominant_class FROM parcel_suitability WHERE " + in.sql, {in.param},
             [&](const storage::RowView& r) { out.push_back({r.i64(0), r.str(1), r.str(2)}); });
  return out;
}

std::vector<ZoneRow> SupportRepository::zones(Connection& c) {
  std::vector<ZoneRow> out;
  for (const auto& r : c.query("SELECT id, code, commodity, period_from, period_to, geom FROM zone ORDER BY id").rows)
    out.push_back({r.i64("id"), r.str("code"), r.str("commodity"), r.opt_date("period_from"), r.opt_date("period_to"),
                   r.opt_geometry("geom")});
  return out;
}

std::vector<ApplicantRow> SupportRepository::applicants_of_year(Connection& c, int year,
                                                                const std::vector<std::string>& codes) {
  std::vector<ApplicantRow> out;
  std::vector<Value> params;
  auto sub = checked_applicants(year, codes, params);
  const std::string sql = "SELECT p.id, " PRODUCER_KEY("p") " AS external_id, p.kind, u.code AS commune_code, "
                          "p.citizen_id_hash, p.bank_account, p.phone FROM producer p "
                          "LEFT JOIN admin_unit u ON u.id = p.unit_id WHERE p.id IN (" + sub + ")";
  c.each_row(sql, params, [&](const storage::RowView& r) {
    out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6)});
  });
  return out;
}

// ---- runs of the cross-checks --------------------------------------------------------------

std::int64_t SupportRepository::insert_check_run(Connection& c, const CheckRun& r) {
  auto rs = c.query("INSERT INTO support_check_run (year, settings, applications, findings, total_amount, run_by, run_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {std::int64_t{r.year}, r.settings, r.applications, r.findings, r.total_amount, r.run_by,
                     r.run_at.empty() ? utc_now_iso() : r.run_at});
  return rs.rows.front().i64("id");
}

namespace {
// On PostgreSQL the run's rows carry its province (migration 0029: the key of the
// foreign key to the run). Written explicitly, it is read once per run instead of
// evaluating the column's default, a SQL function, for each of 200,000 rows (0.4 s of
// the server's CPU in a province's year). SQLite has no such column: nothing is added.
void add_run_province(Connection& c, std::int64_t run, std::vector<std::string>& columns,
                      std::vector<std::vector<Value>>& rows) {
  if (c.backend() != storage::Backend::postgres || rows.empty()) return;
  auto rs = c.query("SELECT province_code FROM support_check_run WHERE id = ?", {run});
  if (rs.empty()) return;  // no such run: the foreign key refuses the rows as before
  const Value province = rs.rows.front().str("province_code");
  columns.push_back("province_code");
  for (auto& row : rows) row.push_back(province);
}
}  // namespace

void SupportRepository::insert_findings(Connection& c, std::int64_t run, const std::vector<Finding>& findings) {
  // In bulk: a province's year holds tens of thousands of findings.
  std::vector<std::vector<Value>> rows;
  rows.reserve(findings.size());
  for (const auto& f : findings) rows.push_back({run, f.finding, f.application, f.other_application, f.parcel, f.detail});
  std::vector<std::string> columns{"run_id", "finding", "application", "other_application", "parcel", "detail"};
  add_run_province(c, run, columns, rows);
  c.insert_rows("support_check_finding", columns, rows);
}

void SupportRepository::insert_amounts(Connection& c, std::int64_t run,
                                       std::vector<std::tuple<std::string, Dong, std::string>> amounts) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(amounts.size());
  for (auto& [code, amount, trace] : amounts) {
    std::vector<Value> row;
    row.reserve(5);
    row.emplace_back(run);
    row.emplace_back(std::move(code));
    row.emplace_back(amount);
    row.emplace_back(std::move(trace));
    rows.push_back(std::move(row));
  }
  std::vector<std::string> columns{"run_id", "application", "amount", "trace"};
  add_run_province(c, run, columns, rows);
  c.insert_rows("support_check_amount", columns, rows);
}

namespace {
SupportRepository::CheckRun run_from(const Row& r) {
  SupportRepository::CheckRun out;
  out.id = r.i64("id");
  out.year = static_cast<int>(r.i64("year"));
  out.settings = r.str("settings");
  out.applications = r.i64("applications");
  out.findings = r.i64("findings");
  out.total_amount = r.i64("total_amount");
  out.run_by = r.str("run_by");
  out.run_at = r.str("run_at");
  return out;
}
Finding finding_from(const Row& r) {
  return {r.str("finding"), r.str("application"), r.str("other_application"), r.str("parcel"), r.str("detail")};
}
}  // namespace

std::optional<SupportRepository::CheckRun> SupportRepository::latest_check_run(Connection& c, int year) {
  auto rs = c.query("SELECT id, year, settings, applications, findings, total_amount, run_by, run_at "
                    "FROM support_check_run WHERE year = ? ORDER BY id DESC LIMIT 1",
                    {std::int64_t{year}});
  if (rs.empty()) return std::nullopt;
  return run_from(rs.rows.front());
}

std::vector<Finding> SupportRepository::run_findings(Connection& c, std::int64_t run) {
  std::vector<Finding> out;
  for (const auto& r : c.query("SELECT finding, application, other_application, parcel, detail FROM support_check_finding "
                               "WHERE run_id = ? ORDER BY id",
                               {run})
                           .rows)
    out.push_back(finding_from(r));
  return out;
}

std::vector<Finding> SupportRepository::application_findings(Connection& c, std::int64_t run, const std::string& code) {
  std::vector<Finding> out;
  for (const auto& r : c.query("SELECT finding, application, other_application, parcel, detail FROM support_check_finding "
                               "WHERE run_id = ? AND (application = ? OR other_application = ?) ORDER BY id",
                               {run, code, code})
                           .rows)
    out.push_back(finding_from(r));
  return out;
}

std::optional<std::pair<Dong, std::string>> SupportRepository::application_amount(Connection& c, std::int64_t run,
                                                                                  const std::string& code) {
  auto rs = c.query("SELECT amount, trace FROM support_check_amount WHERE run_id = ? AND application = ?", {run, code});
  if (rs.empty()) return std::nullopt;
  return std::make_pair(rs.rows.front().i64("amount"), rs.rows.front().str("trace"));
}

std::map<std::string, Dong> SupportRepository::run_amounts(Connection& c, std::int64_t run) {
  std::map<std::string, Dong> out;
  for (const auto& r : c.query("SELECT application, amount FROM support_check_amount WHERE run_id = ?", {run}).rows)
    out[r.str("application")] = r.i64("amount");
  return out;
}

// ---- settings ---------------------------------------------------------------------------

namespace {
std::optional<double> setting_number(Connection& c, const std::string& key) {
  auto rs = c.query("SELECT value FROM app_setting WHERE key = ?", {key});
  if (rs.empty()) return std::nullopt;
  auto v = parse_number(rs.rows.front().str("value"), false);
  return v;
}
void save_setting(Connection& c, const std::string& key, const std::string& value) {
  c.execute("INSERT INTO app_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {key, value});
}
std::string number_text(double v) {
  std::ostringstream os;
  os.precision(15);
  os << v;
  return os.str();
}
}  // namespace

CheckSettings SupportRepository::check_settings(Connection& c) {
  CheckSettings s;
  if (auto v = setting_number(c, "support.tolerance_pct")) s.tolerance_pct = *v;
  if (auto v = setting_number(c, "support.tolerance_ha")) s.tolerance_ha = *v;
  if (auto v = setting_number(c, "support.penalty_factor")) s.penalty_factor = *v;
  if (auto v = setting_number(c, "support.min_overlap_m2")) s.min_overlap_m2 = *v;
  return s;
}

void SupportRepository::save_check_settings(Connection& c, const CheckSettings& s) {
  save_setting(c, "support.tolerance_pct", number_text(s.tolerance_pct));
  save_setting(c, "support.tolerance_ha", number_text(s.tolerance_ha));
  save_setting(c, "support.penalty_factor", number_text(s.penalty_factor));
  save_setting(c, "support.min_overlap_m2", number_text(s.min_overlap_m2));
}

bool SupportRepository::four_eyes(Connection& c) {
  auto v = setting_number(c, "support.four_eyes");
  return !v || *v != 0;
}

std::map<std::string, std::pair<int, bool>, std::less<>> SupportRepository::applicant_history(Connection& c, int year) {
  std::map<std::string, std::pair<int, bool>, std::less<>> out;
  for (const auto& r :
       c.query("SELECT " PRODUCER_KEY("p") " AS applicant, COUNT(*) AS n FROM support_check_finding f "
               "JOIN support_check_run r ON r.id = f.run_id "
               "JOIN support_application a ON a.code = f.application JOIN producer p ON p.id = a.applicant_id "
               "WHERE r.year < ? AND r.id = (SELECT MAX(r2.id) FROM support_check_run r2 WHERE r2.year = r.year) "
               "GROUP BY " PRODUCER_KEY("p"),
               {std::int64_t{year}})
           .rows)
    out[r.str("applicant")].first = static_cast<int>(r.i64("n"));
  for (const auto& r : c.query("SELECT DISTINCT " PRODUCER_KEY("p") " AS applicant FROM support_payment y "
                               "JOIN support_application a ON a.id = y.application_id JOIN producer p ON p.id = a.applicant_id "
                               "WHERE y.kind = 'recovery' AND a.filed < ?",
                               {std::to_string(year) + "-01-01"})
                           .rows)
    out[r.str("applicant")].second = true;
  return out;
}

std::map<std::string, storage::Geometry> SupportRepository::parcel_geometries(Connection& c,
                                                                              const std::vector<std::string>& ids) {
  std::map<std::string, storage::Geometry> out;
  for (std::size_t start = 0; start < ids.size(); start += 500) {
    std::string in;
    std::vector<Value> params;
    for (std::size_t i = start; i < ids.size() && i < start + 500; ++i) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(ids[i]);
    }
    for (const auto& r : c.query("SELECT external_id, geom FROM parcel WHERE external_id IN (" + in + ")", params).rows)
      if (auto g = r.opt_geometry("geom")) out[r.str("external_id")] = *g;
  }
  return out;
}

void SupportRepository::save_four_eyes(Connection& c, bool on) { save_setting(c, "support.four_eyes", on ? "1" : "0"); }

// ---- budgets ----------------------------------------------------------------------------

// ---- support figures ------------------------------------------------------------------------

std::vector<SupportRepository::AcceptedRow> SupportRepository::accepted_applications(Connection& c,
                                                                                    const std::string& policy,
                                                                                    const CivilDate& from,
                                                                                    const CivilDate& to) {
  std::string sql =
      "SELECT a.id, a.code, a.policy_code, a.unit_id, a.filed, a.accepted, "
      "(SELECT COALESCE(SUM(i.quantity), 0) FROM support_application_item i WHERE i.application_id = a.id) AS claimed "
      "FROM support_application a WHERE a.accepted IS NOT NULL AND a.accepted >= ? AND a.accepted <= ? "
      "AND a.status IN ('approved', 'paid')";
  std::vector<Value> params{from.iso(), to.iso()};
  if (!policy.empty()) {
    sql += " AND a.policy_code = ?";
    params.emplace_back(policy);
  }
  std::vector<AcceptedRow> out;
  for (const auto& r : c.query(sql + " ORDER BY a.code", params).rows) {
    AcceptedRow a;
    a.id = ApplicationId(r.i64("id"));
    a.code = r.str("code");
    a.policy = r.str("policy_code");
    if (auto u = r.opt_i64("unit_id")) a.unit = UnitId(*u);
    a.filed = r.date("filed");
    a.accepted = r.date("accepted");
    a.claimed = r.f64("claimed");
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<SupportRepository::PaymentRow> SupportRepository::payments_between(Connection& c, const std::string& policy,
                                                                              const CivilDate& from,
                                                                              const CivilDate& to) {
  std::string sql =
      "SELECT a.id, a.code, a.policy_code, a.unit_id, p.amount, p.kind FROM support_payment p "
      "JOIN support_application a ON a.id = p.application_id WHERE p.payment_date >= ? AND p.payment_date <= ?";
  std::vector<Value> params{from.iso(), to.iso()};
  if (!policy.empty()) {
    sql += " AND a.policy_code = ?";
    params.emplace_back(policy);
  }
  std::vector<PaymentRow> out;
  for (const auto& r : c.query(sql + " ORDER BY a.code, p.id", params).rows) {
    PaymentRow p;
    p.id = ApplicationId(r.i64("id"));
    p.code = r.str("code");
    p.policy = r.str("policy_code");
    if (auto u = r.opt_i64("unit_id")) p.unit = UnitId(*u);
    p.amount = r.i64("amount");
    p.kind = parse_payment_kind(r.str("kind")).value_or(PaymentKind::payment);
    out.push_back(std::move(p));
  }
  return out;
}

std::map<std::string, std::string> SupportRepository::run_traces(Connection& c, std::int64_t run,
                                                                 const std::vector<std::string>& codes) {
  std::map<std::string, std::string> out;
  for (std::size_t start = 0; start < codes.size(); start += 500) {
    std::string in;
    std::vector<Value> params{run};
    for (std::size_t i = start; i < codes.size() && i < start + 500; ++i) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(codes[i]);
    }
    for (const auto& r : c.query("SELECT application, trace FROM support_check_amount WHERE run_id = ? AND application IN (" +
                                     in + ")",
                                 params)
                             .rows)
      out[r.str("application")] = r.str("trace");
  }
  return out;
}

void SupportRepository::upsert_budget(Connection& c, const BudgetLine& b) {
  auto now = utc_now_iso();
  c.execute(
      "INSERT INTO support_budget (policy_code, year, funding_source, planned, note, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (province_code, policy_code, year, funding_source) DO UPDATE SET "
      "planned = excluded.planned, note = excluded.note, updated_at = excluded.updated_at",
      {b.policy, std::int64_t{b.year}, std::string(to_string(b.source)), b.planned, b.note, now, now});
}

std::vector<BudgetLine> SupportRepository::budgets(Connection& c, std::optional<int> year) {
  std::vector<BudgetLine> out;
  std::string sql = "SELECT policy_code, year, funding_source, planned, note FROM support_budget";
  std::vector<Value> params;
  if (year) {
    sql += " WHERE year = ?";
    params.emplace_back(std::int64_t{*year});
  }
  sql += " ORDER BY year, policy_code, funding_source";
  for (const auto& r : c.query(sql, params).rows)
    out.push_back({r.str("policy_code"), static_cast<int>(r.i64("year")),
                   parse_funding_source(r.str("funding_source")).value_or(FundingSource::other), r.i64("planned"),
                   r.str("note")});
  return out;
}

}  // namespace nongsan::support
