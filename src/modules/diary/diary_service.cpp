#include "modules/diary/diary_service.hpp"

#include <map>
#include <set>

#include "core/number_input.hpp"
#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/diary/diary_rules.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::diary {

using access::AccessPolicy;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

DiaryService::DiaryService(storage::Database& db, admin::AdminService& admin) : db_(db), admin_(admin) {}

namespace {

Reference reference_of(Connection& c) {
  return Reference(DiaryRepository::products(c), DiaryRepository::statuses(c), DiaryRepository::labels(c));
}

// Keeps the entries whose parcel is in scope (one scope check per parcel).
std::vector<DiaryEntry> in_scope(Connection& c, const registry::RecordScope& scope, std::vector<DiaryEntry> entries) {
  if (scope.province_wide()) return entries;
  std::map<std::int64_t, bool> seen;
  std::vector<DiaryEntry> out;
  for (auto& e : entries) {
    auto it = seen.find(e.parcel_id);
    if (it == seen.end()) it = seen.emplace(e.parcel_id, scope.parcel(c, registry::ParcelId(e.parcel_id)).has_value()).first;
    if (it->second) out.push_back(std::move(e));
  }
  return out;
}

// The parcels of `ids` that are in scope, or an error naming the first that is not.
Result<std::vector<std::int64_t>> parcels_in_scope(Connection& c, const registry::RecordScope& scope,
                                                   const std::vector<std::int64_t>& ids) {
  for (auto id : ids)
    if (!scope.parcel(c, registry::ParcelId(id)))
      return Error::invalid("no such parcel in your scope", {registry::no_such("parcel", "parcel")});
  return ids;
}

std::vector<std::int64_t> parcels_of(const std::vector<DiaryEntry>& entries) {
  std::set<std::int64_t> s;
  for (const auto& e : entries) s.insert(e.parcel_id);
  return {s.begin(), s.end()};
}

std::vector<Finding> findings_of(Connection& c, const std::vector<DiaryEntry>& all, std::optional<CivilDate> from,
                                 std::optional<CivilDate> to) {
  const auto ref = reference_of(c);
  const auto plantings = DiaryRepository::plantings(c, parcels_of(all));
  return check_entries(ref, effective_entries(all), plantings, from, to);
}

LotStatus status_of(Connection& c, const registry::RecordScope& scope, const std::string& lot, bool& found) {
  LotStatus s;
  s.lot = lot;
  std::vector<DiaryEntry> harvests;
  for (auto& e : effective_entries(DiaryRepository::lot_entries(c, lot)))
    if (e.kind == EntryKind::harvest) harvests.push_back(std::move(e));
  harvests = in_scope(c, scope, std::move(harvests));
  found = !harvests.empty();
  if (!found) return s;
  std::optional<CivilDate> last;
  for (const auto& h : harvests)
    if (!last || *last < h.date) last = h.date;
  auto all = DiaryRepository::entries(c, parcels_of(harvests), last);
  std::set<std::string> lot_harvests;
  for (const auto& h : harvests) lot_harvests.insert(h.code);
  auto clearances = DiaryRepository::clearances(c, lot);
  for (auto& f : findings_of(c, all, std::nullopt, last)) {
    if (f.kind != FindingKind::phi_not_passed || !lot_harvests.count(f.entry)) continue;
    Hold h{f, std::nullopt};
    for (const auto& k : clearances)
      if (k.harvest_entry == f.entry && match_key(k.product) == match_key(f.product)) h.clearance = k;
    if (!h.clearance) s.held = true;
    s.holds.push_back(std::move(h));
  }
  s.harvests = std::move(harvests);
  return s;
}

Error no_lot(const std::string& lot) { return Error::not_found("no such lot: " + lot); }

}  // namespace

