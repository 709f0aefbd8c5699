#include "modules/trace/trace_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/text.hpp"
#include "modules/access/access_policy.hpp"
#include "modules/areacodes/areacode_repository.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/diary/diary_repository.hpp"
#include "modules/epcis/event_index.hpp"
#include "modules/epcis/gs1.hpp"
#include "modules/trace/trace_repository.hpp"

namespace nongsan::trace {

using access::AccessPolicy;
using identity::Actor;
using identity::Permission;
using nlohmann::json;
using storage::Connection;

namespace {

// The public page reads with the province's scope but shows only what PublicLot holds
// (no household, no person): the actor exists only inside this service.
Actor public_reader() {
  Actor a;
  a.name = "public:trace";
  a.role = identity::Role::province_officer;
  a.client = "public";
  return a;
}

// Producer kinds whose name is an organisation's, never a person's (docs/rules.md §15).
bool organisation_kind(const std::string& kind) {
  return kind == "cooperative" || kind == "cooperative_group" || kind == "enterprise";
}

std::optional<std::string> checked_gtin(const std::string& gtin) { return epcis::gs1::gtin14(trim(gtin)); }

// The finding kinds of the diary checks, in the order the page lists them.
const std::vector<std::string>& check_kinds() {
  static const std::vector<std::string> kinds = {"unregistered", "banned", "not_for_crop", "over_dose",
                                                 "phi_not_passed"};
  return kinds;
}

// The crops in force on the lot's harvest dates, on the harvests' parcels (the crop of a
// parcel on a date is its planting in force then: start ≤ date ≤ end, docs/rules.md §12).
std::set<std::string> lot_crops(Connection& c, const diary::LotStatus& s) {
  std::vector<std::int64_t> ids;
  for (const auto& h : s.harvests) ids.push_back(h.parcel_id);
  std::set<std::string> out;
  const auto spans = diary::DiaryRepository::plantings(c, ids);
  for (const auto& h : s.harvests)
    for (const auto& p : spans)
      if (p.parcel_id == h.parcel_id && p.start <= h.date && (!p.end || h.date <= *p.end)) out.insert(p.crop);
  return out;
}

}  // namespace

TraceService::TraceService(storage::Database& db, diary::DiaryService& diary,
                           certificates::CertificateService& certificates, epcis::EpcisService& epcis)
    : db_(db), diary_(diary), certificates_(certificates), epcis_(epcis) {}

Result<std::vector<GtinEntry>> TraceService::gtins(const Actor& a) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  return db_.read([&](Connection& c) -> Result<std::vector<GtinEntry>> { return TraceRepository::gtins(c); });
}

Result<GtinEntry> TraceService::set_gtin(const Actor& a, const std::string& gtin, const std::string& crop,
                                         const std::string& name_vi, const std::string& name_en, bool illustrative) {
  if (auto s = AccessPolicy::require(a, Permission::codes_manage); !s) return s.error();
  std::vector<FieldError> errors;
  auto g14 = checked_gtin(gtin);
  if (!g14) errors.push_back({"gtin", "must be a GTIN-8, -12, -13 or -14 with a correct check digit"});
  if (trim(crop).empty() || crop.size() > 64) errors.push_back({"crop", "must be a crop code of 1 to 64 characters"});
  if (trim(name_vi).empty() || name_vi.size() > 200)
    errors.push_back({"name_vi", "must be a name of 1 to 200 characters"});
  if (name_en.size() > 200) errors.push_back({"name_en", "must be at most 200 characters"});
  if (!errors.empty()) return Error::invalid("the GTIN is not valid", errors);
  GtinEntry g{*g14, trim(crop), trim(name_vi), trim(name_en), illustrative, utc_now_iso()};
  return db_.write([&](Connection& c) -> Result<GtinEntry> {
    auto old = TraceRepository::gtin(c, g.gtin);
    TraceRepository::save_gtin(c, g);
    json after = {{"gtin", g.gtin}, {"crop", g.crop}, {"name_vi", g.name_vi}, {"name_en", g.name_en},
                  {"illustrative", g.illustrative}};
    audit::record(c, a, old ? "update" : "create", "trace_gtin", g.gtin, std::nullopt, std::nullopt, after);
    return g;
  });
}

