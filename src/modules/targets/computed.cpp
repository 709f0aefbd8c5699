#include "modules/targets/computed.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/wkb.hpp"
#include "geo/zone_shares.hpp"
#include "modules/admin/rollup.hpp"
#include "modules/support/support_figures.hpp"
#include "modules/chains/chain_figures.hpp"
#include "modules/targets/registry_reads.hpp"
#include "storage/value.hpp"

namespace nongsan::targets {

Result<ComputedDefinition> parse_computed(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception&) {
    return Error::invalid("the computed definition is not valid", {{"computed", "is not JSON"}});
  }
  if (!j.is_object() || !j.contains("measure") || !j["measure"].is_string())
    return Error::invalid("the computed definition is not valid", {{"computed", "needs a \"measure\""}});
  ComputedDefinition d;
  d.measure = j["measure"].get<std::string>();
  for (const char* k : {"crop", "commodity"})
    if (j.contains(k) && j[k].is_string()) d.crop = j[k].get<std::string>();
  static const std::set<std::string> measures = {"planted_area",     "zone_area",      "converted_from_rice",
                                                 "linked_producers", "supported_area", "support_paid",
                                                 "linkage_chains",   "linkage_households", "linkage_hectares"};
  if (!measures.contains(d.measure))
    return Error::invalid("the computed definition is not valid",
                          {{"computed", "unknown measure '" + d.measure +
                                            "' (planted_area, zone_area, converted_from_rice, linked_producers, "
                                            "supported_area, support_paid, linkage_chains, linkage_households, linkage_hectares)"}});
  if (j.contains("policy")) {
    if (!support::parse_support_measure(d.measure))
      return Error::invalid("the computed definition is not valid",
                            {{"computed", "only supported_area and support_paid take a \"policy\""}});
    if (!j["policy"].is_string() && !j["policy"].is_null())
      return Error::invalid("the computed definition is not valid", {{"computed", "\"policy\" must be a policy code"}});
    if (j["policy"].is_string()) d.policy = j["policy"].get<std::string>();
  }
  if ((d.measure == "planted_area" || d.measure == "zone_area") && d.crop.empty())
    return Error::invalid("the computed definition is not valid", {{"computed", d.measure + " needs a \"crop\""}});
  return d;
}

