#include "modules/registry/producer_service.hpp"

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"

namespace nongsan::registry {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;

std::string citizen_hash(storage::Connection& c, const std::string& citizen_id) {
  std::string n;
  for (char ch : citizen_id)
    if (ch != ' ' && ch != '-' && ch != '.') n += ch;
  return n.empty() ? "" : identity::digest_hex(n, identity::pii_hash_key(c));
}

Result<Page> ProducerService::list(const Actor& a, const ProducerQuery& q_in) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  Page page;
  ctx_.db.read([&](storage::Connection& c) {
    RecordScope s = ctx_.scope(a, c);
    ProducerQuery q = q_in;
    if (s.units()) {
      if (q.units) {
        std::unordered_set<UnitId> both;
        for (auto u : *q.units)
          if (s.units()->contains(u)) both.insert(u);
        q.units = both;
      } else {
        q.units = s.units();
      }
    }
    std::vector<Producer> list;
    if (s.producers()) {
      for (auto id : *s.producers())
        if (auto p = RegistryRepository::find_producer(c, ProducerId(id))) list.push_back(*p);
      page.total = static_cast<std::int64_t>(list.size());
    } else {
      list = RegistryRepository::list_producers(c, q, &page.total);
    }
    for (const auto& p : list) page.items.push_back(js.producer(p));
    if (page.total == 0) {
      std::int64_t in_scope = 0;
      if (!s.producers()) {
        ProducerQuery all;
        all.units = s.units();
        all.page_size = 1;
        RegistryRepository::list_producers(c, all, &in_scope);
      }
      page.empty = RegistryContext::empty_reason(s, in_scope);
    }
  });
  return page;
}

Result<json> ProducerService::get(const Actor& a, ProducerId id) {
  if (auto s = AccessPolicy::require(a, Permission::registry_read); !s) return s.error();
  RegistryJson js = ctx_.json();
  ProducerDetailFacts f;
  std::optional<UnitId> unit;
  auto out = ctx_.db.read([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.producer(c, id);
    if (!p) return no_record("producer", id.value);
    unit = p->unit;
    CivilDate today = CivilDate::today();
    // Linked records are named only when the reader may read them.
    for (auto m : RegistryRepository::members_of(c, id, today))
      if (auto mp = s.producer(c, m)) f.members.push_back(*mp);
    for (auto o : RegistryRepository::organisations_of(c, id, today))
      if (auto op = s.producer(c, o)) f.organisations.push_back(*op);
    for (const auto& r : RegistryRepository::rights_of_producer(c, id)) f.rights.emplace_back(r, s.parcel(c, r.parcel));
    // Possible duplicates: the same citizen ID under another record.
    for (auto d : RegistryRepository::producers_with_citizen_hash(c, RegistryRepository::citizen_hash_of(c, id))) {
      if (d == id) continue;
      if (s.producer(c, d)) f.duplicates_in_scope.push_back(d.value);
      else ++f.duplicates_elsewhere;
    }
    return js.producer_detail(*p, f);
  });
  if (out && (!f.duplicates_in_scope.empty() || f.duplicates_elsewhere > 0))
    ctx_.db.write([&](storage::Connection& c) {
      audit::record(c, a, "reveal", "producer", std::to_string(id.value), unit, std::nullopt,
                    json{{"field", "possible_duplicates"}, {"ids", f.duplicates_in_scope},
                         {"elsewhere", f.duplicates_elsewhere}});
    });
  return out;
}

Result<json> ProducerService::create(const Actor& a, Producer p, std::optional<ProducerId> organisation) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  try {
    return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
      RecordScope s = ctx_.scope(a, c);
      std::vector<FieldError> errors;
      if (trim(p.name).empty()) errors.push_back({"name", "is required"});
      if (!p.unit) errors.push_back({"unit_id", "is required"});
      else if (!s.unit(*p.unit)) errors.push_back(no_such("unit_id", "administrative unit"));
      if (p.members_count && *p.members_count < 0) errors.push_back({"members_count", "must be 0 or more"});
      if ((p.kind == ProducerKind::cooperative || p.kind == ProducerKind::enterprise) && trim(p.tax_code).empty())
        errors.push_back({"tax_code", "is required for a cooperative or an enterprise"});
      if (organisation && !s.producer(c, *organisation)) errors.push_back(no_such("organisation_id", "producer"));
      if (!errors.empty()) return Error::invalid("the producer is not valid", errors);
      if (!p.external_id.empty() && RegistryRepository::find_producer_by_external_id(c, p.external_id))
        return Error::invalid("the producer is not valid", {{"external_id", "is already used"}});
      p.id = RegistryRepository::insert_producer(c, p, citizen_hash(c, p.citizen_id));
      if (organisation) RegistryRepository::add_membership(c, p.id, *organisation, CivilDate::today());
      json after = js.producer(*RegistryRepository::find_producer(c, p.id));
      audit::record(c, a, "create", "producer", std::to_string(p.id.value), p.unit, std::nullopt, after);
      return after;
    });
  } catch (const storage::DbError& e) {
    if (e.kind() == storage::DbError::Kind::unique_violation) return Error::conflict("the external id is already used");
    throw;
  }
}

Result<json> ProducerService::update(const Actor& a, ProducerId id, const json& patch) {
  if (auto s = AccessPolicy::require(a, Permission::registry_write); !s) return s.error();
  RegistryJson js = ctx_.json();
  return ctx_.db.write([&](storage::Connection& c) -> Result<json> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.producer(c, id);
    if (!p) return no_record("producer", id.value);
    json before = js.producer(*p);
    std::vector<FieldError> errors;
    if (patch.contains("name")) p->name = patch["name"].get<std::string>();
    if (trim(p->name).empty()) errors.push_back({"name", "is required"});
    if (patch.contains("unit_id")) {
      UnitId u(patch["unit_id"].get<std::int64_t>());
      if (!s.unit(u)) errors.push_back(no_such("unit_id", "administrative unit"));
      p->unit = u;
    }
    if (patch.contains("members_count")) {
      if (patch["members_count"].is_null()) p->members_count.reset();
      else p->members_count = patch["members_count"].get<int>();
    }
    for (auto [field, target] : {std::pair{"ethnicity", &p->ethnicity}, std::pair{"citizen_id", &p->citizen_id},
                                 std::pair{"tax_code", &p->tax_code}, std::pair{"phone", &p->phone},
                                 std::pair{"address", &p->address}})
      if (patch.contains(field)) *target = patch[field].get<std::string>();
    if (!errors.empty()) return Error::invalid("the producer is not valid", errors);
    RegistryRepository::update_producer(c, *p, citizen_hash(c, p->citizen_id));
    json after = js.producer(*RegistryRepository::find_producer(c, id));
    audit::record(c, a, "update", "producer", std::to_string(id.value), p->unit, before, after);
    return after;
  });
}

Result<std::string> ProducerService::reveal(const Actor& a, ProducerId id, const std::string& field) {
  if (auto s = AccessPolicy::require(a, Permission::pii_reveal); !s) return s.error();
  return ctx_.db.write([&](storage::Connection& c) -> Result<std::string> {
    RecordScope s = ctx_.scope(a, c);
    auto p = s.producer(c, id);
    if (!p) return no_record("producer", id.value);
    audit::record(c, a, "reveal", "producer", std::to_string(id.value), p->unit, std::nullopt, json{{"field", field}});
    return field == "phone" ? p->phone : p->citizen_id;
  });
}

}  // namespace nongsan::registry
