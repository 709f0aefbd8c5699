// The AVX2 block kernel (see evaluate_kernels.hpp): the AVX-512 kernel's design
// (evaluate_kernel_avx512.cpp) for the x86-64 CPUs without AVX-512 — most AMD EPYC
// and Ryzen before Zen 4, and Intel's client cores. Why it exists: the portable
// kernel's AVX2 clone (evaluate_kernel.cpp) makes one pass per factor over chunks of
// 4096 cells and keeps the running state (worst class, lowest rating, product, ...)
// in scratch arrays, so every factor reads and writes that state through the cache,
// and it evaluates every rating-curve segment's formula with a select each. Here a run
// of 8 cells goes through every factor with the state in registers, and a rating
// curve is one comparison per segment end on 8 float lanes (the segment index; the
// starts rounded up to float, an exact test for float samples) plus three table
// lookups (start, value and slope of the cell's segment: `vpermps` of the curve's
// tables, four doubles a register) and one evaluation of numpy.interp's
// slope·(x − xⱼ) + yⱼ in double lanes.
//
// Exactness: every value is computed by the same operations in the same order as the
// portable kernel and evaluate_cell (no FMA contraction: the file is built with
// -ffp-contract=off), with the one exception the AVX-512 kernel makes, proved equal
// there: r / 100 as q = r·RN(0.01) corrected once by the remainder (two FMAs), the
// correctly rounded quotient for every r (Markstein's theorem). The last cells of a
// block (fewer than 8) go through the portable kernel, whose results are the same.
//
// The file is compiled for AVX2 and FMA (target pragma below), but only
// avx2_available() decides at run time whether it runs; that function is compiled for
// the baseline.
#include "modules/suitability/evaluate_kernels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NS_HAVE_AVX2_KERNEL 1
#endif

namespace nongsan::suitability::detail {

bool avx2_available() {
#ifdef NS_HAVE_AVX2_KERNEL
  // __builtin_cpu_supports also checks that the OS saves the YMM registers.
  static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return ok;
#else
  return false;
#endif
}

}  // namespace nongsan::suitability::detail

#ifndef NS_HAVE_AVX2_KERNEL
namespace nongsan::suitability::detail {
// Not x86-64 GCC: avx2_available() is false, so evaluate_block never calls this.
void evaluate_block_avx2(const CompiledProfile&, std::span<const LayerData>, std::size_t, uint8_t*, uint8_t*, float*) {}
}  // namespace nongsan::suitability::detail
#else

#pragma GCC push_options
#pragma GCC target("avx2,fma")
#include <immintrin.h>

