// Registry quality, the way the EU's LPIS quality assessment summarises it (Regulation
// (EU) 2022/1173; docs/inspection.md "Registry quality"; docs/rules.md §16): a yearly
// random sample of parcels re-measured in the field, the share measured within the
// tolerance, the mean area bias and its 95 % confidence interval (Student's t). Pure
// rules, no I/O; the thresholds are settings (QualitySettings) the province may change.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace nongsan::inspection {

struct QualitySettings {
  double buffer_m = 1.0;             // tolerance per metre of the registered perimeter
  double max_tolerance_m2 = 10000;   // the tolerance never exceeds this (1 ha)
};

// The tolerance of one parcel: min(buffer_m × perimeter, max_tolerance_m2).
double tolerance_m2(double perimeter_m, const QualitySettings& s);

struct QualityMeasure {
  std::string parcel;
  double registered_m2 = 0, perimeter_m = 0;
  std::optional<double> measured_m2;  // nullopt: not measured yet
};

struct QualitySummary {
  std::size_t sampled = 0, measured = 0, within = 0;
  std::optional<double> share_within;     // within / measured, 0–1
  std::optional<double> mean_bias_m2;     // mean of (measured − registered)
  std::optional<double> bias_pct;         // Σ(measured − registered) / Σ registered × 100
  std::optional<double> ci_low_m2, ci_high_m2;    // mean ± t(0.975, n−1) × s / √n (n ≥ 2)
  std::optional<double> ci_low_pct, ci_high_pct;  // the interval over the mean registered area × 100
  std::optional<double> sd_m2;            // sample standard deviation of the differences
};

QualitySummary summarise_quality(const std::vector<QualityMeasure>& sample, const QualitySettings& s);

// The 0.975 quantile of Student's t with `df` degrees of freedom (df ≥ 1), by bisection on
// the distribution function (the regularised incomplete beta function).
double t_quantile_975(int df);

}  // namespace nongsan::inspection
