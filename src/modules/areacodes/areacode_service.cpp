#include "modules/areacodes/areacode_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/text.hpp"
#include "geo/geometry_ops.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/areacodes/code_format.hpp"
#include "modules/areacodes/code_lifecycle.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/registry/registry_scope.hpp"

namespace nongsan::areacodes {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using registry::RecordScope;
using storage::Connection;

namespace {

constexpr std::size_t kMaxText = 200;

Error no_code(std::int64_t id) { return registry::no_record("area code", id); }

bool sees(const RecordScope& scope, const AreaCode& a) {
  if (scope.producers()) return scope.producers()->count(a.holder_id) > 0;
  return scope.includes_unit(a.unit ? std::optional<UnitId>(UnitId(*a.unit)) : std::nullopt);
}

std::optional<CivilDate> plausible_date(const std::string& text) {
  auto d = CivilDate::parse(trim(text));
  if (!d || d->year() < 1945 || d->year() > 2100) return std::nullopt;
  return d;
}

json unit_json(const admin::UnitGraph& g, const std::optional<std::int64_t>& unit) {
  if (!unit) return nullptr;
  const auto* u = g.find(UnitId(*unit));
  if (!u) return nullptr;
  return {{"id", u->id.value}, {"code", u->code}, {"name", u->name}};
}

json code_json(const admin::UnitGraph& g, const CropTable& crops, const AreaCode& a) {
  const CropInfo* crop = crops.find(a.crop);
  return {{"id", a.id},
          {"code", a.code ? json(*a.code) : json(nullptr)},
          {"kind", to_string(a.kind)},
          {"scheme", to_string(a.scheme)},
          {"holder", {{"id", a.holder_id}, {"external_id", a.holder}, {"name", a.holder_name}, {"kind", a.holder_kind}}},
          {"unit", unit_json(g, a.unit)},
          {"crop", a.crop},
          {"crop_name_vi", crop ? crop->name_vi : a.crop},
          {"standard", a.standard},
          {"facility", a.facility},
          {"address", a.address},
          {"lon", a.lon ? json(*a.lon) : json(nullptr)},
          {"lat", a.lat ? json(*a.lat) : json(nullptr)},
          {"capacity_t_per_day", a.capacity_t_per_day ? json(*a.capacity_t_per_day) : json(nullptr)},
          {"status", to_string(a.status)},
          {"applied", a.applied.iso()},
          {"issued", a.issued ? json(a.issued->iso()) : json(nullptr)},
          {"pending_review", a.pending_review},
          {"source", a.source},
          {"parcels", a.parcels}};
}

json season_json(const Season& s) {
  return {{"season", s.season},
          {"crop", s.crop},
          {"variety", s.variety},
          {"standard", s.standard},
          {"area_ha", s.area_ha},
          {"expected_kg", s.expected_kg},
          {"harvest_from", s.harvest_from.iso()},
          {"harvest_to", s.harvest_to.iso()},
          {"actual_kg", s.actual_kg ? json(*s.actual_kg) : json(nullptr)}};
}

json step_json(const CodeStep& s) {
  return {{"action", s.action},
          {"from_status", s.from_status},
          {"to_status", s.to_status},
          {"reason", s.reason},
          {"decision_no", s.decision_no},
          {"decision_date", s.decision_date ? json(s.decision_date->iso()) : json(nullptr)},
          {"by_system", s.by_system},
          {"actor", s.actor},
          {"at", s.at}};
}

CodeFacts facts_of(Connection& c, const AreaCode& a, const CivilDate& today) {
  CodeFacts f;
  f.id = a.id;
  f.code = a.code.value_or("");
  f.kind = a.kind;
  f.status = a.status;
  f.crop = a.crop;
  f.parcel_ids = a.parcel_ids;
  f.parcels = a.parcels;
  f.registry_area_ha = AreaCodeRepository::registry_area_ha(c, a.id, today);
  f.seasons = AreaCodeRepository::seasons(c, a.id);
  return f;
}

// The commune of a code: that of its first parcel with one, else the holder's.
std::optional<std::int64_t> unit_of(const std::vector<ParcelRef>& parcels, const HolderRef& holder) {
  for (const auto& p : parcels)
    if (p.unit) return p.unit;
  return holder.unit;
}

std::string text_field(const json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? trim(body[key].get<std::string>()) : std::string();
}

// "line N, column NAME" for problems of an import.
struct ImportProblems {
  std::vector<FieldError> list;
  void add(const geo::Feature& f, const std::string& column, std::string message) {
    list.push_back({"line " + std::to_string(f.number + 1) + ", column " + column, std::move(message)});
  }
};

std::string cell(const geo::Feature& f, const std::map<std::string, std::string>& cols, const std::string& name) {
  auto a = cols.find(name);
  if (a == cols.end()) return "";
  auto it = f.attributes.find(a->second);
  return it == f.attributes.end() ? std::string() : trim((*it).second);
}

// The file's columns by lower-case name; unknown and missing columns are errors naming them.
Result<std::map<std::string, std::string>> columns_of(const geo::FeatureSet& fs, const std::vector<std::string>& required,
                                                      const std::vector<std::string>& optional_columns) {
  std::map<std::string, std::string> cols;
  std::vector<FieldError> errors;
  for (const auto& h : fs.field_names) {
    std::string low = h;
    for (auto& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool known = std::count(required.begin(), required.end(), low) + std::count(optional_columns.begin(), optional_columns.end(), low) > 0;
    if (!known) errors.push_back({"line 1, column " + h, "is not a column of this import"});
    else if (cols.count(low)) errors.push_back({"line 1, column " + h, "appears twice"});
    else cols[low] = h;
  }
  for (const auto& r : required)
    if (!cols.count(r)) errors.push_back({"line 1, column " + r, "is missing"});
  if (!errors.empty()) return Error::invalid("the file's columns are not those of the import; nothing was imported", errors);
  return cols;
}

std::optional<double> number_cell(const std::string& text, double max) {
  auto v = parse_number(text, false);
  if (!v || !std::isfinite(*v) || *v < 0 || *v > max) return std::nullopt;
  return v;
}

}  // namespace

AreaCodeService::AreaCodeService(storage::Database& db, admin::AdminService& admin, CropTable crops)
    : db_(db), admin_(admin), crops_(std::move(crops)) {}

json finding_json(const Finding& f) {
  return {{"finding", f.finding}, {"code", f.code}, {"season", f.season}, {"detail", f.detail}, {"serious", f.serious},
          {"entries", f.entries}};
}

Result<json> AreaCodeService::crops(const Actor& a) const {
  if (auto s = AccessPolicy::require(a, Permission::codes_read); !s) return s.error();
  json out = json::array();
  for (const auto& [code, c] : crops_.crops)
    out.push_back({{"code", code},
                   {"name_vi", c.name_vi},
                   {"perennial", c.perennial},
                   {"minimum_ha", minimum_ha(crops_, crops_.defaults, code)},
                   {"max_yield_kg_per_ha", c.max_yield_kg_per_ha ? json(*c.max_yield_kg_per_ha) : json(nullptr)},
                   {"yield_basis", c.yield_basis},
                   {"source", c.source},
                   {"illustrative", c.illustrative}});
  return json{{"crops", out}};
}

Result<json> AreaCodeService::list(const Actor& a, const CodeQuery& q) {
  if (auto s = AccessPolicy::require(a, Permission::codes_read); !s) return s.error();
  auto g = admin_.graph();
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = RecordScope::of(a, g, c);
    CodeFilter f;
    f.units = scope.units() ? std::optional(std::unordered_set<std::int64_t>()) : std::nullopt;
    if (scope.units())
      for (auto u : *scope.units()) f.units->insert(u.value);
    f.status = q.status;
    f.kind = q.kind;
    f.crop = q.crop;
    f.q = q.q;
    if (q.commune) {
      if (!scope.unit(UnitId(*q.commune))) return Error::invalid("invalid filter", {registry::no_such("commune", "commune")});
      f.unit = q.commune;
    }
    f.page = q.page;
    f.page_size = q.page_size;
    std::int64_t total = 0;
    json items = json::array();
    if (scope.producers()) {
      // A producer account: its own codes only (few; filtered after reading).
      f.page = 1;
      f.page_size = 100000;
      for (const auto& code : AreaCodeRepository::list(c, f, nullptr))
        if (sees(scope, code)) items.push_back(code_json(*g, crops_, code));
      total = static_cast<std::int64_t>(items.size());
      json page = json::array();
      for (std::int64_t i = (q.page - 1) * q.page_size; i < total && i < q.page * q.page_size; ++i) page.push_back(items[i]);
      items = page;
    } else {
      for (const auto& code : AreaCodeRepository::list(c, f, &total)) items.push_back(code_json(*g, crops_, code));
    }
    return json{{"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
  });
}

Result<std::vector<CodeRule>> AreaCodeService::rules_for(const Actor& a, std::optional<std::int64_t> code_id) {
  auto rules = standard_rules();
  if (!source_) return rules;
  auto texts = db_.read([&](Connection& c) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    if (code_id) {
      if (auto code = AreaCodeRepository::find(c, *code_id); code && code->code) out.push_back(*code->code);
    } else {
      for (const auto& code : AreaCodeRepository::live(c))
        if (code.code) out.push_back(*code.code);
    }
    return out;
  });
  if (!texts) return texts.error();
  auto more = source_(a, *texts);
  if (!more) return more.error();
  rules.insert(rules.end(), more->begin(), more->end());
  return rules;
}

Result<json> AreaCodeService::get(const Actor& a, std::int64_t id) {
  if (auto s = AccessPolicy::require(a, Permission::codes_read); !s) return s.error();
  auto rules = rules_for(a, id);
  if (!rules) return rules.error();
  auto g = admin_.graph();
  return db_.read([&](Connection& c) -> Result<json> {
    auto scope = RecordScope::of(a, g, c);
    auto code = AreaCodeRepository::find(c, id);
    if (!code || !sees(scope, *code)) return no_code(id);
    const auto today = CivilDate::today();
    json j = code_json(*g, crops_, *code);
    auto facts = facts_of(c, *code, today);
    auto settings = AreaCodeRepository::settings(c, crops_.defaults);
    j["registry_area_ha"] = facts.registry_area_ha;
    j["minimum_ha"] = code->kind == CodeKind::area ? json(minimum_ha(crops_, settings, code->crop)) : json(nullptr);
    j["seasons"] = json::array();
    for (const auto& s : facts.seasons) j["seasons"].push_back(season_json(s));
    j["steps"] = json::array();
    for (const auto& s : AreaCodeRepository::steps(c, id)) j["steps"].push_back(step_json(s));
    j["findings"] = json::array();
    HealthContext ctx{crops_, settings};
    for (const auto& f : check_codes({facts}, ctx, *rules)) j["findings"].push_back(finding_json(f));
    j["actions"] = json::array();
    for (auto act : actions_from(code->status, code->pending_review)) j["actions"].push_back(to_string(act));
    json features = json::array();
    for (const auto& p : AreaCodeRepository::parcel_shapes(c, id)) {
      json geom = nullptr;
      if (p.geometry)
        if (auto gj = geo::to_geojson(*p.geometry)) geom = json::parse(*gj);
      features.push_back({{"type", "Feature"},
                          {"geometry", geom},
                          {"properties", {{"parcel", p.external_id}, {"area_ha", p.area_m2 / 10000.0}}}});
    }
    j["parcel_map"] = {{"type", "FeatureCollection"}, {"features", features}};
    return j;
  });
}

Result<json> AreaCodeService::apply(const Actor& a, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::codes_apply); !s) return s.error();
  auto g = admin_.graph();
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = RecordScope::of(a, g, c);
    std::vector<FieldError> errors;
    AreaCode code;
    code.source = "ui";
    code.status = CodeStatus::applied;
    code.applied = CivilDate::today();
    auto kind = parse_code_kind(text_field(body, "kind"));
    if (!kind) errors.push_back({"kind", "must be area or packing_house"});
    else code.kind = *kind;
    std::optional<HolderRef> holder;
    if (!body.contains("holder") || !body["holder"].is_number_integer()) errors.push_back({"holder", "is required"});
    else if (auto p = scope.producer(c, ProducerId(body["holder"].get<std::int64_t>())))
      holder = AreaCodeRepository::holder(c, p->id.value);
    else errors.push_back(registry::no_such("holder", "producer"));
    if (holder && holder->kind != "household" && holder->kind != "cooperative" && holder->kind != "cooperative_group" &&
        holder->kind != "enterprise" && holder->kind != "farm")
      errors.push_back({"holder", "must be a household, cooperative or enterprise"});
    code.crop = text_field(body, "crop");
    code.standard = text_field(body, "standard");
    if (code.kind == CodeKind::area) {
      if (!crops_.find(code.crop)) errors.push_back({"crop", "is not a crop of the crop table"});
      if (code.standard.empty()) errors.push_back({"standard", "is required (VietGAP, organic, GlobalGAP …)"});
    } else if (!code.crop.empty() && !crops_.find(code.crop)) {
      errors.push_back({"crop", "is not a crop of the crop table"});
    }
    if (code.standard.size() > kMaxText) errors.push_back({"standard", "is too long"});
    std::vector<ParcelRef> parcels;
    if (body.contains("parcels") && body["parcels"].is_array()) {
      std::set<std::int64_t> seen;
      for (std::size_t i = 0; i < body["parcels"].size(); ++i) {
        const json& p = body["parcels"][i];
        const std::string field = "parcels[" + std::to_string(i) + "]";
        if (!p.is_number_integer()) {
          errors.push_back({field, "must be a parcel id"});
          continue;
        }
        auto parcel = scope.parcel(c, registry::ParcelId(p.get<std::int64_t>()));
        if (!parcel) {
          errors.push_back(registry::no_such(field, "parcel"));
          continue;
        }
        if (!seen.insert(parcel->id.value).second) {
          errors.push_back({field, "is named twice"});
          continue;
        }
        auto ref = AreaCodeRepository::parcel(c, parcel->external_id);
        if (ref && !ref->in_force) errors.push_back({field, "is retired (split or merged); name the parcels in force"});
        else if (ref) parcels.push_back(*ref);
      }
    }
    if (code.kind == CodeKind::area && parcels.empty() && errors.empty())
      errors.push_back({"parcels", "a growing area needs at least one registry parcel"});
    if (code.kind == CodeKind::packing_house) {
      code.facility = text_field(body, "facility");
      code.address = text_field(body, "address");
      if (code.facility.empty()) errors.push_back({"facility", "is required"});
      if (code.facility.size() > kMaxText) errors.push_back({"facility", "is too long"});
      if (code.address.size() > kMaxText) errors.push_back({"address", "is too long"});
      if (body.contains("capacity_t_per_day") && body["capacity_t_per_day"].is_number())
        code.capacity_t_per_day = body["capacity_t_per_day"].get<double>();
      if (body.contains("lon") && body["lon"].is_number()) code.lon = body["lon"].get<double>();
      if (body.contains("lat") && body["lat"].is_number()) code.lat = body["lat"].get<double>();
      if (code.lon.has_value() != code.lat.has_value()) errors.push_back({"lon", "lon and lat go together"});
    }
    if (!errors.empty()) return Error::invalid("the application was not saved", errors);
    double area_ha = 0;
    for (const auto& p : parcels) area_ha += p.area_m2 / 10000.0;
    if (code.kind == CodeKind::area) {
      auto settings = AreaCodeRepository::settings(c, crops_.defaults);
      const double min = minimum_ha(crops_, settings, code.crop);
      if (area_ha + 1e-9 < min) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%.2f", area_ha);
        char mbuf[32];
        std::snprintf(mbuf, sizeof mbuf, "%.2f", min);
        return Error::invalid("the application was not saved",
                              {{"parcels", "the parcels' registry area " + std::string(buf) +
                                               " ha is below the minimum of " + std::string(mbuf) + " ha for this crop"}});
      }
    }
    code.holder_id = holder->id;
    code.unit = unit_of(parcels, *holder);
    for (const auto& p : parcels) code.parcel_ids.push_back(p.id);
    code.id = AreaCodeRepository::insert(c, code);
    AreaCodeRepository::insert_step(c, code.id, {0, "apply", "", "applied", text_field(body, "note"), "", std::nullopt,
                                                 false, a.name, ""});
    auto stored = AreaCodeRepository::find(c, code.id);
    json after = code_json(*g, crops_, *stored);
    after["registry_area_ha"] = area_ha;
    audit::record(c, a, "create", "area_code", std::to_string(code.id),
                  code.unit ? std::optional<UnitId>(UnitId(*code.unit)) : std::nullopt, std::nullopt, after);
    return after;
  });
}