namespace {
using Repo = RegistryReads;

std::optional<UnitId> unit_at(const storage::RowView& r, std::size_t i) {
  return r.is_null(i) ? std::nullopt : std::optional<UnitId>(UnitId(r.i64(i)));
}

std::vector<ComputedRecord> planted(storage::Connection& c, const std::string& crop, const CivilDate& d) {
  std::vector<ComputedRecord> out;
  Repo::each_crop_planting_on(c, crop, d, [&](const storage::RowView& r) {
    out.push_back({"planting", r.i64(0), r.i64(1), unit_at(r, 2), r.f64(3) / 10000.0});
  });
  return out;
}

// The zones of a commodity with their envelopes, and a grid over them so that a parcel
// meets only the zones near it: a province has a million parcels and hundreds of zones,
// and an exact intersection costs a projection and a GEOS overlay.
class ZoneIndex {
 public:
  ZoneIndex(storage::Connection& c, const std::string& commodity) {
    std::vector<storage::Geometry> shapes;
    Repo::each_zone_shape(c, commodity, [&](const storage::RowView& r) {
      if (r.is_null(0)) return;
      storage::Geometry zg = r.geometry(0);
      zones_.push_back({zg, envelope(zg)});
      shapes.push_back(std::move(zg));
    });
    // In the projected CRS once, not once per parcel that meets it.
    shapes_.emplace(shapes);
    bool first = true;
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      const auto& z = zones_[i];
      if (!z.box || z.geom.srid != kIndexedSrid) {
        others_.push_back(i);  // an envelope in another CRS (or none) says nothing here
        continue;
      }
      if (first) all_ = *z.box, first = false;
      all_.min_x = std::min(all_.min_x, z.box->min_x), all_.min_y = std::min(all_.min_y, z.box->min_y);
      all_.max_x = std::max(all_.max_x, z.box->max_x), all_.max_y = std::max(all_.max_y, z.box->max_y);
    }
    cells_.assign(kGrid * kGrid, {});
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      if (!zones_[i].box || zones_[i].geom.srid != kIndexedSrid) continue;
      indexed_ = true;
      auto [x0, y0, x1, y1] = cell_range(*zones_[i].box);
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) cells_[y * kGrid + x].push_back(i);
    }
  }
  bool empty() const { return zones_.empty(); }

  // A thread's scratch for `fraction`: its list of candidate zones and its reading of
  // the zones (GEOS geometries stay on the thread that made them).
  struct Scratch {
    std::vector<std::size_t> candidates;
    std::optional<geo::ZoneShapes::Reader> reader;
  };
  // The share of the parcel inside the zones (capped at 1), as the registry's zone
  // measures count it: the sum of its intersections with each zone, in zone id order.
  // Zones whose envelope misses the parcel's add nothing and are not intersected.
  double fraction(const storage::Geometry& parcel, double area) { return fraction(parcel, area, scratch_); }
  // The same, with the caller's scratch: const, so several threads may ask at once,
  // each with its own scratch (GEOS and PROJ keep a context per thread,
  // geo/geos_context.hpp).
  double fraction(const storage::Geometry& parcel, double area, Scratch& scratch) const {
    auto& candidates = scratch.candidates;
    auto box = envelope(parcel);
    candidates = others_;
    if (!box || parcel.srid != kIndexedSrid) {
      for (std::size_t i = 0; i < zones_.size(); ++i) candidates.push_back(i);
    } else if (indexed_ && meets(all_, *box)) {
      auto [x0, y0, x1, y1] = cell_range(*box);
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
          for (std::size_t i : cells_[y * kGrid + x])
            if (meets(*zones_[i].box, *box)) candidates.push_back(i);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (candidates.empty()) return 0;
    // The parcel is projected once for all the zones it meets, each zone once per
    // thread (the same coordinates and overlays as intersection_area_m2 of each pair:
    // the same areas, to the bit).
    if (!scratch.reader) scratch.reader.emplace(*shapes_);
    const double inside = scratch.reader->area_inside(parcel, candidates);
    return std::min(1.0, inside / area);
  }

 private:
  static constexpr int kGrid = 64;
  static constexpr int kIndexedSrid = 4326;  // the registry's SRID; others are intersected one by one
  struct Zone {
    storage::Geometry geom;
    std::optional<wkb::Envelope> box;
  };
  // From the WKB itself (no GEOS parse): a million parcels are read once each.
  static std::optional<wkb::Envelope> envelope(const storage::Geometry& g) {
    auto e = wkb::read_envelope(g.wkb);
    if (!e) return std::nullopt;
    return *e;
  }
  static bool meets(const wkb::Envelope& a, const wkb::Envelope& b) {
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
  }
  std::tuple<int, int, int, int> cell_range(const wkb::Envelope& b) const {
    auto cell = [](double v, double lo, double hi) {
      if (!(hi > lo)) return 0;
      int i = static_cast<int>((v - lo) / (hi - lo) * kGrid);
      return std::clamp(i, 0, kGrid - 1);
    };
    return {cell(b.min_x, all_.min_x, all_.max_x), cell(b.min_y, all_.min_y, all_.max_y),
            cell(b.max_x, all_.min_x, all_.max_x), cell(b.max_y, all_.min_y, all_.max_y)};
  }
  std::vector<Zone> zones_;
  wkb::Envelope all_;
  bool indexed_ = false;
  std::vector<std::vector<std::size_t>> cells_;
  std::vector<std::size_t> others_;
  std::optional<geo::ZoneShapes> shapes_;  // the zones' geometries, for the overlays
  Scratch scratch_;                        // fraction(parcel, area): the calling thread's
};

std::vector<ComputedRecord> in_zones(storage::Connection& c, const std::string& commodity, const CivilDate& d) {
  std::vector<ComputedRecord> out;
  ZoneIndex zones(c, commodity);
  if (zones.empty()) return out;
  auto plantings = planted(c, commodity, d);
  if (plantings.empty()) return out;
  std::map<std::int64_t, std::vector<const ComputedRecord*>> by_parcel;
  for (const auto& p : plantings) by_parcel[p.parcel].push_back(&p);
  for (const auto& [parcel, recs] : by_parcel) {
    std::optional<storage::Geometry> geom;
    double area = 0;
    Repo::parcel_shape(c, parcel, [&](const storage::RowView& r) {
      if (!r.is_null(0)) geom = r.geometry(0);
      area = r.is_null(1) ? 0 : r.f64(1);
    });
    if (!geom || area <= 0) continue;
    double fraction = zones.fraction(*geom, area);
    if (fraction < 0.5) continue;  // the zone-measure rule: at least half inside
    for (const auto* r : recs) {
      ComputedRecord x = *r;
      x.value *= fraction;
      out.push_back(x);
    }
  }
  return out;
}

