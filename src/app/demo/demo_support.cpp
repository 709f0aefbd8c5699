// Support in the demo: the shipped Lai Châu policies (data/laichau/policies.json: the
// bee-keeping support of Resolution 07/2021/NQ-HĐND sourced, the rest illustrative),
// illustrative budgets per policy, year and funding source (data/demo/support/
// budgets.json; Notice 752-TB/TU §2.4 asks to combine the funding sources), and two
// illustrative years (2024, 2025) of applications and payments over the demo registry,
// loaded through the same imports as `nongsan import applications|payments`, with abuse
// planted so that the review queue shows every kind of finding (docs/support.md):
// the same land claimed twice, rice seed and conversion support on one field, tea and
// macadamia planting on one parcel, over-declared areas, land leased to an enterprise
// claimed by its owner, tea claimed outside the tea zones, on land without tea and on
// land unsuitable for it, one person registered twice, a household over its yearly cap,
// payments before acceptance and above the approved amount. Then the checks of both
// years run once, so that the queues are filled.
//
// Which parcels qualify is read from the registry the demo built (plantings, rights,
// zones, suitability), so the applications follow the registry wherever it changes.
// Deterministic (DemoRandom, fixed dates, records taken in id order); every record is
// labelled illustrative. Nothing is added twice: with applications present, the part
// is skipped.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/demo/demo.hpp"
#include "app/embedded_data.hpp"
#include "core/text.hpp"
#include "geo/overlap_check.hpp"
#include "modules/identity/credentials.hpp"
#include "modules/identity/user_repository.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/registry/registry_import.hpp"
#include "modules/registry/registry_repository.hpp"
#include "modules/suitability/suitability_repository.hpp"
#include "modules/support/support_import.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::app {

namespace {

using registry::RegistryRepository;
using nlohmann::json;

constexpr const char* kSource = "minh họa (demo)";

// What the demo knows about a parcel it may put in an application.
struct Land {
  std::int64_t id = 0;
  std::string external_id;
  double area_ha = 0;
  std::set<std::string> crops;                 // plantings in force through 2024–2025
  std::map<std::string, double> zone_share;    // commodity → share of the area in its zones
  std::map<std::string, std::string> classes;  // profile → dominant class
};

struct Holder {
  std::string external_id, kind, name;
  std::optional<UnitId> unit;
  std::string citizen_id, phone;
};

struct Filing {
  std::string code, policy, applicant;
  CivilDate filed;
  std::optional<CivilDate> accepted;
  std::string status;
  std::vector<std::pair<std::string, std::string>> items;  // parcel, quantity text
  std::optional<Dong> approved;
};

struct Pay {
  std::string application;
  CivilDate date;
  Dong amount = 0;
  std::string kind = "payment", funding_source;
};

CivilDate plus_days(const CivilDate& d, int n) { return CivilDate::from_days(d.days_since_epoch() + n); }
std::string hectares(double ha) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::max(0.01, ha));
  return buf;
}

class Builder {
 public:
  Builder(nongsan::app::App& app) : app_(app), rnd_(705) {}

