// The rules of evaluate.hpp, cell by cell (table-driven), and the block kernel
// against the per-cell reference on random data with the edge cases mixed in.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "app/embedded_data.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/evaluate_kernels.hpp"

namespace nongsan::suitability {
namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CropProfile profile(const std::string& method = "limiting") {
  auto p = parse_crop_profile(json::parse(R"({ "crop": "macadamia", "name_vi": "Mắc ca", "method": ")" + method + R"(",
    "factors": [
      { "layer": "elevation", "type": "continuous",
        "S1": [[600, 1000]], "S2": [[400, 600], [1000, 1300]], "S3": [[200, 400], [1300, 1600]] },
      { "layer": "soil_group", "type": "categorical", "S1": [3, 5], "S2": [2], "S3": [1, 7] },
      { "layer": "slope", "type": "continuous", "S1": [[0, 8]], "S2": [[0, 15]], "S3": [[10, 25]] } ],
    "class_thresholds": [75, 50, 25],
    "ratings": { "elevation": [[200, 30], [600, 100], [1000, 100], [1600, 30]],
                 "slope": [[0, 100], [8, 90], [15, 60], [25, 25]] } })"));
  EXPECT_TRUE(p.ok());
  return *p;
}

struct ClassCase {
  double elevation, soil, slope;
  SuitClass cls;
  int limiting;
};

TEST(SuitabilityEvaluate, LimitingRules) {
  const auto p = profile();
  using S = SuitClass;
  const ClassCase cases[] = {
      {800, 3, 2, S::S1, 0},     // all S1: no limiting factor
      {600, 3, 2, S::S1, 0},     // 600 is in [600, 1000): S1 exactly on the low end
      {1000, 3, 2, S::S2, 1},    // 1000 is not in [600, 1000): S2
      {599.999, 3, 2, S::S2, 1},
      {1600, 3, 2, S::N, 1},     // 1600 is outside [1300, 1600): N
      {199, 3, 2, S::N, 1},      // in no interval: N
      {800, 2, 2, S::S2, 2},
      {800, 9, 2, S::N, 2},      // code in no list: N
      {800, 3.5, 2, S::N, 2},    // not a code
      {500, 2, 2, S::S2, 1},     // tie S2/S2: the first factor is limiting
      {800, 3, 5, S::S1, 0},     // overlap [0, 8) S1 and [0, 15) S2: best wins
      {800, 3, 12, S::S2, 3},    // overlap S2 [0, 15) and S3 [10, 25): best wins
      {800, 3, 15, S::S3, 3},
      {800, 3, 25, S::N, 3},
      {300, 7, 30, S::N, 3},     // S3, S3, N
      {300, 7, 20, S::S3, 1},    // S3, S3, S3: first
      {kNaN, 3, 2, S::nodata, 0},
      {800, kNaN, 2, S::nodata, 0},
  };
  for (const auto& c : cases) {
    double v[] = {c.elevation, c.soil, c.slope};
    auto e = evaluate_cell(p, Method::limiting, v);
    EXPECT_EQ(e.cls, c.cls) << c.elevation << " " << c.soil << " " << c.slope;
    EXPECT_EQ(e.limiting, c.limiting) << c.elevation << " " << c.soil << " " << c.slope;
    EXPECT_TRUE(std::isnan(e.index));
    ASSERT_EQ(e.factors.size(), 3u);
  }
}

TEST(SuitabilityEvaluate, RatingsInterpolateAndHoldFlat) {
  const auto p = profile();
  const auto& elev = p.factors[0];
  EXPECT_EQ(rate(elev, SuitClass::N, 0), 30);       // flat below the first breakpoint
  EXPECT_EQ(rate(elev, SuitClass::N, 200), 30);
  EXPECT_EQ(rate(elev, SuitClass::S2, 400), 65);    // halfway 30..100
  EXPECT_EQ(rate(elev, SuitClass::S1, 800), 100);
  EXPECT_EQ(rate(elev, SuitClass::S3, 1300), 65);
  EXPECT_EQ(rate(elev, SuitClass::N, 1600), 30);
  EXPECT_EQ(rate(elev, SuitClass::N, 5000), 30);    // flat beyond the last
  const auto& soil = p.factors[1];
  EXPECT_EQ(rate(soil, SuitClass::S1, 3), 100);
  EXPECT_EQ(rate(soil, SuitClass::S2, 2), 80);
  EXPECT_EQ(rate(soil, SuitClass::S3, 1), 60);
  EXPECT_EQ(rate(soil, SuitClass::N, 9), 0);
  EXPECT_TRUE(std::isnan(rate(soil, SuitClass::nodata, kNaN)));
}

TEST(SuitabilityEvaluate, StorieAndSquareRoot) {
  const auto p = profile();
  {
    double v[] = {400, 2, 8};  // ratings 65, 80, 90
    auto s = evaluate_cell(p, Method::storie, v);
    EXPECT_DOUBLE_EQ(s.index, 100 * 0.65 * 0.8 * 0.9);  // 46.8
    EXPECT_EQ(s.cls, SuitClass::S3);
    EXPECT_EQ(s.limiting, 1);  // the lowest rating
    auto q = evaluate_cell(p, Method::square_root, v);
    EXPECT_DOUBLE_EQ(q.index, 65 * std::sqrt(0.8 * 0.9));  // 55.15
    EXPECT_EQ(q.cls, SuitClass::S2);
    EXPECT_EQ(q.limiting, 1);
  }
  {
    double v[] = {1300, 2, 15};  // ratings 65, 80, 60: slope lowest
    auto q = evaluate_cell(p, Method::square_root, v);
    EXPECT_DOUBLE_EQ(q.index, 60 * std::sqrt(0.65 * 0.8));
    EXPECT_EQ(q.limiting, 3);
  }
  {
    double v[] = {800, 3, 0};  // all 100: S1, no limiting factor
    auto q = evaluate_cell(p, Method::square_root, v);
    EXPECT_EQ(q.index, 100);
    EXPECT_EQ(q.cls, SuitClass::S1);
    EXPECT_EQ(q.limiting, 0);
  }
  {
    // ties for the lowest rating: one is taken out, the other stays among "the others"
    double v[] = {1300, 1, 15};  // ratings 65, 60, 60
    auto q = evaluate_cell(p, Method::square_root, v);
    EXPECT_DOUBLE_EQ(q.index, 60 * std::sqrt(0.65 * 0.6));
    EXPECT_EQ(q.limiting, 2);  // the first of the tied factors
    auto s = evaluate_cell(p, Method::storie, v);
    EXPECT_DOUBLE_EQ(s.index, 100 * 0.65 * 0.6 * 0.6);
  }
  {
    double v[] = {800, 9, 0};  // categorical N rates 0
    auto s = evaluate_cell(p, Method::storie, v);
    EXPECT_EQ(s.index, 0);
    EXPECT_EQ(s.cls, SuitClass::N);
    EXPECT_EQ(s.limiting, 2);
  }
  {
    double v[] = {800, 3, kNaN};
    auto s = evaluate_cell(p, Method::storie, v);
    EXPECT_EQ(s.cls, SuitClass::nodata);
    EXPECT_TRUE(std::isnan(s.index));
    EXPECT_EQ(s.limiting, 0);
  }
}

TEST(SuitabilityEvaluate, ClassOfIndexThresholds) {
  std::array<double, 3> t{75, 50, 25};
  EXPECT_EQ(class_of_index(t, 75), SuitClass::S1);
  EXPECT_EQ(class_of_index(t, 74.999), SuitClass::S2);
  EXPECT_EQ(class_of_index(t, 50), SuitClass::S2);
  EXPECT_EQ(class_of_index(t, 25), SuitClass::S3);
  EXPECT_EQ(class_of_index(t, 24.9), SuitClass::N);
  EXPECT_EQ(class_of_index(t, kNaN), SuitClass::nodata);
}

TEST(SuitabilityEvaluate, AdvisoryFactorsDoNotDecide) {
  auto p = profile();
  p.factors[1].advisory = true;  // soil
  double v[] = {800, 9, 0};      // soil N, but advisory
  auto e = evaluate_cell(p, Method::limiting, v);
  EXPECT_EQ(e.cls, SuitClass::S1);
  EXPECT_EQ(e.factors[1].cls, SuitClass::N);  // still reported
  EXPECT_TRUE(e.factors[1].advisory);
  auto s = evaluate_cell(p, Method::storie, v);
  EXPECT_DOUBLE_EQ(s.index, 100);
  double nd[] = {800, kNaN, 2};  // nodata in an advisory layer does not blank the cell
  EXPECT_EQ(evaluate_cell(p, Method::limiting, nd).cls, SuitClass::S1);
  double lim[] = {800, 9, 20};  // the limiting position counts advisory factors
  EXPECT_EQ(evaluate_cell(p, Method::limiting, lim).limiting, 3);
  auto cp = compile(p, Method::limiting);
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->layers(), (std::vector<std::string>{"elevation", "slope"}));
}