namespace nongsan::suitability::detail {

namespace {

#define NS_INLINE [[gnu::always_inline]] inline

// One factor, ready for the loops.
struct Plan {
  const float* v = nullptr;
  float ndv = std::numeric_limits<float>::quiet_NaN();  // NaN: no nodata value (x == NaN is never true)
  bool cat = false;
  int32_t pos = 0;  // 1-based position in the profile (as the portable kernel: at most 255)
  // Class tests as the portable kernel applies them, later ones winning: continuous
  // steps (x >= lo) or categorical codes a float can hold (x == lo).
  std::vector<float> lo;
  std::vector<int32_t> cls;
  std::vector<float> rating;  // parametric, categorical: the rating of cls[j] (100, 80, 60 or 0: exact in float)
  // Parametric, continuous: the curve's segments in tables of 16 (padded by repeating
  // the last), read four at a time; xj[k] starts segment k (k >= 1 counted by comparisons).
  int ns = 0;
  int quads = 0;  // tables of four in use: 2 for curves of up to 8 segments, else 4
  alignas(32) double xj[16], yj[16], sj[16];
  // The segment starts as float32 bounds: the smallest float f with (double)f ≥ the
  // start, so that a float sample x has x ≥ f exactly when (double)x ≥ the start; +inf
  // past the last segment (never met but by x = +inf, which the last point overrides).
  // The segment index is then counted on 8 float lanes instead of twice 4 double ones.
  float starts_f[16];
  double x0 = 0, y0 = 0, xl = 0, yl = 0;
};

// The smallest float f with (double)f >= v (v not NaN).
float float_at_or_above(double v) {
  float f = static_cast<float>(v);
  if (static_cast<double>(f) < v) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

std::vector<Plan> make_plans(const CompiledProfile& cp, std::span<const LayerData> inputs) {
  std::vector<Plan> plans(cp.factors.size());
  for (std::size_t k = 0; k < cp.factors.size(); ++k) {
    const CompiledFactor& cf = cp.factors[k];
    Plan& p = plans[k];
    p.v = static_cast<const float*>(inputs[k].data);
    p.ndv = float_nodata(inputs[k]);
    p.cat = cf.type == FactorType::categorical;
    p.pos = static_cast<int32_t>(std::min<std::size_t>(cf.position, 255));
    if (p.cat) {
      for (const auto& c : cf.codes) {
        if (!c.float_exact) continue;  // no float sample equals this code
        p.lo.push_back(c.value_f);
        p.cls.push_back(c.cls);
        p.rating.push_back(c.cls == 4 ? 0.f : static_cast<float>(120 - 20 * c.cls));  // S1 100, S2 80, S3 60, N 0
      }
    } else {
      for (const auto& s : cf.steps) {
        p.lo.push_back(s.lo_f);
        p.cls.push_back(s.cls);
      }
      p.ns = static_cast<int>(cf.slope.size());
      p.quads = p.ns <= 8 ? 2 : 4;
      for (int j = 0; j < 16; ++j) {
        int s = std::min(j, std::max(p.ns - 1, 0));
        p.xj[j] = p.ns ? cf.xp[s] : 0;
        p.yj[j] = p.ns ? cf.fp[s] : 0;
        p.sj[j] = p.ns ? cf.slope[s] : 0;
        p.starts_f[j] = j < p.ns ? float_at_or_above(p.xj[j]) : std::numeric_limits<float>::infinity();
      }
      if (!cf.xp.empty()) p.x0 = cf.xp.front(), p.y0 = cf.fp.front(), p.xl = cf.xp.back(), p.yl = cf.fp.back();
    }
  }
  return plans;
}

// Nodata of 8 samples (all ones where missing): NaN, or equal to the layer's nodata value.
NS_INLINE __m256 nodata8(__m256 x, float ndv) {
  return _mm256_or_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q), _mm256_cmp_ps(x, _mm256_set1_ps(ndv), _CMP_EQ_OQ));
}

// 8 int32 lanes holding 0..255 as 8 bytes.
NS_INLINE __m128i bytes8(__m256i v) {
  const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return _mm_packus_epi16(w, w);
}

// The class and limiting bytes of 8 cells and their 8 index values.
NS_INLINE void store8(std::size_t i, __m256i c, __m256i l, __m256 x, uint8_t* cls, uint8_t* lim, float* index) {
  _mm_storel_epi64(reinterpret_cast<__m128i*>(cls + i), bytes8(c));
  if (lim) _mm_storel_epi64(reinterpret_cast<__m128i*>(lim + i), bytes8(l));
  if (index) _mm256_storeu_ps(index + i, x);
}

// limiting: 8 cells in float / int32 lanes. Class of each factor from its tests, the
// worst class and the first factor with it, the nodata mask.
NS_INLINE void limiting8(const std::vector<Plan>& plans, std::size_t i, uint8_t* cls, uint8_t* lim, float* index) {
  const __m256i one = _mm256_set1_epi32(1), four = _mm256_set1_epi32(4);
  __m256i worst = one, lp = _mm256_setzero_si256();
  __m256 nd = _mm256_setzero_ps();
  for (const Plan& p : plans) {
    const __m256 x = _mm256_loadu_ps(p.v + i);
    nd = _mm256_or_ps(nd, nodata8(x, p.ndv));
    __m256 c = _mm256_castsi256_ps(four);
    const std::size_t nt = p.lo.size();
    if (p.cat) {
      for (std::size_t j = 0; j < nt; ++j)
        c = _mm256_blendv_ps(c, _mm256_castsi256_ps(_mm256_set1_epi32(p.cls[j])),
                             _mm256_cmp_ps(x, _mm256_set1_ps(p.lo[j]), _CMP_EQ_OQ));
    } else {
      for (std::size_t j = 0; j < nt; ++j)
        c = _mm256_blendv_ps(c, _mm256_castsi256_ps(_mm256_set1_epi32(p.cls[j])),
                             _mm256_cmp_ps(x, _mm256_set1_ps(p.lo[j]), _CMP_GE_OQ));
    }
    const __m256i ci = _mm256_castps_si256(c);
    const __m256i worse = _mm256_cmpgt_epi32(ci, worst);
    lp = _mm256_blendv_epi8(lp, _mm256_set1_epi32(p.pos), worse);
    worst = _mm256_max_epi32(worst, ci);
  }
  const __m256i ndi = _mm256_castps_si256(nd);
  const __m256i cb = _mm256_andnot_si256(ndi, worst);
  const __m256i lb = _mm256_andnot_si256(_mm256_or_si256(ndi, _mm256_cmpeq_epi32(worst, one)), lp);
  store8(i, cb, lb, _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN()), cls, lim, index);
}