  // Reads the registry: parcels planted with the supported crops, their zones, classes and controllers.
  void read() {
    app_.db().read([&](storage::Connection& c) {
      const CivilDate early(2024, 1, 1), late(2025, 12, 31);
      std::set<std::int64_t> ids;
      for (const char* crop : {"tea", "tea_shan_tuyet", "macadamia", "rice", "citrus", "plum", "maize"})
        for (const auto& p : RegistryRepository::plantings_on(c, early, crop))
          if (p.active_on(late)) {
            land_[p.parcel.value].crops.insert(p.crop);
            ids.insert(p.parcel.value);
          }
      registry::ParcelQuery q;
      q.ids = std::unordered_set<std::int64_t>(ids.begin(), ids.end());
      q.with_geometry = true;
      q.page_size = 0;
      std::vector<geo::ParcelShape> shapes;
      for (const auto& p : RegistryRepository::list_parcels(c, q, nullptr)) {
        Land& l = land_[p.id.value];
        l.id = p.id.value;
        l.external_id = p.external_id;
        l.area_ha = p.area_m2.value_or(0) / 10000.0;
        if (p.geom) shapes.push_back({"p" + std::to_string(p.id.value), *p.geom});
      }
      std::map<std::int64_t, std::string> commodity;
      for (const auto& z : support::SupportRepository::zones(c))
        if (z.geom) {
          shapes.push_back({"z" + std::to_string(z.id), *z.geom});
          commodity[z.id] = z.commodity;
        }
      geo::OverlapOptions o;
      o.min_overlap_m2 = 0;
      if (auto pairs = geo::find_overlaps(shapes, o))
        for (const auto& pr : *pairs) {
          if ((pr.a[0] == 'z') == (pr.b[0] == 'z')) continue;
          const std::string& parcel = pr.a[0] == 'p' ? pr.a : pr.b;
          const std::string& zone = pr.a[0] == 'z' ? pr.a : pr.b;
          Land& l = land_[std::stoll(parcel.substr(1))];
          if (l.area_ha > 0) l.zone_share[commodity[std::stoll(zone.substr(1))]] += pr.overlap_m2 / (l.area_ha * 1e4);
        }
      for (const char* profile : {"tea", "tea_shan_tuyet"})
        for (const auto& r : suitability::SuitabilityQueries::parcels(c, profile, {}, std::nullopt, false))
          if (auto it = land_.find(r.parcel_id); it != land_.end()) it->second.classes[profile] = r.dominant_class;
      for (auto& [id, l] : land_) {
        if (l.external_id.empty()) continue;
        auto rights = RegistryRepository::rights_of_parcel(c, registry::ParcelId(id));
        rights_[id] = rights;
        for (const auto& r : rights)
          if (!holders_.count(r.producer.value))
            if (auto p = RegistryRepository::find_producer(c, r.producer))
              holders_[r.producer.value] = {p->external_id, std::string(registry::to_string(p->kind)), p->name, p->unit,
                                            p->citizen_id, p->phone};
      }
    });
  }

  // The controller of a parcel on a date (docs/rules.md §5): its producer id, or 0.
  std::int64_t controller(std::int64_t parcel, const CivilDate& d) const {
    auto it = rights_.find(parcel);
    if (it == rights_.end()) return 0;
    auto r = registry::controller_on(it->second, d);
    return r ? r->producer.value : 0;
  }
  // The owner on a date, even when a lease or contribution controls the parcel.
  std::int64_t owner(std::int64_t parcel, const CivilDate& d) const {
    auto it = rights_.find(parcel);
    if (it == rights_.end()) return 0;
    for (const auto& r : it->second)
      if (r.kind == registry::LandRightKind::owner && r.valid_on(d)) return r.producer.value;
    return 0;
  }
  bool household(std::int64_t producer) const {
    auto it = holders_.find(producer);
    return it != holders_.end() && it->second.kind != "enterprise" && !it->second.external_id.empty();
  }

  // Parcels of `crop` that pass every check of a policy requiring it (zone, class S1/S2,
  // a household or cooperative in control on `d`), in id order; `zone` and `suitable`
  // turn the zone and class requirement around for planted abuse.
  std::vector<const Land*> lands(const std::string& crop, const CivilDate& d, bool zone = true,
                                 const std::string& profile = "", bool suitable = true) const {
    std::vector<const Land*> out;
    for (const auto& [id, l] : land_) {
      if (l.external_id.empty() || l.area_ha < 0.35 || l.area_ha > 6 || !l.crops.count(crop)) continue;
      if (taken_.count(id) || !household(controller(id, d))) continue;
      auto share = l.zone_share.find(crop);
      bool in_zone = share != l.zone_share.end() && share->second >= 0.6;
      bool outside = share == l.zone_share.end() || share->second < 0.3;
      if (zone ? !in_zone : !outside) continue;
      if (!profile.empty()) {
        auto cls = l.classes.find(profile);
        bool good = cls != l.classes.end() && (cls->second == "S1" || cls->second == "S2");
        bool bad = cls != l.classes.end() && (cls->second == "S3" || cls->second == "N");
        if (suitable ? !good : !bad) continue;
      }
      out.push_back(&l);
    }
    return out;
  }

  CivilDate date_in(int year, int from_month, int to_month) {
    CivilDate lo(year, from_month, 1), hi(year, to_month, 28);
    return plus_days(lo, static_cast<int>(rnd_.uniform() * (hi.days_since_epoch() - lo.days_since_epoch())));
  }

