#include "modules/certificates/certificate_service.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/ocop/ocop_repository.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/registry/registry_scope.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::certificates {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

// A certificate as written by a person (a request body or a file's rows), before checks.
struct Draft {
  std::string code, kind, holder, issuer, valid_from, valid_to, standard, mark;
  std::vector<ScopeItem> scope;
  bool illustrative = false;
};

using Where = std::function<std::string(const std::string& field)>;

std::optional<CivilDate> plausible_date(const std::string& text) {
  auto d = CivilDate::parse(text);
  if (!d || d->year() < 1945 || d->year() > 2100) return std::nullopt;
  return d;
}

// Every check of one certificate; problems go to `errors` with the place `where` names.
std::optional<Certificate> check(Connection& c, const registry::RecordScope& scope, const Draft& d, const Where& where,
                                 std::vector<FieldError>& errors) {
  const std::size_t before = errors.size();
  Certificate cert;
  cert.code = trim(d.code);
  if (cert.code.empty() || cert.code.size() > 64 || !is_valid_utf8(cert.code))
    errors.push_back({where("code"), "must be a code of 1 to 64 characters"});
  cert.kind = d.kind;
  if (!is_certificate_kind(cert.kind))
    errors.push_back({where("kind"), "must be one of: vietgap, organic, food_safety, gi_use, other"});
  auto holder = d.holder.empty() ? std::nullopt : support::SupportRepository::producer(c, d.holder);
  if (!holder || !scope.includes_unit(holder->unit))
    errors.push_back({where("holder"), "no such producer in your scope: '" + d.holder + "'"});
  else {
    cert.holder_id = holder->id.value;
    cert.holder = holder->external_id;
    cert.holder_name = holder->name;
    cert.unit = holder->unit;
  }
  cert.issuer = trim(d.issuer);
  if (cert.issuer.empty() || cert.issuer.size() > 300 || !is_valid_utf8(cert.issuer))
    errors.push_back({where("issuer"), "must name the issuing body (1 to 300 characters)"});
  auto from = plausible_date(d.valid_from);
  if (!from) errors.push_back({where("valid_from"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
  else cert.valid_from = *from;
  auto to = plausible_date(d.valid_to);
  if (!to) errors.push_back({where("valid_to"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
  else cert.valid_to = *to;
  if (from && to && *to < *from) errors.push_back({where("valid_to"), "must not be before valid_from"});
  cert.standard = trim(d.standard);
  if (!cert.standard.empty() && !CertificateRepository::standard(c, cert.standard))
    errors.push_back({where("standard"), "no standard has the code '" + cert.standard + "'"});
  cert.mark = trim(d.mark);
  if (!cert.mark.empty() && !CertificateRepository::mark(c, cert.mark))
    errors.push_back({where("mark"), "no mark or geographical indication has the code '" + cert.mark + "'"});
  std::set<ScopeItem> seen;
  for (const auto& s : d.scope) {
    ScopeItem item{s.kind, trim(s.target)};
    if (!is_target_kind(item.kind)) {
      errors.push_back({where("scope_kind"), "must be one of: parcel, code, facility, product, lot"});
      continue;
    }
    if (item.target.empty() || item.target.size() > 100 || !is_valid_utf8(item.target)) {
      errors.push_back({where("scope"), "must name the record covered (1 to 100 characters)"});
      continue;
    }
    // Records nongsan keeps are checked (exist, in scope); growing-area codes,
    // facilities and lots are kept as written until their modules hold them.
    if (item.kind == "parcel") {
      auto p = support::SupportRepository::parcel(c, item.target);
      if (!p || !scope.includes_unit(p->unit))
        errors.push_back({where("scope"), "no such parcel in your scope: '" + item.target + "'"});
    } else if (item.kind == "product") {
      auto p = ocop::OcopRepository::product(c, item.target);
      if (!p || !ocop::product_visible(scope, *p))
        errors.push_back({where("scope"), "no such OCOP product in your scope: '" + item.target + "'"});
    }
    if (seen.insert(item).second) cert.scope.push_back(item);
  }
  cert.illustrative = d.illustrative;
  if (errors.size() != before) return std::nullopt;
  return cert;
}

bool same(const Certificate& x, const Certificate& y) {
  auto sx = x.scope, sy = y.scope;
  std::sort(sx.begin(), sx.end());
  std::sort(sy.begin(), sy.end());
  return x.kind == y.kind && x.holder_id == y.holder_id && x.issuer == y.issuer && x.standard == y.standard &&
         x.mark == y.mark && x.valid_from == y.valid_from && x.valid_to == y.valid_to && sx == sy &&
         x.illustrative == y.illustrative;
}

bool certificate_visible(const registry::RecordScope& scope, const Certificate& c) {
  if (!scope.includes_unit(c.unit)) return false;
  return !scope.producers() || scope.producers()->contains(c.holder_id);
}

std::string str_field(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

CertificateService::CertificateService(storage::Database& db, admin::AdminService& admin, int notice_days)
    : db_(db), admin_(admin), notice_days_(notice_days) {}

json CertificateService::to_json(const Certificate& c, const CivilDate& on) const {
  json scope = json::array();
  for (const auto& s : c.scope) scope.push_back({{"kind", s.kind}, {"target", s.target}});
  return {{"code", c.code},
          {"kind", c.kind},
          {"holder", c.holder},
          {"holder_name", c.holder_name},
          {"issuer", c.issuer},
          {"standard", c.standard},
          {"mark", c.mark},
          {"valid_from", c.valid_from.iso()},
          {"valid_to", c.valid_to.iso()},
          {"status", certificate_status(c, on, notice_days_)},
          {"days_left", c.valid_to.days_since_epoch() - on.days_since_epoch()},
          {"scope", scope},
          {"illustrative", c.illustrative}};
}

Result<json> CertificateService::list(const Actor& a, const CertificateQuery& q) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    json items = json::array();
    for (const auto& cert : CertificateRepository::certificates(c)) {
      if (!certificate_visible(scope, cert)) continue;
      if (!q.kind.empty() && cert.kind != q.kind) continue;
      if (!q.holder.empty() && cert.holder != q.holder) continue;
      json j = to_json(cert, q.on);
      if (!q.status.empty() && j["status"] != q.status) continue;
      items.push_back(std::move(j));
    }
    return json{{"on", q.on.iso()}, {"notice_days", notice_days_}, {"items", items}};
  });
}

Result<json> CertificateService::get(const Actor& a, const std::string& code, const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    auto cert = CertificateRepository::certificate(c, code);
    if (!cert || !certificate_visible(registry::RecordScope::of(a, admin_.graph(), c), *cert))
      return Error::not_found("no certificate " + code + " in your scope");
    return to_json(*cert, on);
  });
}

Result<json> CertificateService::save(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  Draft d;
  d.code = str_field(body, "code");
  d.kind = str_field(body, "kind");
  d.holder = str_field(body, "holder");
  d.issuer = str_field(body, "issuer");
  d.valid_from = str_field(body, "valid_from");
  d.valid_to = str_field(body, "valid_to");
  d.standard = str_field(body, "standard");
  d.mark = str_field(body, "mark");
  d.illustrative = body.value("illustrative", false);
  std::vector<FieldError> errors;
  if (body.contains("scope")) {
    if (!body["scope"].is_array()) errors.push_back({"scope", "must be a list of objects with kind and target"});
    else
      for (const auto& s : body["scope"]) {
        if (!s.is_object()) {
          errors.push_back({"scope", "must be a list of objects with kind and target"});
          continue;
        }
        d.scope.push_back({str_field(s, "kind"), str_field(s, "target")});
      }
  }
  auto r = db_.write([&](Connection& c) -> Result<Certificate> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    auto cert = check(c, scope, d, [](const std::string& f) { return f == "scope_kind" ? std::string("scope") : f; },
                      errors);
    if (!errors.empty() || !cert) return Error::invalid("the certificate is not valid", errors);
    cert->source = "ui";
    auto old = CertificateRepository::certificate(c, cert->code);
    if (old && !certificate_visible(scope, *old))
      return Error::conflict("the code " + cert->code + " belongs to a certificate outside your scope");
    if (!old) {
      cert->id = CertificateRepository::insert_certificate(c, *cert);
      audit::record(c, a, "create", "certificate", cert->code, cert->unit, std::nullopt, to_json(*cert, cert->valid_from));
    } else {
      cert->id = old->id;
      CertificateRepository::update_certificate(c, *cert);
      audit::record(c, a, "update", "certificate", cert->code, cert->unit, to_json(*old, old->valid_from),
                    to_json(*cert, cert->valid_from));
    }
    return *cert;
  });
  if (!r) return r.error();
  return to_json(*r, CivilDate::today());
}

Result<json> CertificateService::remove(const Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  return db_.write([&](Connection& c) -> Result<json> {
    auto cert = CertificateRepository::certificate(c, code);
    if (!cert || !certificate_visible(registry::RecordScope::of(a, admin_.graph(), c), *cert))
      return Error::not_found("no certificate " + code + " in your scope");
    CertificateRepository::delete_certificate(c, cert->id);
    audit::record(c, a, "delete", "certificate", code, cert->unit, to_json(*cert, cert->valid_from), std::nullopt);
    return json{{"deleted", code}};
  });
}

Result<CertificateImportReport> CertificateService::import_certificates(const Actor& a, const support::ImportTable& t,
                                                                        const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto cols = support::check_import_columns(
      t, {"certificate", "kind", "holder", "issuer", "valid_from", "valid_to"},
      {"standard", "mark", "scope_kind", "scope", "illustrative"});
  if (!cols) return cols.error();
  std::vector<FieldError> errors;
  auto cell = [&](const support::ImportRow& row, const std::string& name) { return support::import_cell(row, *cols, name); };
  return db_.write([&](Connection& c) -> Result<CertificateImportReport> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    std::map<std::string, Draft> drafts;
    std::map<std::string, int> first_line;
    std::vector<std::string> order;
    for (const auto& row : t.rows) {
      Draft d;
      d.code = cell(row, "certificate");
      d.kind = cell(row, "kind");
      d.holder = cell(row, "holder");
      d.issuer = cell(row, "issuer");
      d.valid_from = cell(row, "valid_from");
      d.valid_to = cell(row, "valid_to");
      d.standard = cell(row, "standard");
      d.mark = cell(row, "mark");
      const std::string ill = cell(row, "illustrative");
      d.illustrative = ill == "1" || ill == "true" || ill == "yes";
      std::string sk = cell(row, "scope_kind"), st = cell(row, "scope");
      if (!sk.empty() || !st.empty()) d.scope.push_back({sk, st});
      const int line = row.line;
      Where where = [line](const std::string& f) {
        return "line " + std::to_string(line) + ", column " + (f == "code" ? std::string("certificate") : f);
      };
      const std::size_t before = errors.size();
      auto checked = check(c, scope, d, where, errors);
      if (!checked) continue;
      auto [it, fresh] = drafts.try_emplace(d.code, d);
      if (fresh) {
        order.push_back(d.code);
        first_line[d.code] = line;
        continue;
      }
      Draft& b = it->second;
      auto differs = [&](const char* column, bool x) {
        if (x) errors.push_back({where(column), "differs from line " + std::to_string(first_line[d.code]) +
                                                    " of the same certificate"});
      };
      differs("kind", b.kind != d.kind);
      differs("holder", b.holder != d.holder);
      differs("issuer", b.issuer != d.issuer);
      differs("valid_from", b.valid_from != d.valid_from);
      differs("valid_to", b.valid_to != d.valid_to);
      differs("standard", b.standard != d.standard);
      differs("mark", b.mark != d.mark);
      if (errors.size() == before) b.scope.insert(b.scope.end(), d.scope.begin(), d.scope.end());
    }
    if (!errors.empty()) return Error::invalid("the file has mistakes; nothing was imported", errors);
    CertificateImportReport rep;
    for (const auto& code : order) {
      std::vector<FieldError> none;
      auto cert = check(c, scope, drafts[code], [](const std::string& f) { return f; }, none);
      if (!cert) continue;  // checked row by row above
      cert->source = source;
      auto old = CertificateRepository::certificate(c, code);
      if (old && !certificate_visible(scope, *old))
        return Error::invalid("the file has mistakes; nothing was imported",
                              {{"line " + std::to_string(first_line[code]) + ", column certificate",
                                "the code belongs to a certificate outside your scope"}});
      if (!old) {
        CertificateRepository::insert_certificate(c, *cert);
        ++rep.created;
      } else if (!same(*old, *cert)) {
        cert->id = old->id;
        CertificateRepository::update_certificate(c, *cert);
        ++rep.updated;
      } else {
        ++rep.unchanged;
      }
    }
    audit::record(c, a, "import", "certificate", source, std::nullopt, std::nullopt,
                  json{{"created", rep.created}, {"updated", rep.updated}, {"unchanged", rep.unchanged}});
    return rep;
  });
}

