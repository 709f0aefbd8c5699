// Inspections, their detail, creation by hand and the device sync. Decisions are in
// decision.cpp; the rules of an item in sync.cpp.
#include "modules/inspection/inspection_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "core/civil_date.hpp"
#include "geo/geometry_ops.hpp"
#include "geo/interior_test.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/areacodes/areacode_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/identity/user_repository.hpp"
#include "modules/inspection/sync.hpp"
#include "modules/ocop/ocop_repository.hpp"
#include "modules/registry/parcel_service.hpp"
#include "modules/registry/registry_json.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::inspection {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using identity::Role;
using nlohmann::json;
using storage::Connection;

namespace {

Error no_inspection() { return Error::not_found("no such inspection"); }

const std::vector<std::string> kSubjectKinds = {"applicant", "parcel", "area_code", "ocop_product", "facility"};

// The actor sees the inspection: an inspector the ones assigned to them, officers those
// of their scope (the province's when the inspection has no commune).
bool sees(const Actor& a, const std::optional<std::unordered_set<UnitId>>& filter, const InspectionRecord& r) {
  if (a.role == Role::inspector) return a.user && r.inspector_id && *r.inspector_id == a.user->value;
  if (a.role == Role::producer || a.role == Role::anonymous) return false;
  if (!filter) return true;
  return r.unit && filter->count(*r.unit) > 0;
}

json parsed_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

json opt_num(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json finding_json(const FindingRecord& f) {
  return {{"id", f.id},
          {"client_id", f.client_id},
          {"kind", f.kind},
          {"subject_kind", f.subject_kind},
          {"subject_ref", f.subject_ref},
          {"severity", f.severity},
          {"detail", f.detail},
          {"measured_area_m2", opt_num(f.measured_area_m2)},
          {"recorded_at", f.recorded_at},
          {"status", f.status}};
}

json photo_json(const PhotoRecord& p) {
  return {{"client_id", p.client_id},
          {"taken_at", p.taken_at},
          {"lon", opt_num(p.lon)},
          {"lat", opt_num(p.lat)},
          {"mime", p.mime},
          {"url", "/api/field/photos/" + p.client_id}};
}

json summary_json(const InspectionRecord& r) {
  return {{"code", r.code},
          {"subject_kind", r.subject_kind},
          {"subject_ref", r.subject_ref},
          {"checklist_kind", r.checklist_kind},
          {"status", r.status},
          {"version", r.version},
          {"inspector", r.inspector},
          {"parcel", r.parcel.empty() ? json(nullptr) : json(r.parcel)},
          {"measured_area_m2", opt_num(r.measured_area_m2)},
          {"opened_at", r.opened_at},
          {"closed_at", r.closed_at},
          {"illustrative", r.illustrative},
          {"updated_at", r.updated_at}};
}

// The server's time with the device's, and the outcome, in the sync log and the audit trail.
void log_item(Connection& c, const Actor& a, const std::string& device_id, const std::optional<std::int64_t>& inspection_id,
              const std::optional<UnitId>& unit, const std::string& item_kind, const std::string& key,
              const std::string& device_time, const std::string& outcome, json detail) {
  SyncRecord s;
  s.device_id = device_id;
  s.user_login = a.name;
  s.inspection_id = inspection_id;
  s.item_kind = item_kind;
  s.client_id = item_kind == "inspection" ? "" : key;
  s.device_time = device_time;
  s.server_time = utc_now_iso();
  s.outcome = outcome;
  s.detail = detail.dump();
  InspectionRecords::insert_sync(c, s);
  json after = {{"device_id", device_id}, {"item_kind", item_kind}, {"device_time", device_time},
                {"server_time", s.server_time}, {"outcome", outcome}, {"detail", detail}};
  audit::record(c, a, "sync_" + outcome, item_kind == "inspection" ? "inspection" : "inspection_" + item_kind, key,
                unit, std::nullopt, after);
}

std::string error_text(const Error& e) {
  std::string s = e.message;
  if (!e.fields.empty()) s += ": " + e.fields.front().field + " " + e.fields.front().message;
  return s;
}

}  // namespace

json field_json(Connection& c, const InspectionRecord& r) {
  json findings = json::array();
  for (const auto& f : InspectionRecords::findings(c, r.id)) findings.push_back(finding_json(f));
  json photos = json::array();
  for (const auto& p : InspectionRecords::photos(c, r.id)) photos.push_back(photo_json(p));
  json answers = parsed_or_null(r.answers);
  if (!answers.is_object()) answers = json::object();
  return {{"code", r.code},
          {"subject_kind", r.subject_kind},
          {"subject_ref", r.subject_ref},
          {"checklist_kind", r.checklist_kind},
          {"status", r.status},
          {"version", r.version},
          {"answers", answers},
          {"notes", r.notes},
          {"parcel", r.parcel.empty() ? json(nullptr) : json(r.parcel)},
          {"measured_geojson", parsed_or_null(r.measured_geojson)},
          {"measured_area_m2", opt_num(r.measured_area_m2)},
          {"measure_method", r.measure_method},
          {"opened_at", r.opened_at},
          {"closed_at", r.closed_at},
          {"findings", findings},
          {"photos", photos}};
}

InspectionService::InspectionService(storage::Database& db, admin::AdminService& admin, Checklists checklists,
                                     InspectionSettings settings, DecisionTargets targets)
    : db_(db), admin_(admin), checklists_(std::move(checklists)), settings_(settings), targets_(targets) {}

// ---- officers ------------------------------------------------------------------------------

Result<json> InspectionService::list(const Actor& a, const std::optional<std::string>& status) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  AccessPolicy policy(admin_.graph());
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<json> {
    InspectionFilter f;
    f.status = status;
    if (a.role == Role::inspector) f.inspector_id = a.user ? a.user->value : -1;
    json items = json::array();
    for (const auto& r : InspectionRecords::list(c, f)) {
      if (!sees(a, filter, r)) continue;
      json j = summary_json(r);
      auto findings = InspectionRecords::findings(c, r.id);
      j["findings"] = static_cast<std::int64_t>(findings.size());
      j["open_findings"] = static_cast<std::int64_t>(
          std::count_if(findings.begin(), findings.end(), [](const FindingRecord& x) { return x.status == "open"; }));
      items.push_back(std::move(j));
    }
    return json{{"items", items}};
  });
}