TEST(SuitabilityEvaluate, CompileChecksTheMethod) {
  auto p = profile();
  p.factors[2].ratings.clear();
  EXPECT_TRUE(compile(p, Method::limiting).ok());
  auto bad = compile(p, Method::square_root);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "ratings.slope");
}

// Values that sit on every edge of the profile's intervals, curves and codes, as
// float and as double, plus NaN, nodata and random values.
std::vector<double> edge_values(const CropProfile& p, std::size_t k) {
  std::vector<double> out;
  const Factor& f = p.factors[k];
  auto around = [&](double x) {
    out.push_back(x);
    out.push_back(std::nextafter(x, -1e300));
    out.push_back(std::nextafter(x, 1e300));
    out.push_back(static_cast<double>(std::nextafter(static_cast<float>(x), -1e30f)));
    out.push_back(static_cast<double>(std::nextafter(static_cast<float>(x), 1e30f)));
  };
  for (const auto& c : f.intervals)
    for (auto [lo, hi] : c) {
      around(lo);
      around(hi);
    }
  for (auto [x, r] : f.ratings) around(x);
  for (const auto& c : f.codes)
    for (long long code : c) around(static_cast<double>(code));
  out.push_back(kNaN);
  out.push_back(-9999);
  out.push_back(std::numeric_limits<double>::infinity());
  return out;
}

