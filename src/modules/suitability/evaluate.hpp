// Evaluation of a crop profile: the exact rules of docs/suitability.md,
// once as a plain per-cell reference (evaluate_cell: what the UI shows on a click)
// and once as a compiled, branch-free block kernel for rasters (evaluate_block).
// Both give identical classes, limiting factors and indices (tests/modules/
// suitability_evaluate_test.cpp checks this on random data and on the edges).
//
// Rules:
// - Continuous factor: intervals are [low, high); a value in no S1–S3 interval is N;
//   where intervals of several classes hold the value, the best class wins.
//   Categorical factor: the class whose code list holds the value, else N.
// - limiting: the class is the worst factor class; the limiting factor is the first
//   factor (profile order) with that class, none (0) when the class is S1.
// - storie / square_root: each factor's rating 0–100 is read from its `ratings`
//   curve by linear interpolation, held flat beyond the ends (numpy.interp's
//   formula: slope·(x − xⱼ) + yⱼ); categorical factors rate S1 100, S2 80, S3 60,
//   N 0. Storie index = 100·Π(rᵢ/100) (product in profile order); square-root index
//   = r_min·√(Π others rᵢ/100), where the first factor with the lowest rating is
//   taken out and the others (ties included) multiply in profile order. Class: index
//   ≥ thresholds[0] S1, ≥ [1] S2, ≥ [2] S3, else N. The limiting factor of the
//   parametric methods is the first factor with the lowest rating (0 when S1).
// - The index is computed in double from the values as stored and written as
//   Float32; the class comes from the double index. With `limiting` there is no
//   index (NaN).
// - Values are compared exactly as stored: a float32 raster value 600 is S1 in
//   [600, 1000). Float32 inputs are compared with float bounds rounded so that the
//   comparison equals the comparison in double.
// - A cell where any input (of a factor that is not advisory) is NaN or the layer's
//   nodata value is nodata (class 0, limiting 0, index NaN).
// - Advisory factors are evaluated per factor (evaluate_cell) but take no part in
//   the class, the limiting factor or the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "modules/suitability/crop_profile.hpp"

namespace nongsan::suitability {

struct FactorEvaluation {
  SuitClass cls = SuitClass::nodata;
  double rating = 0;  // 0–100; NaN for nodata or a continuous factor without a curve
  bool advisory = false;
};

struct CellEvaluation {
  SuitClass cls = SuitClass::nodata;
  int limiting = 0;   // 1-based position of the limiting factor in the profile, 0 none
  double index = 0;   // Storie or square-root index 0–100; NaN with `limiting` and for nodata
  std::vector<FactorEvaluation> factors;  // one per profile factor, advisory ones included
};

// One factor's class of a value (NaN gives nodata).
SuitClass classify(const Factor& f, double value);
// One factor's rating of a value of class `c`: categorical by class, continuous from
// the curve (NaN without a curve or for nodata).
double rate(const Factor& f, SuitClass c, double value);
// The class of a parametric index.
SuitClass class_of_index(const std::array<double, 3>& thresholds, double index);

// `values`: one per profile factor, in profile order, NaN for nodata (the value of
// an advisory factor may be NaN without making the cell nodata).
// REQUIRES: check_method(profile, method) is ok and values.size() == factors.size().
CellEvaluation evaluate_cell(const CropProfile& profile, Method method, std::span<const double> values);

// --- block kernel ---------------------------------------------------------------

enum class SampleType : uint8_t { f32, f64 };

// One input layer of a block: `n` samples of `type`, and the layer's nodata value.
struct LayerData {
  const void* data = nullptr;
  SampleType type = SampleType::f32;
  std::optional<double> nodata;
};

struct CompiledInterval {
  double lo, hi;       // [lo, hi) in double
  float lo_f, hi_f;    // the same test on float values: x >= lo_f && x < hi_f
  uint8_t cls;
};
struct CompiledCode {
  double value;
  float value_f;
  bool float_exact;  // value_f == value: a float sample can equal the code
  uint8_t cls;
};
struct CompiledFactor {
  std::size_t position = 0;  // 1-based in the profile
  std::string layer;
  FactorType type = FactorType::continuous;
  std::vector<CompiledInterval> intervals;  // S3 first, so that later (better) classes win
  // The same continuous factor as steps: the class is cls of the last step with
  // x >= lo (N below the first). Between two interval ends the class is constant, so
  // one test per end replaces two per interval. `hi`/`hi_f` unused.
  std::vector<CompiledInterval> steps;
  std::vector<CompiledCode> codes;
  std::vector<double> xp, fp, slope;  // rating curve; slope[j] = (fp[j+1]-fp[j]) / (xp[j+1]-xp[j])
};

struct CompiledProfile {
  Method method = Method::limiting;
  std::array<double, 3> thresholds{75, 50, 25};
  std::vector<CompiledFactor> factors;  // the factors that are not advisory, in profile order
  // The layer each input of evaluate_block must hold, in order.
  std::vector<std::string> layers() const;
};

// Validates (check_method) and compiles.
Result<CompiledProfile> compile(const CropProfile& profile, Method method);

// Evaluates `n` cells. inputs[k] is the layer of cp.factors[k]. `limiting` and
// `index` may be null. Thread-safe (no shared state). Runs the AVX-512 kernel where
// the CPU has it, else the AVX2 one where it has that, else the portable one, with
// identical results (evaluate_kernels.hpp).
void evaluate_block(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                    uint8_t* limiting, float* index);

}  // namespace nongsan::suitability
