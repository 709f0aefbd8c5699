// The AVX-512 block kernel of evaluate_block (evaluate_kernel_avx512.cpp): internal to
// the suitability module, called by evaluate_kernel.cpp only. It computes exactly what
// the portable kernel computes (same operations in the same order, bit for bit), with
// every factor of a run of 16 cells evaluated in registers in one pass. Depends on
// evaluate.hpp and nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "modules/suitability/evaluate.hpp"

namespace nongsan::suitability::detail {

// True when this CPU (and its operating system) runs AVX-512 F, BW, DQ and VL code.
// Decided once per process.
bool avx512_available();

// True when the AVX-512 kernel takes this profile and these inputs: float32 layers only
// and rating curves of 1 to 16 segments; the portable kernel does the rest.
bool avx512_accepts(const CompiledProfile& cp, std::span<const LayerData> inputs);

// evaluate_block on the AVX-512 kernel. REQUIRES: avx512_available() and
// avx512_accepts(cp, inputs).
void evaluate_block_avx512(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n,
                           uint8_t* cls, uint8_t* limiting, float* index);

}  // namespace nongsan::suitability::detail