Result<json> AreaCodeService::act(const Actor& a, std::int64_t id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::codes_decide); !s) return s.error();
  auto rules = rules_for(a, id);
  if (!rules) return rules.error();
  auto g = admin_.graph();
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = RecordScope::of(a, g, c);
    auto code = AreaCodeRepository::find(c, id);
    if (!code || !sees(scope, *code)) return no_code(id);
    std::vector<FieldError> errors;
    auto action = parse_code_action(text_field(body, "action"));
    if (!action) return Error::invalid("invalid step", {{"action", "must be issue, refuse, suspend, confirm, reinstate or cancel"}});
    auto next = after(code->status, *action, code->pending_review);
    if (!next)
      return Error::conflict("a code that is " + std::string(to_string(code->status)) + " cannot take the step " +
                             std::string(to_string(*action)));
    CodeStep step;
    step.action = std::string(to_string(*action));
    step.from_status = std::string(to_string(code->status));
    step.to_status = std::string(to_string(*next));
    step.reason = text_field(body, "reason");
    step.decision_no = text_field(body, "decision_no");
    step.actor = a.name;
    if (step.reason.empty()) errors.push_back({"reason", "is required"});
    if (step.reason.size() > 1000) errors.push_back({"reason", "is too long"});
    if (step.decision_no.empty()) errors.push_back({"decision_no", "is required: the number of the decision"});
    if (step.decision_no.size() > 64) errors.push_back({"decision_no", "is too long"});
    step.decision_date = plausible_date(text_field(body, "decision_date"));
    if (!step.decision_date) errors.push_back({"decision_date", "must be a date between 1945 and 2100"});
    const json before = code_json(*g, crops_, *code);
    if (*action == CodeAction::issue && errors.empty()) {
      const std::string export_code = text_field(body, "export_code");
      if (!export_code.empty()) {
        if (!is_export_code(export_code, code->kind))
          errors.push_back({"export_code", code->kind == CodeKind::area ? "must look like VN-DTOR-0017"
                                                                          : "must look like VN-DTPH-0001"});
        else if (AreaCodeRepository::find_by_code(c, export_code))
          errors.push_back({"export_code", "is already recorded for another code"});
        code->code = export_code;
        code->scheme = CodeScheme::export_;
      } else {
        // The domestic code: the commune on the decision date and its district then
        // (000 for the communes without a district from 1 July 2025; the ADR).
        const admin::AdminUnit* commune = code->unit ? g->find(UnitId(*code->unit)) : nullptr;
        if (!commune || commune->level != admin::AdminLevel::commune) {
          errors.push_back({"export_code", "a domestic code needs the commune of the code's parcels; record the code "
                                           "issued nationally instead"});
        } else {
          DomesticParts parts;
          parts.commune = commune->code;
          parts.district = "000";
          parts.year = step.decision_date->year();
          const CivilDate on = commune->valid_on(*step.decision_date) ? *step.decision_date
                               : commune->valid_to                    ? *commune->valid_to
                                                                      : commune->valid_from;
          for (auto anc : g->ancestors_on(commune->id, on)) {
            const auto* u = g->find(anc);
            if (!u) continue;
            if (u->level == admin::AdminLevel::district) parts.district = u->code;
            if (u->level == admin::AdminLevel::province) parts.province = u->code;
          }
          auto prefix = domestic_code({parts.province, parts.district, parts.commune, 1, parts.year});
          if (!prefix) {
            errors.push_back({"export_code", "the commune's codes do not make a domestic code"});
          } else {
            std::string stem = prefix->substr(0, prefix->size() - 6);  // without NNN-YY
            parts.number = AreaCodeRepository::last_number(c, stem) + 1;
            code->code = domestic_code(parts);
            code->scheme = CodeScheme::domestic;
          }
        }
      }
      code->issued = step.decision_date;
    }
    if (!errors.empty()) return Error::invalid("the step was not taken", errors);
    if (*action == CodeAction::reinstate && code->pending_review) {
      // The officer decided on the findings that suspended it: the check does not
      // suspend the code again for them.
      auto settings = AreaCodeRepository::settings(c, crops_.defaults);
      HealthContext ctx{crops_, settings};
      auto facts = facts_of(c, *code, CivilDate::today());
      auto step_id = AreaCodeRepository::insert_step(c, id, step);
      for (const auto& f : check_codes({facts}, ctx, *rules))
        if (f.serious) AreaCodeRepository::mark_decided(c, id, f.finding, f.season, step_id);
    } else {
      AreaCodeRepository::insert_step(c, id, step);
    }
    code->status = *next;
    code->pending_review = false;
    AreaCodeRepository::update(c, *code);
    json out = code_json(*g, crops_, *code);
    audit::record(c, a, step.action, "area_code", std::to_string(id),
                  code->unit ? std::optional<UnitId>(UnitId(*code->unit)) : std::nullopt, before,
                  json{{"code", out}, {"step", step_json(step)}});
    return out;
  });
}

