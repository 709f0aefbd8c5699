// The cross-checks of support claims and the amounts they allow — pure rules over
// facts the loader has read from the registry (claim_facts.hpp reads them; this file
// does no I/O and no geometry). The rules are exact, so that any two implementations
// agree; they are written out in docs/support.md with their sources (docs/rules.md §5:
// the EU's IACS as the reference practice; Notice 752-TB/TU §2.5 on policy abuse).
//
// The check of year Y looks at the applications filed in Y; rejected applications take
// part in nothing. Earlier applications take part only as the earlier side of an
// overlap between two `one_time` policies.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/money.hpp"
#include "modules/support/condition.hpp"
#include "modules/support/support_types.hpp"

namespace nongsan::support {

// What the registry says about one claimed parcel, as the checks of one application
// see it: the geometry in force on the filing date, the controller on that date, the
// zones of the required crop, the plantings on the acceptance date, suitability.
struct ParcelFacts {
  std::int64_t geometry_key = 0;  // the parcel's geometry version in force on the filing date (0: none)
  double area_ha = 0;             // its computed area (VN-2000), 0 when there is none
  std::optional<std::string> controller;  // producer external id controlling it on the filing date
  double zone_share = 0;                  // share of the area in zones of the required crop on the filing date
  bool crop_in_force = false;             // a planting of the required crop in force on the acceptance date
  std::optional<std::string> dominant_class;  // S1, S2, S3, N for the required profile; none when not evaluated
};

struct ApplicantFacts {
  std::string kind;     // household, cooperative, enterprise, farm
  std::string commune;  // the applicant's commune code ("" when none)
  // Identifiers for duplicate_person; empty values never match. Personal data: the
  // findings name which identifier matched, never its value.
  std::string citizen_id, bank_account, phone;
};

// Hashes std::string and std::string_view alike, so that a map keyed by strings is
// searched with a view and no copy.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// One application with everything the rules need.
struct ClaimCase {
  Application application;
  // The version in force on the filing date (none: null), shared by every case under it:
  // a province's year has 220,000 cases under a dozen versions.
  std::shared_ptr<const PolicyVersion> policy;
  std::vector<ParcelFacts> items;       // parallel to application.items (area items; ignored otherwise)
};

// Two geometry versions whose intersection is larger than min_overlap_m2 (the loader
// computes these with GEOS; a geometry is never listed with itself).
struct GeometryOverlap {
  std::int64_t a = 0, b = 0;
  double area_m2 = 0;
};

struct ClaimInput {
  int year = 0;
  CheckSettings settings;
  std::vector<ClaimCase> cases;  // filed in Y, and earlier ones of one_time policies
  // By external id; looked up by views (200,000 applications, 250,000 applicants).
  std::unordered_map<std::string, ApplicantFacts, TextHash, std::equal_to<>> applicants;
  std::vector<Payment> payments;
  std::vector<GeometryOverlap> overlaps;
};

// CSV columns `finding,application,other_application,parcel,detail`.
struct Finding {
  std::string finding;  // overlap, exclusive_policies, over_declared, not_controlled, outside_zone, wrong_crop,
                        // unsuitable, duplicate_person, cap_exceeded, paid_without_acceptance, paid_over_approved
  std::string application;
  std::string other_application;
  std::string parcel;
  std::string detail;
};

struct ItemTrace {
  std::string parcel;
  double claimed = 0;     // hectares, or the count
  double area_ha = 0;     // area items: the parcel's area
  double counted = 0;     // what the item adds before the penalty
  double excess_ha = 0;   // over-declared: claimed − area (0 otherwise)
  std::vector<std::string> reasons;  // why it counts 0: findings, or "later side of overlap with A-17"
};

struct AmountTrace {
  std::string application;
  std::string policy;       // code
  Dong amount = 0;          // after the cap
  Dong before_cap = 0;
  double payable = 0;       // hectares or count after the penalty
  double penalty_ha = 0;    // penalty_factor × the excess of over-declared items
  double rate = 0;
  std::string policy_version;  // ISO date of the version in force, "" when none
  std::string status;          // the application's status
  bool conditions_hold = true;
  std::vector<Condition::Step> condition_steps;
  std::vector<ItemTrace> items;
  std::string note;  // why 0 when it is: rejected, no version in force, conditions false
};

struct ClaimResult {
  std::vector<Finding> findings;   // sorted: application, finding, other_application, parcel
  std::vector<AmountTrace> amounts;  // one per application filed in Y, sorted by code
};

// REQUIRES: every case's policy conditions were checked when the policy was saved.
// An error only for a broken invariant (a condition that no longer parses).
Result<ClaimResult> run_claim_checks(const ClaimInput& input);

}  // namespace nongsan::support