void compare_kernel(const CropProfile& p, Method m, SampleType type, std::uint32_t seed) {
  auto cp = compile(p, m);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  const std::size_t n = 20000, nf = p.factors.size();
  std::mt19937 rng(seed);
  std::vector<std::vector<double>> vals(nf, std::vector<double>(n));
  for (std::size_t k = 0; k < nf; ++k) {
    auto edges = edge_values(p, k);
    double lo = 1e300, hi = -1e300;
    for (double e : edges)
      if (std::isfinite(e) && e != -9999) lo = std::min(lo, e), hi = std::max(hi, e);
    std::uniform_real_distribution<double> u(lo - (hi - lo) * 0.1, hi + (hi - lo) * 0.1);
    std::uniform_int_distribution<std::size_t> pick(0, edges.size() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      double v = (rng() % 3 == 0) ? u(rng) : edges[pick(rng)];
      if (p.factors[k].type == FactorType::categorical && rng() % 2) v = std::round(v);
      if (type == SampleType::f32) v = static_cast<double>(static_cast<float>(v));
      vals[k][i] = v;
    }
  }
  // inputs of the kernel: the layers of the factors that are not advisory
  std::vector<std::vector<float>> f32(nf);
  std::vector<LayerData> inputs;
  for (const auto& cf : cp->factors) {
    std::size_t k = cf.position - 1;
    LayerData ld;
    ld.nodata = -9999.0;
    if (type == SampleType::f32) {
      f32[k].assign(vals[k].begin(), vals[k].end());
      ld.data = f32[k].data();
      ld.type = SampleType::f32;
    } else {
      ld.data = vals[k].data();
      ld.type = SampleType::f64;
    }
    inputs.push_back(ld);
  }
  std::vector<uint8_t> cls(n), lim(n);
  std::vector<float> index(n);
  evaluate_block(*cp, inputs, n, cls.data(), lim.data(), index.data());
  std::size_t checked = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> v(nf);
    for (std::size_t k = 0; k < nf; ++k) v[k] = vals[k][i] == -9999 ? kNaN : vals[k][i];
    auto e = evaluate_cell(p, m, v);
    ASSERT_EQ(cls[i], static_cast<uint8_t>(e.cls)) << "cell " << i;
    ASSERT_EQ(lim[i], e.limiting) << "cell " << i;
    if (std::isnan(e.index)) {
      ASSERT_TRUE(std::isnan(index[i])) << "cell " << i;
    } else {
      ASSERT_EQ(index[i], static_cast<float>(e.index)) << "cell " << i;
    }
    checked += e.cls != SuitClass::nodata;
  }
  EXPECT_GT(checked, n / 10);
}

