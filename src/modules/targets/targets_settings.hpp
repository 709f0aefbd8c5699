// The settings of the targets module that an official may change (they come from the
// configuration: targets_four_eyes, targets_year_min, targets_year_max; see
// docs/nongsan.example.conf). Plain values: no I/O here.
#pragma once

#include "core/civil_date.hpp"

namespace nongsan::targets {

struct TargetsSettings {
  // Four eyes on official figures (docs/rules.md §3): the officer who approves an
  // observation must not be the one who entered or submitted it.
  bool four_eyes = true;
  // Years (and the years of dates) a programme, a target or an observation may name;
  // outside them a value is a typing error (year −1, 0001-01-01), not a plan.
  int year_min = 1900;
  int year_max = 2100;

  bool plausible_year(int y) const { return y >= year_min && y <= year_max; }
  bool plausible_date(const CivilDate& d) const { return plausible_year(d.year()); }
};

}  // namespace nongsan::targets