Result<json> CertificateService::covering(const Actor& a, const std::string& kind, const std::string& target,
                                          const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  if (!is_target_kind(kind))
    return Error::invalid("bad query", {{"kind", "must be one of: parcel, code, facility, product, lot"}});
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    json items = json::array();
    for (const auto& code : CertificateRepository::covering(c, kind, target, on))
      if (auto cert = CertificateRepository::certificate(c, code); cert && certificate_visible(scope, *cert))
        items.push_back(to_json(*cert, on));
    return json{{"kind", kind}, {"target", target}, {"on", on.iso()}, {"items", items}};
  });
}

Result<json> CertificateService::notices(const Actor& a, const CivilDate& on) {
  CertificateQuery q;
  q.on = on;
  q.status = "expiring";
  return list(a, q);
}

Result<json> CertificateService::standards(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& s : CertificateRepository::standards(c))
      items.push_back({{"code", s.code}, {"kind", s.kind}, {"name", s.name}, {"source", s.source},
                       {"illustrative", s.illustrative}});
    return json{{"items", items}};
  });
}

Result<json> CertificateService::save_standard(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  Standard st;
  st.code = trim(str_field(body, "code"));
  st.kind = str_field(body, "kind");
  st.name = trim(str_field(body, "name"));
  st.source = str_field(body, "source");
  st.illustrative = body.value("illustrative", false);
  std::vector<FieldError> errors;
  if (st.code.empty() || st.code.size() > 64) errors.push_back({"code", "must be a code of 1 to 64 characters"});
  if (!is_standard_kind(st.kind)) errors.push_back({"kind", "must be one of: tcvn, vietgap, organic, provincial, other"});
  if (st.name.empty() || st.name.size() > 300) errors.push_back({"name", "must be a name of 1 to 300 characters"});
  if (!errors.empty()) return Error::invalid("the standard is not valid", errors);
  return db_.write([&](Connection& c) -> Result<json> {
    auto old = CertificateRepository::standard(c, st.code);
    if (old) {
      st.id = old->id;
      CertificateRepository::update_standard(c, st);
    } else {
      st.id = CertificateRepository::insert_standard(c, st);
    }
    json j = {{"code", st.code}, {"kind", st.kind}, {"name", st.name}, {"source", st.source},
              {"illustrative", st.illustrative}};
    audit::record(c, a, old ? "update" : "create", "cert_standard", st.code, std::nullopt, std::nullopt, j);
    return j;
  });
}