  // A new application with its life cycle so far: accepted 2–5 months after filing,
  // approved at `rate` × the claim, paid 2–6 weeks after acceptance.
  Filing& add(const std::string& policy, std::int64_t applicant, const CivilDate& filed,
           std::vector<std::pair<std::string, std::string>> items, const std::string& status, double amount) {
    Filing a;
    char code[32];
    std::snprintf(code, sizeof code, "HS-%d-%04d", filed.year(), ++next_[filed.year()]);
    a.code = code;
    a.policy = policy;
    a.applicant = holders_.at(applicant).external_id;
    a.filed = filed;
    a.status = status;
    a.items = std::move(items);
    static const std::set<std::string> after_acceptance = {"accepted", "approved", "paid", "recovered"};
    if (after_acceptance.count(status)) a.accepted = plus_days(filed, 60 + static_cast<int>(rnd_.uniform() * 90));
    if (status == "approved" || status == "paid" || status == "recovered")
      a.approved = static_cast<Dong>(amount / 1000) * 1000;
    apps_.push_back(a);
    if (status == "paid" || status == "recovered") {
      Pay p{a.code, plus_days(*a.accepted, 14 + static_cast<int>(rnd_.uniform() * 28)), *a.approved, "payment",
            source_of(policy)};
      pays_.push_back(p);
      if (status == "recovered")
        pays_.push_back({a.code, plus_days(p.date, 120), *a.approved / 2, "recovery", source_of(policy)});
    }
    return apps_.back();
  }

  std::string source_of(const std::string& policy) const {
    static const std::map<std::string, std::string> sources = {
        {"NQ07-GIONG-GS", "national_target_programme"}, {"NQ07-MACCA", "credit"}, {"NQ07-CALONG", "other"}};
    auto it = sources.find(policy);
    return it == sources.end() ? "provincial_budget" : it->second;
  }

  std::string status(int year) {
    double u = rnd_.uniform();
    if (year == 2024) return u < 0.55 ? "paid" : u < 0.7 ? "approved" : u < 0.8 ? "recovered" : u < 0.9 ? "accepted" : "rejected";
    return u < 0.2 ? "submitted" : u < 0.35 ? "verified" : u < 0.5 ? "appraised" : u < 0.65 ? "accepted"
         : u < 0.8 ? "approved" : u < 0.93 ? "paid" : "rejected";
  }

  // Honest applications of an area policy: parcels of the crop, claimed by their controller.
  void area_policy(const std::string& policy, const std::string& crop, const std::string& profile, bool zone, int year,
                   int count, double rate) {
    CivilDate filed = date_in(year, 2, 9);
    for (const Land* l : lands(crop, filed, zone, profile)) {
      if (count-- <= 0) break;
      taken_.insert(l->id);
      double ha = std::max(0.5, l->area_ha * (0.8 + 0.2 * rnd_.uniform()));
      ha = std::min(ha, l->area_ha);
      add(policy, controller(l->id, filed), filed, {{l->external_id, hectares(ha)}}, status(year), rate * ha);
      filed = date_in(year, 2, 9);
    }
  }

  void counted(const std::string& policy, int year, int count, int lo, int hi, double rate) {
    for (int k = 0; k < count; ++k) {
      auto h = some_household();
      int n = lo + static_cast<int>(rnd_.uniform() * (hi - lo + 1));
      add(policy, h, date_in(year, 2, 10), {{"", std::to_string(n)}}, status(year), rate * n);
    }
  }

  std::int64_t some_household() {
    std::vector<std::int64_t> ids;
    for (const auto& [id, h] : holders_)
      if (h.kind == "household" && !h.external_id.empty()) ids.push_back(id);
    return ids[static_cast<std::size_t>(rnd_.uniform() * static_cast<double>(ids.size()))];
  }

  void build(int& planted) {
    for (int year : {2024, 2025}) {
      area_policy("NQ07-CHE", "tea", "tea", true, year, 18, year == 2024 ? 15e6 : 18e6);
      area_policy("NQ07-CHE-SHAN", "tea_shan_tuyet", "tea_shan_tuyet", true, year, 6, 20e6);
      area_policy("NQ07-MACCA", "macadamia", "", true, year, 10, 12e6);
      area_policy("NQ07-LUA", "rice", "", true, year, 12, 1.5e6);
      area_policy("NQ07-CHUYENDOI", "citrus", "", false, year, 3, 10e6);
      area_policy("NQ07-CAYANQUA", "plum", "", false, year, 3, 10e6);
      area_policy("NQ07-CO", "macadamia", "", false, year, 3, 8e6);  // grass under young macadamia
      counted("NQ07-ONG", year, 12, 10, 60, 700000);  // the sourced rate: 700,000 đồng per hive
      counted("NQ07-CHUONG", year, 5, 1, 1, 40e6);
      counted("NQ07-GIONG-GS", year, 6, 3, 9, 5e6);
      counted("NQ07-CALONG", year, 3, 60, 160, 300000);
      counted("NQ07-DIALAN", year, 2, 1, 1, 20e6);
    }
    planted = plant_abuse();
  }