Result<json> InspectionService::get(const Actor& a, const std::string& code) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_read); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<json> {
    auto r = InspectionRecords::find(c, code);
    if (!r || !sees(a, filter, *r)) return no_inspection();
    json j = field_json(c, *r);
    j["inspector"] = r->inspector;
    j["illustrative"] = r->illustrative;
    j["created_at"] = r->created_at;
    j["updated_at"] = r->updated_at;
    j["updated_by"] = r->updated_by;
    j["commune"] = r->unit ? json(r->unit->value) : json(nullptr);
    j["checklist"] = json::array();
    if (auto list = checklists_json(checklists_); list.contains(r->checklist_kind)) j["checklist"] = list[r->checklist_kind];
    // The registered boundary beside the measured one, when the parcel is in scope.
    j["registered_geojson"] = nullptr;
    j["registered_area_m2"] = nullptr;
    if (r->parcel_id) {
      auto scope = registry::RecordScope::of(a, g, c);
      if (auto p = scope.parcel(c, registry::ParcelId(*r->parcel_id), true); p && p->geom) {
        j["registered_geojson"] = registry::RegistryJson::geojson(*p->geom);
        j["registered_area_m2"] = opt_num(p->area_m2);
      }
    }
    for (auto& f : j["findings"]) {
      json decisions = json::array();
      for (const auto& d : InspectionRecords::decisions(c, f["id"].get<std::int64_t>()))
        decisions.push_back({{"id", d.id}, {"action", d.action}, {"target_ref", d.target_ref},
                             {"amount", opt_num(d.amount)}, {"stars", d.stars ? json(*d.stars) : json(nullptr)},
                             {"decision_no", d.decision_no}, {"reason", d.reason}, {"result_ref", d.result_ref},
                             {"decided_by", d.decided_by}, {"decided_at", d.decided_at}});
      f["decisions"] = decisions;
    }
    json log = json::array();
    for (const auto& s : InspectionRecords::sync_log(c, r->id))
      log.push_back({{"device_id", s.device_id}, {"user", s.user_login}, {"item_kind", s.item_kind},
                     {"client_id", s.client_id}, {"device_time", s.device_time}, {"server_time", s.server_time},
                     {"outcome", s.outcome}, {"detail", parsed_or_null(s.detail)}});
    j["sync_log"] = log;
    return j;
  });
}

