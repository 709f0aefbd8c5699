#include "modules/areacodes/code_evidence.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace nongsan::areacodes {

namespace {

std::string kg(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f kg", v);
  return buf;
}

bool on_parcels(const CodeFacts& f, std::int64_t parcel) {
  return std::find(f.parcel_ids.begin(), f.parcel_ids.end(), parcel) != f.parcel_ids.end();
}

bool inside(const Season& s, const CivilDate& d) { return s.harvest_from <= d && d <= s.harvest_to; }

}  // namespace

void rule_diary_gap(const CodeEvidence& ev, const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) {
  if (f.kind != CodeKind::area) return;
  for (const auto& s : f.seasons) {
    const CivilDate end = std::min(s.harvest_to, ev.today);
    if (end < s.harvest_from) continue;  // the season has not begun
    std::set<CivilDate> dates;
    for (const auto& e : ev.entries)
      if (on_parcels(f, e.parcel_id) && inside(s, e.date) && e.date <= end) dates.insert(e.date);
    // Runs without an entry: from the start to the first entry, between entries, and
    // from the last entry to the end (days strictly between two dated points).
    std::int64_t longest = 0;
    CivilDate from = s.harvest_from, longest_from = s.harvest_from, longest_to = end;
    bool from_is_entry = false;
    auto run = [&](const CivilDate& to, bool to_is_entry) {
      // Days without an entry between `from` and `to`, neither an entry day counted.
      std::int64_t days = days_between(from, to) + 1 - (from_is_entry ? 1 : 0) - (to_is_entry ? 1 : 0);
      if (days > longest) {
        longest = days;
        longest_from = from;
        longest_to = to;
      }
    };
    for (const auto& d : dates) {
      run(d, true);
      from = d;
      from_is_entry = true;
    }
    run(end, false);
    if (longest > ctx.settings.diary_gap_days + 1e-9) {
      out.push_back({"diary_gap", f.code, s.season,
                     std::to_string(longest) + " days without a diary entry on its parcels (" + longest_from.iso() +
                         " to " + longest_to.iso() + "), more than " +
                         std::to_string(static_cast<long long>(ctx.settings.diary_gap_days)) + "; " +
                         std::to_string(dates.size()) + " entry days in the season",
                     false, f.id, {}});
    }
  }
}

void rule_banned_use(const CodeEvidence& ev, const CodeFacts& f, const HealthContext&, std::vector<Finding>& out) {
  if (f.kind != CodeKind::area) return;
  for (const auto& s : f.seasons) {
    std::vector<std::string> entries, products;
    for (const auto& b : ev.banned) {
      if (!on_parcels(f, b.parcel_id) || !inside(s, b.date)) continue;
      entries.push_back(b.entry);
      if (std::find(products.begin(), products.end(), b.product) == products.end()) products.push_back(b.product);
    }
    if (entries.empty()) continue;
    std::string list;
    for (const auto& p : products) list += (list.empty() ? "" : ", ") + p;
    out.push_back({"banned_use", f.code, s.season,
                   std::to_string(entries.size()) + " spray(s) of a banned pesticide on its parcels in the season (" +
                       list + ")",
                   false, f.id, entries});
  }
}

void rule_over_shipped(const CodeEvidence& ev, const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) {
  if (f.kind != CodeKind::area || f.code.empty()) return;
  const CropInfo* crop = ctx.crops.find(f.crop);
  for (const auto& s : f.seasons) {
    const CropInfo* c = ctx.crops.find(s.crop.empty() ? f.crop : s.crop);
    if (!c) c = crop;
    if (!c || !c->max_yield_kg_per_ha) continue;  // no ceiling known for the crop
    const double ceiling = s.area_ha * *c->max_yield_kg_per_ha;
    double harvested = 0, shipped = 0;
    std::vector<std::string> harvest_entries, events;
    for (const auto& e : ev.entries)
      if (e.harvest && on_parcels(f, e.parcel_id) && inside(s, e.date)) {
        harvested += e.quantity_kg;
        harvest_entries.push_back(e.entry);
      }
    for (const auto& e : ev.events)
      if (e.code == f.code && inside(s, e.date)) {
        shipped += e.quantity_kg;
        events.push_back(e.hash);
      }
    const bool by_diary = harvested > ceiling + 1e-9, by_events = shipped > ceiling + 1e-9;
    if (!by_diary && !by_events) continue;
    std::vector<std::string> behind = by_diary ? harvest_entries : std::vector<std::string>{};
    if (by_events) behind.insert(behind.end(), events.begin(), events.end());
    char area[32];
    std::snprintf(area, sizeof area, "%.2f", s.area_ha);
    out.push_back({"over_shipped", f.code, s.season,
                   "harvested " + kg(harvested) + " (diary), " + kg(shipped) + " in EPCIS events naming the code; ceiling " +
                       kg(ceiling) + " = " + area + " ha declared x " + kg(*c->max_yield_kg_per_ha) + "/ha (" + c->code +
                       (c->illustrative ? ", illustrative yield" : "") + ")",
                   false, f.id, behind});
  }
}

std::vector<CodeRule> evidence_rules(std::shared_ptr<const CodeEvidence> ev) {
  return {
      [ev](const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) { rule_diary_gap(*ev, f, ctx, out); },
      [ev](const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) { rule_banned_use(*ev, f, ctx, out); },
      [ev](const CodeFacts& f, const HealthContext& ctx, std::vector<Finding>& out) { rule_over_shipped(*ev, f, ctx, out); },
  };
}

}  // namespace nongsan::areacodes
