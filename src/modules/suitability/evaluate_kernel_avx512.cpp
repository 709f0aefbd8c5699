// The AVX-512 block kernel (see evaluate_kernels.hpp). Why it exists: the
// portable kernel (evaluate_kernel.cpp) runs one pass per factor over chunks of 4096
// cells and keeps its running state (worst class, lowest rating, product, ...) in
// scratch arrays, so each factor reads and writes that state through the cache; and
// each rating-curve segment costs a subtraction, a multiplication, an addition, a
// comparison and a select. Here a run of 16 cells goes through every factor with
// the state in registers, and a rating curve is one comparison per segment end (the
// segment index) plus three table lookups (vpermpd: start, value and slope of the
// cell's segment) and one evaluation of numpy.interp's slope·(x − xⱼ) + yⱼ.
//
// Exactness: every value is computed by the same operations in the same order as
// the portable kernel and evaluate_cell (no FMA contraction: the file is built with
// -ffp-contract=off), with one exception proved equal: r / 100 is computed as
// q = r·RN(0.01) corrected once by the remainder r − 100·q (two FMAs), which is the
// correctly rounded quotient for every r (Markstein's theorem: RN(0.01) is within
// half an ulp of 1/100 and q within one ulp of r/100, so q + (r − 100q)·RN(0.01)
// rounds to r/100). Division is the slowest instruction of the kernel otherwise.
//
// The file is compiled for AVX-512 (target pragma below), but only avx512_available()
// decides at run time whether it runs; that function is compiled for the baseline.
#include "modules/suitability/evaluate_kernels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NS_HAVE_AVX512_KERNEL 1
#endif

namespace nongsan::suitability::detail {

bool avx512_available() {
#ifdef NS_HAVE_AVX512_KERNEL
  // __builtin_cpu_supports also checks that the OS saves the AVX-512 registers.
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  return ok;
#else
  return false;
#endif
}

}  // namespace nongsan::suitability::detail

#ifndef NS_HAVE_AVX512_KERNEL
namespace nongsan::suitability::detail {
// Not x86-64 GCC: avx512_available() is false, so evaluate_block never calls this.
void evaluate_block_avx512(const CompiledProfile&, std::span<const LayerData>, std::size_t, uint8_t*, uint8_t*,
                           float*) {}
}  // namespace nongsan::suitability::detail
#else

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,fma")
// GCC 12's AVX-512 intrinsics start from deliberately undefined vectors (`__Y = __Y`),
// which -W(maybe-)uninitialized reports once inlined; nothing here reads an undefined lane.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

namespace nongsan::suitability::detail {

namespace {

#define NS_INLINE [[gnu::always_inline]] inline

// Blocks of at least this many cells write their outputs with streaming stores
// (when aligned): ~6 bytes a cell that would otherwise first be read into the cache
// and evict the inputs. Smaller blocks (a window of a raster, read again at once by
// the GeoTIFF writer) keep ordinary stores.
constexpr std::size_t kStreamCells = std::size_t{1} << 23;

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
  std::vector<double> rating;  // parametric, categorical: the rating of cls[j]
  // Parametric, continuous: the curve's segments in tables of 16 (padded by repeating
  // the last); xk[k] starts segment k (k >= 1 counted by comparisons).
  int ns = 0;
  alignas(64) double xj[16], yj[16], sj[16];
  double x0 = 0, y0 = 0, xl = 0, yl = 0;
};

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
        p.rating.push_back(c.cls == 4 ? 0.0 : 120.0 - 20.0 * c.cls);  // S1 100, S2 80, S3 60, N 0
      }
    } else {
      for (const auto& s : cf.steps) {
        p.lo.push_back(s.lo_f);
        p.cls.push_back(s.cls);
      }
      p.ns = static_cast<int>(cf.slope.size());
      for (int j = 0; j < 16; ++j) {
        int s = std::min(j, std::max(p.ns - 1, 0));
        p.xj[j] = p.ns ? cf.xp[s] : 0;
        p.yj[j] = p.ns ? cf.fp[s] : 0;
        p.sj[j] = p.ns ? cf.slope[s] : 0;
      }
      if (!cf.xp.empty()) p.x0 = cf.xp.front(), p.y0 = cf.fp.front(), p.xl = cf.xp.back(), p.yl = cf.fp.back();
    }
  }
  return plans;
}