// r / 100, correctly rounded, without a division (see the header comment).
NS_INLINE __m256d div100(__m256d r) {
  const __m256d rc = _mm256_set1_pd(0.01), h = _mm256_set1_pd(100.0);
  const __m256d q = _mm256_mul_pd(r, rc);
  const __m256d e = _mm256_fnmadd_pd(q, h, r);  // r - 100·q, exact
  return _mm256_fmadd_pd(e, rc, q);
}

// The running state of 4 cells of a parametric method.
// (No member initialisers: an implicit constructor would not be compiled for AVX2.)
struct Par {
  __m256d rmin, prod;
  __m256d ex;    // square root: the product without the first lowest rating
  __m256d limp;  // the position of the first lowest rating, as a double (exact)
};

NS_INLINE Par start_state() {
  Par s;
  s.rmin = _mm256_set1_pd(std::numeric_limits<double>::infinity());
  s.prod = _mm256_set1_pd(1.0);
  s.ex = _mm256_set1_pd(1.0);
  s.limp = _mm256_setzero_pd();
  return s;
}

template <bool STORIE>
NS_INLINE void book(Par& s, __m256d r, __m256d pos) {
  const __m256d lower = _mm256_cmp_pd(r, s.rmin, _CMP_LT_OQ);
  s.limp = _mm256_blendv_pd(s.limp, pos, lower);
  s.rmin = _mm256_min_pd(r, s.rmin);  // r < rmin ? r : rmin, as the portable kernel
  const __m256d q = div100(r);
  if constexpr (!STORIE) s.ex = _mm256_blendv_pd(_mm256_mul_pd(s.ex, q), s.prod, lower);
  s.prod = _mm256_mul_pd(s.prod, q);
}

// Entry k of a table of up to 16 doubles, 4 cells at once: `vpermps` picks the two
// 32-bit halves of entry k mod 4 from each table of four (idx holds 2k and 2k + 1 in
// each 64-bit lane), and the cells' quarter (k ≥ 4, 8, 12) chooses the table.
template <int Q>
NS_INLINE __m256d lookup(const double* table, __m256i idx, __m256d ge4, __m256d ge8, __m256d ge12) {
  const auto quad = [&](int q) {
    return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(_mm256_load_pd(table + 4 * q)), idx));
  };
  __m256d v = quad(0);
  if constexpr (Q > 1) v = _mm256_blendv_pd(v, quad(1), ge4);
  if constexpr (Q > 2) v = _mm256_blendv_pd(v, quad(2), ge8);
  if constexpr (Q > 3) v = _mm256_blendv_pd(v, quad(3), ge12);
  return v;
}

