#include "modules/certificates/certificate_repository.hpp"

#include <map>

#include "storage/province_filter.hpp"

namespace nongsan::certificates {

using storage::Connection;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

Value opt_date(const std::optional<CivilDate>& d) { return d ? Value(d->iso()) : Value(Null{}); }
Value unit_value(const std::optional<UnitId>& u) { return u ? Value(u->value) : Value(Null{}); }

Standard standard_from(const Row& r) {
  Standard s;
  s.id = r.i64("id");
  s.code = r.str("code");
  s.kind = r.str("kind");
  s.name = r.str("name");
  s.source = r.str("source");
  s.illustrative = r.i64("illustrative") != 0;
  return s;
}

Mark mark_from(const Row& r) {
  Mark m;
  m.id = r.i64("id");
  m.code = r.str("code");
  m.kind = r.str("kind");
  m.name = r.str("name");
  m.holder = r.str("holder");
  m.area = r.str("area");
  m.registration = r.str("registration");
  m.granted = r.opt_date("granted");
  m.illustrative = r.i64("illustrative") != 0;
  return m;
}

constexpr const char* kCertificateSelect =
    "SELECT c.id, c.code, c.kind, c.holder_id, COALESCE(p.external_id, '') AS holder, p.name AS holder_name, "
    "c.unit_id, c.issuer, c.standard_code, c.mark_code, c.valid_from, c.valid_to, c.illustrative, c.source "
    "FROM certificate c JOIN producer p ON p.id = c.holder_id";

Certificate certificate_from(const Row& r) {
  Certificate c;
  c.id = r.i64("id");
  c.code = r.str("code");
  c.kind = r.str("kind");
  c.holder_id = r.i64("holder_id");
  c.holder = r.str("holder");
  c.holder_name = r.str("holder_name");
  if (auto u = r.opt_i64("unit_id")) c.unit = UnitId(*u);
  c.issuer = r.str("issuer");
  c.standard = r.str("standard_code");
  c.mark = r.str("mark_code");
  c.valid_from = r.date("valid_from");
  c.valid_to = r.date("valid_to");
  c.illustrative = r.i64("illustrative") != 0;
  c.source = r.str("source");
  return c;
}

void insert_scope(Connection& c, const Certificate& cert) {
  for (const auto& s : cert.scope)
    c.execute("INSERT INTO certificate_scope (certificate_id, target_kind, target) VALUES (?, ?, ?)",
              {cert.id, s.kind, s.target});
}

}  // namespace

std::vector<Standard> CertificateRepository::standards(Connection& c) {
  std::vector<Standard> out;
  for (const auto& r : c.query("SELECT id, code, kind, name, source, illustrative FROM cert_standard ORDER BY code").rows)
    out.push_back(standard_from(r));
  return out;
}

std::optional<Standard> CertificateRepository::standard(Connection& c, const std::string& code) {
  auto rs = c.query("SELECT id, code, kind, name, source, illustrative FROM cert_standard WHERE code = ?", {code});
  if (rs.empty()) return std::nullopt;
  return standard_from(rs.rows.front());
}

std::int64_t CertificateRepository::insert_standard(Connection& c, const Standard& s) {
  auto rs = c.query("INSERT INTO cert_standard (code, kind, name, source, illustrative) VALUES (?, ?, ?, ?, ?) "
                    "RETURNING id",
                    {s.code, s.kind, s.name, s.source, std::int64_t{s.illustrative ? 1 : 0}});
  return rs.rows.front().i64(std::size_t{0});
}

void CertificateRepository::update_standard(Connection& c, const Standard& s) {
  c.execute("UPDATE cert_standard SET kind = ?, name = ?, source = ?, illustrative = ? WHERE id = ?",
            {s.kind, s.name, s.source, std::int64_t{s.illustrative ? 1 : 0}, s.id});
}

std::vector<Mark> CertificateRepository::marks(Connection& c) {
  std::vector<Mark> out;
  for (const auto& r : c.query("SELECT id, code, kind, name, holder, area, registration, granted, illustrative "
                               "FROM cert_mark ORDER BY code")
                           .rows)
    out.push_back(mark_from(r));
  return out;
}

std::optional<Mark> CertificateRepository::mark(Connection& c, const std::string& code) {
  auto rs = c.query("SELECT id, code, kind, name, holder, area, registration, granted, illustrative FROM cert_mark "
                    "WHERE code = ?",
                    {code});
  if (rs.empty()) return std::nullopt;
  return mark_from(rs.rows.front());
}