Result<std::size_t> TraceService::import_gtins(const Actor& a, const json& doc) {
  if (auto s = AccessPolicy::require(a, Permission::codes_manage); !s) return s.error();
  if (!doc.is_object() || !doc.contains("gtins") || !doc["gtins"].is_array())
    return Error::invalid("the GTIN table has no list gtins", {{"gtins", "is required (a list)"}});
  std::vector<GtinEntry> rows;
  std::set<std::string> crops;
  const std::string now = utc_now_iso();
  std::size_t i = 0;
  for (const auto& row : doc["gtins"]) {
    const std::string at = "gtins[" + std::to_string(i++) + "]";
    auto text = [&](const char* key) {
      return row.is_object() && row.contains(key) && row[key].is_string() ? trim(row[key].get<std::string>())
                                                                           : std::string();
    };
    if (!row.is_object() || text("crop").empty() || text("gtin").empty() || text("name_vi").empty())
      return Error::invalid("the GTIN table is not valid", {{at, "needs crop, gtin and name_vi (strings)"}});
    const auto crop = text("crop"), gtin = text("gtin");
    auto g14 = checked_gtin(gtin);
    if (!g14)
      return Error::invalid("the GTIN table is not valid", {{at + ".gtin", "GTIN " + gtin + " of crop " + crop +
                                                                               " has a wrong check digit or length"}});
    if (!crops.insert(crop).second)
      return Error::invalid("the GTIN table is not valid", {{at + ".crop", "crop " + crop + " is listed twice"}});
    rows.push_back({*g14, crop, text("name_vi"), text("name_en"),
                    row.contains("illustrative") && row["illustrative"].is_boolean() && row["illustrative"].get<bool>(),
                    now});
  }
  return db_.write([&](Connection& c) -> Result<std::size_t> {
    std::size_t changed = 0;
    for (const auto& g : rows) {
      auto old = TraceRepository::gtin(c, g.gtin);
      if (old && old->crop == g.crop && old->name_vi == g.name_vi && old->name_en == g.name_en &&
          old->illustrative == g.illustrative)
        continue;  // identical: nothing to change, nothing to audit
      TraceRepository::save_gtin(c, g);
      json after = {{"gtin", g.gtin}, {"crop", g.crop}, {"name_vi", g.name_vi}, {"name_en", g.name_en},
                    {"illustrative", g.illustrative}};
      audit::record(c, a, old ? "update" : "create", "trace_gtin", g.gtin, std::nullopt, std::nullopt, after);
      ++changed;
    }
    return changed;
  });
}

std::map<std::string, std::string> TraceService::crop_gtins(Connection& c) {
  std::map<std::string, std::string> out;
  for (const auto& g : TraceRepository::gtins(c)) out.emplace(g.crop, g.gtin);  // ordered by crop, gtin: the lowest wins
  return out;
}

Result<std::string> TraceService::resolver(const std::string& fallback) {
  return db_.read([&](Connection& c) -> Result<std::string> {
    std::string base = TraceRepository::resolver(c);
    return base.empty() ? fallback : base;
  });
}

Result<std::string> TraceService::set_resolver(const Actor& a, const std::string& base) {
  if (auto s = AccessPolicy::require(a, Permission::codes_manage); !s) return s.error();
  std::string b = trim(base);
  while (!b.empty() && b.back() == '/') b.pop_back();
  bool scheme = b.rfind("https://", 0) == 0 || b.rfind("http://", 0) == 0;
  if (!scheme || b.size() < 10 || b.size() > 200 || b.find_first_of(" \t\r\n\"<>?#") != std::string::npos)
    return Error::invalid("the resolver is not valid", {{"resolver", "must be an http(s) address without query"}});
  return db_.write([&](Connection& c) -> Result<std::string> {
    TraceRepository::save_resolver(c, b);
    audit::record(c, a, "update", "app_setting", "trace.resolver", std::nullopt, std::nullopt, json{{"value", b}});
    return b;
  });
}

Result<Label> TraceService::label(const Actor& a, const std::string& gtin, const std::string& lot,
                                  const std::string& resolver_base) {
  if (auto s = AccessPolicy::require(a, Permission::diary_read); !s) return s.error();
  auto g14 = checked_gtin(gtin);
  if (!g14) return Error::invalid("bad GTIN", {{"gtin", "must be a GTIN-8, -12, -13 or -14 with a correct check digit"}});
  auto entry = db_.read([&](Connection& c) { return TraceRepository::gtin(c, *g14); });
  if (!entry) return Error::invalid("bad GTIN", {{"gtin", "is not in the GTIN table (nongsan trace gtin set)"}});
  if (trim(lot).empty()) return Error::invalid("bad lot", {{"lot", "must not be empty"}});
  auto status = diary_.lot_status(a, trim(lot));
  if (!status) return status.error();
  if (status->harvests.empty()) return Error::not_found("no such lot: " + trim(lot));
  if (status->held)
    return Error::conflict("lot " + trim(lot) + " is held (a harvest within a pre-harvest interval): no QR code");
  // The GTIN names the product: a lot of another crop would be sold under a wrong name.
  if (!db_.read([&](Connection& c) { return lot_crops(c, *status).count(entry->crop) > 0; }))
    return Error::invalid("bad GTIN", {{"gtin", "names the product of crop " + entry->crop + ", not the crop of lot " +
                                                    trim(lot)}});
  epcis::gs1::DigitalLink dl;
  dl.domain = resolver_base;
  dl.key_ai = "01";
  dl.key = *g14;
  dl.qualifiers = {{"10", trim(lot)}};
  return Label{*g14, trim(lot), epcis::gs1::build_digital_link(dl), entry->name_vi, entry->name_en,
               entry->illustrative};
}