Result<json> InspectionService::create(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_manage); !s) return s.error();
  auto g = admin_.graph();
  std::vector<FieldError> errors;
  InspectionRecord r;
  r.subject_kind = item_text(body, "subject_kind");
  r.subject_ref = item_text(body, "subject_ref");
  r.checklist_kind = item_text(body, "checklist_kind");
  r.notes = item_text(body, "notes");
  if (auto ill = body.find("illustrative"); ill != body.end()) r.illustrative = ill->is_boolean() && ill->get<bool>();
  const std::string inspector = item_text(body, "inspector");
  const std::string parcel = item_text(body, "parcel");
  if (std::find(kSubjectKinds.begin(), kSubjectKinds.end(), r.subject_kind) == kSubjectKinds.end())
    errors.push_back({"subject_kind", "must be applicant, parcel, area_code, ocop_product or facility"});
  if (r.subject_ref.empty() || r.subject_ref.size() > 100) errors.push_back({"subject_ref", "is required"});
  if (!checklists_.count(r.checklist_kind))
    errors.push_back({"checklist_kind", "must be support_claim, area_code, ocop_product, pesticide or registry"});
  if (!errors.empty()) return Error::invalid("invalid inspection", std::move(errors));
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, g, c);
    std::vector<FieldError> errs;
    // The subject must exist in the actor's scope; its commune is the inspection's.
    std::optional<UnitId> unit;
    bool found = true;
    if (r.subject_kind == "applicant") {
      auto p = registry::RegistryRepository::find_producer_by_external_id(c, r.subject_ref);
      found = p && scope.sees(*p);
      if (found) unit = p->unit;
    } else if (r.subject_kind == "parcel") {
      auto p = registry::RegistryRepository::find_parcel_by_external_id(c, r.subject_ref, false);
      found = p && scope.includes_unit(p->unit);
      if (found) {
        unit = p->unit;
        r.parcel_id = p->id.value;
      }
    } else if (r.subject_kind == "area_code") {
      auto code = areacodes::AreaCodeRepository::find_by_code(c, r.subject_ref);
      const std::optional<UnitId> code_unit = code && code->unit ? std::optional(UnitId(*code->unit)) : std::nullopt;
      found = code && scope.includes_unit(code_unit);
      if (found) unit = code_unit;
    } else if (r.subject_kind == "ocop_product") {
      auto p = ocop::OcopRepository::product(c, r.subject_ref);
      found = p && scope.includes_unit(p->unit);
      if (found) unit = p->unit;
    }
    if (!found) errs.push_back({"subject_ref", "no such " + r.subject_kind + " in your scope"});
    if (!parcel.empty()) {
      auto p = registry::RegistryRepository::find_parcel_by_external_id(c, parcel, false);
      if (!p || !scope.includes_unit(p->unit)) errs.push_back({"parcel", "no such parcel in your scope"});
      else {
        r.parcel_id = p->id.value;
        if (!unit) unit = p->unit;
      }
    }
    if (!inspector.empty()) {
      auto u = identity::UserRepository::find_by_username(c, inspector);
      if (!u || u->role == Role::producer) errs.push_back({"inspector", "no such inspector"});
      else r.inspector_id = u->id.value;
    }
    if (!errs.empty()) return Error::invalid("invalid inspection", std::move(errs));
    r.unit = unit;
    // An officer of a commune creates inspections of that commune only.
    AccessPolicy policy(g);
    if (auto filter = policy.unit_filter(a); filter && (!unit || !filter->count(*unit)))
      return Error::invalid("invalid inspection", {{"subject_ref", "no such " + r.subject_kind + " in your scope"}});
    r.code = InspectionRecords::next_code(c, CivilDate::today().year());
    r.created_at = r.updated_at = utc_now_iso();
    r.updated_by = a.name;
    r.id = InspectionRecords::insert(c, r);
    auto stored = InspectionRecords::find(c, r.id);
    json out = field_json(c, *stored);
    out["inspector"] = stored->inspector;
    audit::record(c, a, "create", "inspection", r.code, unit, std::nullopt, out);
    return out;
  });
}