TEST(SuitabilityEvaluate, KernelEqualsReference) {
  for (Method m : {Method::limiting, Method::storie, Method::square_root})
    for (SampleType t : {SampleType::f32, SampleType::f64}) {
      SCOPED_TRACE(std::string(method_name(m)) + (t == SampleType::f32 ? " f32" : " f64"));
      compare_kernel(profile(), m, t, 7);
    }
}

TEST(SuitabilityEvaluate, KernelEqualsReferenceOnShippedProfiles) {
  auto ps = parse_crop_profiles(json::parse(*app::embedded_file("crop-profiles.json")));
  ASSERT_TRUE(ps.ok());
  std::uint32_t seed = 1;
  for (const auto& p : *ps)
    for (Method m : {Method::limiting, Method::storie, Method::square_root}) {
      SCOPED_TRACE(p.crop + " " + std::string(method_name(m)));
      compare_kernel(p, m, (seed % 2) ? SampleType::f32 : SampleType::f64, seed);
      ++seed;
    }
}

TEST(SuitabilityEvaluate, KernelEqualsReferenceWithManyIntervalsAndCodes) {
  // more intervals and codes than the unrolled passes take, a code no float can hold,
  // a curve with more segments than the padded passes take
  json j = json::parse(R"({ "crop": "many", "factors": [
      { "layer": "a", "type": "continuous", "S1": [[0, 1], [2, 3], [4, 5], [6, 7]],
        "S2": [[1, 2], [3, 4], [5, 6]], "S3": [[-1, 0], [7, 8], [8, 9], [0.5, 2.5]] },
      { "layer": "b", "type": "categorical", "S1": [1, 2, 3, 4], "S2": [5, 6, 7, 16777217], "S3": [8, 9, 10, 11, 12] } ],
    "ratings": { "a": [[-1, 0], [0, 10], [1, 20], [2, 30], [3, 40], [4, 50], [5, 60], [6, 70], [7, 80], [8, 90],
                       [9, 100], [10, 90], [11, 80], [12, 70], [13, 60], [14, 50], [15, 40], [16, 30], [17, 20]] } })");
  auto p = parse_crop_profile(j);
  ASSERT_TRUE(p.ok()) << p.error().message;
  for (Method m : {Method::limiting, Method::storie, Method::square_root})
    for (SampleType t : {SampleType::f32, SampleType::f64}) {
      SCOPED_TRACE(std::string(method_name(m)) + (t == SampleType::f32 ? " f32" : " f64"));
      compare_kernel(*p, m, t, 11);
    }
}

