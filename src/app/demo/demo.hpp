// `nongsan demo`: deterministic, realistic Lai Châu data for the parts built so
// far. Real where the project has sources (units, codes, the 2025 reform,
// province and district boundaries), illustrative elsewhere and labelled so
// (commune boundaries, figures, people). Running it again adds nothing twice.
// Later modules add their own demo records here through the same command.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "modules/identity/actor.hpp"

namespace nongsan::app {

struct DemoLogin {
  std::string username, password, role, unit, note;
};

struct DemoReport {
  int units_created = 0;
  int users_created = 0;
  int figures_created = 0;
  int parcels_created = 0;
  int observations_created = 0;
  int profiles_created = 0;
  int applications_created = 0;
  int diary_entries_created = 0;
  std::vector<DemoLogin> logins;
  std::vector<std::string> notes;
};

DemoReport run_demo(App& app, const identity::Actor& actor);

// Parts, in the order run_demo calls them.
int demo_units(App& app, const identity::Actor& actor, DemoReport& report);
int demo_users(App& app, const identity::Actor& actor, DemoReport& report);
int demo_figures(App& app, const identity::Actor& actor, DemoReport& report);
// An illustrative land registry (zones, parcels, producers, land linkage, plantings,
// conversions) in the communes where each crop is grown; returns the parcels created,
// 0 when parcels or zones already exist.
int demo_registry(App& app, const identity::Actor& actor, DemoReport& report);
// Programme NQ05 and its successor from data/demo/nq05/ (the import files); returns
// the observations created, 0 when they were there already.
int demo_targets(App& app, const identity::Actor& actor, DemoReport& report);
// Shipped crop profiles, illustrative rasters beside the database, and one evaluation
// of the registry for every crop; returns the profiles imported.
int demo_suitability(App& app, const identity::Actor& actor, DemoReport& report);
// The shipped support policies (data/laichau/policies.json), illustrative budgets
// (data/demo/support/), two illustrative years of applications and payments over the
// demo registry with abuse planted, and one check run per year; returns the
// applications created, 0 when there were applications already.
int demo_support(App& app, const identity::Actor& actor, DemoReport& report);
// The bans of active ingredients (data/pesticides/), illustrative products and labels
// (data/demo/diary/) and an illustrative 2025 season of diaries over tea and macadamia
// parcels with violations planted; returns the entries created, 0 when there were some.
// The GTIN per crop shipped in data/trace/gtins.json (illustrative), loaded into the trace
// module's table before the diary, so that the demo's lots carry their LGTIN in EPCIS
// events and have public pages; returns the GTINs added.
// The parcels the demo's growing-area code of `crop` in `zone` covers (data/demo/areacodes/
// codes.json): the holder with the most planted area in the zone's commune, its parcels in
// order until `target_ha`. The diary's clean seasons are kept on them, so that the lots
// they yield carry an issued code on their public page.
struct DemoCodePick {
  std::string holder;
  std::vector<std::string> parcels;  // external ids
  double area_ha = 0;
};
std::optional<DemoCodePick> demo_code_pick(storage::Database& db, const std::string& crop, const std::string& zone,
                                           double target_ha);
int demo_trace_gtins(App& app, const identity::Actor& actor, DemoReport& report);
int demo_diary(App& app, const identity::Actor& actor, DemoReport& report);
// Illustrative area codes over the tea and macadamia zones (data/demo/areacodes/codes.json).
int demo_areacodes(App& app, const identity::Actor& actor, DemoReport& report);
// Illustrative linkage contracts, deliveries, facilities, buyers and projects (docs/chains.md).
int demo_chains(App& app, const identity::Actor& actor, DemoReport& report);
// Illustrative OCOP products, evaluations, events and certificates (data/demo/ocop/),
// expiring around the day the demo runs; returns the products created, 0 when there
// were OCOP products already.
int demo_ocop(App& app, const identity::Actor& actor, DemoReport& report);
// The supply chain after harvest (data/demo/trace/, illustrative): each demo lot packed
// into an SSCC, shipped and received as EPCIS events; the held lot's shipping refused.
// Returns the events captured, 0 when packing events existed already.
int demo_trace(App& app, const identity::Actor& actor, DemoReport& report);
// Illustrative inspections of registry parcels for the demo inspector, two synced as a
// device would, one finding decided (docs/inspection.md "Demo"); returns the inspections
// created, 0 when there were inspections already.
int demo_inspection(App& app, const identity::Actor& actor, DemoReport& report);
// Inspection planning (docs/inspection.md): the shipped risk weights
// (data/inspection/weights.csv), a saved plan over the demo's 2025 support applications
// assigned to the demo inspector, and a registry-quality sample of 2025 with some
// measurements — plan, assignments and measurements illustrative. Skipped when a plan
// exists. Returns the plan's entries.
int demo_inspection_plan(App& app, const identity::Actor& actor, DemoReport& report);

// A JSON file of data/ embedded in the binary (e.g. "demo/registry.json"); the
// demo's tables live there with their sources. Throws when it is missing or broken
// (a build without the data is not a usable demo).
nlohmann::json demo_data(const std::string& path);

// Small deterministic generator (same numbers on every machine and compiler,
// unlike std::uniform_*_distribution).
class DemoRandom {
 public:
  explicit DemoRandom(std::uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  std::uint64_t next() {  // xorshift64*
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

 private:
  std::uint64_t state_;
};

}  // namespace nongsan::app
