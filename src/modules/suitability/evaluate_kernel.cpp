// The block kernel of evaluate.hpp. Speed comes from simple loops over flat
// __restrict arrays that GCC vectorises (../shared/STACK.md: a branchy per-cell
// loop was 50x slower): cells are processed in chunks that stay in L1/L2 cache, one
// loop per factor and per interval or curve segment, with selects instead of
// branches. Built with -O3 -ffp-contract=off (CMakeLists.txt): no FMA contraction,
// so that ratings and indices are bit-identical to evaluate_cell and numpy. On
// x86-64 the chunk function is cloned for AVX2 and the baseline and chosen at load
// time (target_clones), so the binary still runs on any x86-64 machine.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "modules/suitability/evaluate.hpp"

namespace nongsan::suitability {

namespace {

constexpr std::size_t kChunk = 1024;

struct Scratch {
  alignas(64) uint8_t nd[kChunk];
  alignas(64) uint8_t fc[kChunk];
  alignas(64) uint8_t worst[kChunk];
  alignas(64) uint8_t lim[kChunk];
  alignas(64) double amin[kChunk];  // index (in cp.factors) of the first lowest rating
  alignas(64) double limp[kChunk];  // its position in the profile
  alignas(64) double r[kChunk];
  alignas(64) double prod[kChunk];
  alignas(64) double rmin[kChunk];
  std::vector<double> rs;  // square_root: the ratings of every factor, factor-major
};

#define NS_INLINE [[gnu::always_inline]] inline

// Class of each value into fc (1..4), nodata flags or-ed into nd.
template <typename T>
NS_INLINE void classify_chunk(const T* __restrict v, std::size_t m, const CompiledFactor& cf, bool has_nd, T ndv,
                              uint8_t* __restrict fc, uint8_t* __restrict nd) {
  for (std::size_t i = 0; i < m; ++i) fc[i] = 4;
  if (cf.type == FactorType::continuous) {
    for (const auto& iv : cf.intervals) {
      T lo, hi;
      if constexpr (sizeof(T) == 4) {
        lo = iv.lo_f;
        hi = iv.hi_f;
      } else {
        lo = iv.lo;
        hi = iv.hi;
      }
      const uint8_t c = iv.cls;
      for (std::size_t i = 0; i < m; ++i) {
        T x = v[i];
        fc[i] = (x >= lo && x < hi) ? c : fc[i];
      }
    }
  } else {
    for (const auto& code : cf.codes) {
      T value;
      if constexpr (sizeof(T) == 4) {
        if (!code.float_exact) continue;  // no float sample equals this code
        value = code.value_f;
      } else {
        value = code.value;
      }
      const uint8_t c = code.cls;
      for (std::size_t i = 0; i < m; ++i) fc[i] = (v[i] == value) ? c : fc[i];
    }
  }
  if (has_nd) {
    for (std::size_t i = 0; i < m; ++i) {
      T x = v[i];
      nd[i] |= static_cast<uint8_t>((x != x) | (x == ndv));
    }
  } else {
    for (std::size_t i = 0; i < m; ++i) {
      T x = v[i];
      nd[i] |= static_cast<uint8_t>(x != x);
    }
  }
}

// Rating 0..100 of each value into r (numpy.interp's formula).
template <typename T>
NS_INLINE void rate_chunk(const T* __restrict v, std::size_t m, const CompiledFactor& cf, const uint8_t* __restrict fc,
                          double* __restrict r) {
  if (cf.type == FactorType::categorical) {
    // S1 100, S2 80, S3 60, N 0
    for (std::size_t i = 0; i < m; ++i) {
      double c = fc[i];
      r[i] = c == 4.0 ? 0.0 : 120.0 - 20.0 * c;
    }
    return;
  }
  const std::size_t k = cf.xp.size();
  const double y0 = cf.fp[0];
  for (std::size_t i = 0; i < m; ++i) r[i] = y0;
  for (std::size_t j = 0; j + 1 < k; ++j) {
    const double xj = cf.xp[j], yj = cf.fp[j], s = cf.slope[j];
    for (std::size_t i = 0; i < m; ++i) {
      double x = static_cast<double>(v[i]);
      double y = s * (x - xj) + yj;
      r[i] = x >= xj ? y : r[i];
    }
  }
  const double xl = cf.xp[k - 1], yl = cf.fp[k - 1];
  for (std::size_t i = 0; i < m; ++i) {
    double x = static_cast<double>(v[i]);
    r[i] = x >= xl ? yl : r[i];
  }
}

template <typename T>
NS_INLINE void factor_chunk(const CompiledProfile& cp, std::size_t k, const LayerData& in, std::size_t off,
                            std::size_t m, Scratch& s) {
  const CompiledFactor& cf = cp.factors[k];
  const T* v = static_cast<const T*>(in.data) + off;
  bool has_nd = false;
  T ndv = 0;
  if (in.nodata && !std::isnan(*in.nodata)) {
    ndv = static_cast<T>(*in.nodata);
    // A nodata value a sample of this type cannot hold never matches.
    has_nd = static_cast<double>(ndv) == *in.nodata;
  }
  classify_chunk<T>(v, m, cf, has_nd, ndv, s.fc, s.nd);
  uint8_t* __restrict fc = s.fc;
  if (cp.method == Method::limiting) {
    uint8_t* __restrict worst = s.worst;
    uint8_t* __restrict lim = s.lim;
    const auto pos = static_cast<uint8_t>(std::min<std::size_t>(cf.position, 255));
    for (std::size_t i = 0; i < m; ++i) {
      lim[i] = fc[i] > worst[i] ? pos : lim[i];
      worst[i] = std::max(worst[i], fc[i]);
    }
    return;
  }
  rate_chunk<T>(v, m, cf, fc, s.r);
  const double* __restrict r = s.r;
  double* __restrict rmin = s.rmin;
  double* __restrict amin = s.amin;
  double* __restrict limp = s.limp;
  const double kd = static_cast<double>(k), posd = static_cast<double>(std::min<std::size_t>(cf.position, 255));
  for (std::size_t i = 0; i < m; ++i) {
    double ri = r[i], rm = rmin[i], a = amin[i], l = limp[i];
    bool lower = ri < rm;
    amin[i] = lower ? kd : a;
    limp[i] = lower ? posd : l;
    rmin[i] = lower ? ri : rm;
  }
  if (cp.method == Method::storie) {
    double* __restrict prod = s.prod;
    for (std::size_t i = 0; i < m; ++i) prod[i] = prod[i] * (r[i] / 100.0);
  } else {
    std::copy(r, r + m, s.rs.data() + k * kChunk);
  }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NS_CLONES [[gnu::target_clones("avx2", "default")]]
#else
#define NS_CLONES
#endif

NS_CLONES void chunk(const CompiledProfile& cp, const LayerData* inputs, std::size_t off, std::size_t m, Scratch& s,
                     uint8_t* cls, uint8_t* limiting, float* index) {
  for (std::size_t i = 0; i < m; ++i) {
    s.nd[i] = 0;
    s.worst[i] = 1;
    s.lim[i] = 0;
    s.amin[i] = 0;
    s.limp[i] = 0;
    s.prod[i] = 1.0;
    s.rmin[i] = std::numeric_limits<double>::infinity();
  }
  for (std::size_t k = 0; k < cp.factors.size(); ++k) {
    if (inputs[k].type == SampleType::f32)
      factor_chunk<float>(cp, k, inputs[k], off, m, s);
    else
      factor_chunk<double>(cp, k, inputs[k], off, m, s);
  }
  // Masks instead of branches: keep = 0xFF where the cell has data, 0 where not.
  uint8_t* __restrict out_cls = cls + off;
  const uint8_t* __restrict nd = s.nd;
  if (cp.method == Method::limiting) {
    const uint8_t* __restrict worst = s.worst;
    const uint8_t* __restrict lim = s.lim;
    for (std::size_t i = 0; i < m; ++i) out_cls[i] = worst[i] & static_cast<uint8_t>(nd[i] - 1);
    if (limiting) {
      uint8_t* __restrict out_lim = limiting + off;
      for (std::size_t i = 0; i < m; ++i)
        out_lim[i] = lim[i] & static_cast<uint8_t>((nd[i] | static_cast<uint8_t>(worst[i] == 1)) - 1);
    }
    if (index) std::fill(index + off, index + off + m, std::numeric_limits<float>::quiet_NaN());
    return;
  }
  double* __restrict idx = s.prod;  // the index replaces the product in place
  if (cp.method == Method::storie) {
    for (std::size_t i = 0; i < m; ++i) idx[i] = 100.0 * idx[i];
  } else {
    const double* __restrict amin = s.amin;
    for (std::size_t i = 0; i < m; ++i) idx[i] = 1.0;
    for (std::size_t k = 0; k < cp.factors.size(); ++k) {
      const double* __restrict rk = s.rs.data() + k * kChunk;
      const double kd = static_cast<double>(k);
      for (std::size_t i = 0; i < m; ++i) {
        double a = idx[i];
        double b = a * (rk[i] / 100.0);
        idx[i] = amin[i] == kd ? a : b;
      }
    }
    const double* __restrict rmin = s.rmin;
    for (std::size_t i = 0; i < m; ++i) idx[i] = rmin[i] * std::sqrt(idx[i]);
  }
  // Class of the index (thresholds descend, so the tests nest): 4 - #thresholds met.
  const double t0 = cp.thresholds[0], t1 = cp.thresholds[1], t2 = cp.thresholds[2];
  double* __restrict cd = s.r;
  for (std::size_t i = 0; i < m; ++i) {
    double x = idx[i];
    cd[i] = 4.0 - (x >= t0 ? 1.0 : 0.0) - (x >= t1 ? 1.0 : 0.0) - (x >= t2 ? 1.0 : 0.0);
  }
  uint8_t* __restrict c = s.worst;
  for (std::size_t i = 0; i < m; ++i) c[i] = static_cast<uint8_t>(static_cast<int>(cd[i]));
  for (std::size_t i = 0; i < m; ++i) out_cls[i] = c[i] & static_cast<uint8_t>(nd[i] - 1);
  if (limiting) {
    uint8_t* __restrict out_lim = limiting + off;
    const double* __restrict limp = s.limp;
    uint8_t* __restrict l8 = s.lim;
    for (std::size_t i = 0; i < m; ++i) l8[i] = static_cast<uint8_t>(static_cast<int>(limp[i]));
    for (std::size_t i = 0; i < m; ++i)
      out_lim[i] = l8[i] & static_cast<uint8_t>((nd[i] | static_cast<uint8_t>(c[i] == 1)) - 1);
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

void evaluate_block(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                    uint8_t* limiting, float* index) {
  Scratch s;
  if (cp.method == Method::square_root) s.rs.resize(cp.factors.size() * kChunk);
  for (std::size_t off = 0; off < n; off += kChunk)
    chunk(cp, inputs.data(), off, std::min(kChunk, n - off), s, cls, limiting, index);
}

}  // namespace nongsan::suitability