Result<json> AreaCodeService::declare_season(const Actor& a, std::int64_t id, const json& body) {
  if (auto s = AccessPolicy::require(a, Permission::codes_apply); !s) return s.error();
  auto g = admin_.graph();
  return db_.write([&](Connection& c) -> Result<json> {
    auto scope = RecordScope::of(a, g, c);
    auto code = AreaCodeRepository::find(c, id);
    if (!code || !sees(scope, *code)) return no_code(id);
    if (code->kind != CodeKind::area) return Error::invalid("invalid season", {{"season", "only growing areas declare seasons"}});
    if (code->status != CodeStatus::issued && code->status != CodeStatus::suspended)
      return Error::conflict("seasons are declared for issued codes only");
    std::vector<FieldError> errors;
    Season s;
    s.season = text_field(body, "season");
    if (s.season.empty() || s.season.size() > 32) errors.push_back({"season", "must be a name of 1 to 32 characters"});
    s.crop = text_field(body, "crop");
    if (s.crop.empty()) s.crop = code->crop;
    if (s.crop != code->crop) errors.push_back({"crop", "must be the code's crop (" + code->crop + ")"});
    s.variety = text_field(body, "variety");
    s.standard = text_field(body, "standard");
    if (s.standard.empty()) s.standard = code->standard;
    if (s.variety.size() > kMaxText) errors.push_back({"variety", "is too long"});
    if (s.standard.size() > kMaxText) errors.push_back({"standard", "is too long"});
    auto num = [&](const char* key, double max, bool required) -> std::optional<double> {
      if (!body.contains(key) || body[key].is_null()) {
        if (required) errors.push_back({key, "is required"});
        return std::nullopt;
      }
      if (!body[key].is_number() || body[key].get<double>() < 0 || body[key].get<double>() > max) {
        errors.push_back({key, "must be a number from 0 to " + std::to_string(static_cast<long long>(max))});
        return std::nullopt;
      }
      return body[key].get<double>();
    };
    s.area_ha = num("area_ha", 100000, true).value_or(0);
    s.expected_kg = num("expected_kg", 1e9, true).value_or(0);
    s.actual_kg = num("actual_kg", 1e9, false);
    auto from = plausible_date(text_field(body, "harvest_from"));
    auto to = plausible_date(text_field(body, "harvest_to"));
    if (!from) errors.push_back({"harvest_from", "must be a date between 1945 and 2100"});
    if (!to) errors.push_back({"harvest_to", "must be a date between 1945 and 2100"});
    if (from && to && *to < *from) errors.push_back({"harvest_to", "is before harvest_from"});
    if (!errors.empty()) return Error::invalid("the season was not saved", errors);
    s.harvest_from = *from;
    s.harvest_to = *to;
    auto before = AreaCodeRepository::season(c, id, s.season);
    AreaCodeRepository::save_season(c, id, s);
    audit::record(c, a, before ? "update" : "create", "area_code_season", std::to_string(id) + ":" + s.season,
                  code->unit ? std::optional<UnitId>(UnitId(*code->unit)) : std::nullopt,
                  before ? std::optional<json>(season_json(*before)) : std::nullopt, season_json(s));
    return season_json(s);
  });
}

