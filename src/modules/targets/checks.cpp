#include "modules/targets/checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nongsan::targets {

namespace {
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::optional<double> robust_z(double x, const std::vector<double>& history) {
  if (history.size() < 3) return std::nullopt;
  double m = median(history);
  std::vector<double> dev;
  dev.reserve(history.size());
  for (double h : history) dev.push_back(std::fabs(h - m));
  double mad = median(dev);
  if (mad == 0) return std::nullopt;
  return 0.6745 * (x - m) / mad;
}

std::optional<Flag> outlier_flag(double x, const std::vector<double>& history) {
  auto z = robust_z(x, history);
  if (!z || std::fabs(*z) <= kOutlierThreshold) return std::nullopt;
  return Flag{"outlier", "value " + num(x) + " is far from the unit's other years (robust z = " + num(*z) +
                             ", median " + num(median(history)) + ")"};
}

std::optional<Flag> exceeds_flag(double x, const std::string& other_code, std::optional<double> other_value) {
  if (other_code.empty() || !other_value || x <= *other_value) return std::nullopt;
  return Flag{"exceeds", "value " + num(x) + " exceeds " + other_code + " (" + num(*other_value) +
                             ") for the same unit and year"};
}

std::optional<Flag> differs_flag(double reported, std::optional<double> computed) {
  if (!computed) return std::nullopt;
  double tol = std::max(kComputedRelativeTolerance * std::fabs(*computed), kComputedAbsoluteTolerance);
  if (std::fabs(reported - *computed) <= tol) return std::nullopt;
  return Flag{"reported_differs_from_computed",
              "reported " + num(reported) + " differs from " + num(*computed) + " computed from the registry"};
}

}  // namespace nongsan::targets