TEST(SuitabilityEvaluate, KernelMixedInputTypesAndOptionalOutputs) {
  auto p = profile("storie");
  auto cp = compile(p, Method::storie);
  ASSERT_TRUE(cp.ok());
  std::vector<float> elev = {600.f, 999.f, 1000.f, 150.f, -1.f};
  std::vector<double> soil = {3, 2, 7, 9, 3};
  std::vector<float> slope = {0.f, 8.f, 15.f, 30.f, 2.f};
  std::vector<LayerData> in = {{elev.data(), SampleType::f32, -1.0},
                               {soil.data(), SampleType::f64, std::nullopt},
                               {slope.data(), SampleType::f32, std::nullopt}};
  std::vector<uint8_t> cls(5);
  evaluate_block(*cp, in, 5, cls.data(), nullptr, nullptr);
  for (std::size_t i = 0; i < 5; ++i) {
    double v[] = {elev[i] == -1.f ? kNaN : elev[i], soil[i], slope[i]};
    EXPECT_EQ(cls[i], static_cast<uint8_t>(evaluate_cell(p, Method::storie, v).cls)) << i;
  }
  EXPECT_EQ(cls[4], 0);
}

// A fast kernel of evaluate_block (evaluate_kernels.hpp) against the portable one on
// the benchmark's profile and on one with long curves and many codes: every output
// byte and index bit the same, on blocks whose length is no multiple of 16 and whose
// start is not aligned (the AVX-512 kernel's last cells go through masked loads and
// stores, the AVX2 kernel's through the portable kernel).
using Kernel = void (*)(const CompiledProfile&, std::span<const LayerData>, std::size_t, uint8_t*, uint8_t*, float*);

void compare_kernels(Kernel fast, const CropProfile& p, Method m, std::uint32_t seed) {
  auto cp = compile(p, m);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  const std::size_t n = 50021, nf = cp->factors.size();
  std::mt19937 rng(seed);
  std::vector<std::vector<float>> data(nf, std::vector<float>(n));
  for (std::size_t k = 0; k < nf; ++k) {
    auto edges = edge_values(p, cp->factors[k].position - 1);
    double lo = 1e300, hi = -1e300;
    for (double e : edges)
      if (std::isfinite(e) && e != -9999) lo = std::min(lo, e), hi = std::max(hi, e);
    std::uniform_real_distribution<double> u(lo - (hi - lo) * 0.1, hi + (hi - lo) * 0.1);
    std::uniform_int_distribution<std::size_t> pick(0, edges.size() - 1);
    for (auto& v : data[k]) v = static_cast<float>((rng() % 2) ? u(rng) : edges[pick(rng)]);
  }
  for (std::size_t off : {std::size_t{0}, std::size_t{3}}) {
    std::vector<LayerData> in;
    for (std::size_t k = 0; k < nf; ++k) in.push_back({data[k].data() + off, SampleType::f32, -9999.0});
    const std::size_t len = n - off;
    std::vector<uint8_t> c1(len), l1(len), c2(len), l2(len);
    std::vector<float> i1(len), i2(len);
    fast(*cp, in, len, c1.data(), l1.data(), i1.data());
    evaluate_block_portable(*cp, in, len, c2.data(), l2.data(), i2.data());
    for (std::size_t i = 0; i < len; ++i) {
      ASSERT_EQ(c1[i], c2[i]) << "cell " << i << " offset " << off;
      ASSERT_EQ(l1[i], l2[i]) << "cell " << i << " offset " << off;
      if (std::isnan(i2[i])) {
        ASSERT_TRUE(std::isnan(i1[i])) << "cell " << i << " offset " << off;
      } else {
        ASSERT_EQ(std::memcmp(&i1[i], &i2[i], sizeof(float)), 0) << "cell " << i << " offset " << off << ": "
                                                                   << i1[i] << " vs " << i2[i];
      }
    }
    // Without the optional outputs the classes do not change.
    std::vector<uint8_t> c3(len);
    fast(*cp, in, len, c3.data(), nullptr, nullptr);
    ASSERT_EQ(c3, c2);
  }
}