std::vector<ComputedRecord> converted(storage::Connection& c, const std::string& crop, const CivilDate& from,
                                      const CivilDate& to) {
  std::vector<ComputedRecord> out;
  Repo::each_rice_conversion(c, crop, from, to, [&](const storage::RowView& r) {
    out.push_back({"conversion", r.i64(0), r.i64(1), unit_at(r, 2), r.f64(3) / 10000.0});
  });
  return out;
}

std::vector<ComputedRecord> linked(storage::Connection& c, const CivilDate& d) {
  std::map<std::int64_t, std::optional<UnitId>> producers;
  auto add = [&](const storage::RowView& r) { producers[r.i64(0)] = unit_at(r, 1); };
  Repo::each_member_on(c, d, add);
  // Owners whose land is leased or contributed (liên kết đất đai) on the date.
  Repo::each_owner_leasing_on(c, d, add);
  std::vector<ComputedRecord> out;
  for (const auto& [id, unit] : producers) out.push_back({"producer", id, 0, unit, 1.0});
  return out;
}
}  // namespace

std::vector<ComputedRecord> computed_records(storage::Connection& c, const ComputedDefinition& d, Kind kind,
                                             const CivilDate& programme_start, const CivilDate& date) {
  if (d.measure == "planted_area") return planted(c, d.crop, date);
  if (d.measure == "zone_area") return in_zones(c, d.crop, date);
  if (d.measure == "converted_from_rice") {
    CivilDate from = kind == Kind::flow ? CivilDate(date.year(), 1, 1) : programme_start;
    return converted(c, d.crop, from, date);
  }
  if (d.measure == "linked_producers") return linked(c, date);
  if (auto m = support::parse_support_measure(d.measure)) {
    CivilDate from = kind == Kind::flow ? CivilDate(date.year(), 1, 1) : programme_start;
    std::vector<ComputedRecord> out;
    for (const auto& f : support::support_figures(c, *m, d.policy, from, date)) {
      ComputedRecord r;
      r.kind = "application";
      r.id = f.application.value;
      r.unit = f.unit;
      r.value = f.value;
      r.code = f.code;
      r.basis = f.basis;
      out.push_back(std::move(r));
    }
    return out;
  }
  if (auto m = chains::parse_linkage_measure(d.measure)) {
    std::vector<ComputedRecord> out;
    for (const auto& f : chains::linkage_figures(c, *m, d.crop, date)) {
      ComputedRecord r;
      r.kind = "contract";
      r.id = f.contract;
      r.unit = f.unit;
      r.value = f.value;
      r.code = f.code;
      out.push_back(std::move(r));
    }
    return out;
  }
  return {};
}

