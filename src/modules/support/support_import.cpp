#include "modules/support/support_import.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/support/policy_file.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::support {

using identity::Permission;
using nlohmann::json;
using storage::Connection;

std::optional<Dong> parse_dong(std::string_view text) {
  std::string t = trim(text);
  if (t.empty() || t.size() > 24) return std::nullopt;
  // Thousands separators: one kind, every group after the first of three digits.
  char sep = 0;
  for (char ch : t)
    if (ch == '.' || ch == ',' || ch == ' ') {
      if (sep && sep != ch) return std::nullopt;
      sep = ch;
    } else if (ch < '0' || ch > '9') {
      return std::nullopt;
    }
  std::string digits;
  if (sep) {
    std::size_t start = 0;
    bool first = true;
    while (start <= t.size()) {
      std::size_t end = t.find(sep, start);
      std::string group = t.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (group.empty() || group.size() > 3 || (!first && group.size() != 3)) return std::nullopt;
      digits += group;
      first = false;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  } else {
    digits = t;
  }
  if (digits.size() > 15) return std::nullopt;  // 10^15 đồng: beyond any support
  return static_cast<Dong>(std::stoll(digits));
}

Result<ImportColumns> check_import_columns(const ImportTable& t, const std::vector<std::string>& required,
                                           const std::vector<std::string>& optional_columns) {
  ImportColumns c;
  std::vector<FieldError> errors;
  for (const auto& h : t.headers) {
    std::string low = h;
    for (auto& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool known = std::find(required.begin(), required.end(), low) != required.end() ||
                 std::find(optional_columns.begin(), optional_columns.end(), low) != optional_columns.end();
    if (!known) errors.push_back({"line 1, column " + h, "is not a column of this import"});
    else if (c.actual.count(low)) errors.push_back({"line 1, column " + h, "appears twice"});
    else c.actual[low] = h;
  }
  for (const auto& r : required)
    if (!c.actual.count(r)) errors.push_back({"line 1, column " + r, "is missing"});
  if (!errors.empty()) return Error::invalid("the file's columns are not those of the import; nothing was imported", errors);
  return c;
}

std::string import_cell(const ImportRow& row, const ImportColumns& cols, const std::string& name) {
  auto a = cols.actual.find(name);
  if (a == cols.actual.end()) return "";
  auto it = row.cells.find(a->second);
  return it == row.cells.end() ? "" : trim(it->second);
}

std::string import_at(const ImportRow& row, const std::string& column) {
  return "line " + std::to_string(row.line) + ", column " + column;
}

namespace {

using Columns = ImportColumns;
constexpr auto check_columns = &check_import_columns;
constexpr auto cell = &import_cell;
constexpr auto at = &import_at;

std::optional<CivilDate> plausible_date(const std::string& text) {
  auto d = CivilDate::parse(text);
  if (!d || d->year() < 1945 || d->year() > 2100) return std::nullopt;
  return d;
}

}  // namespace

Result<SupportImportReport> import_applications(storage::Database& db, const identity::Actor& actor,
                                                const ImportTable& table, const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::support_manage); !s) return s.error();
  auto cols = check_columns(table,
                            {"application", "policy", "applicant", "filed", "accepted", "status", "parcel", "quantity",
                             "approved_amount"},
                            {});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<SupportImportReport> {
    std::vector<FieldError> errors;
    std::vector<PolicyVersion> policies;
    std::set<std::string> codes;
    for (auto& p : SupportRepository::policies(c)) {
      codes.insert(p.policy.code);
      policies.push_back(std::move(p.policy));
    }
    std::map<std::string, ApplicationRecord> apps;  // by code, in file order of first row
    std::vector<std::string> order;
    std::map<std::string, int> first_line;
    std::map<std::string, std::optional<ProducerRef>> producers;
    std::map<std::string, std::optional<ParcelRef>> parcels;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      ApplicationRecord a;
      a.code = cell(row, *cols, "application");
      if (a.code.empty()) errors.push_back({at(row, "application"), "is empty"});
      else if (a.code.size() > 64 || !is_valid_utf8(a.code)) errors.push_back({at(row, "application"), "is not a valid code"});
      a.policy = cell(row, *cols, "policy");
      if (!codes.count(a.policy)) errors.push_back({at(row, "policy"), "no policy has the code '" + a.policy + "'"});
      a.applicant = cell(row, *cols, "applicant");
      if (!producers.count(a.applicant)) producers[a.applicant] = SupportRepository::producer(c, a.applicant);
      const auto& producer = producers[a.applicant];
      if (!producer) errors.push_back({at(row, "applicant"), "no producer has the id '" + a.applicant + "'"});
      else {
        a.applicant_id = producer->id;
        a.unit = producer->unit;
        a.applicant_name = producer->name;
      }
      if (auto d = plausible_date(cell(row, *cols, "filed"))) a.filed = *d;
      else errors.push_back({at(row, "filed"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      if (std::string acc = cell(row, *cols, "accepted"); !acc.empty()) {
        if (auto d = plausible_date(acc)) a.accepted = *d;
        else errors.push_back({at(row, "accepted"), "must be empty or a date between 1945 and 2100"});
      }
      std::string status = cell(row, *cols, "status");
      if (auto s = parse_application_status(status.empty() ? "submitted" : status)) a.status = *s;
      else errors.push_back({at(row, "status"), "must be one of: submitted, verified, appraised, accepted, approved, paid, "
                                                "rejected, recovered"});
      if (std::string amount = cell(row, *cols, "approved_amount"); !amount.empty()) {
        if (auto d = parse_dong(amount)) a.approved_amount = *d;
        else errors.push_back({at(row, "approved_amount"), "must be empty or a whole number of đồng"});
      }
      ItemRecord item;
      std::string quantity = cell(row, *cols, "quantity");
      auto q = parse_number(quantity, false);
      if (!q || *q <= 0 || *q > 1e6) errors.push_back({at(row, "quantity"), "must be a positive number"});
      else item.quantity = *q;
      std::optional<PolicyVersion> version;
      if (codes.count(a.policy) && errors.size() == before) {
        version = version_in_force(policies, a.policy, a.filed);
        if (!version)
          errors.push_back({at(row, "filed"), "no version of policy " + a.policy + " is in force on " + a.filed.iso()});
      }
      item.parcel = cell(row, *cols, "parcel");
      if (version) {
        if (is_area(version->item) && item.parcel.empty())
          errors.push_back({at(row, "parcel"), "is empty, but policy " + a.policy + " pays for land (item area)"});
        if (!is_area(version->item) && !item.parcel.empty())
          errors.push_back({at(row, "parcel"), "must be empty: policy " + a.policy + " pays for counted items (" +
                                                   std::string(to_string(version->item)) + ")"});
      }
      if (!item.parcel.empty()) {
        if (!parcels.count(item.parcel)) parcels[item.parcel] = SupportRepository::parcel(c, item.parcel);
        if (const auto& p = parcels[item.parcel]) item.parcel_id = p->id;
        else errors.push_back({at(row, "parcel"), "no parcel has the id '" + item.parcel + "'"});
      }
      if (errors.size() != before) continue;
      auto [it, fresh] = apps.try_emplace(a.code, a);
      if (fresh) {
        order.push_back(a.code);
        first_line[a.code] = row.line;
      } else {
        // The rows of one application must agree on everything but the item.
        const ApplicationRecord& b = it->second;
        auto differs = [&](const char* column, bool d) {
          if (d)
            errors.push_back({at(row, column), "differs from line " + std::to_string(first_line[a.code]) +
                                                   " of the same application"});
        };
        differs("policy", a.policy != b.policy);
        differs("applicant", a.applicant != b.applicant);
        differs("filed", !(a.filed == b.filed));
        differs("accepted", a.accepted.has_value() != b.accepted.has_value() ||
                                (a.accepted && !(*a.accepted == *b.accepted)));
        differs("status", a.status != b.status);
        differs("approved_amount", a.approved_amount != b.approved_amount);
      }
      item.seq = static_cast<std::int64_t>(it->second.items.size()) + 1;
      it->second.items.push_back(item);
    }
    if (!errors.empty()) return Error::invalid("the applications were not imported; nothing was changed", errors);

    SupportImportReport report;
    for (const auto& code : order) {
      ApplicationRecord& a = apps[code];
      a.source = source;
      auto existing = SupportRepository::find_application(c, code);
      if (!existing) {
        a.id = SupportRepository::insert_application(c, a);
        SupportRepository::insert_step(c, a.id, {"", std::string(to_string(a.status)), a.filed, "imported from " + source,
                                                 actor.name, ""});
        ++report.created;
        continue;
      }
      auto same_items = [&] {
        if (existing->items.size() != a.items.size()) return false;
        for (std::size_t i = 0; i < a.items.size(); ++i)
          if (existing->items[i].parcel_id != a.items[i].parcel_id || existing->items[i].quantity != a.items[i].quantity)
            return false;
        return true;
      };
      bool same = existing->policy == a.policy && existing->applicant_id == a.applicant_id &&
                  existing->filed == a.filed && existing->accepted == a.accepted && existing->status == a.status &&
                  existing->approved_amount == a.approved_amount && same_items();
      if (same) {
        ++report.unchanged;
        continue;
      }
      a.id = existing->id;
      a.note = existing->note;
      SupportRepository::update_application(c, a);
      if (existing->status != a.status)
        SupportRepository::insert_step(c, a.id, {std::string(to_string(existing->status)), std::string(to_string(a.status)),
                                                 a.filed, "imported from " + source, actor.name, ""});
      ++report.updated;
    }
    audit::record(c, actor, "import", "support_application", source, std::nullopt, std::nullopt,
                  json{{"file", source},
                       {"created", report.created},
                       {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

Result<SupportImportReport> import_payments(storage::Database& db, const identity::Actor& actor, const ImportTable& table,
                                            const std::string& source) {
  if (auto s = access::AccessPolicy::require(actor, Permission::support_manage); !s) return s.error();
  auto cols = check_columns(table, {"application", "date", "amount", "kind"}, {"funding_source", "reference"});
  if (!cols) return cols.error();
  return db.write([&](Connection& c) -> Result<SupportImportReport> {
    std::vector<FieldError> errors;
    std::vector<PaymentRecord> rows;
    std::map<std::string, std::optional<ApplicationRecord>> apps;
    for (const auto& row : table.rows) {
      const std::size_t before = errors.size();
      PaymentRecord p;
      p.application = cell(row, *cols, "application");
      if (!apps.count(p.application)) apps[p.application] = SupportRepository::find_application(c, p.application);
      if (!apps[p.application]) errors.push_back({at(row, "application"), "no application has the code '" + p.application + "'"});
      else p.application_id = apps[p.application]->id;
      if (auto d = plausible_date(cell(row, *cols, "date"))) p.date = *d;
      else errors.push_back({at(row, "date"), "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100"});
      if (auto a = parse_dong(cell(row, *cols, "amount")); a && *a > 0) p.amount = *a;
      else errors.push_back({at(row, "amount"), "must be a positive whole number of đồng"});
      if (auto k = parse_payment_kind(cell(row, *cols, "kind"))) p.kind = *k;
      else errors.push_back({at(row, "kind"), "must be payment or recovery"});
      p.funding_source = cell(row, *cols, "funding_source");
      if (!p.funding_source.empty() && !parse_funding_source(p.funding_source))
        errors.push_back({at(row, "funding_source"), "must be empty or one of: national_target_programme, central_budget, "
                                                     "provincial_budget, credit, other"});
      p.reference = cell(row, *cols, "reference");
      p.source = source;
      if (errors.size() == before) rows.push_back(std::move(p));
    }
    if (!errors.empty()) return Error::invalid("the payments were not imported; nothing was changed", errors);
    // A multiset match: the k-th identical row of the file is the k-th identical stored payment.
    std::map<std::tuple<std::int64_t, std::string, Dong, std::string>, int> seen;
    SupportImportReport report;
    for (const auto& p : rows) {
      auto key = std::make_tuple(p.application_id.value, p.date.iso(), p.amount, std::string(to_string(p.kind)));
      int nth = ++seen[key];
      int stored = 0;
      for (const auto& x : SupportRepository::payments(c, p.application_id))
        if (x.date == p.date && x.amount == p.amount && x.kind == p.kind) ++stored;
      if (nth <= stored) {
        ++report.unchanged;
        continue;
      }
      SupportRepository::insert_payment(c, p);
      ++report.created;
    }
    audit::record(c, actor, "import", "support_payment", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"unchanged", report.unchanged}});
    return report;
  });
}

}  // namespace nongsan::support