Result<json> AreaCodeService::map(const Actor& a, const CodeQuery& q) {
  CodeQuery all = q;
  all.page = 1;
  all.page_size = 100000;
  auto page = list(a, all);
  if (!page) return page.error();
  std::map<std::int64_t, json> by_id;
  for (const auto& item : (*page)["items"]) by_id[item["id"].get<std::int64_t>()] = item;
  return db_.read([&](Connection& c) -> Result<json> {
    json features = json::array();
    for (const auto& [id, item] : by_id) {
      for (const auto& p : AreaCodeRepository::parcel_shapes(c, id)) {
        if (!p.geometry) continue;
        auto gj = geo::to_geojson(*p.geometry);
        if (!gj) continue;
        features.push_back({{"type", "Feature"},
                            {"geometry", json::parse(*gj)},
                            {"properties",
                             {{"id", id},
                              {"code", item["code"]},
                              {"status", item["status"]},
                              {"crop", item["crop"]},
                              {"parcel", p.external_id}}}});
      }
    }
    return json{{"type", "FeatureCollection"}, {"features", features}};
  });
}

Result<CheckResult> AreaCodeService::check(const Actor& a, bool suspend, const std::vector<CodeRule>& extra_rules) {
  if (auto s = AccessPolicy::require(a, suspend ? Permission::codes_manage : Permission::codes_read); !s) return s.error();
  auto all = rules_for(a, std::nullopt);
  if (!all) return all.error();
  auto g = admin_.graph();
  auto run = [&](Connection& c) -> Result<CheckResult> {
    auto scope = RecordScope::of(a, g, c);
    auto settings = AreaCodeRepository::settings(c, crops_.defaults);
    HealthContext ctx{crops_, settings};
    auto rules = *all;
    rules.insert(rules.end(), extra_rules.begin(), extra_rules.end());
    const auto today = CivilDate::today();
    std::vector<CodeFacts> facts;
    std::map<std::int64_t, AreaCode> codes;
    for (auto& code : AreaCodeRepository::live(c)) {
      if (!sees(scope, code)) continue;
      facts.push_back(facts_of(c, code, today));
      codes.emplace(code.id, std::move(code));
    }
    CheckResult result;
    result.findings = check_codes(facts, ctx, rules);
    if (!suspend) return result;
    std::map<std::int64_t, std::vector<const Finding*>> serious;
    for (const auto& f : result.findings)
      if (f.serious && !AreaCodeRepository::decided(c, f.code_id, f.finding, f.season)) serious[f.code_id].push_back(&f);
    for (const auto& [id, list] : serious) {
      AreaCode& code = codes.at(id);
      if (code.status != CodeStatus::issued) continue;
      std::string reason;
      for (const auto* f : list)
        reason += (reason.empty() ? "" : "; ") + f->finding + (f->season.empty() ? "" : " (" + f->season + ")") + ": " +
                  f->detail;
      const json before = code_json(*g, crops_, code);
      CodeStep step{0, "suspend", "issued", "suspended", reason, "", std::nullopt, true, "system (" + a.name + ")", ""};
      AreaCodeRepository::insert_step(c, id, step);
      code.status = CodeStatus::suspended;
      code.pending_review = true;
      AreaCodeRepository::update(c, code);
      audit::record(c, a, "suspend", "area_code", std::to_string(id),
                    code.unit ? std::optional<UnitId>(UnitId(*code.unit)) : std::nullopt, before,
                    json{{"code", code_json(*g, crops_, code)}, {"step", step_json(step)}});
      result.suspended.push_back(code.code.value_or(""));
    }
    return result;
  };
  if (suspend) return db_.write(run);
  return db_.read(run);
}