// Output stores: the class and limiting bytes of 16 cells and their 16 index values.
// NT: non-temporal (streaming) stores, for outputs far larger than the caches (see
// kStreamCells); the addresses are then aligned (16 bytes, the index 64).
template <bool TAIL, bool NT>
NS_INLINE void store16(std::size_t i, __mmask16 m, __m128i c, __m128i l, __m512 x, uint8_t* cls, uint8_t* lim,
                       float* index) {
  if constexpr (NT) {
    _mm_stream_si128(reinterpret_cast<__m128i*>(cls + i), c);
    if (lim) _mm_stream_si128(reinterpret_cast<__m128i*>(lim + i), l);
    if (index) _mm512_stream_ps(index + i, x);
  } else if constexpr (TAIL) {
    _mm_mask_storeu_epi8(cls + i, m, c);
    if (lim) _mm_mask_storeu_epi8(lim + i, m, l);
    if (index) _mm512_mask_storeu_ps(index + i, m, x);
  } else {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(cls + i), c);
    if (lim) _mm_storeu_si128(reinterpret_cast<__m128i*>(lim + i), l);
    if (index) _mm512_storeu_ps(index + i, x);
  }
}

template <bool TAIL>
NS_INLINE __m512 load16(const float* p, __mmask16 m) {
  if constexpr (TAIL)
    return _mm512_maskz_loadu_ps(m, p);
  else
    return _mm512_loadu_ps(p);
}

// limiting: 16 cells in float / int32 lanes. Class of each factor from its tests,
// the worst class and the first factor with it, the nodata mask.
template <bool TAIL, bool NT>
NS_INLINE void limiting16(const std::vector<Plan>& plans, std::size_t i, __mmask16 m, uint8_t* cls, uint8_t* lim,
                          float* index) {
  const __m512i one = _mm512_set1_epi32(1), four = _mm512_set1_epi32(4);
  __m512i worst = one, lp = _mm512_setzero_si512();
  __mmask16 nd = 0;
  for (const Plan& p : plans) {
    const __m512 x = load16<TAIL>(p.v + i, m);
    nd |= _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(x, _mm512_set1_ps(p.ndv), _CMP_EQ_OQ);
    __m512i c = four;
    const std::size_t nt = p.lo.size();
    if (p.cat) {
      for (std::size_t j = 0; j < nt; ++j)
        c = _mm512_mask_mov_epi32(c, _mm512_cmp_ps_mask(x, _mm512_set1_ps(p.lo[j]), _CMP_EQ_OQ),
                                  _mm512_set1_epi32(p.cls[j]));
    } else {
      for (std::size_t j = 0; j < nt; ++j)
        c = _mm512_mask_mov_epi32(c, _mm512_cmp_ps_mask(x, _mm512_set1_ps(p.lo[j]), _CMP_GE_OQ),
                                  _mm512_set1_epi32(p.cls[j]));
    }
    const __mmask16 worse = _mm512_cmpgt_epi32_mask(c, worst);
    lp = _mm512_mask_mov_epi32(lp, worse, _mm512_set1_epi32(p.pos));
    worst = _mm512_max_epi32(worst, c);
  }
  const __m128i cb = _mm512_cvtepi32_epi8(_mm512_maskz_mov_epi32(static_cast<__mmask16>(~nd), worst));
  const __mmask16 keep_lim = static_cast<__mmask16>(~nd) & _mm512_cmpneq_epi32_mask(worst, one);
  const __m128i lb = _mm512_cvtepi32_epi8(_mm512_maskz_mov_epi32(keep_lim, lp));
  store16<TAIL, NT>(i, m, cb, lb, _mm512_set1_ps(std::numeric_limits<float>::quiet_NaN()), cls, lim, index);
}

// r / 100, correctly rounded, without a division (see the header comment).
NS_INLINE __m512d div100(__m512d r) {
  const __m512d rc = _mm512_set1_pd(0.01), h = _mm512_set1_pd(100.0);
  const __m512d q = _mm512_mul_pd(r, rc);
  const __m512d e = _mm512_fnmadd_pd(q, h, r);  // r - 100·q, exact
  return _mm512_fmadd_pd(e, rc, q);
}

// The running state of 8 cells of a parametric method.
// (No member initialisers: an implicit constructor would not be compiled for AVX-512.)
struct Par {
  __m512d rmin, prod;
  __m512d ex;  // square root: the product without the first lowest rating
  __m512i limp;
};

NS_INLINE Par start_state() {
  Par s;
  s.rmin = _mm512_set1_pd(std::numeric_limits<double>::infinity());
  s.prod = _mm512_set1_pd(1.0);
  s.ex = _mm512_set1_pd(1.0);
  s.limp = _mm512_setzero_si512();
  return s;
}

