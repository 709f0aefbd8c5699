// The range of dates the registry and the unit imports accept: a date of record
// outside it (year -1, 0001-01-01, a typing slip like 2205) is refused with the
// field or the file line that holds it. The range is a setting (date_min, date_max;
// docs/rules.md §2). Pure; no storage.
#pragma once

#include <optional>
#include <string>

#include "core/civil_date.hpp"
#include "core/error.hpp"

namespace nongsan::admin {

struct PlausibleDates {
  CivilDate first{1900, 1, 1};
  CivilDate last{2100, 12, 31};

  bool contains(const CivilDate& d) const { return first <= d && d <= last; }
  // "must be between 01/01/1900 and 31/12/2100"
  std::string rule() const { return "must be between " + first.vi() + " and " + last.vi(); }
  // A problem for `field` when `d` is set and outside the range.
  std::optional<FieldError> check(const std::string& field, const std::optional<CivilDate>& d) const {
    if (!d || contains(*d)) return std::nullopt;
    return FieldError{field, rule() + ", not " + d->vi()};
  }
};

}  // namespace nongsan::admin
