// The per-cell reference of the rules, and compile(). The block kernel is in
// evaluate_kernel.cpp (built with -O3 and per-CPU clones).
#include "modules/suitability/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nongsan::suitability {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kClassRating[5] = {kNaN, 100, 80, 60, 0};

// numpy.interp: flat beyond the ends, slope·(x − xⱼ) + yⱼ inside.
double interpolate(const std::vector<std::pair<double, double>>& curve, double x) {
  if (curve.empty() || std::isnan(x)) return kNaN;
  if (x < curve.front().first) return curve.front().second;
  if (x >= curve.back().first) return curve.back().second;
  std::size_t j = 0;
  while (j + 1 < curve.size() && curve[j + 1].first <= x) ++j;
  auto [x0, y0] = curve[j];
  auto [x1, y1] = curve[j + 1];
  double slope = (y1 - y0) / (x1 - x0);
  return slope * (x - x0) + y0;
}

// The smallest float >= d: for a float x, double(x) >= d <=> x >= ceil_float(d),
// and double(x) < d <=> x < ceil_float(d).
float ceil_float(double d) {
  float f = static_cast<float>(d);
  if (static_cast<double>(f) < d) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}
}  // namespace

SuitClass classify(const Factor& f, double v) {
  if (std::isnan(v)) return SuitClass::nodata;
  for (int c = 0; c < 3; ++c) {
    if (f.type == FactorType::continuous) {
      for (auto [lo, hi] : f.intervals[c])
        if (v >= lo && v < hi) return static_cast<SuitClass>(c + 1);
    } else {
      for (long long code : f.codes[c])
        if (v == static_cast<double>(code)) return static_cast<SuitClass>(c + 1);
    }
  }
  return SuitClass::N;
}

double rate(const Factor& f, SuitClass c, double v) {
  if (c == SuitClass::nodata) return kNaN;
  if (f.type == FactorType::categorical) return kClassRating[static_cast<int>(c)];
  return interpolate(f.ratings, v);
}

SuitClass class_of_index(const std::array<double, 3>& t, double index) {
  if (std::isnan(index)) return SuitClass::nodata;
  if (index >= t[0]) return SuitClass::S1;
  if (index >= t[1]) return SuitClass::S2;
  if (index >= t[2]) return SuitClass::S3;
  return SuitClass::N;
}

CellEvaluation evaluate_cell(const CropProfile& p, Method m, std::span<const double> values) {
  CellEvaluation out;
  out.index = kNaN;
  bool nodata = values.size() != p.factors.size();
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    const Factor& f = p.factors[i];
    double v = i < values.size() ? values[i] : kNaN;
    FactorEvaluation fe;
    fe.advisory = f.advisory;
    fe.cls = classify(f, v);
    fe.rating = rate(f, fe.cls, v);
    if (fe.cls == SuitClass::nodata && !f.advisory) nodata = true;
    out.factors.push_back(fe);
  }
  if (nodata) return out;

  if (m == Method::limiting) {
    SuitClass worst = SuitClass::S1;
    for (std::size_t i = 0; i < p.factors.size(); ++i) {
      if (p.factors[i].advisory) continue;
      if (out.factors[i].cls > worst) {
        worst = out.factors[i].cls;
        out.limiting = static_cast<int>(i + 1);
      }
    }
    out.cls = worst;
    if (worst == SuitClass::S1) out.limiting = 0;
    return out;
  }

  // Parametric: the first factor with the lowest rating.
  std::size_t lowest = p.factors.size();
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    if (p.factors[i].advisory) continue;
    if (std::isnan(out.factors[i].rating)) return out;  // no curve: check_method was not met
    if (lowest == p.factors.size() || out.factors[i].rating < out.factors[lowest].rating) lowest = i;
  }
  if (lowest == p.factors.size()) return out;
  if (m == Method::storie) {
    double prod = 1.0;
    for (std::size_t i = 0; i < p.factors.size(); ++i)
      if (!p.factors[i].advisory) prod = prod * (out.factors[i].rating / 100.0);
    out.index = 100.0 * prod;
  } else {
    double prod = 1.0;
    for (std::size_t i = 0; i < p.factors.size(); ++i)
      if (!p.factors[i].advisory && i != lowest) prod = prod * (out.factors[i].rating / 100.0);
    out.index = out.factors[lowest].rating * std::sqrt(prod);
  }
  out.cls = class_of_index(p.class_thresholds, out.index);
  out.limiting = out.cls == SuitClass::S1 ? 0 : static_cast<int>(lowest + 1);
  return out;
}

std::vector<std::string> CompiledProfile::layers() const {
  std::vector<std::string> out;
  for (const auto& f : factors) out.push_back(f.layer);
  return out;
}

Result<CompiledProfile> compile(const CropProfile& p, Method m) {
  if (auto st = check_method(p, m); !st) return st.error();
  CompiledProfile cp;
  cp.method = m;
  cp.thresholds = p.class_thresholds;
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    const Factor& f = p.factors[i];
    if (f.advisory) continue;
    CompiledFactor cf;
    cf.position = i + 1;
    cf.layer = f.layer;
    cf.type = f.type;
    // Worst class first: a later assignment (a better class) overrides.
    for (int c = 2; c >= 0; --c) {
      auto cls = static_cast<uint8_t>(c + 1);
      for (auto [lo, hi] : f.intervals[c]) cf.intervals.push_back({lo, hi, ceil_float(lo), ceil_float(hi), cls});
      for (long long code : f.codes[c]) {
        auto d = static_cast<double>(code);
        auto fl = static_cast<float>(d);
        cf.codes.push_back({d, fl, static_cast<double>(fl) == d, cls});
      }
    }
    if (f.type == FactorType::continuous) {
      std::vector<double> ends;
      for (const auto& c : f.intervals)
        for (auto [lo, hi] : c) ends.push_back(lo), ends.push_back(hi);
      std::sort(ends.begin(), ends.end());
      ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
      uint8_t prev = static_cast<uint8_t>(SuitClass::N);
      for (double e : ends) {
        auto c = static_cast<uint8_t>(classify(f, e));
        if (c == prev) continue;
        cf.steps.push_back({e, e, ceil_float(e), ceil_float(e), c});
        prev = c;
      }
    }
    for (auto [x, y] : f.ratings) {
      cf.xp.push_back(x);
      cf.fp.push_back(y);
    }
    for (std::size_t j = 0; j + 1 < cf.xp.size(); ++j)
      cf.slope.push_back((cf.fp[j + 1] - cf.fp[j]) / (cf.xp[j + 1] - cf.xp[j]));
    cp.factors.push_back(std::move(cf));
  }
  return cp;
}

}  // namespace nongsan::suitability