// The segment index of 8 float samples: the count of segment starts (from the
// second) at or below x, on int32 lanes (a true comparison is all ones, −1).
template <int Q>
NS_INLINE __m256i segment8(const Plan& p, __m256 x) {
  __m256i k = _mm256_setzero_si256();
  for (int j = 1; j < 4 * Q; ++j)
    k = _mm256_sub_epi32(k, _mm256_castps_si256(_mm256_cmp_ps(x, _mm256_set1_ps(p.starts_f[j]), _CMP_GE_OQ)));
  return k;
}

// numpy.interp of 4 cells whose segment index is k32: start, value and slope by table
// lookups, then the formula; flat beyond the ends.
template <int Q>
NS_INLINE __m256d curve4(const Plan& p, __m256d x, __m128i k32) {
  const __m256i k = _mm256_cvtepi32_epi64(k32);
  const __m256i twice = _mm256_slli_epi64(k, 1);
  const __m256i idx =
      _mm256_add_epi32(_mm256_or_si256(twice, _mm256_slli_epi64(twice, 32)), _mm256_set1_epi64x(std::int64_t{1} << 32));
  __m256d ge4 = _mm256_setzero_pd(), ge8 = ge4, ge12 = ge4;
  if constexpr (Q > 1) ge4 = _mm256_castsi256_pd(_mm256_cmpgt_epi64(k, _mm256_set1_epi64x(3)));
  if constexpr (Q > 2) ge8 = _mm256_castsi256_pd(_mm256_cmpgt_epi64(k, _mm256_set1_epi64x(7)));
  if constexpr (Q > 3) ge12 = _mm256_castsi256_pd(_mm256_cmpgt_epi64(k, _mm256_set1_epi64x(11)));
  const __m256d xs = lookup<Q>(p.xj, idx, ge4, ge8, ge12);
  const __m256d ys = lookup<Q>(p.yj, idx, ge4, ge8, ge12);
  const __m256d ss = lookup<Q>(p.sj, idx, ge4, ge8, ge12);
  __m256d r = _mm256_add_pd(_mm256_mul_pd(ss, _mm256_sub_pd(x, xs)), ys);
  r = _mm256_blendv_pd(r, _mm256_set1_pd(p.y0), _mm256_cmp_pd(x, _mm256_set1_pd(p.x0), _CMP_LT_OQ));
  r = _mm256_blendv_pd(r, _mm256_set1_pd(p.yl), _mm256_cmp_pd(x, _mm256_set1_pd(p.xl), _CMP_GE_OQ));
  return r;
}

// The ratings of 8 cells, as two halves of 4.
template <int Q>
NS_INLINE void curve8(const Plan& p, __m256 x, __m256d& ra, __m256d& rb) {
  const __m256i k = segment8<Q>(p, x);
  ra = curve4<Q>(p, _mm256_cvtps_pd(_mm256_castps256_ps128(x)), _mm256_castsi256_si128(k));
  rb = curve4<Q>(p, _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), _mm256_extracti128_si256(k, 1));
}

// The index of 4 cells from their state, and its class: 4 − the thresholds it meets
// (they descend, so the tests nest), as the portable kernel.
template <bool STORIE>
NS_INLINE __m256d index4(const Par& s) {
  return STORIE ? _mm256_mul_pd(_mm256_set1_pd(100.0), s.prod) : _mm256_mul_pd(s.rmin, _mm256_sqrt_pd(s.ex));
}