Result<EntryResult> DiaryService::add_entry(const identity::Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::diary_enter); !s) return s.error();
  auto graph = admin_.graph();
  auto r = db_.write([&](Connection& c) -> Result<EntryResult> {
    auto scope = registry::RecordScope::of(a, graph, c);
    std::vector<FieldError> errors;
    DiaryEntry e;
    e.code = trim(body.value("entry", ""));
    if (!e.code.empty() && DiaryRepository::entry(c, e.code)) errors.push_back({"entry", "is already used by another entry"});
    std::optional<registry::Parcel> parcel;
    if (body.contains("parcel_id") && body["parcel_id"].is_number_integer())
      parcel = scope.parcel(c, registry::ParcelId(body["parcel_id"].get<std::int64_t>()));
    if (!parcel) errors.push_back(registry::no_such("parcel_id", "parcel"));
    else {
      e.parcel_id = parcel->id.value;
      e.parcel = parcel->external_id;
    }
    auto date = CivilDate::parse(body.value("date", ""));
    if (!date || date->year() < 1945 || date->year() > 2100) errors.push_back({"date", "must be a date between 1945 and 2100"});
    else e.date = *date;
    auto kind = parse_entry_kind(body.value("kind", ""));
    if (!kind) errors.push_back({"kind", "must be spray, fertiliser, harvest or observation"});
    else e.kind = *kind;
    e.product = trim(body.value("product", ""));
    for (const char* f : {"dose_per_ha", "quantity_kg"})
      if (body.contains(f) && !body[f].is_null()) {
        auto v = body[f].is_number() ? real_in_range(body[f].get<double>(), NumberRange::real(0, 1e9), f)
                                     : Result<double>(Error::invalid("", {{f, "must be a number"}}));
        if (!v) errors.push_back({f, "must be a number, 0 or more"});
        else (std::string(f) == "dose_per_ha" ? e.dose_per_ha : e.quantity_kg) = *v;
      }
    if (e.kind == EntryKind::spray && e.product.empty()) errors.push_back({"product", "is required for a spray"});
    e.lot = trim(body.value("lot", ""));
    if (e.kind == EntryKind::harvest && e.lot.empty()) errors.push_back({"lot", "is required for a harvest"});
    e.note = body.value("note", "");
    e.amends = trim(body.value("amends", ""));
    if (!e.amends.empty()) {
      auto amended = DiaryRepository::entry(c, e.amends);
      if (!amended || !scope.parcel(c, registry::ParcelId(amended->parcel_id)))
        errors.push_back({"amends", "no such entry in your scope"});
      else
        for (const auto& other : DiaryRepository::entries(c, std::vector<std::int64_t>{amended->parcel_id}))
          if (other.amends == e.amends) errors.push_back({"amends", "is already amended by entry " + other.code + "; amend that one"});
    }
    if (!errors.empty()) return Error::invalid("the entry is not valid", errors);
    if (e.code.empty()) {
      // NK-<parcel>-<date>-<n>: readable on a label, unique among the stored codes.
      for (int n = 1;; ++n) {
        e.code = "NK-" + e.parcel + "-" + e.date.iso() + "-" + std::to_string(n);
        if (!DiaryRepository::entry(c, e.code)) break;
      }
    }
    e.source = "ui";
    e.created_by = a.name;
    e.id = DiaryRepository::insert_entry(c, e);
    audit::record(c, a, e.amends.empty() ? "create" : "amend", "diary_entry", e.code, parcel->unit, std::nullopt,
                  to_json(e));
    auto stored = DiaryRepository::entry(c, e.code);
    EntryResult r{*stored, {}};
    // Its own findings, and those of harvests its spray reaches (a spray written down late).
    auto all = DiaryRepository::entries(c, std::vector<std::int64_t>{e.parcel_id});
    for (auto& f : findings_of(c, all, std::nullopt, std::nullopt))
      if (f.entry == e.code || f.spray_entry == e.code) r.findings.push_back(std::move(f));
    return r;
  });
  if (r) tell(a, {r->entry});
  return r;
}

Result<std::vector<DiaryEntry>> DiaryService::entries(const identity::Actor& a,
                                                      const std::optional<std::vector<std::int64_t>>& parcels,
                                                      std::optional<CivilDate> from, std::optional<CivilDate> to,
                                                      bool with_amended) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  auto graph = admin_.graph();
  return db_.read([&](Connection& c) -> Result<std::vector<DiaryEntry>> {
    auto scope = registry::RecordScope::of(a, graph, c);
    if (parcels)
      if (auto ok = parcels_in_scope(c, scope, *parcels); !ok) return ok.error();
    auto all = in_scope(c, scope, DiaryRepository::entries(c, parcels, to));
    if (!with_amended) all = effective_entries(all);
    std::vector<DiaryEntry> out;
    for (auto& e : all)
      if (!from || *from <= e.date) out.push_back(std::move(e));
    return out;
  });
}

Result<std::vector<Finding>> DiaryService::findings(const identity::Actor& a, std::optional<CivilDate> from,
                                                    std::optional<CivilDate> to,
                                                    const std::optional<std::vector<std::int64_t>>& parcels) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  auto graph = admin_.graph();
  return db_.read([&](Connection& c) -> Result<std::vector<Finding>> {
    auto scope = registry::RecordScope::of(a, graph, c);
    if (parcels)
      if (auto ok = parcels_in_scope(c, scope, *parcels); !ok) return ok.error();
    auto all = in_scope(c, scope, DiaryRepository::entries(c, parcels, to));
    return findings_of(c, all, from, to);
  });
}

Result<LotStatus> DiaryService::lot_status(const identity::Actor& a, const std::string& lot) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  auto graph = admin_.graph();
  return db_.read([&](Connection& c) -> Result<LotStatus> {
    auto scope = registry::RecordScope::of(a, graph, c);
    bool found = false;
    auto s = status_of(c, scope, trim(lot), found);
    if (!found) return no_lot(lot);
    return s;
  });
}

