// Support policies, applications and payments (Resolution 07/2021/NQ-HĐND and its
// successor; Notice 752-TB/TU §2.2 and §2.5): the types the rules and the service
// share. Policies are versioned data (docs/support.md); applications and payments
// are records of the registry's producers and parcels, named by external ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "core/money.hpp"

namespace nongsan::support {

// What a policy pays for: hectares of land, or counted items.
enum class ItemUnit { area, hive, head, cage_m3, project };
std::string_view to_string(ItemUnit u);
std::optional<ItemUnit> parse_item_unit(std::string_view s);
inline bool is_area(ItemUnit u) { return u == ItemUnit::area; }

struct PolicyRequires {
  std::optional<std::string> crop;        // matched as text against planting crops and zone commodities
  bool zone = false;                      // the parcel must lie (at least half) in a zone of the crop
  bool controller = false;                // the applicant must control the parcel on the filing date
  std::vector<std::string> suitability;   // allowed dominant classes, e.g. {"S1", "S2"}
  std::optional<std::string> profile;     // crop profile for suitability; else `crop`
  bool empty() const { return !crop && !zone && !controller && suitability.empty(); }
};

// One version of a policy. The version in force for an application is the latest one
// dated on or before its filing date; a later object with the same code is an amendment.
struct PolicyVersion {
  std::string code;
  CivilDate version;  // effective date
  std::string name_vi, name_en;
  std::string content;  // the supported content; overlaps are checked within one content
  ItemUnit item = ItemUnit::area;
  double rate = 0;      // đồng per item unit (per hectare for area)
  bool one_time = false;  // given once for the same land, whatever the year
  std::optional<Dong> cap_per_beneficiary_year;
  std::vector<std::string> exclusive_with;  // policy codes that may not be combined on the same land
  PolicyRequires requires_;
  std::string conditions;  // the condition language (condition.hpp); empty = always
  std::string source;      // the article it comes from
  bool illustrative = false;
  std::string note;
};

enum class ApplicationStatus { submitted, verified, appraised, accepted, approved, paid, rejected, recovered };
std::string_view to_string(ApplicationStatus s);
std::optional<ApplicationStatus> parse_application_status(std::string_view s);

struct ApplicationItem {
  std::string parcel;  // external id; empty for counted items
  double quantity = 0;  // hectares for area items, a count otherwise
};

struct Application {
  std::string code;
  std::string policy;     // policy code
  std::string applicant;  // producer external id
  CivilDate filed;
  std::optional<CivilDate> accepted;  // nghiệm thu
  ApplicationStatus status = ApplicationStatus::submitted;
  std::vector<ApplicationItem> items;
  std::optional<Dong> approved_amount;
};

enum class PaymentKind { payment, recovery };
std::string_view to_string(PaymentKind k);
std::optional<PaymentKind> parse_payment_kind(std::string_view s);

struct Payment {
  std::string application;
  CivilDate date;
  Dong amount = 0;
  PaymentKind kind = PaymentKind::payment;
};

// The province's settings of the cross-checks (data, changeable): the EU's rules as
// the default (docs/rules.md §5: Delegated Regulation (EU) No 640/2014 Art. 19a).
struct CheckSettings {
  double tolerance_pct = 3;
  double tolerance_ha = 2;
  double penalty_factor = 1.5;
  double min_overlap_m2 = 1;
};

}  // namespace nongsan::support