  // The abuse the checks must find; returns how many applications carry it.
  int plant_abuse() {
    int n = 0;
    // 2024: a claim above the parcel's area, paid before its acceptance.
    const CivilDate d24(2024, 4, 15);
    for (const Land* l : first(lands("tea", d24, true, "tea"), 1)) {
      taken_.insert(l->id);
      auto& a = add("NQ07-CHE", controller(l->id, d24), d24, {{l->external_id, hectares(l->area_ha * 1.25)}}, "paid",
                    15e6 * l->area_ha * 1.25);
      pays_.back().date = plus_days(*a.accepted, -10);
      n += 1;
    }
    const CivilDate d25(2025, 5, 12);
    // Over-declared: tea claimed as 30 % more than the parcel.
    for (const Land* l : first(lands("tea", d25, true, "tea"), 2)) {
      taken_.insert(l->id);
      add("NQ07-CHE", controller(l->id, d25), d25, {{l->external_id, hectares(l->area_ha * 1.3)}}, "appraised", 0);
      ++n;
    }
    // The same tea parcel claimed by a second household, and a 2024 one-time claim again in 2025.
    for (const Filing* a : claimed_by("NQ07-CHE", 2025, 2)) {
      auto other = some_household();
      add("NQ07-CHE", other, plus_days(a->filed, 20), {a->items.front()}, "verified", 0);
      ++n;
    }
    for (const Filing* a : claimed_by("NQ07-CHE", 2024, 1)) {
      add("NQ07-CHE", holder_id(a->applicant), CivilDate(2025, 3, 3), {a->items.front()}, "submitted", 0);
      ++n;
    }
    // Rice seed and conversion support on the same field; tea and macadamia on one parcel.
    for (const Filing* a : claimed_by("NQ07-LUA", 2025, 2)) {
      add("NQ07-CHUYENDOI", holder_id(a->applicant), plus_days(a->filed, 45), {a->items.front()}, "verified", 0);
      ++n;
    }
    for (const Filing* a : claimed_by("NQ07-MACCA", 2025, 1)) {
      add("NQ07-CHE", holder_id(a->applicant), plus_days(a->filed, 10), {a->items.front()}, "submitted", 0);
      ++n;
    }
    // Land leased or contributed to an enterprise, claimed by its owner household.
    int leased = 0;
    for (const auto& [id, l] : land_) {
      if (leased >= 2 || taken_.count(id) || l.external_id.empty() || !l.crops.count("tea")) continue;
      auto ctl = controller(id, d25), own = owner(id, d25);
      if (!ctl || !own || ctl == own || !household(own) || holders_.at(ctl).kind != "enterprise") continue;
      auto share = l.zone_share.find("tea");
      if (share == l.zone_share.end() || share->second < 0.6) continue;
      taken_.insert(id);
      add("NQ07-CHE", own, d25, {{l.external_id, hectares(l.area_ha * 0.9)}}, "verified", 0);
      ++leased;
      ++n;
    }
    // Tea outside the tea zones; tea on land that is S3 or N for tea; no tea at acceptance.
    for (const Land* l : first(lands("tea", d25, false, "tea"), 2)) {
      taken_.insert(l->id);
      add("NQ07-CHE", controller(l->id, d25), d25, {{l->external_id, hectares(l->area_ha * 0.9)}}, "appraised", 0);
      ++n;
    }
    for (const Land* l : first(lands("tea", d25, true, "tea", false), 2)) {
      taken_.insert(l->id);
      add("NQ07-CHE", controller(l->id, d25), d25, {{l->external_id, hectares(l->area_ha * 0.9)}}, "appraised", 0);
      ++n;
    }
    for (const Land* l : first(lands("macadamia", d25, false), 1)) {
      taken_.insert(l->id);
      add("NQ07-CHE", controller(l->id, d25), d25, {{l->external_id, hectares(l->area_ha * 0.9)}}, "accepted", 0);
      ++n;
    }
    // Over the yearly cap: three barns for one household (40 million each, cap 80
    // million), twelve head of cattle (60 million, cap 50 million).
    auto h = some_household();
    for (int k = 0; k < 3; ++k) add("NQ07-CHUONG", h, CivilDate(2025, 3 + 2 * k, 10), {{"", "1"}}, "approved", 40e6);
    add("NQ07-GIONG-GS", some_household(), CivilDate(2025, 4, 8), {{"", "12"}}, "appraised", 0);
    // Conditions not met: two head of cattle (at least three), a barn for an enterprise.
    add("NQ07-GIONG-GS", some_household(), CivilDate(2025, 5, 6), {{"", "2"}}, "verified", 0);
    for (const auto& [id, holder] : holders_)
      if (holder.kind == "enterprise" && !holder.external_id.empty()) {
        add("NQ07-CHUONG", id, CivilDate(2025, 6, 9), {{"", "1"}}, "submitted", 0);
        break;
      }
    n += 4;
    // Paid before acceptance, paid without it, paid above the approved amount.
    for (const Filing* a : claimed_by("NQ07-ONG", 2025, 3)) {
      const bool accepted = a->accepted.has_value();
      pays_.push_back({a->code, accepted ? plus_days(*a->accepted, -20) : plus_days(a->filed, 30), 3'500'000, "payment",
                       "provincial_budget"});
      ++n;
    }
    for (const auto& a : apps_)
      if (a.filed.year() == 2025 && a.status == "paid" && a.approved) {
        pays_.push_back({a.code, plus_days(*a.accepted, 60), 5'000'000, "payment", source_of(a.policy)});
        ++n;
        break;
      }
    return n;
  }

