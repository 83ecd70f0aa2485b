// AVX2 dot products of Q4_K and Q6_K rows with Q8_K activations. The integer part of each 256-value block (Σ of
// scale × Σ q·a) is computed exactly with SIMD, then combined with the block scales in the same f32/double order as
// the scalar twin (dot-scalar.cc), so the result is bit-identical to it and to the TypeScript reference.
#pragma once
#include <cstdint>

#include "activation.h"

namespace quire {

float dot_q4_k_avx2(const uint8_t* w, const BlockQ8K* a, int64_t k);
float dot_q6_k_avx2(const uint8_t* w, const BlockQ8K* a, int64_t k);

}  // namespace quire
