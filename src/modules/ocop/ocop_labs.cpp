// OcopService: lab results (kiểm nghiệm) and the quality watch (docs/ocop.md "Lab
// results", "Quality watch"; docs/rules.md §8.8, §8.9). The certificates module is read
// through its service, before the write that records the findings.
#include <algorithm>
#include <map>
#include <set>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/certificates/certificate_service.hpp"
#include "modules/ocop/lab_json.hpp"
#include "modules/ocop/ocop_service.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::ocop {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

constexpr double kLabMax = 1e9;  // any unit: a bound on typing mistakes, not a rule
constexpr const char* kLabRequired[] = {"sample", "product", "laboratory", "date", "parameter",
                                        "category", "value", "unit", "limit"};

bool certified(const Standing& s) { return s.status == "valid" || s.status == "expiring"; }

// One result from text fields (a file row, or a request body turned into text): `get`
// gives a field's trimmed text, `at` where an error is. Errors are appended; nullopt when
// the row has any. `product_of` looks a product up within the writer's scope.
std::optional<LabResult> read_lab(const std::function<std::string(const char*)>& get,
                                  const std::function<std::string(const char*)>& at,
                                  const std::function<std::optional<Product>(const std::string&)>& product_of,
                                  std::vector<FieldError>& errors) {
  const std::size_t before = errors.size();
  LabResult r;
  auto text = [&](const char* field, std::string& out, std::size_t max, bool required) {
    out = get(field);
    if ((required && out.empty()) || out.size() > max || !is_valid_utf8(out))
      errors.push_back({at(field), required ? "must be 1 to " + std::to_string(max) + " characters"
                                            : "must be at most " + std::to_string(max) + " characters"});
  };
  text("sample", r.sample, 64, true);
  const std::string code = get("product");
  auto p = code.empty() ? std::nullopt : product_of(code);
  if (!p) errors.push_back({at("product"), "no OCOP product has the code '" + code + "'"});
  else {
    r.product_id = p->id;
    r.product = p->code;
  }
  text("lot", r.lot, 64, false);
  text("laboratory", r.laboratory, 200, true);
  auto d = CivilDate::parse(get("date"));
  if (!d || d->year() < 1945 || d->year() > 2100)
    errors.push_back({at("date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
  else r.tested_on = *d;
  text("parameter", r.parameter, 200, true);
  r.category = get("category");
  if (!is_lab_category(r.category))
    errors.push_back({at("category"), "must be pesticide_residue, heavy_metal, microbiological or other"});
  auto v = parse_real(get("value"), NumberRange::real(0, kLabMax), "value");
  if (!v) errors.push_back({at("value"), "must be a number from 0 to " + format_number(kLabMax)});
  else r.value = *v;
  text("unit", r.unit, 32, true);
  auto l = parse_real(get("limit"), NumberRange::real(0, kLabMax), "limit");
  if (!l) errors.push_back({at("limit"), "must be the maximum allowed, a number from 0 to " + format_number(kLabMax)});
  else r.limit = *l;
  text("standard", r.standard, 200, false);
  const std::string ill = get("illustrative");
  if (ill == "1" || ill == "true" || ill == "yes") r.illustrative = true;
  else if (!ill.empty() && ill != "0" && ill != "false" && ill != "no")
    errors.push_back({at("illustrative"), "must be yes or no"});
  if (errors.size() != before) return std::nullopt;
  return r;
}

std::string lab_detail(const LabResult& r) {
  // What the finding says, in Vietnamese like the findings entered by hand.
  std::string s = "Mẫu " + r.sample + " (" + r.laboratory + ", " + r.tested_on.iso() + "): " + r.parameter + " = " +
                  format_number(r.value) + " " + r.unit + ", vượt giới hạn " + format_number(r.limit) + " " + r.unit;
  if (!r.standard.empty()) s += " (" + r.standard + ")";
  if (!r.lot.empty()) s += "; lô " + r.lot;
  return s;
}

}  // namespace

Standing OcopService::standing_of(Connection& c, const Product& p, const CivilDate& on) const {
  auto ev = OcopRepository::evaluations(c, p.id);
  auto events = OcopRepository::events(c, p.id);
  Standing first = standing_on(scoring_, ev, {}, on);
  std::vector<Event> mine;
  if (first.evaluation_id)
    for (const auto& e : events)
      if (certificate_on(scoring_, ev, e.date) == first.evaluation_id) mine.push_back(e);
  return standing_on(scoring_, ev, mine, on);
}

json OcopService::raise_lab_findings(Connection& c, const Actor& a, const std::vector<Product>& products,
                                     const CivilDate& on) {
  json raised = json::array();
  for (const auto& p : products) {
    for (const auto& r : LabRepository::results(c, p.id)) {
      if (lab_passes(r) || on < r.tested_on) continue;
      const std::string origin = "lab:" + std::to_string(r.id);
      if (OcopRepository::has_finding_from(c, p.id, origin)) continue;
      // A finding of the quality watch is about a certified product (Decision 148/QĐ-TTg).
      if (!certified(standing_of(c, p, r.tested_on))) continue;
      Finding f;
      f.product_id = p.id;
      f.found_on = r.tested_on;
      f.kind = "lab_failed";
      f.detail = lab_detail(r);
      f.created_by = a.name;
      f.origin = origin;
      f.id = OcopRepository::insert_finding(c, f);
      audit::record(c, a, "create", "ocop_finding", std::to_string(f.id), p.unit, std::nullopt,
                    json{{"product", p.code}, {"kind", f.kind}, {"date", f.found_on.iso()}, {"origin", origin}});
      raised.push_back({{"id", f.id}, {"product", p.code}, {"kind", f.kind}, {"found_on", f.found_on.iso()},
                        {"detail", f.detail}, {"origin", origin}});
    }
  }
  return raised;
}

Result<ImportReport> OcopService::import_lab_results(const Actor& a, const support::ImportTable& t,
                                                     const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_manage); !s) return s.error();
  auto cols = support::check_import_columns(t, std::vector<std::string>(std::begin(kLabRequired), std::end(kLabRequired)),
                                            {"lot", "standard", "illustrative"});
  if (!cols) return cols.error();
  const CivilDate today = CivilDate::today();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    std::map<std::string, std::optional<Product>> products;
    auto product_of = [&](const std::string& code) -> std::optional<Product> {
      if (!products.count(code)) {
        auto p = OcopRepository::product(c, code);
        products[code] = p && product_visible(scope, *p) ? p : std::nullopt;
      }
      return products[code];
    };
    std::vector<FieldError> errors;
    std::vector<LabResult> rows;
    std::map<std::pair<std::string, std::string>, int> seen;
    for (const auto& row : t.rows) {
      auto get = [&](const char* f) { return support::import_cell(row, *cols, f); };
      auto at = [&](const char* f) { return support::import_at(row, f); };
      auto r = read_lab(get, at, product_of, errors);
      if (!r) continue;
      auto key = std::make_pair(r->sample, r->parameter);
      if (seen.count(key)) {
        errors.push_back({at("parameter"), "repeats line " + std::to_string(seen[key]) + " (same sample and parameter)"});
        continue;
      }
      seen[key] = row.line;
      r->source = source;
      r->created_by = a.name;
      rows.push_back(std::move(*r));
    }
    if (!errors.empty()) return Error::invalid("the file has mistakes; nothing was imported", std::move(errors));
    ImportReport rep;
    std::set<std::int64_t> touched;
    for (const auto& r : rows) {
      auto old = LabRepository::find(c, r.sample, r.parameter);
      if (!old) {
        LabRepository::insert(c, r);
        ++rep.created;
      } else if (!same_lab_result(*old, r)) {
        LabRepository::update(c, old->id, r);
        ++rep.updated;
      } else {
        ++rep.unchanged;
      }
      touched.insert(r.product_id);
    }
    std::vector<Product> affected;
    for (const auto& [code, p] : products)
      if (p && touched.count(p->id)) affected.push_back(*p);
    rep.findings = static_cast<int>(raise_lab_findings(c, a, affected, today).size());
    audit::record(c, a, "import", "ocop_lab_result", source, std::nullopt, std::nullopt,
                  json{{"created", rep.created}, {"updated", rep.updated}, {"unchanged", rep.unchanged},
                       {"findings", rep.findings}});
    return rep;
  });
}