  std::vector<const Land*> first(std::vector<const Land*> v, std::size_t k) {
    if (v.size() > k) v.resize(k);
    return v;
  }
  std::vector<const Filing*> claimed_by(const std::string& policy, int year, std::size_t k) const {
    std::vector<const Filing*> out;
    for (const auto& a : apps_)
      if (a.policy == policy && a.filed.year() == year && a.status != "rejected" && out.size() < k) out.push_back(&a);
    return out;
  }
  std::int64_t holder_id(const std::string& external_id) const {
    for (const auto& [id, h] : holders_)
      if (h.external_id == external_id) return id;
    return 0;
  }

  // One person registered twice (the same citizen ID, another producer id), and one
  // sharing a phone with another household; each applies in 2025 beside the original.
  Result<int> duplicates() {
    std::vector<std::int64_t> originals;
    for (const auto& [id, h] : holders_)
      if (h.kind == "household" && !h.citizen_id.empty() && !h.phone.empty() && originals.size() < 2) originals.push_back(id);
    if (originals.size() < 2) return 0;
    // Written as the demo registry writes its households (illustrative, with the
    // original's ethnicity and household size): the first copy keeps the citizen ID
    // under another producer id, the second has its own ID and the original's phone.
    std::vector<std::string> new_ids;
    app_.db().write([&](storage::Connection& c) {
      const std::string key = identity::pii_hash_key(c);
      for (std::size_t k = 0; k < originals.size(); ++k) {
        auto o = RegistryRepository::find_producer(c, ProducerId(originals[k]));
        if (!o) continue;
        registry::Producer copy = *o;
        copy.external_id = o->external_id + "-B";
        copy.citizen_id = k == 0 ? o->citizen_id : "0" + std::to_string(11'000'000'000LL + originals[k]).substr(0, 11);
        copy.phone = k == 1 ? o->phone : "";
        copy.illustrative = true;
        const std::string hash = copy.citizen_id.empty() ? "" : identity::digest_hex(copy.citizen_id, key);
        auto id = RegistryRepository::insert_producer(c, copy, hash);
        holders_[id.value] = {copy.external_id, "household", copy.name, copy.unit, copy.citizen_id, copy.phone};
        new_ids.push_back(copy.external_id);
      }
      return 0;
    });
    if (new_ids.size() < originals.size()) return 0;
    for (std::size_t k = 0; k < originals.size(); ++k) {
      add("NQ07-ONG", originals[k], CivilDate(2025, 4, 2 + static_cast<int>(k)), {{"", "40"}}, "verified", 0);
      add("NQ07-ONG", holder_id(new_ids[k]), CivilDate(2025, 4, 20 + static_cast<int>(k)), {{"", "35"}}, "submitted", 0);
    }
    return static_cast<int>(originals.size());
  }

  support::ImportTable application_table() const {
    support::ImportTable t;
    t.headers = {"application", "policy", "applicant", "filed", "accepted", "status", "parcel", "quantity",
                 "approved_amount"};
    int line = 1;
    for (const auto& a : apps_)
      for (const auto& [parcel, qty] : a.items)
        t.rows.push_back({++line,
                          {{"application", a.code},
                           {"policy", a.policy},
                           {"applicant", a.applicant},
                           {"filed", a.filed.iso()},
                           {"accepted", a.accepted ? a.accepted->iso() : ""},
                           {"status", a.status},
                           {"parcel", parcel},
                           {"quantity", qty},
                           {"approved_amount", a.approved ? std::to_string(*a.approved) : ""}}});
    return t;
  }
  support::ImportTable payment_table() const {
    support::ImportTable t;
    t.headers = {"application", "date", "amount", "kind", "funding_source", "reference"};
    int line = 1;
    for (const auto& p : pays_)
      t.rows.push_back({++line,
                        {{"application", p.application},
                         {"date", p.date.iso()},
                         {"amount", std::to_string(p.amount)},
                         {"kind", p.kind},
                         {"funding_source", p.funding_source},
                         {"reference", std::string(kSource)}}});
    return t;
  }
  std::size_t applications() const { return apps_.size(); }

 private:
  nongsan::app::App& app_;
  DemoRandom rnd_;
  std::map<std::int64_t, Land> land_;
  std::map<std::int64_t, std::vector<registry::LandRight>> rights_;
  std::map<std::int64_t, Holder> holders_;
  std::set<std::int64_t> taken_;
  std::vector<Filing> apps_;
  std::vector<Pay> pays_;
  std::map<int, int> next_;
};

void must(const Result<support::SupportImportReport>& r, const char* what) {
  if (r) return;
  std::string detail;
  for (const auto& e : r.error().fields) detail += "; " + e.field + ": " + e.message;
  throw std::runtime_error(std::string("demo support: ") + what + ": " + r.error().message + detail);
}

}  // namespace