void compare_kernel_profiles(Kernel fast) {
  auto ps = parse_crop_profiles(json::parse(*app::embedded_file("crop-profiles.json")));
  ASSERT_TRUE(ps.ok());
  const CropProfile* rice = nullptr;
  for (const auto& p : *ps)
    if (p.crop == "rice_upland") rice = &p;
  ASSERT_NE(rice, nullptr);
  json j = json::parse(R"({ "crop": "long", "factors": [
      { "layer": "a", "type": "continuous", "S1": [[0, 1], [2, 3], [4, 5], [6, 7]],
        "S2": [[1, 2], [3, 4], [5, 6]], "S3": [[-1, 0], [7, 8], [8, 9], [0.5, 2.5]] },
      { "layer": "b", "type": "categorical", "S1": [1, 2, 3, 4], "S2": [5, 6, 7, 16777217], "S3": [8, 9, 10, 11, 12] },
      { "layer": "c", "type": "continuous", "S1": [[0, 3]], "S2": [[3, 6]] } ],
    "ratings": { "a": [[-1, 0], [0, 10], [1, 20], [2, 30], [3, 40], [4, 50], [5, 60], [6, 70], [7, 80], [8, 90],
                       [9, 100], [10, 90], [11, 80], [12, 70], [13, 60], [14, 50], [15, 40]],
                 "c": [[0, 100], [6, 0]] } })");
  auto longp = parse_crop_profile(j);
  ASSERT_TRUE(longp.ok()) << longp.error().message;
  // Curve points no float holds (0.1, 0.3, ...): the AVX2 kernel compares float samples
  // with the starts rounded up to float, which must give the double comparison's answer
  // for the floats on either side of each point (edge_values puts them in).
  json jf = json::parse(R"({ "crop": "fractions", "factors": [
      { "layer": "a", "type": "continuous", "S1": [[0.1, 0.3]], "S2": [[0.3, 0.7]], "S3": [[0.7, 1.1]] },
      { "layer": "b", "type": "continuous", "S1": [[-0.3, 1e-7]], "S2": [[1e-7, 3.3333]] } ],
    "ratings": { "a": [[0.1, 100], [0.3, 85.5], [0.7, 60.1], [0.9, 33.3], [1.1, 0]],
                 "b": [[-0.3, 0], [-0.1, 40], [1e-7, 100], [3.3333, 10]] } })");
  auto fracp = parse_crop_profile(jf);
  ASSERT_TRUE(fracp.ok()) << fracp.error().message;
  std::uint32_t seed = 5;
  for (const CropProfile* p : std::initializer_list<const CropProfile*>{rice, &*longp, &*fracp})
    for (Method m : {Method::limiting, Method::storie, Method::square_root}) {
      SCOPED_TRACE(p->crop + " " + std::string(method_name(m)));
      compare_kernels(fast, *p, m, seed++);
    }
}

TEST(SuitabilityEvaluate, FastKernelEqualsPortableKernel) {
  // Without AVX-512 the comparison cannot run here: say so instead of passing.
  if (!detail::avx512_available()) GTEST_SKIP() << "no AVX-512 on this CPU";
  compare_kernel_profiles(&detail::evaluate_block_avx512);
}

TEST(SuitabilityEvaluate, Avx2KernelEqualsPortableKernel) {
  if (!detail::avx2_available()) GTEST_SKIP() << "no AVX2 and FMA on this CPU";
  compare_kernel_profiles(&detail::evaluate_block_avx2);
}