Result<LotStatus> DiaryService::clear_hold(const identity::Actor& a, const std::string& lot, const std::string& reason,
                                           const std::string& entry, const std::string& product) {
  if (auto s = AccessPolicy::require(a, Permission::lots_clear); !s) return s.error();
  if (trim(reason).empty()) return Error::invalid("a reason is required to clear a hold", {{"reason", "is required"}});
  auto graph = admin_.graph();
  return db_.write([&](Connection& c) -> Result<LotStatus> {
    auto scope = registry::RecordScope::of(a, graph, c);
    bool found = false;
    auto s = status_of(c, scope, trim(lot), found);
    if (!found) return no_lot(lot);
    int cleared = 0;
    for (const auto& h : s.holds) {
      if (h.clearance) continue;
      if (!entry.empty() && h.finding.entry != entry) continue;
      if (!product.empty() && match_key(h.finding.product) != match_key(product)) continue;
      Clearance k{s.lot, h.finding.entry, h.finding.product, trim(reason), a.name, ""};
      DiaryRepository::insert_clearance(c, k);
      audit::record(c, a, "clear_hold", "lot", s.lot, std::nullopt, to_json(h.finding),
                    json{{"harvest_entry", k.harvest_entry}, {"product", k.product}, {"reason", k.reason}});
      ++cleared;
    }
    if (cleared == 0) return Error::conflict("lot " + s.lot + " has no uncleared hold to clear");
    bool again = false;
    return status_of(c, scope, s.lot, again);
  });
}

Result<json> DiaryService::products(const identity::Actor& a, const CivilDate& date) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<json> {
    const auto ref = reference_of(c);
    const auto labels = DiaryRepository::labels(c);
    json out = json::array();
    for (const auto& p : ref.products()) {
      json ai = json::array();
      bool banned = false;
      for (const auto& i : p.active_ingredients) {
        const bool b = ref.status_on(i, date) == IngredientStatus::banned;
        banned = banned || b;
        ai.push_back({{"name", i}, {"status", b ? "banned" : "permitted"}});
      }
      json ls = json::array();
      for (const auto& l : labels)
        if (match_key(l.product) == match_key(p.code))
          ls.push_back({{"crop", l.crop}, {"max_dose_per_ha", l.max_dose_per_ha}, {"phi_days", l.phi_days}});
      out.push_back({{"product", p.code},
                     {"name", p.name},
                     {"registered_from", p.registered_from.iso()},
                     {"registered_to", p.registered_to ? json(p.registered_to->iso()) : json(nullptr)},
                     {"registered", registered_on(p, date)},
                     {"banned", banned},
                     {"active_ingredients", ai},
                     {"labels", ls}});
    }
    return json{{"date", date.iso()}, {"items", out}};
  });
}

json to_json(const DiaryEntry& e) {
  return {{"id", e.id},
          {"entry", e.code},
          {"parcel_id", e.parcel_id},
          {"parcel", e.parcel},
          {"date", e.date.iso()},
          {"kind", to_string(e.kind)},
          {"product", e.product},
          {"dose_per_ha", e.dose_per_ha ? json(*e.dose_per_ha) : json(nullptr)},
          {"quantity_kg", e.quantity_kg ? json(*e.quantity_kg) : json(nullptr)},
          {"lot", e.lot},
          {"amends", e.amends},
          {"note", e.note},
          {"created_by", e.created_by},
          {"created_at", e.created_at}};
}

json to_json(const Finding& f) {
  json j = {{"finding", to_string(f.kind)}, {"entry", f.entry},   {"parcel", f.parcel},   {"parcel_id", f.parcel_id},
            {"product", f.product},         {"lot", f.lot},       {"date", f.date.iso()}, {"detail", f.detail}};
  if (f.kind == FindingKind::phi_not_passed) {
    j["spray_entry"] = f.spray_entry;
    j["spray_date"] = f.spray_date ? json(f.spray_date->iso()) : json(nullptr);
    j["phi_days"] = f.phi_days;
  }
  return j;
}

json to_json(const LotStatus& s) {
  json holds = json::array(), harvests = json::array();
  for (const auto& h : s.holds) {
    json j = to_json(h.finding);
    j["cleared"] = h.clearance.has_value();
    if (h.clearance)
      j["clearance"] = {{"reason", h.clearance->reason}, {"cleared_by", h.clearance->cleared_by},
                        {"cleared_at", h.clearance->cleared_at}};
    holds.push_back(std::move(j));
  }
  for (const auto& e : s.harvests)
    harvests.push_back({{"entry", e.code},
                        {"parcel", e.parcel},
                        {"parcel_id", e.parcel_id},
                        {"date", e.date.iso()},
                        {"quantity_kg", e.quantity_kg ? json(*e.quantity_kg) : json(nullptr)}});
  return {{"lot", s.lot}, {"held", s.held}, {"holds", holds}, {"harvests", harvests}};
}

}  // namespace nongsan::diary
