#include "modules/inspection/quality.hpp"

#include <algorithm>
#include <cmath>

namespace nongsan::inspection {

double tolerance_m2(double perimeter_m, const QualitySettings& s) {
  return std::min(s.buffer_m * std::max(0.0, perimeter_m), s.max_tolerance_m2);
}

namespace {

// Continued fraction of the incomplete beta function (modified Lentz).
double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return h;
}

double inc_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_cf(a, b, x) / a;
  return 1 - front * beta_cf(b, a, 1 - x) / b;
}

// P(T ≤ t) for t ≥ 0.
double t_cdf(double t, double df) { return 1 - 0.5 * inc_beta(df / 2, 0.5, df / (df + t * t)); }

}  // namespace

double t_quantile_975(int df) {
  double lo = 0, hi = 1000;
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    (t_cdf(mid, df) < 0.975 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

QualitySummary summarise_quality(const std::vector<QualityMeasure>& sample, const QualitySettings& s) {
  QualitySummary out;
  out.sampled = sample.size();
  std::vector<double> diffs;
  double sum_registered = 0;
  for (const auto& m : sample) {
    if (!m.measured_m2) continue;
    double d = *m.measured_m2 - m.registered_m2;
    diffs.push_back(d);
    sum_registered += m.registered_m2;
    if (std::fabs(d) <= tolerance_m2(m.perimeter_m, s)) ++out.within;
  }
  out.measured = diffs.size();
  if (diffs.empty()) return out;
  const double n = static_cast<double>(diffs.size());
  double sum = 0;
  for (double d : diffs) sum += d;
  const double mean = sum / n;
  out.share_within = static_cast<double>(out.within) / n;
  out.mean_bias_m2 = mean;
  if (sum_registered > 0) out.bias_pct = sum / sum_registered * 100;
  if (diffs.size() >= 2) {
    double ss = 0;
    for (double d : diffs) ss += (d - mean) * (d - mean);
    double sd = std::sqrt(ss / (n - 1));
    double half = t_quantile_975(static_cast<int>(diffs.size()) - 1) * sd / std::sqrt(n);
    out.sd_m2 = sd;
    out.ci_low_m2 = mean - half;
    out.ci_high_m2 = mean + half;
    if (sum_registered > 0) {
      double mean_registered = sum_registered / n;
      out.ci_low_pct = (mean - half) / mean_registered * 100;
      out.ci_high_pct = (mean + half) / mean_registered * 100;
    }
  }
  return out;
}

}  // namespace nongsan::inspection
