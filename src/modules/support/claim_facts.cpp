#include "modules/support/claim_facts.hpp"

#include <algorithm>
#include <charconv>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "geo/geometry_ops.hpp"
#include "geo/overlap_check.hpp"
#include "modules/registry/land_control.hpp"
#include "modules/support/policy_file.hpp"
#include "modules/support/support_repository.hpp"

namespace nongsan::support {

namespace {

std::string lower_trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool covers(const std::optional<CivilDate>& from, const std::optional<CivilDate>& to, const CivilDate& d) {
  return (!from || *from <= d) && (!to || d <= *to);
}

// lower_trim(s) == lowered, without making the string.
bool lower_trim_equals(std::string_view s, std::string_view lowered) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  if (e - b != lowered.size()) return false;
  for (std::size_t i = 0; i < lowered.size(); ++i)
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(s[b + i]))) != lowered[i]) return false;
  return true;
}

// Rows grouped by the place of their parcel in `claimed` (sorted, unique ids), keeping
// their order within a parcel: flat arrays instead of a hash map of vectors per parcel
// (265,000 parcels in a province's year).
struct ByParcel {
  std::vector<std::uint32_t> start;  // claimed.size() + 1 offsets into `rows`
  std::vector<std::uint32_t> rows;   // row indices
  template <typename F>
  void each(std::size_t place, F f) const {
    for (std::uint32_t k = start[place]; k < start[place + 1]; ++k) f(rows[k]);
  }
};

// The place of a parcel id in `claimed` (sorted, unique ids), or claimed.size() when it
// is not there. Asked for every registry row read and every item, about a million times
// in a province's year: a table indexed by id when the claimed ids are dense enough (a
// quarter of a registry whose ids run together: the table is at most 16 entries per
// claimed parcel), else a binary search.
class Places {
 public:
  explicit Places(const std::vector<std::int64_t>& claimed) : claimed_(claimed) {
    if (claimed.empty() || claimed.size() >= kAbsent) return;
    const auto span = static_cast<std::uint64_t>(claimed.back()) - static_cast<std::uint64_t>(claimed.front());
    if (span >= 16 * static_cast<std::uint64_t>(claimed.size()) + 4096) return;
    low_ = claimed.front();
    table_.assign(span + 1, kAbsent);
    for (std::size_t k = 0; k < claimed.size(); ++k)
      table_[static_cast<std::uint64_t>(claimed[k]) - static_cast<std::uint64_t>(low_)] = static_cast<std::uint32_t>(k);
  }
  std::size_t of(std::int64_t id) const {
    if (!table_.empty()) {
      const std::uint64_t d = static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(low_);
      const std::uint32_t k = d < table_.size() ? table_[d] : kAbsent;
      return k == kAbsent ? claimed_.size() : k;
    }
    auto it = std::lower_bound(claimed_.begin(), claimed_.end(), id);
    return it != claimed_.end() && *it == id ? static_cast<std::size_t>(it - claimed_.begin()) : claimed_.size();
  }

 private:
  static constexpr std::uint32_t kAbsent = 0xffffffffu;
  const std::vector<std::int64_t>& claimed_;
  std::int64_t low_ = 0;
  std::vector<std::uint32_t> table_;
};

template <typename Row, typename ParcelOf>
ByParcel group_by_parcel(const Places& places, std::size_t n, const std::vector<Row>& rows, ParcelOf parcel_of) {
  ByParcel g;
  std::vector<std::size_t> place(rows.size());
  g.start.assign(n + 2, 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    place[r] = places.of(parcel_of(rows[r]));
    if (place[r] < n) ++g.start[place[r] + 2];
  }
  for (std::size_t k = 2; k < n + 2; ++k) g.start[k] += g.start[k - 1];
  g.rows.resize(g.start[n + 1]);
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (place[r] < n) g.rows[g.start[place[r] + 1]++] = static_cast<std::uint32_t>(r);
  g.start.pop_back();
  return g;
}

std::string digits(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out += ch;
  return out;
}

}  // namespace

std::string normalise_phone(std::string_view phone) {
  std::string trimmed = lower_trim(phone);
  std::string d = digits(trimmed);
  if (!trimmed.empty() && trimmed.front() == '+' && d.rfind("84", 0) == 0) d = "0" + d.substr(2);
  return d;
}