std::vector<std::pair<UnitId, double>> attribute(const admin::UnitGraph& g, UnitId unit, const CivilDate& date) {
  std::function<void(UnitId, double, int, std::vector<std::pair<UnitId, double>>&)> go =
      [&](UnitId u, double weight, int depth, std::vector<std::pair<UnitId, double>>& out) {
        const admin::AdminUnit* au = g.find(u);
        if (!au || depth > 16) return;
        if (au->valid_on(date)) {
          out.push_back({u, weight});
          return;
        }
        // A unit abolished before the date (an application filed in 2023 under an old
        // commune, asked about 2025): the units that replaced it, by successor share.
        if (au->valid_to && *au->valid_to < date) {
          std::vector<admin::Succession> next;
          double total = 0;
          for (const auto& s : g.successors(u))
            if (s.effective <= date && s.share > 0) {
              next.push_back(s);
              total += s.share;
            }
          for (const auto& s : next) go(s.successor, weight * s.share / total, depth + 1, out);
          return;
        }
        std::vector<admin::Succession> preds;
        for (const auto& s : g.predecessors(u))
          if (s.effective > date) preds.push_back(s);
        // The finest predecessors: those with no other predecessor below them (the
        // whole communes rather than a district shared out by area).
        std::vector<admin::Succession> finest;
        for (const auto& s : preds) {
          bool has_finer = std::any_of(preds.begin(), preds.end(), [&](const admin::Succession& o) {
            return o.predecessor != s.predecessor && g.is_within_on(o.predecessor, s.predecessor, date);
          });
          if (!has_finer) finest.push_back(s);
        }
        if (finest.empty()) return;
        bool areas = std::all_of(finest.begin(), finest.end(), [&](const admin::Succession& s) {
          const admin::AdminUnit* p = g.find(s.predecessor);
          return p && p->area_m2 && *p->area_m2 > 0;
        });
        std::vector<double> w;
        double total = 0;
        for (const auto& s : finest) {
          double x = s.share * (areas ? *g.find(s.predecessor)->area_m2 : 1.0);
          w.push_back(x);
          total += x;
        }
        if (total <= 0) return;
        for (std::size_t i = 0; i < finest.size(); ++i) go(finest[i].predecessor, weight * w[i] / total, depth + 1, out);
      };
  std::vector<std::pair<UnitId, double>> out;
  go(unit, 1.0, 0, out);
  return out;
}

namespace {
// A registry record with the dates between which it counts, read once for every year
// of a review (one pass over the registry per measure, not one per year).
struct DatedRecord {
  std::int64_t from = 0, to = 0;  // days since the epoch, both included
  std::optional<UnitId> unit;
  double value = 0;
};
constexpr std::int64_t kOpenEnd = std::numeric_limits<std::int64_t>::max();

// Adds records' values for one reference date into (unit, year): the units each
// record is attributed to and their ancestors, found once per filed unit. The sums
// are made in record order, as one map entry per unit would make them.
class YearSums {
 public:
  YearSums(const admin::UnitGraph& g, const CivilDate& d) : g_(g), d_(d) {}
  void add(const std::optional<UnitId>& unit, double value) {
    if (!unit) return;
    // Records come mostly grouped by unit (a commune's parcels are numbered together):
    // the last unit's entry is kept rather than looked up again for each record.
    if (last_ && *last_ == *unit) {
      for (const auto& [s, w] : *last_to_) sums_[s] += value * w;
      return;
    }
    auto it = targets_.find(*unit);
    if (it == targets_.end()) {
      std::vector<std::pair<std::size_t, double>> to;
      for (const auto& [leaf, w] : attribute(g_, *unit, d_)) {
        to.push_back({slot(leaf), w});
        for (UnitId up : g_.ancestors_on(leaf, d_)) to.push_back({slot(up), w});
      }
      it = targets_.emplace(*unit, std::move(to)).first;
    }
    last_ = *unit;
    last_to_ = &it->second;  // unordered_map keeps its values in place
    for (const auto& [s, w] : it->second) sums_[s] += value * w;
  }
  void into(std::map<std::pair<UnitId, int>, double>& t, int year) const {
    for (std::size_t i = 0; i < units_.size(); ++i) t[{units_[i], year}] += sums_[i];
  }