Result<ImportReport> AreaCodeService::import_codes(const Actor& a, const geo::FeatureSet& fs, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::codes_manage); !s) return s.error();
  auto cols = columns_of(fs, {"code", "kind", "holder", "crop", "standard", "parcels", "issued", "status"},
                         {"facility", "address", "capacity_t_per_day", "applied", "decision_no"});
  if (!cols) return cols.error();
  auto g = admin_.graph();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    ImportProblems problems;
    std::vector<std::pair<AreaCode, std::string>> rows;  // with the decision number
    std::map<std::string, std::int64_t> first_line;
    for (const auto& f : fs.features) {
      const std::size_t before = problems.list.size();
      AreaCode code;
      code.source = source;
      auto kind = parse_code_kind(cell(f, *cols, "kind"));
      if (!kind) problems.add(f, "kind", "must be area or packing_house");
      else code.kind = *kind;
      std::string text = cell(f, *cols, "code");
      if (text.empty()) problems.add(f, "code", "is empty");
      else if (kind) {
        auto scheme = scheme_of(text, *kind);
        if (!scheme)
          problems.add(f, "code",
                       *kind == CodeKind::area
                           ? "is neither a domestic code (VN-PP-DDD-CCCCC-NNN-YY) nor an export code like VN-DTOR-0017"
                           : "is neither a domestic code (VN-PP-DDD-CCCCC-NNN-YY) nor an export code like VN-DTPH-0001");
        else code.scheme = *scheme;
        if (auto [it, fresh] = first_line.emplace(text, f.number + 1); !fresh)
          problems.add(f, "code", "appears again (first on line " + std::to_string(it->second) + ")");
      }
      code.code = text;
      const std::string holder_id = cell(f, *cols, "holder");
      auto holder = AreaCodeRepository::holder(c, holder_id);
      if (!holder) problems.add(f, "holder", "no producer has the id '" + holder_id + "'");
      else code.holder_id = holder->id;
      code.crop = cell(f, *cols, "crop");
      if (kind == CodeKind::area || !code.crop.empty())
        if (!crops_.find(code.crop)) problems.add(f, "crop", "'" + code.crop + "' is not a crop of the crop table");
      code.standard = cell(f, *cols, "standard");
      if (kind == CodeKind::area && code.standard.empty()) problems.add(f, "standard", "is empty");
      if (code.standard.size() > kMaxText) problems.add(f, "standard", "is too long");
      std::vector<ParcelRef> parcels;
      std::set<std::int64_t> seen;
      std::string list = cell(f, *cols, "parcels");
      std::size_t start = 0;
      while (start <= list.size() && !list.empty()) {
        auto end = list.find(';', start);
        std::string ext = trim(list.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!ext.empty()) {
          auto p = AreaCodeRepository::parcel(c, ext);
          if (!p) problems.add(f, "parcels", "no parcel has the id '" + ext + "'");
          else if (!seen.insert(p->id).second) problems.add(f, "parcels", "names parcel '" + ext + "' twice");
          else parcels.push_back(*p);
        }
        if (end == std::string::npos) break;
        start = end + 1;
      }
      if (kind == CodeKind::area && parcels.empty() && problems.list.size() == before)
        problems.add(f, "parcels", "is empty: a growing area covers registry parcels");
      auto issued = plausible_date(cell(f, *cols, "issued"));
      if (!issued) problems.add(f, "issued", "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100");
      code.issued = issued;
      code.applied = issued.value_or(CivilDate::today());
      if (std::string ap = cell(f, *cols, "applied"); !ap.empty()) {
        if (auto d = plausible_date(ap)) code.applied = *d;
        else problems.add(f, "applied", "must be empty or a date between 1945 and 2100");
      }
      auto status = parse_code_status(cell(f, *cols, "status"));
      if (!status || (*status != CodeStatus::issued && *status != CodeStatus::suspended && *status != CodeStatus::cancelled))
        problems.add(f, "status", "must be issued, suspended or cancelled");
      else code.status = *status;
      code.facility = cell(f, *cols, "facility");
      code.address = cell(f, *cols, "address");
      if (kind == CodeKind::packing_house && code.facility.empty()) problems.add(f, "facility", "is empty: name the packing house");
      if (code.facility.size() > kMaxText) problems.add(f, "facility", "is too long");
      if (code.address.size() > kMaxText) problems.add(f, "address", "is too long");
      if (std::string cap = cell(f, *cols, "capacity_t_per_day"); !cap.empty()) {
        if (auto v = number_cell(cap, 1e6)) code.capacity_t_per_day = *v;
        else problems.add(f, "capacity_t_per_day", "must be empty or a number of tonnes from 0 to 1000000");
      }
      if (f.geometry && kind == CodeKind::packing_house) {
        if (auto wkt = geo::to_wkt(*f.geometry); wkt && wkt->rfind("POINT", 0) == 0) {
          double x = 0, y = 0;
          if (std::sscanf(wkt->c_str(), "POINT (%lf %lf)", &x, &y) == 2) {
            code.lon = x;
            code.lat = y;
          }
        }
      }
      std::string decision = cell(f, *cols, "decision_no");
      if (decision.size() > 64) problems.add(f, "decision_no", "is too long");
      if (problems.list.size() != before) continue;
      for (const auto& p : parcels) code.parcel_ids.push_back(p.id);
      code.unit = unit_of(parcels, *holder);
      rows.emplace_back(std::move(code), decision);
    }
    if (!problems.list.empty())
      return Error::invalid("the area codes were not imported; nothing was changed", problems.list);
    ImportReport report;
    for (auto& [code, decision] : rows) {
      auto existing = AreaCodeRepository::find_by_code(c, *code.code);
      CodeStep step{0, "import", "", std::string(to_string(code.status)), "imported from " + source, decision,
                    code.issued, false, a.name, ""};
      if (!existing) {
        code.id = AreaCodeRepository::insert(c, code);
        AreaCodeRepository::insert_step(c, code.id, step);
        ++report.created;
        continue;
      }
      // A suspension by the code-health check waits for an officer: a file that still
      // says issued does not lift it (reinstating is a decision with its reason).
      if (existing->pending_review && existing->status == CodeStatus::suspended && code.status == CodeStatus::issued)
        code.status = CodeStatus::suspended;
      auto sorted_ids = [](std::vector<std::int64_t> v) {
        std::sort(v.begin(), v.end());
        return v;
      };
      bool same = existing->kind == code.kind && existing->holder_id == code.holder_id && existing->crop == code.crop &&
                  existing->standard == code.standard && existing->status == code.status &&
                  existing->issued == code.issued && existing->facility == code.facility &&
                  existing->address == code.address && existing->capacity_t_per_day == code.capacity_t_per_day &&
                  sorted_ids(existing->parcel_ids) == sorted_ids(code.parcel_ids);
      if (same) {
        ++report.unchanged;
        continue;
      }
      code.id = existing->id;
      code.pending_review = existing->pending_review && code.status == CodeStatus::suspended;
      AreaCodeRepository::update(c, code);
      if (existing->status != code.status) {
        step.from_status = std::string(to_string(existing->status));
        AreaCodeRepository::insert_step(c, code.id, step);
      }
      ++report.updated;
    }
    audit::record(c, a, "import", "area_code", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

Result<ImportReport> AreaCodeService::import_seasons(const Actor& a, const geo::FeatureSet& fs, const std::string& source) {
  if (auto s = AccessPolicy::require(a, Permission::codes_manage); !s) return s.error();
  auto cols = columns_of(fs,
                         {"code", "season", "crop", "variety", "area_ha", "expected_kg", "harvest_from", "harvest_to",
                          "actual_kg"},
                         {"standard"});
  if (!cols) return cols.error();
  return db_.write([&](Connection& c) -> Result<ImportReport> {
    ImportProblems problems;
    std::vector<std::pair<std::int64_t, Season>> rows;
    std::map<std::string, std::optional<AreaCode>> codes;
    std::map<std::pair<std::string, std::string>, std::int64_t> first_line;
    for (const auto& f : fs.features) {
      const std::size_t before = problems.list.size();
      const std::string text = cell(f, *cols, "code");
      if (!codes.count(text)) codes[text] = AreaCodeRepository::find_by_code(c, text);
      const auto& code = codes[text];
      if (!code) problems.add(f, "code", "no area code '" + text + "' is recorded");
      else if (code->kind != CodeKind::area) problems.add(f, "code", "is a packing house: only growing areas declare seasons");
      Season s;
      s.season = cell(f, *cols, "season");
      if (s.season.empty() || s.season.size() > 32) problems.add(f, "season", "must be a name of 1 to 32 characters");
      else if (auto [it, fresh] = first_line.emplace(std::pair(text, s.season), f.number + 1); !fresh)
        problems.add(f, "season", "appears again for this code (first on line " + std::to_string(it->second) + ")");
      s.crop = cell(f, *cols, "crop");
      if (code && s.crop != code->crop) problems.add(f, "crop", "must be the code's crop (" + code->crop + ")");
      s.variety = cell(f, *cols, "variety");
      if (s.variety.size() > kMaxText) problems.add(f, "variety", "is too long");
      s.standard = cell(f, *cols, "standard");
      if (s.standard.empty() && code) s.standard = code->standard;
      if (auto v = number_cell(cell(f, *cols, "area_ha"), 100000)) s.area_ha = *v;
      else problems.add(f, "area_ha", "must be a number of hectares from 0 to 100000");
      if (auto v = number_cell(cell(f, *cols, "expected_kg"), 1e9)) s.expected_kg = *v;
      else problems.add(f, "expected_kg", "must be a number of kilograms from 0 to 1000000000");
      if (std::string act = cell(f, *cols, "actual_kg"); !act.empty()) {
        if (auto v = number_cell(act, 1e9)) s.actual_kg = *v;
        else problems.add(f, "actual_kg", "must be empty or a number of kilograms from 0 to 1000000000");
      }
      auto from = plausible_date(cell(f, *cols, "harvest_from"));
      auto to = plausible_date(cell(f, *cols, "harvest_to"));
      if (!from) problems.add(f, "harvest_from", "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100");
      if (!to) problems.add(f, "harvest_to", "must be a date (YYYY-MM-DD or dd/mm/yyyy) between 1945 and 2100");
      if (from && to && *to < *from) problems.add(f, "harvest_to", "is before harvest_from");
      if (problems.list.size() != before) continue;
      s.harvest_from = *from;
      s.harvest_to = *to;
      rows.emplace_back(code->id, s);
    }
    if (!problems.list.empty())
      return Error::invalid("the seasons were not imported; nothing was changed", problems.list);
    ImportReport report;
    for (const auto& [code_id, s] : rows) {
      auto existing = AreaCodeRepository::season(c, code_id, s.season);
      if (existing && existing->crop == s.crop && existing->variety == s.variety && existing->standard == s.standard &&
          existing->area_ha == s.area_ha && existing->expected_kg == s.expected_kg &&
          existing->harvest_from == s.harvest_from && existing->harvest_to == s.harvest_to &&
          existing->actual_kg == s.actual_kg) {
        ++report.unchanged;
        continue;
      }
      AreaCodeRepository::save_season(c, code_id, s);
      ++(existing ? report.updated : report.created);
    }
    audit::record(c, a, "import", "area_code_season", source, std::nullopt, std::nullopt,
                  json{{"file", source}, {"created", report.created}, {"updated", report.updated},
                       {"unchanged", report.unchanged}});
    return report;
  });
}

}  // namespace nongsan::areacodes