int demo_support(nongsan::app::App& app, const identity::Actor& actor, DemoReport& report) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& svc = app.support();
  auto [policies, applications] = app.db().read([](storage::Connection& c) {
    return std::make_pair(c.scalar_i64("SELECT count(*) FROM support_policy"),
                          c.scalar_i64("SELECT count(*) FROM support_application"));
  });
  if (policies == 0) {
    auto text = embedded_file("laichau/policies.json");
    if (!text) throw std::runtime_error("demo support: data/laichau/policies.json is not embedded");
    auto r = svc.import_policies(actor, json::parse(*text), "data/laichau/policies.json");
    if (!r) throw std::runtime_error("demo support: policies: " + r.error().message);
  }
  if (applications > 0) {
    report.notes.push_back("support: applications already present: left as they are");
    return 0;
  }
  auto budgets = embedded_file("demo/support/budgets.json");
  if (!budgets) throw std::runtime_error("demo support: data/demo/support/budgets.json is not embedded");
  for (const auto& line : json::parse(*budgets))
    if (auto r = svc.set_budget(actor, line); !r) throw std::runtime_error("demo support: budget: " + r.error().message);

  Builder b(app);
  b.read();
  int planted = 0;
  b.build(planted);
  auto dup = b.duplicates();
  if (!dup) throw std::runtime_error("demo support: producers registered twice: " + dup.error().message);
  must(support::import_applications(app.db(), actor, b.application_table(), "demo/support (minh họa)"), "applications");
  must(support::import_payments(app.db(), actor, b.payment_table(), "demo/support (minh họa)"), "payments");

  std::string summary;
  for (int year : {2024, 2025}) {
    auto run = svc.run_checks(actor, year);
    if (!run) throw std::runtime_error("demo support: checks of " + std::to_string(year) + ": " + run.error().message);
    std::set<std::string> kinds;
    for (const auto& f : run->result.findings) kinds.insert(f.finding);
    summary += (summary.empty() ? "" : "; ") + std::to_string(year) + ": " +
               std::to_string(run->result.amounts.size()) + " applications, " +
               std::to_string(run->result.findings.size()) + " findings of " + std::to_string(kinds.size()) + " kinds";
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  report.notes.push_back("support (illustrative): Resolution 07/2021/NQ-HĐND policies (bee-keeping sourced, the rest "
                         "illustrative), budgets by funding source, " + std::to_string(b.applications()) +
                         " applications with abuse planted in " + std::to_string(planted + *dup * 2) +
                         "; checks run: " + summary + " (" + secs + ")");
  return static_cast<int>(b.applications());
}

}  // namespace nongsan::app