NS_INLINE __m128i class4(__m256d idx, const std::array<double, 3>& t) {
  const __m256d one = _mm256_set1_pd(1.0);
  __m256d c = _mm256_set1_pd(4.0);
  for (double th : t) c = _mm256_sub_pd(c, _mm256_and_pd(_mm256_cmp_pd(idx, _mm256_set1_pd(th), _CMP_GE_OQ), one));
  return _mm256_cvtpd_epi32(c);
}

// storie / square root: 8 cells as two halves of 4 in double lanes.
template <bool STORIE>
NS_INLINE void parametric8(const std::vector<Plan>& plans, const std::array<double, 3>& t, std::size_t i, uint8_t* cls,
                           uint8_t* lim, float* index) {
  Par a = start_state(), b = start_state();
  __m256 nd = _mm256_setzero_ps();
  for (const Plan& p : plans) {
    const __m256 x = _mm256_loadu_ps(p.v + i);
    nd = _mm256_or_ps(nd, nodata8(x, p.ndv));
    const __m256d pos = _mm256_set1_pd(static_cast<double>(p.pos));
    __m256d ra, rb;
    if (p.cat) {
      __m256 r = _mm256_setzero_ps();  // N unless a code matches
      for (std::size_t j = 0; j < p.lo.size(); ++j)
        r = _mm256_blendv_ps(r, _mm256_set1_ps(p.rating[j]), _mm256_cmp_ps(x, _mm256_set1_ps(p.lo[j]), _CMP_EQ_OQ));
      ra = _mm256_cvtps_pd(_mm256_castps256_ps128(r));
      rb = _mm256_cvtps_pd(_mm256_extractf128_ps(r, 1));
    } else {
      if (p.quads == 2) curve8<2>(p, x, ra, rb);
      else curve8<4>(p, x, ra, rb);
    }
    book<STORIE>(a, ra, pos);
    book<STORIE>(b, rb, pos);
  }
  const __m256d ia = index4<STORIE>(a), ib = index4<STORIE>(b);
  const __m256i c = _mm256_set_m128i(class4(ib, t), class4(ia, t));
  const __m256i l = _mm256_set_m128i(_mm256_cvtpd_epi32(b.limp), _mm256_cvtpd_epi32(a.limp));
  const __m256i ndi = _mm256_castps_si256(nd);
  const __m256i cb = _mm256_andnot_si256(ndi, c);
  const __m256i lb = _mm256_andnot_si256(_mm256_or_si256(ndi, _mm256_cmpeq_epi32(c, _mm256_set1_epi32(1))), l);
  const __m256 f = _mm256_set_m128(_mm256_cvtpd_ps(ib), _mm256_cvtpd_ps(ia));
  store8(i, cb, lb, _mm256_blendv_ps(f, _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN()), nd), cls, lim, index);
}

}  // namespace

void evaluate_block_avx2(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                         uint8_t* limiting, float* index) {
  const std::vector<Plan> plans = make_plans(cp, inputs);
  const auto& t = cp.thresholds;
  const std::size_t whole = n - n % 8;
  switch (cp.method) {
    case Method::limiting:
      for (std::size_t i = 0; i < whole; i += 8) limiting8(plans, i, cls, limiting, index);
      break;
    case Method::storie:
      for (std::size_t i = 0; i < whole; i += 8) parametric8<true>(plans, t, i, cls, limiting, index);
      break;
    case Method::square_root:
      for (std::size_t i = 0; i < whole; i += 8) parametric8<false>(plans, t, i, cls, limiting, index);
      break;
  }
  if (whole == n) return;
  // The last cells: the portable kernel, on the same layers from the same cell.
  std::vector<LayerData> rest(inputs.begin(), inputs.end());
  for (auto& in : rest) in.data = static_cast<const float*>(in.data) + whole;
  evaluate_block_portable(cp, rest, n - whole, cls + whole, limiting ? limiting + whole : nullptr,
                          index ? index + whole : nullptr);
}

}  // namespace nongsan::suitability::detail

#pragma GCC pop_options
#endif