Result<json> CertificateService::marks(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    json items = json::array();
    for (const auto& m : CertificateRepository::marks(c))
      items.push_back({{"code", m.code}, {"kind", m.kind}, {"name", m.name}, {"holder", m.holder}, {"area", m.area},
                       {"registration", m.registration},
                       {"granted", m.granted ? json(m.granted->iso()) : json(nullptr)},
                       {"illustrative", m.illustrative}});
    return json{{"items", items}};
  });
}

Result<json> CertificateService::save_mark(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  Mark m;
  m.code = trim(str_field(body, "code"));
  m.kind = str_field(body, "kind");
  m.name = trim(str_field(body, "name"));
  m.holder = str_field(body, "holder");
  m.area = str_field(body, "area");
  m.registration = str_field(body, "registration");
  m.illustrative = body.value("illustrative", false);
  std::vector<FieldError> errors;
  if (m.code.empty() || m.code.size() > 64) errors.push_back({"code", "must be a code of 1 to 64 characters"});
  if (!is_mark_kind(m.kind))
    errors.push_back({"kind", "must be one of: collective, certification, geographical_indication"});
  if (m.name.empty() || m.name.size() > 300) errors.push_back({"name", "must be a name of 1 to 300 characters"});
  if (std::string g = str_field(body, "granted"); !g.empty()) {
    if (auto d = plausible_date(g)) m.granted = *d;
    else errors.push_back({"granted", "must be a date (YYYY-MM-DD) between 1945 and 2100"});
  }
  if (!errors.empty()) return Error::invalid("the mark is not valid", errors);
  return db_.write([&](Connection& c) -> Result<json> {
    auto old = CertificateRepository::mark(c, m.code);
    if (old) {
      m.id = old->id;
      CertificateRepository::update_mark(c, m);
    } else {
      m.id = CertificateRepository::insert_mark(c, m);
    }
    json j = {{"code", m.code}, {"kind", m.kind}, {"name", m.name}, {"holder", m.holder}, {"area", m.area},
              {"registration", m.registration}, {"granted", m.granted ? json(m.granted->iso()) : json(nullptr)},
              {"illustrative", m.illustrative}};
    audit::record(c, a, old ? "update" : "create", "cert_mark", m.code, std::nullopt, std::nullopt, j);
    return j;
  });
}

}  // namespace nongsan::certificates