template <bool STORIE>
NS_INLINE void book(Par& s, __m512d r, __m512i pos) {
  const __mmask8 lower = _mm512_cmp_pd_mask(r, s.rmin, _CMP_LT_OQ);
  s.limp = _mm512_mask_mov_epi64(s.limp, lower, pos);
  s.rmin = _mm512_min_pd(r, s.rmin);  // r < rmin ? r : rmin, as the portable kernel
  const __m512d q = div100(r);
  if constexpr (!STORIE) s.ex = _mm512_mask_mov_pd(_mm512_mul_pd(s.ex, q), lower, s.prod);
  s.prod = _mm512_mul_pd(s.prod, q);
}

// numpy.interp of 8 cells: the segment index by comparisons with the segment starts
// (strictly increasing), start, value and slope by table lookups, then the formula;
// flat beyond the ends.
template <bool WIDE>
NS_INLINE __m512d curve8(const Plan& p, __m512d x) {
  const __m512i onei = _mm512_set1_epi64(1);
  __m512i k = _mm512_setzero_si512();
  for (int j = 1; j < p.ns; ++j)
    k = _mm512_mask_add_epi64(k, _mm512_cmp_pd_mask(x, _mm512_set1_pd(p.xj[j]), _CMP_GE_OQ), k, onei);
  __m512d xs, ys, ss;
  if constexpr (WIDE) {
    xs = _mm512_permutex2var_pd(_mm512_load_pd(p.xj), k, _mm512_load_pd(p.xj + 8));
    ys = _mm512_permutex2var_pd(_mm512_load_pd(p.yj), k, _mm512_load_pd(p.yj + 8));
    ss = _mm512_permutex2var_pd(_mm512_load_pd(p.sj), k, _mm512_load_pd(p.sj + 8));
  } else {
    xs = _mm512_permutexvar_pd(k, _mm512_load_pd(p.xj));
    ys = _mm512_permutexvar_pd(k, _mm512_load_pd(p.yj));
    ss = _mm512_permutexvar_pd(k, _mm512_load_pd(p.sj));
  }
  __m512d r = _mm512_add_pd(_mm512_mul_pd(ss, _mm512_sub_pd(x, xs)), ys);
  r = _mm512_mask_mov_pd(r, _mm512_cmp_pd_mask(x, _mm512_set1_pd(p.x0), _CMP_LT_OQ), _mm512_set1_pd(p.y0));
  r = _mm512_mask_mov_pd(r, _mm512_cmp_pd_mask(x, _mm512_set1_pd(p.xl), _CMP_GE_OQ), _mm512_set1_pd(p.yl));
  return r;
}

// Class, limiting factor and index of 8 cells from their state.
template <bool STORIE>
NS_INLINE void finish8(const Par& s, const std::array<double, 3>& t, __mmask8 nd, __m128i& cb, __m128i& lb,
                       __m256& xf) {
  const __m512d idx = STORIE ? _mm512_mul_pd(_mm512_set1_pd(100.0), s.prod)
                             : _mm512_mul_pd(s.rmin, _mm512_sqrt_pd(s.ex));
  const __m512i onei = _mm512_set1_epi64(1);
  __m512i c = _mm512_set1_epi64(4);
  for (double th : t) c = _mm512_mask_sub_epi64(c, _mm512_cmp_pd_mask(idx, _mm512_set1_pd(th), _CMP_GE_OQ), c, onei);
  const auto keep = static_cast<__mmask8>(~nd);
  cb = _mm512_cvtepi64_epi8(_mm512_maskz_mov_epi64(keep, c));
  lb = _mm512_cvtepi64_epi8(_mm512_maskz_mov_epi64(keep & _mm512_cmpneq_epi64_mask(c, onei), s.limp));
  xf = _mm256_mask_mov_ps(_mm256_set1_ps(std::numeric_limits<float>::quiet_NaN()), keep, _mm512_cvtpd_ps(idx));
}