 private:
  std::size_t slot(UnitId u) {
    auto [it, fresh] = slots_.emplace(u, units_.size());
    if (fresh) {
      units_.push_back(u);
      sums_.push_back(0.0);
    }
    return it->second;
  }
  const admin::UnitGraph& g_;
  CivilDate d_;
  std::unordered_map<UnitId, std::vector<std::pair<std::size_t, double>>> targets_;
  std::unordered_map<UnitId, std::size_t> slots_;
  std::vector<UnitId> units_;
  std::vector<double> sums_;
  std::optional<UnitId> last_;
  const std::vector<std::pair<std::size_t, double>>* last_to_ = nullptr;
};

std::int64_t days_of(const storage::RowView& r, std::size_t i) {
  return r.is_null(i) ? kOpenEnd : r.date(i).days_since_epoch();
}

// The plantings of a crop that began by `last`, read once: in the order the per-date
// reading adds them for planted_area (by planting id) and, when `zones` is wanted, for
// zone_area (by parcel then id, with the share of the parcel inside the crop's zones;
// parcels less than half inside left out). Read unordered (a sort of a province's
// plantings spills to disk in the database) and put in order here.
struct CropPlantings {
  std::vector<DatedRecord> planted, in_zones;
};
struct PlantingRow {
  std::int64_t parcel, id;
  DatedRecord rec;
};
std::vector<PlantingRow> planting_rows(storage::Connection& c, const std::string& crop, const CivilDate& last,
                                       ZoneIndex* zones, std::unordered_map<std::int64_t, double>* fraction) {
  std::vector<PlantingRow> rows;
  Repo::each_crop_planting(c, crop, last, zones != nullptr, [&](const storage::RowView& r) {
    std::int64_t parcel = r.i64(1);
    if (zones && !fraction->contains(parcel)) {
      double area = r.is_null(6) ? 0 : r.f64(6);
      fraction->emplace(parcel, r.is_null(7) || area <= 0 ? 0 : zones->fraction(r.geometry(7), area));
    }
    rows.push_back({parcel, r.i64(0), {r.date(4).days_since_epoch(), days_of(r, 5), unit_at(r, 2), r.f64(3) / 10000.0}});
  });
  return rows;
}

// From this many parcels to intersect, on two threads (a thread costs tens of
// microseconds; small, so that the tests' registries take the two-thread path too).
constexpr std::size_t kParallelIntersections = 2;

// PostgreSQL: the share inside the zones of the parcels of `planted` whose envelope
// meets a zone's (`&&` through the parcels' GiST index: a parcel whose box meets no
// zone's box has nothing inside, and ZoneIndex would intersect nothing for it). Only
// those parcels send their geometry; the others are left at 0 (in the bench's province,
// 44,189 of 377,516 tea plantings are on parcels near a tea zone).
std::unordered_map<std::int64_t, double> zone_fractions_near(storage::Connection& c, const std::string& crop,
                                                             ZoneIndex& zones, const std::vector<PlantingRow>& planted) {
  // The parcels with a planting of the crop, sorted (they mostly come in parcel order
  // already): a binary search each, rather than a hash set of a node per planting.
  std::vector<std::int64_t> wanted;
  wanted.reserve(planted.size());
  for (const auto& r : planted) wanted.push_back(r.parcel);
  if (!std::is_sorted(wanted.begin(), wanted.end())) std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::unordered_map<std::int64_t, double> fraction;
  struct Near {
    std::int64_t parcel;
    double area;
    storage::Geometry geom;
  };
  std::vector<Near> near;
  Repo::each_parcel_near_zones(c, crop, [&](const storage::RowView& r) {
    std::int64_t parcel = r.i64(0);
    if (!std::binary_search(wanted.begin(), wanted.end(), parcel) || fraction.contains(parcel))
      return;  // a parcel meeting two zones comes twice
    double area = r.is_null(1) ? 0 : r.f64(1);
    if (r.is_null(2) || area <= 0) {
      fraction.emplace(parcel, 0);
      return;
    }
    fraction.emplace(parcel, 0);  // its share is set below
    near.push_back({parcel, area, r.geometry(2)});
  });
  // The intersections on both cores: each parcel's share is computed alone (the sum over
  // its zones in zone order, as before), so the split changes no figure; the shares are
  // written by position and put into the map afterwards, in the order read.
  std::vector<double> share(near.size(), 0.0);
  auto intersect = [&](std::size_t part, std::size_t parts) {
    ZoneIndex::Scratch scratch;  // made, used and destroyed on this thread
    for (std::size_t i = part; i < near.size(); i += parts) share[i] = zones.fraction(near[i].geom, near[i].area, scratch);
  };
  std::exception_ptr failed;
  if (near.size() >= kParallelIntersections) {
    std::thread helper([&] {
      try {
        intersect(1, 2);
      } catch (...) {
        failed = std::current_exception();
      }
    });
    try {
      intersect(0, 2);
    } catch (...) {
      helper.join();
      throw;
    }
    helper.join();
    if (failed) std::rethrow_exception(failed);
  } else {
    intersect(0, 1);
  }
  for (std::size_t i = 0; i < near.size(); ++i) fraction[near[i].parcel] = share[i];
  return fraction;
}

CropPlantings assemble_plantings(std::vector<PlantingRow> rows, const std::unordered_map<std::int64_t, double>* fraction) {
  CropPlantings out;
  std::sort(rows.begin(), rows.end(), [](const PlantingRow& a, const PlantingRow& b) { return a.id < b.id; });
  out.planted.reserve(rows.size());
  for (const auto& r : rows) out.planted.push_back(r.rec);
  if (!fraction) return out;
  // By parcel, then planting: the order in which the per-date reading adds them.
  std::sort(rows.begin(), rows.end(), [](const PlantingRow& a, const PlantingRow& b) {
    return a.parcel != b.parcel ? a.parcel < b.parcel : a.id < b.id;
  });
  for (const auto& r : rows) {
    auto it = fraction->find(r.parcel);
    double f = it == fraction->end() ? 0 : it->second;
    if (f < 0.5) continue;  // the zone-measure rule: at least half inside
    DatedRecord x = r.rec;
    x.value *= f;
    out.in_zones.push_back(x);
  }
  return out;
}

CropPlantings read_plantings(storage::Connection& c, const std::string& crop, bool zones_wanted,
                             const CivilDate& last) {
  std::optional<ZoneIndex> zones;
  if (zones_wanted) {
    zones.emplace(c, crop);
    if (zones->empty()) zones.reset();
  }
  std::unordered_map<std::int64_t, double> fraction;  // the share of each parcel inside the zones
  if (!zones) return assemble_plantings(planting_rows(c, crop, last, nullptr, nullptr), nullptr);
  if (c.backend() == storage::Backend::postgres) {
    auto rows = planting_rows(c, crop, last, nullptr, nullptr);
    fraction = zone_fractions_near(c, crop, *zones, rows);
    return assemble_plantings(std::move(rows), &fraction);
  }
  // SQLite: every parcel's geometry with its planting (its envelope is read from the WKB).
  auto rows = planting_rows(c, crop, last, &*zones, &fraction);
  return assemble_plantings(std::move(rows), &fraction);
}

// Conversions from rice up to `last`, by id; `from` is the conversion date.
std::vector<DatedRecord> dated_conversions(storage::Connection& c, const std::string& crop, const CivilDate& last) {
  std::vector<DatedRecord> out;
  Repo::each_rice_conversion(c, crop, std::nullopt, last, [&](const storage::RowView& r) {
    auto day = r.date(4).days_since_epoch();
    out.push_back({day, day, unit_at(r, 2), r.f64(3) / 10000.0});
  });
  return out;
}

// Producers under linkage, each with the spans in which it is linked: memberships,
// and ownership of land leased or contributed to another producer (both rights in
// force). Read once; the producers linked on a date are found in memory.
struct LinkSpans {
  std::optional<UnitId> unit;
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
};
using Links = std::map<std::int64_t, LinkSpans>;
// One row of either read: a producer, its unit and one span in which it is linked.
struct LinkRow {
  std::int64_t producer;
  std::optional<UnitId> unit;
  std::int64_t from, to;
};
std::vector<LinkRow> membership_rows(storage::Connection& c, const CivilDate& last) {
  std::vector<LinkRow> out;
  Repo::each_membership(c, last, [&](const storage::RowView& r) {
    out.push_back({r.i64(0), unit_at(r, 1), r.date(2).days_since_epoch(), days_of(r, 3)});
  });
  return out;
}
std::vector<LinkRow> owner_lease_rows(storage::Connection& c, const CivilDate& last) {
  std::vector<LinkRow> out;
  Repo::each_owner_lease(c, last, [&](const storage::RowView& r) {
    out.push_back({r.i64(0), unit_at(r, 1), std::max(r.date(2).days_since_epoch(), r.date(4).days_since_epoch()),
                   std::min(days_of(r, 3), days_of(r, 5))});
  });
  return out;
}
// The two reads folded by producer, memberships first: kept apart so that a review
// reading the registry on two connections can run them side by side.
Links fold_links(const std::vector<LinkRow>& members, const std::vector<LinkRow>& leases) {
  Links out;
  for (const auto* rows : {&members, &leases})
    for (const auto& r : *rows) {
      auto& l = out[r.producer];
      l.unit = r.unit;
      l.spans.push_back({r.from, r.to});
    }
  return out;
}
Links linkage_spans(storage::Connection& c, const CivilDate& last) {
  return fold_links(membership_rows(c, last), owner_lease_rows(c, last));
}
}  // namespace