Result<json> TraceService::public_lots(std::size_t limit) {
  Actor reader = public_reader();
  // The latest harvest of each lot, newest first.
  std::map<std::string, CivilDate> last;
  auto harvests = db_.read([&](Connection& c) { return diary::DiaryRepository::entries(c, std::nullopt); });
  for (const auto& e : harvests)
    if (e.kind == diary::EntryKind::harvest && !e.lot.empty())
      if (auto [it, fresh] = last.try_emplace(e.lot, e.date); !fresh && it->second < e.date) it->second = e.date;
  std::vector<std::pair<CivilDate, std::string>> order;
  for (const auto& [lot, d] : last) order.emplace_back(d, lot);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  json out = json::array();
  for (const auto& [date, lot] : order) {
    if (out.size() >= limit) break;
    auto status = diary_.lot_status(reader, lot);
    if (!status || status->held || status->harvests.empty()) continue;
    auto gtin = db_.read([&](Connection& c) -> std::optional<GtinEntry> {
      const auto crops = lot_crops(c, *status);
      for (const auto& g : TraceRepository::gtins(c))  // ordered by crop, gtin: the crop's lowest
        if (crops.count(g.crop)) return g;
      return std::nullopt;
    });
    if (!gtin) continue;
    out.push_back({{"gtin", gtin->gtin},
                   {"lot", lot},
                   {"product_vi", gtin->name_vi},
                   {"harvested", date.iso()},
                   {"path", "/01/" + gtin->gtin + "/10/" + epcis::gs1::dl_encode(lot)}});
  }
  return out;
}