// ---- the device sync -----------------------------------------------------------------------

namespace {

// Applies the present fields to `r` (checked against the checklist, the parcel in
// scope, the boundary recomputed); the note on the measured area, or the error.
Result<json> apply_fields(Connection& c, const registry::RecordScope& scope, const Checklists& checklists,
                          double mismatch_pct, InspectionRecord& r, const InspectionFields& f) {
  json note = json::object();
  if (f.status) r.status = *f.status;
  if (f.answers) {
    if (auto s = check_answers(checklists, r.checklist_kind, *f.answers, "fields.answers"); !s) return s.error();
    r.answers = f.answers->dump();
  }
  if (f.notes) r.notes = *f.notes;
  if (f.parcel) {
    if (f.parcel->empty()) r.parcel_id.reset();
    else {
      auto p = registry::RegistryRepository::find_parcel_by_external_id(c, *f.parcel, false);
      if (!p || !scope.includes_unit(p->unit))
        return Error::invalid("invalid inspection item", {{"fields.parcel", "no such parcel in your scope"}});
      r.parcel_id = p->id.value;
    }
  }
  if (f.measure_method) r.measure_method = *f.measure_method;
  if (f.opened_at) r.opened_at = *f.opened_at;
  if (f.closed_at) r.closed_at = *f.closed_at;
  const std::optional<double> device_area = f.measured_area_m2 ? *f.measured_area_m2 : std::nullopt;
  if (f.measured_geojson) {
    if (f.measured_geojson->empty()) {
      r.measured_geojson.clear();
      r.measured_area_m2 = device_area;
    } else {
      auto g = geo::from_geojson(*f.measured_geojson);
      if (!g) return Error::invalid("invalid inspection item", {{"fields.measured_geojson", g.error().message}});
      auto mp = geo::as_multipolygon(*g);
      if (!mp) return Error::invalid("invalid inspection item", {{"fields.measured_geojson", "must be a polygon"}});
      std::string why;
      if (!geo::is_valid(*mp, &why)) return Error::invalid("invalid inspection item", {{"fields.measured_geojson", why}});
      // The server's figure, in VN-2000 like the registry's (docs/rules.md §17).
      auto area = geo::area_m2(*mp);
      if (!area) return Error::invalid("invalid inspection item", {{"fields.measured_geojson", area.error().message}});
      const double server = std::round(*area * 100) / 100;
      r.measured_geojson = *f.measured_geojson;
      r.measured_area_m2 = server;
      note["server_area_m2"] = server;
      if (device_area) {
        note["device_area_m2"] = *device_area;
        const double diff_pct = server > 0 ? std::abs(*device_area - server) / server * 100 : 100;
        note["area_mismatch"] = diff_pct > mismatch_pct;
        note["difference_pct"] = std::round(diff_pct * 100) / 100;
      }
    }
  } else if (f.measured_area_m2) {
    // A figure without a boundary cannot be checked: kept, and said so.
    r.measured_area_m2 = device_area;
    if (device_area) note["device_area_m2"] = *device_area;
    note["area_unchecked"] = true;
  }
  return note;
}

}  // namespace