struct RegistryReading {
  std::set<std::string> zone_crops;  // crops with a zone_area indicator in the review
  std::map<std::pair<std::string, std::int64_t>, CropPlantings> plantings;  // (crop, last day)
  std::map<std::pair<std::string, std::int64_t>, std::vector<DatedRecord>> conversions;  // (crop, last day)
  std::map<std::int64_t, Links> links;                                                   // last day
};

SharedRegistryReading::SharedRegistryReading(const std::vector<Indicator>& indicators)
    : state_(std::make_unique<RegistryReading>()) {
  for (const auto& i : indicators)
    if (auto d = parse_computed(i.computed); d && d->measure == "zone_area") state_->zone_crops.insert(d->crop);
}
SharedRegistryReading::~SharedRegistryReading() = default;

namespace {
// A snapshot id as pg_export_snapshot() writes it (hex digits and dashes): checked
// before it is written into SET TRANSACTION SNAPSHOT, which takes no parameter.
// The connections a review reads the registry on at once: the machine's two cores (three
// or four measured no faster at 1M parcels: the work is CPU-bound, not waiting).
constexpr std::size_t kReadConnections = 2;
}  // namespace

void SharedRegistryReading::prefetch(storage::Database& db, const std::vector<Indicator>& indicators,
                                     const CivilDate& as_of) {
  if (db.backend() != storage::Backend::postgres) return;  // SQLite reads them as they are asked for
  auto& st = *state_;
  const CivilDate last = admin::reference_date(as_of.year(), as_of);
  const std::int64_t day = last.days_since_epoch();
  // What the computed indicators will ask for, each read once.
  std::set<std::string> crops, conversion_crops;
  bool links = false;
  for (const auto& i : indicators) {
    auto d = parse_computed(i.computed);
    if (!d) continue;
    if (d->measure == "planted_area" || d->measure == "zone_area") crops.insert(d->crop);
    if (d->measure == "converted_from_rice") conversion_crops.insert(d->crop);
    if (d->measure == "linked_producers") links = true;
  }
  std::vector<std::function<void(storage::Connection&)>> reads;
  std::vector<CropPlantings> planted(crops.size());
  std::vector<std::vector<DatedRecord>> converted(conversion_crops.size());
  std::vector<LinkRow> members, leases;
  {
    // The largest reads first (the crops' plantings, with their zone shares), so that
    // the connections end close together: each takes the next read when it is free.
    std::size_t k = 0;
    for (const auto& crop : crops) {
      reads.push_back([&, crop, k](storage::Connection& c) {
        planted[k] = read_plantings(c, crop, st.zone_crops.contains(crop), last);
      });
      ++k;
    }
    if (links) {
      reads.push_back([&](storage::Connection& c) { leases = owner_lease_rows(c, last); });
      reads.push_back([&](storage::Connection& c) { members = membership_rows(c, last); });
    }
    k = 0;
    for (const auto& crop : conversion_crops) {
      reads.push_back([&, crop, k](storage::Connection& c) { converted[k] = dated_conversions(c, crop, last); });
      ++k;
    }
  }
  if (reads.size() < 2) return;  // nothing to share out: read as asked
  // Several connections (the database works on one read while this process takes the
  // rows of another) in one snapshot, so that the reads see the registry as one
  // transaction would: the first exports its snapshot, the others take it.
  const std::size_t n = std::min(reads.size(), kReadConnections);
  std::vector<std::shared_ptr<storage::Connection>> conns;
  for (std::size_t i = 0; i < n; ++i) conns.push_back(db.connect());
  auto close_all = [&] {
    for (auto& c : conns) c->rollback();  // read only: nothing to commit
  };
  // A server that cannot share a snapshot (a distributed installation may refuse
  // SET TRANSACTION SNAPSHOT) is read as before: one reading after the other, as asked.
  try {
    const std::string id = Repo::begin_shared_snapshot(*conns[0]);
    for (std::size_t i = 1; i < n; ++i) Repo::join_shared_snapshot(*conns[i], id);
  } catch (const std::exception&) {
    close_all();
    return;
  }
  std::vector<std::exception_ptr> failed(n);
  try {
    std::atomic<std::size_t> next{0};
    auto work = [&](std::size_t w) {
      try {
        for (std::size_t i = next++; i < reads.size(); i = next++) reads[i](*conns[w]);
      } catch (...) {
        failed[w] = std::current_exception();
        next = reads.size();  // the others stop after their current read
      }
    };
    std::vector<std::thread> helpers;
    for (std::size_t w = 1; w < n; ++w) helpers.emplace_back(work, w);
    work(0);
    for (auto& t : helpers) t.join();
  } catch (...) {
    close_all();
    throw;
  }
  close_all();
  for (const auto& f : failed)
    if (f) std::rethrow_exception(f);
  std::size_t k = 0;
  for (const auto& crop : crops) st.plantings[{crop, day}] = std::move(planted[k++]);
  k = 0;
  for (const auto& crop : conversion_crops) st.conversions[{crop, day}] = std::move(converted[k++]);
  if (links) st.links[day] = fold_links(members, leases);
}

