// Checks of observations — pure rules, applied at entry (returned as warnings with
// the saved observation) and in batch (`nongsan check observations`, GET
// .../observations/flags).
//  - negative: value < 0 is rejected at entry (every indicator of the programmes
//    counts hectares, tonnes, households, ... — none can be negative).
//  - exceeds: an indicator may name another it must not exceed (harvested area <=
//    planted area); compared for the same unit, year and period.
//  - outlier: robust z-score 0.6745·(x − median)/MAD over the unit's history of the
//    indicator (all its other years' values, approved or not), flagged when |z| > 3.5
//    (Iglewicz & Hoaglin). Needs at least 3 other values; MAD = 0 → no flag (a
//    constant history says nothing about spread).
//  - reported_differs_from_computed: a reported value differs from the value
//    computed from the registry by more than max(1 % of the computed value, 0.01).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nongsan::targets {

struct Flag {
  std::string code;  // negative, exceeds, outlier, reported_differs_from_computed
  std::string message;
};

double median(std::vector<double> v);  // REQUIRES: !v.empty()
// The robust z-score of x against `history`; nullopt when fewer than 3 values or MAD = 0.
std::optional<double> robust_z(double x, const std::vector<double>& history);
std::optional<Flag> outlier_flag(double x, const std::vector<double>& history);
std::optional<Flag> exceeds_flag(double x, const std::string& other_code, std::optional<double> other_value);
std::optional<Flag> differs_flag(double reported, std::optional<double> computed);

constexpr double kOutlierThreshold = 3.5;
constexpr double kComputedRelativeTolerance = 0.01;
constexpr double kComputedAbsoluteTolerance = 0.01;

}  // namespace nongsan::targets