Result<json> OcopService::lab_results(const Actor& a, const std::string& product) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    std::optional<std::int64_t> pid;
    if (!product.empty()) {
      auto p = product_in_scope(c, a, product);
      if (!p) return p.error();
      pid = p->id;
    }
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    std::map<std::int64_t, bool> visible;
    json items = json::array();
    for (const auto& r : LabRepository::results(c, pid)) {
      if (!visible.count(r.product_id)) {
        auto p = OcopRepository::product(c, r.product);
        visible[r.product_id] = p && product_visible(scope, *p);
      }
      if (visible[r.product_id]) items.push_back(lab_json(r));
    }
    return json{{"product", product.empty() ? json(nullptr) : json(product)}, {"items", items}};
  });
}

Result<json> OcopService::add_lab_result(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  if (!body.is_object()) return Error::invalid("the body must be a JSON object");
  // The body's fields as text, so that a file row and a request are read by one reader.
  auto get = [&](const char* f) -> std::string {
    if (!body.contains(f) || body[f].is_null()) return "";
    const json& v = body[f];
    if (v.is_string()) return trim(v.get<std::string>());
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    return "\x01";  // neither text nor number: refused by every field's check
  };
  auto at = [](const char* f) { return std::string(f); };
  const CivilDate today = CivilDate::today();
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    auto product_of = [&](const std::string& code) -> std::optional<Product> {
      auto p = OcopRepository::product(c, code);
      return p && product_visible(scope, *p) ? p : std::nullopt;
    };
    std::vector<FieldError> errors;
    auto r = read_lab(get, at, product_of, errors);
    if (!r) {
      // A product outside the scope is refused like a missing one, naming the field.
      return Error::invalid("the lab result is not valid", std::move(errors));
    }
    if (LabRepository::find(c, r->sample, r->parameter))
      return Error::conflict("sample " + r->sample + " already has a result for " + r->parameter);
    r->source = "ui";
    r->created_by = a.name;
    r->id = LabRepository::insert(c, *r);
    auto p = OcopRepository::product(c, r->product);
    audit::record(c, a, "create", "ocop_lab_result", std::to_string(r->id), p->unit, std::nullopt, lab_json(*r));
    json out = lab_json(*r);
    out["findings"] = raise_lab_findings(c, a, {*p}, std::max(today, r->tested_on));
    return out;
  });
}