Result<json> InspectionService::assignments(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_record); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = registry::RecordScope::of(a, g, c);
    InspectionFilter f;
    if (a.role == Role::inspector) f.inspector_id = a.user ? a.user->value : -1;
    json inspections = json::array();
    std::vector<storage::Geometry> subjects;
    std::set<std::int64_t> subject_ids;
    auto add_subject = [&](const std::optional<registry::Parcel>& p) {
      if (p && p->geom && scope.includes_unit(p->unit) && subject_ids.insert(p->id.value).second) subjects.push_back(*p->geom);
    };
    for (const auto& r : InspectionRecords::list(c, f)) {
      if (!sees(a, filter, r)) continue;
      inspections.push_back(field_json(c, r));
      if (r.parcel_id) add_subject(registry::RegistryRepository::find_parcel(c, registry::ParcelId(*r.parcel_id), true));
      if (r.subject_kind == "parcel")
        add_subject(registry::RegistryRepository::find_parcel_by_external_id(c, r.subject_ref, true));
      if (r.subject_kind == "applicant")
        if (auto p = registry::RegistryRepository::find_producer_by_external_id(c, r.subject_ref))
          for (const auto& right : registry::RegistryRepository::rights_of_producer(c, p->id))
            if (!right.valid_to) add_subject(registry::RegistryRepository::find_parcel(c, right.parcel, true));
    }
    // The subjects' parcels and their neighbours within 500 m, from the registry: a
    // parcel is near when it shares some area with a subject's 500 m buffer (touching
    // its edge only is not near). The registry is read around each subject, not over
    // the box of all of them (they can lie across the province), and the buffers are
    // tested as one prepared area rather than by an overlay per parcel and buffer.
    json parcels = json::array();
    json zones = json::array();
    const double dlat = 500.0 / 111320.0;
    std::optional<geo::Bounds> box;
    std::vector<geo::Bounds> around;
    std::vector<storage::Geometry> buffers;
    for (const auto& s : subjects) {
      if (auto b = geo::bounds(s)) {
        const double dlon = dlat / std::max(0.1, std::cos(b->min_y * M_PI / 180.0));
        around.push_back(geo::Bounds{b->min_x - dlon, b->min_y - dlat, b->max_x + dlon, b->max_y + dlat});
        if (!box) box = around.back();
        box->min_x = std::min(box->min_x, around.back().min_x);
        box->min_y = std::min(box->min_y, around.back().min_y);
        box->max_x = std::max(box->max_x, around.back().max_x);
        box->max_y = std::max(box->max_y, around.back().max_y);
      }
      if (auto buf = geo::buffer_m(s, 500)) buffers.push_back(*buf);
    }
    if (box) {
      // One prepared area for all the buffers; should their union fail (GEOS topology),
      // one per buffer, so that a bad shape never costs the inspector the whole map.
      std::vector<geo::InteriorTest> near_areas;
      if (auto all = geo::InteriorTest::of(buffers))
        near_areas.push_back(std::move(*all));
      else
        for (const auto& b : buffers)
          if (auto one = geo::InteriorTest::of({b})) near_areas.push_back(std::move(*one));
      std::map<std::int64_t, registry::Parcel> candidates;  // by id, once each: subjects can be close together
      for (const auto& b : around) {
        registry::ParcelQuery q;
        q.units = scope.units();
        q.include_unassigned = scope.province_wide();
        q.bbox = registry::BBox{b.min_x, b.min_y, b.max_x, b.max_y};
        q.with_geometry = true;
        q.page_size = 0;
        for (auto& p : registry::RegistryRepository::list_parcels(c, q, nullptr))
          if (p.geom) candidates.emplace(p.id.value, std::move(p));
      }
      const CivilDate today = CivilDate::today();
      for (const auto& [id, p] : candidates) {
        bool near = subject_ids.count(id) > 0;
        for (std::size_t i = 0; !near && i < near_areas.size(); ++i) {
          auto shares = near_areas[i].shares_interior(*p.geom);
          near = shares && *shares;
        }
        if (!near) continue;
        auto facts = registry::parcel_facts(c, p, today);
        std::string crops;
        for (const auto& crop : facts.crops) crops += (crops.empty() ? "" : ", ") + crop;
        json props = {{"external_id", p.external_id},
                      {"area_m2", opt_num(p.area_m2)},
                      {"crop", crops},
                      {"subject", subject_ids.count(id) > 0}};
        // Names of organisations only: a household's name is personal data.
        props["producer_name"] = facts.controller && facts.controller->kind != registry::ProducerKind::household
                                     ? json(facts.controller->name)
                                     : json(nullptr);
        if (auto feat = registry::RegistryJson::feature(id, *p.geom, props)) parcels.push_back(*feat);
      }
      for (const auto& z : registry::RegistryRepository::list_zones(c, scope.units(), "", true)) {
        if (!z.geom) continue;
        auto b = geo::bounds(*z.geom);
        if (!b || b->max_x < box->min_x || b->min_x > box->max_x || b->max_y < box->min_y || b->min_y > box->max_y)
          continue;
        if (auto feat = registry::RegistryJson::feature(z.id.value, *z.geom,
                                                        {{"code", z.code}, {"name", z.name}, {"commodity", z.commodity}}))
          zones.push_back(*feat);
      }
    }
    json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
    json map = {{"parcels", fc}, {"zones", fc}, {"communes", fc}};
    map["parcels"]["features"] = parcels;
    map["zones"]["features"] = zones;
    std::string login = a.name;
    if (auto colon = login.find(':'); colon != std::string::npos) login = login.substr(colon + 1);
    return json{{"inspector", login},
                {"server_time", utc_now_iso()},
                {"inspections", inspections},
                {"checklists", checklists_json(checklists_)},
                {"map", map}};
  });
}