std::int64_t CertificateRepository::insert_mark(Connection& c, const Mark& m) {
  auto rs = c.query("INSERT INTO cert_mark (code, kind, name, holder, area, registration, granted, illustrative) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {m.code, m.kind, m.name, m.holder, m.area, m.registration, opt_date(m.granted),
                     std::int64_t{m.illustrative ? 1 : 0}});
  return rs.rows.front().i64(std::size_t{0});
}

void CertificateRepository::update_mark(Connection& c, const Mark& m) {
  c.execute("UPDATE cert_mark SET kind = ?, name = ?, holder = ?, area = ?, registration = ?, granted = ?, "
            "illustrative = ? WHERE id = ?",
            {m.kind, m.name, m.holder, m.area, m.registration, opt_date(m.granted), std::int64_t{m.illustrative ? 1 : 0},
             m.id});
}

std::vector<Certificate> CertificateRepository::certificates(Connection& c) {
  std::vector<Certificate> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : c.query(std::string(kCertificateSelect) + " ORDER BY c.code").rows) {
    at[r.i64("id")] = out.size();
    out.push_back(certificate_from(r));
  }
  for (const auto& r : c.query("SELECT certificate_id, target_kind, target FROM certificate_scope "
                               "ORDER BY certificate_id, target_kind, target")
                           .rows)
    if (auto it = at.find(r.i64("certificate_id")); it != at.end())
      out[it->second].scope.push_back({r.str("target_kind"), r.str("target")});
  return out;
}

std::optional<Certificate> CertificateRepository::certificate(Connection& c, const std::string& code) {
  auto rs = c.query(std::string(kCertificateSelect) + " WHERE c.code = ?", {code});
  if (rs.empty()) return std::nullopt;
  Certificate cert = certificate_from(rs.rows.front());
  for (const auto& r : c.query("SELECT target_kind, target FROM certificate_scope WHERE certificate_id = ? "
                               "ORDER BY target_kind, target",
                               {cert.id})
                           .rows)
    cert.scope.push_back({r.str("target_kind"), r.str("target")});
  return cert;
}

std::int64_t CertificateRepository::insert_certificate(Connection& c, const Certificate& cert) {
  const std::string now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO certificate (code, kind, holder_id, unit_id, issuer, standard_code, mark_code, valid_from, "
      "valid_to, illustrative, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {cert.code, cert.kind, cert.holder_id, unit_value(cert.unit), cert.issuer, cert.standard, cert.mark,
       cert.valid_from.iso(), cert.valid_to.iso(), std::int64_t{cert.illustrative ? 1 : 0}, cert.source, now, now});
  Certificate stored = cert;
  stored.id = rs.rows.front().i64(std::size_t{0});
  insert_scope(c, stored);
  return stored.id;
}

void CertificateRepository::update_certificate(Connection& c, const Certificate& cert) {
  c.execute("UPDATE certificate SET kind = ?, holder_id = ?, unit_id = ?, issuer = ?, standard_code = ?, "
            "mark_code = ?, valid_from = ?, valid_to = ?, illustrative = ?, source = ?, updated_at = ? WHERE id = ?",
            {cert.kind, cert.holder_id, unit_value(cert.unit), cert.issuer, cert.standard, cert.mark,
             cert.valid_from.iso(), cert.valid_to.iso(), std::int64_t{cert.illustrative ? 1 : 0}, cert.source,
             utc_now_iso(), cert.id});
  c.execute("DELETE FROM certificate_scope WHERE certificate_id = ?", {cert.id});
  insert_scope(c, cert);
}

void CertificateRepository::delete_certificate(Connection& c, std::int64_t id) {
  c.execute("DELETE FROM certificate_scope WHERE certificate_id = ?", {id});
  c.execute("DELETE FROM certificate WHERE id = ?", {id});
}

std::vector<std::string> CertificateRepository::covering(Connection& c, const std::string& kind,
                                                         const std::string& target, const CivilDate& on) {
  std::vector<std::string> out;
  // Filtered by the connection's province where the tables are distributed by it
  // (storage/province_filter.hpp): the public page of a lot reads this.
  std::vector<Value> params{kind, target, on.iso(), on.iso()};
  std::string sql = "SELECT c.code FROM certificate c JOIN certificate_scope s ON s.certificate_id = c.id" +
                    storage::same_province(c, "s.province_code", "c.province_code") +
                    " WHERE s.target_kind = ? AND s.target = ? AND c.valid_from <= ? AND c.valid_to >= ?";
  sql += storage::and_province(c, "c.province_code", params);
  sql += storage::and_province(c, "s.province_code", params);
  for (const auto& r : c.query(sql + " ORDER BY c.code", params).rows) out.push_back(r.str("code"));
  return out;
}

}  // namespace nongsan::certificates
