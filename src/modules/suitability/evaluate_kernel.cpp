// The block kernel of evaluate.hpp. Speed comes from simple loops over flat
// __restrict arrays that GCC vectorises (docs/platform-notes.md: a branchy per-cell
// loop was 50x slower). Cells go in chunks that stay in L1 cache; each factor is
// one fused pass over its values: the class from every step (continuous: one test
// per interval end, see CompiledFactor::steps) or code (a compile-time count, so the
// inner loop unrolls into selects), the nodata test,
// and either the worst-class update (limiting) or the rating and the running
// product / minimum (parametric; a continuous factor is not classified there, since
// its class plays no part, and square root keeps the product without the lowest
// rating as it goes). Rating curves of up to 8 segments get a pass of their own
// segment count; longer ones are padded to 16 with segments that never apply. Built with -O3 -ffp-contract=off (no FMA
// contraction, so ratings and indices are bit-identical to evaluate_cell and
// numpy) and -fno-trapping-math -fno-math-errno (if-conversion, inline sqrt; no
// value changes). On x86-64 the chunk function is cloned for AVX2 and the baseline
// and chosen at load time (target_clones): the binary runs on any x86-64 machine.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <vector>

#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/evaluate_kernels.hpp"

namespace nongsan::suitability {

namespace {

constexpr std::size_t kChunk = 4096;
constexpr int kMaxFixed = 8;      // interval/code counts with an unrolled pass; more use the generic one
constexpr int kMaxSegments = 16;  // curves with more segments use the generic rating pass

struct Scratch {
  alignas(64) int32_t nd[kChunk];
  alignas(64) int32_t fc[kChunk];
  alignas(64) int32_t worst[kChunk];
  alignas(64) int32_t lim[kChunk];
  alignas(64) double amin[kChunk];  // index (in cp.factors) of the first lowest rating
  alignas(64) double limp[kChunk];  // its position in the profile
  alignas(64) double r[kChunk];
  alignas(64) double prod[kChunk];
  alignas(64) double rmin[kChunk];
  alignas(64) double ex[kChunk];    // square_root: the product of the ratings / 100 of every factor but the first lowest
};

#define NS_INLINE [[gnu::always_inline]] inline

// The tests of one factor for samples of type T, when there are at most kMaxFixed
// (the unrolled passes); n = -1 means more, and the generic pass reads cf itself.
// Categorical: lo holds the code.
template <typename T>
struct Tests {
  T lo[kMaxFixed], hi[kMaxFixed];
  int32_t cls[kMaxFixed];
  int n = 0;
  T ndv;  // NaN when the layer has no nodata value (x == NaN is never true)
  const CompiledFactor* cf = nullptr;
};

// The bounds of interval or code j as T; false when no sample of type T can match.
template <typename T>
bool test_of(const CompiledFactor& cf, std::size_t j, T& lo, T& hi, int32_t& cls) {
  if (cf.type == FactorType::continuous) {
    const auto& iv = cf.steps[j];
    if constexpr (sizeof(T) == 4) {
      lo = iv.lo_f, hi = iv.hi_f;
    } else {
      lo = iv.lo, hi = iv.hi;
    }
    cls = iv.cls;
    return true;
  }
  const auto& c = cf.codes[j];
  if constexpr (sizeof(T) == 4) {
    if (!c.float_exact) return false;  // no float sample equals this code
    lo = hi = c.value_f;
  } else {
    lo = hi = c.value;
  }
  cls = c.cls;
  return true;
}

// The layer's nodata value as a sample of type T; NaN (never equal) when there is
// none or a sample of this type cannot hold it, so that it never matches.
template <typename T>
T nodata_as(const LayerData& in) {
  if (in.nodata && !std::isnan(*in.nodata)) {
    T v = static_cast<T>(*in.nodata);
    if (static_cast<double>(v) == *in.nodata) return v;
  }
  return std::numeric_limits<T>::quiet_NaN();
}

template <typename T>
void build_tests(const CompiledFactor& cf, const LayerData& in, Tests<T>& t) {
  t.cf = &cf;
  t.n = 0;
  const std::size_t count = cf.type == FactorType::continuous ? cf.steps.size() : cf.codes.size();
  for (std::size_t j = 0; j < count; ++j) {
    T lo, hi;
    int32_t cls;
    if (!test_of<T>(cf, j, lo, hi, cls)) continue;
    if (t.n == kMaxFixed) {
      t.n = -1;
      break;
    }
    t.lo[t.n] = lo, t.hi[t.n] = hi, t.cls[t.n] = cls;
    ++t.n;
  }
  t.ndv = nodata_as<T>(in);
}

// One pass: class into fc (and, when LIMITING, the worst class and the limiting
// position), nodata or-ed into nd. N > 0: N tests, unrolled; N == 0: t.n tests.
template <typename T, bool CAT, int N, bool LIMITING>
NS_INLINE void classify_pass(const T* __restrict v, std::size_t m, const Tests<T>& t, int32_t pos, Scratch& s) {
  int32_t* __restrict fc = s.fc;
  int32_t* __restrict nd = s.nd;
  int32_t* __restrict worst = s.worst;
  int32_t* __restrict lim = s.lim;
  const T ndv = t.ndv;
  if constexpr (N > 0) {
    T lo[N];
    int32_t cl[N];
    for (int j = 0; j < N; ++j) lo[j] = t.lo[j], cl[j] = t.cls[j];
    for (std::size_t i = 0; i < m; ++i) {
      const T x = v[i];
      int32_t c = 4;
      for (int j = 0; j < N; ++j) {
        bool in = CAT ? (x == lo[j]) : (x >= lo[j]);
        c = in ? cl[j] : c;
      }
      fc[i] = c;
      nd[i] |= static_cast<int32_t>((x != x) | (x == ndv));
      if constexpr (LIMITING) {
        int32_t w = worst[i], l = lim[i];
        int32_t more = -static_cast<int32_t>(c > w);  // all ones where this factor is worse
        lim[i] = (pos & more) | (l & ~more);
        worst[i] = (c & more) | (w & ~more);
      }
    }
  } else {
    for (std::size_t i = 0; i < m; ++i) fc[i] = 4;
    const CompiledFactor& cf = *t.cf;
    const std::size_t count = CAT ? cf.codes.size() : cf.steps.size();
    for (std::size_t j = 0; j < count; ++j) {
      T lo, hi;
      int32_t cl;
      if (!test_of<T>(cf, j, lo, hi, cl)) continue;
      for (std::size_t i = 0; i < m; ++i) {
        const T x = v[i];
        bool in = CAT ? (x == lo) : (x >= lo);
        fc[i] = in ? cl : fc[i];
      }
    }
    for (std::size_t i = 0; i < m; ++i) {
      const T x = v[i];
      nd[i] |= static_cast<int32_t>((x != x) | (x == ndv));
    }
    if constexpr (LIMITING) {
      for (std::size_t i = 0; i < m; ++i) {
        int32_t c = fc[i], w = worst[i], l = lim[i];
        lim[i] = c > w ? pos : l;
        worst[i] = c > w ? c : w;
      }
    }
  }
}

template <typename T, bool CAT, bool LIMITING>
NS_INLINE void classify_dispatch(const T* v, std::size_t m, const Tests<T>& t, int32_t pos, Scratch& s) {
  switch (t.n) {
    case 1: return classify_pass<T, CAT, 1, LIMITING>(v, m, t, pos, s);
    case 2: return classify_pass<T, CAT, 2, LIMITING>(v, m, t, pos, s);
    case 3: return classify_pass<T, CAT, 3, LIMITING>(v, m, t, pos, s);
    case 4: return classify_pass<T, CAT, 4, LIMITING>(v, m, t, pos, s);
    case 5: return classify_pass<T, CAT, 5, LIMITING>(v, m, t, pos, s);
    case 6: return classify_pass<T, CAT, 6, LIMITING>(v, m, t, pos, s);
    case 7: return classify_pass<T, CAT, 7, LIMITING>(v, m, t, pos, s);
    case 8: return classify_pass<T, CAT, 8, LIMITING>(v, m, t, pos, s);
    default: return classify_pass<T, CAT, 0, LIMITING>(v, m, t, pos, s);
  }
}

// The rating curve padded to NS segments (numpy.interp's formula per segment).
struct Curve {
  double xj[kMaxSegments], yj[kMaxSegments], sj[kMaxSegments];
  double xl, yl;
  int ns;  // real segments
};

void build_curve(const CompiledFactor& cf, Curve& c) {
  c.ns = static_cast<int>(cf.slope.size());
  for (int j = 0; j < kMaxSegments; ++j) {
    if (j < c.ns) {
      c.xj[j] = cf.xp[j], c.yj[j] = cf.fp[j], c.sj[j] = cf.slope[j];
    } else {
      // never applies: x >= +inf only for x = +inf, which the last point overrides
      c.xj[j] = std::numeric_limits<double>::infinity(), c.yj[j] = 0, c.sj[j] = 0;
    }
  }
  c.xl = cf.xp.back();
  c.yl = cf.fp.back();
}

// The first-lowest-rating bookkeeping of one cell and the Storie product or the
// stored rating. Arithmetic instead of selects on stored values: GCC turns those
// into masked stores (vmaskmovpd), which are very slow on AMD. Exact: small whole
// numbers.
template <bool STORIE>
NS_INLINE void book(std::size_t i, double ri, double kd, double posd, double* __restrict rmin,
                    double* __restrict amin, double* __restrict limp, double* __restrict prod,
                    double* __restrict ex) {
  double rm = rmin[i], a = amin[i], l = limp[i];
  double lower = ri < rm ? 1.0 : 0.0;
  amin[i] = a + (kd - a) * lower;
  limp[i] = l + (posd - l) * lower;
  rmin[i] = ri < rm ? ri : rm;
  if constexpr (STORIE) {
    prod[i] = prod[i] * (ri / 100.0);
  } else {
    // Square root: the product, in factor order, of every factor's rating / 100 but
    // the first lowest one's (what numpy multiplies, skipping amin). prod holds the
    // product of every factor so far: when this factor becomes the lowest, the
    // product without it is exactly that; otherwise this factor joins it. Same
    // operations in the same order as multiplying at the end, without storing
    // every factor's rating.
    // (The choice by bit masks: GCC does not if-convert a select here.)
    double q = ri / 100.0, p = prod[i], t = ex[i] * q;
    uint64_t lw = -static_cast<uint64_t>(ri < rm);
    ex[i] = std::bit_cast<double>((std::bit_cast<uint64_t>(p) & lw) | (std::bit_cast<uint64_t>(t) & ~lw));
    prod[i] = p * q;
  }
}

// One pass: rating of each cell (from the curve, or from the class when CAT) and
// its bookkeeping, fused so that the rating never goes through memory. A
// continuous factor's class plays no part in a parametric method, so its pass also
// does the nodata test (ndv) and no classification pass runs before it.
template <typename T, bool CAT, int NS, bool STORIE>
NS_INLINE void rate_pass(const T* __restrict v, std::size_t m, const CompiledFactor& cf, const Curve& cv, double kd,
                         double posd, T ndv, double* __restrict ex, Scratch& s) {
  const int32_t* __restrict fc = s.fc;
  int32_t* __restrict nd = s.nd;
  double* __restrict r = s.r;
  double* __restrict rmin = s.rmin;
  double* __restrict amin = s.amin;
  double* __restrict limp = s.limp;
  double* __restrict prod = s.prod;
  if constexpr (CAT) {
    for (std::size_t i = 0; i < m; ++i) {
      double c = fc[i];
      double ri = c == 4.0 ? 0.0 : 120.0 - 20.0 * c;  // S1 100, S2 80, S3 60, N 0
      book<STORIE>(i, ri, kd, posd, rmin, amin, limp, prod, ex);
    }
  } else if constexpr (NS > 0) {
    // Every segment's formula is evaluated and the last one whose start is <= x
    // kept: one select per segment instead of three (start, value, slope), and
    // only the running rating live, so nothing spills out of the registers. The
    // kept value is the same expression numpy.interp evaluates for x's segment.
    alignas(64) double xj[NS], yj[NS], sj[NS];
    for (int j = 0; j < NS; ++j) xj[j] = cv.xj[j], yj[j] = cv.yj[j], sj[j] = cv.sj[j];
    const double x0 = xj[0], y0 = cf.fp[0], xl = cv.xl, yl = cv.yl;
    for (std::size_t i = 0; i < m; ++i) {
      const T xt = v[i];
      nd[i] |= static_cast<int32_t>((xt != xt) | (xt == ndv));
      const double x = static_cast<double>(xt);
      double ri = sj[0] * (x - xj[0]) + yj[0];
      for (int k = 1; k < NS; ++k) {
        double y = sj[k] * (x - xj[k]) + yj[k];
        ri = x >= xj[k] ? y : ri;
      }
      ri = x < x0 ? y0 : ri;
      ri = x >= xl ? yl : ri;
      book<STORIE>(i, ri, kd, posd, rmin, amin, limp, prod, ex);
    }
  } else {
    const double y0 = cf.fp[0];
    for (std::size_t i = 0; i < m; ++i) {
      const T xt = v[i];
      nd[i] |= static_cast<int32_t>((xt != xt) | (xt == ndv));
      r[i] = y0;
    }
    for (std::size_t j = 0; j < cf.slope.size(); ++j) {
      const double xj = cf.xp[j], yj = cf.fp[j], sj = cf.slope[j];
      for (std::size_t i = 0; i < m; ++i) {
        const double x = static_cast<double>(v[i]);
        double y = sj * (x - xj) + yj;
        r[i] = x >= xj ? y : r[i];
      }
    }
    const double xl = cv.xl, yl = cv.yl;
    for (std::size_t i = 0; i < m; ++i) {
      double ri = static_cast<double>(v[i]) >= xl ? yl : r[i];
      book<STORIE>(i, ri, kd, posd, rmin, amin, limp, prod, ex);
    }
  }
}

template <typename T, bool CAT, bool STORIE>
NS_INLINE void rate_dispatch(const T* v, std::size_t m, const CompiledFactor& cf, const Curve& cv, double kd,
                             double posd, T ndv, double* ex, Scratch& s) {
  if constexpr (CAT) {
    rate_pass<T, true, 0, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
  } else {
    // One instantiation per real segment count up to 8 (padding segments cost as
    // much as real ones), then 16 for longer curves.
    switch (cv.ns) {
      case 1: return rate_pass<T, false, 1, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 2: return rate_pass<T, false, 2, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 3: return rate_pass<T, false, 3, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 4: return rate_pass<T, false, 4, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 5: return rate_pass<T, false, 5, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 6: return rate_pass<T, false, 6, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 7: return rate_pass<T, false, 7, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      case 8: return rate_pass<T, false, 8, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
      default: break;
    }
    if (cv.ns <= 16) return rate_pass<T, false, 16, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
    rate_pass<T, false, 0, STORIE>(v, m, cf, cv, kd, posd, ndv, ex, s);
  }
}

template <typename T>
NS_INLINE void factor_chunk(const CompiledProfile& cp, std::size_t k, const LayerData& in, std::size_t off,
                            std::size_t m, std::size_t total, Scratch& s) {
  const CompiledFactor& cf = cp.factors[k];
  const T* v = static_cast<const T*>(in.data) + off;
  if (off + 2 * kChunk <= total) {
    // Ask for this layer's next chunk now: the layers are streamed one after the
    // other, which the hardware prefetcher follows poorly.
    const char* next = reinterpret_cast<const char*>(v + kChunk);
    for (std::size_t b = 0; b < kChunk * sizeof(T); b += 64) __builtin_prefetch(next + b);
  }
  Tests<T> t;
  build_tests<T>(cf, in, t);
  const bool cat = cf.type == FactorType::categorical;
  const auto pos = static_cast<int32_t>(std::min<std::size_t>(cf.position, 255));
  if (cp.method == Method::limiting) {
    if (cat)
      classify_dispatch<T, true, true>(v, m, t, pos, s);
    else
      classify_dispatch<T, false, true>(v, m, t, pos, s);
    return;
  }
  // Parametric: a categorical factor's rating comes from its class; a continuous
  // factor's class is not needed (its rating comes from the curve), and its rating
  // pass does the nodata test.
  if (cat) classify_dispatch<T, true, false>(v, m, t, pos, s);
  const T ndv = t.ndv;
  Curve cv{};
  if (!cat) build_curve(cf, cv);
  const double kd = static_cast<double>(k), posd = static_cast<double>(pos);
  double* ex = s.ex;
  bool storie = cp.method == Method::storie;
  if (cat && storie) rate_dispatch<T, true, true>(v, m, cf, cv, kd, posd, ndv, ex, s);
  else if (cat) rate_dispatch<T, true, false>(v, m, cf, cv, kd, posd, ndv, ex, s);
  else if (storie) rate_dispatch<T, false, true>(v, m, cf, cv, kd, posd, ndv, ex, s);
  else rate_dispatch<T, false, false>(v, m, cf, cv, kd, posd, ndv, ex, s);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NS_CLONES [[gnu::target_clones("avx2", "default")]]
#else
#define NS_CLONES
#endif

NS_CLONES void chunk(const CompiledProfile& cp, const LayerData* inputs, std::size_t off, std::size_t m, std::size_t n,
                     Scratch& s, uint8_t* cls, uint8_t* limiting, float* index) {
  for (std::size_t i = 0; i < m; ++i) {
    s.nd[i] = 0;
    s.worst[i] = 1;
    s.lim[i] = 0;
    s.amin[i] = 0;
    s.limp[i] = 0;
    s.prod[i] = 1.0;
    s.ex[i] = 1.0;
    s.rmin[i] = std::numeric_limits<double>::infinity();
  }
  for (std::size_t k = 0; k < cp.factors.size(); ++k) {
    if (inputs[k].type == SampleType::f32)
      factor_chunk<float>(cp, k, inputs[k], off, m, n, s);
    else
      factor_chunk<double>(cp, k, inputs[k], off, m, n, s);
  }
  uint8_t* __restrict out_cls = cls + off;
  const int32_t* __restrict nd = s.nd;
  if (cp.method == Method::limiting) {
    const int32_t* __restrict worst = s.worst;
    const int32_t* __restrict lim = s.lim;
    // nd is 0 or 1: nd - 1 keeps a value where the cell has data (masks, not selects:
    // GCC makes selects of loaded values into masked loads).
    for (std::size_t i = 0; i < m; ++i) out_cls[i] = static_cast<uint8_t>(worst[i] & (nd[i] - 1));
    if (limiting) {
      uint8_t* __restrict out_lim = limiting + off;
      for (std::size_t i = 0; i < m; ++i)
        out_lim[i] = static_cast<uint8_t>(lim[i] & ((nd[i] | static_cast<int32_t>(worst[i] == 1)) - 1));
    }
    if (index) std::fill(index + off, index + off + m, std::numeric_limits<float>::quiet_NaN());
    return;
  }
  double* __restrict idx = s.prod;  // the index replaces the product in place
  if (cp.method == Method::storie) {
    for (std::size_t i = 0; i < m; ++i) idx[i] = 100.0 * idx[i];
  } else {
    const double* __restrict ex = s.ex;
    const double* __restrict rmin = s.rmin;
    for (std::size_t i = 0; i < m; ++i) idx[i] = rmin[i] * std::sqrt(ex[i]);
  }
  // Class of the index (thresholds descend, so the tests nest): 4 - thresholds met.
  const double t0 = cp.thresholds[0], t1 = cp.thresholds[1], t2 = cp.thresholds[2];
  int32_t* __restrict c = s.worst;
  int32_t* __restrict l32 = s.lim;
  const double* __restrict limp = s.limp;
  for (std::size_t i = 0; i < m; ++i) {
    double x = idx[i];
    double k = 4.0 - (x >= t0 ? 1.0 : 0.0) - (x >= t1 ? 1.0 : 0.0) - (x >= t2 ? 1.0 : 0.0);
    c[i] = static_cast<int32_t>(k);
    l32[i] = static_cast<int32_t>(limp[i]);
  }
  for (std::size_t i = 0; i < m; ++i) out_cls[i] = static_cast<uint8_t>(c[i] & (nd[i] - 1));
  if (limiting) {
    uint8_t* __restrict out_lim = limiting + off;
    for (std::size_t i = 0; i < m; ++i)
      out_lim[i] = static_cast<uint8_t>(l32[i] & ((nd[i] | static_cast<int32_t>(c[i] == 1)) - 1));
  }
  if (index) {
    float* __restrict out_idx = index + off;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t i = 0; i < m; ++i) {
      float f = static_cast<float>(idx[i]);
      out_idx[i] = nd[i] ? nan : f;
    }
  }
}

}  // namespace

void evaluate_block_portable(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                             uint8_t* limiting, float* index) {
  Scratch s;
  for (std::size_t off = 0; off < n; off += kChunk)
    chunk(cp, inputs.data(), off, std::min(kChunk, n - off), n, s, cls, limiting, index);
}

namespace detail {

bool fast_kernels_accept(const CompiledProfile& cp, std::span<const LayerData> inputs) {
  if (inputs.size() != cp.factors.size()) return false;
  for (const auto& in : inputs)
    if (in.type != SampleType::f32) return false;
  if (cp.method != Method::limiting)
    for (const auto& f : cp.factors)
      if (f.type == FactorType::continuous && (f.slope.empty() || f.slope.size() > 16)) return false;
  return true;
}

float float_nodata(const LayerData& in) { return nodata_as<float>(in); }

}  // namespace detail

namespace {
// The kernel for these inputs on this machine, the widest the CPU runs: chosen here
// once for both evaluate_block and block_kernel, so that what the benchmark reports is
// what runs.
struct Kernel {
  std::string_view name;
  void (*run)(const CompiledProfile&, std::span<const LayerData>, std::size_t, uint8_t*, uint8_t*, float*);
};
Kernel kernel_for(const CompiledProfile& cp, std::span<const LayerData> inputs) {
  if (detail::fast_kernels_accept(cp, inputs)) {
    if (detail::avx512_available()) return {"avx512", &detail::evaluate_block_avx512};
    if (detail::avx2_available()) return {"avx2", &detail::evaluate_block_avx2};
  }
  return {"portable", &evaluate_block_portable};
}
}  // namespace

void evaluate_block(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                    uint8_t* limiting, float* index) {
  kernel_for(cp, inputs).run(cp, inputs, n, cls, limiting, index);
}

std::string_view block_kernel(const CompiledProfile& cp, std::span<const LayerData> inputs) {
  return kernel_for(cp, inputs).name;
}

}  // namespace nongsan::suitability