json InspectionService::apply_item(const Actor& a, const std::string& device_id, const json& item, std::size_t index) {
  (void)index;
  const std::string kind = item.is_object() ? item_text(item, "kind") : "";
  const bool is_inspection = kind == "inspection";
  const std::string key = is_inspection ? item_text(item, "code") : item_text(item, "client_id");
  const std::string code = is_inspection ? key : item_text(item, "inspection");
  const std::string device_time = item.is_object() ? item_text(item, "device_time") : "";
  json out = {{"kind", kind}};
  out[is_inspection ? "code" : "client_id"] = key;
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto filter = policy.unit_filter(a);

  // A refused item: logged with its message, nothing else written.
  auto refuse = [&](const Error& e) {
    db_.write([&](Connection& c) {
      std::optional<std::int64_t> id;
      std::optional<UnitId> unit;
      if (auto r = InspectionRecords::find(c, code); r && sees(a, filter, *r)) {
        id = r->id;
        unit = r->unit;
      }
      log_item(c, a, device_id, id, unit, kind.empty() ? "unknown" : kind.substr(0, 32), key.substr(0, 100),
               device_time.substr(0, 40), "error", {{"error", error_text(e)}});
    });
    out["outcome"] = "error";
    out["error"] = error_text(e);
    out["field"] = e.fields.empty() ? json(nullptr) : json(e.fields.front().field);
    return out;
  };

  if (!item.is_object()) return refuse(Error::invalid("invalid sync item", {{"items", "each item must be an object"}}));
  if (kind != "inspection" && kind != "finding" && kind != "photo")
    return refuse(Error::invalid("invalid sync item", {{"kind", "must be inspection, finding or photo"}}));
  if (!is_iso_time(device_time))
    return refuse(Error::invalid("invalid sync item", {{"device_time", "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"}}));
  if (key.empty() || key.size() > 100)
    return refuse(Error::invalid("invalid sync item", {{is_inspection ? "code" : "client_id", "is required"}}));

  Result<json> done = json();
  if (is_inspection) {
    auto base = item.find("base_version");
    if (base == item.end() || !base->is_number_integer())
      return refuse(Error::invalid("invalid sync item", {{"base_version", "must be the version the device started from"}}));
    auto fields = parse_inspection_fields(item.contains("fields") ? item["fields"] : json::object(), "fields");
    if (!fields) return refuse(fields.error());
    const std::int64_t base_version = base->get<std::int64_t>();
    done = db_.write([&](Connection& c) -> Result<json> {
      auto r = InspectionRecords::find(c, code);
      if (!r || !sees(a, filter, *r))
        return Error::invalid("invalid sync item", {{"code", "no such inspection in your scope"}});
      json res = out;
      if (base_version != r->version) {
        // Changed on the server since the device read it: nothing changes; the device
        // shows both side by side and resolves.
        log_item(c, a, device_id, r->id, r->unit, "inspection", code, device_time, "conflict",
                 {{"base_version", base_version}, {"server_version", r->version}, {"fields", item["fields"]}});
        res["outcome"] = "conflict";
        res["version"] = r->version;
        res["server"] = field_json(c, *r);
        return res;
      }
      auto scope = registry::RecordScope::of(a, g, c);
      const json before = field_json(c, *r);
      auto note = apply_fields(c, scope, checklists_, settings_.area_mismatch_pct, *r, *fields);
      if (!note) return note.error();
      r->version += 1;
      r->updated_at = utc_now_iso();
      r->updated_by = a.name;
      InspectionRecords::update(c, *r);
      json detail = *note;
      detail["base_version"] = base_version;
      detail["version"] = r->version;
      log_item(c, a, device_id, r->id, r->unit, "inspection", code, device_time, "applied", detail);
      audit::record(c, a, "update", "inspection", code, r->unit, before, field_json(c, *r));
      res["outcome"] = "applied";
      res["version"] = r->version;
      if (note->contains("area_mismatch")) res["area_mismatch"] = (*note)["area_mismatch"];
      if (r->measured_area_m2) res["measured_area_m2"] = *r->measured_area_m2;
      return res;
    });
  } else {
    // Findings and photos are keyed by the device's client_id: stored once.
    Result<FindingRecord> finding = FindingRecord{};
    Result<PhotoRecord> photo = PhotoRecord{};
    bool duplicate_known = db_.read([&](Connection& c) {
      return kind == "finding" ? InspectionRecords::finding_by_client_id(c, key).has_value()
                               : InspectionRecords::photo_by_client_id(c, key, false).has_value();
    });
    if (!duplicate_known) {
      if (kind == "finding") {
        finding = parse_finding_fields(item.contains("fields") ? item["fields"] : json::object(), "fields");
        if (!finding) return refuse(finding.error());
      } else {
        photo = parse_photo_item(item);
        if (!photo) return refuse(photo.error());
      }
    }
    done = db_.write([&](Connection& c) -> Result<json> {
      auto r = InspectionRecords::find(c, code);
      if (!r || !sees(a, filter, *r))
        return Error::invalid("invalid sync item", {{"inspection", "no such inspection in your scope"}});
      json res = out;
      std::optional<std::int64_t> existing_inspection;
      if (kind == "finding") {
        if (auto f = InspectionRecords::finding_by_client_id(c, key)) existing_inspection = f->inspection_id;
      } else if (auto p = InspectionRecords::photo_by_client_id(c, key, false)) {
        existing_inspection = p->inspection_id;
      }
      if (existing_inspection) {
        if (*existing_inspection != r->id)
          return Error::invalid("invalid sync item", {{"client_id", "is already used by another inspection"}});
        log_item(c, a, device_id, r->id, r->unit, kind, key, device_time, "duplicate", json::object());
        res["outcome"] = "duplicate";
        return res;
      }
      if (duplicate_known) return Error::conflict("the item changed while it was synced; send it again");
      const std::string now = utc_now_iso();
      json detail;
      if (kind == "finding") {
        FindingRecord f = *finding;
        f.inspection_id = r->id;
        f.client_id = key;
        f.created_at = now;
        f.id = InspectionRecords::insert_finding(c, f);
        detail = finding_json(f);
      } else {
        PhotoRecord p = *photo;
        p.inspection_id = r->id;
        p.created_at = now;
        p.id = InspectionRecords::insert_photo(c, p);
        detail = photo_json(p);
        detail["sha256"] = p.sha256;
        detail["bytes"] = static_cast<std::int64_t>(p.data.size());
        detail["accuracy_m"] = opt_num(p.accuracy_m);
      }
      log_item(c, a, device_id, r->id, r->unit, kind, key, device_time, "applied", detail);
      res["outcome"] = "applied";
      return res;
    });
  }
  if (!done) return refuse(done.error());
  return *done;
}