// Which kernel evaluate_block runs: the widest the CPU has, for float32 layers.
TEST(SuitabilityEvaluate, BlockKernelIsTheWidestTheCpuRuns) {
  auto p = profile("storie");
  auto cp = compile(p, Method::storie);
  ASSERT_TRUE(cp.ok());
  std::vector<float> v(8, 1.f);
  std::vector<LayerData> f32(cp->factors.size(), LayerData{v.data(), SampleType::f32, std::nullopt});
  const std::string_view expected = detail::avx512_available() ? "avx512"
                                    : detail::avx2_available() ? "avx2"
                                                               : "portable";
  EXPECT_EQ(block_kernel(*cp, f32), expected);
  std::vector<double> d(8, 1.0);
  std::vector<LayerData> f64(cp->factors.size(), LayerData{d.data(), SampleType::f64, std::nullopt});
  EXPECT_EQ(block_kernel(*cp, f64), "portable") << "float64 layers go through the portable kernel";
}

// A block large enough for the fast kernel's streaming stores (8M cells; one layer
// array serves every factor to keep the test small), its outputs starting 4 cells
// after a cache line (the first 12 cells go alone, the rest streamed): the same
// bytes as the portable kernel.
template <typename T>
T* line_plus_4(std::vector<T>& v) {
  auto a = reinterpret_cast<uintptr_t>(v.data()) % 64;
  return v.data() + (a ? (64 - a) / sizeof(T) : 0) + 4;
}

void compare_on_a_large_block(Kernel fast) {
  auto ps = parse_crop_profiles(json::parse(*app::embedded_file("crop-profiles.json")));
  ASSERT_TRUE(ps.ok());
  for (const auto& p : *ps) {
    if (p.crop != "rice_upland") continue;
    const std::size_t n = (std::size_t{1} << 23) + 37;
    std::vector<float> v(n);
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> u(-1.f, 40.f);
    for (auto& x : v) x = (rng() % 1000 == 0) ? -9999.f : u(rng);
    std::vector<LayerData> in(p.factors.size(), LayerData{v.data(), SampleType::f32, -9999.0});
    std::vector<uint8_t> cb(n + 80), lb(n + 80), c2(n), l2(n);
    std::vector<float> ib(n + 32), i2(n);
    uint8_t* c1 = line_plus_4(cb);
    uint8_t* l1 = line_plus_4(lb);
    float* i1 = line_plus_4(ib);
    for (Method m : {Method::limiting, Method::square_root}) {
      SCOPED_TRACE(method_name(m));
      auto cp = compile(p, m);
      ASSERT_TRUE(cp.ok());
      ASSERT_EQ(cp->factors.size(), in.size());
      fast(*cp, in, n, c1, l1, i1);
      evaluate_block_portable(*cp, in, n, c2.data(), l2.data(), i2.data());
      ASSERT_EQ(std::memcmp(c1, c2.data(), n), 0);
      ASSERT_EQ(std::memcmp(l1, l2.data(), n), 0);
      std::size_t differ = 0;
      for (std::size_t i = 0; i < n; ++i)
        differ += std::memcmp(&i1[i], &i2[i], sizeof(float)) != 0 && !(std::isnan(i1[i]) && std::isnan(i2[i]));
      ASSERT_EQ(differ, 0u);
    }
  }
}

TEST(SuitabilityEvaluate, FastKernelEqualsPortableKernelOnALargeBlock) {
  if (!detail::avx512_available()) GTEST_SKIP() << "no AVX-512 on this CPU";
  compare_on_a_large_block(&detail::evaluate_block_avx512);
}

TEST(SuitabilityEvaluate, Avx2KernelEqualsPortableKernelOnALargeBlock) {
  if (!detail::avx2_available()) GTEST_SKIP() << "no AVX2 and FMA on this CPU";
  compare_on_a_large_block(&detail::evaluate_block_avx2);
}

}  // namespace
}  // namespace nongsan::suitability