Result<json> OcopService::watch(const Actor& a, const CivilDate& on) {
  if (auto s = AccessPolicy::require(a, Permission::ocop_enter); !s) return s.error();
  // Certificates of the certificates module that name OCOP products and had lapsed by `on`,
  // read through its service before the write.
  struct Lapse {
    std::string certificate, product;
    CivilDate lapsed_on;
  };
  std::vector<Lapse> lapses;
  if (sources_.certificates) {
    certificates::CertificateQuery q;
    q.on = on;
    q.status = "expired";
    auto list = sources_.certificates->list(a, q);
    if (!list) return list.error();
    for (const auto& cert : (*list)["items"]) {
      auto to = CivilDate::parse(cert["valid_to"].get<std::string>());
      if (!to) continue;
      for (const auto& s : cert["scope"])
        if (s["kind"] == "product")
          lapses.push_back({cert["code"].get<std::string>(), s["target"].get<std::string>(),
                            CivilDate::from_days(to->days_since_epoch() + 1)});
    }
  }
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, admin_.graph(), c);
    std::vector<Product> products;
    for (const auto& p : OcopRepository::products(c))
      if (product_visible(scope, p)) products.push_back(p);
    json raised = raise_lab_findings(c, a, products, on);
    for (const auto& l : lapses) {
      auto p = std::find_if(products.begin(), products.end(), [&](const Product& x) { return x.code == l.product; });
      if (p == products.end()) continue;
      const std::string origin = "certificate:" + l.certificate + ":" + l.lapsed_on.iso();
      if (OcopRepository::has_finding_from(c, p->id, origin)) continue;
      if (!certified(standing_of(c, *p, l.lapsed_on))) continue;
      Finding f;
      f.product_id = p->id;
      f.found_on = l.lapsed_on;
      f.kind = "certificate_lapsed";
      f.detail = "Chứng nhận " + l.certificate + " hết hiệu lực từ " + l.lapsed_on.iso() +
                 " trong khi giấy chứng nhận OCOP còn hiệu lực";
      f.created_by = a.name;
      f.origin = origin;
      f.id = OcopRepository::insert_finding(c, f);
      audit::record(c, a, "create", "ocop_finding", std::to_string(f.id), p->unit, std::nullopt,
                    json{{"product", p->code}, {"kind", f.kind}, {"date", f.found_on.iso()}, {"origin", origin}});
      raised.push_back({{"id", f.id}, {"product", p->code}, {"kind", f.kind}, {"found_on", f.found_on.iso()},
                        {"detail", f.detail}, {"origin", origin}});
    }
    return json{{"on", on.iso()}, {"raised", raised}};
  });
}

}  // namespace nongsan::ocop
