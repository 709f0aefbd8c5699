// Product standards, marks and geographical indications, and certificates with their
// scope (Notice 752-TB/TU §2.3: brands, geographical indications, product standards).
// Types and their parsing only; no storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.hpp"
#include "core/strong_id.hpp"

namespace nongsan::certificates {

// Kinds as stored; each list is the CHECK of its table (migration 0017).
bool is_standard_kind(std::string_view s);     // tcvn, vietgap, organic, provincial, other
bool is_mark_kind(std::string_view s);         // collective, certification, geographical_indication
bool is_certificate_kind(std::string_view s);  // vietgap, organic, food_safety, gi_use, other
bool is_target_kind(std::string_view s);       // parcel, code, facility, product, lot

struct Standard {
  std::int64_t id = 0;
  std::string code, kind, name, source;
  bool illustrative = false;
};

struct Mark {
  std::int64_t id = 0;
  std::string code, kind, name, holder, area, registration;
  std::optional<CivilDate> granted;
  bool illustrative = false;
};

struct ScopeItem {
  std::string kind;    // parcel, code, facility, product, lot
  std::string target;  // the record's external id or code
  bool operator==(const ScopeItem& o) const { return kind == o.kind && target == o.target; }
  bool operator<(const ScopeItem& o) const { return kind != o.kind ? kind < o.kind : target < o.target; }
};

struct Certificate {
  std::int64_t id = 0;
  std::string code, kind;
  std::int64_t holder_id = 0;
  std::string holder, holder_name;  // the producer's external id and name
  std::optional<UnitId> unit;       // the holder's commune; none = the province's
  std::string issuer, standard, mark;
  CivilDate valid_from, valid_to;
  std::vector<ScopeItem> scope;
  bool illustrative = false;
  std::string source;
};

// A certificate's standing on a date: "valid", "expiring" (within `notice_days` of its
// last day), "expired" or "not_yet".
std::string certificate_status(const Certificate& c, const CivilDate& on, int notice_days);

}  // namespace nongsan::certificates