Result<PublicLot> TraceService::public_lot(const std::string& gtin, const std::string& lot,
                                           const std::string& resolver_base) {
  PublicLot p;
  p.gtin = gtin;
  p.lot = lot;
  auto g14 = checked_gtin(gtin);
  std::optional<GtinEntry> entry;
  if (g14) entry = db_.read([&](Connection& c) { return TraceRepository::gtin(c, *g14); });
  if (!entry) {
    p.state = PublicLot::State::bad_gtin;
    return p;
  }
  p.gtin = *g14;
  p.product_vi = entry->name_vi;
  p.product_en = entry->name_en;
  p.crop = entry->crop;
  p.product_illustrative = entry->illustrative;
  Actor reader = public_reader();
  auto status = diary_.lot_status(reader, lot);
  if (!status && status.error().code != ErrorCode::not_found) return status.error();
  if (!status || status->harvests.empty()) {
    p.state = PublicLot::State::unknown_lot;
    return p;
  }
  if (status->held) {
    p.state = PublicLot::State::held;
    return p;
  }
  // A GTIN of another crop's product names no lot of this code (docs/rules.md §15).
  if (!db_.read([&](Connection& c) { return lot_crops(c, *status).count(entry->crop) > 0; })) {
    p.state = PublicLot::State::unknown_lot;
    return p;
  }
  epcis::gs1::DigitalLink dl;
  dl.domain = resolver_base;
  dl.key_ai = "01";
  dl.key = *g14;
  dl.qualifiers = {{"10", lot}};
  p.uri = epcis::gs1::build_digital_link(dl);

  std::set<std::int64_t> parcel_ids;
  std::set<std::string> parcels, dates;
  CivilDate first = status->harvests.front().date, last = first;
  for (const auto& h : status->harvests) {
    parcel_ids.insert(h.parcel_id);
    parcels.insert(h.parcel);
    dates.insert(h.date.iso());
    first = std::min(first, h.date);
    last = std::max(last, h.date);
  }
  p.harvest_dates.assign(dates.begin(), dates.end());

  // The growing-area code whose parcels include a harvest's parcel, and its holder when
  // that is an organisation.
  db_.read([&](Connection& c) {
    for (const auto& code : areacodes::AreaCodeRepository::live(c)) {
      bool covers = std::any_of(code.parcel_ids.begin(), code.parcel_ids.end(),
                                [&](std::int64_t id) { return parcel_ids.count(id) > 0; });
      if (!covers || !code.code) continue;
      p.area_code = *code.code;
      p.area_code_status = std::string(areacodes::to_string(code.status));
      if (organisation_kind(code.holder_kind)) p.producer = code.holder_name;
      break;
    }
    return 0;
  });

  // The diary checks over the season before the last harvest: a check passes when it
  // raised no finding on the lot's parcels (docs/rules.md §15).
  std::vector<std::int64_t> ids(parcel_ids.begin(), parcel_ids.end());
  CivilDate from = CivilDate::from_days(first.days_since_epoch() - 365);
  auto findings = diary_.findings(reader, from, last, ids);
  if (!findings) return findings.error();
  std::set<std::string> raised;
  // A pre-harvest interval is a harvest's own: another lot's on the same parcel is not this one's.
  for (const auto& f : *findings)
    if (f.kind != diary::FindingKind::phi_not_passed || f.lot == lot) raised.insert(std::string(diary::to_string(f.kind)));
  for (const auto& k : check_kinds())
    if (!raised.count(k)) p.checks.push_back(k);
  if (auto entries = diary_.entries(reader, ids, from, last); entries)
    p.sprays_checked = static_cast<int>(std::count_if(entries->begin(), entries->end(), [](const diary::DiaryEntry& e) {
      return e.kind == diary::EntryKind::spray;
    }));

  // Certificates covering the lot, its parcels or its code on the last harvest's day.
  auto add_certs = [&](const std::string& kind, const std::string& target) -> Result<bool> {
    auto r = certificates_.covering(reader, kind, target, CivilDate::today());
    if (!r) return r.error();
    for (const auto& c : (*r)["items"]) {
      PublicCertificate pc;
      pc.code = c.value("code", "");
      if (std::any_of(p.certificates.begin(), p.certificates.end(),
                      [&](const PublicCertificate& o) { return o.code == pc.code; }))
        continue;
      pc.kind = c.value("kind", "");
      pc.standard = c.value("standard", "");
      pc.issuer = c.value("issuer", "");
      pc.status = c.value("status", "");
      pc.valid_from = c.value("valid_from", "");
      pc.valid_to = c.value("valid_to", "");
      pc.covers = kind;
      p.certificates.push_back(pc);
    }
    return true;
  };
  if (auto r = add_certs("lot", lot); !r) return r.error();
  for (const auto& parcel : parcels)
    if (auto r = add_certs("parcel", parcel); !r) return r.error();
  if (!p.area_code.empty())
    if (auto r = add_certs("code", p.area_code); !r) return r.error();

  // The journey: EPCIS events naming the lot's class (LGTIN) as id.gs1.org Digital Link,
  // then those naming the containers (SSCC) the lot was packed into — the shipping and
  // receiving of the pallet (the same reading as the held-lot rule, docs/rules.md §14).
  if (auto canonical = epcis::gs1::lot_digital_link(*g14, lot)) {
    std::set<std::string> seen;
    auto add_events = [&](const epcis::EventFilter& f, std::vector<std::string>* parents) -> Result<bool> {
      auto page = epcis_.query(reader, f);
      if (!page) return page.error();
      for (const auto& e : page->events) {
        if (!seen.insert(e.hash).second) continue;
        JourneyStep s;
        s.event_time = e.event_time;
        const auto& d = e.document;
        auto text = [&](const char* k) { return d.contains(k) && d[k].is_string() ? d[k].get<std::string>() : std::string(); };
        s.biz_step = text("bizStep");
        s.disposition = text("disposition");
        s.time_zone_offset = text("eventTimeZoneOffset");
        if (d.contains("bizLocation") && d["bizLocation"].is_object()) s.location = d["bizLocation"].value("id", "");
        else if (d.contains("readPoint") && d["readPoint"].is_object()) s.location = d["readPoint"].value("id", "");
        if (parents && text("type") == "AggregationEvent" && text("action") == "ADD" && !text("parentID").empty())
          parents->push_back(epcis::canonical_epc(text("parentID")).first);
        p.journey.push_back(s);
      }
      return true;
    };
    epcis::EventFilter f;
    f.matches.push_back({{"class", "child_class", "input_class", "output_class"}, {*canonical}});
    f.per_page = 50;
    std::vector<std::string> containers;
    if (auto r = add_events(f, &containers); !r) return r.error();
    if (!containers.empty()) {
      epcis::EventFilter g;
      g.matches.push_back({{"epc", "parent"}, containers});
      g.per_page = 50;
      if (auto r = add_events(g, nullptr); !r) return r.error();
    }
    std::stable_sort(p.journey.begin(), p.journey.end(),
                     [](const JourneyStep& a, const JourneyStep& b) { return a.event_time < b.event_time; });
  }
  return p;
}

}  // namespace nongsan::trace