Result<ClaimInput> load_claim_input(storage::Connection& c, const ClaimLoadOptions& o) {
  ClaimInput in;
  in.year = o.year;
  in.settings = o.settings;

  std::vector<PolicyVersion> policies;
  std::vector<std::string> one_time_codes;
  std::vector<PolicyVersion> stored;
  for (auto& r : SupportRepository::policies(c)) {
    bool replaced = std::any_of(o.extra_policies.begin(), o.extra_policies.end(), [&](const PolicyVersion& x) {
      return x.code == r.policy.code && x.version == r.policy.version;
    });
    if (!replaced) stored.push_back(std::move(r.policy));
  }
  stored.insert(stored.end(), o.extra_policies.begin(), o.extra_policies.end());
  for (auto& policy : stored) {
    if (policy.one_time &&
        std::find(one_time_codes.begin(), one_time_codes.end(), policy.code) == one_time_codes.end())
      one_time_codes.push_back(policy.code);
    policies.push_back(std::move(policy));
  }
  // Every case under a version refers to one shared copy of it.
  std::vector<std::shared_ptr<const PolicyVersion>> shared_policies;
  shared_policies.reserve(policies.size());
  for (const auto& p : policies) shared_policies.push_back(std::make_shared<const PolicyVersion>(p));
  // Everything is read side by side, with a database to borrow connections from, so
  // that the server's work on one read overlaps the decoding of another: the claimed
  // items (small rows) name the parcels whose registry facts are then read (a
  // province's year: 265,000 parcels with their history, rights, plantings and
  // suitability, by id, four reads) while the applications, the applicants and the
  // payments still arrive. Without a database, one read after another on `c`.
  auto on_own_connection = [&](auto read) {
    using R = decltype(read(c));
    if (!o.database) return std::async(std::launch::deferred, [&c, read] { return read(c); });
    return std::async(std::launch::async, [db = o.database, read]() -> R {
      auto conn = db->connect();
      return read(*conn);
    });
  };
  auto apps_f = on_own_connection([&](storage::Connection& k) {
    return SupportRepository::application_rows_for_checks(k, o.year, one_time_codes);
  });
  auto applicants_f = on_own_connection(
      [&](storage::Connection& k) { return SupportRepository::applicants_of_year(k, o.year, one_time_codes); });
  auto payments_f =
      on_own_connection([&](storage::Connection& k) { return SupportRepository::payments_of_year(k, o.year); });
  auto items = on_own_connection([&](storage::Connection& k) {
                 return SupportRepository::items_for_checks(k, o.year, one_time_codes);
               }).get();
  std::vector<std::int64_t> claimed;
  claimed.reserve(items.size());
  for (const auto& [application, item] : items)
    if (item.parcel_id) claimed.push_back(*item.parcel_id);
  std::sort(claimed.begin(), claimed.end());
  claimed.erase(std::unique(claimed.begin(), claimed.end()), claimed.end());
  auto geometries_f = on_own_connection(
      [&](storage::Connection& k) { return SupportRepository::parcel_geometries(k, claimed); });
  auto rights_f = on_own_connection([&](storage::Connection& k) { return SupportRepository::parcel_rights(k, claimed); });
  auto plantings_f = on_own_connection(
      [&](storage::Connection& k) { return SupportRepository::parcel_plantings(k, claimed); });
  auto classes_f = on_own_connection(
      [&](storage::Connection& k) { return SupportRepository::parcel_suitability(k, claimed); });
  auto zones = SupportRepository::zones(c);
  const auto applicants = applicants_f.get();
  for (const auto& a : applicants)
    in.applicants[a.external_id] = {a.kind, a.commune_code, a.citizen_id_hash, digits(a.bank_account),
                                    normalise_phone(a.phone)};
  for (auto& p : payments_f.get())
    in.payments.push_back({std::move(p.application), p.date, p.amount, p.kind});
  auto apps = apps_f.get();
  SupportRepository::name_applicants(apps, applicants);
  SupportRepository::attach_check_items(apps, std::move(items));
  auto classes = classes_f.get();
  auto geometries = geometries_f.get();
  auto rights = rights_f.get();
  auto plantings = plantings_f.get();

  const Places places(claimed);
  const std::size_t n_claimed = claimed.size();
  const auto geoms_of =
      group_by_parcel(places, n_claimed, geometries, [](const ParcelGeometryRow& g) { return g.parcel_id; });
  const auto plantings_of =
      group_by_parcel(places, n_claimed, plantings, [](const PlantingRow& p) { return p.parcel_id; });
  const auto classes_of =
      group_by_parcel(places, n_claimed, classes, [](const SuitabilityRow& r) { return r.parcel_id; });
  std::vector<std::vector<registry::LandRight>> rights_of(claimed.size());
  for (auto& r : rights)
    if (auto k = places.of(r.parcel.value); k < claimed.size()) rights_of[k].push_back(std::move(r));
  // The registry's order of a parcel's rights (registry::controller_on takes the first
  // lease or contribution in force, else the last owner): by start, then id.
  for (auto& list : rights_of)
    if (list.size() > 1)
      std::sort(list.begin(), list.end(), [](const registry::LandRight& x, const registry::LandRight& y) {
        return std::tie(x.valid_from, x.id.value) < std::tie(y.valid_from, y.id.value);
      });
  // The parcels' external ids, from their current rows (the items name them).
  std::vector<const std::string*> external_id_of(claimed.size(), nullptr);
  for (const auto& g : geometries)
    if (g.key > 0)
      if (auto k = places.of(g.parcel_id); k < claimed.size()) external_id_of[k] = &g.external_id;

  // The geometry version in force on a date: an earlier one whose period holds the
  // date, else the current one when the parcel exists on that date. A registry starts
  // after much of the history it serves: a parcel first recorded after the date (every
  // version begins later) is taken with its first recorded geometry.
  auto in_force = [&](std::size_t place, const CivilDate& d) -> const ParcelGeometryRow* {
    const ParcelGeometryRow* current = nullptr;
    const ParcelGeometryRow* first = nullptr;
    const ParcelGeometryRow* found = nullptr;
    geoms_of.each(place, [&](std::uint32_t r) {
      const ParcelGeometryRow* g = &geometries[r];
      if (found) return;
      if (g->key < 0 && covers(g->valid_from, g->valid_to, d)) found = g;
      if (g->key > 0) current = g;
      if (!first || g->valid_from < first->valid_from) first = g;
    });
    if (found) return found;
    if (first && d < first->valid_from) return first;
    if (current && covers(current->valid_from, current->valid_to, d)) {
      // An earlier boundary ends the day before the current one begins: the current
      // one holds only after every earlier period.
      bool earlier_holds = false;
      geoms_of.each(place, [&](std::uint32_t r) {
        const ParcelGeometryRow& g = geometries[r];
        if (g.key < 0 && g.valid_to && d <= *g.valid_to) earlier_holds = true;
      });
      return earlier_holds ? nullptr : current;
    }
    return nullptr;
  };

  // Cases, and the geometry versions that take part in the overlaps and zone shares.
  // Built in parts side by side (a province's year: 200,000 applications, a second and a
  // half on one core). Each part fills its own cases and lists what the steps after
  // need (shapes, zone shares, other controllers); the lists are joined in the
  // applications' order, so the result is the one a single pass gives.
  struct ZoneNeed {
    std::size_t c, i;
    std::string crop;
    CivilDate date;
  };
  // Controllers other than the applicant, named once their external ids are read.
  struct OtherController {
    std::size_t c, i;
    std::int64_t producer;
  };
  struct Part {
    std::vector<const ParcelGeometryRow*> shapes;  // in force for some item (repeats allowed)
    std::vector<ZoneNeed> zone_needs;
    std::vector<OtherController> other_controllers;
  };
  in.cases.resize(apps.size());
  auto build_cases = [&](std::size_t from, std::size_t to, Part& part) {
    for (std::size_t c = from; c < to; ++c) {
      auto& a = apps[c];
      for (auto& item : a.items)
        if (item.parcel_id)
          if (auto k = places.of(*item.parcel_id); k < claimed.size() && external_id_of[k])
            item.parcel = *external_id_of[k];
      ClaimCase& k = in.cases[c];
      if (const PolicyVersion* v = find_version_in_force(policies, a.policy, a.filed))
        k.policy = shared_policies[static_cast<std::size_t>(v - policies.data())];
      k.items.resize(a.items.size());
      if (k.policy && is_area(k.policy->item)) {
        const auto& req = k.policy->requires_;
        const std::string crop = req.crop ? lower_trim(*req.crop) : "";
        const std::string profile = req.profile ? *req.profile : req.crop.value_or("");
        for (std::size_t i = 0; i < a.items.size(); ++i) {
          if (!a.items[i].parcel_id) continue;
          const std::size_t place = places.of(*a.items[i].parcel_id);
          ParcelFacts& f = k.items[i];
          if (const auto* g = in_force(place, a.filed); g && g->geom) {
            f.geometry_key = g->key;
            f.area_ha = g->area_m2.value_or(0) / 10000.0;
            part.shapes.push_back(g);
            if (req.zone) part.zone_needs.push_back({c, i, crop, a.filed});
          }
          if (auto ctl = registry::controller_on(rights_of[place], a.filed)) {
            if (ctl->producer == a.applicant_id)
              f.controller = a.applicant;
            else
              part.other_controllers.push_back({c, i, ctl->producer.value});
          }
          if (req.crop && a.accepted)
            plantings_of.each(place, [&](std::uint32_t r) {
              const PlantingRow& p = plantings[r];
              if (lower_trim_equals(p.crop, crop) && p.start <= *a.accepted && (!p.end || *a.accepted <= *p.end))
                f.crop_in_force = true;
            });
          if (!req.suitability.empty())
            classes_of.each(place, [&](std::uint32_t r) {
              const SuitabilityRow& row = classes[r];  // one row per (parcel, profile)
              if (row.profile == profile && !row.dominant_class.empty()) f.dominant_class = row.dominant_class;
            });
        }
      }
      k.application = std::move(a).to_application();  // the record is read nowhere after
    }
  };
  const std::size_t part_count = std::clamp<std::size_t>(
      o.threads > 0 ? static_cast<std::size_t>(o.threads) : std::thread::hardware_concurrency(), 1, 8);
  std::vector<Part> parts(part_count);
  {
    std::vector<std::future<void>> others;
    const std::size_t per = (apps.size() + part_count - 1) / part_count;
    for (std::size_t p = 1; p < part_count; ++p)
      others.push_back(std::async(std::launch::async, build_cases, std::min(apps.size(), p * per),
                                  std::min(apps.size(), (p + 1) * per), std::ref(parts[p])));
    build_cases(0, std::min(apps.size(), per), parts[0]);
    for (auto& f : others) f.get();
  }
  // The overlap engine's input: each geometry version in force for some item, once,
  // moved rather than copied (a province's year: 265,000 parcels, 60 MB of WKB); the
  // zones are added below. `shape_at` finds a version's shape again for the rare union.
  std::vector<geo::ParcelShape> input;
  std::unordered_map<std::int64_t, std::size_t> shape_at;  // key → place in `input`
  std::vector<ZoneNeed> zone_needs;
  std::vector<OtherController> other_controllers;
  for (auto& part : parts) {
    for (const auto* g : part.shapes)
      if (shape_at.emplace(g->key, input.size()).second)
        input.push_back({"p" + std::to_string(g->key),
                         std::move(geometries[static_cast<std::size_t>(g - geometries.data())].geom.value())});
    zone_needs.insert(zone_needs.end(), std::make_move_iterator(part.zone_needs.begin()),
                      std::make_move_iterator(part.zone_needs.end()));
    other_controllers.insert(other_controllers.end(), part.other_controllers.begin(), part.other_controllers.end());
  }

  if (!other_controllers.empty()) {
    std::vector<std::int64_t> ids;
    ids.reserve(other_controllers.size());
    for (const auto& o : other_controllers) ids.push_back(o.producer);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const auto keys = SupportRepository::producer_keys(c, ids);
    for (const auto& o : other_controllers)
      if (auto it = keys.find(o.producer); it != keys.end()) in.cases[o.c].items[o.i].controller = it->second;
  }

  // One pass of the overlap engine over the claimed geometries and the zones: pairs
  // of parcels give the overlaps, parcel–zone pairs the zone shares.
  if (!zone_needs.empty())  // some item needs its share of the zones
    for (const auto& z : zones)
      if (z.geom) input.push_back({"z" + std::to_string(z.id), *z.geom});
  geo::OverlapOptions oo;
  oo.min_overlap_m2 = 0;
  oo.threads = o.threads;
  if (o.progress) oo.progress = [&](std::size_t done, std::size_t total) { o.progress("geometry", done, total); };
  auto pairs = geo::find_overlaps(input, oo);
  if (!pairs) return pairs.error();
  // The parcel–zone pairs as (parcel key, zone, m²), grouped by parcel in the order the
  // engine gave them (a stable sort) and found by binary search: one flat array, not a
  // hash map of a list per parcel (a province's year: 265,000 parcels, on one core).
  struct ZoneArea {
    std::int64_t parcel, zone;
    double m2;
  };
  std::vector<ZoneArea> zone_area;
  std::set<std::pair<std::int64_t, std::int64_t>> zones_over_each_other;
  auto key_of = [](const std::string& name) {  // "p123", "p-45" or "z6", as named above
    std::int64_t v = 0;
    std::from_chars(name.data() + 1, name.data() + name.size(), v);
    return v;
  };
  for (const auto& p : *pairs) {
    const bool a_zone = p.a[0] == 'z', b_zone = p.b[0] == 'z';
    const std::int64_t a = key_of(p.a), b = key_of(p.b);
    if (a_zone && b_zone) {
      zones_over_each_other.insert(std::minmax(a, b));
      continue;
    }
    if (!a_zone && !b_zone) {
      if (p.overlap_m2 > o.settings.min_overlap_m2) in.overlaps.push_back({a, b, p.overlap_m2});
    } else {
      zone_area.push_back({a_zone ? b : a, a_zone ? a : b, p.overlap_m2});
    }
  }
  std::stable_sort(zone_area.begin(), zone_area.end(),
                   [](const ZoneArea& x, const ZoneArea& y) { return x.parcel < y.parcel; });
  std::map<std::vector<std::int64_t>, std::optional<storage::Geometry>> zone_unions;
  struct ZoneInfo {
    const ZoneRow* row;
    std::string commodity;  // lower_trim'd once, not once per parcel that meets it
  };
  std::unordered_map<std::int64_t, ZoneInfo> zone_by_id;
  for (const auto& z : zones) zone_by_id[z.id] = {&z, lower_trim(z.commodity)};
  for (const auto& need : zone_needs) {
    ParcelFacts& f = in.cases[need.c].items[need.i];
    const double area_m2 = f.area_ha * 10000.0;
    if (area_m2 <= 0) continue;
    double inside = 0;
    std::vector<std::int64_t> in_zones;
    auto [first, last] = std::equal_range(zone_area.begin(), zone_area.end(), ZoneArea{f.geometry_key, 0, 0},
                                          [](const ZoneArea& x, const ZoneArea& y) { return x.parcel < y.parcel; });
    for (auto it = first; it != last; ++it) {
      auto z = zone_by_id.find(it->zone);
      if (z != zone_by_id.end() && z->second.commodity == need.crop &&
          covers(z->second.row->period_from, z->second.row->period_to, need.date)) {
        inside += it->m2;
        in_zones.push_back(it->zone);
      }
    }
    // Zones of the crop drawn over each other: the land in two of them counts once, so
    // the parcel is measured against their union (rare; most parcels meet one zone).
    bool overlapping = false;
    for (std::size_t i = 0; i < in_zones.size() && !overlapping; ++i)
      for (std::size_t j = i + 1; j < in_zones.size() && !overlapping; ++j)
        overlapping = zones_over_each_other.count(std::minmax(in_zones[i], in_zones[j])) > 0;
    if (overlapping) {
      std::sort(in_zones.begin(), in_zones.end());
      auto& u = zone_unions[in_zones];
      if (!u) {
        std::vector<storage::Geometry> parts;
        for (auto zone : in_zones) parts.push_back(*zone_by_id.at(zone).row->geom);
        auto joined = geo::union_all(parts);
        if (!joined) return joined.error();
        u = std::move(*joined);
      }
      auto a = geo::intersection_area_m2(input[shape_at.at(f.geometry_key)].geom, *u);
      if (!a) return a.error();
      inside = *a;
    }
    f.zone_share = std::min(1.0, inside / area_m2);
  }
  return in;
}

}  // namespace nongsan::support
