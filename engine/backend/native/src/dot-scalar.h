// Scalar dot products of one weight row with one converted activation row, for every type: the twins of the
// reference backend (engine/backend/reference/matmul.ts), block by block in the same f32/double order.
#pragma once
#include <cstdint>

#include "activation.h"

namespace quire {

// Q4_0, Q4_1, Q5_0, Q5_1 with Q8_0/Q8_1 activations.
float dot_block32_scalar(int type, const uint8_t* w, const BlockQ8* a, int64_t k);
// Q8_0 × Q8_0 in ggml's AVX2 lane order (eight f32 lanes of four products each).
float dot_q8_0_scalar(const uint8_t* w, const BlockQ8* a, int64_t k);
// Q4_K, Q5_K, Q6_K with Q8_K activations.
float dot_kquant_scalar(int type, const uint8_t* w, const BlockQ8K* a, int64_t k);
// F32, F16, BF16 rows with the activation already rounded to the weight's float type.
float dot_float_scalar(int type, const uint8_t* w, const float* a, int64_t k);
// The activation as the float-type dot sees it: rounded to f16 or bf16 (unchanged for F32).
void round_activation(int type, const float* x, int64_t k, float* out);

}  // namespace quire