// storie / square root: 16 cells as two halves of 8 in double lanes.
template <bool TAIL, bool NT, bool STORIE>
NS_INLINE void parametric16(const std::vector<Plan>& plans, const std::array<double, 3>& t, std::size_t i,
                            __mmask16 m, uint8_t* cls, uint8_t* lim, float* index) {
  Par a = start_state(), b = start_state();
  __mmask16 nd = 0;
  for (const Plan& p : plans) {
    const __m512 x = load16<TAIL>(p.v + i, m);
    nd |= _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(x, _mm512_set1_ps(p.ndv), _CMP_EQ_OQ);
    const __m512i pos = _mm512_set1_epi64(p.pos);
    __m512d ra, rb;
    if (p.cat) {
      ra = rb = _mm512_setzero_pd();  // N unless a code matches
      for (std::size_t j = 0; j < p.lo.size(); ++j) {
        const __mmask16 eq = _mm512_cmp_ps_mask(x, _mm512_set1_ps(p.lo[j]), _CMP_EQ_OQ);
        const __m512d rj = _mm512_set1_pd(p.rating[j]);
        ra = _mm512_mask_mov_pd(ra, static_cast<__mmask8>(eq), rj);
        rb = _mm512_mask_mov_pd(rb, static_cast<__mmask8>(eq >> 8), rj);
      }
    } else {
      const __m512d xa = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
      const __m512d xb = _mm512_cvtps_pd(_mm512_extractf32x8_ps(x, 1));
      if (p.ns <= 8) {
        ra = curve8<false>(p, xa);
        rb = curve8<false>(p, xb);
      } else {
        ra = curve8<true>(p, xa);
        rb = curve8<true>(p, xb);
      }
    }
    book<STORIE>(a, ra, pos);
    book<STORIE>(b, rb, pos);
  }
  __m128i ca, la, cb, lb;
  __m256 fa, fb;
  finish8<STORIE>(a, t, static_cast<__mmask8>(nd), ca, la, fa);
  finish8<STORIE>(b, t, static_cast<__mmask8>(nd >> 8), cb, lb, fb);
  const __m512 f = _mm512_insertf32x8(_mm512_castps256_ps512(fa), fb, 1);
  store16<TAIL, NT>(i, m, _mm_unpacklo_epi64(ca, cb), _mm_unpacklo_epi64(la, lb), f, cls, lim, index);
}

NS_INLINE __mmask16 first(std::size_t k) { return static_cast<__mmask16>((1u << k) - 1); }

// Cells [0, n) in runs of 16 (the last run masked). With large outputs whose
// addresses can be aligned, the first cells (fewer than 16) go alone so that the
// index (else the class) reaches a 64-byte (16-byte) boundary, and the runs after
// them are stored with streaming stores.
template <typename Step>
void run(std::size_t n, uint8_t* cls, uint8_t* lim, float* index, Step step) {
  std::size_t i = 0;
  bool nt = false;
  if (n >= kStreamCells) {
    const auto at = [](const void* p, std::size_t k, std::size_t bytes, std::size_t align) {
      return (reinterpret_cast<uintptr_t>(p) + k * bytes) % align == 0;
    };
    std::size_t a = 0;
    while (a < 16 && !(index ? at(index, a, 4, 64) : at(cls, a, 1, 16))) ++a;
    nt = a < 16 && at(cls, a, 1, 16) && (!lim || at(lim, a, 1, 16)) && (!index || at(index, a, 4, 64));
    if (nt && a > 0) {
      step.template operator()<true, false>(0, first(a));
      i = a;
    }
  }
  if (nt) {
    for (; i + 16 <= n; i += 16) step.template operator()<false, true>(i, static_cast<__mmask16>(0xFFFF));
    _mm_sfence();  // streaming stores are weakly ordered: make them visible before returning
  } else {
    for (; i + 16 <= n; i += 16) step.template operator()<false, false>(i, static_cast<__mmask16>(0xFFFF));
  }
  if (i < n) step.template operator()<true, false>(i, first(n - i));
}

}  // namespace

void evaluate_block_avx512(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n,
                           uint8_t* cls, uint8_t* limiting, float* index) {
  const std::vector<Plan> plans = make_plans(cp, inputs);
  const auto& t = cp.thresholds;
  switch (cp.method) {
    case Method::limiting:
      run(n, cls, limiting, index, [&]<bool TAIL, bool NT>(std::size_t i, __mmask16 m) {
        limiting16<TAIL, NT>(plans, i, m, cls, limiting, index);
      });
      break;
    case Method::storie:
      run(n, cls, limiting, index, [&]<bool TAIL, bool NT>(std::size_t i, __mmask16 m) {
        parametric16<TAIL, NT, true>(plans, t, i, m, cls, limiting, index);
      });
      break;
    case Method::square_root:
      run(n, cls, limiting, index, [&]<bool TAIL, bool NT>(std::size_t i, __mmask16 m) {
        parametric16<TAIL, NT, false>(plans, t, i, m, cls, limiting, index);
      });
      break;
  }
}

}  // namespace nongsan::suitability::detail

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