std::map<std::pair<UnitId, int>, double> computed_values(storage::Connection& c, const admin::UnitGraph& g,
                                                         const Programme& p, const Indicator& ind,
                                                         const CivilDate& as_of, SharedRegistryReading* shared) {
  std::map<std::pair<UnitId, int>, double> t;
  auto def = parse_computed(ind.computed);
  if (!def) return t;
  const int first = std::min(p.baseline_year, p.start.year());
  // The last reference date is as_of itself (reference_date of its own year).
  const CivilDate last = admin::reference_date(as_of.year(), as_of);
  const std::int64_t last_day = last.days_since_epoch();
  const std::vector<DatedRecord>* dated = nullptr;
  const Links* links = nullptr;
  // Read here when no shared reading holds them (kept until the end of the function).
  std::optional<CropPlantings> own_plantings;
  std::optional<std::vector<DatedRecord>> own_conversions;
  std::optional<Links> own_links;
  RegistryReading* st = shared ? &shared->state() : nullptr;
  if (def->measure == "planted_area" || def->measure == "zone_area") {
    const bool zone = def->measure == "zone_area";
    const CropPlantings* read = nullptr;
    if (st) {
      auto key = std::pair{def->crop, last_day};
      auto it = st->plantings.find(key);
      if (it == st->plantings.end())
        it = st->plantings.emplace(key, read_plantings(c, def->crop, zone || st->zone_crops.contains(def->crop), last)).first;
      read = &it->second;
    } else {
      read = &own_plantings.emplace(read_plantings(c, def->crop, zone, last));
    }
    dated = zone ? &read->in_zones : &read->planted;
  } else if (def->measure == "converted_from_rice") {
    if (st)
      if (auto it = st->conversions.find({def->crop, last_day}); it != st->conversions.end()) dated = &it->second;
    if (!dated) dated = &own_conversions.emplace(dated_conversions(c, def->crop, last));
  } else if (def->measure == "linked_producers") {
    if (st)
      if (auto it = st->links.find(last_day); it != st->links.end()) links = &it->second;
    if (!links) links = &own_links.emplace(linkage_spans(c, last));
  }
  for (int y = first; y <= as_of.year(); ++y) {
    CivilDate d = admin::reference_date(y, as_of);
    const std::int64_t day = d.days_since_epoch();
    YearSums sums(g, d);
    if (dated) {
      // Conversions count in a window: from the programme start (stock) or from
      // 1 January of the year (flow) to the date; plantings on the date.
      std::int64_t from = def->measure != "converted_from_rice" ? day
                          : ind.kind == Kind::flow          ? CivilDate(y, 1, 1).days_since_epoch()
                                                            : p.start.days_since_epoch();
      for (const auto& r : *dated)
        if (r.from <= day && r.to >= from) sums.add(r.unit, r.value);
    } else if (links) {
      for (const auto& [id, l] : *links)
        if (std::any_of(l.spans.begin(), l.spans.end(), [&](const auto& s) { return s.first <= day && s.second >= day; }))
          sums.add(l.unit, 1.0);
    } else {
      for (const auto& r : computed_records(c, *def, ind.kind, p.start, d)) sums.add(r.unit, r.value);
    }
    sums.into(t, y);
  }
  return t;
}

}  // namespace nongsan::targets
