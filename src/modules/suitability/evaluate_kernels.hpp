// The three block kernels behind evaluate_block (evaluate.hpp), with identical results:
// "avx512" (evaluate_kernel_avx512.cpp: x86-64 CPUs with AVX-512 F/BW/DQ/VL, float32
// inputs, curves of 1 to 16 segments; every factor of 16 cells in registers, the same
// operations in the same order, bit for bit), "avx2" (evaluate_kernel_avx2.cpp: the
// same design for CPUs with AVX2 and FMA but no AVX-512, 8 cells at a time) and
// "portable" (evaluate_kernel.cpp: any CPU and input; one pass per factor over chunks
// of cells). evaluate_block picks the first that takes the inputs. Tests and the
// benchmark use this header to run and compare them; other code calls evaluate_block.
// Depends on evaluate.hpp only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "modules/suitability/evaluate.hpp"

namespace nongsan::suitability {

// The kernel evaluate_block runs for these inputs on this machine: "avx512", "avx2" or "portable".
std::string_view block_kernel(const CompiledProfile& cp, std::span<const LayerData> inputs);
// evaluate_block on the portable kernel, whatever the CPU.
void evaluate_block_portable(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n,
                             uint8_t* cls, uint8_t* limiting, float* index);

}  // namespace nongsan::suitability

namespace nongsan::suitability::detail {

// True when this CPU (and its operating system) runs AVX-512 F, BW, DQ and VL code.
// Decided once per process.
bool avx512_available();

// True when the fast kernels (AVX-512 and AVX2) take this profile and these inputs:
// float32 layers only and rating curves of 1 to 16 segments; the portable kernel does
// the rest. Compiled for the baseline (evaluate_kernel.cpp).
bool fast_kernels_accept(const CompiledProfile& cp, std::span<const LayerData> inputs);

// A float32 layer's nodata value as the fast kernels test it: NaN (never equal) when
// there is none or no float sample can hold it, as the portable kernel treats it.
float float_nodata(const LayerData& in);

// evaluate_block on the AVX-512 kernel. REQUIRES: avx512_available() and
// fast_kernels_accept(cp, inputs).
void evaluate_block_avx512(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n,
                           uint8_t* cls, uint8_t* limiting, float* index);

// True when this CPU (and its operating system) runs AVX2 and FMA code. Decided once
// per process.
bool avx2_available();

// evaluate_block on the AVX2 kernel. REQUIRES: avx2_available() and fast_kernels_accept(cp, inputs).
void evaluate_block_avx2(const CompiledProfile& cp, std::span<const LayerData> inputs, std::size_t n, uint8_t* cls,
                         uint8_t* limiting, float* index);

}  // namespace nongsan::suitability::detail