Result<json> InspectionService::sync(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_record); !s) return s.error();
  const std::string device_id = item_text(body, "device_id");
  if (device_id.empty() || device_id.size() > 100)
    return Error::invalid("invalid sync", {{"device_id", "is required (at most 100 characters)"}});
  if (!body.contains("items") || !body["items"].is_array())
    return Error::invalid("invalid sync", {{"items", "must be an array"}});
  if (body["items"].size() > 1000) return Error::invalid("invalid sync", {{"items", "at most 1000 items at a time"}});
  json items = json::array();
  // One transaction per item: a bad item never loses the good ones.
  std::size_t i = 0;
  for (const auto& item : body["items"]) items.push_back(apply_item(a, device_id, item, i++));
  return json{{"server_time", utc_now_iso()}, {"items", items}};
}

Result<json> InspectionService::resolve(const Actor& a, const std::string& code, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::inspection_record); !s) return s.error();
  auto g = admin_.graph();
  AccessPolicy policy(g);
  auto filter = policy.unit_filter(a);
  auto base = body.find("base_version");
  if (base == body.end() || !base->is_number_integer())
    return Error::invalid("invalid resolution", {{"base_version", "must be the server version shown in the conflict"}});
  const std::string device_time = item_text(body, "device_time");
  if (!is_iso_time(device_time))
    return Error::invalid("invalid resolution", {{"device_time", "must be an ISO 8601 time such as 2026-03-01T08:15:00Z"}});
  auto fields = parse_inspection_fields(body.contains("fields") ? body["fields"] : json::object(), "fields");
  if (!fields) return fields.error();
  const std::int64_t base_version = base->get<std::int64_t>();
  return db_.write([&](Connection& c) -> Result<json> {
    auto r = InspectionRecords::find(c, code);
    if (!r || !sees(a, filter, *r)) return no_inspection();
    if (base_version != r->version)
      return Error::conflict("the inspection changed again on the server (version " + std::to_string(r->version) +
                             "): resolve against the current version");
    auto scope = registry::RecordScope::of(a, g, c);
    const json before = field_json(c, *r);
    auto note = apply_fields(c, scope, checklists_, settings_.area_mismatch_pct, *r, *fields);
    if (!note) return note.error();
    r->version += 1;
    r->updated_at = utc_now_iso();
    r->updated_by = a.name;
    InspectionRecords::update(c, *r);
    json detail = *note;
    detail["base_version"] = base_version;
    detail["version"] = r->version;
    log_item(c, a, item_text(body, "device_id").substr(0, 100), r->id, r->unit, "inspection", code, device_time,
             "resolved", detail);
    json after = field_json(c, *r);
    audit::record(c, a, "update", "inspection", code, r->unit, before, after);
    return after;
  });
}

Result<PhotoRecord> InspectionService::photo(const Actor& a, const std::string& client_id) {
  if (!AccessPolicy::allows(a, Permission::inspection_read) && !AccessPolicy::allows(a, Permission::inspection_record))
    return AccessPolicy::require(a, Permission::inspection_read).error();
  AccessPolicy policy(admin_.graph());
  auto filter = policy.unit_filter(a);
  return db_.read([&](Connection& c) -> Result<PhotoRecord> {
    auto p = InspectionRecords::photo_by_client_id(c, client_id, true);
    if (!p) return Error::not_found("no such photo");
    auto r = InspectionRecords::find(c, p->inspection_id);
    if (!r || !sees(a, filter, *r)) return Error::not_found("no such photo");
    return *p;
  });
}

}  // namespace nongsan::inspection
